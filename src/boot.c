/* boot.c - the bootstrap of a sweep: 90% intervals on each row and how stable the pick is.
 *
 * Each resample draws the cohort's leads with replacement (one seed per
 * resample drawn in order from --seed with GSL's MT19937, so the result does
 * not depend on threads) and picks a row with the rules of objective.h. A
 * resample is drawn over cells, not leads (see "Blocked resamples"): each
 * thread takes whole blocks of rows over every resample and reads each row's
 * quantiles from all its values. Only a two-axis sweep too large for that
 * (more than BLK_MAX_FIT fit thresholds, or too many blocks) draws the n
 * leads one by one per resample, counts every row's hand-offs with a 2-D
 * suffix sum over (threshold, fit threshold) indices, and per row the
 * resampled precision and recall go into bounded heaps that keep only the
 * tails a 5% and 95% quantile needs. Both give the type-7 quantiles of every
 * resample's value, exactly.
 *
 * It reads the sweep's rows and the replay and writes only the bootstrap's
 * fields of the sweep (boot.h); the sweep itself does not know it. */
#include "boot.h"

/* gsl_rng_get inline: the first stage calls it once per resample and block */
#define HAVE_INLINE 1

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_sales.h"
#include "tstamp.h"

/* The two inner loops that run once per row and block of resamples are
 * vectorised by GCC at -O3 whatever the build's level; clang (the fuzz
 * build) has no such attribute and compiles them as the rest. */
#if defined(__GNUC__) && !defined(__clang__)
#define BOOT_HOT __attribute__((optimize("O3")))
#else
#define BOOT_HOT
#endif

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
            double v = objective_value_fixed(c->obj, tp[row], mq[row] - tp[row], won, c->wp90[row]);
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

/* ---------------------------- Blocked resamples ---------------------------- */

/* A resample changes only how many times each lead is counted, and what
 * counts of a lead is its cell: its row index (the T index of its best
 * score, in two-axis mode times nF plus the F index of its fit), won or not,
 * fast-tracked or never an MQL. So a
 * resample is a multinomial draw over cells, made in two stages that give
 * exactly that distribution: first over blocks of rows (won and not won per
 * block, the fast-tracked and the never-MQL leads), from the resample's own
 * MT19937; then, inside each block, over its rows, from a Tausworthe stream
 * seeded for that resample and block (by per-row binomials when the block
 * has many leads per row, else by drawing the block's leads one by one).
 * Every (resample, block) draw is independent of the others, so the blocks
 * are shared among the threads and each thread sees every resample of its
 * blocks: a block's precision and recall over all resamples sit in two
 * small matrices, and each row's quantiles are read from them exactly. */

enum { BLK_CELLS = 1 << 19,  /* rows per block * resamples, at most */
       BLK_MAX_ROWS = 512,
       BLK_MAX_TABLE = 1 << 24, /* resamples * blocks, at most */
       BLK_SPAN = 3,           /* window margin, in ranks, for the next row */
       BLK_CHUNK = 64,         /* resamples counted at once in a block */
       BLK_MAX_FIT = 2048 };   /* fit thresholds, at most (two-axis mode) */

typedef struct blk {
    size_t j0, j1;          /* rows [j0, j1): whole thresholds */
    size_t w0, l0;          /* its won / not-won leads: [w0, w0 + nw) in wrow, etc. */
    uint32_t nw, nl;
    int multi;              /* per-row binomials, else lead-by-lead draws */
    double work;
} blk;

typedef struct blk_plan {
    size_t Q, nT, nF;
    blk *q;
    double *pw, *pl;        /* per row: won / not-won leads of that row */
    uint32_t *wrow, *lrow;  /* the won / not-won leads in row order: their row */
    long B;
    unsigned int *cw, *cl;  /* per resample and block: draws among its won / not-won leads */
    unsigned long *bseed;   /* per resample and block: the block's stream */
    long *won, *ftp, *fmq;  /* per resample: won leads, fast-tracked won and all */
} blk_plan;

static void blk_plan_fini(blk_plan *p) {
    free(p->q);
    free(p->pw);
    free(p->pl);
    free(p->wrow);
    free(p->lrow);
    free(p->cw);
    free(p->cl);
    free(p->bseed);
    free(p->won);
    free(p->ftp);
    free(p->fmq);
}

/* Cuts the rows into blocks and lists each block's leads. Returns 0, 1 when
 * the tables would be too large (the caller uses the per-lead resamples), or
 * -1 when memory runs out. */
