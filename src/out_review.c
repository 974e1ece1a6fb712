/* out_review.c - the review's files and words: review.csv, review-features.csv, review.md, stdout.
 *
 * The CSV files carry every digit (csvout.c); the page reads as the review
 * meeting's agenda and rounds numbers for reading (md.c). The list of what
 * drifted is the Benjamini-Hochberg discoveries of review.c, ordered by how
 * much the change moves the hand-offs' precision: the change of lift times
 * the leads that have the feature, largest first. */
#include "out_review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "md.h"
#include "objective.h"
#include "tstamp.h"

static void put_date(util_buf *b, int64_t t) {
    char d[32];
    tstamp_format_date(t, d, sizeof d);
    util_buf_puts(b, d);
}

static void put_num(util_buf *b, double v) {
    util_buf_puts(b, ",");
    csvout_num(b, v);
}

/* ---------------------------- The CSV files ---------------------------- */

void out_review_csv(util_buf *b, const review *r, const scenario *sc) {
    util_buf_puts(b, "period_start,period_end,complete,");
    csvout_header(b);
    util_buf_puts(b, ",best_threshold,backtest_threshold,backtest_objective,best_objective,"
                     "regret,psi\n");
    for (size_t k = 0; k < r->np; k++) {
        const review_period *pp = &r->p[k];
        for (size_t j = 0; j < r->nrows; j++) {
            put_date(b, pp->start);
            util_buf_puts(b, ",");
            put_date(b, pp->end);
            util_buf_puts(b, pp->complete ? ",1," : ",0,");
            csvout_contract c;
            csvout_contract_of_row(&c, &pp->rows[j]);
            csvout_contract_row(b, sc->name, &c);
            put_num(b, pp->best.has ? pp->best.T : NAN);
            const review_pick *bt = &pp->backtest;
            put_num(b, bt->has ? bt->T : NAN);
            put_num(b, bt->has ? bt->objective : NAN);
            put_num(b, pp->best.has ? pp->best.objective : NAN);
            put_num(b, bt->has && pp->best.has ? pp->best.objective - bt->objective : NAN);
            put_num(b, pp->psi);
            util_buf_puts(b, "\n");
        }
    }
}

static const char *kind_name(int kind) {
    return kind == REVIEW_EVENT ? "event" : kind == REVIEW_FIT ? "fit" : "attribute";
}

void out_review_features_csv(util_buf *b, const review *r) {
    util_buf_puts(b, "period_start,kind,name,value,leads_with,share,won_rate_with,"
                     "won_rate_without,lift,p_value\n");
    for (size_t k = 0; k < r->np; k++) {
        const review_period *pp = &r->p[k];
        for (size_t f = 0; f < r->nfeat; f++) {
            const review_feature *ft = &r->feat[f];
            if (ft->kind == REVIEW_DEFAULT) continue; /* the words' breakdown, not a row */
            const review_fstat *s = review_fstat_at(r, k, f);
            review_ratios q;
            review_ratios_of(pp->leads, pp->won, s->with, s->won_with, &q);
            put_date(b, pp->start);
            util_buf_printf(b, ",%s,", kind_name(ft->kind));
            csvout_text(b, ft->name);
            util_buf_puts(b, ",");
            if (ft->value) csvout_text(b, ft->value);
            util_buf_puts(b, ",");
            util_buf_long(b, s->with);
            put_num(b, q.share);
            put_num(b, q.rate_with);
            put_num(b, q.rate_without);
            put_num(b, q.lift);
            put_num(b, s->p);
            util_buf_puts(b, "\n");
        }
    }
}

/* ---------------------------- Words: shared pieces ---------------------------- */

/* The period's label: its first and last day. */
static void put_period(util_buf *b, const review_period *pp) {
    char d0[32], d1[32];
    tstamp_format_date(pp->start, d0, sizeof d0);
    tstamp_format_date(pp->end - TSTAMP_USEC_PER_DAY, d1, sizeof d1);
    util_buf_printf(b, "%s to %s", d0, d1);
}

static void put_start(util_buf *b, const review_period *pp) {
    char d[32];
    tstamp_format_date(pp->start, d, sizeof d);
    util_buf_printf(b, "%.7s", d); /* YYYY-MM */
}

static void put_p(util_buf *b, double p) {
    if (p < 0.0001) util_buf_puts(b, "p < 0.0001");
    else util_buf_printf(b, "p = %.2g", p);
}

/* What follows an unscored feature's name: "" for a scored one. */
static const char *unscored_note(const review_feature *f) {
    return f->kind == REVIEW_ATTR      ? " (not scored)"
           : f->kind == REVIEW_DEFAULT ? " (in default, not scored yet)"
                                       : "";
}

/* A feature's name for reading: "webinar", "industry = software",
 * "source = partner (not scored)", "industry = retail (in default, not
 * scored yet)". */
static void put_feature(util_buf *b, const review_feature *f) {
    util_buf_puts(b, "**");
    md_text(b, f->name);
    if (f->value) {
        util_buf_puts(b, " = ");
        md_text(b, f->value);
    }
    util_buf_puts(b, "**");
    util_buf_puts(b, unscored_note(f));
}

static const char *period_word(int months) {
    switch (months) {
    case 1: return "month";
    case 3: return "quarter";
    case 6: return "half-year";
    case 12: return "year";
    default: return "period";
    }
}

