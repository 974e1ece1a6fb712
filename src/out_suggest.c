/* out_suggest.c - suggested weights written out: the two CSV files, tune.md, the terminal lines and the plots.
 *
 * Computes nothing of the model: it reads tune_suggest (tune_suggest.h).
 * Input text (event types, fit columns and values) is escaped as every
 * writer escapes it: csvout_text in CSV, md_text in Markdown, gnuplot data
 * cells stripped of the separator and quotes. */
#include "out_suggest.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "md.h"
#include "out_scn.h"
#include "tstamp.h"

static const char *kind_name(const suggest_feature *f) {
    return f->kind == SUGGEST_EVENT ? "event" : "fit";
}

static void num(util_buf *b, double v) {
    util_buf_puts(b, ",");
    csvout_num(b, v);
}

void out_suggest_csv(util_buf *b, const tune_suggest *t) {
    util_buf_puts(b, "kind,name,value,current_points,suggested_points,coefficient,std_error\n");
    for (size_t k = 0; k < t->nf; k++) {
        const suggest_feature *f = &t->f[k];
        util_buf_printf(b, "%s,", kind_name(f));
        csvout_text(b, f->name);
        util_buf_puts(b, ",");
        if (f->kind == SUGGEST_FIT) csvout_text(b, f->value);
        num(b, f->current);
        num(b, f->suggested);
        num(b, f->coef);
        num(b, f->se);
        util_buf_puts(b, "\n");
    }
}

static void holdout_row(util_buf *b, const char *name, const suggest_eval *e) {
    util_buf_puts(b, name);
    num(b, e->ap);
    num(b, e->threshold);
    util_buf_printf(b, ",%ld", e->mqls);
    num(b, e->precision);
    num(b, e->recall);
    util_buf_puts(b, "\n");
}

void out_suggest_holdout_csv(util_buf *b, const tune_suggest *t) {
    util_buf_puts(b, "weights,average_precision,threshold,mqls,precision,recall\n");
    holdout_row(b, "current", &t->current);
    holdout_row(b, "suggested", &t->suggested);
}

/* ---------------------------- Sentences ---------------------------- */

/* A factor for reading: two significant digits, whole above 100. */
static void factor(util_buf *b, double v) {
    if (v >= 100) util_buf_printf(b, "%.0f", v);
    else util_buf_printf(b, "%.2g", v);
}

static int strong(const suggest_feature *f) {
    return f->status == SUGGEST_OK && f->se > 0 && fabs(f->coef) >= 2 * f->se;
}

/* Points that double the odds: ln 2 * S, whole when at least 1. */
static void doubling(util_buf *b, const tune_suggest *t) {
    double d = log(2) * t->S;
    md_num(b, d, d >= 1 ? 0 : 1);
}

/* Input text in Markdown (escaped; not in backticks, where an escape would
 * show as it is) or, PLAIN, as it is for the terminal. */
static void name_text(util_buf *b, const char *s, int plain) {
    if (plain) util_buf_puts(b, s);
    else md_text(b, s);
}

static void feature_label(util_buf *b, const suggest_feature *f, int plain) {
    name_text(b, f->name, plain);
    if (f->kind == SUGGEST_FIT && !f->per_unit) {
        util_buf_puts(b, " = ");
        if (plain) util_buf_puts(b, f->value);
        else md_text(b, f->value);
    }
}

/* The unit the strong event types are worth: the positive event type with
 * the smallest coefficient that is at least one standard error from 0. */
static const suggest_feature *reference(const tune_suggest *t) {
    const suggest_feature *r = NULL;
    for (size_t k = 0; k < t->nf; k++) {
        const suggest_feature *f = &t->f[k];
        if (f->kind == SUGGEST_EVENT && f->status == SUGGEST_OK && f->coef > 0 &&
            f->coef >= f->se && (!r || f->coef < r->coef))
            r = f;
    }
    return r;
}

