/* out_plan.c - what `leadsim plan` writes: plan.csv, the curve, the months, plan.md, plots, stdout.
 *
 * Every word and digit of a plan: the CSV files in full digits (csvout.h),
 * plan.md and the terminal in readable numbers (md.h: counts whole with
 * thousands separated, rates to 3 decimals, days to 1, shares in percent),
 * and the data behind the three plots. Not for: the model (plan.c) or
 * choosing the threshold (cmd_plan.c). */
#include "out_plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "md.h"
#include "objective.h"
#include "tstamp.h"

/* ---------------------------- The CSV files ---------------------------- */

static void csv_row(util_buf *b, const char *name, const plan_q *q) {
    util_buf_puts(b, name);
    const double v[8] = {q->point, q->median, q->lo80, q->hi80, q->lo95, q->hi95, q->p80, q->p95};
    for (int k = 0; k < 8; k++) {
        util_buf_puts(b, ",");
        csvout_num(b, v[k]);
    }
    util_buf_puts(b, "\n");
}

void out_plan_csv(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    util_buf_puts(b, "quantity,point,median,lo80,hi80,lo95,hi95,p80,p95\n");
    csv_row(b, "leads", &p->leads);
    csv_row(b, "mqls", &p->mqls);
    csv_row(b, "deals", &p->deals);
    csv_row(b, "lag_days", &p->lag);
}

/* The leads at which the curve is given: whole numbers from the fewest to
 * the most any draw needed, at most about 200 of them. */
static double curve_step(const plan *p) {
    double lo = p->leads_sorted[0], hi = p->leads_sorted[p->ndraws - 1];
    double step = ceil((hi - lo) / 200);
    return step < 1 ? 1 : step;
}

void out_plan_curve_csv(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    util_buf_puts(b, "leads,probability\n");
    double lo = p->leads_sorted[0], hi = p->leads_sorted[p->ndraws - 1], step = curve_step(p);
    for (double L = lo;; L += step) {
        if (L > hi) L = hi;
        csvout_num(b, L);
        util_buf_puts(b, ",");
        csvout_num(b, plan_share_le(p->leads_sorted, p->ndraws, L));
        util_buf_puts(b, "\n");
        if (L >= hi) break;
    }
}

static void month_name(char *buf, size_t n, int64_t t) {
    char day[16];
    tstamp_format_date(t, day, sizeof day);
    snprintf(buf, n, "%.7s", day);
}

int out_plan_months_csv(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    if (!op->in->has_period || p->nlag == 0) return 1; /* no lag, no share */
    util_buf_puts(b, "month,share_closed_by_end\n");
    for (size_t i = 0; i < p->nmonths; i++) {
        char m[16];
        month_name(m, sizeof m, p->months[i].start);
        util_buf_printf(b, "%s,", m);
        csvout_num(b, p->months[i].share);
        util_buf_puts(b, "\n");
    }
    return 0;
}

/* ---------------------------- Readable numbers ---------------------------- */

/* A number of leads, MQLs or deals for reading: whole, thousands separated. */
static void whole(util_buf *b, double v) {
    if (isnan(v)) util_buf_puts(b, "–");
    else if (fabs(v) < 9.95 && fabs(v - nearbyint(v)) >= 0.05) util_buf_printf(b, "%.1f", v);
    else md_count(b, (long)llround(v)); /* below 10 a tenth shows: 0.2 deals is not 0 */
}

static void money(util_buf *b, double v) {
    if (isnan(v)) util_buf_puts(b, "–");
    else if (fabs(v) >= 100 || v == floor(v)) md_count(b, (long)llround(v));
    else util_buf_printf(b, "%.2f", v);
}

static void date_of(util_buf *b, int64_t t) {
    char d[16];
    tstamp_format_date(t, d, sizeof d);
    util_buf_puts(b, d);
}

static void goal_words(util_buf *b, const out_plan *op) {
    if (op->in->by_deals) {
        whole(b, op->in->goal);
        util_buf_puts(b, op->in->goal == 1 ? " won deal" : " won deals");
    } else {
        util_buf_puts(b, "revenue of ");
        money(b, op->in->goal);
    }
}

