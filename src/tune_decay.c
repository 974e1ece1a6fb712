/* tune_decay.c - tune's decay method: each vector's best scores by the replay's arithmetic, a block of vectors per walk.
 *
 * A vector's row is what sweep_run recommends with its weights, and outside
 * the capacity objective that depends only on the best score of each lead
 * that neither fast track nor a rule qualifies (those are MQLs at every
 * threshold, and what qualifies them does not depend on the points). So
 * this method keeps the first replay's cohort, fit and fast-track times and
 * recomputes only the best scores. For a block of up to LANES vectors it
 * walks each such lead's counted events once: at each candidate time (its
 * created_at, then every event time) the decay factor is the replay's
 * exp2 expression, computed once for the block, and each vector's sums are
 * multiplied by it, its points added event by event in data order (limited
 * types in sums of their own), the clamped sums added in [limits] order and
 * the score rounded to 1e-9 exactly as replay.c's lead_loop does. The same
 * operations on the same doubles give the same bits: each best score, and
 * so each threshold, count and pick, is the replay's.
 *
 * A type with zero points in a vector has no slot in that vector's replay
 * (and so no limit): here it adds 0.0 to a sum, which leaves the sum's value
 * as it is. Then each vector's best scores are sorted into distinct levels
 * and picked as sweep_run picks (objective.h's rules), with the amounts of
 * the won leads summed exactly. Not for: two-axis mode or capacity (the
 * replay method). */
#include "tune_decay.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "decimal.h"
#include "radix.h"
#include "tstamp.h"

enum { LANES = 16 };

typedef struct dshared {
    const dataset *ds;
    const replay *r;
    const tune_grid *g;
    const objective_spec *obj;
    double half_life_us;
    size_t ncode;            /* scoring types: [behaviour] types of the data, non-zero somewhere */
    int32_t *code_of;        /* dataset type -> code, or -1 */
    size_t *beh_of;          /* code -> index in sc->behaviour */
    int *lim_of;             /* code -> index among the limited codes, or -1 */
    size_t nlim;
    double *L;               /* per limited code, its limit */
    size_t ne;               /* eligible leads: not fast, with a candidate time */
    uint32_t *eci;           /* their cohort indices */
    size_t *ea, *eb;         /* their counted events [ea, eb) */
    uint8_t *ewon;           /* their status is won */
    long won, fast_all, fast_won, elig_won;
    util_fsum amt_fast;
    tune_row *rows;
    size_t lanes;            /* vectors per block, at most LANES */
    size_t nblocks;
    long next;               /* next block (atomic) */
} dshared;

int tune_decay_applies(const dataset *ds, const scenario *sc, char *why, size_t nwhy) {
    if (!(sc->half_life_days > 0 && !ds->snapshot)) {
        snprintf(why, nwhy, "the scenario has no decay");
        return 0;
    }
    if (sc->fit_thresholds) {
        snprintf(why, nwhy, "the scenario is in two-axis mode (fit_threshold is set)");
        return 0;
    }
    if (sc->objective == SCENARIO_OBJ_CAPACITY) {
        snprintf(why, nwhy, "the capacity objective needs every threshold's weekly hand-offs");
        return 0;
    }
    return 1;
}

static void dshared_fini(dshared *d) {
    free(d->code_of);
    free(d->beh_of);
    free(d->lim_of);
    free(d->L);
    free(d->eci);
    free(d->ea);
    free(d->eb);
    free(d->ewon);
    free(d->rows);
}

/* The scoring types and their limits, as compiled.c makes the slots and
 * limited sums of a vector in which every one of them scores. */
