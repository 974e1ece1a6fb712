/* recycle.c - the hand-offs of one threshold, hand-backs and new cycles included (SPEC 5.6, 5.11).
 *
 * A first hand-off is the replay's MQL time. A later cycle is replayed here,
 * lead by lead, from its hand-back h: the same sums as replay.c's per-lead
 * loop (units of 10^-k without decay, decayed doubles rounded by
 * decimal_snap with it), over the counted events with timestamp >= h only,
 * every such event's timestamp a candidate (after a hand-back even an event
 * that scores 0 can find the lead qualified, SPEC 5.11). The rule windows
 * are kept the way replay.c keeps them (a tail per windowed term).
 *
 * Cycles end: each new hand-off is at or after its hand-back, which is
 * R > 0 days after the hand-off before, and the cutoff is finite. */
#include "recycle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "compiled.h"
#include "decimal.h"
#include "radix.h"
#include "tstamp.h"

struct recycle {
    const replay *r;
    const dataset *ds;
    compiled p;
    int on;            /* recycle_after_days is set (and the data has time) */
    int64_t after_us;  /* R days in microseconds */
    int64_t *cutoff;   /* per cohort lead */
    size_t *term_base; /* per rule: index of its first term in the windowed counts */
    size_t nterms;
};

/* What one cycle's replay keeps: per limited type, per slot, per rule term. */
typedef struct cycle_scratch {
    double *lim_sum;
    int64_t *lim_units;
    long *count;
    long *wcount;
    size_t *wtail;
} cycle_scratch;

/* ---------------------------- The engine ---------------------------- */

void recycle_free(recycle *rc) {
    if (!rc) return;
    compiled_fini(&rc->p);
    free(rc->cutoff);
    free(rc->term_base);
    free(rc);
}

int recycle_alloc(const dataset *ds, const scenario *sc, const replay *r, recycle **out,
                  util_err *err) {
    recycle *rc = util_calloc(1, sizeof *rc);
    if (!rc) return util_enomem(err);
    rc->r = r;
    rc->ds = ds;
    if (compiled_init(&rc->p, ds, sc, err) < 0) {
        recycle_free(rc);
        return -1;
    }
    rc->on = sc->has_sales && sc->has_recycle && r->timed;
    rc->after_us = (int64_t)llround(sc->recycle_after_days * (double)TSTAMP_USEC_PER_DAY);
    if (rc->after_us < 1) rc->after_us = 1;
    cohort co;
    cohort_init(&co, ds, sc);
    if (!(rc->cutoff = util_malloc(r->n * sizeof *rc->cutoff + 1)) ||
        !(rc->term_base = util_calloc(rc->p.nrules + 1, sizeof *rc->term_base))) {
        recycle_free(rc);
        return util_enomem(err);
    }
    for (size_t i = 0; i < r->n; i++) cohort_outcome(&co, r->lead[i], &rc->cutoff[i]);
    for (size_t ri = 0; ri < rc->p.nrules; ri++) {
        rc->term_base[ri] = rc->nterms;
        rc->nterms += rc->p.rules[ri].nterms;
    }
    *out = rc;
    return 0;
}

static int scratch_init(const recycle *rc, cycle_scratch *s) {
    const compiled *p = &rc->p;
    s->lim_sum = util_calloc(p->nlimited + 1, sizeof *s->lim_sum);
    s->lim_units = util_calloc(p->nlimited + 1, sizeof *s->lim_units);
    s->count = util_calloc(p->nslots + 1, sizeof *s->count);
    s->wcount = util_calloc(rc->nterms + 1, sizeof *s->wcount);
    s->wtail = util_calloc(rc->nterms + 1, sizeof *s->wtail);
    return s->lim_sum && s->lim_units && s->count && s->wcount && s->wtail ? 0 : -1;
}

static void scratch_fini(cycle_scratch *s) {
    free(s->lim_sum);
    free(s->lim_units);
    free(s->count);
    free(s->wcount);
    free(s->wtail);
}

/* ---------------------------- One cycle ---------------------------- */

static int rule_fires(const recycle *rc, const cycle_scratch *s) {
    const compiled *p = &rc->p;
    for (size_t ri = 0; ri < p->nrules; ri++) {
        const compiled_rule *rr = &p->rules[ri];
        int all = 1;
        for (size_t k = 0; k < rr->nterms && all; k++) {
            long have = rr->windowed ? s->wcount[rc->term_base[ri] + k]
                                     : s->count[p->slot_of[rr->terms[k].type]];
            if (have < rr->terms[k].n) all = 0;
        }
        if (all) return 1;
    }
    return 0;
}

