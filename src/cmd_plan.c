/* cmd_plan.c - `leadsim plan`: leads needed for a revenue goal (SPEC 5.9).
 *
 * Reads and checks plan's options, loads and replays the scenario, takes its
 * one threshold (or the sweep's pick under the objective when threshold is a
 * list or a range), collects the history the model needs (cohort leads,
 * MQLs, won MQLs, their amounts and lags), runs plan.c and hands the result
 * to out_plan.c; staged and renamed like every result. Composes no text of
 * the results itself. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "html.h"
#include "objective.h"
#include "out_plan.h"
#include "out_plots.h"
#include "out_scn.h"
#include "outdir.h"
#include "plan.h"
#include "replay.h"
#include "scenario.h"
#include "sweep.h"
#include "tstamp.h"

/* ---------------------------- The options ---------------------------- */

static int parse_date(const char *opt, const char *s, int64_t *out, util_err *err) {
    if (tstamp_parse(s, strlen(s), out) < 0)
        return util_errf(err, UTIL_EUSAGE,
                         "%s takes a date YYYY-MM-DD (or a timestamp), not '%s'", opt, s);
    return 0;
}

/* plan's options into IN (goal, deals, draws, seed, period). */
static int read_options(const cli *c, plan_input *in, util_err *err) {
    if (c->revenue && c->deals)
        return util_errf(err, UTIL_EUSAGE,
                         "give the goal once: --revenue GOAL (money) or --deals N (won deals), "
                         "not both");
    if (!c->revenue && !c->deals)
        return util_errf(err, UTIL_EUSAGE,
                         "plan needs a goal: --revenue GOAL (e.g. --revenue 1000000) or --deals N "
                         "(won deals)");
    if (c->revenue) {
        double g;
        if (util_parse_double(c->revenue, &g) < 0 || !(g > 0) || !isfinite(g) ||
            g > DATASET_MAX_AMOUNT * 1e3)
            return util_errf(err, UTIL_EUSAGE,
                             "--revenue takes a positive number (the goal in the amounts' "
                             "currency, no separators), not '%s'",
                             c->revenue);
        in->goal = g;
    } else {
        long d;
        if (util_parse_long(c->deals, &d) < 0 || d < 1 || d > (long)PLAN_MAX_DEALS)
            return util_errf(err, UTIL_EUSAGE,
                             "--deals takes a whole number of won deals from 1 to %ld, not '%s'",
                             (long)PLAN_MAX_DEALS, c->deals);
        in->goal = (double)d;
        in->by_deals = 1;
    }
    in->draws = 10000;
    if (c->draws) {
        long d;
        if (util_parse_long(c->draws, &d) < 0 || d < 1 || d > PLAN_MAX_DRAWS)
            return util_errf(err, UTIL_EUSAGE,
                             "--draws takes a whole number from 1 to %ld, not '%s'",
                             PLAN_MAX_DRAWS, c->draws);
        in->draws = d;
    }
    in->seed = c->seed;
    if (!c->from != !c->to)
        return util_errf(err, UTIL_EUSAGE,
                         "a period needs both ends: --from D --to E (dates YYYY-MM-DD, E not "
                         "included)");
    if (c->from) {
        if (parse_date("--from", c->from, &in->from, err) < 0 ||
            parse_date("--to", c->to, &in->to, err) < 0)
            return -1;
        if (in->from >= in->to)
            return util_errf(err, UTIL_EUSAGE,
                             "--from %s is not before --to %s: the period [D, E) is empty; give "
                             "the start first",
                             c->from, c->to);
        in->has_period = 1;
    }
    return 0;
}

/* ---------------------------- The history ---------------------------- */

/* The threshold the plan uses: the scenario's one threshold (and fit
 * threshold), or the sweep's pick under the objective. */
