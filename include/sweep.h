/* sweep.h - the threshold sweep: every class-changing threshold at once, and the pick.
 *
 * From one replay (the staircases of replay.h) sweep_run() derives the
 * thresholds at which some cohort lead changes class: the distinct maximum
 * scores of leads that no fast-track or rule qualifies (the replay's scores
 * are decimal.h's: 0.02 * 501 + 26 is the one threshold 36.02, never also
 * 36.019999999999996). For each it gives
 * the contract counts and the weekly workload, and it picks the recommended
 * threshold and the runner-up under the scenario's [tune] objective.
 *
 * In two-axis mode the rows are the grid of (threshold, fit_threshold) over
 * the distinct behaviour maxima and the distinct fit values.
 *
 * Where the rest is: the objectives, the capacity and the pick rules are
 * objective.h; the bootstrap (the interval and chosen fields below, and
 * nboot .. stability) is boot.h, run on a finished sweep; sweep.csv, the
 * recommendation and sweep.md are out_sweep.h; the sort of the axes is
 * radix.h. A sweep holds numbers only.
 *
 * Cost: O(n + R + rows + W log W) (n leads, R staircase records, W weeks:
 * each record moves a weekly count by one, and the counts are kept sorted in
 * O(1) per move); memory O(n + R + rows). */
#ifndef LEADSIM_SWEEP_H
#define LEADSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "objective.h"
#include "replay.h"
#include "sales.h"
#include "scenario.h"
#include "util.h"

typedef struct sweep_row {
    double T, F;        /* threshold; fit threshold (two-axis mode only) */
    long tp, fp;        /* fn = won - tp, tn = leads - won - fp */
    double tp_amount;   /* sum of amounts of the won leads caught */
    long nweeks;        /* the cohort's weeks (metrics_cohort_weeks); 0 when none or no time */
    double wmean, wp90, wmax;        /* hand-offs per week; NaN when nweeks is 0 */
    double p_lo, p_hi, r_lo, r_hi;   /* 90% bootstrap intervals (boot.h); NaN when not computed */
    double objective;   /* value of the objective; NaN when undefined or not feasible */
    long chosen;        /* bootstrap resamples whose pick was this row (boot.h) */
    int same_as_prev;   /* no lead moved since the row before (same fit group) */
} sweep_row;

/* Options of a sweep and of its bootstrap: sweep_run reads threads only,
 * boot_run (boot.h) all three. */
typedef struct sweep_opts {
    long bootstrap;      /* resamples; 0 = no intervals */
    unsigned long seed;
    int threads;
} sweep_opts;

typedef struct sweep {
    sweep_row *rows;     /* ascending threshold (then fit threshold) */
    size_t nrows;
    size_t nT, nF;       /* axes: nrows = nT * nF (nF = 1 in single-axis mode) */
    long leads, won, fast; /* cohort leads, won, qualified by fast track or rule */
    double won_amount;
    int two_axis, timed, has_amount;
    int threads;         /* threads it ran on (freeing uses them too) */
    int objective;       /* SCENARIO_OBJ_* */
    double obj_a, obj_b;
    double capacity;     /* hand-offs the team follows up per week; NaN without [sales] */
    long best, runner_up;  /* row indices, -1 when none */
    /* Filled by boot_run (boot.h); 0 and NaN until then. */
    long nboot;          /* resamples made */
    long boot_none;      /* resamples in which no row satisfied the objective */
    double choice_T_lo, choice_T_hi, choice_F_lo, choice_F_hi; /* 90% of the picks */
    double stability;    /* share of resamples that picked the recommended row */
    /* With [sales] (sweep_sales.h): each row's queue and recycling figures,
     * nrows of them, a row's done set when it was computed; NULL without. */
    sales_row *sales;
    size_t sales_done;   /* rows computed */
    int sales_all;       /* every row was computed */
    int sales_cut;       /* the sla:P search stopped at its budget */
    int sales_bisect;    /* the sla:P pick was found by bisection (sweep_sales.h) */
    /* Set by the verb when the dataset has sql_at (sqlacc.h), else NULL and 0:
     * per row the sales-acceptance figures; sql_partial when only the pick's
     * and runner-up's days_mql_to_sql were computed. The verb frees sql. */
    struct sqlacc_row *sql;
    int sql_partial;
} sweep;

/* Sweep replay R under scenario SC's objective and capacity, on o->threads
 * threads (the result does not depend on them). Returns 0, or -1 with err
 * (memory, or more leads than 32-bit indices hold). */
int sweep_run(const replay *r, const scenario *sc, const sweep_opts *o, sweep **out,
              util_err *err);
void sweep_free(sweep *s);

/* s's objective (s->objective, obj_a, obj_b, timed, capacity are read) as
 * objective.h takes it. */
void sweep_objective_of(const sweep *s, objective_spec *out);

/* Contract metrics of a row, NaN when undefined (same rules as metrics.h). */
double sweep_precision(const sweep *s, const sweep_row *w);
double sweep_recall(const sweep *s, const sweep_row *w);

#endif