/* Windows (t - D, t]: drop the events at or before t - D among those
 * before index e (only the cycle's: each tail starts at its first). */
static void windows_slide(const recycle *rc, cycle_scratch *s, int64_t t, size_t e) {
    const compiled *p = &rc->p;
    const dataset *ds = p->ds;
    for (size_t ri = 0; ri < p->nrules; ri++) {
        const compiled_rule *rr = &p->rules[ri];
        if (!rr->windowed) continue;
        int64_t edge = t - rr->window;
        for (size_t k = 0; k < rr->nterms; k++) {
            size_t ti = rc->term_base[ri] + k, q = s->wtail[ti];
            while (q < e && ds->ev_time[q] <= edge) {
                if (ds->ev_type[q] == rr->terms[k].type) s->wcount[ti]--;
                q++;
            }
            s->wtail[ti] = q;
        }
    }
}

/* The score (or behaviour) at the current candidate as the replay rounds
 * it: the decimal's nearest double, or decimal_snap. */
static double cycle_value(const recycle *rc, const cycle_scratch *s, int64_t ubase,
                          int64_t ulin, double base, double lin) {
    const compiled *p = &rc->p;
    if (p->units.exact) {
        int64_t v = ubase + ulin;
        for (size_t k = 0; k < p->nlimited; k++) {
            int64_t u = s->lim_units[k], L = p->ulimit[k];
            v += u > L ? L : u < -L ? -L : u;
        }
        return decimal_value(v, p->units.k);
    }
    double beh = lin;
    for (size_t k = 0; k < p->nlimited; k++) {
        double u = s->lim_sum[k], L = p->limit[k];
        beh += u > L ? L : u < -L ? -L : u;
    }
    double v = base + beh, x = v * 1e9;
    return fabs(x) < DECIMAL_SNAP_LIMIT ? (double)llrint(x) / 1e9 : v;
}

static int64_t cycle_run(const recycle *rc, cycle_scratch *s, size_t ci, int64_t h, double T,
                         double F) {
    const compiled *p = &rc->p;
    const dataset *ds = p->ds;
    const replay *r = rc->r;
    size_t li = r->lead[ci];
    int64_t cutoff = rc->cutoff[ci];
    if (!(h < cutoff)) return TSTAMP_NONE;
    cohort_span sp = cohort_events(ds, li, h < r->created[ci] ? r->created[ci] : h, cutoff);
    size_t a = sp.first, b = sp.end;
    if (a >= b) return TSTAMP_NONE;
    const int exact = p->units.exact, decay = !exact && p->decay;
    int score_ok = !p->two_axis || r->fit[ci] >= F;
    double base = p->two_axis ? 0 : r->fit[ci], lin = 0;
    int64_t ubase = exact && !p->two_axis ? p->ufit[li] : 0, ulin = 0;
    for (size_t k = 0; k < p->nlimited; k++) s->lim_sum[k] = 0, s->lim_units[k] = 0;
    for (size_t k = 0; k < p->nslots; k++) s->count[k] = 0;
    for (size_t k = 0; k < rc->nterms; k++) s->wcount[k] = 0, s->wtail[k] = a;
    int64_t tprev = ds->ev_time[a];
    for (size_t e = a; e < b;) {
        int64_t t = ds->ev_time[e];
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
            if (sl->nterms)
                for (size_t ri = 0; ri < p->nrules; ri++) {
                    const compiled_rule *rr = &p->rules[ri];
                    if (!rr->windowed) continue;
                    for (size_t k = 0; k < rr->nterms; k++)
                        if (rr->terms[k].type == ds->ev_type[e]) s->wcount[rc->term_base[ri] + k]++;
                }
        }
        windows_slide(rc, s, t, e);
        if (fast || (p->nrules && rule_fires(rc, s))) return t;
        if (score_ok && cycle_value(rc, s, ubase, ulin, base, lin) >= T) return t;
    }
    return TSTAMP_NONE;
}

int64_t recycle_cycle_mql(const recycle *rc, size_t ci, int64_t h, double T, double F) {
    cycle_scratch s;
    int64_t t = TSTAMP_NONE;
    if (scratch_init(rc, &s) == 0) t = cycle_run(rc, &s, ci, h, T, F);
    scratch_fini(&s);
    return t;
}

/* ---------------------------- All hand-offs ---------------------------- */

void recycle_out_fini(recycle_out *o) {
    if (!o) return;
    free(o->t);
    o->t = NULL;
    o->n = 0;
}

