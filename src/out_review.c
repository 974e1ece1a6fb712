/* out_review.c - the review's files and words: review.csv, review-features.csv, review.md, stdout.
 *
 * The CSV files carry every digit (csvout.c); the page reads as the review
 * meeting's agenda and rounds numbers for reading (md.c). The list of what
 * drifted is the Benjamini-Hochberg discoveries of review.c, ordered by how
 * many won deals the change moves (the change of won rate among the leads
 * that have the feature, times those leads): what moves precision most
 * comes first. */
#include "out_review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "md.h"
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
