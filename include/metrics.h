/* metrics.h - classification metrics and weekly workload at one threshold (SPEC 5.4).
 *
 * Given a replay, metrics_eval() classifies every cohort lead at threshold T
 * (and fit threshold F in two-axis mode) and computes the contract metrics,
 * the median days to MQL and hand-offs per ISO week over the cohort's weeks.
 * A ratio whose denominator is zero is NaN here and an empty field in every
 * output. */
#ifndef LEADSIM_METRICS_H
#define LEADSIM_METRICS_H

#include <stdint.h>

#include "replay.h"
#include "util.h"

typedef struct metrics_row {
    double threshold, fit_threshold;
    int two_axis;
    long leads, won, mqls, tp, fp, fn, tn;
    double precision, recall, f1, mql_rate, lift, revenue_recall; /* NaN = undefined */
    double median_days;   /* days from created_at to MQL, NaN when no MQL or no time */
    double weekly_mean, weekly_p90, weekly_max; /* over the cohort's weeks; NaN when none */
    int64_t first_week;   /* Monday 00:00 UTC of the cohort's first week */
    long nweeks;          /* the cohort's weeks (metrics_cohort_weeks) */
    long *weekly;         /* hand-offs per week, nweeks entries; NULL when no week */
} metrics_row;

/* The ratios of SPEC 5.4 from the counts, NaN where a denominator is 0:
 * the one definition every table and plot uses. */
typedef struct metrics_ratios {
    double precision, recall, f1, mql_rate, lift, revenue_recall;
} metrics_ratios;
void metrics_ratios_of(long leads, long won, long tp, long fp, double tp_amount,
                       double won_amount, metrics_ratios *out);

/* The weeks hand-offs are counted over (SPEC 5.4): the ISO weeks (Monday
 * 00:00 UTC) from the week of the cohort's first created_at to the week of
 * until, empty weeks included; the same for every threshold, so that one
 * hand-off in a year is not "1 per week". Sets *w0 to the first Monday and
 * returns the number of weeks: 0 without time (a snapshot), without leads,
 * or when until is before the first lead's week. Every MQL time lies in
 * them (created_at <= t < cutoff <= until). Time O(leads). */
long metrics_cohort_weeks(const replay *r, int64_t *w0);

/* Fill row for threshold T and fit threshold F, classifying the leads on
 * NTHREADS threads (the result does not depend on it). Returns 0, or -1
 * (memory). Time O(leads + staircase records + weeks). */
int metrics_eval(const replay *r, double T, double F, int nthreads, metrics_row *row,
                 util_err *err);
/* Replace row's hand-offs per week (over its nweeks cohort weeks) by W,
 * which may count more hand-offs than leads (recycling, SPEC 5.6), and
 * recompute weekly_mean, weekly_p90 and weekly_max from them. Returns 0,
 * or -1 with err (memory; row unchanged). */
int metrics_set_weekly(metrics_row *row, const long *w, util_err *err);
void metrics_row_fini(metrics_row *row);

#endif