/* MD: for plan.md (the objective's text escaped), else for the terminal. */
static void threshold_words(util_buf *b, const out_plan *op, int md) {
    util_buf_puts(b, "threshold ");
    md_exact(b, op->T);
    if (op->two_axis) {
        util_buf_puts(b, ", fit threshold ");
        md_exact(b, op->F);
    }
    if (op->picked) {
        util_buf_puts(b, " (the sweep's pick under the objective ");
        const char *o = op->s->sc->objective_text ? op->s->sc->objective_text : "f1";
        if (md) md_text(b, o);
        else util_buf_puts(b, o);
        util_buf_puts(b, ")");
    } else {
        util_buf_puts(b, " (the scenario's)");
    }
}

static void interval(util_buf *b, double lo, double hi, void (*f)(util_buf *, double)) {
    f(b, lo);
    util_buf_puts(b, " – ");
    f(b, hi);
}

static void days(util_buf *b, double v) {
    md_week(b, v);
}

/* ---------------------------- plan.md ---------------------------- */

static void md_answer(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    util_buf_printf(b, "# Plan: ");
    md_text(b, op->s->sc->name);
    util_buf_puts(b, "\n\n**To reach ");
    goal_words(b, op);
    if (op->in->has_period) {
        util_buf_puts(b, " from ");
        date_of(b, op->in->from);
        util_buf_puts(b, " to ");
        date_of(b, op->in->to);
    }
    util_buf_puts(b, ", plan on ");
    whole(b, p->leads.p80);
    util_buf_puts(b, " new leads** (enough with 80% probability; ");
    whole(b, p->leads.p95);
    util_buf_puts(b, " for 95%). The median is ");
    whole(b, p->leads.median);
    util_buf_puts(b, " leads, the 80% interval ");
    interval(b, p->leads.lo80, p->leads.hi80, whole);
    util_buf_puts(b, " and the 95% interval ");
    interval(b, p->leads.lo95, p->leads.hi95, whole);
    util_buf_puts(b, ". The reverse funnel alone says ");
    whole(b, p->leads.point);
    util_buf_puts(b, op->in->by_deals
                         ? " (goal / (lead to MQL rate × MQL to won rate)), without the chance in "
                           "each rate: that many leads fall short of the goal in "
                         : " (goal / (lead to MQL rate × MQL to won rate × mean deal)), without "
                           "the chance in each rate and deal: that many leads fall short of the "
                           "goal in ");
    md_pct(b, 1 - plan_share_le(p->leads_sorted, p->ndraws, p->leads.point));
    util_buf_puts(b, " of the draws.");
    if (op->in->has_period && p->nlag) {
        util_buf_puts(b, " **They must arrive by ");
        date_of(b, p->latest[0]);
        util_buf_puts(b, "** for half of their deals to close by ");
        date_of(b, op->in->to);
        util_buf_puts(b, " (by ");
        date_of(b, p->latest[1]);
        util_buf_puts(b, " for 80%).");
    }
    util_buf_puts(b, "\n\n");
}

static void md_funnel(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    const plan_input *in = op->in;
    util_buf_puts(b, "## The funnel it comes from\n\nThe cohort's history at ");
    threshold_words(b, op, 1);
    util_buf_puts(b, ":\n\n| step | value | from |\n");
    util_buf_puts(b, "|");
    md_rule(b, 3, "---");
    util_buf_puts(b, "\n| lead to MQL | ");
    md_ratio(b, p->p1);
    util_buf_printf(b, " | %ld MQLs of %ld cohort leads |\n| MQL to won | ", in->m, in->n);
    md_ratio(b, p->p2);
    util_buf_printf(b, " | %ld won of %ld MQLs |\n| mean deal | ", in->t, in->m);
    money(b, p->mean_amount);
    util_buf_printf(b, " | %zu won MQLs with an amount |\n| median deal | ", in->namount);
    money(b, p->median_amount);
    util_buf_puts(b, " | the same |\n| lag from creation to won, median | ");
    days(b, p->lag.median);
    util_buf_printf(b, " days | %zu won MQLs with a closed_at |\n", p->nlag);
    util_buf_puts(b, "| lag, 80th and 95th percentiles | ");
    days(b, p->lag.p80);
    util_buf_puts(b, " and ");
    days(b, p->lag.p95);
    util_buf_puts(b, " days | the same |\n\n");
}

