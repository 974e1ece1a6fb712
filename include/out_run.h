/* out_run.h - what `leadsim run` writes: summary.csv, summary.md, scores.csv, the terminal table.
 *
 * The tables of one scenario (ns == 1) or of a comparison (ns > 1), from the
 * rows metrics_eval computed. Numbers are written in full in the CSV files
 * and rounded for reading in the Markdown; an undefined ratio is an empty
 * field (– in Markdown); text from the input is escaped for the format it
 * lands in. Writers append to a util_buf; the caller stages the bytes. */
#ifndef LEADSIM_OUT_RUN_H
#define LEADSIM_OUT_RUN_H

#include "outdir.h"
#include "out_plots.h"
#include "out_scn.h"
#include "util.h"

/* summary.csv: the contract columns, then median_days_to_mql,
 * handoff_weeks, weekly_mean, weekly_p90, weekly_max. */
void out_run_csv(util_buf *b, const out_scn *s, size_t ns);
/* summary.md of one scenario, or of a comparison when ns > 1. */
void out_run_md(util_buf *b, const out_scn *s, size_t ns);
/* scores.csv: one row per cohort lead: lead_id, fit, best_score (the highest
 * score before its cutoff; behaviour only in two-axis mode; empty when the
 * lead has no time to be scored), won (1/0), fast (1 when fast track or a
 * rule qualified it). The data of the score-distribution plot. */
void out_run_scores_csv(util_buf *b, const replay *r, const dataset *ds);
/* A compact terminal table. */
void out_run_terminal(util_buf *b, const out_scn *s, size_t ns);

/* Stage the files of one scenario (or of the comparison when ns > 1) under
 * PREFIX ("" or "name/"): summary.csv, summary.md, report.html, and for one
 * scenario scores.csv and weekly.csv (when it has time), with the plots P
 * draws. Returns 0, or -1 with err (nothing is committed here). */
int out_run_write(outdir *o, out_plots *p, const char *prefix, const out_scn *s, size_t ns,
                  util_err *err);
/* Append to STALE (NULL-terminated, at most MAX entries, *N used, names in
 * BUF) the files under PREFIX that an earlier run may have written and this
 * one need not: weekly.csv (not written for a snapshot) and the plots
 * (skipped, or not drawn this time). */
void out_run_stale(const char **stale, char (*buf)[300], size_t *n, size_t max,
                   const char *prefix);

#endif