static int codes(dshared *d) {
    const dataset *ds = d->ds;
    const scenario *sc = d->g->sc;
    size_t nt = ds->types.n;
    if (!(d->code_of = util_malloc((nt + 1) * sizeof *d->code_of)) ||
        !(d->beh_of = util_malloc((sc->nbehaviour + 1) * sizeof *d->beh_of)) ||
        !(d->lim_of = util_malloc((sc->nbehaviour + 1) * sizeof *d->lim_of)) ||
        !(d->L = util_malloc((sc->nlimits + 1) * sizeof *d->L)))
        return -1;
    for (size_t t = 0; t < nt; t++) d->code_of[t] = -1;
    for (size_t k = 0; k < sc->nbehaviour; k++) {
        const scenario_points *b = &sc->behaviour[k];
        long t = strtab_find(&ds->types, b->type, strlen(b->type));
        int nonzero = 0;
        for (size_t i = 0; i < b->nvals; i++) nonzero |= b->vals[i] != 0;
        if (t < 0 || !nonzero || d->code_of[t] >= 0) continue;
        d->code_of[t] = (int32_t)d->ncode;
        d->beh_of[d->ncode] = k;
        d->lim_of[d->ncode] = -1;
        d->ncode++;
    }
    for (size_t i = 0; i < sc->nlimits; i++) {
        const scenario_points *l = &sc->limits[i];
        long t = strtab_find(&ds->types, l->type, strlen(l->type));
        if (t < 0 || d->code_of[t] < 0 || d->lim_of[d->code_of[t]] >= 0) continue;
        d->L[d->nlim] = l->vals[0];
        d->lim_of[d->code_of[t]] = (int)d->nlim++;
    }
    return 0;
}

/* The leads whose best score matters, their events, and the fast leads'
 * counts and amounts (as tune_counts.c's eligible_leads). */
static int eligible(dshared *d) {
    const replay *r = d->r;
    size_t n = r->n;
    cohort co;
    cohort_init(&co, d->ds, d->g->sc);
    if (!(d->eci = util_malloc(n * sizeof *d->eci + 1)) ||
        !(d->ea = util_malloc(n * sizeof *d->ea + 1)) ||
        !(d->eb = util_malloc(n * sizeof *d->eb + 1)) || !(d->ewon = util_malloc(n + 1)))
        return -1;
    util_fsum_init(&d->amt_fast);
    for (size_t ci = 0; ci < n; ci++) {
        if (r->fast[ci] != TSTAMP_NONE) {
            d->fast_all++;
            if (r->won[ci]) {
                d->fast_won++;
                if (!isnan(r->amount[ci])) util_fsum_add(&d->amt_fast, r->amount[ci]);
            }
            continue;
        }
        if (r->st_off[ci] == r->st_off[ci + 1]) continue; /* no time to be scored */
        size_t li = r->lead[ci];
        int64_t cut;
        cohort_outcome(&co, li, &cut);
        cohort_span sp = cohort_events(d->ds, li, r->created[ci], cut);
        d->eci[d->ne] = (uint32_t)ci;
        d->ea[d->ne] = sp.first;
        d->eb[d->ne] = sp.end;
        d->ewon[d->ne] = r->won[ci];
        d->elig_won += r->won[ci];
        d->ne++;
    }
    return 0;
}

/* ---------------------------- Per block ---------------------------- */

typedef struct dworker {
    dshared *d;
    double *pts;             /* ncode * LANES: each lane's points per code */
    double *best;            /* LANES * ne */
    uint64_t *key, *key2;
    uint32_t *idx, *idx2;
    int failed;
} dworker;

/* The best scores of eligible lead k in lanes [0, nl), into w->best: the
 * replay's lead_loop with decay, for nl vectors at once. */
