/* tune_grid.c - enumerating a candidate grid of weight vectors, and one vector as a scenario. */
#include "tune_grid.h"

#include <stdlib.h>
#include <string.h>

int tune_grid_init(tune_grid *g, const scenario *sc, util_err *err) {
    memset(g, 0, sizeof *g);
    g->sc = sc;
    /* Limits are caps, not candidates: a list there is a mistake worth naming
     * before anything is loaded. */
    for (size_t i = 0; i < sc->nlimits; i++)
        if (sc->limits[i].nvals != 1)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: [limits] %s: a list or range of limits is a candidate "
                             "grid, and tune searches grids in [behaviour] only: give one value",
                             sc->path, sc->limits[i].line, sc->limits[i].type);
    size_t nvary = 0;
    for (size_t i = 0; i < sc->nbehaviour; i++) nvary += sc->behaviour[i].nvals > 1;
    if (nvary == 0)
        return util_errf(err, UTIL_EUSAGE,
                         "tune currently evaluates candidate grids, and %s has none: give a "
                         "[behaviour] type a list or range of points (e.g. webinar = 5..20 step 5)",
                         sc->path);
    /* The size first, in floating point, so that no product overflows. */
    double total = 1;
    long first_line = 0;
    for (size_t i = 0; i < sc->nbehaviour; i++) {
        if (sc->behaviour[i].nvals < 2) continue;
        if (!first_line) first_line = sc->behaviour[i].line;
        total *= (double)sc->behaviour[i].nvals;
    }
    if (total > TUNE_GRID_MAX_VECTORS)
        return util_errf(err, UTIL_EDATA,
                         "%s:%ld: [behaviour]: the candidate grid has %.0f weight vectors; tune "
                         "evaluates at most %d: use fewer values or larger steps",
                         sc->path, first_line, total, TUNE_GRID_MAX_VECTORS);
    if (!(g->vary = util_malloc(nvary * sizeof *g->vary))) return util_enomem(err);
    g->nvec = 1;
    for (size_t i = 0; i < sc->nbehaviour; i++) {
        if (sc->behaviour[i].nvals < 2) continue;
        g->vary[g->nvary++] = i;
        g->nvec *= sc->behaviour[i].nvals;
    }
    g->nall = g->nvec;
    g->stride = 1;
    return 0;
}

int tune_grid_shard(tune_grid *g, size_t i, size_t n, util_err *err) {
    if (i < 1 || i > n || i > g->nall)
        return util_errf(err, UTIL_EUSAGE,
                         "--shard %zu/%zu: the grid of %s has %zu weight vector%s, so that "
                         "shard would have none: use at most %zu shards",
                         i, n, g->sc->path, g->nall, g->nall == 1 ? "" : "s", g->nall);
    g->first = i - 1;
    g->stride = n;
    g->nvec = (g->nall - g->first + n - 1) / n;
    return 0;
}

void tune_grid_fini(tune_grid *g) {
    if (!g) return;
    free(g->vary);
    g->vary = NULL;
    g->nvary = 0;
}

size_t tune_grid_digit(const tune_grid *g, size_t v, size_t j) {
    v = g->first + v * g->stride;
    /* The last varying type is the least significant digit. */
    for (size_t k = g->nvary; k-- > j + 1;) v /= g->sc->behaviour[g->vary[k]].nvals;
    return v % g->sc->behaviour[g->vary[j]].nvals;
}

double tune_grid_weight(const tune_grid *g, size_t v, size_t k) {
    const scenario_points *p = &g->sc->behaviour[k];
    if (p->nvals == 1) return p->vals[0];
    for (size_t j = 0; j < g->nvary; j++)
        if (g->vary[j] == k) return p->vals[tune_grid_digit(g, v, j)];
    return p->vals[0]; /* not reached: every type with several values varies */
}

int tune_grid_view_init(tune_grid_view *gv, const tune_grid *g, util_err *err) {
    memset(gv, 0, sizeof *gv);
    size_t n = g->sc->nbehaviour;
    if (!(gv->pts = util_calloc(n + 1, sizeof *gv->pts)) ||
        !(gv->w = util_calloc(n + 1, sizeof *gv->w))) {
        tune_grid_view_fini(gv);
        return util_enomem(err);
    }
    gv->sc = *g->sc;
    for (size_t k = 0; k < n; k++) {
        gv->pts[k] = g->sc->behaviour[k];
        gv->pts[k].vals = &gv->w[k];
        gv->pts[k].nvals = 1;
    }
    gv->sc.behaviour = gv->pts;
    tune_grid_view_set(gv, g, 0);
    return 0;
}

void tune_grid_view_set(tune_grid_view *gv, const tune_grid *g, size_t v) {
    for (size_t k = 0; k < g->sc->nbehaviour; k++) gv->w[k] = tune_grid_weight(g, v, k);
}

void tune_grid_view_fini(tune_grid_view *gv) {
    if (!gv) return;
    free(gv->pts);
    free(gv->w);
    gv->pts = NULL;
    gv->w = NULL;
}