static void md_needed(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    util_buf_printf(b, "## Leads needed\n\nFrom %ld Monte Carlo draws (seed %lu) of the rates "
                       "(Beta, Jeffreys prior), %s and the funnel's chance (negative "
                       "binomial):\n\n",
                    op->in->draws, op->in->seed,
                    op->in->by_deals ? "the goal's won deals"
                                     : "the deal sizes (resampled from the won deals)");
    util_buf_puts(b, "| needed | point estimate | median | 80% interval | 95% interval | "
                     "enough with 80% | enough with 95% |\n");
    util_buf_puts(b, "|---|");
    md_rule(b, 6, "--:");
    util_buf_puts(b, "\n");
    const char *names[3] = {"leads", "MQLs", "won deals"};
    const plan_q *q[3] = {&p->leads, &p->mqls, &p->deals};
    for (int k = 0; k < 3; k++) {
        util_buf_printf(b, "| %s | ", names[k]);
        whole(b, q[k]->point);
        util_buf_puts(b, " | ");
        whole(b, q[k]->median);
        util_buf_puts(b, " | ");
        interval(b, q[k]->lo80, q[k]->hi80, whole);
        util_buf_puts(b, " | ");
        interval(b, q[k]->lo95, q[k]->hi95, whole);
        util_buf_puts(b, " | ");
        whole(b, q[k]->p80);
        util_buf_puts(b, " | ");
        whole(b, q[k]->p95);
        util_buf_puts(b, " |\n");
    }
    util_buf_puts(b, op->in->by_deals
                         ? "\nThe point estimate is the reverse funnel (goal / rates); "
                         : "\nThe point estimate is the reverse funnel (goal / rates / mean deal); ");
    util_buf_puts(b, "\"enough with 80%\" is the number of leads that reaches the goal in 80% of "
                     "the draws. `plan.csv` has every figure in full and `plan-curve.csv` the "
                     "probability of reaching the goal at each number of leads.\n\n");
}

static void md_drivers(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    util_buf_puts(b, "## What drives the uncertainty\n\nLeads needed when only some of the "
                     "inputs are uncertain (the funnel's chance is in every row):\n\n"
                     "| uncertain | median | 80% interval | 95% interval |\n");
    util_buf_puts(b, "|---|");
    md_rule(b, 3, "--:");
    util_buf_puts(b, "\n");
    const char *names[PLAN_NVARIANTS] = {
        "rates and deal sizes (the plan)", "rates only (deals at the mean amount)",
        "deal sizes only (rates as measured)", "neither (the funnel's chance alone)"};
    for (int k = 0; k < PLAN_NVARIANTS; k++) {
        /* with a goal in deals, the sizes change nothing: two rows say it all */
        if (op->in->by_deals && (k == PLAN_RATES_ONLY || k == PLAN_SIZES_ONLY)) continue;
        const plan_q *q = &p->variant[k];
        util_buf_printf(b, "| %s | ", op->in->by_deals && k == PLAN_BOTH ? "the rates (the plan)"
                                                                          : names[k]);
        whole(b, q->median);
        util_buf_puts(b, " | ");
        interval(b, q->lo80, q->hi80, whole);
        util_buf_puts(b, " | ");
        interval(b, q->lo95, q->hi95, whole);
        util_buf_puts(b, " |\n");
    }
    double wr = p->variant[PLAN_RATES_ONLY].hi80 - p->variant[PLAN_RATES_ONLY].lo80;
    double ws = p->variant[PLAN_SIZES_ONLY].hi80 - p->variant[PLAN_SIZES_ONLY].lo80;
    if (op->in->by_deals)
        util_buf_puts(b, "\nWith a goal in won deals the deal sizes do not matter: the interval "
                         "comes from the rates and the funnel's chance.\n\n");
    else
        util_buf_printf(b, "\nThe %s widen the interval more: a better estimate of %s (more "
                           "history, a longer cohort) narrows the plan most.\n\n",
                        wr >= ws ? "rates" : "deal sizes",
                        wr >= ws ? "the conversion rates" : "the deal sizes");
}