static int blk_plan_init(blk_plan *p, const sweep *s, const replay *r, const uint32_t *J,
                         const uint32_t *G, long B) {
    size_t nT = s->nT, nF = s->nF, n = r->n;
    memset(p, 0, sizeof *p);
    p->nT = nT;
    p->nF = nF;
    p->B = B;
    /* in two-axis mode a block is whole thresholds: nF rows each */
    if (nF > BLK_MAX_FIT) return 1;
    size_t per = (size_t)BLK_CELLS / (size_t)B;
    if (per > BLK_MAX_ROWS) per = BLK_MAX_ROWS;
    per /= nF;
    if (per < 1) per = 1;
    p->Q = (nT + per - 1) / per;
    if ((double)p->Q * (double)B > BLK_MAX_TABLE) return 1;
    p->q = util_calloc(p->Q, sizeof *p->q);
    p->pw = util_calloc(nT * nF + 1, sizeof *p->pw);
    p->pl = util_calloc(nT * nF + 1, sizeof *p->pl);
    if (!p->q || !p->pw || !p->pl) return -1;
    size_t nw = 0, nl = 0;
    for (size_t i = 0; i < n; i++) {
        if (r->fast[i] != TSTAMP_NONE || J[i] >= nT) continue;
        size_t row = (size_t)J[i] * nF + (nF > 1 ? G[i] : 0);
        if (r->won[i]) p->pw[row] += 1, nw++;
        else p->pl[row] += 1, nl++;
    }
    p->wrow = util_malloc(nw * sizeof *p->wrow + 1);
    p->lrow = util_malloc(nl * sizeof *p->lrow + 1);
    if (!p->wrow || !p->lrow) return -1;
    size_t w = 0, l = 0;
    for (size_t k = 0; k < p->Q; k++) {
        blk *b = &p->q[k];
        b->j0 = k * per * nF;
        b->j1 = (k * per + per < nT ? k * per + per : nT) * nF;
        b->w0 = w, b->l0 = l;
        for (size_t j = b->j0; j < b->j1; j++) {
            for (long c = (long)p->pw[j]; c > 0; c--) p->wrow[w++] = (uint32_t)j;
            for (long c = (long)p->pl[j]; c > 0; c--) p->lrow[l++] = (uint32_t)j;
        }
        b->nw = (uint32_t)(w - b->w0), b->nl = (uint32_t)(l - b->l0);
        /* a binomial costs about ten uniform draws */
        double rows = (double)(b->j1 - b->j0), leads = (double)b->nw + (double)b->nl;
        b->multi = 20 * rows < leads;
        b->work = rows + (b->multi ? 20 * rows : leads);
    }
    size_t t = (size_t)B * p->Q;
    p->cw = util_malloc(t * sizeof *p->cw);
    p->cl = util_malloc(t * sizeof *p->cl);
    p->bseed = util_malloc(t * sizeof *p->bseed);
    p->won = util_malloc((size_t)B * sizeof *p->won);
    p->ftp = util_malloc((size_t)B * sizeof *p->ftp);
    p->fmq = util_malloc((size_t)B * sizeof *p->fmq);
    if (!p->cw || !p->cl || !p->bseed || !p->won || !p->ftp || !p->fmq) return -1;
    return 0;
}

/* The first stage of resamples [b0, b1): cells 0-3 are the fast-tracked won
 * and not won, the never-MQL won and not won; then each block's won and not
 * won. */
typedef struct blk_top_ctx {
    blk_plan *p;
    const replay *r;
    const uint32_t *J;
    const unsigned long *seeds;
    long b0, b1;
    int failed;
} blk_top_ctx;

static void *blk_top_run(void *arg) {
    blk_top_ctx *c = arg;
    blk_plan *p = c->p;
    const replay *r = c->r;
    size_t K = 4 + 2 * p->Q;
    double *prob = util_calloc(K, sizeof *prob);
    unsigned int *got = util_malloc(K * sizeof *got);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!prob || !got || !rng) {
        c->failed = 1;
        goto done;
    }
    for (size_t i = 0; i < r->n; i++) {
        int fast = r->fast[i] != TSTAMP_NONE;
        if (fast || c->J[i] >= p->nT) prob[(fast ? 0 : 2) + (r->won[i] ? 0 : 1)] += 1;
    }
    for (size_t k = 0; k < p->Q; k++) prob[4 + 2 * k] = p->q[k].nw, prob[5 + 2 * k] = p->q[k].nl;
    for (long b = c->b0; b < c->b1; b++) {
        gsl_rng_set(rng, c->seeds[b]);
        gsl_ran_multinomial(rng, K, (unsigned int)r->n, prob, got);
        long won = (long)got[0] + got[2];
        for (size_t k = 0; k < p->Q; k++) {
            size_t t = (size_t)b * p->Q + k;
            p->cw[t] = got[4 + 2 * k];
            p->cl[t] = got[5 + 2 * k];
            won += got[4 + 2 * k];
            p->bseed[t] = gsl_rng_get(rng);
        }
        p->won[b] = won;
        p->ftp[b] = got[0];
        p->fmq[b] = (long)got[0] + got[1];
    }
done:
    free(prob);
    free(got);
    gsl_rng_free(rng);
    return NULL;
}

/* GSL's taus2 (L'Ecuyer's three-component Tausworthe generator), seeded and
 * stepped as gsl_rng_set and gsl_rng_get do, so that the same seed gives the
 * same words; inline, where the draw of a lead calls it (gsl_rng_get goes
 * through a pointer). */
typedef struct taus {
    uint32_t s1, s2, s3;
} taus;

static inline uint32_t taus_next(taus *t) {
    t->s1 = ((t->s1 & 4294967294u) << 12) ^ (((t->s1 << 13) ^ t->s1) >> 19);
    t->s2 = ((t->s2 & 4294967288u) << 4) ^ (((t->s2 << 2) ^ t->s2) >> 25);
    t->s3 = ((t->s3 & 4294967280u) << 17) ^ (((t->s3 << 3) ^ t->s3) >> 11);
    return t->s1 ^ t->s2 ^ t->s3;
}

static void taus_seed(taus *t, unsigned long seed) {
    uint32_t s = (uint32_t)seed;
    if (seed == 0) s = 1;
    t->s1 = 69069u * s;
    if (t->s1 < 2) t->s1 += 2;
    t->s2 = 69069u * t->s1;
    if (t->s2 < 8) t->s2 += 8;
    t->s3 = 69069u * t->s2;
    if (t->s3 < 16) t->s3 += 16;
    for (int i = 0; i < 6; i++) taus_next(t); /* GSL's warm-up */
}

/* A uniform integer in [0, n), 0 < n < 2^32, from RNG's full 32-bit words
 * (taus2's range): Lemire's multiply and shift, rejecting the few words
 * that would make it uneven. No division on the common path. */
