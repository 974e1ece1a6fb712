/* tune.c - evaluating a candidate grid, and tune's tables.
 *
 * tune_run replays the scenario once (with the grid's first vector: what it
 * takes from that replay does not depend on the weights), then evaluates
 * every vector by the fast methods of tunefast.c where they apply, or by
 * replaying and sweeping each vector with replay_run and sweep_run. Either
 * way a vector's row is what `leadsim sweep` recommends for the scenario
 * with that vector's weights. */
#include "tune.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvread.h"
#include "metrics.h"
#include "replay.h"
#include "summary.h"
#include "tstamp.h"
#include "tunefast.h"

/* ---------------------------- Evaluation ---------------------------- */

static const char *method_name(int m) {
    switch (m) {
    case TUNE_COUNTS: return "counts";
    case TUNE_SEQUENCE: return "sequence";
    default: return "replay";
    }
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

/* Every vector replayed and swept: exact whatever the scenario, one replay
 * each. With several threads, vectors run side by side, each replay and
 * sweep on one thread (that scales better than threads inside one replay,
 * at the cost of one replay's memory per thread). */
typedef struct replay_job {
    const dataset *ds;
    tune *t;
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
    const tune_grid *g = j->t->g;
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
            row_of_sweep(sw, &j->t->rows[v]);
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

static int replay_each(const dataset *ds, tune *t, const replay *r0, const tune_opts *o,
                       util_err *err) {
    int nth = o->threads < 1 ? 1 : o->threads;
    if ((size_t)nth > t->g->nvec) nth = (int)t->g->nvec;
    replay_job j = {.ds = ds, .t = t, .r0 = r0, .threads = nth > 1 ? 1 : o->threads,
                    .progress = o->progress};
    pthread_t *th = util_calloc((size_t)nth, sizeof *th);
    if (!th) return util_enomem(err);
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
        return -1;
    }
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
    if (!(t->rows = util_calloc(g->nvec, sizeof *t->rows))) goto nomem;
    if (tune_grid_view_init(&gv, g, err) < 0) goto fail;
    if (replay_run(ds, &gv.sc, o->threads, &t->rp, err) < 0) goto fail;
    double t1 = seconds();
    const replay *r = t->rp;
    t->leads = (long)r->n;
    t->won = r->nwon;
    t->won_amount = r->won_amount;
    t->two_axis = r->two_axis;
    for (size_t i = 0; i < r->n; i++) t->fast += r->fast[i] != TSTAMP_NONE;
    /* The objective's parameters exactly as sweep_run sets them. */
    t->proto.objective = sc->objective;
    t->proto.obj_a = sc->obj_a;
    t->proto.obj_b = sc->obj_b;
    t->proto.timed = r->timed;
    t->proto.two_axis = r->two_axis;
    t->proto.capacity = sc->has_sales ? sc->reps * sc->followups_per_rep_per_day * 5 : NAN;

    char why[200];
    int fast = tunefast_applies(ds, sc, why, sizeof why);
    if (fast && o->force != TUNE_REPLAY) {
        if (tunefast_run(ds, r, t, o->threads, o->force == TUNE_SEQUENCE, o->force_sort, err) < 0)
            goto fail;
    } else {
        t->method = TUNE_REPLAY;
        snprintf(t->why, sizeof t->why, "%s: each vector replayed and swept", fast ? "forced" : why);
        if (replay_each(ds, t, r, o, err) < 0) goto fail;
    }
    /* LEADSIM_TIMING=1: where the time went, for benchmarks */
    if (getenv("LEADSIM_TIMING"))
        fprintf(stderr, "leadsim: timing: tune: %zu weight vectors by the %s method in %.6f s "
                        "(first replay %.6f s)\n",
                g->nvec, method_name(t->method), seconds() - t0, t1 - t0);
    tune_grid_view_fini(&gv);
    *out = t;
    return 0;
nomem:
    util_enomem(err);
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
        if (sweep_better(x->objective, x->tp + x->fp, x->T, x->F, y->objective, y->tp + y->fp,
                         y->T, y->F))
            return 1;
        if (sweep_better(y->objective, y->tp + y->fp, y->T, y->F, x->objective, x->tp + x->fp,
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

/* ---------------------------- Output ---------------------------- */

static void num(util_buf *b, double v) {
    util_buf_puts(b, ",");
    summary_num(b, v);
}

static const char *type_name(const tune *t, size_t j) {
    return t->sc->behaviour[t->g->vary[j]].type;
}

void tune_csv(util_buf *b, const tune *t) {
    const tune_grid *g = t->g;
    util_buf_puts(b, "vector");
    for (size_t j = 0; j < g->nvary; j++) {
        util_buf_puts(b, ",");
        csvread_write_field(b, type_name(t, j), strlen(type_name(t, j)), 1);
    }
    util_buf_puts(b, ",scenario,threshold,fit_threshold,leads,won,mqls,tp,fp,fn,tn,precision,"
                     "recall,f1,mql_rate,lift,revenue_recall,objective,thresholds\n");
    const char *name = t->sc->name;
    for (size_t v = 0; v < g->nvec; v++) {
        const tune_row *w = &t->rows[v];
        util_buf_printf(b, "%zu", v + 1);
        for (size_t j = 0; j < g->nvary; j++) {
            const scenario_points *p = &t->sc->behaviour[g->vary[j]];
            num(b, p->vals[tune_grid_digit(g, v, j)]);
        }
        util_buf_puts(b, ",");
        csvread_write_field(b, name, strlen(name), 1);
        if (!w->has) {
            util_buf_printf(b, ",,,%ld,%ld,,,,,,,,,,,,,%ld\n", t->leads, t->won, w->nthresholds);
            continue;
        }
        metrics_ratios q;
        metrics_ratios_of(t->leads, t->won, w->tp, w->fp, w->tp_amount, t->won_amount, &q);
        num(b, w->T);
        num(b, t->two_axis ? w->F : NAN);
        util_buf_printf(b, ",%ld,%ld,%ld,%ld,%ld,%ld,%ld", t->leads, t->won, w->tp + w->fp, w->tp,
                        w->fp, t->won - w->tp, t->leads - t->won - w->fp);
        num(b, q.precision);
        num(b, q.recall);
        num(b, q.f1);
        num(b, q.mql_rate);
        num(b, q.lift);
        num(b, q.revenue_recall);
        num(b, w->objective);
        util_buf_printf(b, ",%ld\n", w->nthresholds);
    }
}

static void md_fixed(util_buf *b, double v) {
    char s[40];
    util_fmt_double(s, sizeof s, v);
    util_buf_puts(b, s);
}

static void md_ratio(util_buf *b, double v) {
    if (isnan(v)) util_buf_puts(b, " – |");
    else util_buf_printf(b, " %.3f |", v);
}

/* A fence longer than any run of backticks in the lines it encloses. */
static int fence_len(const tune *t) {
    int longest = 0;
    for (size_t k = 0; k < t->sc->nbehaviour; k++) {
        int run = 0;
        for (const char *s = t->sc->behaviour[k].type; *s; s++) {
            run = *s == '`' ? run + 1 : 0;
            if (run > longest) longest = run;
        }
    }
    return longest < 3 ? 3 : longest + 1;
}

void tune_md(util_buf *b, const tune *t, const dataset *ds, const char *data_path) {
    const tune_grid *g = t->g;
    const scenario *sc = t->sc;
    util_buf_puts(b, "# leadsim tune: ");
    summary_md_text(b, sc->name);
    util_buf_puts(b, "\n\n");
    if (sc->description) {
        summary_md_text(b, sc->description);
        util_buf_puts(b, "\n\n");
    }
    util_buf_printf(b, "## Candidate grid\n\n%zu weight vector%s: ", g->nvec, g->nvec == 1 ? "" : "s");
    for (size_t j = 0; j < g->nvary; j++) {
        const scenario_points *p = &sc->behaviour[g->vary[j]];
        if (j) util_buf_puts(b, " × ");
        summary_md_text(b, p->type);
        util_buf_printf(b, " (%zu values: ", p->nvals);
        for (size_t i = 0; i < p->nvals; i++) {
            if (i) util_buf_puts(b, ", ");
            if (i == 3 && p->nvals > 5) {
                util_buf_puts(b, "…, ");
                i = p->nvals - 1;
            }
            md_fixed(b, p->vals[i]);
        }
        util_buf_puts(b, ")");
    }
    util_buf_puts(b, ".");
    int nfixed = 0;
    for (size_t k = 0; k < sc->nbehaviour; k++) {
        if (sc->behaviour[k].nvals != 1) continue;
        util_buf_puts(b, nfixed++ ? ", " : " Fixed: ");
        summary_md_text(b, sc->behaviour[k].type);
        util_buf_puts(b, " = ");
        md_fixed(b, sc->behaviour[k].vals[0]);
    }
    if (nfixed) util_buf_puts(b, ".");
    util_buf_puts(b, "\n\nFor each vector: the full sweep (every threshold at which some lead "
                     "changes class) and the threshold it recommends under the objective `");
    summary_md_text(b, sc->objective_text ? sc->objective_text : "f1");
    util_buf_puts(b, "`, exactly as `leadsim sweep` computes them for the scenario with those "
                     "weights. The best vector is the best of those recommendations by the same "
                     "rules (then the first in grid order). tune-grid.csv has every vector.\n\n");
    util_buf_printf(b, "Method: %s (%s).\n\n", method_name(t->method), t->why);

    size_t idx[10];
    size_t k = tune_top(t, idx, 10);
    size_t none = 0;
    for (size_t v = 0; v < g->nvec; v++) none += !t->rows[v].has;
    util_buf_puts(b, "## Best vectors\n\n");
    if (k == 0) {
        util_buf_puts(b, "No vector has a recommended threshold: under every weight vector the "
                         "objective is undefined or not satisfied at every threshold (`leadsim "
                         "sweep` on one of them says why).\n\n");
    } else {
        util_buf_puts(b, "| rank | vector |");
        for (size_t j = 0; j < g->nvary; j++) {
            util_buf_puts(b, " ");
            summary_md_text(b, type_name(t, j));
            util_buf_puts(b, " |");
        }
        util_buf_puts(b, " threshold |");
        if (t->two_axis) util_buf_puts(b, " fit threshold |");
        util_buf_puts(b, " hand-offs | won caught | precision | recall | f1 | objective |\n|--:|--:|");
        for (size_t j = 0; j < g->nvary; j++) util_buf_puts(b, "--:|");
        util_buf_puts(b, t->two_axis ? "--:|--:|" : "--:|");
        util_buf_puts(b, "--:|--:|--:|--:|--:|--:|\n");
        for (size_t i = 0; i < k; i++) {
            const tune_row *w = &t->rows[idx[i]];
            metrics_ratios q;
            metrics_ratios_of(t->leads, t->won, w->tp, w->fp, w->tp_amount, t->won_amount, &q);
            util_buf_printf(b, "| %zu | %zu |", i + 1, idx[i] + 1);
            for (size_t j = 0; j < g->nvary; j++) {
                util_buf_puts(b, " ");
                md_fixed(b, sc->behaviour[g->vary[j]].vals[tune_grid_digit(g, idx[i], j)]);
                util_buf_puts(b, " |");
            }
            util_buf_puts(b, " ");
            md_fixed(b, w->T);
            util_buf_puts(b, " |");
            if (t->two_axis) {
                util_buf_puts(b, " ");
                md_fixed(b, w->F);
                util_buf_puts(b, " |");
            }
            util_buf_printf(b, " %ld | %ld |", w->tp + w->fp, w->tp);
            md_ratio(b, q.precision);
            md_ratio(b, q.recall);
            md_ratio(b, q.f1);
            util_buf_puts(b, " ");
            md_fixed(b, w->objective);
            util_buf_puts(b, " |\n");
        }
        util_buf_puts(b, "\n");
        if (none)
            util_buf_printf(b, "%zu of the %zu vectors %s no recommended threshold (the objective "
                               "is undefined or not satisfied at every threshold).\n\n",
                            none, g->nvec, none == 1 ? "has" : "have");

        size_t v = idx[0];
        const tune_row *w = &t->rows[v];
        int fl = fence_len(t);
        util_buf_printf(b, "## Replay the chosen one\n\nVector %zu: put these lines in the "
                           "scenario in place of its [behaviour] and threshold, then run `leadsim "
                           "sweep` or `leadsim run` on it:\n\n",
                        v + 1);
        for (int i = 0; i < fl; i++) util_buf_puts(b, "`");
        util_buf_puts(b, "ini\n[behaviour]\n");
        for (size_t kk = 0; kk < sc->nbehaviour; kk++) {
            util_buf_printf(b, "%s = ", sc->behaviour[kk].type);
            md_fixed(b, tune_grid_weight(g, v, kk));
            util_buf_puts(b, "\n");
        }
        util_buf_puts(b, "\n[mql]\nthreshold = ");
        md_fixed(b, w->T);
        if (t->two_axis) {
            util_buf_puts(b, "\nfit_threshold = ");
            md_fixed(b, w->F);
        }
        util_buf_puts(b, "\n");
        for (int i = 0; i < fl; i++) util_buf_puts(b, "`");
        util_buf_puts(b, "\n\n");
    }
    summary_scn ss = {.sc = sc, .ds = ds, .rp = t->rp, .data_path = data_path};
    summary_md_data(b, &ss, "##");
}

void tune_terminal(util_buf *b, const tune *t) {
    const tune_grid *g = t->g;
    util_buf_printf(b, "tune: %zu weight vector%s, objective %s, method %s\n", g->nvec,
                    g->nvec == 1 ? "" : "s", t->sc->objective_text ? t->sc->objective_text : "f1",
                    method_name(t->method));
    size_t idx[1];
    if (tune_top(t, idx, 1) == 0) {
        util_buf_puts(b, "no vector has a recommended threshold\n");
        return;
    }
    const tune_row *w = &t->rows[idx[0]];
    util_buf_printf(b, "best: vector %zu:", idx[0] + 1);
    for (size_t j = 0; j < g->nvary; j++) {
        util_buf_printf(b, "%s %s = ", j ? "," : "", type_name(t, j));
        md_fixed(b, t->sc->behaviour[g->vary[j]].vals[tune_grid_digit(g, idx[0], j)]);
    }
    util_buf_puts(b, "; threshold ");
    md_fixed(b, w->T);
    if (t->two_axis) {
        util_buf_puts(b, ", fit threshold ");
        md_fixed(b, w->F);
    }
    metrics_ratios q;
    metrics_ratios_of(t->leads, t->won, w->tp, w->fp, w->tp_amount, t->won_amount, &q);
    util_buf_printf(b, ": %ld hand-offs, %ld of %ld won deals", w->tp + w->fp, w->tp, t->won);
    if (!isnan(q.precision)) util_buf_printf(b, ", precision %.3f", q.precision);
    if (!isnan(q.recall)) util_buf_printf(b, ", recall %.3f", q.recall);
    util_buf_puts(b, ", objective ");
    md_fixed(b, w->objective);
    util_buf_puts(b, "\n");
}