static void md_months(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    util_buf_puts(b, "\n| month of arrival | its won deals expected to close by ");
    date_of(b, op->in->to);
    util_buf_puts(b, " |\n");
    util_buf_puts(b, "|---|");
    md_rule(b, 1, "--:");
    util_buf_puts(b, "\n");
    for (size_t i = 0; i < p->nmonths; i++) {
        char m[16];
        month_name(m, sizeof m, p->months[i].start);
        util_buf_printf(b, "| %s | ", m);
        md_pct(b, p->months[i].share);
        util_buf_puts(b, " |\n");
    }
    util_buf_puts(b, "\n");
}

static void md_calendar(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    const plan_input *in = op->in;
    util_buf_puts(b, "## Calendar\n\n");
    if (p->nlag == 0) {
        util_buf_puts(b, op->s->rp->timed
                             ? "No won MQL has a closed_at, so how long deals take is unknown: "
                               "there are no dates.\n\n"
                             : "The dataset has no timestamps, so how long deals take is "
                               "unknown: there are no dates.\n\n");
        return;
    }
    util_buf_puts(b, "Won deals took ");
    days(b, p->lag.median);
    util_buf_puts(b, " days from creation to won (median); 80% closed within ");
    days(b, p->lag.p80);
    util_buf_puts(b, " days and 95% within ");
    days(b, p->lag.p95);
    util_buf_puts(b, ".\n\n");
    if (!in->has_period) {
        util_buf_puts(b, "Give a period (`--from D --to E`) for the latest dates by which leads "
                         "must arrive.\n\n");
    } else {
        util_buf_puts(b, "For their deals to close by ");
        date_of(b, in->to);
        util_buf_puts(b, ", leads must arrive by ");
        date_of(b, p->latest[0]);
        util_buf_puts(b, " for half of them to close in time, by ");
        date_of(b, p->latest[1]);
        util_buf_puts(b, " for 80% and by ");
        date_of(b, p->latest[2]);
        util_buf_puts(b, " for 95%. Leads created after ");
        date_of(b, p->latest[0]);
        util_buf_puts(b, " mostly close after the period: count them for the next one.\n");
        md_months(b, op);
    }
    if (op->young > 0) {
        util_buf_printf(b, "**The history may be immature:** %ld of the cohort's %ld leads "
                           "%s created less than ", op->young, op->in->n,
                        op->young == 1 ? "was" : "were");
        days(b, p->lag.p80);
        util_buf_printf(b, " days (the lag's 80th percentile) before until, so some of their "
                           "deals had not closed yet and the rates may be too low. Set "
                           "`maturity_days = %ld` in `[evaluation]` to leave them out.\n\n",
                        op->suggest_maturity);
    } else if (op->young == 0) {
        util_buf_puts(b, "No cohort lead was created less than ");
        days(b, p->lag.p80);
        util_buf_puts(b, " days (the lag's 80th percentile) before until: the history had time "
                         "to close.\n\n");
    }
    else if (op->s->sc->has_maturity) {
        util_buf_puts(b, "The cohort is mature: `maturity_days = ");
        md_exact(b, op->s->sc->maturity_days);
        util_buf_puts(b, "` leaves out leads too young to have closed.\n\n");
    }
}