static inline uint32_t uniform_below(taus *rng, uint32_t n) {
    uint64_t m = (uint64_t)taus_next(rng) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t t = (uint32_t)-n % n;
        while (low < t) {
            m = (uint64_t)taus_next(rng) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* 16-bit words from a generator of full 32-bit words, the low half first. */
typedef struct halves {
    taus *rng;
    uint32_t word;
    int left;
} halves;

static inline uint32_t half_next(halves *h) {
    if (h->left) {
        h->left = 0;
        return h->word >> 16;
    }
    h->word = taus_next(h->rng);
    h->left = 1;
    return h->word & 0xffff;
}

/* A uniform integer in [0, n), 0 < n <= 2^16, as uniform_below but from
 * 16-bit words. */
static inline uint32_t uniform_below16(halves *h, uint32_t n) {
    uint32_t m = half_next(h) * n, low = m & 0xffff;
    if (low < n) {
        uint32_t t = (65536 - n) % n;
        while (low < t) {
            m = half_next(h) * n;
            low = m & 0xffff;
        }
    }
    return m >> 16;
}

/* The second stage of resample B in block K: how many of its draws fall in
 * each of its rows, won and not won, added to CW[(j - j0) * ST] and
 * CL[(j - j0) * ST] for row j (the caller zeroes them), when the block draws
 * lead by lead, from GSL's taus2 seeded for that resample and block. */
static void blk_draw_leads(const blk_plan *p, size_t k, long b, unsigned int *cw,
                           unsigned int *cl, size_t st) {
    const blk *q = &p->q[k];
    size_t t = (size_t)b * p->Q + k, j0 = q->j0;
    unsigned int W = p->cw[t], L = p->cl[t];
    if (!W && !L) return;
    taus tr;
    taus_seed(&tr, p->bseed[t]);
    taus *rng = &tr;
    const uint32_t *wr = p->wrow + q->w0, *lr = p->lrow + q->l0;
    if (q->nw <= 65536 && q->nl <= 65536) {
        /* each 32-bit word gives two 16-bit ones: half the generator's calls */
        halves h = {rng, 0, 0};
        for (unsigned int d = 0; d < W; d++) cw[(wr[uniform_below16(&h, q->nw)] - j0) * st]++;
        for (unsigned int d = 0; d < L; d++) cl[(lr[uniform_below16(&h, q->nl)] - j0) * st]++;
        return;
    }
    for (unsigned int d = 0; d < W; d++) cw[(wr[uniform_below(rng, q->nw)] - j0) * st]++;
    for (unsigned int d = 0; d < L; d++) cl[(lr[uniform_below(rng, q->nl)] - j0) * st]++;
}

/* The same as counts indexed from the block's first row, CW[j - j0] and
 * CL[j - j0], for any block (per-row binomials when it has many leads per
 * row). */
static void blk_draw(const blk_plan *p, size_t k, long b, gsl_rng *rng, unsigned int *cw,
                     unsigned int *cl) {
    const blk *q = &p->q[k];
    size_t t = (size_t)b * p->Q + k, j0 = q->j0, nr = q->j1 - q->j0;
    unsigned int W = p->cw[t], L = p->cl[t];
    memset(cw, 0, nr * sizeof *cw);
    memset(cl, 0, nr * sizeof *cl);
    if (!q->multi) {
        blk_draw_leads(p, k, b, cw, cl, 1);
        return;
    }
    if (W || L) gsl_rng_set(rng, p->bseed[t]);
    if (W) gsl_ran_multinomial(rng, nr, W, p->pw + j0, cw);
    if (L) gsl_ran_multinomial(rng, nr, L, p->pl + j0, cl);
}

/* Sorts A[0 .. n) ascending (no NaN in it): quicksort on the median of
 * three, insertion sort below 16 values. The comparisons are inline: most
 * calls sort a few dozen values, where qsort's calls through a pointer are
 * most of the cost. */
static void fsort(float *a, long n) {
    while (n > 16) {
        float x = a[0], y = a[n / 2], z = a[n - 1];
        float piv = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < piv) i++;
            while (a[j] > piv) j--;
            if (i >= j) break;
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++, j--;
        }
        /* [0, j] <= piv <= [j + 1, n): recurse on the smaller part */
        long left = j + 1;
        if (left < n - left) {
            fsort(a, left);
            a += left, n -= left;
        } else {
            fsort(a + left, n - left);
            n = left;
        }
    }
    for (long i = 1; i < n; i++) {
        float x = a[i];
        long j = i;
        for (; j > 0 && a[j - 1] > x; j--) a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Rearranges A[0 .. n) so that A[k] holds the value of rank k, none before
 * it larger and none after it smaller (0 <= k < n, no NaN). */
static void fselect(float *a, long n, long k) {
    while (n > 16) {
        float x = a[0], y = a[n / 2], z = a[n - 1];
        float piv = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < piv) i++;
            while (a[j] > piv) j--;
            if (i >= j) break;
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++, j--;
        }
        long left = j + 1;
        if (k < left) {
            n = left;
        } else {
            a += left, n -= left, k -= left;
        }
    }
    fsort(a, n);
}

/* Where the next row's quantiles are looked for first: per quantile, the
 * values [a, b] held some ranks around it in the row before. */
typedef struct qwin {
    int ok;
    long span;       /* the ranks kept on each side: wider after a miss */
    float a[2], b[2];
} qwin;

/* The counts of one row's values for its windows: defined (*N), below each
 * window's start (C) and at or below its end (E). Branch-free, so that the
 * compiler can use vector instructions. */
BOOT_HOT static void window_counts(const float *v, long B,
                                                          const qwin *w, long *N, long c[2],
                                                          long e[2]) {
    float a0 = w->a[0], b0 = w->b[0], a1 = w->a[1], b1 = w->b[1];
    int n = 0, c0 = 0, c1 = 0, e0 = 0, e1 = 0;
    for (long i = 0; i < B; i++) {
        float x = v[i];
        n += x == x;
        c0 += x < a0;
        c1 += x < a1;
        e0 += x <= b0;
        e1 += x <= b1;
    }
    *N = n, c[0] = c0, c[1] = c1, e[0] = e0, e[1] = e1;
}

static const double QS[2] = {0.05, 0.95};

