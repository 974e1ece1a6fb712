/* cmd_tune_suggest.c - `leadsim tune` on a scenario without a grid: suggested weights (SPEC 5.10).
 *
 * Loads the dataset, fits the model and compares it out of time
 * (tune_suggest.c), then writes tune-suggest.csv, tune-holdout.csv, tune.md,
 * tune.html and the plots (out_suggest.c), staged and renamed like every
 * result; prints the suggestion unless --quiet. cmd_tune.c hands over
 * here when the scenario lists no candidate grid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dataset.h"
#include "html.h"
#include "out_plots.h"
#include "out_suggest.h"
#include "outdir.h"
#include "scenario.h"
#include "tune_suggest.h"

int cmd_tune_suggest(const cli *c, scenario *sc, util_err *err) {
    dataset *ds = NULL;
    tune_suggest *t = NULL;
    outdir o;
    memset(&o, 0, sizeof o);
    util_buf b, md;
    util_buf_init(&b);
    util_buf_init(&md);
    out_plots ch;
    memset(&ch, 0, sizeof ch);
    int rc = -1;
    const char *path;
    if (cli_data_path(c, sc, &path, err) < 0 || cli_load(c, path, &ds, err) < 0 ||
        cli_check_names(c, sc, ds, err) < 0)
        goto done;
    tune_suggest_opts so = {.threads = c->threads, .seed = c->seed,
                            .bootstrap = c->has_bootstrap ? c->bootstrap : SUGGEST_BOOTSTRAP,
                            .progress = !c->quiet && isatty(2)};
    if (tune_suggest_run(ds, sc, &so, &t, err) < 0) goto done;

    char base[4096];
    if (c->out) snprintf(base, sizeof base, "%s", c->out);
    else snprintf(base, sizeof base, "results/%s", sc->name);
    if (outdir_open(&o, base, err) < 0) goto done;
    o.threads = c->threads;
    out_suggest_csv(&b, t);
    if (outdir_take_buf(&o, "", "tune-suggest.csv", &b, err) < 0) goto done;
    out_suggest_holdout_csv(&b, t);
    if (outdir_take_buf(&o, "", "tune-holdout.csv", &b, err) < 0) goto done;
    out_suggest_md(&b, t, ds, path, 0);
    if (outdir_take_buf(&o, "", "tune.md", &b, err) < 0) goto done;
    out_plots_open(&ch, c->no_plots);
    if (out_suggest_plots(&ch, &o, t, err) < 0) goto done;
    out_suggest_md(&md, t, ds, path, 1);
    if (md.failed) {
        util_enomem(err);
        goto done;
    }
    char title[300];
    snprintf(title, sizeof title, "leadsim tune: %s", sc->name);
    if (html_page(&b, title, md.data, &ch, ch.note, err) < 0) goto done;
    if (outdir_take_buf(&o, "", "tune.html", &b, err) < 0) goto done;
    /* a grid's table from an earlier run would sit next to this tune.md */
    static const char *stale[] = {"tune-grid.csv", "plots/suggest-points.svg", "plots/suggest-points.png",
                                  "plots/suggest-pr.svg", "plots/suggest-pr.png", NULL};
    if (outdir_commit(&o, stale, err) < 0) goto done;
    if (ch.note[0] && !c->quiet && !c->no_plots) fprintf(stderr, "leadsim: %s\n", ch.note);
    if (!c->quiet) {
        out_suggest_terminal(&b, t);
        util_buf_printf(&b, "Results: %s/tune.md (tune-suggest.csv, tune-holdout.csv, tune.html)\n",
                        base);
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
    tune_suggest_free(t);
    dataset_free(ds);
    outdir_close(&o); /* last: the previous results may still be going */
    return rc;
}
