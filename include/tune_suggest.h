/* tune_suggest.h - suggested weights (SPEC 5.10): a penalised logistic model of won, on the scenario's own scale.
 *
 * For a scenario without a grid, `tune` fits, over the cohort's leads, a
 * logistic regression of won on the features the scenario can express:
 * - per event type of the data (every one, scored or not): the count of
 *   the lead's counted events (SPEC 5.1) in its first horizon_days after
 *   created_at and before its cutoff ([tune] horizon_days, else
 *   maturity_days, else 90);
 * - per [fit COLUMN] section with values or ranges: one 0/1 indicator per
 *   line (the first line that matches, as the score takes it) and one for
 *   `default` (no line matches); per per-unit section: the column's number
 *   (0 when missing or not a number).
 * The training part is the earliest 70% of the cohort by created_at (ties in
 * leads-file order), the test part the rest. Features are standardised on
 * the training part; the L2 penalty is chosen among SUGGEST_NLAMBDA values
 * by the log-loss of 5 time-ordered folds of the training part; the model is
 * logit.h's. A feature that fewer than SUGGEST_MIN_LEADS training leads
 * have (or that every training lead has alike) is not estimated and keeps
 * its current points. Points = round(beta * S), with S such that the
 * suggested scores (before rounding) have the standard deviation of the
 * current scores over the training leads. Current scores here are the
 * scenario's points on the same features: fit + per type clamp(points *
 * count, limit); fast track, rules and decay are not weights and are left
 * out of both.
 *
 * The held-out comparison scores the test leads both ways: average
 * precision, and precision and recall at the threshold that hands off as
 * many test leads as the current definition does (equal workload): the
 * scenario replayed as `run` replays it, at its threshold. Bootstrap
 * resamples of the training
 * leads (refitted at the chosen penalty) say how stable each sign is.
 * Deterministic for the same data and seed, whatever the threads. */
#ifndef LEADSIM_TUNE_SUGGEST_H
#define LEADSIM_TUNE_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "replay.h"
#include "scenario.h"
#include "util.h"

#define SUGGEST_MIN_WON 20   /* fewer won cohort leads: refused */
#define SUGGEST_MIN_LEADS 10 /* training leads that must have a feature to estimate it */
#define SUGGEST_NLAMBDA 11   /* penalties 10^-2, 10^-1.5, ..., 10^3 */
#define SUGGEST_FOLDS 5
#define SUGGEST_BOOTSTRAP 200 /* default resamples for the signs' stability */

enum { SUGGEST_EVENT, SUGGEST_FIT };
enum { SUGGEST_OK, SUGGEST_FEW, SUGGEST_CONSTANT }; /* estimated, or why not */

typedef struct suggest_feature {
    int kind;           /* SUGGEST_EVENT or SUGGEST_FIT */
    const char *name;   /* the event type or the fit column */
    const char *value;  /* the fit line's key as written, "default" or "per_unit"; "" for events */
    long line;          /* the scenario line of a fit value (0: none) */
    int per_unit;
    double current;     /* current points (per event, per indicator, per unit) */
    int status;         /* SUGGEST_OK, _FEW, _CONSTANT */
    long leads_with;    /* training leads with a nonzero value */
    double coef, se;    /* per unit of the feature; NaN unless estimated */
    double scaled;      /* coef * S, before rounding (NaN unless estimated) */
    double suggested;   /* round(coef * S), or the current points */
    double sign_share;  /* share of resamples with the same sign as coef (NaN: none) */
} suggest_feature;

/* One way of scoring the test leads. */
typedef struct suggest_eval {
    double ap;          /* average precision (NaN without a won test lead) */
    double threshold;
    long mqls, tp;
    double precision, recall;
    double *pr_recall, *pr_precision; /* the precision-recall curve, one point per distinct score */
    size_t npr;
} suggest_eval;

typedef struct tune_suggest {
    const scenario *sc;
    suggest_feature *f;
    size_t nf;
    size_t n, ntrain, ntest;
    long won, won_train, won_test;
    int64_t split_at;   /* created_at of the first test lead */
    double horizon_days;
    const char *horizon_from; /* "horizon_days", "maturity_days" or "the default" */
    double lambda;
    double lambdas[SUGGEST_NLAMBDA]; /* the penalties tried */
    double cv_loss[SUGGEST_NLAMBDA]; /* mean log-loss per held-out training lead */
    double b0;          /* intercept, on the features' own scale */
    double S, sd_current;
    int S_default;      /* the current scores do not vary: S = 20 / ln 2 */
    double threshold;   /* the scenario's threshold used for the current workload */
    double fit_threshold; /* NaN in single-axis mode */
    long definition_mqls, definition_tp; /* test leads the current definition hands off, won */
    int nboot;
    suggest_eval current, suggested, unrounded;
    replay *rp;         /* the scenario's replay: cohort figures and notes for the report */
    char notes[4][300];
    int nnotes;
} tune_suggest;

typedef struct tune_suggest_opts {
    int threads;
    unsigned long seed;
    long bootstrap;     /* resamples; 0 for none */
    int progress;       /* a progress line on stderr (the caller checks it is a terminal) */
} tune_suggest_opts;

/* The threshold of a scenario's [mql] taken as "the current definition":
 * its only one, or the middle of its list (the lower middle of an even one). */
double tune_suggest_threshold(const double *t, size_t n);

/* Fit and compare. Errors: UTIL_EDATA when the cohort has fewer than
 * SUGGEST_MIN_WON won leads (the message says how many), or no feature can
 * be estimated, or the scenario does not fit the data (replay_run's);
 * UTIL_EINTERNAL for memory. */
int tune_suggest_run(const dataset *ds, const scenario *sc, const tune_suggest_opts *o,
                     tune_suggest **out, util_err *err);
void tune_suggest_free(tune_suggest *t);

/* The equal-workload threshold: among the distinct values of S (n scores,
 * sorted descending into a copy) the one at which the count of scores >= it
 * is nearest to WANT (ties: the fewer); above the highest score when WANT
 * is 0; NaN when memory runs out. */
double tune_suggest_equal_workload(const double *s, size_t n, long want);

/* Average precision of scores S against won flags Y over n leads: the sum
 * over distinct scores, highest first, of (recall gained) * (precision at
 * that score); NaN when no lead is won (or memory runs out). */
double tune_suggest_ap(const double *s, const uint8_t *y, size_t n);

#endif