/* The type-7 5% and 95% quantiles of the defined values of v[0 .. B), with
 * tails_interval's arithmetic. One pass counts the values below each window
 * and collects those inside; when the ranks needed fall in them only the
 * collected values are sorted, else every value is. SCRATCH holds 2 * B. */
static void interval_of(const float *v, long B, qwin *w, float *scratch, double *lo,
                        double *hi) {
    long N = 0, c[2] = {0, 0}, m[2] = {0, 0};
    float *buf[2] = {scratch, scratch + B};
    int hit = 0;
    /* a window that missed its ranks by a little is widened once, four times
     * its width towards them, before every value is looked at */
    for (int attempt = 0; w->ok && !hit && attempt < 2; attempt++) {
        long e[2];
        window_counts(v, B, w, &N, c, e);
        long kk[2], kk1[2];
        for (int q = 0; q < 2; q++) {
            double hq = (double)(N - 1) * QS[q];
            kk[q] = (long)floor(hq);
            kk1[q] = kk[q] + 1 < N ? kk[q] + 1 : kk[q];
        }
        hit = N > 0 && c[0] <= kk[0] && kk1[0] < e[0] && c[1] <= kk[1] && kk1[1] < e[1];
        if (!hit) {
            for (int q = 0; N > 0 && q < 2; q++) {
                float d = 4 * (w->b[q] - w->a[q] > 1e-4f ? w->b[q] - w->a[q] : 1e-4f);
                if (c[q] > kk[q]) w->a[q] -= d;
                if (e[q] <= kk1[q]) w->b[q] += d;
            }
            continue;
        }
        {
            /* most values are between the windows: a branch that is seldom taken */
            float a0 = w->a[0], b0 = w->b[0], a1 = w->a[1], b1 = w->b[1];
            if (b0 < a1) {
                for (long i = 0; i < B; i++) {
                    float x = v[i];
                    if (x <= b0) {
                        if (x >= a0) buf[0][m[0]++] = x;
                    } else if (x >= a1 && x <= b1) {
                        buf[1][m[1]++] = x;
                    }
                }
            } else {
                for (long i = 0; i < B; i++) {
                    float x = v[i];
                    if (x >= a0 && x <= b0) buf[0][m[0]++] = x;
                    if (x >= a1 && x <= b1) buf[1][m[1]++] = x;
                }
            }
        }
    }
    if (!w->ok)
        for (long i = 0; i < B; i++) N += v[i] == v[i];
    double out[2] = {NAN, NAN};
    if (N == 0) {
        *lo = *hi = NAN;
        return;
    }
    int whole = !hit;
    long k[2], k1[2];
    double h[2];
    for (int q = 0; q < 2; q++) {
        h[q] = (double)(N - 1) * QS[q];
        k[q] = (long)floor(h[q]);
        k1[q] = k[q] + 1 < N ? k[q] + 1 : k[q];
    }
    if (whole) {
        /* a miss (or the first row): the ranks around each quantile are
         * selected from all the values and only they are sorted */
        long t = 0;
        for (long i = 0; i < B; i++)
            if (v[i] == v[i]) scratch[t++] = v[i];
        w->span = w->ok ? 2 * w->span + BLK_SPAN : BLK_SPAN;
        if (w->span > 128) w->span = 128;
        long ra[2], rb[2];
        for (int q = 0; q < 2; q++) {
            ra[q] = k[q] - w->span < 0 ? 0 : k[q] - w->span;
            rb[q] = k1[q] + w->span > N - 1 ? N - 1 : k1[q] + w->span;
        }
        if (rb[0] >= ra[1]) {
            fsort(scratch, N);
            for (int q = 0; q < 2; q++) c[q] = 0, m[q] = N, buf[q] = scratch;
        } else {
            long from = 0;
            for (int q = 0; q < 2; q++) {
                fselect(scratch + from, N - from, ra[q] - from);
                fselect(scratch + ra[q], N - ra[q], rb[q] - ra[q]);
                fsort(scratch + ra[q], rb[q] - ra[q]);
                c[q] = ra[q], m[q] = rb[q] - ra[q] + 1, buf[q] = scratch + ra[q];
                from = rb[q] + 1;
            }
        }
    } else {
        for (int q = 0; q < 2; q++) fsort(buf[q], m[q]);
        if (w->span > BLK_SPAN) w->span--;
    }
    for (int q = 0; q < 2; q++) {
        const float *sb = buf[q] - c[q]; /* sb[i] is the value of rank i */
        double a = sb[k[q]], b = sb[k1[q]];
        out[q] = a + (h[q] - (double)k[q]) * (b - a);
        long ra = k[q] - w->span, rb = k1[q] + w->span;
        if (ra < c[q]) ra = c[q];
        if (rb > c[q] + m[q] - 1) rb = c[q] + m[q] - 1;
        w->a[q] = sb[ra];
        w->b[q] = sb[rb];
    }
    w->ok = 1;
    *lo = out[0];
    *hi = out[1];
}

typedef struct blk_ctx {
    const blk_plan *p;
    sweep *s;
    const objective_spec *obj;
    const double *wp90;
    const uint8_t *is_canon;
    size_t qa, qb;          /* blocks [qa, qb) */
    objective_pick *pk;     /* per resample: the pick over this thread's rows */
    int failed;
} blk_ctx;

