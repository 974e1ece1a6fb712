/* out_sweep.h - what `leadsim sweep` writes: sweep.csv, the recommendation, sweep.md.
 *
 * Writers over a finished sweep (sweep.h, with its bootstrap from boot.h):
 * they read it and never change it. Text is appended to a util_buf, whose
 * failed flag reports memory running out. */
#ifndef LEADSIM_OUT_SWEEP_H
#define LEADSIM_OUT_SWEEP_H

#include <stddef.h>

#include "scenario.h"
#include "out_scn.h"
#include "sweep.h"
#include "util.h"

/* Rows of the table sweep.md shows (evenly spaced ones and the picks' neighbours). */
#define OUT_SWEEP_TABLE_ROWS 30

/* sweep.csv: the contract columns, then workload, intervals and objective,
 * one line per row. Rows are formatted by THREADS threads in blocks joined
 * in order, so the bytes do not depend on it. The text is handed piece by
 * piece to emit(ctx, data, len), which returns 0, or -1 to stop; so a large
 * sweep.csv need not be held in memory. Returns 0, or -1 when emit stopped
 * it or memory ran out. */
typedef int (*out_sweep_sink)(void *ctx, const char *data, size_t len);
int out_sweep_csv_to(const sweep *s, const char *scenario_name, int threads, out_sweep_sink emit,
                     void *ctx);
/* The same text appended to b. */
void out_sweep_csv(util_buf *b, const sweep *s, const char *scenario_name, int threads);

/* Why there is no recommendation (a sentence naming the closest the rows
 * came to the objective); nothing when there is one. */
void out_sweep_verdict(util_buf *b, const sweep *s);
/* The recommendation as a paragraph of plain text (Markdown-safe): the pick
 * and its figures, the runner-up, and how sure the bootstrap makes it; or
 * the verdict. OBJECTIVE_TEXT is the scenario's objective as written (NULL: f1). */
void out_sweep_recommendation(util_buf *b, const sweep *s, const char *objective_text);
/* The same as plain text for the terminal (no Markdown emphasis or code). */
void out_sweep_recommendation_text(util_buf *b, const sweep *s, const char *objective_text);
/* A readable subset of rows as a Markdown table: the pick, its neighbours
 * and evenly spaced rows, at most about max_rows. */
void out_sweep_table(util_buf *b, const sweep *s, size_t max_rows);

/* The answer that opens a report, under headings of LEVEL ("##"): the
 * recommendation of s->sw with its reasons, the pick (s->pick) against the
 * scenario's current thresholds (s->current), the confusion table of both,
 * and the behaviours before a win (s->dr). BOOT_HINT: say where intervals
 * come from when this sweep has none. */
void out_sweep_answer_md(util_buf *b, const out_scn *s, const char *level, int boot_hint);
/* The comparison's answer: which of NS scenarios does best under their
 * objective (when they share one), on which data, and each one's pick. */
void out_sweep_compare_md(util_buf *b, const out_scn *s, size_t ns);
/* One plain-text line per scenario with a sweep: its pick and what it gives. */
void out_sweep_answer_text(util_buf *b, const out_scn *s, size_t ns);

/* sweep.md: title and description of SC, the recommendation, the trade-off
 * table and the data section of SS (SS->pick and rows: the recommended row
 * evaluated as `run` evaluates it; SS->current: the scenario's thresholds). */
void out_sweep_md(util_buf *md, const sweep *sw, const scenario *sc, const out_scn *ss);
/* What `sweep` prints on stdout: the recommendation, a shorter table, and
 * where the report is (BASE: the output folder). */
void out_sweep_stdout(util_buf *b, const sweep *sw, const scenario *sc, const char *base);

#endif