/* The sentence of strong feature F after PREFIX; REF the unit of events. */
static void sentence(util_buf *b, const char *prefix, const suggest_feature *f,
                     const suggest_feature *ref, int plain) {
    util_buf_puts(b, prefix);
    if (f->kind == SUGGEST_EVENT) util_buf_puts(b, "One ");
    else if (f->per_unit) util_buf_puts(b, "Each unit of ");
    else util_buf_puts(b, "A lead with ");
    feature_label(b, f, plain);
    util_buf_puts(b, f->kind == SUGGEST_EVENT ? " event" : "");
    util_buf_puts(b, " multiplies the odds of a win by ");
    factor(b, exp(f->coef));
    util_buf_puts(b, " (");
    md_exact(b, f->suggested);
    util_buf_puts(b, " points)");
    if (ref && f != ref && f->kind == SUGGEST_EVENT && f->coef > 0) {
        util_buf_puts(b, ": it is worth about ");
        factor(b, f->coef / ref->coef);
        util_buf_puts(b, " ");
        name_text(b, ref->name, plain);
        util_buf_puts(b, " events");
    }
    util_buf_puts(b, ".\n");
}

static void md_sentences(util_buf *b, const tune_suggest *t) {
    util_buf_puts(b, "## What the model says\n\n");
    const suggest_feature *ref = reference(t);
    int any = 0;
    for (size_t k = 0; k < t->nf; k++)
        if (strong(&t->f[k])) {
            sentence(b, "- ", &t->f[k], ref, 0);
            any = 1;
        }
    if (!any)
        util_buf_puts(b, "- No feature's coefficient is at least twice its standard error: the "
                         "data do not say clearly what predicts a win.\n");
    util_buf_puts(b, "- Every ");
    doubling(b, t);
    util_buf_puts(b, " points double the odds of a win.\n\n");
    util_buf_puts(b, "Listed: the features whose coefficient is at least twice its standard "
                     "error. The odds factors are per event, per unit, or against a lead whose "
                     "value scores nothing in the model.\n\n");
}

/* ---------------------------- tune.md ---------------------------- */

static void date_of(char *buf, size_t n, int64_t t) { tstamp_format_date(t, buf, n); }

static void md_intro(util_buf *b, const tune_suggest *t) {
    char split[40];
    date_of(split, sizeof split, t->split_at);
    util_buf_puts(b, "## Suggested weights\n\nA logistic regression of won on every event type of "
                     "the data and every value of the scenario's `[fit]` sections, fitted on the "
                     "earliest 70% of the cohort (");
    md_count(b, (long)t->ntrain);
    util_buf_puts(b, " leads, ");
    md_count(b, t->won_train);
    if (t->rp->timed) util_buf_printf(b, " won) and tested on the later ones, created from %s (", split);
    else util_buf_puts(b, " won) and tested on the rest (");
    md_count(b, (long)t->ntest);
    util_buf_puts(b, " leads, ");
    md_count(b, t->won_test);
    util_buf_puts(b, " won). An event counts when it falls in the lead's first ");
    md_exact(b, t->horizon_days);
    util_buf_printf(b, " days (%s) and before its cutoff. L2 penalty ", t->horizon_from);
    md_thr(b, t->lambda, MD_THR_SIG);
    util_buf_puts(b, ", chosen by the log-loss of 5 time-ordered folds of the training part. "
                     "Points = round(coefficient × S) with S = ");
    md_num(b, t->S, 3);
    if (t->S_default)
        util_buf_puts(b, " (the current scores do not vary, so S makes 20 points double the "
                         "odds)");
    else {
        util_buf_puts(b, ": the suggested scores have the current scores' standard deviation over "
                         "the training leads (");
        md_num(b, t->sd_current, 2);
        util_buf_puts(b, " points)");
    }
    util_buf_puts(b, ".\n\n");
    for (int i = 0; i < t->nnotes; i++) {
        util_buf_puts(b, i ? " " : "");
        md_text(b, t->notes[i]);
    }
    if (t->nnotes) util_buf_puts(b, "\n\n");
}

static void cell_share(util_buf *b, double v) {
    util_buf_puts(b, " ");
    if (isnan(v)) util_buf_puts(b, "–");
    else md_pct(b, v);
    util_buf_puts(b, " |");
}