/* One row over NB resamples, counts below 2^24. Row (j, g) has the MQLs of
 * the cells (J >= j, G >= g): S(j, g) = S(j + 1, g) + the draws of threshold
 * j's rows at g and above, which RW (won) and RM (all) sum as g goes down
 * (single-axis mode: nF = 1, RW and RM are the row's own draws). CW and CL
 * are the row's won and not-won draws; SW and SM hold S(j + 1, g) and become
 * S(j, g); P and R get each resample's precision and recall. Counts below
 * 2^24 are exact floats, and a float quotient then equals the double
 * quotient rounded to float (53 >= 2 * 24 + 2 bits: double rounding is
 * harmless); 0 / 0 is NaN. Recall divides by the same won all along: t / won
 * is either a float midpoint exactly (won a power of two: 1 / won and the
 * product are then exact) or at least 2^-49 of itself away from every
 * midpoint (|t 2^k - M won| >= 1 with M < 2^25, won < 2^24), while t * (1 /
 * won) in doubles is within 2^-52 of it: both round to the same float. won
 * = 0 means t = 0 and INV_WON NaN: NaN. The same values as ratio() rounded
 * to float, so without branches the compiler can use vector instructions. */
BOOT_HOT static void row_small(const uint32_t *cw, const uint32_t *cl,
                                                      int32_t *rw, int32_t *rm, int32_t *SW,
                                                      int32_t *SM, const double *inv_won,
                                                      float *P, float *R, long nb) {
    for (long b = 0; b < nb; b++) {
        int32_t w = rw[b] + (int32_t)cw[b], m = rm[b] + (int32_t)cw[b] + (int32_t)cl[b];
        rw[b] = w, rm[b] = m;
        int32_t t = SW[b] + w, q = SM[b] + m;
        SW[b] = t, SM[b] = q;
        P[b] = (float)t / (float)q;
        R[b] = (float)((double)t * inv_won[b]);
    }
}

/* The same for any counts, by ratio() in doubles. */
static void row_large(const uint32_t *cw, const uint32_t *cl, int32_t *rw, int32_t *rm, long *SW,
                      long *SM, const long *won, float *P, float *R, long nb) {
    for (long b = 0; b < nb; b++) {
        int32_t w = rw[b] + (int32_t)cw[b], m = rm[b] + (int32_t)cw[b] + (int32_t)cl[b];
        rw[b] = w, rm[b] = m;
        long t = SW[b] + w, q = SM[b] + m;
        SW[b] = t, SM[b] = q;
        P[b] = (float)ratio((double)t, (double)q);
        R[b] = (float)ratio((double)t, (double)won[b]);
    }
}

/* Per thread: each resample's S(j + 1, g) of row_small (S32, M32 when every
 * count is below 2^24, else SL, ML; per g, B resamples each), its pick's cut
 * THR (see blk_offer) and the constants of its objective, and one block's
 * values and counts. */
typedef struct blk_work {
    long *sl, *ml;
    int32_t *s32, *m32;
    int32_t *rw, *rm;       /* BLK_CHUNK: the draws of this threshold, at g and above */
    double *inv_won, *thr, *b2won;
    float *P, *R;           /* rows of the block * B: precision / recall, row-major */
    float *scratch;
    uint32_t *CW, *CL;      /* rows * BLK_CHUNK: won / not-won draws, row-major */
    unsigned int *cw, *cl;
    long *hw, *hm;          /* nF: draws of the blocks above, per g */
    qwin *wP, *wR;          /* nF: where the quantiles were at g */
    int small, f1ish;
    double b2, f1b;
} blk_work;

/* Offers canonical row ROW (fit index G), whose counts are in W, to the
 * picks of resamples [B0, B1). F1 and F-beta are (1 + b^2) tp / (b^2 won +
 * mqls): a row whose value by that one division is below the pick's second
 * by more than rounding could not enter the pick, so objective_value is not
 * called for it. */
static void blk_offer(blk_ctx *c, blk_work *w, size_t row, size_t g, long b0, long b1) {
    const blk_plan *p = c->p;
    const sweep_row *sr = &c->s->rows[row];
    double wp = c->wp90[row];
    size_t o = g * (size_t)p->B;
    for (long b = b0; b < b1; b++) {
        size_t i = o + (size_t)b;
        long t1 = w->small ? w->s32[i] : w->sl[i], m1 = w->small ? w->m32[i] : w->ml[i];
        if (w->f1b * (double)t1 < w->thr[b] * (w->b2won[b] + (double)m1)) continue;
        double v = objective_value_fixed(c->obj, t1, m1 - t1, p->won[b], wp);
        if (isnan(v)) continue;
        objective_pick *pb = &c->pk[b];
        objective_pick_offer(pb, (long)row, v, m1, sr->T, sr->F);
        if (w->f1ish && pb->second >= 0) w->thr[b] = pb->sv * (1 - 1e-12);
    }
}

static void blk_work_fini(blk_work *w) {
    free(w->sl);
    free(w->ml);
    free(w->s32);
    free(w->m32);
    free(w->rw);
    free(w->rm);
    free(w->inv_won);
    free(w->thr);
    free(w->b2won);
    free(w->P);
    free(w->R);
    free(w->scratch);
    free(w->CW);
    free(w->CL);
    free(w->cw);
    free(w->cl);
    free(w->hw);
    free(w->hm);
    free(w->wP);
    free(w->wR);
}

/* Each resample's draws in the blocks above this thread's, into S(j, g) for
 * the first threshold above them: per g, those with a fit index of g or
 * more, and every fast-tracked one. Two-axis mode draws those blocks again
 * (from their own streams: the same draws) to know the fit indices. */
static void blk_work_above(blk_work *w, const blk_ctx *c, gsl_rng *rng) {
    const blk_plan *p = c->p;
    size_t B = (size_t)p->B, nF = p->nF;
    for (size_t b = 0; b < B; b++) {
        memset(w->hw, 0, nF * sizeof *w->hw);
        memset(w->hm, 0, nF * sizeof *w->hm);
        for (size_t k = c->qb; k < p->Q; k++) {
            size_t t = b * p->Q + k;
            if (nF == 1) {
                w->hw[0] += p->cw[t];
                w->hm[0] += (long)p->cw[t] + p->cl[t];
                continue;
            }
            const blk *q = &p->q[k];
            blk_draw(p, k, (long)b, rng, w->cw, w->cl);
            for (size_t jl = 0; jl < q->j1 - q->j0; jl++) {
                w->hw[jl % nF] += w->cw[jl];
                w->hm[jl % nF] += (long)w->cw[jl] + w->cl[jl];
            }
        }
        long tw = p->ftp[b], tm = p->fmq[b];
        for (size_t g = nF; g-- > 0;) {
            tw += w->hw[g], tm += w->hm[g];
            size_t i = g * B + b;
            if (w->small) w->s32[i] = (int32_t)tw, w->m32[i] = (int32_t)tm;
            else w->sl[i] = tw, w->ml[i] = tm;
        }
    }
}