/* What a move of lift from A to B means. */
static const char *lift_meaning(double a, double b) {
    if (isnan(a) || isnan(b)) return "its won rate moved";
    if (fabs(b - a) < 0.1) return "its won rate moved with the period's, its lift did not";
    if (a >= 1.2 && b < 1.2) return "no longer predicts wins";
    if (a < 1.2 && b >= 1.2) return a < 1 ? "turned from a poor sign to a good one" : "now predicts wins";
    if (b > a) return "predicts wins more strongly";
    return "predicts wins less strongly";
}

/* One change that stood out: feature F from period K - 1 to K. */
typedef struct change {
    size_t f, k;
    double a, b, p;  /* lift before and after, p-value */
    double moved;    /* |change of lift| * leads with: its weight in precision */
} change;

static int by_moved(const void *x, const void *y) {
    const change *a = x, *b = y;
    if (a->moved != b->moved) return a->moved > b->moved ? -1 : 1;
    if (a->k != b->k) return a->k > b->k ? -1 : 1;
    return a->f < b->f ? -1 : a->f > b->f;
}

/* The discoveries of review.c, largest move first, into a new *OUT. */
static long changes_of(const review *r, change **out) {
    long cap = r->ndrifted + r->nbdrifted;
    *out = util_malloc((size_t)(cap + 1) * sizeof **out);
    if (!*out) return -1;
    long n = 0;
    for (size_t k = 1; k < r->np; k++)
        for (size_t f = 0; f < r->nfeat; f++) {
            const review_fstat *s = review_fstat_at(r, k, f), *q = review_fstat_at(r, k - 1, f);
            if (!s->drifted || n >= cap) continue;
            review_ratios ra, rb;
            review_ratios_of(r->p[k - 1].leads, r->p[k - 1].won, q->with, q->won_with, &ra);
            review_ratios_of(r->p[k].leads, r->p[k].won, s->with, s->won_with, &rb);
            double d = (isnan(rb.lift) ? 0 : rb.lift) - (isnan(ra.lift) ? 0 : ra.lift);
            (*out)[n++] = (change){f, k, ra.lift, rb.lift, s->p, fabs(d) * (double)s->with};
        }
    qsort(*out, (size_t)n, sizeof **out, by_moved);
    return n;
}

/* For a change C of a [fit] section's default row: the change among the N
 * of CH of a value of that default line in the same comparison that moved
 * most (CH is in that order), or -1. It says what moved the default row. */
static long breakdown_of(const review *r, const change *ch, long n, const change *c) {
    const review_feature *f = &r->feat[c->f];
    if (f->kind != REVIEW_FIT || !f->value || strcmp(f->value, "default") != 0) return -1;
    for (long i = 0; i < n; i++) {
        const review_feature *g = &r->feat[ch[i].f];
        if (g->kind == REVIEW_DEFAULT && ch[i].k == c->k && strcmp(g->name, f->name) == 0)
            return i;
    }
    return -1;
}

static void put_change(util_buf *b, const review *r, const change *c, const change *ch,
                       long n) {
    util_buf_puts(b, "- ");
    put_feature(b, &r->feat[c->f]);
    util_buf_puts(b, ": lift ");
    md_num(b, c->a, 1);
    util_buf_puts(b, " → ");
    md_num(b, c->b, 1);
    util_buf_puts(b, " (");
    put_p(b, c->p);
    util_buf_puts(b, ", ");
    put_start(b, &r->p[c->k - 1]);
    util_buf_puts(b, " → ");
    put_start(b, &r->p[c->k]);
    util_buf_printf(b, "): %s", lift_meaning(c->a, c->b));
    long i = breakdown_of(r, ch, n, c);
    if (i >= 0) {
        util_buf_puts(b, "; of its values **");
        md_text(b, r->feat[ch[i].f].value);
        util_buf_puts(b, "** moved most (lift ");
        md_num(b, ch[i].a, 1);
        util_buf_puts(b, " → ");
        md_num(b, ch[i].b, 1);
        util_buf_puts(b, ", not scored yet)");
    }
    util_buf_puts(b, "\n");
}

/* ---------------------------- 1. Does the definition still hold? ---------------------------- */

static void md_window(util_buf *b, const review *r) {
    if (r->has_window) {
        util_buf_puts(b, "Every lead gets the same ");
        md_exact(b, r->window_days);
        util_buf_puts(b, " days to be won (`maturity_days`): a lead counts as won only when it "
                         "closed within that window of its creation, and only its events in "
                         "the window count.");
        size_t ninc = 0;
        for (size_t k = 0; k < r->np; k++) ninc += !r->p[k].complete;
        if (ninc) {
            util_buf_puts(b, " Incomplete (its last leads had less than the window before the "
                             "end of observation):");
            for (size_t k = 0, n = 0; k < r->np; k++)
                if (!r->p[k].complete) {
                    util_buf_puts(b, n++ ? ", " : " ");
                    put_period(b, &r->p[k]);
                }
            util_buf_puts(b, "; its leads created too late to be judged are left out, so it "
                             "holds fewer leads.");
        }
        util_buf_puts(b, "\n\n");
        return;
    }
    util_buf_puts(b, "**No fixed outcome window:** `maturity_days` is not set, so the later "
                     "periods had less time for their deals to close; their won rates and "
                     "recall read low for that reason alone.");
    if (!isnan(r->lag_p90)) {
        util_buf_printf(b, " 90%% of the won deals closed within %.0f days of the lead's "
                           "creation (over ",
                        ceil(r->lag_p90));
        md_count(b, r->nlags);
        util_buf_printf(b, " won leads): set `maturity_days = %.0f` in `[evaluation]` to give "
                           "every period the same window.",
                        ceil(r->lag_p90));
    }
    util_buf_puts(b, "\n\n");
}

