/* sqlacc.h - sales acceptance (SPEC 5.7): how many hand-offs sales accepted, and how many SQLs the definition handed over first, per threshold.
 *
 * A dataset may carry, per lead, when sales accepted it as a sales
 * qualified lead (dataset.h: sql_at). An sql_at counts when created_at <=
 * sql_at <= cutoff (SPEC 5.1's cutoff); the loader has already dropped
 * those before created_at (a counted data problem). For a threshold:
 *
 *   sqls            cohort leads with a counted sql_at
 *   accepted        SQLs whose first MQL time is at or before their sql_at
 *   sql_rate        accepted / mqls   (the MQLs whose sql_at is at or after their first MQL time)
 *   sql_recall      accepted / sqls
 *   days_mql_to_sql median of (sql_at - first MQL time) in days over the accepted
 *
 * sql_rate and sql_recall have the same numerator: a lead whose first MQL
 * time m is at or before its counted sql_at s is an MQL (s <= cutoff and m
 * < cutoff), and an MQL with s >= m is such a lead. "m <= s" at threshold T
 * is "the best score reached at or before s is >= T, or a fast track or a
 * rule fired by s" (the staircase of replay.h), which sqlacc_prep works out
 * once per SQL: every row of a sweep then costs a binary search for the
 * counts. The median needs each SQL's first MQL time at each row.
 *
 * Numbers only; the columns and sentences are out_sql.h's. */
#ifndef LEADSIM_SQLACC_H
#define LEADSIM_SQLACC_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "metrics.h"
#include "replay.h"
#include "scenario.h"
#include "sweep.h"
#include "util.h"

/* The figures of one threshold. Ratios NaN when undefined (empty fields). */
typedef struct sqlacc_row {
    long sqls, accepted;
    double sql_rate, sql_recall;
    double days;  /* days_mql_to_sql; NaN when no lead is accepted or not computed */
} sqlacc_row;

/* The SQLs of one replay's cohort, ready for any threshold. */
typedef struct sqlacc {
    size_t n;          /* cohort leads with a counted sql_at */
    uint32_t *idx;     /* replay index of each */
    int64_t *at;       /* its counted sql_at */
    double *best;      /* the best score (two-axis: behaviour) reached at or before
                        * sql_at; -INFINITY when none */
    uint8_t *fast;     /* a fast track or rule fired at or before sql_at */
    double *sorted;    /* best of the SQLs without fast, ascending (single-axis counts) */
    size_t nsorted;
    long nfast;
    int two_axis;
} sqlacc;

/* The SQLs of replay R (of scenario SC on dataset DS). *OUT is NULL when
 * DS has no sql_at column (then there are no SQL figures at all). Returns
 * 0, or -1 (memory). Time O(leads + staircase records). */
int sqlacc_prep(const dataset *ds, const scenario *sc, const replay *r, sqlacc **out,
                util_err *err);
void sqlacc_free(sqlacc *q);

/* The figures at threshold T (fit threshold F in two-axis mode) with MQLS
 * hand-offs (the row's tp + fp); the median only when WITH_DAYS (else
 * NaN). Returns 0, or -1 (memory). Time O(log SQLs) for the counts in
 * single-axis mode (O(SQLs) in two-axis mode), O(SQLs * log records) for
 * the median. */
int sqlacc_eval(const sqlacc *q, const replay *r, double T, double F, long mqls, int with_days,
                sqlacc_row *out, util_err *err);

/* The figures of NROWS rows of `run` (metrics_eval's, of replay R of SC on
 * DS), every one with its median: *OUT gets NROWS figures (free it), or
 * NULL when DS has no sql_at. Returns 0, or -1 (memory). */
int sqlacc_rows(const dataset *ds, const scenario *sc, const replay *r, const metrics_row *rows,
                size_t nrows, sqlacc_row **out, util_err *err);

/* Most SQLs * sweep rows for which the verbs have the median of every row
 * computed; beyond it only the recommended and runner-up rows have one.
 * At 5e7 (34,458 SQLs of a generated 100,000-lead dataset, 1,711 rows is
 * just over) the full median costs about a second on one core. */
#define SQLACC_SWEEP_BUDGET 50000000.0

/* Every row of sweep SW (of replay R): *OUT gets SW->nrows figures (free
 * it), *PARTIAL 1 when SQLs * rows exceeds BUDGET (SQLACC_SWEEP_BUDGET for
 * the verbs) and the median was computed for the pick and the runner-up
 * only. Returns 0, or -1 (memory). */
int sqlacc_sweep(const sqlacc *q, const replay *r, const sweep *sw, double budget,
                 sqlacc_row **out, int *partial, util_err *err);

/* sqlacc_prep and sqlacc_sweep for sweep SW of replay R (of SC on DS): sets
 * SW->sql and SW->sql_partial (nothing when DS has no sql_at); the caller
 * frees SW->sql. Returns 0, or -1 (memory). */
int sqlacc_attach(const dataset *ds, const scenario *sc, const replay *r, sweep *sw,
                  util_err *err);

#endif
