/* replay.c - one pass per lead: fit, fast-track/rule time and the score staircase.
 *
 * The scenario is first compiled against the dataset: every event type of
 * the data gets a slot saying what it does (points, a limit, fast track, rule
 * terms), and every attribute value its fit points, so the per-event loop
 * works on small integer-indexed arrays only. Without decay, event types that
 * do nothing in the scenario are skipped: they can neither raise the score nor
 * fire a rule. With decay they still mark candidate times (see replay_lead).
 *
 * Numerics: decayed sums are carried forward (U(t2) = U(t1) d(t2-t1) + new
 * points), which equals the direct sum of SPEC 5.2 up to rounding; d is
 * computed as exp2(-x / half_life), a quarter of pow(0.5, ...)'s cost and
 * as accurate (both within an ulp of 0.5^x; they differ in the last bit for
 * about one input in a thousand, well inside that same rounding). */
#include "replay.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tstamp.h"

/* What an event type does in the scenario. */
typedef struct slot {
    double points;
    int limited;  /* index into the limited sums, or -1 */
    int fast;
    int nterms;   /* rule terms counting this type */
} slot;

typedef struct rterm {
    uint16_t type;   /* dataset type id, or UINT16_MAX+ for a type absent from the data */
    int present;
    long n;
} rterm;

typedef struct rrule {
    rterm *terms;
    size_t nterms;
    int windowed;
    int64_t window; /* microseconds */
} rrule;

typedef struct plan {
    const dataset *ds;
    size_t ntypes;
    int16_t *slot_of; /* dataset type -> slot index, -1 when the type does nothing */
    slot *slots;
    size_t nslots;
    double *limit;    /* per limited sum */
    size_t nlimited;
    rrule *rules;
    size_t nrules;
    int decay;
    double half_life_us;
    int two_axis;
    int any_rule_or_fast;
} plan;

/* ---------------------------- Compiling the scenario ---------------------------- */

static void plan_fini(plan *p) {
    free(p->slot_of);
    free(p->slots);
    free(p->limit);
    for (size_t i = 0; i < p->nrules; i++) free(p->rules[i].terms);
    free(p->rules);
}

static int slot_for(plan *p, long type, size_t *cap) {
    if (p->slot_of[type] >= 0) return p->slot_of[type];
    if (util_grow((void **)&p->slots, cap, p->nslots + 1, sizeof *p->slots) < 0) return -1;
    p->slots[p->nslots] = (slot){0, -1, 0, 0};
    p->slot_of[type] = (int16_t)p->nslots;
    return (int)p->nslots++;
}

static void add_note(replay *r, const char *fmt, const char *a) {
    if (r->nnotes >= (int)(sizeof r->notes / sizeof r->notes[0])) return;
    snprintf(r->notes[r->nnotes++], sizeof r->notes[0], fmt, a);
}

