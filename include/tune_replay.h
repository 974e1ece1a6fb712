/* tune_replay.h - tune's replay method: every weight vector replayed and swept.
 *
 * Exact whatever the scenario (decay, two-axis mode, the capacity
 * objective), and slow: one full replay_run and sweep_run per vector. The
 * dispatcher (tune.h) uses it where the methods of tune_counts.h do not
 * apply. */
#ifndef LEADSIM_TUNE_REPLAY_H
#define LEADSIM_TUNE_REPLAY_H

#include "dataset.h"
#include "replay.h"
#include "tune_grid.h"
#include "tune_row.h"
#include "util.h"

typedef struct tune_replay_opts {
    int threads;
    int progress; /* a progress line on stderr (the caller checks it is a terminal) */
} tune_replay_opts;

/* Every vector of grid G on DS, into a new array *OUT of g->nvec rows in
 * grid order (the caller frees it). R0 is the replay of vector 0, already
 * made (it is swept, not replayed again). With several threads, vectors run
 * side by side, each on one thread, so the rows do not depend on them.
 * Errors: replay_run's and sweep_run's (the first met), UTIL_EINTERNAL for
 * memory; *OUT is then left alone. */
int tune_replay_run(const dataset *ds, const tune_grid *g, const replay *r0,
                    const tune_replay_opts *o, tune_row **out, util_err *err);

#endif