static void md_holds(util_buf *b, const review *r, const scenario *sc) {
    util_buf_puts(b, "## 1. Does the definition still hold?\n\n");
    md_window(b, r);
    util_buf_puts(b, "| period | complete | leads | won | won rate | threshold | MQLs | "
                     "precision | recall | lift |\n|");
    md_rule(b, 10, "--:");
    util_buf_puts(b, "\n");
    for (size_t k = 0; k < r->np; k++) {
        const review_period *pp = &r->p[k];
        for (size_t j = 0; j < r->nrows; j++) {
            const metrics_row *m = &pp->rows[j];
            util_buf_puts(b, "| ");
            if (j == 0) put_period(b, pp);
            util_buf_puts(b, " |");
            md_cell(b, j ? "" : pp->complete ? "yes" : "no");
            if (j) util_buf_puts(b, " | | |");
            else {
                md_cell_long(b, pp->leads);
                md_cell_long(b, pp->won);
                util_buf_puts(b, " ");
                md_pct(b, pp->leads ? (double)pp->won / (double)pp->leads : NAN);
                util_buf_puts(b, " |");
            }
            util_buf_puts(b, " ");
            md_exact(b, m->threshold);
            if (r->two_axis) {
                util_buf_puts(b, " / fit ");
                md_exact(b, m->fit_threshold);
            }
            util_buf_puts(b, " |");
            md_cell_long(b, m->mqls);
            md_cell_ratio(b, m->precision);
            md_cell_ratio(b, m->recall);
            md_cell_num(b, m->lift, 2);
            util_buf_puts(b, "\n");
        }
    }
    util_buf_puts(b, "\n");
    if (r->nleft_out) {
        util_buf_puts(b, "Left out (no cohort lead was created in them):");
        for (size_t i = 0; i < r->nleft_out; i++) {
            char d[32];
            tstamp_format_date(r->left_out[i], d, sizeof d);
            util_buf_printf(b, "%s the %s from %s", i ? "," : "", period_word(r->months), d);
        }
        util_buf_puts(b, ".\n\n");
    }
    if (r->np < 2) {
        util_buf_puts(b, "Only one period has leads: there is nothing to compare it with.\n\n");
        return;
    }
    const review_period *a = &r->p[r->np - 2], *z = &r->p[r->np - 1];
    const metrics_row *ma = &a->rows[0], *mz = &z->rows[0];
    util_buf_puts(b, "At threshold ");
    md_exact(b, sc->thresholds[0]);
    util_buf_printf(b, ", from the %s starting ", period_word(r->months));
    put_start(b, a);
    util_buf_puts(b, " to the one starting ");
    put_start(b, z);
    util_buf_puts(b, ": precision ");
    md_ratio(b, ma->precision);
    util_buf_puts(b, " → ");
    md_ratio(b, mz->precision);
    util_buf_puts(b, ", recall ");
    md_ratio(b, ma->recall);
    util_buf_puts(b, " → ");
    md_ratio(b, mz->recall);
    util_buf_puts(b, ", lift ");
    md_num(b, ma->lift, 2);
    util_buf_puts(b, " → ");
    md_num(b, mz->lift, 2);
    util_buf_puts(b, ".");
    if (!z->won) util_buf_puts(b, " The last period has no won lead: its recall and lift are undefined.");
    else if (!isnan(mz->lift) && mz->lift < 1.2)
        util_buf_puts(b, " At this threshold its MQLs are barely more likely to be won than "
                         "any lead (lift under 1.2): it hardly separates buyers from the rest.");
    else if (!isnan(mz->lift) && !isnan(ma->lift) && mz->lift < 0.8 * ma->lift)
        util_buf_puts(b, " The definition still separates buyers, but clearly less well than before.");
    else
        util_buf_puts(b, " The definition still separates buyers from the rest.");
    if (!z->complete) util_buf_puts(b, " (The last period is incomplete: read it with care.)");
    util_buf_puts(b, "\n\n");
}

/* ---------------------------- 2. What drifted? ---------------------------- */

/* A first period with fewer scored leads has deciles too coarse to read a PSI by. */
#define REVIEW_PSI_MIN 100

static const char *psi_reading(double psi) {
    return isnan(psi) ? "–" : psi < 0.1 ? "stable" : psi <= 0.25 ? "moderate shift" : "shifted";
}

