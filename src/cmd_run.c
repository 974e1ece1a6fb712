/* cmd_run.c - `leadsim run`: replay scenarios and write the contract tables.
 *
 * Every scenario is read and checked before any dataset is loaded, every
 * dataset loaded and replayed before anything is written, and the files are
 * staged and renamed at the end: an error anywhere leaves earlier results as
 * they were. A dataset shared by several scenarios is loaded once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "drivers.h"
#include "metrics.h"
#include "out_plots.h"
#include "out_run.h"
#include "out_scn.h"
#include "outdir.h"
#include "replay.h"
#include "sales.h"
#include "staff.h"
#include "out_sales.h"
#include "scenario.h"
#include "sqlacc.h"
#include "sweep.h"
#include "sweep_sales.h"
#include "out_sweep.h"

typedef struct loaded {
    char *path;
    dataset *ds;
} loaded;

typedef struct run_state {
    scenario **sc;
    replay **rp;
    sweep **sw;          /* each scenario's sweep: the recommendation of its report */
    drivers **dr;
    metrics_row *pick;   /* each sweep's pick evaluated as a row */
    out_scn *sum;
    sales **sa;          /* each scenario's sales engine (NULL without [sales]) */
    sales_row *spick;    /* the pick's queue */
    staff_row **staff;   /* each scenario's staffing per row */
    staff_row *staff_pick;
    size_t n;
    loaded *ds;
    size_t nds;
} run_state;

static void state_fini(run_state *st) {
    for (size_t i = 0; i < st->n; i++) {
        scenario_free(st->sc ? st->sc[i] : NULL);
        replay_free(st->rp ? st->rp[i] : NULL);
        sweep_free(st->sw ? st->sw[i] : NULL);
        drivers_free(st->dr ? st->dr[i] : NULL);
        if (st->pick) metrics_row_fini(&st->pick[i]);
        if (st->sum) {
            for (size_t k = 0; k < st->sum[i].nrows; k++) metrics_row_fini(&st->sum[i].rows[k]);
            for (size_t k = 0; st->sum[i].srows && k < st->sum[i].nrows; k++)
                sales_row_fini(&st->sum[i].srows[k]);
            free(st->sum[i].rows);
            free(st->sum[i].srows);
            free(st->sum[i].sql);
        }
        if (st->spick) sales_row_fini(&st->spick[i]);
        if (st->sa) sales_free(st->sa[i]);
        if (st->staff) free(st->staff[i]);
    }
    for (size_t i = 0; i < st->nds; i++) {
        free(st->ds[i].path);
        dataset_free(st->ds[i].ds);
    }
    free(st->sc);
    free(st->rp);
    free(st->sw);
    free(st->dr);
    free(st->pick);
    free(st->sum);
    free(st->sa);
    free(st->spick);
    free(st->staff);
    free(st->staff_pick);
    free(st->ds);
}

static int get_dataset(run_state *st, const char *path, const cli *c, dataset **out,
                       util_err *err) {
    for (size_t i = 0; i < st->nds; i++)
        if (strcmp(st->ds[i].path, path) == 0) {
            *out = st->ds[i].ds;
            return 0;
        }
    dataset *ds = NULL;
    if (cli_load(c, path, &ds, err) < 0) return -1;
    loaded *l = &st->ds[st->nds];
    if (!(l->path = util_strdup(path))) {
        dataset_free(ds);
        return util_enomem(err);
    }
    l->ds = ds;
    st->nds++;
    *out = ds;
    return 0;
}

static int evaluate(out_scn *s, int threads, util_err *err) {
    const scenario *sc = s->sc;
    size_t nf = sc->fit_thresholds ? sc->nfit_thresholds : 1;
    size_t n = sc->nthresholds * nf;
    if (!(s->rows = util_calloc(n, sizeof *s->rows))) return util_enomem(err);
    for (size_t i = 0; i < sc->nthresholds; i++)
        for (size_t k = 0; k < nf; k++) {
            double F = sc->fit_thresholds ? sc->fit_thresholds[k] : 0;
            if (metrics_eval(s->rp, sc->thresholds[i], F, threads, &s->rows[s->nrows], err) < 0)
                return -1;
            s->nrows++;
        }
    return sqlacc_rows(s->ds, s->sc, s->rp, s->rows, s->nrows, &s->sql, err);
}