static void md_table(util_buf *b, const tune_suggest *t) {
    util_buf_puts(b, "| kind | name | value | current | suggested | coefficient | std. error | "
                     "sign stable | training leads with it |\n");
    util_buf_puts(b, "|");
    md_rule(b, 9, "---");
    util_buf_puts(b, "\n");
    for (size_t k = 0; k < t->nf; k++) {
        const suggest_feature *f = &t->f[k];
        util_buf_printf(b, "| %s |", kind_name(f));
        md_cell_text(b, f->name);
        md_cell_text(b, f->kind == SUGGEST_FIT ? f->value : "");
        md_cell_exact(b, f->current);
        if (f->status == SUGGEST_OK) {
            md_cell_exact(b, f->suggested);
            md_cell_num(b, f->coef, 4);
            md_cell_num(b, f->se, 4);
            cell_share(b, f->sign_share);
        } else {
            md_cell_exact(b, f->suggested);
            md_cell(b, "–");
            md_cell(b, "–");
            md_cell(b, f->status == SUGGEST_FEW ? "too few leads to estimate: kept"
                                                : "the same for every lead: kept");
        }
        md_cell_long(b, f->leads_with);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\nCoefficients are per event, per indicator (0 or 1) or per unit, on the "
                     "log-odds scale; the standard errors come from the penalised fit. ");
    if (t->nboot > 0)
        util_buf_printf(b, "Sign stable: the share of %d bootstrap resamples of the training "
                           "leads, refitted at the same penalty, whose coefficient has the same "
                           "sign. ",
                        t->nboot);
    else
        util_buf_puts(b, "Sign stability was not computed (--bootstrap 0). ");
    util_buf_printf(b, "A feature fewer than %d training leads have keeps its current points.\n\n",
                    SUGGEST_MIN_LEADS);
}

static void eval_row(util_buf *b, const char *name, const suggest_eval *e) {
    util_buf_printf(b, "| %s |", name);
    md_cell_ratio(b, e->ap);
    md_cell_thr(b, e->threshold, MD_THR_SIG);
    md_cell_long(b, e->mqls);
    md_cell_long(b, e->tp);
    md_cell_ratio(b, e->precision);
    md_cell_ratio(b, e->recall);
    util_buf_puts(b, "\n");
}

static void md_holdout(util_buf *b, const tune_suggest *t) {
    const suggest_eval *c = &t->current, *s = &t->suggested, *u = &t->unrounded;
    util_buf_puts(b, "## Out of time: current against suggested weights\n\nOn the test part (");
    md_count(b, (long)t->ntest);
    util_buf_puts(b, " leads, ");
    md_count(b, t->won_test);
    util_buf_puts(b, " won). The current definition, replayed as `leadsim run` replays it (every "
                     "counted event, fast track, rules) at its threshold ");
    md_exact(b, t->threshold);
    if (!isnan(t->fit_threshold)) {
        util_buf_puts(b, " and fit threshold ");
        md_exact(b, t->fit_threshold);
    }
    util_buf_printf(b, ", hands off %ld of them (%ld won). Each set of weights scores the same "
                       "features (each lead's first ",
                    t->definition_mqls, t->definition_tp);
    md_exact(b, t->horizon_days);
    util_buf_puts(b, " days) and is taken at the threshold that hands off as many (equal "
                     "workload, or the nearest count that ties allow).\n\n");
    util_buf_puts(b, "| weights | average precision | threshold | hand-offs | won caught | "
                     "precision | recall |\n");
    util_buf_puts(b, "|");
    md_rule(b, 7, "--:");
    util_buf_puts(b, "\n");
    eval_row(b, "current", c);
    eval_row(b, "suggested", s);
    eval_row(b, "suggested before rounding", u);
    util_buf_puts(b, "\nAt equal workload the suggested points catch ");
    md_count(b, s->tp);
    util_buf_puts(b, " won deals where the current ones catch ");
    md_count(b, c->tp);
    util_buf_puts(b, "; average precision (the whole ranking, every threshold) ");
    md_ratio(b, s->ap);
    util_buf_puts(b, " against ");
    md_ratio(b, c->ap);
    util_buf_puts(b, ". Rounding the points to whole numbers cost ");
    md_num(b, isnan(u->ap) || isnan(s->ap) ? NAN : u->ap - s->ap, 4);
    util_buf_printf(b, " of average precision and %ld won deal%s at equal workload (a negative "
                       "cost: rounding helped).\n\n",
                    u->tp - s->tp, labs(u->tp - s->tp) == 1 ? "" : "s");
}

