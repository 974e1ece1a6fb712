/* summary.h - the former names of out_scn.h, md.h and csvout.h, for files not yet renamed.
 *
 * Remove once no file includes it. */
#ifndef LEADSIM_SUMMARY_H
#define LEADSIM_SUMMARY_H

#include "csvout.h"
#include "md.h"
#include "out_run.h"
#include "out_scn.h"

#define summary_scn out_scn
#define summary_num csvout_num
#define summary_md_text md_text
#define summary_md_data out_scn_md_data
#define summary_weekly_csv out_scn_weekly_csv

#endif
