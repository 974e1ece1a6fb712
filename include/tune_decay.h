/* tune_decay.h - tune's decay method: each vector's best scores by the replay's own arithmetic, without a replay per vector.
 *
 * With decay, a vector's row needs only each lead's best score (the
 * thresholds, tp, fp and the pick follow from them when the objective needs
 * no weekly workload). What does not depend on the weights comes from one
 * replay: the cohort, the fit, and the leads that fast track or a rule
 * qualifies. Every other lead's events are walked once per block of
 * vectors: the decay factor between two candidate times is computed once
 * for all the block's vectors, and each vector's decayed sums, clamps and
 * rounding are the replay's, operation for operation, so each best score is
 * the replay's to the bit. Single-axis mode and objectives other than
 * capacity; the dispatcher (tune.h) chooses it. */
#ifndef LEADSIM_TUNE_DECAY_H
#define LEADSIM_TUNE_DECAY_H

#include <stddef.h>

#include "dataset.h"
#include "objective.h"
#include "replay.h"
#include "scenario.h"
#include "tune_grid.h"
#include "tune_row.h"
#include "util.h"

/* 1 when the method can evaluate SC's grid on DS (decay on timestamped
 * data, single-axis mode, an objective other than capacity); else 0, with
 * the reason in why. */
int tune_decay_applies(const dataset *ds, const scenario *sc, char *why, size_t nwhy);

/* Every vector of grid G from replay R of G's scenario (any vector's
 * weights): fills a new array *OUT of g->nvec rows in grid order (the
 * caller frees it), the same rows as replaying and sweeping each vector.
 * OBJ is the objective as sweep_run sets it; DS must still hold its events.
 * Vectors are shared among THREADS threads in blocks, each block on one
 * thread, so the rows do not depend on them. Returns 0, or -1 with err
 * (memory). */
int tune_decay_run(const dataset *ds, const replay *r, const tune_grid *g,
                   const objective_spec *obj, int threads, tune_row **out, util_err *err);

#endif