static int choose(const cli *c, const scenario *sc, const replay *rp, out_plan *op,
                  util_err *err) {
    size_t nf = sc->fit_thresholds ? sc->nfit_thresholds : 1;
    op->two_axis = sc->fit_thresholds != NULL;
    if (sc->nthresholds == 1 && nf == 1) {
        op->T = sc->thresholds[0];
        op->F = sc->fit_thresholds ? sc->fit_thresholds[0] : 0;
        return 0;
    }
    sweep *sw = NULL;
    sweep_opts so = {.threads = c->threads};
    if (sweep_run(rp, sc, &so, &sw, err) < 0) return -1;
    int rc = 0;
    if (sw->best < 0) {
        rc = util_errf(err, UTIL_EDATA,
                       "%s:%ld: threshold is a list or a range, and no threshold meets the "
                       "objective %s, so there is none to plan with; set one threshold or "
                       "another [tune] objective (or --objective)",
                       sc->path, sc->threshold_line,
                       sc->objective_text ? sc->objective_text : "f1");
    } else {
        op->T = sw->rows[sw->best].T;
        op->F = sw->rows[sw->best].F;
        op->picked = 1;
    }
    sweep_free(sw);
    return rc;
}

/* n, m, t, the amounts and the lags of the won MQLs at op's threshold. The
 * arrays are malloc'd into IN (the caller frees them). */
static int collect(const dataset *ds, const replay *rp, const out_plan *op, plan_input *in,
                   util_err *err) {
    double *amount = util_calloc(rp->n ? rp->n : 1, sizeof *amount);
    double *lag = util_calloc(rp->n ? rp->n : 1, sizeof *lag);
    in->amount = amount;
    in->lag = lag;
    if (!amount || !lag) return util_enomem(err);
    in->n = (long)rp->n;
    for (size_t i = 0; i < rp->n; i++) {
        if (replay_mql_time(rp, i, op->T, op->F) == TSTAMP_NONE) continue;
        in->m++;
        if (!rp->won[i]) continue;
        in->t++;
        if (!isnan(rp->amount[i])) amount[in->namount++] = rp->amount[i];
        int64_t closed = ds->closed[rp->lead[i]];
        if (rp->timed && closed != TSTAMP_NONE)
            lag[in->nlag++] = (double)(closed - rp->created[i]) / (double)TSTAMP_USEC_PER_DAY;
    }
    return 0;
}

/* Cohort leads created less than the lag's 80th percentile before until
 * (their deals may not have closed yet), when maturity_days is not set. */
static void immaturity(const scenario *sc, const replay *rp, const plan *p, out_plan *op) {
    op->young = -1;
    if (sc->has_maturity || !rp->timed || p->nlag == 0) return;
    double p80 = p->lag.p80;
    int64_t edge = rp->until - llround(p80 * (double)TSTAMP_USEC_PER_DAY);
    op->young = 0;
    for (size_t i = 0; i < rp->n; i++) op->young += rp->created[i] > edge;
    op->suggest_maturity = (long)ceil(p80);
}

/* ---------------------------- The files ---------------------------- */

static int write_files(const cli *c, outdir *o, out_plots *ch, const out_plan *op,
                       const char *base, util_err *err) {
    util_buf b, md;
    util_buf_init(&b);
    util_buf_init(&md);
    int rc = -1;
    if (outdir_open(o, base, err) < 0) goto done;
    o->threads = c->threads;
    out_plan_csv(&b, op);
    if (outdir_take_buf(o, "", "plan.csv", &b, err) < 0) goto done;
    out_plan_curve_csv(&b, op);
    if (outdir_take_buf(o, "", "plan-curve.csv", &b, err) < 0) goto done;
    if (out_plan_months_csv(&b, op) == 0 && outdir_take_buf(o, "", "plan-months.csv", &b, err) < 0)
        goto done;
    util_buf_fini(&b);
    out_plan_md(&md, op);
    if (md.failed) {
        util_enomem(err);
        goto done;
    }
    if (outdir_write(o, "plan.md", md.data, md.len, err) < 0) goto done;
    out_plots_open(ch, c->no_plots);
    if (out_plan_plots(ch, o, op, err) < 0) goto done;
    char title[300];
    snprintf(title, sizeof title, "leadsim plan: %s", op->s->sc->name);
    if (html_page(&b, title, md.data, ch, ch->note, err) < 0) goto done;
    if (outdir_take_buf(o, "", "plan.html", &b, err) < 0) goto done;
    static const char *stale[] = {"plan-months.csv",      "plots/plan-leads.svg",
                                  "plots/plan-leads.png", "plots/plan-reach.svg",
                                  "plots/plan-reach.png", "plots/plan-lag.svg",
                                  "plots/plan-lag.png",   NULL};
    if (outdir_commit(o, stale, err) < 0) goto done;
    rc = 0;
done:
    util_buf_fini(&b);
    util_buf_fini(&md);
    return rc;
}

