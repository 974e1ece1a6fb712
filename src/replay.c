/* replay.c - one pass per lead: fit, fast-track/rule time and the score staircase.
 *
 * The scenario is first compiled against the dataset (compiled.c), so the
 * per-event loop works on small integer-indexed arrays only, and the cohort
 * and each lead's cutoff and counted events come from cohort.h (SPEC 5.1).
 * Without decay, event types that do nothing in the scenario are skipped:
 * they can neither raise the score nor fire a rule. With decay they still
 * mark candidate times (see replay_lead).
 *
 * Numerics (decimal.h): without decay, scores are sums of whole units of
 * 10^-k, and each record is the nearest double to its decimal, so that it
 * compares with a threshold as the decimals do. With decay, decayed sums are
 * carried forward (U(t2) = U(t1) d(t2-t1) + new points), which equals the
 * direct sum of SPEC 5.2 up to rounding, and each score is rounded to the
 * nearest 10^-9 (decimal_snap) before it is compared; d is
 * computed as exp2(-x / half_life), a quarter of pow(0.5, ...)'s cost and
 * as accurate (both within an ulp of 0.5^x; they differ in the last bit for
 * about one input in a thousand, well inside that same rounding). */
#include "replay.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cohort.h"
#include "compiled.h"
#include "tstamp.h"

/* ---------------------------- The per-lead loop ---------------------------- */

typedef struct out_buf {
    double *val;
    int64_t *time;
    size_t n, cap;
    int fixed;         /* points into the staircases' reservation: never grows */
} out_buf;

typedef struct scratch {
    double *lim_sum;   /* decayed sum of each limited type */
    int64_t *lim_units; /* the same in units (exact scores) */
    long *count;       /* per slot: counted events so far (rules without a window) */
    long *wcount;      /* per rule term: events inside its window */
    size_t *wtail;     /* per rule term: first event that may still be inside */
    size_t nterm_total;
} scratch;

