/* cmd_review.c - `leadsim review`: the definition review by calendar period, with the backtest.
 *
 * Wires the engine to its writers: loads the scenario and the dataset,
 * runs review.c, and hands the result to out_review.c for review.csv,
 * review-features.csv, review.md and the verdict on stdout, and to
 * out_plots.c and html.c for the plots and review.html; staged and renamed
 * like every result. It composes no text itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "html.h"
#include "md.h"
#include "out_plots.h"
#include "out_review.h"
#include "outdir.h"
#include "review.h"
#include "scenario.h"

int cmd_review(const cli *c, util_err *err) {
    if (c->nargs != 1) return util_errf(err, UTIL_EUSAGE, "review needs exactly one scenario file");
    scenario *sc = NULL;
    dataset *ds = NULL;
    review *rv = NULL;
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
    review_boot boot = {.nboot = c->has_bootstrap ? c->bootstrap : 0, .seed = c->seed};
    if (review_run(ds, sc, c->has_period ? (int)c->period : 6, c->threads, &boot, &rv, err) < 0)
        goto done;

    char base[4096];
    if (c->out) snprintf(base, sizeof base, "%s", c->out);
    else snprintf(base, sizeof base, "results/%s", sc->name);
    if (outdir_open(&o, base, err) < 0) goto done;
    o.threads = c->threads;
    out_review_csv(&b, rv, sc);
    if (b.failed) goto nomem;
    if (outdir_take_buf(&o, "", "review.csv", &b, err) < 0) goto done;
    out_review_features_csv(&b, rv);
    if (b.failed) goto nomem;
    if (outdir_take_buf(&o, "", "review-features.csv", &b, err) < 0) goto done;
    if (out_review_md(&md, rv, sc, path, !c->no_plots) < 0) goto nomem;
    if (outdir_write(&o, "review.md", md.data, md.len, err) < 0) goto done;
    out_plots_open(&ch, c->no_plots);
    if (out_review_plots(&ch, &o, rv, sc, err) < 0) goto done;
    char title[300];
    snprintf(title, sizeof title, "leadsim review: %s", sc->name);
    if (html_page(&b, title, md.data, &ch, ch.note, err) < 0) goto done;
    if (outdir_take_buf(&o, "", "review.html", &b, err) < 0) goto done;
    {
        static const char *stale[] = {
            "plots/review-pr.svg", "plots/review-pr.png", "plots/review-lift.svg",
            "plots/review-lift.png", "plots/review-scores.svg", "plots/review-scores.png",
            "plots/review-backtest.svg", "plots/review-backtest.png", NULL};
        if (outdir_commit(&o, stale, err) < 0) goto done;
    }
    if (ch.note[0] && !c->quiet && !c->no_plots) fprintf(stderr, "leadsim: %s\n", ch.note);
    if (!c->quiet) {
        if (out_review_stdout(&b, rv, sc, base) < 0) goto nomem;
        fputs(b.data, stdout);
    }
    rc = 0;
    goto done;
nomem:
    util_enomem(err);
done:
    out_plots_close(&ch);
    util_buf_fini(&b);
    util_buf_fini(&md);
    review_free(rv);
    dataset_free(ds);
    scenario_free(sc);
    outdir_close(&o);
    return rc;
}