static void md_sales(util_buf *b, const out_plan *op) {
    const plan *p = op->p;
    const plan_input *in = op->in;
    util_buf_puts(b, "## What it means for sales\n\nThe plan hands sales about ");
    whole(b, p->mqls.median);
    util_buf_puts(b, " MQLs (the median); planned for 80% probability, ");
    whole(b, p->mqls.p80);
    if (in->has_period) {
        double weeks = (double)(in->to - in->from) / (7.0 * (double)TSTAMP_USEC_PER_DAY);
        util_buf_puts(b, ": ");
        md_week(b, p->mqls.p80 / weeks);
        util_buf_puts(b, " per week over the period's ");
        md_week(b, weeks);
        util_buf_puts(b, " weeks");
        if (!isnan(op->capacity)) {
            util_buf_puts(b, ", against a capacity of ");
            md_week(b, op->capacity);
            util_buf_puts(b, p->mqls.p80 / weeks <= op->capacity
                                 ? " follow-ups a week: within capacity"
                                 : " follow-ups a week: **over capacity**; add reps or plan a "
                                   "stricter threshold");
        }
    } else if (!isnan(op->capacity)) {
        util_buf_puts(b, ": at a capacity of ");
        md_week(b, op->capacity);
        util_buf_puts(b, " follow-ups a week, ");
        md_week(b, p->mqls.p80 / op->capacity);
        util_buf_puts(b, " weeks of follow-ups");
    }
    util_buf_puts(b, ".\n\n");
}

void out_plan_md(util_buf *b, const out_plan *op) {
    md_answer(b, op);
    md_needed(b, op);
    md_funnel(b, op);
    md_drivers(b, op);
    md_calendar(b, op);
    md_sales(b, op);
    out_scn_md_data(b, op->s, "##");
}

/* ---------------------------- The terminal ---------------------------- */

void out_plan_stdout(util_buf *b, const out_plan *op, const char *base) {
    const plan *p = op->p;
    const plan_input *in = op->in;
    util_buf_puts(b, "Goal: ");
    goal_words(b, op);
    if (in->has_period) {
        util_buf_puts(b, ", ");
        date_of(b, in->from);
        util_buf_puts(b, " to ");
        date_of(b, in->to);
    }
    util_buf_puts(b, "\nFunnel at ");
    threshold_words(b, op, 0);
    util_buf_printf(b, ", cohort of %ld leads", in->n);
    if (op->s->rp->timed) {
        util_buf_puts(b, " observed until ");
        date_of(b, op->s->rp->until);
    }
    util_buf_puts(b, ":\n  lead to MQL ");
    md_ratio(b, p->p1);
    util_buf_puts(b, ", MQL to won ");
    md_ratio(b, p->p2);
    if (!isnan(p->mean_amount)) {
        util_buf_puts(b, ", mean deal ");
        money(b, p->mean_amount);
        util_buf_puts(b, ", median deal ");
        money(b, p->median_amount);
    }
    if (p->nlag) {
        util_buf_puts(b, ", lag to won ");
        days(b, p->lag.median);
        util_buf_puts(b, " days (median)");
    }
    util_buf_puts(b, "\n\n");
    util_buf_printf(b, "%-10s %11s %11s %25s %25s %11s %11s\n", "needed", "point", "median",
                    "80% interval", "95% interval", "80% sure", "95% sure");
    const char *names[3] = {"leads", "MQLs", "won deals"};
    const plan_q *q[3] = {&p->leads, &p->mqls, &p->deals};
    for (int k = 0; k < 3; k++) {
        util_buf cell[6];
        const double v[6] = {q[k]->point, q[k]->median, NAN, NAN, q[k]->p80, q[k]->p95};
        for (int j = 0; j < 6; j++) util_buf_init(&cell[j]);
        for (int j = 0; j < 6; j++) {
            if (j == 2) interval(&cell[j], q[k]->lo80, q[k]->hi80, whole);
            else if (j == 3) interval(&cell[j], q[k]->lo95, q[k]->hi95, whole);
            else whole(&cell[j], v[j]);
            if (cell[j].failed) b->failed = 1;
        }
        if (!b->failed)
            util_buf_printf(b, "%-10s %11s %11s %25s %25s %11s %11s\n", names[k], cell[0].data,
                            cell[1].data, cell[2].data, cell[3].data, cell[4].data, cell[5].data);
        for (int j = 0; j < 6; j++) util_buf_fini(&cell[j]);
    }
    if (p->nlag && in->has_period) {
        util_buf_puts(b, "\nLatest arrival for deals to close by ");
        date_of(b, in->to);
        util_buf_puts(b, ": ");
        date_of(b, p->latest[0]);
        util_buf_puts(b, " (half), ");
        date_of(b, p->latest[1]);
        util_buf_puts(b, " (80%), ");
        date_of(b, p->latest[2]);
        util_buf_puts(b, " (95%)\n");
    }
    if (in->has_period) {
        if (!p->nlag) util_buf_puts(b, "\n");
        double weeks = (double)(in->to - in->from) / (7.0 * (double)TSTAMP_USEC_PER_DAY);
        util_buf_puts(b, "MQLs per week over the period (80% sure): ");
        md_week(b, p->mqls.p80 / weeks);
        if (!isnan(op->capacity)) {
            util_buf_puts(b, ", capacity ");
            md_week(b, op->capacity);
            util_buf_puts(b, p->mqls.p80 / weeks <= op->capacity ? " (within)" : " (over capacity)");
        }
        util_buf_puts(b, "\n");
    }
    if (op->young > 0) {
        util_buf_printf(b, "\nNote: %ld cohort lead%s younger than the lag's 80th percentile (",
                        op->young, op->young == 1 ? " is" : "s are");
        days(b, p->lag.p80);
        util_buf_printf(b, " days) at until: their deals may not have closed; set maturity_days "
                           "= %ld\n", op->suggest_maturity);
    }
    util_buf_printf(b, "\nReport: %s/plan.html (plan.md; figures: plan.csv, plan-curve.csv%s)\n",
                    base, in->has_period && p->nlag ? ", plan-months.csv" : "");
}

