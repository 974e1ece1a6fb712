/* charts.h - the former names of out_plots.h, for files not yet renamed.
 *
 * Remove once no file includes it. */
#ifndef LEADSIM_CHARTS_H
#define LEADSIM_CHARTS_H

#include "out_plots.h"

#define charts out_plots
#define charts_item out_plots_item
#define CHARTS_MAX OUT_PLOTS_MAX
#define charts_open out_plots_open
#define charts_run out_plots_run
#define charts_sweep out_plots_sweep
#define charts_close out_plots_close

#endif