/* With [sales]: the engine of scenario I and the queue of each row. */
static int sales_rows(run_state *st, size_t i, const dataset *ds, util_err *err) {
    if (sales_alloc(ds, st->sc[i], st->rp[i], &st->sa[i], err) < 0) return -1;
    out_scn *s = &st->sum[i];
    if (!(s->sales = st->sa[i])) return 0;
    if (!(s->srows = util_calloc(s->nrows + 1, sizeof *s->srows))) return util_enomem(err);
    if (!(st->staff[i] = util_calloc(s->nrows + 1, sizeof *st->staff[i]))) return util_enomem(err);
    double target = out_sales_target(st->sc[i]);
    for (size_t k = 0; k < s->nrows; k++)
        if (sales_eval_row(st->sa[i], &s->rows[k], &s->srows[k], err) < 0 ||
            staff_eval(st->sa[i], &s->srows[k], target, &st->staff[i][k], err) < 0)
            return -1;
    s->staff = st->staff[i];
    return 0;
}

/* Read every scenario and refuse names that would collide in the output. */
static int load_scenarios(run_state *st, const cli *c, util_err *err) {
    size_t n = st->n;
    for (size_t i = 0; i < n; i++) {
        if (scenario_load(c->args[i], &st->sc[i], err) < 0) return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(st->sc[k]->name, st->sc[i]->name) == 0)
                return util_errf(err, UTIL_EDATA,
                                 "%s:%ld: scenario name '%s' is also the name of %s; names must "
                                 "differ (each names a results folder)",
                                 c->args[i], st->sc[i]->name_line, st->sc[i]->name, c->args[k]);
        static const char *reserved[] = {"summary.csv", "summary.md", "weekly.csv", "sweep.csv",
                                         "sweep.md", "report.html", "plots", NULL};
        for (int r = 0; n > 1 && reserved[r]; r++)
            if (strcmp(st->sc[i]->name, reserved[r]) == 0)
                return util_errf(err, UTIL_EDATA,
                                 "%s:%ld: the name '%s' is the name of a result file; choose another",
                                 c->args[i], st->sc[i]->name_line, st->sc[i]->name);
        if (n > 1 && !c->out && strcmp(st->sc[i]->name, "compare") == 0)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: the name 'compare' is where the comparison goes; rename the "
                             "scenario or pass --out",
                             c->args[i], st->sc[i]->name_line);
    }
    return 0;
}

/* The sweep of scenario I's replay (as costly as the replay), the behaviours
 * before a win (before the events are given back) and the pick as a row. */
static int recommend(run_state *st, size_t i, const dataset *ds, int threads, util_err *err) {
    sweep_opts so = {.threads = threads};
    if (drivers_run(ds, st->sc[i], st->rp[i], &st->dr[i], err) < 0 ||
        sweep_run(st->rp[i], st->sc[i], &so, &st->sw[i], err) < 0)
        return -1;
    /* sla:P needs the rows' queues, and capacity with recycling their weekly
     * hand-offs; other objectives pick without them */
    if (st->sa[i] &&
        (st->sc[i]->objective == SCENARIO_OBJ_SLA ||
         (st->sc[i]->objective == SCENARIO_OBJ_CAPACITY && st->sc[i]->has_recycle)) &&
        sweep_sales_run(st->sa[i], st->sw[i], OUT_SWEEP_TABLE_ROWS, threads, err) < 0)
        return -1;
    const sweep *w = st->sw[i];
    out_scn *s = &st->sum[i];
    s->sw = w;
    s->dr = st->dr[i];
    s->current = s->rows;
    s->ncurrent = s->nrows;
    s->scurrent = s->srows;
    if (w->best >= 0) {
        const sweep_row *b = &w->rows[w->best];
        if (metrics_eval(st->rp[i], b->T, b->F, threads, &st->pick[i], err) < 0) return -1;
        s->pick = &st->pick[i];
        if (st->sa[i]) {
            if (sales_eval_row(st->sa[i], &st->pick[i], &st->spick[i], err) < 0 ||
                staff_eval(st->sa[i], &st->spick[i], out_sales_target(st->sc[i]),
                           &st->staff_pick[i], err) < 0)
                return -1;
            s->spick = &st->spick[i];
            s->staff_pick = &st->staff_pick[i];
        }
    }
    return 0;
}

