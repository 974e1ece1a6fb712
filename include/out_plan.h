/* out_plan.h - the files and the terminal text of `leadsim plan` (SPEC 5.9, 7).
 *
 * plan.csv (leads, mqls, deals, lag_days with point, median, intervals and
 * the 80%/95% figures), plan-curve.csv (the probability of reaching the goal
 * against the leads), plan-months.csv (per month of the period, the share of
 * its deals that close by its end), plan.md (the plan in words, with the
 * funnel it comes from and the Data section of every verb), the plots, and
 * the lines on standard output. Writers only: every number comes from
 * plan.h and the replay; the caller stages the bytes through outdir. */
#ifndef LEADSIM_OUT_PLAN_H
#define LEADSIM_OUT_PLAN_H

#include "out_plots.h"
#include "out_scn.h"
#include "outdir.h"
#include "plan.h"

typedef struct out_plan {
    const out_scn *s;       /* sc, ds, rp, data_path */
    const plan_input *in;
    const plan *p;
    double T, F;            /* the threshold used (F in two-axis mode only) */
    int two_axis;
    int picked;             /* T is the sweep's pick, not the scenario's one threshold */
    long young;             /* cohort leads created less than the lag's 80th percentile
                             * before until; -1 when not counted (maturity_days set, no lag) */
    long suggest_maturity;  /* the maturity_days to suggest when young > 0 */
    double capacity;        /* MQLs the team follows up per week; NaN without [sales] */
} out_plan;

/* The files. The months return 1, writing nothing, without a period or
 * without lags (a snapshot, or no won MQL with a closed_at). */
void out_plan_csv(util_buf *b, const out_plan *op);
void out_plan_curve_csv(util_buf *b, const out_plan *op);
int out_plan_months_csv(util_buf *b, const out_plan *op);
void out_plan_md(util_buf *b, const out_plan *op);
/* What the terminal shows: the funnel, the leads needed, the calendar and
 * where the files are (BASE). */
void out_plan_stdout(util_buf *b, const out_plan *op, const char *base);
/* The plots (plan-leads, plan-reach, plan-lag) into C's items. */
int out_plan_plots(out_plots *c, outdir *o, const out_plan *op, util_err *err);
/* Remove the plot data files this module wrote to C's work folder (before
 * out_plots_close, which removes the folder). */
void out_plan_plots_clean(out_plots *c);

#endif
