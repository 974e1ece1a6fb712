/* report.h - report.html: one self-contained page with every table and plot.
 *
 * The page is built from the Markdown leadsim writes (summary.md, sweep.md),
 * whose input text is already escaped (& < > as entities, Markdown syntax
 * with backslashes), plus the plots inlined as base64 SVG images. It needs
 * no JavaScript and fetches nothing: a Content-Security-Policy forbids
 * scripts and every external load. */
#ifndef LEADSIM_REPORT_H
#define LEADSIM_REPORT_H

#include "charts.h"
#include "util.h"

/* Append the page. TITLE is plain text (escaped here); MD is leadsim's own
 * Markdown; the plots of C are inserted before the first "## Data" heading;
 * NOTE (may be "") is shown at the top, e.g. why plots were skipped. */
int report_html(util_buf *b, const char *title, const char *md, const charts *c,
                const char *note, util_err *err);

/* Append s with & < > " ' escaped for HTML text and attributes. */
void report_escape(util_buf *b, const char *s);

#endif