static void lead_best(dworker *w, size_t k, size_t nl) {
    const dshared *d = w->d;
    const dataset *ds = d->ds;
    const replay *r = d->r;
    size_t ci = d->eci[k], nlim = d->nlim;
    int64_t created = r->created[ci];
    double base = r->fit[ci];
    double lin[LANES], lim[LANES * 8], *limv = lim;
    double *heap = NULL;
    if (nlim > 8) {
        heap = malloc(nlim * LANES * sizeof *heap);
        if (!heap) {
            w->failed = 1;
            return;
        }
        limv = heap;
    }
    int64_t ubest[LANES];
    double ubest_d[LANES], best[LANES];
    for (size_t l = 0; l < nl; l++) {
        lin[l] = 0;
        ubest[l] = INT64_MIN;
        ubest_d[l] = best[l] = -INFINITY;
    }
    for (size_t m = 0; m < nlim * nl; m++) limv[m] = 0;
    size_t e = d->ea[k], b = d->eb[k];
    int64_t tprev = created;
    for (int first = 1;; first = 0) {
        int64_t t;
        if (first) {
            t = created;
        } else {
            if (e >= b) break;
            t = ds->ev_time[e];
        }
        if (t != tprev) {
            double f = exp2(-((double)(t - tprev) / d->half_life_us));
            for (size_t l = 0; l < nl; l++) lin[l] *= f;
            for (size_t m = 0; m < nlim * nl; m++) limv[m] *= f;
        }
        tprev = t;
        for (; e < b && ds->ev_time[e] == t; e++) {
            int32_t c = d->code_of[ds->ev_type[e]];
            if (c < 0) continue;
            const double *p = w->pts + (size_t)c * LANES;
            int li = d->lim_of[c];
            double *sum = li < 0 ? lin : limv + (size_t)li * nl;
            for (size_t l = 0; l < nl; l++) sum[l] += p[l];
        }
        for (size_t l = 0; l < nl; l++) {
            double beh = lin[l];
            for (size_t m = 0; m < nlim; m++) {
                double u = limv[m * nl + l], L = d->L[m];
                beh += u > L ? L : u < -L ? -L : u;
            }
            double v = base + beh, x = v * 1e9;
            if (fabs(x) < DECIMAL_SNAP_LIMIT) {
                if (x > ubest_d[l] - 1.0) {
                    int64_t u = llrint(x);
                    if (u > ubest[l]) {
                        ubest[l] = u;
                        ubest_d[l] = (double)u;
                        best[l] = ubest_d[l] / 1e9;
                    }
                }
            } else if (v > best[l]) {
                best[l] = v;
                ubest[l] = v > 0 ? INT64_MAX : INT64_MIN;
                ubest_d[l] = v > 0 ? INFINITY : -INFINITY;
            }
        }
    }
    for (size_t l = 0; l < nl; l++) w->best[l * d->ne + k] = best[l];
    free(heap);
}

/* Vector V's row from its best scores BS (one per eligible lead): the
 * distinct levels ascending, picked as sweep_run picks. */
static void lane_row(dworker *w, const double *bs, tune_row *row) {
    const dshared *d = w->d;
    const replay *r = d->r;
    size_t ne = d->ne;
    for (size_t k = 0; k < ne; k++) {
        w->key[k] = radix_key(bs[k]);
        w->idx[k] = (uint32_t)k;
    }
    radix_sort_idx(w->key, w->idx, w->key2, w->idx2, ne);
    long elig_won = d->elig_won;
    long below_all = 0, below_won = 0, best = -1, bmq = 0, btp = 0, nlev = 0;
    double bv = NAN, bT = NAN;
    for (size_t i = 0; i < ne;) {
        size_t j = i;
        long all = 0, won = 0;
        for (; j < ne && w->key[j] == w->key[i]; j++) all++, won += d->ewon[w->idx[j]];
        double T = bs[w->idx[i]];
        long tp = d->fast_won + elig_won - below_won;
        long mq = d->fast_all + (long)ne - below_all;
        double val = objective_value(d->obj, tp, mq - tp, d->won, NAN);
        if (!isnan(val) && (best < 0 || objective_better(val, mq, T, NAN, bv, bmq, bT, NAN))) {
            best = nlev;
            bv = val, bmq = mq, bT = T, btp = tp;
        }
        below_all += all;
        below_won += won;
        nlev++;
        i = j;
    }
    memset(row, 0, sizeof *row);
    row->nthresholds = nlev;
    row->T = row->F = row->objective = row->tp_amount = NAN;
    if (best < 0) return;
    row->has = 1;
    row->T = bT;
    row->tp = btp;
    row->fp = bmq - btp;
    row->objective = bv;
    util_fsum amt = d->amt_fast;
    for (size_t k = 0; k < ne; k++) {
        if (!d->ewon[k] || !(bs[k] >= bT)) continue;
        double a = r->amount[d->eci[k]];
        if (!isnan(a)) util_fsum_add(&amt, a);
    }
    row->tp_amount = util_fsum_value(&amt);
}