static int plan_build(plan *p, const dataset *ds, const scenario *sc, replay *r,
                      util_err *err) {
    memset(p, 0, sizeof *p);
    p->ds = ds;
    p->ntypes = ds->types.n;
    p->two_axis = sc->fit_thresholds != NULL;
    p->decay = sc->half_life_days > 0 && !ds->snapshot;
    p->half_life_us = sc->half_life_days * (double)TSTAMP_USEC_PER_DAY;
    size_t cap = 0;
    if (!(p->slot_of = util_malloc((p->ntypes + 1) * sizeof *p->slot_of))) return util_enomem(err);
    for (size_t i = 0; i < p->ntypes; i++) p->slot_of[i] = -1;
    /* There are at most 65536 types; slots fit int16 only up to 32767, which
     * is far more than a scenario can name in lines of 200 characters. */
    for (size_t i = 0; i < sc->nbehaviour; i++) {
        const scenario_points *b = &sc->behaviour[i];
        if (b->nvals != 1)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: [behaviour] %s: a list or range of points is a candidate "
                             "grid: `leadsim tune` evaluates it; give one value to replay it",
                             sc->path, b->line, b->type);
        long t = strtab_find(&ds->types, b->type, strlen(b->type));
        if (t < 0) {
            add_note(r, "event type '%s' in [behaviour] does not occur in the data", b->type);
            continue;
        }
        if (b->vals[0] == 0) continue;
        int s = slot_for(p, t, &cap);
        if (s < 0) return util_enomem(err);
        p->slots[s].points = b->vals[0];
    }
    size_t lcap = 0;
    for (size_t i = 0; i < sc->nlimits; i++) {
        const scenario_points *l = &sc->limits[i];
        if (l->nvals != 1)
            return util_errf(err, UTIL_EDATA, "%s:%ld: [limits] %s: give one value", sc->path,
                             l->line, l->type);
        long t = strtab_find(&ds->types, l->type, strlen(l->type));
        if (t < 0 || p->slot_of[t] < 0) continue; /* a limit on a type that scores nothing */
        slot *s = &p->slots[p->slot_of[t]];
        if (util_grow((void **)&p->limit, &lcap, p->nlimited + 1, sizeof *p->limit) < 0)
            return util_enomem(err);
        p->limit[p->nlimited] = l->vals[0];
        s->limited = (int)p->nlimited++;
    }
    for (size_t i = 0; i < sc->nfast_track; i++) {
        long t = strtab_find(&ds->types, sc->fast_track[i], strlen(sc->fast_track[i]));
        if (t < 0) {
            add_note(r, "fast_track type '%s' does not occur in the data", sc->fast_track[i]);
            continue;
        }
        int s = slot_for(p, t, &cap);
        if (s < 0) return util_enomem(err);
        p->slots[s].fast = 1;
        p->any_rule_or_fast = 1;
    }
    if (sc->nrules && !(p->rules = util_calloc(sc->nrules, sizeof *p->rules)))
        return util_enomem(err);
    for (size_t i = 0; i < sc->nrules; i++) {
        const scenario_rule *sr = &sc->rules[i];
        rrule *rr = &p->rules[p->nrules];
        int possible = 1;
        if (!(rr->terms = util_calloc(sr->nterms, sizeof *rr->terms))) return util_enomem(err);
        rr->nterms = sr->nterms;
        rr->windowed = sr->has_within;
        rr->window = llround(sr->within_days * (double)TSTAMP_USEC_PER_DAY);
        for (size_t k = 0; k < sr->nterms; k++) {
            long t = strtab_find(&ds->types, sr->terms[k].type, strlen(sr->terms[k].type));
            rr->terms[k].n = sr->terms[k].n;
            if (t < 0) {
                possible = 0;
                add_note(r, "rule type '%s' does not occur in the data: the rule never fires",
                         sr->terms[k].type);
                continue;
            }
            rr->terms[k].type = (uint16_t)t;
            rr->terms[k].present = 1;
            int s = slot_for(p, t, &cap);
            if (s < 0) return util_enomem(err);
            p->slots[s].nterms++;
        }
        p->nrules++;
        if (!possible) { /* keep the rule out of the loop: it can never fire */
            free(rr->terms);
            memset(rr, 0, sizeof *rr);
            p->nrules--;
        } else {
            p->any_rule_or_fast = 1;
        }
    }
    return 0;
}

/* Largest fit points a per-unit value may give: scores stay finite (and
 * far from rounding trouble) whatever the data holds. */
#define MAX_UNIT_POINTS 1e15

/* Fit points of every value of every [fit] column, then per lead. */
static int fit_points(const dataset *ds, const scenario *sc, replay *r, double *fit,
                      util_err *err) {
    memset(fit, 0, ds->nleads * sizeof *fit);
    for (size_t f = 0; f < sc->nfits; f++) {
        const scenario_fit *sf = &sc->fits[f];
        long a = dataset_attr_find(ds, sf->column);
        if (a < 0)
            return util_errf(err, UTIL_EDATA, "%s:%ld: [fit %s]: the leads file has no column '%s'",
                             sc->path, sf->line, sf->column, sf->column);
        const dataset_attr *at = &ds->attrs[a];
        double *pts = util_malloc(at->values.n * sizeof *pts);
        if (!pts) return util_enomem(err);
        double def = sf->has_default ? sf->def : 0;
        size_t too_big = 0;
        const char *first_big = NULL;
        for (size_t v = 0; v < at->values.n; v++) {
            const char *text = strtab_str(&at->values, v);
            double x;
            int numeric = text[0] != '\0' && util_parse_double(text, &x) == 0;
            pts[v] = def;
            if (sf->has_per_unit) {
                if (numeric) {
                    double p = sf->per_unit * x;
                    if (sf->has_max && p > sf->max) p = sf->max;
                    /* 1e300 visits is not a count: scored as a value that
                     * is not a number, and said so, instead of an infinite
                     * score. */
                    if (!(fabs(p) <= MAX_UNIT_POINTS)) {
                        if (!too_big++) first_big = text;
                    } else {
                        pts[v] = p;
                    }
                }
                continue;
            }
            if (text[0] == '\0') continue; /* missing: default */
            for (size_t k = 0; k < sf->nlines; k++) {
                const scenario_fitline *fl = &sf->lines[k];
                int match;
                if (fl->kind == SCENARIO_FIT_VALUE)
                    match = strcmp(fl->value, text) == 0;
                else
                    match = numeric && (!fl->has_lo || x >= fl->lo) && (!fl->has_hi || x < fl->hi);
                if (match) {
                    pts[v] = fl->points;
                    break;
                }
            }
        }
        for (size_t i = 0; i < ds->nleads; i++) fit[i] += pts[at->code[i]];
        free(pts);
        if (too_big) {
            char note[300];
            snprintf(note, sizeof note,
                     "[fit %.60s]: %zu value%s (first '%.40s') would score more than 1e15 points "
                     "and %s scored as missing",
                     sf->column, too_big, too_big == 1 ? "" : "s", first_big,
                     too_big == 1 ? "is" : "are");
            add_note(r, "%s", note);
        }
    }
    return 0;
}

