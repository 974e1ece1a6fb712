/* review.h - the definition review (SPEC 5.8, 5.11): calendar periods, drift and the backtest.
 *
 * review_run() splits the scenario's cohort into calendar periods of M
 * months by created_at (period index = (year * 12 + month - 1) div M, UTC)
 * and evaluates each period as a cohort of its own: the contract metrics at
 * the scenario's thresholds, the period's best threshold under the
 * objective (its full sweep), and the threshold chosen on the period before
 * applied to it (the backtest). With maturity_days W every lead gets the
 * same outcome window: its cutoff is min(its SPEC 5.1 cutoff, created_at +
 * W days) and it is won only when won with closed_at <= created_at + W days.
 *
 * Per period it also counts, for every event type with a counted event,
 * every [fit] line (and default), every value of an attribute column no
 * [fit] section scores and, as a breakdown of each default line, every value
 * that falls to it (both for columns with at most REVIEW_MAX_VALUES values),
 * the leads that have it and the won ones among them, with Fisher's
 * two-sided p against the period before; and the PSI of each period's best scores on bins at the first
 * period's deciles. A review holds numbers and names only; the words and
 * files are out_review.h's. */
#ifndef LEADSIM_REVIEW_H
#define LEADSIM_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "metrics.h"
#include "scenario.h"
#include "util.h"

#define REVIEW_MAX_VALUES 30  /* attribute columns with more distinct values are not reported */
#define REVIEW_FDR 0.05       /* Benjamini-Hochberg's false discovery rate, and the p level */

/* REVIEW_EVENT, REVIEW_FIT and REVIEW_ATTR are the rows of review-features.csv
 * (SPEC 5.8: attributes are the columns no [fit] section scores).
 * REVIEW_DEFAULT is a value of a value/range [fit] column that falls to its
 * default line: a breakdown of that default row, so that drift in what the
 * section does not score yet can be named; it is not a row of the CSV and
 * its tests form a family of their own (review_fstat.drifted). */
enum { REVIEW_EVENT, REVIEW_FIT, REVIEW_ATTR, REVIEW_DEFAULT };

/* One reported feature: an event type, a fit line, or an attribute value. */
typedef struct review_feature {
    int kind;     /* REVIEW_* */
    char *name;   /* the event type, or the column */
    char *value;  /* the fit line's key as written ("default" for the rest), the
                   * attribute or default-line value ("(empty)" for an empty cell);
                   * NULL for events */
} review_feature;

/* One feature in one period. */
typedef struct review_fstat {
    long with, won_with;  /* leads that have it, and the won ones among them */
    double p;             /* Fisher's two-sided p against the period before; NaN for the first */
    int drifted;          /* a discovery under Benjamini-Hochberg over the features
                           * of this period's comparison with the one before: the
                           * CSV's rows form one family, the REVIEW_DEFAULT
                           * breakdown another */
} review_fstat;

/* A threshold (and fit threshold) evaluated on a period under the objective. */
typedef struct review_pick {
    int has;              /* 0: none (no row is a candidate, or no period before) */
    double T, F;          /* F NaN in single-axis mode */
    long tp, fp;
    double objective;     /* NaN when undefined */
} review_pick;

typedef struct review_period {
    int64_t start, end;   /* calendar bounds, end exclusive */
    int complete;
    long leads, won;
    metrics_row *rows;    /* at the scenario's thresholds: nrows of them */
    review_pick best;     /* the period's best threshold */
    review_pick backtest; /* the previous period's best applied to this one */
    review_pick *own;     /* each scenario threshold under the objective: nrows */
    double band[4];       /* bootstrap 90% intervals at the first scenario threshold:
                           * precision lo, hi, recall lo, hi; NaN when not drawn */
    double psi;           /* of the best scores against the first period's; NaN for the
                           * first (the baseline) */
    double *scores;       /* best score of each lead that had time to be scored
                           * (created_at < cutoff), ascending: nscores of them */
    long nscores;
    long *mqls_at;        /* per sweep row: hand-offs (nsweep entries) */
    double *sweep_T;      /* per sweep row: threshold, ascending */
    size_t nsweep;
} review_period;

typedef struct review {
    int months;
    int has_window;       /* maturity_days is set: the fixed outcome window */
    double window_days;
    int64_t until;
    int two_axis;
    size_t nrows;         /* scenario thresholds (times fit thresholds) */
    review_period *p;
    size_t np;
    int64_t *left_out;    /* starts of the periods between the first and last
                           * listed ones that have no cohort lead */
    size_t nleft_out;
    review_feature *feat;
    size_t nfeat;
    review_fstat *fs;     /* np * nfeat, period-major */
    long ntests, ndrifted; /* p-values of the CSV's rows computed; discoveries among them */
    long nbtests, nbdrifted; /* the same for the REVIEW_DEFAULT breakdown */
    double q[9];          /* the first period's deciles of best score */
    double lag_p90;       /* days from created_at to won: 90th percentile (NaN when
                           * no won lead has a closed_at) */
    long nlags;
} review;

/* Bootstrap bands for precision and recall per period: NBOOT resamples of
 * each period's leads (0: none), drawn from SEED. */
typedef struct review_boot {
    long nboot;
    unsigned long seed;
} review_boot;

/* Review scenario SC on dataset DS in periods of MONTHS months (1, 2, 3, 4,
 * 6 or 12) on NTHREADS threads (the result does not depend on them), with
 * BOOT's bands (NULL: none).
 * Errors: UTIL_EDATA for a dataset without timestamps or a cohort without a
 * lead, naming the scenario; UTIL_EINTERNAL for memory. */
int review_run(const dataset *ds, const scenario *sc, int months, int nthreads,
               const review_boot *boot, review **out, util_err *err);
void review_free(review *r);

/* The stats of feature F in period K. */
static inline const review_fstat *review_fstat_at(const review *r, size_t k, size_t f) {
    return &r->fs[k * r->nfeat + f];
}

/* Ratios of a feature's counts in a period of LEADS leads, WON won: NaN where
 * a denominator is 0 (SPEC 5.11). */
typedef struct review_ratios {
    double share, rate_with, rate_without, lift;
} review_ratios;
void review_ratios_of(long leads, long won, long with, long won_with, review_ratios *out);

#endif