static void run_block(dworker *w, size_t v0, size_t nl) {
    dshared *d = w->d;
    for (size_t c = 0; c < d->ncode; c++)
        for (size_t l = 0; l < nl; l++)
            w->pts[c * LANES + l] = tune_grid_weight(d->g, v0 + l, d->beh_of[c]);
    for (size_t k = 0; k < d->ne && !w->failed; k++) lead_best(w, k, nl);
    for (size_t l = 0; l < nl && !w->failed; l++) lane_row(w, w->best + l * d->ne, &d->rows[v0 + l]);
}

static void *work(void *arg) {
    dworker *w = arg;
    dshared *d = w->d;
    size_t ne = d->ne;
    if (!(w->pts = util_malloc((d->ncode + 1) * LANES * sizeof *w->pts)) ||
        !(w->best = util_malloc(LANES * ne * sizeof *w->best + 1)) ||
        !(w->key = util_malloc(ne * sizeof *w->key + 1)) ||
        !(w->key2 = util_malloc(ne * sizeof *w->key2 + 1)) ||
        !(w->idx = util_malloc(ne * sizeof *w->idx + 1)) ||
        !(w->idx2 = util_malloc(ne * sizeof *w->idx2 + 1))) {
        w->failed = 1;
        return NULL;
    }
    size_t nvec = d->g->nvec;
    while (!w->failed) {
        long b = __atomic_fetch_add(&d->next, 1, __ATOMIC_RELAXED);
        if ((size_t)b >= d->nblocks) break;
        size_t v0 = (size_t)b * d->lanes;
        run_block(w, v0, nvec - v0 < d->lanes ? nvec - v0 : d->lanes);
    }
    return NULL;
}

int tune_decay_run(const dataset *ds, const replay *r, const tune_grid *g,
                   const objective_spec *obj, int threads, tune_row **out, util_err *err) {
    dshared d;
    memset(&d, 0, sizeof d);
    d.ds = ds, d.r = r, d.g = g, d.obj = obj, d.won = r->nwon;
    d.half_life_us = g->sc->half_life_days * (double)TSTAMP_USEC_PER_DAY;
    dworker *w = NULL;
    pthread_t *th = NULL;
    int rc = -1, nth = threads < 1 ? 1 : threads;
    if (codes(&d) < 0 || eligible(&d) < 0 || !(d.rows = util_calloc(g->nvec, sizeof *d.rows)))
        goto nomem;
    /* a block for every thread where the grid allows: the decay factors,
     * most of a block's cost, are computed once per block */
    d.lanes = LANES;
    while (d.lanes > 1 && (g->nvec + d.lanes - 1) / d.lanes < (size_t)nth) d.lanes /= 2;
    d.nblocks = (g->nvec + d.lanes - 1) / d.lanes;
    if ((size_t)nth > d.nblocks) nth = (int)d.nblocks;
    if (!(w = util_calloc((size_t)nth, sizeof *w)) || !(th = util_calloc((size_t)nth, sizeof *th)))
        goto nomem;
    for (int k = 0; k < nth; k++) w[k].d = &d;
    int started = 0;
    for (int k = 1; k < nth; k++, started++)
        if (pthread_create(&th[k], NULL, work, &w[k]) != 0) break;
    work(&w[0]);
    for (int k = 1; k <= started; k++) pthread_join(th[k], NULL);
    int failed = d.next < (long)d.nblocks;
    for (int k = 0; k < nth; k++) failed |= w[k].failed;
    if (failed) goto nomem;
    *out = d.rows;
    d.rows = NULL;
    rc = 0;
    goto done;
nomem:
    util_enomem(err);
done:
    for (int k = 0; w && k < nth; k++) {
        free(w[k].pts);
        free(w[k].best);
        free(w[k].key);
        free(w[k].key2);
        free(w[k].idx);
        free(w[k].idx2);
    }
    free(w);
    free(th);
    dshared_fini(&d);
    return rc;
}