/* PER: the most rows of a block this thread counts; CW: of any block. */
static int blk_work_init(blk_work *w, const blk_ctx *c, size_t per, size_t cw) {
    const blk_plan *p = c->p;
    size_t B = (size_t)p->B, nF = p->nF;
    memset(w, 0, sizeof *w);
    w->small = c->s->leads < (1L << 24);
    if (w->small) {
        w->s32 = util_malloc(nF * B * sizeof *w->s32);
        w->m32 = util_malloc(nF * B * sizeof *w->m32);
    } else {
        w->sl = util_malloc(nF * B * sizeof *w->sl);
        w->ml = util_malloc(nF * B * sizeof *w->ml);
    }
    w->rw = util_malloc(BLK_CHUNK * sizeof *w->rw);
    w->rm = util_malloc(BLK_CHUNK * sizeof *w->rm);
    w->inv_won = util_malloc(B * sizeof *w->inv_won);
    w->thr = util_malloc(B * sizeof *w->thr);
    w->b2won = util_malloc(B * sizeof *w->b2won);
    w->P = util_malloc(per * B * sizeof *w->P + 1);
    w->R = util_malloc(per * B * sizeof *w->R + 1);
    w->scratch = util_malloc(2 * B * sizeof *w->scratch);
    w->CW = util_malloc(per * BLK_CHUNK * sizeof *w->CW + 1);
    w->CL = util_malloc(per * BLK_CHUNK * sizeof *w->CL + 1);
    w->cw = util_malloc(cw * sizeof *w->cw + 1);
    w->cl = util_malloc(cw * sizeof *w->cl + 1);
    w->hw = util_malloc(nF * sizeof *w->hw);
    w->hm = util_malloc(nF * sizeof *w->hm);
    w->wP = util_calloc(nF, sizeof *w->wP);
    w->wR = util_calloc(nF, sizeof *w->wR);
    if (!(w->small ? w->s32 && w->m32 : w->sl && w->ml) || !w->rw || !w->rm || !w->inv_won ||
        !w->thr || !w->b2won || !w->P || !w->R || !w->scratch || !w->CW || !w->CL || !w->cw ||
        !w->cl || !w->hw || !w->hm || !w->wP || !w->wR)
        return -1;
    w->f1ish = c->obj->kind == SCENARIO_OBJ_F1 || c->obj->kind == SCENARIO_OBJ_FBETA;
    w->b2 = c->obj->kind == SCENARIO_OBJ_FBETA ? c->obj->a * c->obj->a : 1;
    w->f1b = 1 + w->b2;
    for (size_t b = 0; b < B; b++) {
        long won = p->won[b];
        w->inv_won[b] = won ? 1.0 / (double)won : NAN;
        w->thr[b] = -INFINITY;
        w->b2won[b] = w->b2 * (double)won;
    }
    return 0;
}

/* Counts the NB resamples from B0 of block K into W->CW and W->CL. */
static void blk_chunk_draw(const blk_ctx *c, blk_work *w, size_t k, gsl_rng *rng, long b0,
                           size_t nb) {
    const blk_plan *p = c->p;
    const blk *q = &p->q[k];
    size_t nr = q->j1 - q->j0;
    if (!q->multi) {
        memset(w->CW, 0, nr * nb * sizeof *w->CW);
        memset(w->CL, 0, nr * nb * sizeof *w->CL);
    }
    for (size_t i = 0; i < nb; i++) {
        long b = b0 + (long)i;
        if (!q->multi) {
            blk_draw_leads(p, k, b, w->CW + i, w->CL + i, nb);
            continue;
        }
        blk_draw(p, k, b, rng, w->cw, w->cl);
        for (size_t jl = 0; jl < nr; jl++) {
            w->CW[jl * nb + i] = w->cw[jl];
            w->CL[jl * nb + i] = w->cl[jl];
        }
    }
}

