/* tune_replay.c - every weight vector of a grid replayed and swept, on threads side by side.
 *
 * Each vector's row is what sweep_run recommends for the scenario with that
 * vector's weights (a grid view), so it is the same as `leadsim sweep`'s by
 * construction. Vectors are taken one at a time from a shared counter; a
 * vector's replay and sweep run on one thread (that scales better than
 * threads inside one replay, at the cost of one replay's memory per thread).
 * Not for speed: see tune_counts.c for the methods that avoid the replays. */
#include "tune_replay.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

/* The recommended row of sweep SW. */
static void row_of_sweep(const sweep *sw, tune_row *row) {
    memset(row, 0, sizeof *row);
    row->T = row->F = row->tp_amount = row->objective = NAN;
    row->nthresholds = (long)sw->nrows;
    if (sw->best < 0) return;
    const sweep_row *w = &sw->rows[sw->best];
    row->has = 1;
    row->T = w->T;
    row->F = sw->two_axis ? w->F : NAN;
    row->tp = w->tp;
    row->fp = w->fp;
    row->tp_amount = w->tp_amount;
    row->objective = w->objective;
}

typedef struct replay_job {
    const dataset *ds;
    const tune_grid *g;
    tune_row *rows;
    const replay *r0;   /* vector 0's replay, already made */
    int threads;        /* inside each replay and sweep */
    int progress;
    long next, done;    /* atomic */
    pthread_mutex_t lock;
    int failed;
    util_err err;
} replay_job;

static void *replay_worker(void *arg) {
    replay_job *j = arg;
    const tune_grid *g = j->g;
    tune_grid_view gv;
    util_err err = {0, ""};
    int failed = 0;
    if (tune_grid_view_init(&gv, g, &err) < 0) failed = 1;
    sweep_opts so = {.bootstrap = 0, .seed = 1, .threads = j->threads};
    while (!failed) {
        size_t v = (size_t)__atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (v >= g->nvec || __atomic_load_n(&j->failed, __ATOMIC_RELAXED)) break;
        replay *r = NULL;
        sweep *sw = NULL;
        tune_grid_view_set(&gv, g, v);
        if ((v > 0 && replay_run(j->ds, &gv.sc, j->threads, &r, &err) < 0) ||
            sweep_run(v > 0 ? r : j->r0, &gv.sc, &so, &sw, &err) < 0) {
            failed = 1;
        } else {
            row_of_sweep(sw, &j->rows[v]);
        }
        sweep_free(sw);
        replay_free(r);
        long done = __atomic_add_fetch(&j->done, 1, __ATOMIC_RELAXED);
        if (j->progress && !failed && ((size_t)done == g->nvec || done % 10 == 0)) {
            pthread_mutex_lock(&j->lock);
            fprintf(stderr, "\rleadsim: tune: %ld of %zu weight vectors replayed", done, g->nvec);
            if ((size_t)done == g->nvec) fputc('\n', stderr);
            pthread_mutex_unlock(&j->lock);
        }
    }
    if (failed) {
        pthread_mutex_lock(&j->lock);
        if (!j->failed) j->err = err;
        __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&j->lock);
    }
    tune_grid_view_fini(&gv);
    return NULL;
}

int tune_replay_run(const dataset *ds, const tune_grid *g, const replay *r0,
                    const tune_replay_opts *o, tune_row **out, util_err *err) {
    int nth = o->threads < 1 ? 1 : o->threads;
    if ((size_t)nth > g->nvec) nth = (int)g->nvec;
    replay_job j = {.ds = ds, .g = g, .r0 = r0, .threads = nth > 1 ? 1 : o->threads,
                    .progress = o->progress};
    pthread_t *th = util_calloc((size_t)nth, sizeof *th);
    if (!th || !(j.rows = util_calloc(g->nvec, sizeof *j.rows))) {
        free(th);
        return util_enomem(err);
    }
    pthread_mutex_init(&j.lock, NULL);
    int started = 0;
    for (int k = 1; k < nth; k++, started++)
        if (pthread_create(&th[k], NULL, replay_worker, &j) != 0) break;
    replay_worker(&j);
    for (int k = 1; k <= started; k++) pthread_join(th[k], NULL);
    pthread_mutex_destroy(&j.lock);
    free(th);
    if (j.failed) {
        *err = j.err;
        free(j.rows);
        return -1;
    }
    *out = j.rows;
    return 0;
}