typedef struct job {
    const compiled *p;
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

/* Room for one more record: the slow path of push_record. Returns -1 on memory. */
static int grow_records(out_buf *o) {
    if (o->fixed) return -1; /* beyond the bound: cannot happen */
    size_t cap = o->cap ? o->cap * 2 : 1024;
    double *nv = util_reallocarray(o->val, cap, sizeof *nv);
    if (!nv) return -1;
    o->val = nv;
    int64_t *nt = util_reallocarray(o->time, cap, sizeof *nt);
    if (!nt) return -1;
    o->time = nt;
    o->cap = cap;
    return 0;
}

static inline __attribute__((always_inline)) int push_record(out_buf *o, double v, int64_t t) {
    if (o->n + 1 > o->cap && grow_records(o) < 0) return -1;
    o->val[o->n] = v;
    o->time[o->n] = t;
    o->n++;
    return 0;
}

static inline __attribute__((always_inline)) int rule_fires(const compiled *p, const scratch *s, size_t first_term_index[]) {
    for (size_t ri = 0; ri < p->nrules; ri++) {
        const compiled_rule *rr = &p->rules[ri];
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

/* Windows (t - D, t]: drop from each windowed term's count the events at
 * or before t - D, among those before event index E. */
static inline __attribute__((always_inline)) void windows_slide(const compiled *p, scratch *s, const size_t *term_base,
                                 int64_t t, size_t e) {
    const dataset *ds = p->ds;
    for (size_t ri = 0; ri < p->nrules; ri++) {
        const compiled_rule *rr = &p->rules[ri];
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
}

/* A new record: the score V first reached at T. Returns -1 on memory. */
static inline __attribute__((always_inline)) int record(job *j, double v, int64_t t) {
    if (push_record(&j->out, v, t) < 0) return -1;
    if (t < j->tmin) j->tmin = t;
    if (t > j->tmax) j->tmax = t;
    return 0;
}

/* Replay cohort lead ci: records go to j->out; returns -1 on memory.
 * EXACT (a constant at each call, so each loop has no test of it): the
 * scores are sums of units of 10^-k and each record the nearest double of
 * its decimal; otherwise they are doubles, rounded by decimal_snap before
 * they are compared (decimal.h). */
static inline __attribute__((always_inline)) int lead_loop(job *j, size_t ci, size_t *term_base,
                                                           const int exact) {
    const compiled *p = j->p;
    const dataset *ds = p->ds;
    replay *r = j->r;
    scratch *s = &j->s;
    int64_t created = r->created[ci], cutoff = j->cutoff[ci];
    const int decay = !exact && p->decay;
    r->fast[ci] = TSTAMP_NONE;
    if (!(created < cutoff)) return 0; /* no candidate time inside the window */

    double base = p->two_axis ? 0 : r->fit[ci];
    int64_t ubase = exact && !p->two_axis ? p->ufit[r->lead[ci]] : 0;
    for (size_t k = 0; k < p->nlimited; k++) {
        if (exact) s->lim_units[k] = 0;
        else s->lim_sum[k] = 0;
    }
    for (size_t k = 0; k < p->nslots; k++) s->count[k] = 0;
    /* the counted events: [a, b) */
    cohort_span span = cohort_events(ds, r->lead[ci], created, cutoff);
    size_t a = span.first, b = span.end;
    for (size_t k = 0; k < s->nterm_total; k++) s->wcount[k] = 0, s->wtail[k] = a;

    double lin = 0;          /* decayed sum of the types without a limit */
    int64_t ulin = 0;        /* the same in units (exact) */
    int64_t tprev = created;
    double best = -INFINITY;
    int64_t ubest = INT64_MIN; /* the best in units: of 10^-k (exact), of 1e-9 (not) */
    double ubest_d = -INFINITY; /* not exact: ubest as a double, +-INFINITY beyond 2^53 */
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
            if (!decay)
                while (e < b && p->slot_of[ds->ev_type[e]] < 0) e++;
            if (e >= b) break;
            t = ds->ev_time[e];
        }
        first = 0;
        if (decay && t != tprev) {
            double f = exp2(-((double)(t - tprev) / p->half_life_us));
            lin *= f;
            for (size_t k = 0; k < p->nlimited; k++) s->lim_sum[k] *= f;
        }
        tprev = t;
        int fast = 0;
        for (; e < b && ds->ev_time[e] == t; e++) {
            int si = p->slot_of[ds->ev_type[e]];
            if (si < 0) continue;
            const compiled_slot *sl = &p->slots[si];
            if (exact) {
                if (sl->limited >= 0) s->lim_units[sl->limited] += sl->units;
                else ulin += sl->units;
            } else {
                if (sl->limited >= 0) s->lim_sum[sl->limited] += sl->points;
                else lin += sl->points;
            }
            fast |= sl->fast;
            s->count[si]++;
            if (sl->nterms) {
                for (size_t ri = 0; ri < p->nrules; ri++) {
                    const compiled_rule *rr = &p->rules[ri];
                    if (!rr->windowed) continue;
                    for (size_t k = 0; k < rr->nterms; k++)
                        if (rr->terms[k].type == ds->ev_type[e]) s->wcount[term_base[ri] + k]++;
                }
            }
        }
        windows_slide(p, s, term_base, t, e);
        if (exact) {
            int64_t v = ubase + ulin;
            for (size_t k = 0; k < p->nlimited; k++) {
                int64_t u = s->lim_units[k], L = p->ulimit[k];
                v += u > L ? L : u < -L ? -L : u;
            }
            if (v > ubest) {
                ubest = v;
                if (record(j, decimal_value(v, p->units.k), t) < 0) return -1;
            }
        } else {
            double beh = lin;
            for (size_t k = 0; k < p->nlimited; k++) {
                double u = s->lim_sum[k], L = p->limit[k];
                beh += u > L ? L : u < -L ? -L : u;
            }
            /* decimal_snap(base + beh), compared in units of 1e-9 so that the
             * division that makes the record's double is off the loop's path;
             * a candidate a unit or more below the best is not rounded at all */
            double v = base + beh, x = v * 1e9;
            if (fabs(x) < DECIMAL_SNAP_LIMIT) {
                if (x > ubest_d - 1.0) {
                    int64_t u = llrint(x);
                    if (u > ubest) {
                        ubest = u;
                        ubest_d = (double)u;
                        best = ubest_d / 1e9;
                        if (record(j, best, t) < 0) return -1;
                    }
                }
            } else if (v > best) { /* beyond 2^53 units: doubles as they are */
                best = v;
                ubest = v > 0 ? INT64_MAX : INT64_MIN;
                ubest_d = v > 0 ? INFINITY : -INFINITY;
                if (record(j, best, t) < 0) return -1;
            }
        }
        if (fast || (p->nrules && rule_fires(p, s, term_base))) {
            r->fast[ci] = t;
            if (t < j->tmin) j->tmin = t;
            if (t > j->tmax) j->tmax = t;
            break; /* nothing later can make the lead qualify earlier */
        }
    }
    j->counted += (long)(b - a);
    return 0;
}

static int replay_lead(job *j, size_t ci, size_t *term_base) {
    return j->p->units.exact ? lead_loop(j, ci, term_base, 1) : lead_loop(j, ci, term_base, 0);
}

static void *run_job(void *arg) {
    /* The thread works on its own copy of its job: the jobs are side by side
     * in one array, and counters updated at every lead would otherwise share
     * cache lines with the next job's fields. */
    job mine = *(job *)arg, *j = &mine;
    const compiled *p = j->p;
    size_t nt = 0;
    for (size_t ri = 0; ri < p->nrules; ri++) nt += p->rules[ri].nterms;
    size_t *term_base = util_calloc(p->nrules + 1, sizeof *term_base);
    j->s.nterm_total = nt;
    j->s.lim_sum = util_calloc(p->nlimited + 1, sizeof *j->s.lim_sum);
    j->s.lim_units = util_calloc(p->nlimited + 1, sizeof *j->s.lim_units);
    j->s.count = util_calloc(p->nslots + 1, sizeof *j->s.count);
    j->s.wcount = util_calloc(nt + 1, sizeof *j->s.wcount);
    j->s.wtail = util_calloc(nt + 1, sizeof *j->s.wtail);
    size_t *offs = util_malloc((j->hi - j->lo + 1) * sizeof *offs);
    if (!term_base || !j->s.lim_sum || !j->s.lim_units || !j->s.count || !j->s.wcount || !j->s.wtail || !offs) {
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
    free(j->s.lim_units);
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

/* ---------------------------- The cohort's columns ---------------------------- */

/* One thread's slice [lo, hi) of the cohort: its columns and cutoffs. */
typedef struct columns_part {
    const cohort *co;
    replay *r;
    const double *fit;
    int64_t *cutoff;
    size_t lo, hi;
    long nwon;
    util_fsum won_amount;
} columns_part;

static void *columns_copy(void *arg) {
    columns_part *c = arg;
    const dataset *ds = c->co->ds;
    replay *r = c->r;
    util_fsum_init(&c->won_amount);
    for (size_t ci = c->lo; ci < c->hi; ci++) {
        size_t i = r->lead[ci];
        r->created[ci] = ds->created[i];
        r->won[ci] = cohort_outcome(c->co, i, &c->cutoff[ci]) == DATASET_WON;
        r->amount[ci] = ds->amount[i];
        r->fit[ci] = c->fit[i];
        if (r->won[ci]) {
            c->nwon++;
            if (!isnan(r->amount[ci])) util_fsum_add(&c->won_amount, r->amount[ci]);
        }
    }
    return NULL;
}

/* The cohort (SPEC 5.1) and its columns: r->lead, created, won, amount, fit
 * (from FIT, per dataset lead), the totals, and each lead's cutoff into a
 * new *CUTOFF. Returns 0, or -1 on memory. */
static int cohort_columns(replay *r, const cohort *co, const double *fit, int nthreads,
                          int64_t **cutoff) {
    const dataset *ds = co->ds;
    if (!(r->lead = util_malloc(ds->nleads * sizeof *r->lead + 1))) return -1;
    size_t n = r->n = cohort_select(co, r->lead);
    if (!(r->created = util_malloc(n * sizeof *r->created + 1)) ||
        !(r->won = util_malloc(n + 1)) || !(r->amount = util_malloc(n * sizeof *r->amount + 1)) ||
        !(r->fit = util_malloc(n * sizeof *r->fit + 1)) ||
        !(r->fast = util_malloc(n * sizeof *r->fast + 1)) ||
        !(r->st_off = util_calloc(n + 1, sizeof *r->st_off)) ||
        !(*cutoff = util_malloc(n * sizeof **cutoff + 1)))
        return -1;
    r->has_amount = ds->has_amount;
    /* Copied on the threads in slices; the won amounts' sum is exact, so it
     * does not depend on them. */
    int ncopy = nthreads < 1 ? 1 : nthreads > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : nthreads;
    if (n < 65536) ncopy = 1;
    columns_part cp[UTIL_MAX_THREADS];
    for (int k = 0; k < ncopy; k++)
        cp[k] = (columns_part){.co = co, .r = r, .fit = fit, .cutoff = *cutoff,
                               .lo = n * (size_t)k / (size_t)ncopy,
                               .hi = n * (size_t)(k + 1) / (size_t)ncopy};
    util_parallel(columns_copy, cp, sizeof *cp, ncopy);
    util_fsum won_amount;
    util_fsum_init(&won_amount);
    for (int k = 0; k < ncopy; k++) {
        r->nwon += cp[k].nwon;
        util_fsum_merge(&won_amount, &cp[k].won_amount);
    }
    r->won_amount = util_fsum_value(&won_amount);
    return 0;
}

/* ---------------------------- Driver ---------------------------- */

/* Contiguous slices of the cohort, one per job, of about equal events, not
 * equal leads: leads created early have the longest histories. Each job's
 * bound is the most records its leads can have (one per candidate time:
 * created_at and each event); returns the sum of the bounds. */
static size_t slice_jobs(replay *r, const dataset *ds, const compiled *p, int64_t *cutoff,
                         job *jobs, int njobs) {
    size_t n = r->n, all_events = 0, next = 0, acc = 0;
    for (size_t i = 0; i < n; i++) all_events += ds->ev_off[r->lead[i] + 1] - ds->ev_off[r->lead[i]] + 1;
    for (int k = 0; k < njobs; k++) {
        jobs[k].p = p;
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
        jobs[k].bound = acc - before;
    }
    return acc;
}

/* The jobs' results into r: totals, then the staircases joined. Returns 0,
 * or -1 when a job ran out of memory. */
static int join_jobs(replay *r, job *jobs, int njobs) {
    size_t total = 0;
    r->tmin = INT64_MAX;
    r->tmax = INT64_MIN;
    for (int k = 0; k < njobs; k++) {
        if (jobs[k].failed) return -1;
        total += jobs[k].count;
        r->counted_events += jobs[k].counted;
        if (jobs[k].tmin < r->tmin) r->tmin = jobs[k].tmin;
        if (jobs[k].tmax > r->tmax) r->tmax = jobs[k].tmax;
    }
    r->nst = total;
    /* Each pair's records are contiguous already, so only pairs after the
     * first move (with more than two threads). */
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
    r->st_off[r->n] = total;
    return 0;
}

static void add_note(replay *r, const char *text) {
    if (r->nnotes >= (int)(sizeof r->notes / sizeof r->notes[0])) return;
    snprintf(r->notes[r->nnotes++], sizeof r->notes[0], "%s", text);
}

int replay_run(const dataset *ds, const scenario *sc, int nthreads, replay **out,
               util_err *err) {
    replay *r = util_calloc(1, sizeof *r);
    compiled p;
    cohort co;
    int64_t *cutoff = NULL;
    job *jobs = NULL;
    if (!r) return util_enomem(err);
    if (compiled_init(&p, ds, sc, err) < 0) goto fail;
    for (int i = 0; i < p.nnotes; i++) add_note(r, p.notes[i]);
    r->two_axis = p.two_axis;
    r->timed = !ds->snapshot;
    r->units = p.units;

    cohort_init(&co, ds, sc);
    r->until = co.until;
    if (co.window_ignored)
        add_note(r, "the dataset has no timestamps: [evaluation] from, to, until and "
                    "maturity_days are ignored");
    if (cohort_columns(r, &co, p.fit, nthreads, &cutoff) < 0) goto nomem;

    /* Contiguous slices, one per thread; merged in order, so the result is
     * the same whatever the number of threads. */
    if (nthreads < 1) nthreads = 1;
    if ((size_t)nthreads > r->n / 1024 + 1) nthreads = (int)(r->n / 1024 + 1);
    if (!(jobs = util_calloc((size_t)nthreads, sizeof *jobs))) goto nomem;
    size_t bound = slice_jobs(r, ds, &p, cutoff, jobs, nthreads);
    if (stairs_reserve(r, jobs, nthreads, bound) < 0) goto nomem;
    util_parallel(run_job, jobs, sizeof *jobs, nthreads);
    if (join_jobs(r, jobs, nthreads) < 0) goto nomem;
    r->threads = nthreads;
    free(jobs);
    free(cutoff);
    compiled_fini(&p);
    *out = r;
    return 0;
nomem:
    util_enomem(err);
fail:
    free(jobs);
    free(cutoff);
    compiled_fini(&p);
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
