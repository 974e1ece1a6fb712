/* out_suggest.h - the writer of suggested weights: tune-suggest.csv, tune-holdout.csv, tune.md, its plots and the terminal lines.
 *
 * Each function appends to a buffer (or stages plots); the verb
 * (cmd_tune_suggest.c) stages and renames the files. The numbers all come
 * from tune_suggest_run (tune_suggest.h); the sentences here only read them. */
#ifndef LEADSIM_OUT_SUGGEST_H
#define LEADSIM_OUT_SUGGEST_H

#include "dataset.h"
#include "out_plots.h"
#include "outdir.h"
#include "tune_suggest.h"
#include "util.h"

/* tune-suggest.csv: kind,name,value,current_points,suggested_points,coefficient,std_error. */
void out_suggest_csv(util_buf *b, const tune_suggest *t);
/* tune-holdout.csv: weights,average_precision,threshold,mqls,precision,recall (current, suggested). */
void out_suggest_holdout_csv(util_buf *b, const tune_suggest *t);
/* tune.md (FOR_HTML 0) or the Markdown of tune.html (1: the lines to paste
 * escaped as text, since the page has no code blocks). */
void out_suggest_md(util_buf *b, const tune_suggest *t, const dataset *ds, const char *data_path,
                    int for_html);
/* The suggestion in a few lines for the terminal. */
void out_suggest_terminal(util_buf *b, const tune_suggest *t);
/* plots/suggest-points and plots/suggest-pr into C's items. */
int out_suggest_plots(out_plots *c, outdir *o, const tune_suggest *t, util_err *err);

#endif
