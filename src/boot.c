/* boot.c - the bootstrap of a sweep: 90% intervals on each row and how stable the pick is.
 *
 * Each resample draws the cohort's leads with replacement (GSL's MT19937,
 * one seed per resample drawn in order from --seed, so the result does not
 * depend on threads), counts every row's hand-offs with a 2-D suffix sum over
 * (threshold, fit threshold) indices, and picks a row with the rules of
 * objective.h. Per row, the resampled precision and recall go into bounded
 * heaps that keep only the tails a 5% and 95% quantile needs: exact
 * intervals in O(rows) memory instead of O(rows * resamples).
 *
 * It reads the sweep's rows and the replay and writes only the bootstrap's
 * fields of the sweep (boot.h); the sweep itself does not know it. */
#include "boot.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tstamp.h"

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* ---------------------------- Tails ---------------------------- */

/* Bounded heaps of the m smallest (max-heap) and m largest (min-heap) values
 * of each row, for one metric. */
typedef struct tails {
    float *lo, *hi;         /* rows * m each */
    float *lo_cut, *hi_cut; /* per row: a value must be below / above this to enter */
    int *nlo, *nhi;
    long *ndef;             /* defined values seen per row */
    size_t m;
} tails;

static int tails_init(tails *t, size_t rows, size_t m) {
    t->m = m;
    t->lo = util_malloc(rows * m * sizeof *t->lo);
    t->hi = util_malloc(rows * m * sizeof *t->hi);
    t->lo_cut = util_malloc(rows * sizeof *t->lo_cut + 1);
    t->hi_cut = util_malloc(rows * sizeof *t->hi_cut + 1);
    t->nlo = util_calloc(rows, sizeof *t->nlo);
    t->nhi = util_calloc(rows, sizeof *t->nhi);
    t->ndef = util_calloc(rows, sizeof *t->ndef);
    if (!t->lo || !t->hi || !t->lo_cut || !t->hi_cut || !t->nlo || !t->nhi || !t->ndef) return -1;
    /* Until a heap is full everything enters. The cuts sit in dense arrays:
     * most values are rejected by one comparison that stays in cache. */
    for (size_t j = 0; j < rows; j++) t->lo_cut[j] = INFINITY, t->hi_cut[j] = -INFINITY;
    return 0;
}

static void tails_fini(tails *t) {
    free(t->lo);
    free(t->hi);
    free(t->lo_cut);
    free(t->hi_cut);
    free(t->nlo);
    free(t->nhi);
    free(t->ndef);
}

/* Push x into heap h of size *n (capacity m); max-heap when sign = 1 (keeps
 * the smallest values), min-heap when sign = -1 (keeps the largest). */
static void heap_push(float *h, int *n, size_t m, float x, int sign) {
    if ((size_t)*n < m) {
        int i = (*n)++;
        h[i] = x;
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (sign * (h[i] - h[parent]) <= 0) break;
            float tmp = h[i];
            h[i] = h[parent];
            h[parent] = tmp;
            i = parent;
        }
        return;
    }
    if (sign * (x - h[0]) >= 0) return; /* not inside the kept tail */
    h[0] = x;
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, rr = l + 1, top = i;
        if (l < *n && sign * (h[l] - h[top]) > 0) top = l;
        if (rr < *n && sign * (h[rr] - h[top]) > 0) top = rr;
        if (top == i) break;
        float tmp = h[i];
        h[i] = h[top];
        h[top] = tmp;
        i = top;
    }
}

static void push_lo(tails *t, size_t row, float x) {
    float *h = t->lo + row * t->m;
    heap_push(h, &t->nlo[row], t->m, x, 1);
    if ((size_t)t->nlo[row] == t->m) t->lo_cut[row] = h[0];
}

static void push_hi(tails *t, size_t row, float x) {
    float *h = t->hi + row * t->m;
    heap_push(h, &t->nhi[row], t->m, x, -1);
    if ((size_t)t->nhi[row] == t->m) t->hi_cut[row] = h[0];
}

static inline void tails_add(tails *t, size_t row, double x) {
    if (isnan(x)) return;
    t->ndef[row]++;
    float f = (float)x;
    if (f < t->lo_cut[row]) push_lo(t, row, f);
    if (f > t->hi_cut[row]) push_hi(t, row, f);
}

