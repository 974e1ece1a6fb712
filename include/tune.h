/* tune.h - `tune` on a candidate grid: which method evaluates it, and the best vectors.
 *
 * The dispatcher of the tune family. For each weight vector of the grid
 * (tune_grid.h) tune_run() finds what
 * `leadsim sweep` would report for the scenario with those weights fixed:
 * its rows (every distinct threshold at which a lead changes class) and the
 * row it recommends under the [tune] objective, with sweep's tie rules. The
 * figures are the same numbers to the last bit, by one of four methods:
 *
 * - TUNE_COUNTS (tune_counts.h): no decay, single-axis mode, an objective that needs no
 *   weekly workload, and a grid whose scores are exact sums of units of
 *   10^-k (decimal.h: the replay computes them so too; 0.1 and 1.3 are whole
 *   tenths). One replay finds the leads that fast track or a rule qualifies
 *   (that does not depend on the weights); each other lead is reduced to the
 *   counts of its scoring events at the few moments where its best score can
 *   be; equal leads are merged; and each vector's best scores go into a
 *   histogram (or, when the scores span too wide a range, are sorted).
 * - TUNE_SEQUENCE (tune_counts.h): the same, when sums in units could leave
 *   the counts method's 32-bit lanes: each lead's scoring events are added
 *   one by one in 64-bit units, for many vectors at once, and each vector's
 *   scores are sorted.
 * - TUNE_DECAY (tune_decay.h): decay, single-axis mode, an objective that
 *   needs no weekly workload: the leads that fast track or a rule qualifies
 *   come from one replay; each other lead's events are walked once per block
 *   of vectors with the replay's own arithmetic (one decay factor per
 *   candidate time for the whole block), and each vector's best scores are
 *   sorted and picked.
 * - TUNE_REPLAY (tune_replay.h): two-axis mode, the capacity objective, or
 *   scores too large for exact units (then some vector's replay rounds): every
 *   vector is replayed and swept with replay_run and sweep_run. Exact by
 *   construction, and slow: one full replay per vector.
 *
 * Vectors are shared among --threads threads; each vector's result is
 * computed by one thread alone, so the output does not depend on them.
 * Numbers only: the tables are out_tune.h's. */
#ifndef LEADSIM_TUNE_H
#define LEADSIM_TUNE_H

#include <stddef.h>

#include "dataset.h"
#include "replay.h"
#include "scenario.h"
#include "objective.h"
#include "tune_grid.h"
#include "tune_row.h"
#include "util.h"

enum { TUNE_COUNTS, TUNE_SEQUENCE, TUNE_REPLAY, TUNE_DECAY };

/* The method's name as the tables print it: counts, sequence, replay, decay. */
const char *tune_method_name(int method);

typedef struct tune_opts {
    int threads;
    int progress;     /* a progress line on stderr (the caller checks it is a terminal) */
    int force;        /* -1: choose; else a TUNE_* method (tests compare them) */
    int force_sort;   /* counts method: sort even when a histogram would do */
} tune_opts;

typedef struct tune {
    const tune_grid *g;
    const scenario *sc;
    tune_row *rows;   /* g->nvec, in grid order */
    long leads, won, fast;
    double won_amount;
    int two_axis;
    objective_spec obj; /* the objective, its parameters and capacity, as sweep_run sets them */
    int method;       /* TUNE_* */
    int histogram;    /* counts method: thresholds read off a histogram */
    char why[300];    /* why this method (a sentence) */
    replay *rp;       /* the replay of the first vector: cohort, fit, fast track, notes */
} tune;

/* Evaluate grid G (of scenario SC) on dataset DS. Errors as replay_run's
 * (UTIL_EDATA when the scenario does not fit the data), UTIL_EINTERNAL
 * for memory or threads. */
int tune_run(const dataset *ds, const scenario *sc, const tune_grid *g, const tune_opts *o,
             tune **out, util_err *err);
void tune_free(tune *t);

/* Is vector a a better pick than vector b? sweep's rules on their
 * recommended rows (a vector without one is worse than any with one), then
 * grid order. */
int tune_better(const tune *t, size_t a, size_t b);
/* The k best vectors, best first, into idx; returns how many (at most k,
 * only vectors with a recommendation). */
size_t tune_top(const tune *t, size_t *idx, size_t k);

#endif
