/* out_sql.h - the sales-acceptance columns and sentences (SPEC 5.7) that summary.csv, sweep.csv and the Markdown add when the dataset has sql_at.
 *
 * The figures come from sqlacc.h; the writers of run and sweep call these
 * with a line or two each, so that the columns stay in one place. */
#ifndef LEADSIM_OUT_SQL_H
#define LEADSIM_OUT_SQL_H

#include "out_scn.h"
#include "sqlacc.h"
#include "util.h"

/* The column names, each after a comma, in their order. */
#define OUT_SQL_COLS ",sqls,sql_rate,sql_recall,days_mql_to_sql"
/* Most bytes out_sql_put writes. */
#define OUT_SQL_MAX (22 + 3 * 33)

/* Put OUT_SQL_COLS into the header line just appended to B: before its
 * final line end (appended at the end when there is none). */
void out_sql_csv_head(util_buf *b);
/* The four fields of Q at P (each after a comma; Q NULL: empty fields);
 * returns the new end. */
char *out_sql_put(char *p, const sqlacc_row *q);
/* The same appended to B. */
void out_sql_csv_row(util_buf *b, const sqlacc_row *q);

/* One Markdown sentence on Q for the row named LABEL (leadsim's own text,
 * e.g. "At threshold 60"): the share of hand-offs sales accepted, the share
 * of SQLs handed off before they were accepted, and the median days
 * between; ends with a line end. */
void out_sql_md(util_buf *b, const char *label, const sqlacc_row *q);

/* summary.md's sales-acceptance paragraph: one line per row of each of the
 * NS scenarios whose dataset has sql_at (nothing when none has). */
void out_sql_run_md(util_buf *b, const out_scn *s, size_t ns);
/* sweep.md's: the recommended row's figures, and which rows of sweep.csv
 * have days_mql_to_sql (nothing without sw->sql). */
void out_sql_sweep_md(util_buf *b, const sweep *sw);

#endif
