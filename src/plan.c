/* plan.c - leads needed for a revenue goal: the reverse funnel, its Monte Carlo and the calendar.
 *
 * The model of SPEC 5.9 on plain numbers (plan.h). The draws of one variant
 * run on one generator in a fixed order (p1, p2, the resampled amounts, the
 * leads' negative binomial, the MQLs'), so a seed gives the same figures
 * every time; the variants that apportion the uncertainty have generators
 * of their own (seed + 1, + 2, + 3), so adding one never moves another. */
#include "plan.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tstamp.h"

double plan_quantile(const double *v, size_t n, double q) {
    if (n == 0) return NAN;
    return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

double plan_share_le(const double *v, size_t n, double x) {
    if (n == 0) return NAN;
    size_t lo = 0, hi = n; /* first index with v > x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return (double)lo / (double)n;
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The figures of plan_q from N ascending draws (point left as it is). */
static void quantiles(plan_q *q, const double *v, size_t n) {
    q->median = plan_quantile(v, n, 0.5);
    q->lo80 = plan_quantile(v, n, 0.1);
    q->hi80 = plan_quantile(v, n, 0.9);
    q->lo95 = plan_quantile(v, n, 0.025);
    q->hi95 = plan_quantile(v, n, 0.975);
    q->p80 = plan_quantile(v, n, 0.8);
    q->p95 = plan_quantile(v, n, 0.95);
}

/* The fewest deals of amount A whose sum reaches GOAL. */
static double fixed_deals(double goal, double a) {
    double k = ceil(goal / a);
    while (k > 1 && (k - 1) * a >= goal) k--;
    while (k * a < goal) k++;
    return k;
}

/* The amounts as a pool to resample from: each distinct amount once, with
 * how often it occurs (its weight in a multinomial draw). */
typedef struct pool {
    double *value, *weight;
    unsigned *count; /* scratch for a block's counts */
    size_t k;
    double max;
} pool;

static void pool_fini(pool *q) {
    free(q->value);
    free(q->weight);
    free(q->count);
}

/* From the amounts sorted ascending. Returns 0, or -1 when memory runs out. */
static int pool_init(pool *q, const double *sorted, size_t n) {
    memset(q, 0, sizeof *q);
    if (!(q->value = util_calloc(n ? n : 1, sizeof *q->value)) ||
        !(q->weight = util_calloc(n ? n : 1, sizeof *q->weight)) ||
        !(q->count = util_calloc(n ? n : 1, sizeof *q->count)))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (q->k == 0 || q->value[q->k - 1] != sorted[i]) q->value[q->k++] = sorted[i];
        q->weight[q->k - 1]++;
    }
    q->max = n ? sorted[n - 1] : 0;
    return 0;
}

/* The fewest amounts, resampled with replacement, whose sum reaches the
 * goal (an amount is positive, so this ends; the goal needs at most
 * PLAN_MAX_DEALS on average, checked before). While even B deals of the
 * largest amount cannot reach what is left, the next B deals are drawn
 * at once: B uniform picks among the amounts are a multinomial draw of how
 * many times each is picked, and no partial sum of them reaches the goal,
 * so only their total matters. That is the same distribution as picking
 * them one by one, in O(distinct amounts) instead of O(B). */
static double draw_deals(gsl_rng *r, const plan_input *in, const pool *q) {
    double sum = 0, d = 0;
    double block_min = q->k * 8.0 > 64 ? q->k * 8.0 : 64; /* where a block costs less */
    unsigned long na = (unsigned long)in->namount;
    while (sum < in->goal) {
        double B = ceil((in->goal - sum) / q->max) - 2; /* B * max < goal - sum */
        if (B >= block_min) {
            if (B > 1e9) B = 1e9;
            gsl_ran_multinomial(r, q->k, (unsigned)B, q->weight, q->count);
            for (size_t j = 0; j < q->k; j++) sum += q->count[j] * q->value[j];
            d += B;
            continue;
        }
        sum += in->amount[gsl_rng_uniform_int(r, na)];
        d++;
    }
    return d;
}

/* NegativeBinomial(D, P) failures before the D-th success, as GSL's
 * gsl_ran_negative_binomial draws it (a Poisson of a Gamma(D) mean, the same
 * calls in the same order), in a double: beyond 2^31 GSL's unsigned result
 * would wrap, and there the Poisson is drawn by its normal approximation
 * (whose skewness, 1 / sqrt(mean), is below 3e-5 there). */
static double nb_draw(gsl_rng *r, double p, double d) {
    double mu = gsl_ran_gamma(r, d, 1.0) * (1 - p) / p;
    if (mu < 2e9) return (double)gsl_ran_poisson(r, mu);
    double k = nearbyint(mu + sqrt(mu) * gsl_ran_ugaussian(r));
    return k < 0 ? 0 : k;
}

/* One variant's draws: leads into N (and MQLs and deals into M and D when
 * not NULL). RATES: draw p1 and p2 (else m/n and t/m); SIZES: resample the
 * amounts (else the deals of amounts fixed at their mean). */
static void draws(const plan_input *in, const plan *p, const pool *q, gsl_rng *r,
                  unsigned long seed, int rates, int sizes, double *N, double *M, double *D) {
    gsl_rng_set(r, seed);
    double fixed = in->by_deals ? in->goal : fixed_deals(in->goal, p->mean_amount);
    for (long s = 0; s < in->draws; s++) {
        double p1 = p->p1, p2 = p->p2;
        if (rates) {
            p1 = gsl_ran_beta(r, (double)in->m + 0.5, (double)(in->n - in->m) + 0.5);
            p2 = gsl_ran_beta(r, (double)in->t + 0.5, (double)(in->m - in->t) + 0.5);
        }
        double d = sizes && !in->by_deals ? draw_deals(r, in, q) : fixed;
        N[s] = d + nb_draw(r, p1 * p2, d);
        if (M) M[s] = d + nb_draw(r, p2, d);
        if (D) D[s] = d;
    }
}

/* The lags' figures and the calendar of the period. */
static int calendar(const plan_input *in, plan *p, util_err *err) {
    p->latest[0] = p->latest[1] = p->latest[2] = TSTAMP_NONE;
    p->lag.point = p->lag.median = p->lag.lo80 = p->lag.hi80 = NAN;
    p->lag.lo95 = p->lag.hi95 = p->lag.p80 = p->lag.p95 = NAN;
    if (in->nlag > 0) {
        if (!(p->lag_sorted = util_calloc(in->nlag, sizeof *p->lag_sorted))) return util_enomem(err);
        memcpy(p->lag_sorted, in->lag, in->nlag * sizeof *in->lag);
        qsort(p->lag_sorted, in->nlag, sizeof *p->lag_sorted, cmp_dbl);
        p->nlag = in->nlag;
        util_fsum s;
        util_fsum_init(&s);
        for (size_t i = 0; i < in->nlag; i++) util_fsum_add(&s, in->lag[i]);
        p->lag.point = util_fsum_value(&s) / (double)in->nlag;
        quantiles(&p->lag, p->lag_sorted, p->nlag);
    }
    if (!in->has_period) return 0;
    static const double qs[3] = {0.5, 0.8, 0.95};
    for (int k = 0; k < 3 && p->nlag; k++)
        p->latest[k] = in->to - llround(plan_quantile(p->lag_sorted, p->nlag, qs[k]) *
                                        (double)TSTAMP_USEC_PER_DAY);
    char day[16];
    tstamp_format_date(in->from, day, sizeof day);
    int y = atoi(day), mo = atoi(day + 5);
    size_t cap = 0;
    for (int64_t start = tstamp_from_civil(y, mo, 1, 0, 0, 0); start < in->to;) {
        int64_t end = tstamp_from_civil(y, mo + 1, 1, 0, 0, 0);
        if (util_grow((void **)&p->months, &cap, p->nmonths + 1, sizeof *p->months) < 0)
            return util_enomem(err);
        plan_month *m = &p->months[p->nmonths++];
        m->start = start;
        m->end = end;
        /* the month's midpoint, and how long its deals have until E */
        double left = (double)(in->to - (start + (end - start) / 2)) / (double)TSTAMP_USEC_PER_DAY;
        m->share = left < 0 || !p->nlag ? 0 : plan_share_le(p->lag_sorted, p->nlag, left);
        if (!p->nlag) m->share = NAN;
        start = end;
        if (++mo > 12) {
            mo = 1;
            y++;
        }
    }
    return 0;
}

/* What makes the model undefined or too large, before any draw. */
static int check_input(const plan_input *in, plan *p, pool *q, util_err *err) {
    if (in->n <= 0) return util_errf(err, UTIL_EDATA, "the cohort has no lead");
    if (in->m <= 0)
        return util_errf(err, UTIL_EDATA,
                         "no cohort lead became an MQL (lead to MQL rate 0): no number of leads "
                         "reaches the goal; lower the threshold or widen the cohort");
    if (in->t <= 0)
        return util_errf(err, UTIL_EDATA,
                         "no MQL of the cohort was won (MQL to won rate 0): no number of leads "
                         "reaches the goal; lower the threshold, widen the cohort or check the "
                         "outcomes");
    p->p1 = (double)in->m / (double)in->n;
    p->p2 = (double)in->t / (double)in->m;
    p->mean_amount = p->median_amount = NAN;
    if (in->namount > 0) {
        double *a = util_calloc(in->namount, sizeof *a);
        if (!a) return util_enomem(err);
        memcpy(a, in->amount, in->namount * sizeof *a);
        qsort(a, in->namount, sizeof *a, cmp_dbl);
        util_fsum s;
        util_fsum_init(&s);
        for (size_t i = 0; i < in->namount; i++) util_fsum_add(&s, a[i]);
        p->mean_amount = util_fsum_value(&s) / (double)in->namount;
        p->median_amount = plan_quantile(a, in->namount, 0.5);
        int rc = pool_init(q, a, in->namount);
        free(a);
        if (rc < 0) return util_enomem(err);
    }
    if (!in->by_deals) {
        if (in->namount == 0)
            return util_errf(err, UTIL_EDATA,
                             "none of the %ld won MQLs has an amount, so a revenue goal cannot be "
                             "turned into deals; add amounts to the outcomes or give the goal in "
                             "won deals with --deals N",
                             in->t);
        if (!(p->mean_amount > 0))
            return util_errf(err, UTIL_EDATA,
                             "every amount of the %zu won MQLs that have one is 0, so no number of "
                             "deals reaches a revenue goal; check the amounts or give the goal in "
                             "won deals with --deals N",
                             in->namount);
    }
    p->point_deals = in->by_deals ? in->goal : in->goal / p->mean_amount;
    if (p->point_deals > PLAN_MAX_DEALS)
        return util_errf(err, UTIL_EDATA,
                         "the goal needs about %.3g won deals, more than the %.0f a plan draws; "
                         "give a smaller goal",
                         p->point_deals, PLAN_MAX_DEALS);
    if (p->point_deals / (p->p1 * p->p2) > PLAN_MAX_LEADS)
        return util_errf(err, UTIL_EDATA,
                         "the goal needs about %.3g leads, more than the %.0f a plan draws; give "
                         "a smaller goal",
                         p->point_deals / (p->p1 * p->p2), PLAN_MAX_LEADS);
    return 0;
}

int plan_run(const plan_input *in, plan **out, util_err *err) {
    *out = NULL;
    plan *p = util_calloc(1, sizeof *p);
    if (!p) return util_enomem(err);
    size_t nd = (size_t)in->draws;
    double *M = NULL, *D = NULL, *V = NULL;
    gsl_rng *r = NULL;
    pool q;
    memset(&q, 0, sizeof q);
    if (check_input(in, p, &q, err) < 0) goto fail;
    if (!(r = gsl_rng_alloc(gsl_rng_mt19937)) ||
        !(p->leads_sorted = util_calloc(nd, sizeof *p->leads_sorted)) ||
        !(M = util_calloc(nd, sizeof *M)) || !(D = util_calloc(nd, sizeof *D)) ||
        !(V = util_calloc(nd, sizeof *V))) {
        util_enomem(err);
        goto fail;
    }
    p->ndraws = nd;
    double lead_rate = p->p1 * p->p2;
    p->deals.point = p->point_deals;
    p->mqls.point = in->by_deals ? in->goal / p->p2 : in->goal / (p->p2 * p->mean_amount);
    p->leads.point = in->by_deals ? in->goal / lead_rate : in->goal / (lead_rate * p->mean_amount);

    draws(in, p, &q, r, in->seed, 1, 1, p->leads_sorted, M, D);
    qsort(p->leads_sorted, nd, sizeof *p->leads_sorted, cmp_dbl);
    qsort(M, nd, sizeof *M, cmp_dbl);
    qsort(D, nd, sizeof *D, cmp_dbl);
    quantiles(&p->leads, p->leads_sorted, nd);
    quantiles(&p->mqls, M, nd);
    quantiles(&p->deals, D, nd);
    p->variant[PLAN_BOTH] = p->leads;
    static const int rates[PLAN_NVARIANTS] = {1, 1, 0, 0}, sizes[PLAN_NVARIANTS] = {1, 0, 1, 0};
    for (int k = PLAN_RATES_ONLY; k < PLAN_NVARIANTS; k++) {
        draws(in, p, &q, r, in->seed + (unsigned long)k, rates[k], sizes[k], V, NULL, NULL);
        qsort(V, nd, sizeof *V, cmp_dbl);
        p->variant[k].point = p->leads.point;
        quantiles(&p->variant[k], V, nd);
    }
    if (calendar(in, p, err) < 0) goto fail;
    pool_fini(&q);
    gsl_rng_free(r);
    free(M);
    free(D);
    free(V);
    *out = p;
    return 0;
fail:
    pool_fini(&q);
    if (r) gsl_rng_free(r);
    free(M);
    free(D);
    free(V);
    plan_free(p);
    return -1;
}

void plan_free(plan *p) {
    if (!p) return;
    free(p->leads_sorted);
    free(p->lag_sorted);
    free(p->months);
    free(p);
}