/* ---------------------------- The verb ---------------------------- */

/* The model's error, said of the scenario's threshold line. */
static int plan_error(const scenario *sc, const out_plan *op, util_err *err) {
    if (err->code != UTIL_EDATA) return -1;
    char msg[sizeof err->msg], thr[64];
    snprintf(msg, sizeof msg, "%s", err->msg);
    util_fmt_double(thr, sizeof thr, op->T);
    return util_errf(err, UTIL_EDATA, "%s:%ld: at threshold %s%s: %s", sc->path,
                     sc->threshold_line, thr, op->picked ? " (the sweep's pick)" : "", msg);
}

int cmd_plan(const cli *c, util_err *err) {
    if (c->nargs != 1) return util_errf(err, UTIL_EUSAGE, "plan needs exactly one scenario file");
    plan_input in;
    memset(&in, 0, sizeof in);
    if (read_options(c, &in, err) < 0) return -1;
    scenario *sc = NULL;
    dataset *ds = NULL;
    replay *rp = NULL;
    plan *p = NULL;
    outdir o;
    memset(&o, 0, sizeof o);
    out_plots ch;
    memset(&ch, 0, sizeof ch);
    out_plan op;
    memset(&op, 0, sizeof op);
    int rc = -1;
    const char *path;
    if (scenario_load(c->args[0], &sc, err) < 0 || cli_data_path(c, sc, &path, err) < 0 ||
        cli_load(c, path, &ds, err) < 0 || cli_check_names(c, sc, ds, err) < 0 ||
        replay_run(ds, sc, c->threads, &rp, err) < 0)
        goto done;
    dataset_release_events(ds, c->threads); /* the plan works on the replay alone */
    if (choose(c, sc, rp, &op, err) < 0 || collect(ds, rp, &op, &in, err) < 0) goto done;
    if (plan_run(&in, &p, err) < 0) {
        plan_error(sc, &op, err);
        goto done;
    }
    immaturity(sc, rp, p, &op);
    out_scn s = {.sc = sc, .ds = ds, .rp = rp, .data_path = path};
    op.s = &s;
    op.in = &in;
    op.p = p;
    op.capacity = objective_capacity(sc);
    char base[4096];
    if (c->out) snprintf(base, sizeof base, "%s", c->out);
    else snprintf(base, sizeof base, "results/%s", sc->name);
    if (write_files(c, &o, &ch, &op, base, err) < 0) goto done;
    if (ch.note[0] && !c->quiet && !c->no_plots) fprintf(stderr, "leadsim: %s\n", ch.note);
    if (!c->quiet) {
        util_buf b;
        util_buf_init(&b);
        out_plan_stdout(&b, &op, base);
        int failed = b.failed;
        if (!failed) fputs(b.data, stdout);
        util_buf_fini(&b);
        if (failed) {
            util_enomem(err);
            goto done;
        }
    }
    rc = 0;
done:
    out_plan_plots_clean(&ch);
    out_plots_close(&ch);
    free((void *)in.amount);
    free((void *)in.lag);
    plan_free(p);
    replay_free(rp);
    dataset_free(ds);
    scenario_free(sc);
    outdir_close(&o);
    return rc;
}