/* The fence and one line of the block to paste: raw in tune.md, escaped
 * text in the page's Markdown (it has no code blocks). */
static void paste_text(util_buf *b, const char *s, int for_html) {
    if (for_html) md_text(b, s);
    else util_buf_puts(b, s);
}

static void paste_line(util_buf *b, const char *key, double v, int for_html) {
    paste_text(b, key, for_html);
    util_buf_puts(b, " = ");
    md_exact(b, v);
    util_buf_puts(b, for_html ? "<br>\n" : "\n");
}

/* The lines to paste: raw (tune.md's code block, the terminal, each line
 * after INDENT) or, FOR_HTML, escaped with a <br> after each line. */
static void paste_block(util_buf *b, const tune_suggest *t, int for_html, const char *indent) {
    const char *eol = for_html ? "<br>\n" : "\n";
    util_buf_printf(b, "%s[behaviour]%s", indent, eol);
    for (size_t k = 0; k < t->nf; k++)
        if (t->f[k].kind == SUGGEST_EVENT && (t->f[k].suggested != 0 || t->f[k].current != 0)) {
            util_buf_puts(b, indent);
            paste_line(b, t->f[k].name, t->f[k].suggested, for_html);
        }
    const char *col = NULL;
    for (size_t k = 0; k < t->nf; k++) {
        const suggest_feature *f = &t->f[k];
        if (f->kind != SUGGEST_FIT) continue;
        if (!col || strcmp(col, f->name) != 0) {
            util_buf_printf(b, "%s%s[fit ", eol, indent);
            paste_text(b, f->name, for_html);
            util_buf_printf(b, "]%s", eol);
            col = f->name;
        }
        util_buf_puts(b, indent);
        paste_line(b, f->value, f->suggested, for_html);
    }
    util_buf_printf(b, "%s%s[mql]%s%s", eol, indent, eol, indent);
    paste_line(b, "threshold", t->suggested.threshold, for_html);
}

static void md_paste(util_buf *b, const tune_suggest *t, int for_html) {
    util_buf_puts(b, "## Lines to paste\n\nIn place of the scenario's `[behaviour]`, `[fit]` "
                     "sections and threshold (a per-unit section's `max` is left out: the model "
                     "scores every unit; `[limits]`, fast track and rules stay as they are):\n\n");
    util_buf_puts(b, for_html ? "" : "```ini\n");
    paste_block(b, t, for_html, "");
    util_buf_puts(b, for_html ? "\n" : "```\n\n");
    if (!isnan(t->fit_threshold))
        util_buf_puts(b, "The suggestion is a single score: remove `fit_threshold` to replay it.\n\n");
    util_buf_puts(b, "The threshold is the one that hands off as many test leads as the current "
                     "definition. Event types not listed score 0.\n\n");
}