/* Load each dataset once, replay each scenario on it and evaluate its rows. */
static int replay_all(run_state *st, const cli *c, util_err *err) {
    for (size_t i = 0; i < st->n; i++) {
        const char *path;
        if (cli_data_path(c, st->sc[i], &path, err) < 0) return -1;
        dataset *ds = NULL;
        if (get_dataset(st, path, c, &ds, err) < 0 || cli_check_names(c, st->sc[i], ds, err) < 0)
            return -1;
        if (replay_run(ds, st->sc[i], c->threads, &st->rp[i], err) < 0) return -1;
        st->sum[i] = (out_scn){.sc = st->sc[i], .ds = ds, .rp = st->rp[i], .data_path = path};
        if (evaluate(&st->sum[i], c->threads, err) < 0 || sales_rows(st, i, ds, err) < 0 ||
            recommend(st, i, ds, c->threads, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < st->nds; i++) dataset_release_events(st->ds[i].ds, c->threads); /* replays done */
    return 0;
}

/* Stage every file in o (opened on base) and commit them, with the files of
 * an older run that this one did not write removed. */
static int write_all(run_state *st, const cli *c, outdir *o, out_plots *ch, const char *base,
                     util_err *err) {
    size_t n = st->n;
    if (outdir_open(o, base, err) < 0) return -1;
    o->threads = c->threads;
    /* Each scenario's folder is also where a run of that scenario alone
     * writes by default: lock it too, so the two cannot mix their files. */
    for (size_t i = 0; n > 1 && i < n; i++)
        if (outdir_lock_sub(o, st->sc[i]->name, err) < 0) return -1;
    out_plots_open(ch, c->no_plots);
    if (n == 1) {
        if (out_run_write(o, ch, "", st->sum, 1, err) < 0) return -1;
    } else {
        for (size_t i = 0; i < n; i++) {
            char prefix[300];
            snprintf(prefix, sizeof prefix, "%s/", st->sc[i]->name);
            if (out_run_write(o, ch, prefix, &st->sum[i], 1, err) < 0) return -1;
        }
        if (out_run_write(o, ch, c->out ? "" : "compare/", st->sum, n, err) < 0) return -1;
    }
    static const char *stale[512];
    static char stale_buf[512][300];
    size_t ns_ = 0;
    stale[0] = NULL;
    if (n == 1) out_run_stale(stale, stale_buf, &ns_, 512, "");
    for (size_t i = 0; n > 1 && i < n; i++) {
        char prefix[300];
        snprintf(prefix, sizeof prefix, "%s/", st->sc[i]->name);
        out_run_stale(stale, stale_buf, &ns_, 512, prefix);
    }
    if (n > 1) out_run_stale(stale, stale_buf, &ns_, 512, c->out ? "" : "compare/");
    return outdir_commit(o, stale, err);
}

/* The terminal table and where the report is. */
static int print_terminal(const run_state *st, const cli *c, const char *base, util_err *err) {
    util_buf b;
    util_buf_init(&b);
    out_run_terminal(&b, st->sum, st->n);
    if (st->n == 1)
        util_buf_printf(&b, "\nReport: %s/report.html (tables: summary.csv, summary.md%s)\n", base,
                        st->rp[0]->timed ? ", weekly.csv" : "");
    else
        util_buf_printf(&b, "\nReport: %s%s/report.html (each scenario in its own folder under %s/)\n",
                        base, c->out ? "" : "/compare", base);
    int failed = b.failed;
    if (!failed) fputs(b.data, stdout);
    util_buf_fini(&b);
    return failed ? util_enomem(err) : 0;
}

int cmd_run(const cli *c, util_err *err) {
    if (c->nargs < 1)
        return util_errf(err, UTIL_EUSAGE, "run needs at least one scenario file");
    run_state st;
    memset(&st, 0, sizeof st);
    size_t n = (size_t)c->nargs;
    int rc = -1;
    outdir o;
    memset(&o, 0, sizeof o);
    out_plots ch;
    memset(&ch, 0, sizeof ch);
    if (!(st.sc = util_calloc(n, sizeof *st.sc)) || !(st.rp = util_calloc(n, sizeof *st.rp)) ||
        !(st.sum = util_calloc(n, sizeof *st.sum)) || !(st.sw = util_calloc(n, sizeof *st.sw)) ||
        !(st.dr = util_calloc(n, sizeof *st.dr)) || !(st.pick = util_calloc(n, sizeof *st.pick)) ||
        !(st.sa = util_calloc(n, sizeof *st.sa)) || !(st.spick = util_calloc(n, sizeof *st.spick)) ||
        !(st.staff = util_calloc(n, sizeof *st.staff)) ||
        !(st.staff_pick = util_calloc(n, sizeof *st.staff_pick)) || !(st.ds = util_calloc(n, sizeof *st.ds))) {
        util_enomem(err);
        goto done;
    }
    st.n = n;
    if (load_scenarios(&st, c, err) < 0 || replay_all(&st, c, err) < 0) goto done;
    /* Where files go: see the command's help. */
    char base[4096];
    if (c->out) snprintf(base, sizeof base, "%s", c->out);
    else if (n == 1) snprintf(base, sizeof base, "results/%s", st.sc[0]->name);
    else snprintf(base, sizeof base, "results");
    if (write_all(&st, c, &o, &ch, base, err) < 0) goto done;
    if (ch.note[0] && !c->quiet && !c->no_plots) fprintf(stderr, "leadsim: %s\n", ch.note);
    if (!c->quiet && print_terminal(&st, c, base, err) < 0) goto done;
    rc = 0;
done:
    out_plots_close(&ch);
    state_fini(&st);
    outdir_close(&o); /* last: the previous results may still be going */
    return rc;
}
