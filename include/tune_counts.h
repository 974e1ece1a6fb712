/* tune_counts.h - tune's exact methods from one replay: counts, and the sequence variant.
 *
 * A whole candidate grid evaluated without replaying each vector: the
 * cohort, fit points and fast-track times come from one replay (they do not
 * depend on the weights), and each other lead's best score is recomputed per
 * vector from its scoring events in whole units of 10^-k (decimal.h), as the
 * replay computes it: either as integer counts in 32-bit lanes (the counts
 * method) or event by event in 64-bit sums (the sequence method, for sums
 * beyond 32 bits). They apply without
 * decay, in single-axis mode, and for objectives that need no weekly
 * workload; the replay method (tune_replay.h) covers the rest. Which one
 * runs is the dispatcher's choice (tune.h). */
#ifndef LEADSIM_TUNE_COUNTS_H
#define LEADSIM_TUNE_COUNTS_H

#include <stddef.h>

#include "dataset.h"
#include "replay.h"
#include "scenario.h"
#include "objective.h"
#include "tune_grid.h"
#include "tune_row.h"
#include "util.h"

typedef struct tune_counts_opts {
    int threads;
    int force_sequence; /* the sequence method even where counts would be exact (tests) */
    int force_sort;     /* counts method: sort even where a histogram would do (tests) */
} tune_counts_opts;

/* What the methods found: one row per vector, and how. */
typedef struct tune_counts_result {
    tune_row *rows;     /* g->nvec, in grid order; owned: taken over or freed by tune_counts_fini */
    int sequence;       /* 1: the sequence method ran; 0: the counts method */
    int histogram;      /* counts method: thresholds read off a histogram */
    int declined;       /* neither method applies to this grid (rows is NULL): some
                         * vector's scores would not be exact sums of units, so
                         * only replaying it gives its row */
    char why[300];      /* why this method (a sentence fragment) */
} tune_counts_result;

/* 1 when the methods can evaluate SC's grid on DS; else 0, with the reason
 * (a sentence fragment, e.g. "the scenario has decay") in why. */
int tune_counts_applies(const dataset *ds, const scenario *sc, char *why, size_t nwhy);

/* Every vector of grid G from replay R of G's scenario with any vector's
 * weights: R supplies the cohort, fit points and fast-track times. PROTO
 * holds the objective and its parameters as sweep_run sets them. DS must
 * still hold its events. Fills *OUT; returns 0 (with out->declined set and
 * no rows when the grid's scores would leave exact units: the caller then
 * replays it), or -1 with err (memory, threads), OUT then holding nothing. */
int tune_counts_run(const dataset *ds, const replay *r, const tune_grid *g, const objective_spec *obj,
                    const tune_counts_opts *o, tune_counts_result *out, util_err *err);
/* Free what RES holds (rows not taken over); RES may be all zeros. */
void tune_counts_fini(tune_counts_result *res);

#endif