static void md_lift_table(util_buf *b, const review *r) {
    util_buf_puts(b, "Lift per event type and fit value (won rate of the leads that have it "
                     "over the period's won rate; * a change from the period before that "
                     "stands out):\n\n| |");
    for (size_t k = 0; k < r->np; k++) {
        util_buf_puts(b, " ");
        put_start(b, &r->p[k]);
        util_buf_puts(b, " |");
    }
    util_buf_puts(b, "\n|---|");
    md_rule(b, r->np, "--:");
    util_buf_puts(b, "\n");
    for (size_t f = 0; f < r->nfeat; f++) {
        const review_feature *ft = &r->feat[f];
        if (ft->kind == REVIEW_ATTR || ft->kind == REVIEW_DEFAULT) continue;
        util_buf_puts(b, "| ");
        md_text(b, ft->name);
        if (ft->value) {
            util_buf_puts(b, " = ");
            md_text(b, ft->value);
        }
        util_buf_puts(b, " |");
        for (size_t k = 0; k < r->np; k++) {
            const review_fstat *s = review_fstat_at(r, k, f);
            review_ratios q;
            review_ratios_of(r->p[k].leads, r->p[k].won, s->with, s->won_with, &q);
            util_buf_puts(b, " ");
            md_num(b, q.lift, 2);
            util_buf_puts(b, s->drifted ? " \\* |" : " |");
        }
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\n");
}

static int md_drift(util_buf *b, const review *r) {
    util_buf_puts(b, "## 2. What drifted?\n\n");
    if (r->np < 2) {
        util_buf_puts(b, "One period only: nothing to compare.\n\n");
        return 0;
    }
    change *ch;
    long n = changes_of(r, &ch);
    if (n < 0) return -1;
    util_buf_puts(b, "Each event type, fit value and value of an attribute column that no "
                     "`[fit]` section scores (the rows of `review-features.csv`) is compared "
                     "with the period before: is its won rate different, more than chance "
                     "would make it (Fisher's exact test)? ");
    md_count(b, r->ntests);
    util_buf_printf(b, " comparisons were made; at p < %g chance alone would flag about ",
                    REVIEW_FDR);
    md_count(b, lround((double)r->ntests * REVIEW_FDR));
    util_buf_puts(b, " of them.");
    if (r->nbtests) {
        util_buf_puts(b, " The values that fall to a `[fit]` section's `default` line (not "
                         "scored yet) are compared too, as a breakdown of that row: ");
        md_count(b, r->nbtests);
        util_buf_printf(b, " more comparison%s, not in `review-features.csv`, tested as a "
                           "family of their own.",
                        r->nbtests == 1 ? "" : "s");
    }
    util_buf_printf(b, " Controlling the false discovery rate at %.0f%% within each family and "
                       "each comparison of two periods (Benjamini-Hochberg), ",
                    100 * REVIEW_FDR);
    long nb = 0;
    for (long i = 0; i < n; i++) nb += r->feat[ch[i].f].kind == REVIEW_DEFAULT;
    if (n == 0) {
        util_buf_puts(b, "**no change stands out**.");
    } else {
        if (n == 1) util_buf_puts(b, "**1 change stands out**");
        else util_buf_printf(b, "**%ld changes stand out**", n);
        if (nb) util_buf_printf(b, " (%ld of them in the breakdown of a `default` line)", nb);
        util_buf_puts(b, n == 1 ? ":\n\n"
                                : ", the largest change of lift (weighed by the leads that "
                                  "have it) first:\n\n");
        for (long i = 0; i < n; i++) put_change(b, r, &ch[i], ch, n);
    }
    free(ch);
    long minwon = -1;
    for (size_t k = 0; k < r->np; k++)
        if (minwon < 0 || r->p[k].won < minwon) minwon = r->p[k].won;
    util_buf_puts(b, n ? "\n" : "\n\n");
    if (minwon < 200) {
        util_buf_puts(b, "A change that is not listed is not shown to be absent: with as few "
                         "as ");
        md_count(b, minwon);
        util_buf_puts(b, " won leads in a period, only large changes can stand out. ");
    }
    util_buf_puts(b, r->nbtests ? "Every row, p-values included, is in `review-features.csv` "
                                  "(the breakdown of the `default` lines is not).\n\n"
                                : "Every row, p-values included, is in `review-features.csv`.\n\n");
    md_lift_table(b, r);
    util_buf_puts(b, "Score drift: the population stability index (PSI) of each period's best "
                     "scores against the first period's, on bins at its deciles (under 0.1 "
                     "stable, 0.1 to 0.25 a moderate shift, over 0.25 shifted).\n\n"
                     "| period | PSI | reading |\n|---|--:|---|\n");
    for (size_t k = 0; k < r->np; k++) {
        util_buf_puts(b, "| ");
        put_period(b, &r->p[k]);
        util_buf_puts(b, " |");
        md_cell_num(b, r->p[k].psi, 3);
        md_cell(b, k ? psi_reading(r->p[k].psi) : "baseline");
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\n");
    if (r->p[0].nscores < REVIEW_PSI_MIN) {
        util_buf_puts(b, "The first period has only ");
        md_count(b, r->p[0].nscores);
        util_buf_puts(b, " scored leads: its deciles are a poor reference, and these PSI "
                         "values say little.\n\n");
    }
    return 0;
}

/* ---------------------------- 3. Would the threshold have held? ---------------------------- */

/* A pick's thresholds as a cell: "275", "20 / fit 10" in two-axis mode, "–" for none. */
static void put_pick(util_buf *b, const review_pick *p) {
    if (!p->has) {
        md_cell(b, "–");
        return;
    }
    util_buf_puts(b, " ");
    md_exact(b, p->T);
    if (!isnan(p->F)) {
        util_buf_puts(b, " / fit ");
        md_exact(b, p->F);
    }
    util_buf_puts(b, " |");
}

/* Under F1 or F-beta a period whose best catches no won deal has the
 * objective 0 at every threshold: its pick is the tie rule's alone. */
static void md_no_catch(util_buf *b, const review *r, const scenario *sc) {
    if (sc->objective != SCENARIO_OBJ_F1 && sc->objective != SCENARIO_OBJ_FBETA) return;
    size_t n = 0;
    for (size_t k = 0; k < r->np; k++) {
        const review_pick *p = &r->p[k].best;
        if (!p->has || p->tp > 0) continue;
        util_buf_puts(b, n++ ? ", " : "No threshold catches a won deal in ");
        put_start(b, &r->p[k]);
    }
    if (n)
        util_buf_puts(b, ": the objective is 0 at every threshold there, and its best is the "
                         "tie rule's (the fewest MQLs, then the higher threshold).\n\n");
}

static void md_backtest(util_buf *b, const review *r, const scenario *sc) {
    util_buf_printf(b, "## 3. Would the threshold have held?\n\nThe best threshold of each "
                       "period under the objective (%s, `%s`) in hindsight, against the one "
                       "chosen on the period before and applied to it, and against the "
                       "scenario's own threshold ",
                    objective_name(sc->objective), sc->objective_text ? sc->objective_text : "f1");
    md_exact(b, sc->thresholds[0]);
    util_buf_puts(b, ". Regret = the best's value minus the value of the threshold used.\n\n"
                     "| period | best threshold | its value | chosen the period before | its "
                     "value | regret | scenario's threshold: value | regret |\n|---|");
    md_rule(b, 7, "--:");
    util_buf_puts(b, "\n");
    double sum_bt = 0, sum_own = 0;
    int nbt = 0;
    for (size_t k = 0; k < r->np; k++) {
        const review_period *pp = &r->p[k];
        const review_pick *bt = &pp->backtest, *own = &pp->own[0];
        util_buf_puts(b, "| ");
        put_period(b, pp);
        util_buf_puts(b, " |");
        put_pick(b, &pp->best);
        md_cell_num(b, pp->best.has ? pp->best.objective : NAN, 3);
        put_pick(b, bt);
        double reg = bt->has && pp->best.has ? pp->best.objective - bt->objective : NAN;
        double oreg = pp->best.has ? pp->best.objective - own->objective : NAN;
        md_cell_num(b, bt->has ? bt->objective : NAN, 3);
        md_cell_num(b, reg, 3);
        md_cell_num(b, own->objective, 3);
        md_cell_num(b, oreg, 3);
        util_buf_puts(b, "\n");
        if (!isnan(reg) && !isnan(oreg)) {
            sum_bt += reg;
            sum_own += oreg;
            nbt++;
        }
    }
    util_buf_puts(b, "\n");
    md_no_catch(b, r, sc);
    if (nbt) {
        util_buf_printf(b, "Over the %d period%s with a backtest, re-choosing the threshold on "
                           "each period and keeping it for the next lost %.3f of the "
                           "objective on average against the best in hindsight; keeping ",
                        nbt, nbt == 1 ? "" : "s", sum_bt / nbt);
        md_exact(b, sc->thresholds[0]);
        util_buf_printf(b, " throughout lost %.3f. %s\n\n", sum_own / nbt,
                        sum_bt < sum_own ? "Re-tuning each period pays."
                        : sum_bt > sum_own ? "The fixed threshold did better than re-tuning: "
                                             "the best threshold moves more than it helps."
                                           : "Both did as well.");
    } else {
        util_buf_puts(b, "No period has a backtest (it needs a best threshold in the period "
                         "before).\n\n");
    }
}

/* ---------------------------- 4. What to change ---------------------------- */

static void md_workload(util_buf *b, const review *r, const scenario *sc) {
    if (r->np < 2 || r->two_axis) return;
    const review_period *a = &r->p[r->np - 2], *z = &r->p[r->np - 1];
    const metrics_row *ma = &a->rows[0];
    if (!a->leads || !z->nsweep) return;
    /* the same share of leads handed off as the period before, at the scenario's threshold */
    double target = ma->mql_rate * (double)z->leads;
    size_t j = 0;
    while (j < z->nsweep && (double)z->mqls_at[j] > target) j++;
    if (j == z->nsweep) return;
    util_buf_puts(b, "- **Workload:** the period before handed off ");
    md_pct(b, ma->mql_rate);
    util_buf_puts(b, " of its leads at threshold ");
    md_exact(b, sc->thresholds[0]);
    util_buf_puts(b, "; in the last period threshold **");
    md_exact(b, z->sweep_T[j]);
    util_buf_puts(b, "** keeps that level (");
    md_count(b, z->mqls_at[j]);
    util_buf_puts(b, " hand-offs of ");
    md_count(b, z->leads);
    util_buf_puts(b, " leads, against ");
    md_count(b, z->rows[0].mqls);
    util_buf_puts(b, " at ");
    md_exact(b, sc->thresholds[0]);
    util_buf_puts(b, ").\n");
}

static int md_change(util_buf *b, const review *r, const scenario *sc) {
    util_buf_puts(b, "## 4. What to change\n\n");
    change *ch;
    long n = changes_of(r, &ch);
    if (n < 0) return -1;
    int said = 0;
    for (int up = 0; up < 2; up++) {
        int first = 1;
        for (long i = 0; i < n; i++) {
            const review_feature *f = &r->feat[ch[i].f];
            /* a move of the won rate with the period's own is no change of weight */
            if (isnan(ch[i].a) || isnan(ch[i].b) || fabs(ch[i].b - ch[i].a) < 0.1 ||
                (up ? ch[i].b <= ch[i].a : ch[i].b >= ch[i].a))
                continue;
            util_buf_puts(b, first ? (up ? "- **Gained predictive power:** "
                                         : "- **Lost predictive power:** ")
                                   : ", ");
            first = 0;
            put_feature(b, f);
            util_buf_puts(b, " (lift ");
            md_num(b, ch[i].a, 1);
            util_buf_puts(b, " → ");
            md_num(b, ch[i].b, 1);
            util_buf_puts(b, ")");
        }
        if (!first) {
            util_buf_puts(b, up ? ": worth more points, or a `[fit]` line when it is not scored.\n"
                                : ": worth fewer points than it gets now.\n");
            said = 1;
        }
    }
    free(ch);
    if (!said) util_buf_puts(b, "- No event type or value changed its weight in the data beyond chance: "
                                "the points can stay as they are.\n");
    util_buf_puts(b, "- **Weights:** `leadsim tune` compares candidate points on this data: give "
                     "the types above a range in `[behaviour]` (for example `webinar = 0..20 "
                     "step 5`) and run it on the latest periods (`[evaluation] from`).\n");
    md_workload(b, r, sc);
    util_buf_puts(b, "\n");
    return 0;
}

/* ---------------------------- The page and the verdict ---------------------------- */

int out_review_md(util_buf *b, const review *r, const scenario *sc, const char *data_path,
                  int plots) {
    util_buf_puts(b, "# leadsim review: ");
    md_text(b, sc->name);
    util_buf_puts(b, "\n\n");
    if (sc->description) {
        md_text(b, sc->description);
        util_buf_puts(b, "\n\n");
    }
    util_buf_puts(b, "Dataset `");
    md_text(b, data_path);
    util_buf_printf(b, "`: the cohort in periods of %d month%s by creation date, each "
                       "evaluated as a cohort of its own; ",
                    r->months, r->months == 1 ? "" : "s");
    md_count(b, (long)r->np);
    util_buf_puts(b, " period");
    util_buf_puts(b, r->np == 1 ? " has" : "s have");
    char d0[32], d1[32];
    tstamp_format_date(r->p[0].start, d0, sizeof d0);
    tstamp_format_date(r->p[r->np - 1].end - TSTAMP_USEC_PER_DAY, d1, sizeof d1);
    util_buf_printf(b, " leads, from %s to %s. Observation ends ", d0, d1);
    char d[32];
    tstamp_format_date(r->until, d, sizeof d);
    util_buf_printf(b, "%s.\n\n", d);
    md_holds(b, r, sc);
    if (md_drift(b, r) < 0) return -1;
    md_backtest(b, r, sc);
    if (md_change(b, r, sc) < 0) return -1;
    (void)plots;
    return b->failed ? -1 : 0;
}

int out_review_stdout(util_buf *b, const review *r, const scenario *sc, const char *base) {
    const review_period *z = &r->p[r->np - 1];
    util_buf_printf(b, "Review of %s: %zu period%s of %d month%s", sc->name, r->np,
                    r->np == 1 ? "" : "s", r->months, r->months == 1 ? "" : "s");
    if (r->np >= 2) {
        const review_period *a = &r->p[r->np - 2];
        util_buf_puts(b, "; at threshold ");
        md_exact(b, sc->thresholds[0]);
        util_buf_puts(b, " the last two have precision ");
        md_ratio(b, a->rows[0].precision);
        util_buf_puts(b, " -> ");
        md_ratio(b, z->rows[0].precision);
        util_buf_puts(b, ", recall ");
        md_ratio(b, a->rows[0].recall);
        util_buf_puts(b, " -> ");
        md_ratio(b, z->rows[0].recall);
    }
    util_buf_puts(b, z->complete ? ".\n" : " (the last period is incomplete).\n");
    change *ch;
    long n = changes_of(r, &ch);
    if (n < 0) return -1;
    if (r->np < 2) util_buf_puts(b, "Drift: one period only, nothing to compare.\n");
    else if (n == 0)
        util_buf_printf(b, "Drift: nothing stands out beyond chance (%ld comparisons, false "
                           "discovery rate 5%%).\n",
                        r->ntests + r->nbtests);
    else {
        long nb = 0;
        for (long i = 0; i < n; i++) nb += r->feat[ch[i].f].kind == REVIEW_DEFAULT;
        util_buf_printf(b, "Drift (%ld of %ld comparisons stand out", n - nb, r->ntests);
        if (r->nbtests)
            util_buf_printf(b, "; %ld of %ld among the values in a default line", nb,
                            r->nbtests);
        util_buf_puts(b, "):\n");
        for (long i = 0; i < n && i < 5; i++) {
            const review_feature *f = &r->feat[ch[i].f];
            util_buf_printf(b, "  %s%s%s%s: lift ", f->name, f->value ? " = " : "",
                            f->value ? f->value : "", unscored_note(f));
            md_num(b, ch[i].a, 1);
            util_buf_puts(b, " -> ");
            md_num(b, ch[i].b, 1);
            util_buf_puts(b, " (");
            put_p(b, ch[i].p);
            util_buf_printf(b, "): %s", lift_meaning(ch[i].a, ch[i].b));
            long d = breakdown_of(r, ch, n, &ch[i]);
            if (d >= 0) {
                util_buf_printf(b, "; %s moved most: lift ", r->feat[ch[d].f].value);
                md_num(b, ch[d].a, 1);
                util_buf_puts(b, " -> ");
                md_num(b, ch[d].b, 1);
                util_buf_puts(b, ", not scored yet");
            }
            util_buf_puts(b, "\n");
        }
        if (n > 5) util_buf_printf(b, "  ... and %ld more in review.md\n", n - 5);
    }
    free(ch);
    if (r->np >= 2 && !isnan(z->psi)) {
        util_buf_puts(b, "Scores: PSI ");
        md_num(b, z->psi, 3);
        util_buf_printf(b, " against the first period (%s%s).\n", psi_reading(z->psi),
                        r->p[0].nscores < REVIEW_PSI_MIN ? "; the first period is too small to "
                                                           "be a reliable reference" : "");
    }
    if (z->backtest.has && z->best.has) {
        util_buf_puts(b, "Backtest: the threshold chosen on the period before (");
        md_exact(b, z->backtest.T);
        util_buf_puts(b, ") against the last period's best (");
        md_exact(b, z->best.T);
        util_buf_puts(b, "): regret ");
        md_num(b, z->best.objective - z->backtest.objective, 3);
        util_buf_puts(b, ".\n");
    }
    if (!r->has_window && !isnan(r->lag_p90))
        util_buf_printf(b, "No maturity_days: later periods had less time to close; "
                           "maturity_days = %.0f would give them all the same window.\n",
                        ceil(r->lag_p90));
    util_buf_printf(b, "Report: %s/review.html (review.md; review.csv, review-features.csv)\n",
                    base);
    return b->failed ? -1 : 0;
}

/* ---------------------------- Plots ---------------------------- */

static void pnum(util_buf *b, double v) {
    util_buf_puts(b, ",");
    if (isnan(v)) util_buf_puts(b, "NaN");
    else csvout_num(b, v);
}

/* The periods' labels for the x axis: YYYY-MM, separated by spaces. */
static void plot_labels(util_buf *b, const review *r) {
    for (size_t k = 0; k < r->np; k++) {
        if (k) util_buf_puts(b, " ");
        put_start(b, &r->p[k]);
    }
}

/* Input text in a plot data file: no field separator, quote or line end. */
static void plot_text(util_buf *b, const char *s) {
    for (; *s; s++) {
        char ch = *s;
        util_buf_append(b, (ch == ',' || ch == '"' || (unsigned char)ch < 32) ? " " : s, 1);
    }
}

/* Draw one plot from the bytes of DATA and unlink its data file. */
static int plot_one(out_plots *c, outdir *o, const char *name, util_buf *data,
                    const char **vars, const char *caption, util_err *err) {
    char path[512];
    char file[96];
    snprintf(file, sizeof file, "%s.csv", name);
    if (out_plots_data(c, file, data, path, sizeof path, err) < 0) return -1;
    vars[1] = path;
    int rc = out_plots_draw(c, o, name, name, vars, caption, err);
    unlink(path);
    return rc;
}

static int plot_pr(out_plots *c, outdir *o, const review *r, const scenario *sc,
                   const char *labels, util_err *err) {
    util_buf d;
    util_buf_init(&d);
    int bands = 0;
    for (size_t k = 0; k < r->np; k++) {
        const review_period *pp = &r->p[k];
        util_buf_printf(&d, "%zu", k);
        pnum(&d, pp->rows[0].precision);
        pnum(&d, pp->rows[0].recall);
        for (int q = 0; q < 4; q++) pnum(&d, pp->band[q]);
        bands |= !isnan(pp->band[0]);
        util_buf_puts(&d, "\n");
    }
    char title[300], thr[40];
    util_fmt_double(thr, sizeof thr, sc->thresholds[0]);
    snprintf(title, sizeof title, "%s: precision and recall per period at threshold %s",
             sc->name, thr);
    const char *vars[] = {"datafile", "", "title_text", title, "labels", labels, "bands",
                          bands ? "1" : "0", NULL};
    return plot_one(c, o, "review-pr", &d, vars,
                    bands ? "Precision and recall of each period at the scenario's threshold, "
                            "with bootstrap 90% bands."
                          : "Precision and recall of each period at the scenario's threshold.",
                    err);
}

static int plot_lift(out_plots *c, outdir *o, const review *r, const scenario *sc,
                     const char *labels, util_err *err) {
    util_buf d, rows;
    util_buf_init(&d);
    util_buf_init(&rows);
    size_t nrow = 0;
    for (size_t f = 0; f < r->nfeat; f++) {
        const review_feature *ft = &r->feat[f];
        int any = 0; /* an unscored value is drawn only when it drifted */
        for (size_t k = 1; k < r->np; k++) any |= review_fstat_at(r, k, f)->drifted;
        if ((ft->kind == REVIEW_ATTR || ft->kind == REVIEW_DEFAULT) && !any) continue;
        util_buf_printf(&rows, "%zu,", nrow);
        plot_text(&rows, ft->name);
        if (ft->value) {
            util_buf_puts(&rows, " = ");
            plot_text(&rows, ft->value);
        }
        util_buf_puts(&rows, ft->kind == REVIEW_ATTR       ? " (not scored)\n"
                             : ft->kind == REVIEW_DEFAULT ? " (in default)\n"
                                                          : "\n");
        for (size_t k = 0; k < r->np; k++) {
            const review_fstat *s = review_fstat_at(r, k, f);
            review_ratios q;
            review_ratios_of(r->p[k].leads, r->p[k].won, s->with, s->won_with, &q);
            util_buf_printf(&d, "%zu,%zu", k, nrow);
            pnum(&d, q.lift);
            util_buf_printf(&d, ",%d\n", s->drifted);
        }
        nrow++;
    }
    if (!nrow) {
        util_buf_fini(&d);
        util_buf_fini(&rows);
        return 0;
    }
    char rpath[512], nr[32], title[300];
    if (out_plots_data(c, "review-lift-rows.csv", &rows, rpath, sizeof rpath, err) < 0) {
        util_buf_fini(&d);
        return -1;
    }
    snprintf(nr, sizeof nr, "%zu", nrow);
    snprintf(title, sizeof title, "%s: lift per event type and fit value", sc->name);
    const char *vars[] = {"datafile", "", "title_text", title, "labels", labels, "rows", rpath,
                          "nrows", nr, NULL};
    int rc = plot_one(c, o, "review-lift", &d, vars,
                      "Lift (won rate of the leads that have it over the period's) per event "
                      "type and fit value, and unscored values that drifted; circled: a change from the period before that "
                      "stands out at a 5% false discovery rate.",
                      err);
    unlink(rpath);
    return rc;
}

static int plot_scores(out_plots *c, outdir *o, const review *r, const scenario *sc,
                       util_err *err) {
    if (r->np < 2) return 0;
    const review_period *a = &r->p[r->np - 2], *z = &r->p[r->np - 1];
    if (!a->nscores || !z->nscores) return 0;
    /* 40 bins over the 1st to 99th percentiles of both periods together */
    double lo = fmin(a->scores[(size_t)((double)(a->nscores - 1) * 0.01)],
                     z->scores[(size_t)((double)(z->nscores - 1) * 0.01)]);
    double hi = fmax(a->scores[(size_t)((double)(a->nscores - 1) * 0.99)],
                     z->scores[(size_t)((double)(z->nscores - 1) * 0.99)]);
    if (!(hi > lo)) hi = lo + 1;
    enum { NB = 40 };
    double w = (hi - lo) / NB;
    long ca[NB] = {0}, cz[NB] = {0};
    for (int s = 0; s < 2; s++) {
        const review_period *pp = s ? z : a;
        long *cnt = s ? cz : ca;
        for (long i = 0; i < pp->nscores; i++) {
            double x = pp->scores[i];
            if (x < lo || x > hi) continue;
            int bin = (int)((x - lo) / w);
            cnt[bin >= NB ? NB - 1 : bin]++;
        }
    }
    util_buf d;
    util_buf_init(&d);
    for (int i = 0; i < NB; i++) {
        csvout_num(&d, lo + (i + 0.5) * w);
        pnum(&d, (double)ca[i] / (double)a->nscores);
        pnum(&d, (double)cz[i] / (double)z->nscores);
        util_buf_puts(&d, "\n");
    }
    char title[300], width[40];
    util_buf names;
    util_buf_init(&names);
    put_start(&names, a);
    util_buf_puts(&names, " ");
    put_start(&names, z);
    if (names.failed) {
        util_buf_fini(&names);
        util_buf_fini(&d);
        return util_enomem(err);
    }
    snprintf(title, sizeof title, "%s: best scores of the last two periods (PSI %.3f)", sc->name,
             z->psi);
    util_fmt_double(width, sizeof width, w);
    const char *vars[] = {"datafile", "", "title_text", title, "names",
                          names.data ? names.data : "", "width", width, NULL};
    int rc = plot_one(c, o, "review-scores", &d, vars,
                      "The distribution of the best score each lead reached, in the last two "
                      "periods (1st to 99th percentile).",
                      err);
    util_buf_fini(&names);
    return rc;
}

static int plot_backtest(out_plots *c, outdir *o, const review *r, const scenario *sc,
                         const char *labels, util_err *err) {
    util_buf d;
    util_buf_init(&d);
    for (size_t k = 0; k < r->np; k++) {
        const review_period *pp = &r->p[k];
        util_buf_printf(&d, "%zu", k);
        pnum(&d, pp->best.has ? pp->best.objective : NAN);
        pnum(&d, pp->backtest.has ? pp->backtest.objective : NAN);
        pnum(&d, pp->own[0].objective);
        util_buf_puts(&d, "\n");
    }
    char title[300];
    snprintf(title, sizeof title, "%s: the backtest", sc->name);
    const char *vars[] = {"datafile", "", "title_text", title, "labels", labels,
                          "ylabel_text", objective_name(sc->objective), NULL};
    return plot_one(c, o, "review-backtest", &d, vars,
                    "The objective per period at its own best threshold (hindsight), at the "
                    "threshold chosen on the period before, and at the scenario's threshold.",
                    err);
}

int out_review_plots(out_plots *c, outdir *o, const review *r, const scenario *sc,
                     util_err *err) {
    if (!c->enabled) return 0;
    util_buf lab;
    util_buf_init(&lab);
    plot_labels(&lab, r);
    if (lab.failed) {
        util_buf_fini(&lab);
        return util_enomem(err);
    }
    const char *labels = lab.data ? lab.data : "";
    int rc = -1;
    if (plot_pr(c, o, r, sc, labels, err) < 0) goto done;
    if (c->enabled && plot_lift(c, o, r, sc, labels, err) < 0) goto done;
    if (c->enabled && plot_scores(c, o, r, sc, err) < 0) goto done;
    if (c->enabled && plot_backtest(c, o, r, sc, labels, err) < 0) goto done;
    rc = 0;
done:
    util_buf_fini(&lab);
    return rc;
}