/* ---------------------------- Plots ---------------------------- */

static const char *const plot_files[] = {"plan-leads.csv", "plan-reach.csv", "plan-lag.csv"};

void out_plan_plots_clean(out_plots *c) {
    if (!c->work[0]) return;
    for (size_t i = 0; i < sizeof plot_files / sizeof *plot_files; i++) {
        char path[400];
        snprintf(path, sizeof path, "%s/%s", c->work, plot_files[i]);
        unlink(path);
    }
}

static void fmt(char *buf, size_t n, double v) {
    if (isnan(v)) buf[0] = '\0';
    else util_fmt_double(buf, n, v);
}

/* The distribution of leads needed: a histogram of the draws with the
 * median, the 80%-sure and 95%-sure numbers and the point estimate. */
static int plot_leads(out_plots *c, outdir *o, const out_plan *op, util_err *err) {
    const plan *p = op->p;
    double lo = plan_quantile(p->leads_sorted, p->ndraws, 0.001);
    double hi = plan_quantile(p->leads_sorted, p->ndraws, 0.999);
    double edges[256], w;
    /* edges at halves: a bar of width 1 stands centred on its whole number of leads */
    size_t ne = out_plots_bins(floor(lo) - 0.5, ceil(hi) + 0.5, NULL, 0, edges, 256, &w);
    util_buf b;
    util_buf_init(&b);
    for (size_t k = 0; k + 1 < ne; k++) {
        double share = plan_share_le(p->leads_sorted, p->ndraws, edges[k + 1] - 1e-9) -
                       plan_share_le(p->leads_sorted, p->ndraws, edges[k] - 1e-9);
        csvout_num(&b, (edges[k] + edges[k + 1]) / 2);
        util_buf_puts(&b, ",");
        csvout_num(&b, share);
        util_buf_puts(&b, "\n");
    }
    char path[400], width[40], med[40], p80[40], p95[40], pt[40], title[400];
    if (out_plots_data(c, plot_files[0], &b, path, sizeof path, err) < 0) return -1;
    fmt(width, sizeof width, w);
    fmt(med, sizeof med, p->leads.median);
    fmt(p80, sizeof p80, p->leads.p80);
    fmt(p95, sizeof p95, p->leads.p95);
    fmt(pt, sizeof pt, p->leads.point);
    snprintf(title, sizeof title, "Leads needed for the goal (%ld draws)", op->in->draws);
    const char *vars[] = {"datafile", path, "title_text", title, "width", width, "median", med,
                          "p80", p80, "p95", p95, "point", pt, NULL};
    return out_plots_draw(c, o, "plan-leads", "plan-leads", vars,
                "Leads needed: the share of Monte Carlo draws needing each number of leads, "
                "with the median, the numbers enough with 80% and 95% probability and the "
                "reverse funnel's point estimate",
                err);
}