/* Room for one more instant in o (capacity *cap). */
static int push(recycle_out *o, size_t *cap, int64_t t) {
    if (o->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 1024;
        int64_t *nt = util_reallocarray(o->t, nc, sizeof *nt);
        if (!nt) return -1;
        o->t = nt;
        *cap = nc;
    }
    o->t[o->n++] = t;
    return 0;
}

/* Ascending instants: a stable radix sort of their order-keeping keys. */
static int sort_times(int64_t *t, size_t n) {
    if (n < 2) return 0;
    uint64_t *k = util_malloc(n * sizeof *k), *k2 = util_malloc(n * sizeof *k2);
    uint32_t *ix = util_malloc(n * sizeof *ix), *i2 = util_malloc(n * sizeof *i2);
    int ok = k && k2 && ix && i2 && n <= UINT32_MAX;
    if (ok) {
        for (size_t i = 0; i < n; i++) k[i] = (uint64_t)t[i] ^ (UINT64_C(1) << 63), ix[i] = 0;
        radix_sort_idx(k, ix, k2, i2, n);
        for (size_t i = 0; i < n; i++) t[i] = (int64_t)(k[i] ^ (UINT64_C(1) << 63));
    }
    free(k);
    free(k2);
    free(ix);
    free(i2);
    return ok ? 0 : -1;
}

int recycle_cursor_init(recycle_cursor *c, const recycle *rc) {
    c->k = util_malloc((rc->r->n + 1) * sizeof *c->k);
    c->valid = 0;
    c->last_T = 0;
    return c->k ? 0 : -1;
}

void recycle_cursor_fini(recycle_cursor *c) {
    free(c->k);
    c->k = NULL;
    c->valid = 0;
}

/* replay_mql_time through the cursor: the first record >= T is at or after
 * the first record >= any lower threshold. */
static inline int64_t mql_at(const replay *r, size_t i, double T, double F, size_t *k) {
    int64_t best = r->fast[i];
    size_t j = k[i], e = r->st_off[i + 1];
    while (j < e && !(r->st_val[j] >= T)) j++;
    k[i] = j;
    if (j < e && (!r->two_axis || r->fit[i] >= F)) {
        int64_t t = r->st_time[j];
        if (best == TSTAMP_NONE || t < best) best = t;
    }
    return best;
}

int recycle_handoffs(const recycle *rc, double T, double F, recycle_out *out, util_err *err) {
    return recycle_handoffs_at(rc, T, F, NULL, out, err);
}

int recycle_handoffs_at(const recycle *rc, double T, double F, recycle_cursor *cur,
                        recycle_out *out, util_err *err) {
    memset(out, 0, sizeof *out);
    if (cur && (!cur->valid || T < cur->last_T)) {
        for (size_t i = 0; i < rc->r->n; i++) cur->k[i] = rc->r->st_off[i];
        cur->valid = 1;
    }
    if (cur) cur->last_T = T;
    const replay *r = rc->r;
    const dataset *ds = rc->ds;
    size_t cap = 0;
    cycle_scratch s;
    memset(&s, 0, sizeof s);
    if (rc->on && scratch_init(rc, &s) < 0) goto nomem;
    for (size_t ci = 0; ci < r->n; ci++) {
        int64_t m = cur ? mql_at(r, ci, T, F, cur->k) : replay_mql_time(r, ci, T, F);
        if (m == TSTAMP_NONE) continue;
        if (push(out, &cap, m) < 0) goto nomem;
        if (!rc->on) continue;
        long cycles = 1;
        int64_t closed = ds->closed[r->lead[ci]];
        for (;;) {
            if (m > INT64_MAX - rc->after_us) break;
            int64_t h = m + rc->after_us;
            if (r->won[ci] && closed != TSTAMP_NONE && closed <= h) break; /* won by h */
            if (!(rc->cutoff[ci] > h)) break;
            out->recycled++;
            m = cycle_run(rc, &s, ci, h, T, F);
            if (m == TSTAMP_NONE) break;
            if (push(out, &cap, m) < 0) goto nomem;
            cycles++;
        }
        if (cycles > 1) {
            out->requalified++;
            if (r->won[ci]) out->won_after_recycle++;
        }
    }
    scratch_fini(&s);
    if (sort_times(out->t, out->n) < 0) {
        recycle_out_fini(out);
        return util_enomem(err);
    }
    return 0;
nomem:
    scratch_fini(&s);
    recycle_out_fini(out);
    return util_enomem(err);
}
