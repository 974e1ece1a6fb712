/* csvout.h - CSV output: the contract columns of SPEC 7, numbers and input text as cells.
 *
 * Every results table (summary.csv, sweep.csv, tune-grid.csv, and any later
 * one) starts with the same sixteen contract columns. They are listed once,
 * here, and written by one function, so the tables cannot drift apart.
 *
 * Numbers are written in full: the shortest text that reads back as the same
 * double, integers without a point, never "-0"; an undefined value (NaN) is
 * an empty field. Text that came from the input is a cell that spreadsheets
 * show as text (csvread_write_field with from_input). */
#ifndef LEADSIM_CSVOUT_H
#define LEADSIM_CSVOUT_H

#include "metrics.h"
#include "util.h"

/* The contract columns, a string literal so that a table can add its own
 * columns to it at compile time. */
#define CSVOUT_CONTRACT_COLS                                                                 \
    "scenario,threshold,fit_threshold,leads,won,mqls,tp,fp,fn,tn,precision,recall,f1,"      \
    "mql_rate,lift,revenue_recall"

/* The values of the contract columns after `scenario`, in their order. */
typedef struct csvout_contract {
    double threshold;
    double fit_threshold; /* NaN in single-axis mode: an empty field */
    long leads, won, mqls, tp, fp, fn, tn;
    metrics_ratios q;     /* NaN where undefined */
} csvout_contract;

/* The most bytes csvout_put_contract writes. */
#define CSVOUT_CONTRACT_MAX (15 * 33)

/* Fill c from a metrics row (fit_threshold NaN when the row is single-axis). */
void csvout_contract_of_row(csvout_contract *c, const metrics_row *m);
/* Fill c from the counts at threshold T and fit threshold F (NaN when
 * single-axis): mqls = tp + fp, fn = won - tp, tn = leads - won - fp, the
 * ratios by metrics_ratios_of. */
void csvout_contract_of_counts(csvout_contract *c, double T, double F, long leads, long won,
                               long tp, long fp, double tp_amount, double won_amount);

/* Append the contract column names (no newline). */
void csvout_header(util_buf *b);
/* Append the scenario NAME as an input-text cell, then the fields of c, each
 * after a comma (no newline). */
void csvout_contract_row(util_buf *b, const char *name, const csvout_contract *c);
/* The same fields of c (without the scenario) at p, for writers that build
 * a line in their own memory; p needs room for CSVOUT_CONTRACT_MAX bytes.
 * Returns the new end (the text is not NUL-terminated). */
char *csvout_put_contract(char *p, const csvout_contract *c);

/* Append v in full ("" for NaN). */
void csvout_num(util_buf *b, double v);
/* Write "," then v in full ("" for NaN) at p, which needs room for 33
 * bytes; returns the new end. */
char *csvout_put_num(char *p, double v);
/* Write "," then v at p, which needs room for 22 bytes; returns the new end. */
char *csvout_put_long(char *p, long v);
/* Append input text s as one cell (quoted when needed, formula-safe). */
void csvout_text(util_buf *b, const char *s);

#endif
