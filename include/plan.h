/* plan.h - leads needed for a revenue goal (SPEC 5.9): the reverse funnel and its Monte Carlo.
 *
 * From a definition's history (n cohort leads, m MQLs, t won MQLs, the
 * amounts of those deals and their lags from created_at to closed_at),
 * plan_run() draws, per Monte Carlo draw s:
 *   p1 ~ Beta(m + 1/2, n - m + 1/2), p2 ~ Beta(t + 1/2, m - t + 1/2),
 *   D_s = the fewest deals whose amounts, resampled with replacement from the
 *         t amounts, reach the goal (with a goal in deals, D_s = that goal),
 *   N_s = D_s + NegativeBinomial(D_s, p1 * p2)   leads,
 *   M_s = D_s + NegativeBinomial(D_s, p2)        MQLs,
 * and reports their point estimates, medians, intervals and the quantities
 * that reach the goal with 80% and 95% probability (R type-7 quantiles of
 * the draws). The same draws with only the rates uncertain (amounts fixed at
 * their mean), only the deal sizes uncertain (rates fixed at m/n and t/m),
 * and neither, say what drives the interval. The lags give the calendar:
 * their own quantiles (no Monte Carlo), the latest arrival dates E - lag_q of
 * a period [D, E), and per calendar month overlapping it the share of its
 * deals expected to close by E.
 *
 * Pure: plain numbers in, plain numbers out, one GSL generator (mt19937)
 * seeded with the seed given, on one thread: the same input and seed give
 * the same bytes whatever else runs. Not for: choosing the threshold or
 * collecting the history (cmd_plan.c), or writing anything (out_plan.c). */
#ifndef LEADSIM_PLAN_H
#define LEADSIM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Most draws, and most won deals a goal may need (each draw resamples
 * that many amounts), and most leads (the negative binomial's range). */
#define PLAN_MAX_DRAWS 10000000L
#define PLAN_MAX_DEALS 10000000.0
#define PLAN_MAX_LEADS 1e9

typedef struct plan_input {
    long n, m, t;          /* cohort leads, MQLs, won MQLs */
    const double *amount;  /* amounts of the won MQLs that have one (0 included) */
    size_t namount;
    const double *lag;     /* days from created_at to closed_at of the won MQLs
                            * with a closed_at; any order */
    size_t nlag;
    int by_deals;          /* the goal is a number of won deals, not revenue */
    double goal;           /* revenue, or won deals when by_deals (whole) */
    long draws;
    unsigned long seed;
    int has_period;
    int64_t from, to;      /* the period [D, E) (microseconds UTC), when has_period */
} plan_input;

/* One quantity's figures: the point estimate, the draws' median, the 80%
 * and 95% intervals (quantiles 0.1-0.9 and 0.025-0.975) and the values
 * reached with 80% and 95% probability (quantiles 0.8 and 0.95). */
typedef struct plan_q {
    double point, median, lo80, hi80, lo95, hi95, p80, p95;
} plan_q;

enum { PLAN_BOTH, PLAN_RATES_ONLY, PLAN_SIZES_ONLY, PLAN_NEITHER, PLAN_NVARIANTS };

typedef struct plan_month {
    int64_t start, end;    /* the calendar month [start, end) */
    double share;          /* of its deals, those expected to close by E */
} plan_month;

typedef struct plan {
    double p1, p2;                 /* m / n, t / m */
    double mean_amount, median_amount; /* NaN with a goal in deals and no amounts */
    double point_deals;            /* goal / mean amount, or the goal in deals */
    plan_q leads, mqls, deals;     /* the full model */
    plan_q lag;                    /* point = mean lag; NaN without lags */
    plan_q variant[PLAN_NVARIANTS]; /* leads, per PLAN_* source of uncertainty */
    double *leads_sorted;          /* N_s of the full model, ascending */
    size_t ndraws;
    double *lag_sorted;            /* the lags, ascending */
    size_t nlag;
    int64_t latest[3];             /* E - lag q for q = 0.5, 0.8, 0.95 (has_period,
                                    * lags); TSTAMP_NONE otherwise */
    plan_month *months;            /* the months overlapping [D, E) */
    size_t nmonths;
} plan;

/* Run the model on IN. Errors (UTIL_EDATA): n, m or t is 0 (a rate of 0),
 * a revenue goal without amounts or with only amounts of 0, a goal that
 * needs more than PLAN_MAX_DEALS deals or PLAN_MAX_LEADS leads; memory
 * (UTIL_EINTERNAL). Messages say which, without a file name (the caller
 * adds the scenario's). Time O(draws * (log draws + the deals a draw
 * picks one by one)) + O(lags log lags): deals are picked one by one only
 * near the goal (within about 8 * distinct amounts * largest / mean amount
 * deals of it), in blocks of one multinomial draw before. */
int plan_run(const plan_input *in, plan **out, util_err *err);
void plan_free(plan *p);

/* R type-7 quantile Q of the N ascending values V; NaN when N is 0. */
double plan_quantile(const double *v, size_t n, double q);
/* Share of the N ascending values V that are <= X. */
double plan_share_le(const double *v, size_t n, double x);

#endif