/* ---------------------------- The per-lead loop ---------------------------- */

typedef struct out_buf {
    double *val;
    int64_t *time;
    size_t n, cap;
    int fixed;         /* points into the staircases' reservation: never grows */
} out_buf;

typedef struct scratch {
    double *lim_sum;   /* decayed sum of each limited type */
    long *count;       /* per slot: counted events so far (rules without a window) */
    long *wcount;      /* per rule term: events inside its window */
    size_t *wtail;     /* per rule term: first event that may still be inside */
    size_t nterm_total;
} scratch;

typedef struct job {
    const plan *p;
    replay *r;
    size_t lo, hi;     /* cohort range */
    int64_t *cutoff;
    out_buf out;
    scratch s;
    long counted;
    int64_t tmin, tmax; /* earliest and latest record or fast time */
    /* Where its records go in the reservation (see stairs_reserve): upward
     * from index base, or downward from it when backward. */
    double *rv;
    int64_t *rt;
    size_t base, bound;
    int backward;
    size_t first, count; /* where they went */
    int failed;
} job;

static int push_record(out_buf *o, double v, int64_t t) {
    if (o->n + 1 > o->cap) {
        if (o->fixed) return -1; /* beyond the bound: cannot happen */
        size_t cap = o->cap ? o->cap * 2 : 1024;
        double *nv = util_reallocarray(o->val, cap, sizeof *nv);
        if (!nv) return -1;
        o->val = nv;
        int64_t *nt = util_reallocarray(o->time, cap, sizeof *nt);
        if (!nt) return -1;
        o->time = nt;
        o->cap = cap;
    }
    o->val[o->n] = v;
    o->time[o->n] = t;
    o->n++;
    return 0;
}

static int rule_fires(const plan *p, const scratch *s, size_t first_term_index[]) {
    for (size_t ri = 0; ri < p->nrules; ri++) {
        const rrule *rr = &p->rules[ri];
        int all = 1;
        for (size_t k = 0; k < rr->nterms && all; k++) {
            long have = rr->windowed ? s->wcount[first_term_index[ri] + k]
                                     : s->count[p->slot_of[rr->terms[k].type]];
            if (have < rr->terms[k].n) all = 0;
        }
        if (all) return 1;
    }
    return 0;
}