/* Merge b's tails into a's (both the same shape). */
static void tails_merge(tails *a, const tails *b, size_t rows) {
    for (size_t j = 0; j < rows; j++) {
        a->ndef[j] += b->ndef[j];
        for (int k = 0; k < b->nlo[j]; k++) push_lo(a, j, b->lo[j * b->m + (size_t)k]);
        for (int k = 0; k < b->nhi[j]; k++) push_hi(a, j, b->hi[j * b->m + (size_t)k]);
    }
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Quantile q (type 7) of the N values whose m smallest / largest are kept. */
static void tails_interval(tails *t, size_t row, double *lo, double *hi) {
    long N = t->ndef[row];
    *lo = *hi = NAN;
    if (N == 0) return;
    float *L = t->lo + row * t->m, *H = t->hi + row * t->m;
    int nl = t->nlo[row], nh = t->nhi[row];
    qsort(L, (size_t)nl, sizeof *L, cmp_float);
    qsort(H, (size_t)nh, sizeof *H, cmp_float);
    double h = (double)(N - 1) * 0.05;
    long k = (long)floor(h);
    double a = L[k], b = k + 1 < nl ? L[k + 1] : a;
    *lo = a + (h - (double)k) * (b - a);
    h = (double)(N - 1) * 0.95;
    k = (long)floor(h);
    long base = N - nh; /* sorted position of H[0] */
    long i = k - base;
    if (i < 0) i = 0;
    a = H[i];
    b = i + 1 < nh ? H[i + 1] : a;
    *hi = a + (h - (double)k) * (b - a);
}

/* ---------------------------- Resamples ---------------------------- */

typedef struct boot_ctx {
    sweep *s;
    const replay *r;
    const objective_spec *obj;
    const uint32_t *J;   /* per lead: T index of its best score (nT = none) */
    const uint32_t *G;   /* per lead: F index of its fit (eligible in groups g <= G) */
    const double *wp90;  /* per row, full data, for the capacity constraint */
    const unsigned long *seeds;
    const size_t *canon; /* rows that stand for their run of identical rows */
    size_t ncanon;
    long b0, b1;         /* resamples [b0, b1) */
    tails P, R;
    long *chosen;        /* per row */
    long none;
    int failed;
} boot_ctx;

static void *resample_run(void *arg) {
    boot_ctx *c = arg;
    sweep *s = c->s;
    const replay *r = c->r;
    size_t n = r->n, nT = s->nT, nF = s->nF, rows = s->nrows;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    uint32_t *cnt = util_malloc(n * sizeof *cnt + 1);
    long *addtp = util_malloc(rows * sizeof *addtp + 1);
    long *addfp = util_malloc(rows * sizeof *addfp + 1);
    long *tp = util_malloc(rows * sizeof *tp + 1), *mq = util_malloc(rows * sizeof *mq + 1);
    if (!rng || !cnt || !addtp || !addfp || !tp || !mq ||
        tails_init(&c->P, rows, (size_t)(0.05 * (double)s->nboot) + 3) < 0 ||
        tails_init(&c->R, rows, (size_t)(0.05 * (double)s->nboot) + 3) < 0 ||
        !(c->chosen = util_calloc(rows, sizeof *c->chosen))) {
        c->failed = 1;
        goto done;
    }
    for (long b = c->b0; b < c->b1; b++) {
        gsl_rng_set(rng, c->seeds[b]);
        memset(cnt, 0, n * sizeof *cnt);
        for (size_t k = 0; k < n; k++) cnt[gsl_rng_uniform_int(rng, n)]++;
        long won = 0, ftp = 0, ffp = 0;
        for (size_t i = 0; i < n; i++) {
            if (r->won[i]) won += cnt[i];
            if (r->fast[i] != TSTAMP_NONE) {
                if (r->won[i]) ftp += cnt[i];
                else ffp += cnt[i];
            }
        }
        /* A lead with best score at T index J and fit at F index G is an MQL
         * at row (j, g) when j <= J and g <= G: a 2-D suffix sum. */
        memset(addtp, 0, rows * sizeof *addtp);
        memset(addfp, 0, rows * sizeof *addfp);
        for (size_t i = 0; i < n; i++) {
            if (!cnt[i] || r->fast[i] != TSTAMP_NONE || c->J[i] >= nT) continue;
            size_t cell = (size_t)c->J[i] * nF + c->G[i];
            if (r->won[i]) addtp[cell] += cnt[i];
            else addfp[cell] += cnt[i];
        }
        for (size_t j = nT; j-- > 0;) {
            for (size_t g = nF; g-- > 0;) {
                size_t row = j * nF + g;
                long t = addtp[row], f = addfp[row];
                if (g + 1 < nF) t += tp[row + 1], f += mq[row + 1];
                if (j + 1 < nT) t += tp[row + nF], f += mq[row + nF];
                if (g + 1 < nF && j + 1 < nT) t -= tp[row + nF + 1], f -= mq[row + nF + 1];
                tp[row] = t; /* suffix sums: won (tp) and not won (mq, for now) */
                mq[row] = f;
            }
        }
        /* add the fast-tracked leads, MQLs at every row; mq becomes all hand-offs */
        for (size_t row = 0; row < rows; row++) {
            mq[row] += tp[row] + ftp + ffp;
            tp[row] += ftp;
        }
        /* the pick in ascending row order, as on the full data; a row that
         * fails the objective is not looked up */
        objective_pick pk;
        objective_pick_init(&pk);
        for (size_t q = 0; q < c->ncanon; q++) {
            size_t row = c->canon[q];
            tails_add(&c->P, row, ratio((double)tp[row], (double)mq[row]));
            tails_add(&c->R, row, ratio((double)tp[row], (double)won));
            double v = objective_value(c->obj, tp[row], mq[row] - tp[row], won, c->wp90[row]);
            if (!isnan(v))
                objective_pick_offer(&pk, (long)row, v, mq[row], s->rows[row].T, s->rows[row].F);
        }
        if (pk.best >= 0) c->chosen[pk.best]++;
        else c->none++;
    }
done:
    gsl_rng_free(rng);
    free(cnt);
    free(addtp);
    free(addfp);
    free(tp);
    free(mq);
    return NULL;
}

/* ---------------------------- Driver ---------------------------- */

/* Threshold values covering the middle 90% of the picks, on one axis.
 * Returns 0, or -1 when memory runs out. */
static int pick_interval(const sweep *s, const long *chosen, int axis_F, double *lo, double *hi) {
    *lo = *hi = NAN;
    long total = 0;
    for (size_t j = 0; j < s->nrows; j++) total += chosen[j];
    if (total == 0) return 0;
    /* collect (value, count) pairs in ascending value order */
    size_t n = axis_F ? s->nF : s->nT;
    long *byv = util_calloc(n, sizeof *byv);
    if (!byv) return -1;
    for (size_t j = 0; j < s->nrows; j++) byv[axis_F ? j % s->nF : j / s->nF] += chosen[j];
    double qlo = 0.05 * (double)total, qhi = 0.95 * (double)total;
    long cum = 0;
    for (size_t k = 0; k < n; k++) {
        if (!byv[k]) continue;
        double v = axis_F ? s->rows[k].F : s->rows[k * s->nF].T;
        if (isnan(*lo) && (double)(cum + byv[k]) > qlo) *lo = v;
        cum += byv[k];
        if (isnan(*hi) && (double)cum >= qhi) *hi = v;
    }
    free(byv);
    return 0;
}

static int resample_all(sweep *s, const replay *r, const sweep_opts *o,
                        const objective_spec *obj, const uint32_t *J, const uint32_t *G,
                        util_err *err) {
    long B = o->bootstrap;
    s->nboot = B;
    unsigned long *seeds = util_malloc((size_t)B * sizeof *seeds);
    double *wp90 = util_malloc(s->nrows * sizeof *wp90 + 1);
    gsl_rng *master = gsl_rng_alloc(gsl_rng_mt19937);
    int nth = o->threads < 1 ? 1 : o->threads;
    if (nth > B) nth = (int)B;
    boot_ctx *ctx = util_calloc((size_t)nth, sizeof *ctx);
    size_t *canon = NULL, *rep = NULL;
    int rc = -1;
    if (!seeds || !wp90 || !master || !ctx) {
        util_enomem(err);
        goto done;
    }
    gsl_rng_set(master, o->seed);
    for (long b = 0; b < B; b++) seeds[b] = gsl_rng_get(master);
    /* A run of rows of one fit group where no lead moves has the same MQLs
     * (and times) in every resample: only its last row, the highest
     * threshold, which ties also favour, is resampled; the others copy it. */
    canon = util_malloc(s->nrows * sizeof *canon + 1);
    rep = util_malloc(s->nrows * sizeof *rep + 1);
    if (!canon || !rep) {
        util_enomem(err);
        goto done;
    }
    size_t ncanon = 0;
    for (size_t g = 0; g < s->nF; g++)
        for (size_t j = s->nT; j-- > 0;) {
            size_t row = j * s->nF + g;
            int same_next = j + 1 < s->nT && s->rows[row + s->nF].same_as_prev;
            rep[row] = same_next ? rep[row + s->nF] : row;
            if (!same_next) canon[ncanon++] = row;
        }
    /* ascending row order keeps the pick's scan order of the full table */
    qsort(canon, ncanon, sizeof *canon, cmp_size);
    for (size_t j = 0; j < s->nrows; j++) wp90[j] = s->rows[j].wp90;
    for (int k = 0; k < nth; k++) {
        ctx[k] = (boot_ctx){.s = s, .r = r, .obj = obj, .J = J, .G = G, .wp90 = wp90,
                            .seeds = seeds,
                            .canon = canon, .ncanon = ncanon, .b0 = B * k / nth,
                            .b1 = B * (k + 1) / nth};
    }
    util_parallel(resample_run, ctx, sizeof *ctx, nth);
    for (int k = 0; k < nth; k++)
        if (ctx[k].failed) {
            util_enomem(err);
            goto done;
        }
    /* The kept tails are multisets: merging in any order gives the same
     * quantiles, so the threads do not change the result. */
    for (int k = 1; k < nth; k++) {
        tails_merge(&ctx[0].P, &ctx[k].P, s->nrows);
        tails_merge(&ctx[0].R, &ctx[k].R, s->nrows);
        for (size_t j = 0; j < s->nrows; j++) ctx[0].chosen[j] += ctx[k].chosen[j];
        ctx[0].none += ctx[k].none;
    }
    for (size_t q = 0; q < ncanon; q++) {
        size_t j = canon[q];
        sweep_row *w = &s->rows[j];
        tails_interval(&ctx[0].P, j, &w->p_lo, &w->p_hi);
        tails_interval(&ctx[0].R, j, &w->r_lo, &w->r_hi);
    }
    for (size_t j = 0; j < s->nrows; j++) {
        sweep_row *w = &s->rows[j], *c0 = &s->rows[rep[j]];
        w->p_lo = c0->p_lo, w->p_hi = c0->p_hi, w->r_lo = c0->r_lo, w->r_hi = c0->r_hi;
        w->chosen = ctx[0].chosen[j];
    }
    s->boot_none = ctx[0].none;
    if (pick_interval(s, ctx[0].chosen, 0, &s->choice_T_lo, &s->choice_T_hi) < 0 ||
        (s->two_axis && pick_interval(s, ctx[0].chosen, 1, &s->choice_F_lo, &s->choice_F_hi) < 0)) {
        util_enomem(err);
        goto done;
    }
    if (s->best >= 0) s->stability = (double)s->rows[s->best].chosen / (double)B;
    rc = 0;
done:
    for (int k = 0; ctx && k < nth; k++) {
        tails_fini(&ctx[k].P);
        tails_fini(&ctx[k].R);
        free(ctx[k].chosen);
    }
    free(ctx);
    free(seeds);
    free(canon);
    free(rep);
    free(wp90);
    gsl_rng_free(master);
    return rc;
}

/* The index of v on one of the sweep's axes: the rows' thresholds (row
 * j * nF) or their fit thresholds (rows 0 .. nF - 1); n when above all. */
static size_t axis_index(const sweep *s, int axis_F, double v) {
    size_t lo = 0, hi = axis_F ? s->nF : s->nT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        double x = axis_F ? s->rows[mid].F : s->rows[mid * s->nF].T;
        if (x < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int boot_run(sweep *s, const replay *r, const sweep_opts *o, util_err *err) {
    size_t n = r->n;
    if (o->bootstrap <= 0 || s->nrows == 0 || n == 0) return 0;
    /* Per lead the row indices at which it stops being an MQL: the T index
     * of its best score (nT: none, or qualified at every row by fast track
     * or a rule) and the F index of its fit. */
    uint32_t *J = util_malloc(n * sizeof *J + 1), *G = util_malloc(n * sizeof *G + 1);
    if (!J || !G) {
        free(J);
        free(G);
        return util_enomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        J[i] = (uint32_t)s->nT;
        G[i] = 0;
        if (r->st_off[i] < r->st_off[i + 1] && r->fast[i] == TSTAMP_NONE) {
            J[i] = (uint32_t)axis_index(s, 0, r->st_val[r->st_off[i + 1] - 1]);
            if (r->two_axis) G[i] = (uint32_t)axis_index(s, 1, r->fit[i]);
        }
    }
    objective_spec obj;
    sweep_objective_of(s, &obj);
    int rc = resample_all(s, r, o, &obj, J, G, err);
    free(J);
    free(G);
    return rc;
}
