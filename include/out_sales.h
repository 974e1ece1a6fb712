/* out_sales.h - the follow-up queue in words and tables: summary.md's SLA section, staffing.csv.
 *
 * For a scenario with [sales] (out_scn's srows): per threshold whether it
 * keeps the SLA and, when not, in which weeks it breaks; the queue figures;
 * and the staffing answers (staff.h) next to each other. Writers append to
 * a util_buf. */
#ifndef LEADSIM_OUT_SALES_H
#define LEADSIM_OUT_SALES_H

#include "out_scn.h"
#include "util.h"

/* The SLA target the words and staffing use: P of sla:P, else 0.95. */
double out_sales_target(const scenario *sc);

/* "## Follow-up and SLA" of scenario S (nothing without [sales] figures),
 * headings at LEVEL ("##"), the scenario's name in the heading when NAMED
 * (a comparison). */
void out_sales_md(util_buf *b, const out_scn *s, const char *level, int named);

/* One line for the terminal: the SLA attainment of each listed threshold
 * (nothing without an SLA). */
void out_sales_terminal(util_buf *b, const out_scn *s);

/* staffing.csv of scenarios s[0 .. ns): one row per listed threshold and
 * one for the recommendation (row = listed | recommended). Returns 0, or 1
 * when no scenario has staffing figures (no file). */
int out_sales_staffing_csv(util_buf *b, const out_scn *s, size_t ns);

#endif