/* Replay cohort lead ci: records go to j->out; returns -1 on memory. */
static int replay_lead(job *j, size_t ci, size_t *term_base) {
    const plan *p = j->p;
    const dataset *ds = p->ds;
    replay *r = j->r;
    scratch *s = &j->s;
    size_t li = r->lead[ci];
    int64_t created = r->created[ci], cutoff = j->cutoff[ci];
    double base = p->two_axis ? 0 : r->fit[ci];
    r->fast[ci] = TSTAMP_NONE;
    if (!(created < cutoff)) return 0; /* no candidate time inside the window */

    for (size_t k = 0; k < p->nlimited; k++) s->lim_sum[k] = 0;
    for (size_t k = 0; k < p->nslots; k++) s->count[k] = 0;
    size_t a = ds->ev_off[li], b = ds->ev_off[li + 1];
    while (a < b && ds->ev_time[a] < created) a++; /* dropped at load; kept for safety */
    for (size_t k = 0; k < s->nterm_total; k++) s->wcount[k] = 0, s->wtail[k] = a;

    double lin = 0;          /* decayed sum of the types without a limit */
    int64_t tprev = created;
    double best = -INFINITY;
    size_t e = a;
    int first = 1;
    for (;;) {
        /* The next candidate time: created_at first, then each event time
         * whose group holds an event that does something. */
        int64_t t;
        if (first) {
            t = created;
        } else {
            /* Without decay the score only moves at events that do something,
             * so the others are skipped. With decay every counted event is a
             * candidate: fading negative points make the score rise between
             * events, and a lead can qualify at any event time. */
            if (!p->decay)
                while (e < b && ds->ev_time[e] < cutoff && p->slot_of[ds->ev_type[e]] < 0) e++;
            if (e >= b || ds->ev_time[e] >= cutoff) break;
            t = ds->ev_time[e];
        }
        first = 0;
        if (p->decay && t != tprev) {
            double f = exp2(-((double)(t - tprev) / p->half_life_us));
            lin *= f;
            for (size_t k = 0; k < p->nlimited; k++) s->lim_sum[k] *= f;
        }
        tprev = t;
        int fast = 0;
        for (; e < b && ds->ev_time[e] == t; e++) {
            int si = p->slot_of[ds->ev_type[e]];
            if (si < 0) continue;
            const slot *sl = &p->slots[si];
            if (sl->limited >= 0) s->lim_sum[sl->limited] += sl->points;
            else lin += sl->points;
            fast |= sl->fast;
            s->count[si]++;
            if (sl->nterms) {
                for (size_t ri = 0; ri < p->nrules; ri++) {
                    const rrule *rr = &p->rules[ri];
                    if (!rr->windowed) continue;
                    for (size_t k = 0; k < rr->nterms; k++)
                        if (rr->terms[k].type == ds->ev_type[e]) s->wcount[term_base[ri] + k]++;
                }
            }
        }
        /* Windows (t - D, t]: drop events at or before t - D. */
        for (size_t ri = 0; ri < p->nrules; ri++) {
            const rrule *rr = &p->rules[ri];
            if (!rr->windowed) continue;
            int64_t edge = t - rr->window;
            for (size_t k = 0; k < rr->nterms; k++) {
                size_t ti = term_base[ri] + k;
                size_t q = s->wtail[ti];
                while (q < e && ds->ev_time[q] <= edge) {
                    if (ds->ev_type[q] == rr->terms[k].type) s->wcount[ti]--;
                    q++;
                }
                s->wtail[ti] = q;
            }
        }
        double beh = lin;
        for (size_t k = 0; k < p->nlimited; k++) {
            double u = s->lim_sum[k], L = p->limit[k];
            beh += u > L ? L : u < -L ? -L : u;
        }
        double v = base + beh;
        if (v > best) {
            best = v;
            if (push_record(&j->out, v, t) < 0) return -1;
            if (t < j->tmin) j->tmin = t;
            if (t > j->tmax) j->tmax = t;
        }
        if (fast || (p->nrules && rule_fires(p, s, term_base))) {
            r->fast[ci] = t;
            if (t < j->tmin) j->tmin = t;
            if (t > j->tmax) j->tmax = t;
            break; /* nothing later can make the lead qualify earlier */
        }
    }
    /* counted events: those of [a, b) before the cutoff; times are sorted */
    size_t lo = a, hi = b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->ev_time[mid] < cutoff) lo = mid + 1;
        else hi = mid;
    }
    j->counted += (long)(lo - a);
    return 0;
}

