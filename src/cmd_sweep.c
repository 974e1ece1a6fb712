/* cmd_sweep.c - `leadsim sweep`: every class-changing threshold, a recommendation, intervals.
 *
 * Wires the engines to their writers: loads and replays once, sweeps
 * (sweep.c), bootstraps (boot.c), and hands the result to out_sweep.c for
 * sweep.csv, sweep.md and the text on stdout, to out_scn.c for the weekly
 * hand-offs at the recommended threshold, and to out_plots.c and html.c for
 * the plots and sweep.html; staged and renamed like every result. It
 * composes no text itself. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "drivers.h"
#include <stdlib.h>
#include "out_plots.h"
#include "cli.h"
#include "dataset.h"
#include "metrics.h"
#include "out_sweep.h"
#include "outdir.h"
#include "replay.h"
#include "html.h"
#include "scenario.h"
#include "md.h"
#include "out_scn.h"
#include "sqlacc.h"
#include "sweep.h"
#include "sales.h"
#include "sweep_sales.h"

/* The recommended row evaluated as `run` evaluates a threshold. */
typedef struct best_job {
    const replay *rp;
    const sweep *sw;
    metrics_row *row;
    int threads;
    int rc;
    util_err err;
} best_job;

static void *best_run(void *arg) {
    best_job *j = arg;
    const sweep_row *w = &j->sw->rows[j->sw->best];
    j->rc = metrics_eval(j->rp, w->T, w->F, j->threads, j->row, &j->err);
    return NULL;
}

/* The scenario's own thresholds, evaluated as `run` evaluates them, for the
 * side-by-side with the pick. Returns 0, or -1 with err. */
static int eval_current(const replay *rp, const scenario *sc, int threads, metrics_row **out,
                        size_t *n, util_err *err) {
    size_t nf = sc->fit_thresholds ? sc->nfit_thresholds : 1, want = sc->nthresholds * nf;
    if (want > 6) want = 6; /* the side-by-side shows at most six */
    *n = 0;
    if (!(*out = util_calloc(want ? want : 1, sizeof **out))) return util_enomem(err);
    for (size_t i = 0; i < sc->nthresholds && *n < want; i++)
        for (size_t k = 0; k < nf && *n < want; k++) {
            double F = sc->fit_thresholds ? sc->fit_thresholds[k] : 0;
            if (metrics_eval(rp, sc->thresholds[i], F, threads, &(*out)[*n], err) < 0) return -1;
            (*n)++;
        }
    return 0;
}

/* sweep.csv goes straight to its file: at a million leads it is over 100 MB. */
static int to_file(void *ctx, const char *data, size_t len) {
    return outdir_file_put(ctx, data, len);
}

/* sweep.csv, and the recommended row evaluated as `run` evaluates it (into
 * BEST_ROW, when there is a recommendation). Returns 0, or -1 with err. */
static int csv_and_best(const cli *c, outdir *o, const replay *rp, const sweep *sw,
                        const char *name, metrics_row *best_row, util_err *err) {
    /* The weekly hand-offs at the recommendation need only the replay:
     * with threads to spare they are counted on one of them while the
     * others write sweep.csv. */
    best_job bj = {.rp = rp, .sw = sw, .row = best_row, .threads = c->threads};
    pthread_t bt;
    int overlap = sw->best >= 0 && c->threads > 1;
    if (overlap) {
        bj.threads = 1;
        overlap = pthread_create(&bt, NULL, best_run, &bj) == 0;
        if (!overlap) bj.threads = c->threads;
    }
    outdir_file f;
    int rc_csv = outdir_file_open(o, "sweep.csv", &f, err);
    if (rc_csv == 0) {
        int written = out_sweep_csv_to(sw, name, c->threads, to_file, &f);
        rc_csv = outdir_file_close(o, &f, err);
        if (rc_csv == 0 && written < 0) /* the stream was fine, so memory ran out */
            rc_csv = util_enomem(err);
    }
    if (overlap) pthread_join(bt, NULL);
    else if (sw->best >= 0 && rc_csv == 0) best_run(&bj);
    if (rc_csv < 0) return -1;
    if (bj.rc < 0) {
        *err = bj.err;
        return -1;
    }
    return 0;
}

