/* md.h - Markdown for the reports: input text escaped, numbers, pipe-table cells.
 *
 * The Markdown leadsim writes is read by people and turned into the HTML
 * page (html.c), which understands only this subset. Input text goes through
 * md_text and nowhere else, so it arrives as text, never as markup. A table
 * row is "|", then its cells (each appends " X |"), then "\n". */
#ifndef LEADSIM_MD_H
#define LEADSIM_MD_H

#include "util.h"

/* Append input text s for any place in a Markdown line, a table cell
 * included: | \ ` * _ [ ] escaped with a backslash, & < > as entities, CR
 * and LF as spaces. */
void md_text(util_buf *b, const char *s);
/* Append v rounded to DIGITS decimals for reading ("–" for NaN); the CSV
 * files have it in full. */
void md_num(util_buf *b, double v, int digits);
/* Append v in full (shortest digits; thresholds and weights, which the
 * reader copies into a scenario). */
void md_exact(util_buf *b, double v);

/* Table cells: " X |". */
void md_cell(util_buf *b, const char *s); /* s is leadsim's own text, not escaped */
void md_cell_text(util_buf *b, const char *s);
void md_cell_num(util_buf *b, double v, int digits);
void md_cell_exact(util_buf *b, double v);
void md_cell_long(util_buf *b, long v);
/* Append N cells of the alignment row, each ALIGN ("--:", ":-:", "---") then "|". */
void md_rule(util_buf *b, size_t n, const char *align);

#endif
