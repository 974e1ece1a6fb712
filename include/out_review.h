/* out_review.h - the review's files and words: review.csv, review-features.csv, review.md, stdout.
 *
 * Writers over a finished review (review.h): the CSV files with every
 * digit (csvout.h), the page in Markdown as the meeting's agenda (does the
 * definition hold, what drifted, would the threshold have held, what to
 * change), and the short verdict for the terminal. They compute nothing the
 * CSV files do not show, except the order of the words. */
#ifndef LEADSIM_OUT_REVIEW_H
#define LEADSIM_OUT_REVIEW_H

#include "out_plots.h"
#include "outdir.h"
#include "review.h"
#include "scenario.h"
#include "util.h"

/* review.csv: one row per period and scenario threshold (SPEC 7). */
void out_review_csv(util_buf *b, const review *r, const scenario *sc);
/* review-features.csv: one row per period and feature (SPEC 7). */
void out_review_features_csv(util_buf *b, const review *r);
/* review.md: the review in words and tables. PLOTS says whether the plots
 * were drawn (their images are then linked from the page). Returns 0, or -1
 * (memory). */
int out_review_md(util_buf *b, const review *r, const scenario *sc, const char *data_path,
                  int plots);
/* The plots of the review into plots/ (review-pr, review-lift, review-scores,
 * review-backtest), when C is enabled. Returns 0, or -1 with err. */
int out_review_plots(out_plots *c, outdir *o, const review *r, const scenario *sc,
                     util_err *err);
/* The verdict on stdout: a few lines, and where the files are. */
int out_review_stdout(util_buf *b, const review *r, const scenario *sc, const char *base);

#endif
