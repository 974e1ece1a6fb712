/* report.h - the former names of html.h, for files not yet renamed.
 *
 * Remove once no file includes it. */
#ifndef LEADSIM_REPORT_H
#define LEADSIM_REPORT_H

#include "html.h"

#define report_html html_page
#define report_escape html_escape

#endif