static void *run_job(void *arg) {
    /* The thread works on its own copy of its job: the jobs are side by side
     * in one array, and counters updated at every lead would otherwise share
     * cache lines with the next job's fields. */
    job mine = *(job *)arg, *j = &mine;
    const plan *p = j->p;
    size_t nt = 0;
    for (size_t ri = 0; ri < p->nrules; ri++) nt += p->rules[ri].nterms;
    size_t *term_base = util_calloc(p->nrules + 1, sizeof *term_base);
    j->s.nterm_total = nt;
    j->s.lim_sum = util_calloc(p->nlimited + 1, sizeof *j->s.lim_sum);
    j->s.count = util_calloc(p->nslots + 1, sizeof *j->s.count);
    j->s.wcount = util_calloc(nt + 1, sizeof *j->s.wcount);
    j->s.wtail = util_calloc(nt + 1, sizeof *j->s.wtail);
    size_t *offs = util_malloc((j->hi - j->lo + 1) * sizeof *offs);
    if (!term_base || !j->s.lim_sum || !j->s.count || !j->s.wcount || !j->s.wtail || !offs) {
        j->failed = 1;
    } else {
        for (size_t ri = 0, acc = 0; ri < p->nrules; ri++) {
            term_base[ri] = acc;
            acc += p->rules[ri].nterms;
        }
        if (!j->backward) { /* straight into the reservation */
            j->out = (out_buf){j->rv + j->base, j->rt + j->base, 0, j->bound, 1};
            for (size_t ci = j->lo; ci < j->hi && !j->failed; ci++) {
                offs[ci - j->lo] = j->base + j->out.n;
                if (replay_lead(j, ci, term_base) < 0) j->failed = 1;
            }
            j->first = j->base;
            j->count = j->out.n;
        } else { /* last lead first, each lead's records put below the last */
            size_t bottom = j->base;
            for (size_t ci = j->hi; ci-- > j->lo && !j->failed;) {
                j->out.n = 0;
                if (replay_lead(j, ci, term_base) < 0 || j->out.n > bottom - (j->base - j->bound)) {
                    j->failed = 1;
                    break;
                }
                bottom -= j->out.n;
                memcpy(j->rv + bottom, j->out.val, j->out.n * sizeof *j->rv);
                memcpy(j->rt + bottom, j->out.time, j->out.n * sizeof *j->rt);
                offs[ci - j->lo] = bottom;
            }
            free(j->out.val);
            free(j->out.time);
            j->first = bottom;
            j->count = j->base - bottom;
        }
        j->out = (out_buf){0};
        if (!j->failed) {
            /* indices in the reservation; made relative to the first record
             * when the jobs are joined */
            for (size_t ci = j->lo; ci < j->hi; ci++) j->r->st_off[ci] = offs[ci - j->lo];
        }
    }
    free(offs);
    free(term_base);
    free(j->s.lim_sum);
    free(j->s.count);
    free(j->s.wcount);
    free(j->s.wtail);
    j->s = (scratch){0};
    *(job *)arg = mine;
    return NULL;
}

/* ---------------------------- Driver ---------------------------- */

/* Where the staircases go: one reservation of address space for all of
 * them, sized by an exact bound (BOUND records: a lead has at most one per
 * candidate time), so no record is copied to grow or to join the threads'
 * parts. The jobs work in pairs toward a shared boundary: the first of a
 * pair downward from it (its leads last to first), the second upward; each
 * pair's records are then contiguous, and only later pairs are moved down
 * (never with one or two threads). Pages never written are never made.
 * Returns 0, or -1 when the address space cannot be had. */
static int stairs_reserve(replay *r, job *jobs, int njobs, size_t bound) {
    size_t len = (bound + 1) * sizeof *r->st_val;
    void *v = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (v == MAP_FAILED) return -1;
    void *t = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t == MAP_FAILED) {
        munmap(v, len);
        return -1;
    }
    r->st_map_val = v;
    r->st_map_time = t;
    r->st_map_len = len;
    size_t w = 0;
    for (int k = 0; k < njobs; k++) {
        job *j = &jobs[k];
        j->rv = r->st_map_val;
        j->rt = r->st_map_time;
        int paired = k % 2 == 0 && k + 1 < njobs;
        j->backward = paired;
        j->base = paired ? w + j->bound : w;
        w += j->bound;
    }
    return 0;
}

/* One thread's slice [lo, hi) of the cohort: its columns and cutoffs. */
typedef struct cohort_part {
    const dataset *ds;
    replay *r;
    const double *fit;
    int64_t *cutoff;
    int64_t until;
    size_t lo, hi;
    long nwon;
    util_fsum won_amount;
} cohort_part;

