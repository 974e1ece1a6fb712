/* html.h - report.html: one self-contained page with every table and plot.
 *
 * The page is built from the Markdown leadsim writes (summary.md, sweep.md),
 * whose input text is already escaped (& < > as entities, Markdown syntax
 * with backslashes), plus the plots inlined as base64 SVG images. It needs
 * no JavaScript and fetches nothing: a Content-Security-Policy forbids
 * scripts and every external load. */
#ifndef LEADSIM_HTML_H
#define LEADSIM_HTML_H

#include "out_plots.h"
#include "util.h"

/* Append the page. TITLE is plain text (escaped here); MD is leadsim's own
 * Markdown; the plots of C are inserted before the first "## Data" heading;
 * NOTE (may be "") is shown at the top, e.g. why plots were skipped. */
int html_page(util_buf *b, const char *title, const char *md, const out_plots *c,
              const char *note, util_err *err);

/* Append s with & < > " ' escaped for HTML text and attributes. */
void html_escape(util_buf *b, const char *s);

#endif
