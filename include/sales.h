/* sales.h - the sales side of one scenario: hand-offs (recycling included) and their follow-up queue per threshold.
 *
 * SPEC 5.5, 5.6, 5.11. Made once per replayed scenario with [sales] on a
 * timed dataset (before its events are given back); then, per threshold
 * (and fit threshold), sales_eval gives every hand-off (recycle.h), the
 * queue they form (queue.h) on the scenario's business calendar (bizcal.h),
 * and the counts of 5.6. Each threshold has its own queue. Read-only once
 * made: threads may evaluate thresholds at the same time.
 *
 * Not for: choosing reps (staff.h), writing (out_run.c, out_scn.c,
 * out_sweep.c). */
#ifndef LEADSIM_SALES_H
#define LEADSIM_SALES_H

#include <stddef.h>
#include <stdint.h>

#include "bizcal.h"
#include "dataset.h"
#include "metrics.h"
#include "queue.h"
#include "recycle.h"
#include "replay.h"
#include "scenario.h"
#include "util.h"

typedef struct sales {
    const scenario *sc;
    const replay *r;
    bizcal *bc;
    recycle *rc;
    queue_params qp;   /* C from reps and followups_per_rep_per_day; the weeks
                        * widened to the cohort's weeks (SPEC 5.4) */
    int64_t cohort_w0; /* Monday of the cohort's first week; TSTAMP_NONE when none */
    long cohort_nweeks;
} sales;

/* The figures of one threshold. */
typedef struct sales_row {
    int done;          /* computed (else every field is empty) */
    double T, F;
    long handoffs, recycled, requalified, won_after_recycle;
    recycle_out ho;    /* the hand-offs, ascending: the staffing search replays them */
    queue *q;
} sales_row;

/* The engine of scenario SC replayed as R on DS, or *out = NULL (and 0)
 * when SC has no [sales] or DS no time. Returns 0, or -1 with err (memory,
 * or a calendar that cannot be made). */
int sales_alloc(const dataset *ds, const scenario *sc, const replay *r, sales **out,
                util_err *err);
void sales_free(sales *s);

/* Evaluate threshold T, fit threshold F into *row (sales_row_fini after).
 * Returns 0, or -1 with err (memory). O(leads + hand-offs + weeks). */
int sales_eval(const sales *s, double T, double F, sales_row *row, util_err *err);
/* The same through a staircase cursor (recycle.h), for series of thresholds. */
int sales_eval_at(const sales *s, double T, double F, recycle_cursor *c, sales_row *row,
                  util_err *err);
void sales_row_fini(sales_row *row);

/* sales_eval at metrics row M's thresholds; with recycling M's weekly
 * hand-offs are made to count every hand-off (SPEC 5.6). */
int sales_eval_row(const sales *s, metrics_row *m, sales_row *row, util_err *err);

/* The queue of ROW's hand-offs with PER_DAY slots a business day instead of
 * the scenario's, weeks not widened (staffing). Returns 0, or -1 with err. */
int sales_requeue(const sales *s, const sales_row *row, int64_t per_day, queue **out,
                  util_err *err);

/* Hand-offs per week of ROW over the cohort's weeks (SPEC 5.4) into
 * w[0 .. s->cohort_nweeks): every hand-off, re-hand-offs included. */
void sales_cohort_weekly(const sales *s, const sales_row *row, long *w);

#endif