static void md_method(util_buf *b, const tune_suggest *t) {
    util_buf_puts(b, "## How the penalty was chosen\n\nThe training part, in created_at order, "
                     "is cut into 5 consecutive folds; each is predicted by a fit on the other "
                     "four. The penalty with the lowest mean log-loss is used (ties: the "
                     "stronger).\n\n| penalty | mean held-out log-loss |\n|--:|--:|\n");
    for (int k = 0; k < SUGGEST_NLAMBDA; k++) {
        util_buf_puts(b, "|");
        md_cell_thr(b, t->lambdas[k], MD_THR_SIG);
        md_cell_num(b, t->cv_loss[k], 5);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\n");
}

void out_suggest_md(util_buf *b, const tune_suggest *t, const dataset *ds, const char *data_path,
                    int for_html) {
    const scenario *sc = t->sc;
    util_buf_puts(b, "# leadsim tune: ");
    md_text(b, sc->name);
    util_buf_puts(b, "\n\n");
    if (sc->description) {
        md_text(b, sc->description);
        util_buf_puts(b, "\n\n");
    }
    md_intro(b, t);
    md_table(b, t);
    md_sentences(b, t);
    md_holdout(b, t);
    md_paste(b, t, for_html);
    md_method(b, t);
    out_scn ss = {.sc = sc, .ds = ds, .rp = t->rp, .data_path = data_path};
    out_scn_md_data(b, &ss, "##");
}

/* ---------------------------- Terminal ---------------------------- */

static void term_eval(util_buf *b, const char *name, const suggest_eval *e) {
    util_buf_printf(b, "  %-9s %ld hand-offs, %ld won caught", name, e->mqls, e->tp);
    if (!isnan(e->precision)) util_buf_printf(b, ", precision %.3f", e->precision);
    if (!isnan(e->recall)) util_buf_printf(b, ", recall %.3f", e->recall);
    if (!isnan(e->ap)) util_buf_printf(b, ", average precision %.3f", e->ap);
    util_buf_puts(b, "\n");
}

void out_suggest_terminal(util_buf *b, const tune_suggest *t) {
    util_buf_printf(b, "tune: suggested weights for %s: logistic model on %zu training leads (%ld "
                       "won), S = %.3f (every ",
                    t->sc->name, t->ntrain, t->won_train, t->S);
    doubling(b, t);
    util_buf_puts(b, " points double the odds)\n");
    for (size_t k = 0; k < t->nf; k++) {
        const suggest_feature *f = &t->f[k];
        util_buf_printf(b, "  %-5s %s%s%s: ", kind_name(f), f->name,
                        f->kind == SUGGEST_FIT ? " " : "", f->kind == SUGGEST_FIT ? f->value : "");
        md_exact(b, f->current);
        util_buf_puts(b, " -> ");
        md_exact(b, f->suggested);
        if (f->status == SUGGEST_OK) {
            util_buf_printf(b, " (coefficient %.4f, std. error %.4f", f->coef, f->se);
            if (!isnan(f->sign_share)) util_buf_printf(b, ", sign stable in %.0f%%", 100 * f->sign_share);
            util_buf_puts(b, ")\n");
        } else {
            util_buf_puts(b, f->status == SUGGEST_FEW ? " (too few leads to estimate: kept)\n"
                                                      : " (the same for every lead: kept)\n");
        }
    }
    util_buf_printf(b, "out of time, %zu test leads (%ld won); the current definition hands off %ld "
                       "(%ld won), and each weighting as many:\n",
                    t->ntest, t->won_test, t->definition_mqls, t->definition_tp);
    term_eval(b, "current", &t->current);
    term_eval(b, "suggested", &t->suggested);
    const suggest_eval *s = &t->suggested, *u = &t->unrounded;
    util_buf_puts(b, "  rounding the points to whole numbers cost ");
    md_num(b, isnan(u->ap) || isnan(s->ap) ? NAN : u->ap - s->ap, 4);
    util_buf_printf(b, " of average precision and %ld won deal%s\n", u->tp - s->tp,
                    labs(u->tp - s->tp) == 1 ? "" : "s");
    const suggest_feature *ref = reference(t);
    for (size_t k = 0; k < t->nf; k++)
        if (strong(&t->f[k])) sentence(b, "", &t->f[k], ref, 1);
    util_buf_puts(b, "Every ");
    doubling(b, t);
    util_buf_puts(b, " points double the odds of a win.\nLines to paste (in place of [behaviour], "
                     "[fit] and threshold):\n");
    paste_block(b, t, 0, "  ");
}

/* ---------------------------- Plots ---------------------------- */

/* A label for a gnuplot data cell: no separator, quote or line end. */
static void plot_label(util_buf *b, const suggest_feature *f) {
    char s[200];
    snprintf(s, sizeof s, "%s%s%s", f->name, f->kind == SUGGEST_FIT ? "=" : "",
             f->kind == SUGGEST_FIT ? f->value : "");
    for (char *p = s; *p; p++)
        if (*p == ',' || *p == '"' || *p == '\'' || *p == '\n' || *p == '\r' || *p == '\\') *p = ' ';
    util_buf_puts(b, s);
}

static void plot_num(util_buf *b, double v) {
    if (isnan(v)) util_buf_puts(b, "NaN");
    else csvout_num(b, v);
}

/* suggest-points: per feature, current and suggested points, the latter
 * with its 95% interval (1.96 standard errors, times S). */
static int plot_points(out_plots *c, outdir *o, const tune_suggest *t, util_err *err) {
    util_buf b;
    util_buf_init(&b);
    for (size_t k = 0, i = 0; k < t->nf; k++) {
        const suggest_feature *f = &t->f[k];
        if (f->status != SUGGEST_OK && f->current == 0) continue;
        double h = f->status == SUGGEST_OK ? 1.96 * f->se * t->S : NAN;
        util_buf_printf(&b, "%zu,", i++);
        plot_label(&b, f);
        util_buf_puts(&b, ",");
        plot_num(&b, f->current);
        util_buf_puts(&b, ",");
        plot_num(&b, f->suggested);
        util_buf_puts(&b, ",");
        plot_num(&b, f->status == SUGGEST_OK ? f->scaled - h : NAN);
        util_buf_puts(&b, ",");
        plot_num(&b, f->status == SUGGEST_OK ? f->scaled + h : NAN);
        util_buf_puts(&b, "\n");
    }
    char path[400], title[300];
    if (out_plots_data(c, "suggest-points.csv", &b, path, sizeof path, err) < 0) return -1;
    snprintf(title, sizeof title, "%s: current and suggested points", t->sc->name);
    const char *vars[] = {"datafile", path, "title_text", title, NULL};
    return out_plots_draw(c, o, "suggest-points", "suggest-points", vars,
                "Per feature, the current points and the suggested ones with a 95% interval "
                "(1.96 standard errors of the coefficient, on the points scale); features that "
                "were not estimated keep their points and have no interval.",
                err);
}

/* suggest-pr: precision against recall on the test part, both weights. */
static int plot_pr(out_plots *c, outdir *o, const tune_suggest *t, util_err *err) {
    util_buf b;
    util_buf_init(&b);
    const suggest_eval *e[2] = {&t->current, &t->suggested};
    for (int s = 0; s < 2; s++) {
        if (s) util_buf_puts(&b, "\n\n");
        for (size_t i = 0; i < e[s]->npr; i++) {
            plot_num(&b, e[s]->pr_recall[i]);
            util_buf_puts(&b, ",");
            plot_num(&b, e[s]->pr_precision[i]);
            util_buf_puts(&b, "\n");
        }
    }
    char path[400], title[300];
    if (out_plots_data(c, "suggest-pr.csv", &b, path, sizeof path, err) < 0) return -1;
    snprintf(title, sizeof title, "%s: precision-recall on the test part", t->sc->name);
    const char *vars[] = {"datafile", path, "title_text", title, "names", "current suggested",
                          "style", "lines", "rec_recall", "", "rec_precision", "", "rec_label", "",
                          "labels", "", NULL};
    return out_plots_draw(c, o, "suggest-pr", "pr", vars,
                "Precision against recall of the current and the suggested points on the test "
                "part (the latest 30% of the cohort), one point per distinct score.",
                err);
}

int out_suggest_plots(out_plots *c, outdir *o, const tune_suggest *t, util_err *err) {
    if (!c->enabled) return 0;
    int rc = plot_points(c, o, t, err) < 0 || (c->enabled && plot_pr(c, o, t, err) < 0) ? -1 : 0;
    char p[400];
    snprintf(p, sizeof p, "%s/suggest-points.csv", c->work);
    unlink(p);
    snprintf(p, sizeof p, "%s/suggest-pr.csv", c->work);
    unlink(p);
    return rc;
}