/* The probability of reaching the goal against the number of leads. */
static int plot_reach(out_plots *c, outdir *o, const out_plan *op, util_err *err) {
    const plan *p = op->p;
    util_buf b;
    util_buf_init(&b);
    out_plan_curve_csv(&b, op);
    char path[400], p80[40], p95[40], pt[40], ptp[40];
    if (out_plots_data(c, plot_files[1], &b, path, sizeof path, err) < 0) return -1;
    fmt(p80, sizeof p80, p->leads.p80);
    fmt(p95, sizeof p95, p->leads.p95);
    fmt(pt, sizeof pt, p->leads.point);
    fmt(ptp, sizeof ptp, plan_share_le(p->leads_sorted, p->ndraws, p->leads.point));
    const char *vars[] = {"datafile", path, "title_text", "Probability of reaching the goal",
                          "p80", p80, "p95", p95, "point", pt, "point_prob", ptp, NULL};
    return out_plots_draw(c, o, "plan-reach", "plan-reach", vars,
                "The probability of reaching the goal against the number of new leads, with "
                "the numbers that reach it with 80% and 95% probability",
                err);
}

/* The lag's distribution function: the share of won deals closed within x days. */
static int plot_lag(out_plots *c, outdir *o, const out_plan *op, util_err *err) {
    const plan *p = op->p;
    if (p->nlag == 0) return 0;
    util_buf b;
    util_buf_init(&b);
    size_t step = p->nlag > 1000 ? p->nlag / 1000 : 1, last = 0;
    csvout_num(&b, 0);
    util_buf_puts(&b, ",0\n");
    for (size_t i = 0; i < p->nlag; i++) {
        int end = i + 1 == p->nlag;
        if (!end && (p->lag_sorted[i + 1] == p->lag_sorted[i] || i + 1 - last < step)) continue;
        last = i + 1; /* a step's top: the share of lags <= this one */
        csvout_num(&b, p->lag_sorted[i]);
        util_buf_puts(&b, ",");
        csvout_num(&b, (double)(i + 1) / (double)p->nlag);
        util_buf_puts(&b, "\n");
    }
    char path[400], q50[40], q80[40], q95[40];
    if (out_plots_data(c, plot_files[2], &b, path, sizeof path, err) < 0) return -1;
    fmt(q50, sizeof q50, p->lag.median);
    fmt(q80, sizeof q80, p->lag.p80);
    fmt(q95, sizeof q95, p->lag.p95);
    const char *vars[] = {"datafile", path, "title_text", "Days from creation to won",
                          "q50", q50, "q80", q80, "q95", q95, NULL};
    return out_plots_draw(c, o, "plan-lag", "plan-lag", vars,
                "The lag from creation to won: the share of won deals closed within each number "
                "of days, with its median, 80th and 95th percentiles",
                err);
}

int out_plan_plots(out_plots *c, outdir *o, const out_plan *op, util_err *err) {
    if (!c->enabled) return 0;
    if (plot_reach(c, o, op, err) < 0) return -1;
    if (c->enabled && plot_leads(c, o, op, err) < 0) return -1;
    if (c->enabled && plot_lag(c, o, op, err) < 0) return -1;
    return 0;
}
