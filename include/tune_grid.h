/* tune_grid.h - tune's candidate grid: the weight vectors that [behaviour] lists and ranges describe.
 *
 * `webinar = 5..20 step 5` in [behaviour] gives the type four candidate
 * weights. The grid is the cartesian product of every type's values (a type
 * with one value is fixed), in [behaviour] file order with the last type
 * varying fastest, so vector v's weights are the mixed-radix digits of v.
 * Nothing here looks at data: evaluating the vectors is tune's job.
 *
 * A grid view is the scenario with one vector's weights filled in, so that
 * replay_run and sweep_run see an ordinary scenario. */
#ifndef LEADSIM_TUNE_GRID_H
#define LEADSIM_TUNE_GRID_H

#include <stddef.h>

#include "scenario.h"
#include "util.h"

/* The most weight vectors a grid may have: a million evaluations of the
 * whole history is already a long run, and a typo in a step should not
 * start one that never ends. */
#define TUNE_GRID_MAX_VECTORS 1000000

typedef struct tune_grid {
    const scenario *sc;
    size_t nvary;  /* [behaviour] types with more than one value */
    size_t *vary;  /* their indices in sc->behaviour, in file order */
    size_t nvec;   /* weight vectors: the product of their value counts (of a
                    * shard: its own, below) */
    size_t nall;   /* the whole grid's vectors */
    size_t first, stride; /* vector v of the grid is whole-grid vector first + v * stride
                           * (0 and 1 unless tune_grid_shard made it a shard) */
} tune_grid;

/* The grid of SC. Errors: UTIL_EUSAGE when SC has no grid (no [behaviour]
 * type with several values); UTIL_EDATA naming FILE:LINE for a list in
 * [limits] (limits are not searched) and for a grid over TUNE_GRID_MAX_VECTORS;
 * UTIL_EINTERNAL for memory. */
int tune_grid_init(tune_grid *g, const scenario *sc, util_err *err);
void tune_grid_fini(tune_grid *g);

/* Make G the I-th of N shards (1 <= I <= N): vectors I, I + N, I + 2N, ...
 * (1-based) of the whole grid; every other function then sees only them.
 * Errors: UTIL_EUSAGE when that shard has no vector (N above the grid's
 * size). */
int tune_grid_shard(tune_grid *g, size_t i, size_t n, util_err *err);

/* Index into sc->behaviour[g->vary[j]].vals of varying type j in vector v. */
size_t tune_grid_digit(const tune_grid *g, size_t v, size_t j);
/* Weight of sc->behaviour[k] in vector v (k need not vary). */
double tune_grid_weight(const tune_grid *g, size_t v, size_t k);

/* SC with one vector's weights: view.sc is a shallow copy of the scenario
 * whose behaviour array belongs to the view; everything else is shared. */
typedef struct tune_grid_view {
    scenario sc;
    scenario_points *pts;
    double *w;
} tune_grid_view;

int tune_grid_view_init(tune_grid_view *gv, const tune_grid *g, util_err *err);
/* Fill in vector v's weights. Cannot fail. */
void tune_grid_view_set(tune_grid_view *gv, const tune_grid *g, size_t v);
void tune_grid_view_fini(tune_grid_view *gv);

#endif