static void *blk_run(void *arg) {
    blk_ctx *c = arg;
    const blk_plan *p = c->p;
    sweep *s = c->s;
    long B = p->B;
    size_t per = 0, any = 0, nF = p->nF;
    for (size_t k = 0; k < p->Q; k++) {
        size_t nr = p->q[k].j1 - p->q[k].j0;
        if (nr > any) any = nr;
        if (k >= c->qa && k < c->qb && nr > per) per = nr;
    }
    blk_work w;
    int wrc = blk_work_init(&w, c, per, any);
    c->pk = util_malloc((size_t)B * sizeof *c->pk);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    if (wrc < 0 || !c->pk || !rng) {
        c->failed = 1;
        goto done;
    }
    for (long b = 0; b < B; b++) objective_pick_init(&c->pk[b]);
    blk_work_above(&w, c, rng);
    const uint8_t *is_canon = c->is_canon;
    int have_r = 0;      /* r_lo, r_hi: the recall interval of the last row done */
    double r_lo = NAN, r_hi = NAN;
    for (size_t k = c->qb; k-- > c->qa;) {
        const blk *q = &p->q[k];
        size_t j0 = q->j0, nr = q->j1 - q->j0;
        /* The block's draws, BLK_CHUNK resamples at a time, counted row by
         * row (a small table that stays in cache) so that each row then runs
         * over those resamples at once; each row's values of every resample
         * are kept for its quantiles. */
        for (long b0 = 0; b0 < B; b0 += BLK_CHUNK) {
            size_t nb = (size_t)(B - b0 < BLK_CHUNK ? B - b0 : BLK_CHUNK);
            blk_chunk_draw(c, &w, k, rng, b0, nb);
            for (size_t jl = nr; jl-- > 0;) {
                size_t row = j0 + jl, g = row % nF, o = g * (size_t)B + (size_t)b0;
                if (g == nF - 1) {
                    memset(w.rw, 0, nb * sizeof *w.rw);
                    memset(w.rm, 0, nb * sizeof *w.rm);
                }
                const uint32_t *cwr = w.CW + jl * nb, *clr = w.CL + jl * nb;
                float *P = w.P + jl * (size_t)B + b0, *R = w.R + jl * (size_t)B + b0;
                if (w.small)
                    row_small(cwr, clr, w.rw, w.rm, w.s32 + o, w.m32 + o, w.inv_won + b0, P, R,
                              (long)nb);
                else row_large(cwr, clr, w.rw, w.rm, w.sl + o, w.ml + o, p->won + b0, P, R,
                               (long)nb);
                if (is_canon[row]) blk_offer(c, &w, row, g, b0, b0 + (long)nb);
            }
        }
        for (size_t jl = nr; jl-- > 0;) {
            size_t row = j0 + jl;
            if (!is_canon[row]) continue;
            sweep_row *sr = &s->rows[row];
            /* the windows of row (j + 1, g) are the first guess for (j, g) */
            qwin *wP = &w.wP[row % nF], *wR = &w.wR[row % nF];
            interval_of(w.P + jl * (size_t)B, B, wP, w.scratch, &sr->p_lo, &sr->p_hi);
            /* In single-axis mode a row without won leads of its own has the
             * won hand-offs of the row above in every resample, so the same
             * recall values: its interval is that row's (with decay, most
             * rows; rows between that are not canonical have no leads). */
            if (nF == 1 && have_r && p->pw[row] == 0) {
                sr->r_lo = r_lo, sr->r_hi = r_hi;
                continue;
            }
            interval_of(w.R + jl * (size_t)B, B, wR, w.scratch, &sr->r_lo, &sr->r_hi);
            r_lo = sr->r_lo, r_hi = sr->r_hi, have_r = 1;
        }
    }
done:
    blk_work_fini(&w);
    gsl_rng_free(rng);
    return NULL;
}

/* Resamples by blocks: fills every canonical row's
 * intervals and CHOSEN / *NONE. Returns 0, 1 when the blocks' tables would
 * be too large (nothing written), or -1 when memory runs out. */