int cmd_sweep(const cli *c, util_err *err) {
    if (c->nargs != 1) return util_errf(err, UTIL_EUSAGE, "sweep needs exactly one scenario file");
    scenario *sc = NULL;
    dataset *ds = NULL;
    replay *rp = NULL;
    sweep *sw = NULL;
    drivers *dr = NULL;
    metrics_row *cur = NULL;
    size_t ncur = 0;
    metrics_row best_row;
    memset(&best_row, 0, sizeof best_row);
    sales *sa = NULL;
    sales_row best_sales, *cur_sales = NULL;
    memset(&best_sales, 0, sizeof best_sales);
    outdir o;
    memset(&o, 0, sizeof o);
    util_buf b, md;
    util_buf_init(&b);
    util_buf_init(&md);
    out_plots ch;
    memset(&ch, 0, sizeof ch);
    int rc = -1;
    if (scenario_load(c->args[0], &sc, err) < 0) goto done;
    const char *path;
    if (cli_data_path(c, sc, &path, err) < 0 || cli_load(c, path, &ds, err) < 0 ||
        cli_check_names(c, sc, ds, err) < 0)
        goto done;
    util_timing(NULL);
    if (replay_run(ds, sc, c->threads, &rp, err) < 0) goto done;
    util_timing("replay");
    if (drivers_run(ds, sc, rp, &dr, err) < 0) goto done;
    if (sales_alloc(ds, sc, rp, &sa, err) < 0) goto done; /* reads the events: before they go */
    /* The sweep works on the replay alone; recycling reads the events of
     * each new cycle, so with it they are given back only at the end. */
    int keep_events = sa && sc->has_recycle;
    if (!keep_events) dataset_release_events(ds, c->threads);
    util_timing("events given back");
    sweep_opts so = {.bootstrap = c->has_bootstrap ? c->bootstrap : 1000, .seed = c->seed,
                     .threads = c->threads};
    if (sweep_run(rp, sc, &so, &sw, err) < 0 ||
        (sa && sweep_sales_run(sa, sw, OUT_SWEEP_TABLE_ROWS, c->threads, err) < 0) ||
        boot_run(sw, rp, &so, err) < 0)
        goto done;
    if (sqlacc_attach(ds, sc, rp, sw, err) < 0) goto done;
    util_timing("sweep: pick and bootstrap");
    if (eval_current(rp, sc, c->threads, &cur, &ncur, err) < 0) goto done;

    char base[4096];
    if (c->out) snprintf(base, sizeof base, "%s", c->out);
    else snprintf(base, sizeof base, "results/%s", sc->name);
    if (outdir_open(&o, base, err) < 0) goto done;
    o.threads = c->threads;
    if (csv_and_best(c, &o, rp, sw, sc->name, &best_row, err) < 0) goto done;
    if (sa && sw->best >= 0 && sales_eval_row(sa, &best_row, &best_sales, err) < 0) goto done;
    util_timing("sweep.csv and the weekly hand-offs");

    out_scn ss = {.sc = sc, .ds = ds, .rp = rp, .data_path = path, .rows = &best_row, .nrows = 1,
                  .sw = sw, .pick = sw->best >= 0 ? &best_row : NULL, .current = cur,
                  .ncurrent = ncur, .dr = dr};
    if (sa) {
        if (!(cur_sales = util_calloc(ncur + 1, sizeof *cur_sales))) {
            util_enomem(err);
            goto done;
        }
        for (size_t i = 0; i < ncur; i++)
            if (sales_eval_row(sa, &cur[i], &cur_sales[i], err) < 0) goto done;
        ss.scurrent = cur_sales;
        ss.sales = sa;
        ss.srows = sw->best >= 0 ? &best_sales : NULL;
        ss.spick = sw->best >= 0 ? &best_sales : NULL;
    }
    if (keep_events) dataset_release_events(ds, c->threads); /* every queue is made */
    out_sweep_md(&md, sw, sc, &ss);
    if (md.failed) {
        util_enomem(err);
        goto done;
    }
    if (outdir_write(&o, "sweep.md", md.data, md.len, err) < 0) goto done;

    /* Weekly hand-offs at the recommendation, computed exactly as `run` does.
     * Its own name: run and sweep share the default folder, and run's
     * weekly.csv must stay. */
    if (sw->best >= 0) {
        if (out_scn_weekly_csv(&b, &ss) == 0 && outdir_take_buf(&o, "", "sweep-weekly.csv", &b, err) < 0) goto done;
        util_buf_fini(&b);
    }
    out_plots_open(&ch, c->no_plots);
    if (out_plots_sweep(&ch, &o, sw, &ss, sw->best >= 0 ? &best_row : NULL, err) < 0) goto done;
    char title[300];
    snprintf(title, sizeof title, "leadsim sweep: %s", sc->name);
    if (html_page(&b, title, md.data, &ch, ch.note, err) < 0) goto done;
    if (outdir_take_buf(&o, "", "sweep.html", &b, err) < 0) goto done;
    {
        static const char *stale[] = {
            "sweep-weekly.csv", "plots/sweep-tradeoff.svg", "plots/sweep-tradeoff.png",
            "plots/sweep-pr.svg", "plots/sweep-pr.png", "plots/sweep-workload.svg",
            "plots/sweep-workload.png", "plots/sweep-weekly.svg", "plots/sweep-weekly.png",
            "plots/sweep-scores.svg", "plots/sweep-scores.png",
            "plots/sweep-heatmap-precision.svg", "plots/sweep-heatmap-precision.png",
            "plots/sweep-heatmap-recall.svg", "plots/sweep-heatmap-recall.png",
            "plots/sweep-heatmap-handoffs.svg", "plots/sweep-heatmap-handoffs.png",
            "plots/sweep-sla.svg", "plots/sweep-sla.png", "plots/sweep-queue.svg",
            "plots/sweep-queue.png", "plots/sweep-waits.svg", "plots/sweep-waits.png", NULL};
        util_timing("sweep.md, plots and report");
        if (outdir_commit(&o, stale, err) < 0) goto done;
        util_timing("commit");
    }
    if (ch.note[0] && !c->quiet && !c->no_plots) fprintf(stderr, "leadsim: %s\n", ch.note);

    if (!c->quiet) {
        out_sweep_stdout(&b, sw, sc, base);
        if (b.failed) {
            util_enomem(err);
            goto done;
        }
        fputs(b.data, stdout);
    }
    rc = 0;
done:
    out_plots_close(&ch);
    util_buf_fini(&b);
    util_buf_fini(&md);
    metrics_row_fini(&best_row);
    sales_row_fini(&best_sales);
    for (size_t i = 0; cur_sales && i < ncur; i++) sales_row_fini(&cur_sales[i]);
    free(cur_sales);
    for (size_t i = 0; cur && i < ncur; i++) metrics_row_fini(&cur[i]);
    free(cur);
    drivers_free(dr);
    if (sw) free(sw->sql);
    sweep_free(sw);
    sales_free(sa);
    replay_free(rp);
    dataset_free(ds);
    scenario_free(sc);
    outdir_close(&o); /* last: the previous results may still be going */
    return rc;
}