static void *cohort_copy(void *arg) {
    cohort_part *c = arg;
    const dataset *ds = c->ds;
    replay *r = c->r;
    util_fsum_init(&c->won_amount);
    for (size_t ci = c->lo; ci < c->hi; ci++) {
        size_t i = r->lead[ci];
        r->created[ci] = ds->created[i];
        r->won[ci] = ds->status[i] == DATASET_WON;
        r->amount[ci] = ds->amount[i];
        r->fit[ci] = c->fit[i];
        if (ds->snapshot) c->cutoff[ci] = INT64_MAX;
        else if (ds->status[i] != DATASET_OPEN && ds->closed[i] != TSTAMP_NONE)
            c->cutoff[ci] = ds->closed[i];
        else c->cutoff[ci] = c->until;
        if (r->won[ci]) {
            c->nwon++;
            if (!isnan(r->amount[ci])) util_fsum_add(&c->won_amount, r->amount[ci]);
        }
    }
    return NULL;
}

int replay_run(const dataset *ds, const scenario *sc, int nthreads, replay **out,
               util_err *err) {
    replay *r = util_calloc(1, sizeof *r);
    plan p;
    double *fit = NULL;
    int64_t *cutoff = NULL;
    job *jobs = NULL;
    int njobs = 0;
    if (!r) return util_enomem(err);
    memset(&p, 0, sizeof p);
    if (plan_build(&p, ds, sc, r, err) < 0) goto fail;
    r->two_axis = p.two_axis;
    r->timed = !ds->snapshot;
    if (!(fit = util_malloc(ds->nleads * sizeof *fit + 1))) goto nomem;
    if (fit_points(ds, sc, r, fit, err) < 0) goto fail;

    /* The cohort (SPEC 5.1). A snapshot has no time: every lead is in it and
     * nothing is cut off. */
    int64_t until = sc->has_until ? sc->until : ds->max_time;
    if (until == TSTAMP_NONE) until = 0;
    r->until = until;
    int64_t mature_by = INT64_MAX;
    if (sc->has_maturity)
        mature_by = until - llround(sc->maturity_days * (double)TSTAMP_USEC_PER_DAY);
    if (ds->snapshot && (sc->has_from || sc->has_to || sc->has_until || sc->has_maturity))
        add_note(r, "%s", "the dataset has no timestamps: [evaluation] from, to, until and "
                          "maturity_days are ignored");
    size_t n = 0;
    if (!(r->lead = util_malloc(ds->nleads * sizeof *r->lead + 1))) goto nomem;
    for (size_t i = 0; i < ds->nleads; i++) {
        int64_t c = ds->created[i];
        if (!ds->snapshot) {
            if (sc->has_from && c < sc->from) continue;
            if (sc->has_to && c >= sc->to) continue;
            if (c > mature_by) continue;
        }
        r->lead[n++] = (uint32_t)i;
    }
    r->n = n;
    if (!(r->created = util_malloc(n * sizeof *r->created + 1)) ||
        !(r->won = util_malloc(n + 1)) || !(r->amount = util_malloc(n * sizeof *r->amount + 1)) ||
        !(r->fit = util_malloc(n * sizeof *r->fit + 1)) ||
        !(r->fast = util_malloc(n * sizeof *r->fast + 1)) ||
        !(r->st_off = util_calloc(n + 1, sizeof *r->st_off)) ||
        !(cutoff = util_malloc(n * sizeof *cutoff + 1)))
        goto nomem;
    r->has_amount = ds->has_amount;
    /* The cohort's columns, copied on the threads in slices; the won
     * amounts' sum is exact, so it does not depend on them. */
    int ncopy = nthreads < 1 ? 1 : nthreads > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : nthreads;
    if (n < 65536) ncopy = 1;
    cohort_part cp[UTIL_MAX_THREADS];
    for (int k = 0; k < ncopy; k++)
        cp[k] = (cohort_part){.ds = ds, .r = r, .fit = fit, .cutoff = cutoff, .until = until,
                              .lo = n * (size_t)k / (size_t)ncopy,
                              .hi = n * (size_t)(k + 1) / (size_t)ncopy};
    util_parallel(cohort_copy, cp, sizeof *cp, ncopy);
    util_fsum won_amount;
    util_fsum_init(&won_amount);
    for (int k = 0; k < ncopy; k++) {
        r->nwon += cp[k].nwon;
        util_fsum_merge(&won_amount, &cp[k].won_amount);
    }
    r->won_amount = util_fsum_value(&won_amount);

    /* Contiguous slices, one per thread; merged in order, so the result is
     * the same whatever the number of threads. */
    if (nthreads < 1) nthreads = 1;
    if ((size_t)nthreads > n / 1024 + 1) nthreads = (int)(n / 1024 + 1);
    if (!(jobs = util_calloc((size_t)nthreads, sizeof *jobs))) goto nomem;
    njobs = nthreads;
    /* Slices of about equal events, not equal leads: leads created early
     * have the longest histories. */
    size_t all_events = 0, next = 0, acc = 0;
    for (size_t i = 0; i < n; i++) all_events += ds->ev_off[r->lead[i] + 1] - ds->ev_off[r->lead[i]] + 1;
    for (int k = 0; k < njobs; k++) {
        jobs[k].p = &p;
        jobs[k].r = r;
        jobs[k].cutoff = cutoff;
        jobs[k].tmin = INT64_MAX;
        jobs[k].tmax = INT64_MIN;
        jobs[k].lo = next;
        size_t goal = all_events / (size_t)njobs * (size_t)(k + 1), before = acc;
        if (k == njobs - 1) goal = SIZE_MAX;
        for (; next < n && acc < goal; next++)
            acc += ds->ev_off[r->lead[next] + 1] - ds->ev_off[r->lead[next]] + 1;
        jobs[k].hi = next;
        /* a lead has at most one record per candidate time: created_at and
         * each of its events */
        jobs[k].bound = acc - before;
    }
    if (stairs_reserve(r, jobs, njobs, acc) < 0) goto nomem;
    util_parallel(run_job, jobs, sizeof *jobs, njobs);
    size_t total = 0;
    r->tmin = INT64_MAX;
    r->tmax = INT64_MIN;
    for (int k = 0; k < njobs; k++) {
        if (jobs[k].failed) goto nomem;
        total += jobs[k].count;
        r->counted_events += jobs[k].counted;
        if (jobs[k].tmin < r->tmin) r->tmin = jobs[k].tmin;
        if (jobs[k].tmax > r->tmax) r->tmax = jobs[k].tmax;
    }
    r->nst = total;
    r->threads = nthreads;
    /* Join the pairs: each pair's records are contiguous already, so only
     * pairs after the first move (with more than two threads). */
    size_t start = jobs[0].first, at = start;
    for (int k = 0; k < njobs; k++) {
        job *j = &jobs[k];
        if (j->first != at && j->count) {
            memmove(r->st_map_val + at, r->st_map_val + j->first, j->count * sizeof *r->st_val);
            memmove(r->st_map_time + at, r->st_map_time + j->first, j->count * sizeof *r->st_time);
        }
        size_t shift = j->first - at + start;
        for (size_t ci = j->lo; ci < j->hi; ci++) r->st_off[ci] -= shift;
        at += j->count;
    }
    r->st_val = r->st_map_val + start;
    r->st_time = r->st_map_time + start;
    r->st_off[n] = total;
    free(jobs);
    free(cutoff);
    free(fit);
    plan_fini(&p);
    *out = r;
    return 0;
nomem:
    util_enomem(err);
fail:
    free(jobs);
    free(cutoff);
    free(fit);
    plan_fini(&p);
    replay_free(r);
    return -1;
}

void replay_free(replay *r) {
    if (!r) return;
    /* the staircases are most of it: their pages go on the run's threads */
    util_release(r->st_val, r->nst * sizeof *r->st_val, r->threads);
    util_release(r->st_time, r->nst * sizeof *r->st_time, r->threads);
    if (r->st_map_len) { /* the reservation (see stairs_reserve) */
        munmap(r->st_map_val, r->st_map_len);
        munmap(r->st_map_time, r->st_map_len);
        r->st_val = NULL;
        r->st_time = NULL;
    }
    free(r->lead);
    free(r->created);
    free(r->won);
    free(r->amount);
    free(r->fit);
    free(r->fast);
    free(r->st_off);
    free(r->st_val);
    free(r->st_time);
    free(r);
}

int64_t replay_mql_time(const replay *r, size_t i, double T, double F) {
    int64_t best = r->fast[i];
    if (!r->two_axis || r->fit[i] >= F) {
        for (size_t k = r->st_off[i]; k < r->st_off[i + 1]; k++) {
            if (r->st_val[k] >= T) {
                int64_t t = r->st_time[k];
                if (best == TSTAMP_NONE || t < best) best = t;
                break;
            }
        }
    }
    return best;
}