static int blk_resample(sweep *s, const replay *r, const sweep_opts *o, const objective_spec *obj,
                        const uint32_t *J, const uint32_t *G, const unsigned long *seeds,
                        const double *wp90,
                        const uint8_t *is_canon, long *chosen, long *none) {
    long B = o->bootstrap;
    blk_plan p;
    int rc = blk_plan_init(&p, s, r, J, G, B);
    int nth = o->threads < 1 ? 1 : o->threads;
    blk_top_ctx *top = NULL;
    blk_ctx *ctx = NULL;
    if (rc != 0) goto done;
    rc = -1;
    int ntop = nth > B ? (int)B : nth;
    top = util_calloc((size_t)ntop, sizeof *top);
    if (!top) goto done;
    for (int k = 0; k < ntop; k++)
        top[k] = (blk_top_ctx){.p = &p, .r = r, .J = J, .seeds = seeds, .b0 = B * k / ntop,
                               .b1 = B * (k + 1) / ntop};
    util_parallel(blk_top_run, top, sizeof *top, ntop);
    for (int k = 0; k < ntop; k++)
        if (top[k].failed) goto done;
    /* blocks to threads by equal work, in row order */
    if ((size_t)nth > p.Q) nth = (int)p.Q;
    ctx = util_calloc((size_t)nth, sizeof *ctx);
    if (!ctx) goto done;
    double total = 0, acc = 0;
    for (size_t k = 0; k < p.Q; k++) total += p.q[k].work;
    size_t k = 0;
    for (int t = 0; t < nth; t++) {
        ctx[t] = (blk_ctx){.p = &p, .s = s, .obj = obj, .wp90 = wp90, .is_canon = is_canon, .qa = k};
        double goal = total * (t + 1) / nth;
        if (t == nth - 1) k = p.Q;
        else
            do acc += p.q[k++].work;
            while (k < p.Q - (size_t)(nth - t - 1) && acc < goal);
        ctx[t].qb = k;
    }
    util_parallel(blk_run, ctx, sizeof *ctx, nth);
    for (int t = 0; t < nth; t++)
        if (ctx[t].failed) goto done;
    for (long b = 0; b < B; b++) {
        objective_pick pk;
        objective_pick_init(&pk);
        for (int t = 0; t < nth; t++) objective_pick_merge(&pk, &ctx[t].pk[b]);
        if (pk.best >= 0) chosen[pk.best]++;
        else (*none)++;
    }
    rc = 0;
done:
    for (int t = 0; ctx && t < nth; t++) free(ctx[t].pk);
    free(ctx);
    free(top);
    blk_plan_fini(&p);
    return rc;
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

/* Copies each canonical row's intervals to the rows it stands for (REP) and
 * fills the picks' fields from CHOSEN (per row) and NONE. Returns 0, or -1
 * with err (memory). */
static int boot_finish(sweep *s, const size_t *rep, const long *chosen, long none,
                       util_err *err) {
    for (size_t j = 0; j < s->nrows; j++) {
        sweep_row *w = &s->rows[j], *c0 = &s->rows[rep[j]];
        w->p_lo = c0->p_lo, w->p_hi = c0->p_hi, w->r_lo = c0->r_lo, w->r_hi = c0->r_hi;
        w->chosen = chosen[j];
    }
    s->boot_none = none;
    if (pick_interval(s, chosen, 0, &s->choice_T_lo, &s->choice_T_hi) < 0 ||
        (s->two_axis && pick_interval(s, chosen, 1, &s->choice_F_lo, &s->choice_F_hi) < 0))
        return util_enomem(err);
    if (s->best >= 0) s->stability = (double)s->rows[s->best].chosen / (double)s->nboot;
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
    /* the constraint held at its full-data value (under sla:P, the row's SLA
     * attainment: sweep_sales_fixed) */
    for (size_t j = 0; j < s->nrows; j++) wp90[j] = sweep_sales_fixed(s, j);
    {
        long *chosen = util_calloc(s->nrows, sizeof *chosen);
        uint8_t *is_canon = util_calloc(s->nrows, 1);
        long none = 0;
        int brc = chosen && is_canon ? 0 : -1;
        for (size_t q = 0; brc == 0 && q < ncanon; q++) is_canon[canon[q]] = 1;
        if (brc == 0) brc = blk_resample(s, r, o, obj, J, G, seeds, wp90, is_canon, chosen, &none);
        free(is_canon);
        if (brc == 0) {
            rc = boot_finish(s, rep, chosen, none, err);
            free(chosen);
            goto done;
        }
        free(chosen);
        if (brc < 0) {
            util_enomem(err);
            goto done;
        }
    }
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
    rc = boot_finish(s, rep, ctx[0].chosen, ctx[0].none, err);
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

/* Per lead the row indices at which it stops being an MQL: the T index of
 * its best score (nT: none, or qualified at every row by fast track or a
 * rule) and the F index of its fit. */
typedef struct axes_ctx {
    const sweep *s;
    const replay *r;
    uint32_t *J, *G;
    size_t i0, i1;
} axes_ctx;

static void *axes_run(void *arg) {
    axes_ctx *c = arg;
    const sweep *s = c->s;
    const replay *r = c->r;
    uint32_t *J = c->J, *G = c->G;
    for (size_t i = c->i0; i < c->i1; i++) {
        J[i] = (uint32_t)s->nT;
        G[i] = 0;
        if (r->st_off[i] < r->st_off[i + 1] && r->fast[i] == TSTAMP_NONE) {
            J[i] = (uint32_t)axis_index(s, 0, r->st_val[r->st_off[i + 1] - 1]);
            if (r->two_axis) G[i] = (uint32_t)axis_index(s, 1, r->fit[i]);
        }
    }
    return NULL;
}

/* The same on THREADS threads, each a slice of the leads. */
static void lead_axes(const sweep *s, const replay *r, uint32_t *J, uint32_t *G, int threads) {
    axes_ctx ctx[UTIL_MAX_THREADS];
    int nth = threads < 1 ? 1 : threads > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : threads;
    for (int k = 0; k < nth; k++)
        ctx[k] = (axes_ctx){.s = s, .r = r, .J = J, .G = G, .i0 = r->n * (size_t)k / (size_t)nth,
                            .i1 = r->n * (size_t)(k + 1) / (size_t)nth};
    util_parallel(axes_run, ctx, sizeof *ctx, nth);
}

int boot_cells(const sweep *s, const replay *r, const sweep_opts *o, long b, unsigned int *won,
               unsigned int *lost, unsigned int extra[4]) {
    if (s->nrows == 0 || r->n == 0 || o->bootstrap <= b) return 1;
    uint32_t *J = util_malloc(r->n * sizeof *J), *G = util_malloc(r->n * sizeof *G);
    unsigned long *seeds = util_malloc((size_t)(b + 1) * sizeof *seeds);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937), *brng = gsl_rng_alloc(gsl_rng_taus2);
    blk_plan p;
    memset(&p, 0, sizeof p);
    int rc = -1;
    if (!J || !G || !seeds || !rng || !brng) goto done;
    lead_axes(s, r, J, G, 1);
    gsl_rng_set(rng, o->seed);
    for (long k = 0; k <= b; k++) seeds[k] = gsl_rng_get(rng);
    rc = blk_plan_init(&p, s, r, J, G, o->bootstrap);
    if (rc != 0) goto done;
    blk_top_ctx top = {.p = &p, .r = r, .J = J, .seeds = seeds, .b0 = b, .b1 = b + 1};
    blk_top_run(&top);
    rc = -1;
    if (top.failed) goto done;
    unsigned long active = 0, wact = 0;
    for (size_t k = 0; k < p.Q; k++) {
        size_t t = (size_t)b * p.Q + k;
        blk_draw(&p, k, b, brng, won + p.q[k].j0, lost + p.q[k].j0);
        active += p.cw[t] + p.cl[t];
        wact += p.cw[t];
    }
    extra[0] = (unsigned int)p.ftp[b];
    extra[1] = (unsigned int)(p.fmq[b] - p.ftp[b]);
    extra[2] = (unsigned int)(p.won[b] - p.ftp[b] - (long)wact);
    extra[3] = (unsigned int)(r->n - active - extra[0] - extra[1] - extra[2]);
    rc = 0;
done:
    blk_plan_fini(&p);
    free(J);
    free(G);
    free(seeds);
    gsl_rng_free(rng);
    gsl_rng_free(brng);
    return rc;
}

int boot_run(sweep *s, const replay *r, const sweep_opts *o, util_err *err) {
    size_t n = r->n;
    if (o->bootstrap <= 0 || s->nrows == 0 || n == 0) return 0;
    uint32_t *J = util_malloc(n * sizeof *J + 1), *G = util_malloc(n * sizeof *G + 1);
    if (!J || !G) {
        free(J);
        free(G);
        return util_enomem(err);
    }
    lead_axes(s, r, J, G, o->threads);
    objective_spec obj;
    sweep_objective_of(s, &obj);
    int rc = resample_all(s, r, o, &obj, J, G, err);
    free(J);
    free(G);
    return rc;
}
