/* sweep_sales.h - the queue and recycling figures of a sweep's rows, and the sla:P pick.
 *
 * After sweep_run, with [sales]: each row's hand-offs, queue and
 * recycling counts (sales.h) into sw->sales. Every row when that is
 * affordable (rows times leads within SWEEP_SALES_BUDGET); otherwise the
 * rows sweep.md shows (evenly spaced ones, the pick, the runner-up and
 * their neighbours) and, under sla:P, every row its search visits; the
 * others stay empty (sw->sales_all is 0 and sweep.md says so).
 *
 * Under sla:P (highest recall whose SLA attainment is >= P) the pick is
 * made here: rows are visited in the order objective_better ranks them
 * when feasible (more won caught, then fewer hand-offs, then the higher
 * threshold, then the higher fit threshold); the first two whose
 * attainment reaches P are the pick and the runner-up. When not every row
 * is affordable, single-axis rows are searched by bisection instead, as if
 * attainment rose with the threshold (sw->sales_bisect; see sla_bisect);
 * two-axis rows in rank order up to the budget (sw->sales_cut). Each row's
 * objective is its recall when feasible, NaN otherwise or when not
 * computed. */
#ifndef LEADSIM_SWEEP_SALES_H
#define LEADSIM_SWEEP_SALES_H

#include "sales.h"
#include "sweep.h"
#include "util.h"

/* Rows times cohort leads beyond which not every row is computed. */
#define SWEEP_SALES_BUDGET 2e8

/* Fill sw->sales (and, under sla:P, sw->best, runner_up and each row's
 * objective) on NTHREADS threads; the result does not depend on them.
 * Rows of the table sweep.md shows are those of MAX_SHOWN (as
 * out_sweep_table takes it). Returns 0, or -1 with err (memory). */
int sweep_sales_run(const sales *sa, sweep *sw, size_t max_shown, int nthreads, util_err *err);
/* The same with BUDGET in place of SWEEP_SALES_BUDGET (tests). */
int sweep_sales_run_budget(const sales *sa, sweep *sw, size_t max_shown, double budget,
                           int nthreads, util_err *err);

/* Row J's constraint figure as a bootstrap resample keeps it (boot.h): the
 * full-data weekly p90; under sla:P the SLA attainment of the row's queue
 * on the full data, NaN when the row was not replayed. The SLA is a
 * property of the workload the team sees, which a resample of the leads
 * does not replay: a resample re-estimates precision and recall, and its
 * sla:P pick is the feasible row of highest resampled recall, feasibility
 * (attainment >= P) fixed from the full-data queue. A row whose queue was
 * not replayed cannot be picked by a resample. */
double sweep_sales_fixed(const sweep *sw, size_t j);

#endif
