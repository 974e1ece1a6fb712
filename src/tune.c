/* tune.c - the tune dispatcher: one replay, then the method that evaluates the grid, and the pick.
 *
 * tune_run replays the scenario once (with the grid's first vector: what it
 * takes from that replay does not depend on the weights), then evaluates
 * every vector by the methods of tune_counts.c where they apply, or by
 * replaying and sweeping each vector (tune_replay.c). Either way a vector's
 * row is what `leadsim sweep` recommends for the scenario with that
 * vector's weights. The tables are written by out_tune.c. */
#include "tune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tstamp.h"
#include "tune_counts.h"
#include "tune_decay.h"
#include "tune_replay.h"

const char *tune_method_name(int m) {
    switch (m) {
    case TUNE_COUNTS: return "counts";
    case TUNE_SEQUENCE: return "sequence";
    case TUNE_DECAY: return "decay";
    default: return "replay";
    }
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The grid by the counts or sequence method into t. Returns 0, 1 when
 * they decline the grid (t->why says why), or -1 with err. */
static int by_counts(const dataset *ds, tune *t, const tune_opts *o, util_err *err) {
    tune_counts_opts co = {.threads = o->threads, .force_sequence = o->force == TUNE_SEQUENCE,
                           .force_sort = o->force_sort};
    tune_counts_result res;
    if (tune_counts_run(ds, t->rp, t->g, &t->obj, &co, &res, err) < 0) return -1;
    if (res.declined) { /* the caller replays the grid */
        snprintf(t->why, sizeof t->why, "%s", res.why);
        tune_counts_fini(&res);
        return 1;
    }
    t->rows = res.rows; /* taken over */
    res.rows = NULL;
    t->method = res.sequence ? TUNE_SEQUENCE : TUNE_COUNTS;
    t->histogram = res.histogram;
    snprintf(t->why, sizeof t->why, "%s", res.why);
    tune_counts_fini(&res);
    return 0;
}

int tune_run(const dataset *ds, const scenario *sc, const tune_grid *g, const tune_opts *o,
             tune **out, util_err *err) {
    tune *t = util_calloc(1, sizeof *t);
    tune_grid_view gv;
    memset(&gv, 0, sizeof gv);
    if (!t) return util_enomem(err);
    t->g = g;
    t->sc = sc;
    double t0 = seconds();
    if (tune_grid_view_init(&gv, g, err) < 0) goto fail;
    if (replay_run(ds, &gv.sc, o->threads, &t->rp, err) < 0) goto fail;
    double t1 = seconds();
    const replay *r = t->rp;
    t->leads = (long)r->n;
    t->won = r->nwon;
    t->won_amount = r->won_amount;
    t->two_axis = r->two_axis;
    for (size_t i = 0; i < r->n; i++) t->fast += r->fast[i] != TSTAMP_NONE;
    /* The objective exactly as sweep_run sets it. */
    objective_init(&t->obj, sc, r->timed);

    char why[300];
    int fast = tune_counts_applies(ds, sc, why, sizeof why);
    int counted = 0;
    if (fast && o->force != TUNE_REPLAY) {
        if ((counted = by_counts(ds, t, o, err)) < 0) goto fail;
        counted = counted == 0;
        if (!counted) snprintf(why, sizeof why, "%s", t->why);
    }
    char dwhy[300];
    if (!counted && o->force != TUNE_REPLAY && tune_decay_applies(ds, sc, dwhy, sizeof dwhy)) {
        if (tune_decay_run(ds, r, g, &t->obj, o->threads, &t->rows, err) < 0) goto fail;
        t->method = TUNE_DECAY;
        snprintf(t->why, sizeof t->why,
                 "%.200s: each lead's events walked once per block of vectors, by the replay's "
                 "arithmetic", why);
        counted = 1;
    }
    if (!counted) {
        t->method = TUNE_REPLAY;
        snprintf(t->why, sizeof t->why, "%.240s: each vector replayed and swept",
                 fast && o->force == TUNE_REPLAY ? "forced" : why);
        tune_replay_opts ro = {.threads = o->threads, .progress = o->progress};
        if (tune_replay_run(ds, g, r, &ro, &t->rows, err) < 0) goto fail;
    }
    /* LEADSIM_TIMING=1: where the time went, for benchmarks */
    if (getenv("LEADSIM_TIMING"))
        fprintf(stderr, "leadsim: timing: tune: %zu weight vectors by the %s method in %.6f s "
                        "(first replay %.6f s)\n",
                g->nvec, tune_method_name(t->method), seconds() - t0, t1 - t0);
    tune_grid_view_fini(&gv);
    *out = t;
    return 0;
fail:
    tune_grid_view_fini(&gv);
    tune_free(t);
    return -1;
}

void tune_free(tune *t) {
    if (!t) return;
    free(t->rows);
    replay_free(t->rp);
    free(t);
}

int tune_better(const tune *t, size_t a, size_t b) {
    const tune_row *x = &t->rows[a], *y = &t->rows[b];
    if (x->has != y->has) return x->has;
    if (x->has) {
        if (objective_better(x->objective, x->tp + x->fp, x->T, x->F, y->objective, y->tp + y->fp,
                         y->T, y->F))
            return 1;
        if (objective_better(y->objective, y->tp + y->fp, y->T, y->F, x->objective, x->tp + x->fp,
                         x->T, x->F))
            return 0;
    }
    return a < b;
}

size_t tune_top(const tune *t, size_t *idx, size_t k) {
    size_t n = 0;
    for (size_t v = 0; v < t->g->nvec; v++) {
        if (!t->rows[v].has) continue;
        if (n == k && !tune_better(t, v, idx[n - 1])) continue;
        size_t i = n < k ? n++ : n - 1;
        while (i > 0 && tune_better(t, v, idx[i - 1])) {
            idx[i] = idx[i - 1];
            i--;
        }
        idx[i] = v;
    }
    return n;
}
