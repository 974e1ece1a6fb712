/* out_tune.h - the writer of `tune`: tune-grid.csv, tune.md and the terminal lines.
 *
 * Each function appends to a buffer; the verb (cmd_tune.c) stages and
 * renames the files. Nothing here evaluates a vector: the numbers come from
 * tune_run (tune.h). */
#ifndef LEADSIM_OUT_TUNE_H
#define LEADSIM_OUT_TUNE_H

#include "dataset.h"
#include "tune.h"
#include "util.h"

/* tune-grid.csv: one row per vector: vector, the weights that vary, the
 * recommended row's contract columns, objective, thresholds. */
void out_tune_csv(util_buf *b, const tune *t);
/* tune.md: the objective, the method, the best vectors and how to replay
 * the chosen one, then the data section of the contract tables (DS read
 * from DATA_PATH). */
void out_tune_md(util_buf *b, const tune *t, const dataset *ds, const char *data_path);
/* A few lines for the terminal: the grid, the method and the best vector. */
void out_tune_terminal(util_buf *b, const tune *t);

#endif
