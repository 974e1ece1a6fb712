/* summary.h - the contract tables: summary.csv, summary.md and weekly.csv (SPEC 7).
 *
 * Writers append to a util_buf; the caller stages the bytes through outdir.
 * Numbers are written in full (shortest text that reads back as the same
 * double); an undefined ratio is an empty field; text from the input is
 * escaped for the format it lands in. */
#ifndef LEADSIM_SUMMARY_H
#define LEADSIM_SUMMARY_H

#include "dataset.h"
#include "metrics.h"
#include "replay.h"
#include "scenario.h"
#include "util.h"

/* One scenario's results, as the writers see them. */
typedef struct summary_scn {
    const scenario *sc;
    const dataset *ds;
    const replay *rp;
    const char *data_path;
    metrics_row *rows;
    size_t nrows;
} summary_scn;

void summary_csv(util_buf *b, const summary_scn *s, size_t ns);
/* weekly.csv of one scenario: week_start,handoffs (and threshold columns when
 * the scenario has several rows). Returns 0, or 1 when there is no time. */
int summary_weekly_csv(util_buf *b, const summary_scn *s);
/* summary.md of one scenario, or of a comparison when ns > 1. */
void summary_md(util_buf *b, const summary_scn *s, size_t ns);
/* The "Data" part of summary.md: dataset and cohort figures, notes and the
 * data-quality table, under Markdown headings of the given level ("##"). */
void summary_md_data(util_buf *b, const summary_scn *s, const char *level);
/* scores.csv: one row per cohort lead: lead_id, fit, best_score (the highest
 * score before its cutoff; behaviour only in two-axis mode; empty when the
 * lead has no time to be scored), won (1/0), fast (1 when fast track or a
 * rule qualified it). The data of the score-distribution plot. */
void summary_scores_csv(util_buf *b, const replay *r, const dataset *ds);
/* A compact terminal table. */
void summary_terminal(util_buf *b, const summary_scn *s, size_t ns);

/* Append text escaped for a Markdown table cell. */
void summary_md_text(util_buf *b, const char *s);
/* Append a number as written in the tables ("" for NaN). */
void summary_num(util_buf *b, double v);

#endif
