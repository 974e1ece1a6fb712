/* out_scn.h - one replayed scenario as every writer takes it, and the parts all commands print.
 *
 * run, sweep and tune each describe the dataset and cohort behind their
 * numbers the same way (the "Data" section of their Markdown) and write the
 * weekly hand-offs the same way (weekly.csv, SPEC 7): both live here, over
 * the results of one scenario. Writers append to a util_buf; the caller
 * stages the bytes through outdir. */
#ifndef LEADSIM_OUT_SCN_H
#define LEADSIM_OUT_SCN_H

#include "dataset.h"
#include "drivers.h"
#include "metrics.h"
#include "replay.h"
#include "sales.h"
#include "staff.h"
#include "scenario.h"
#include "sweep.h"
#include "util.h"

/* One scenario's results, as the writers see them. */
typedef struct out_scn {
    const scenario *sc;
    const dataset *ds;
    const replay *rp;
    const char *data_path;
    metrics_row *rows;
    size_t nrows;
    /* The answer that opens the reports (out_sweep_answer_md); each NULL or
     * 0 when not computed. */
    const sweep *sw;             /* the sweep of this scenario: the recommendation */
    const metrics_row *pick;     /* the recommended row evaluated as `run` evaluates one */
    const metrics_row *current;  /* the scenario's own threshold(s) */
    size_t ncurrent;
    const drivers *dr;           /* per event type, won and not-won leads that had one */
    /* With [sales] on a timed dataset: the engine, each row's queue and
     * recycling figures (nrows of them, beside rows) and the pick's; NULL
     * otherwise. */
    const sales *sales;
    sales_row *srows;
    const sales_row *spick;
    const sales_row *scurrent;   /* beside current (ncurrent), or NULL */
    const staff_row *staff;      /* beside srows, or NULL */
    const staff_row *staff_pick; /* the pick's, or NULL */
    struct sqlacc_row *sql;      /* per row of rows, sales acceptance (sqlacc.h); NULL when
                                  * the dataset has no sql_at */
} out_scn;

/* With [sales], summary.csv and sweep.csv go on with these columns:
 * handoffs, recycled, requalified, won_after_recycle, sla_attainment,
 * wait_median_h, wait_p90_h, backlog_max, weeks_over_capacity (SPEC 5.5,
 * 5.6). out_scn_put_sales writes a row's (each with its leading comma;
 * at most 9 * 33 bytes), empty when R is NULL or not computed. */
extern const char OUT_SCN_SALES_HEADER[];
char *out_scn_put_sales(char *p, const sales_row *r);
/* weekly.csv of one scenario: week_start,handoffs (and threshold columns when
 * the scenario has several rows). Returns 0, or 1 when there is no time. */
int out_scn_weekly_csv(util_buf *b, const out_scn *s);
/* The "Data" part of the Markdown: dataset and cohort figures, notes and the
 * data-quality table, under Markdown headings of the given level ("##"). */
void out_scn_md_data(util_buf *b, const out_scn *s, const char *level);
/* Its two parts, for a writer with headings of its own: the list of dataset
 * and cohort figures, and the data-quality table (or the sentence saying
 * there were no problems). */
void out_scn_md_cohort(util_buf *b, const out_scn *s);
void out_scn_md_quality(util_buf *b, const dataset *ds);

/* The confusion table: per row (N rows of ROWS, LABELS[i] naming each, e.g.
 * "recommended"), handed off or not against won or not, counts and shares
 * of the cohort; then, for ROWS[0], the same as a two-by-two table. SIG:
 * the significant digits of thresholds (md_thr_sig). */
void out_scn_md_confusion(util_buf *b, const metrics_row *const *rows, const char *const *labels,
                          size_t n, int sig);
/* Per event type the share of won and of not-won leads that had it (s->dr;
 * nothing when NULL), at most MAX types. */
void out_scn_md_drivers(util_buf *b, const out_scn *s, size_t max);

#endif
