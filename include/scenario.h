/* scenario.h - a scenario file (SPEC 4): the MQL definition to replay.
 *
 * scenario_load() reads and validates the whole INI file: every section and
 * key of the format is known here, and anything unknown, unparsable, not
 * finite or out of range is an error naming FILE:LINE. What is stored is plain
 * numbers and strings; matching them against a dataset is replay's job. */
#ifndef LEADSIM_SCENARIO_H
#define LEADSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Points of one event type, or the cap of one type in [limits]. More than one
 * value (`5..20 step 5`) makes a candidate grid, which only `tune` evaluates. */
typedef struct scenario_points {
    char *type;
    double *vals;
    size_t nvals;
    long line;
} scenario_points;

enum { SCENARIO_FIT_VALUE, SCENARIO_FIT_RANGE };

/* One line of a [fit COLUMN] section: an exact value or a numeric range. */
typedef struct scenario_fitline {
    int kind;
    char *value;        /* SCENARIO_FIT_VALUE: the exact text */
    int has_lo, has_hi; /* SCENARIO_FIT_RANGE: lo <= x < hi, open ends allowed */
    double lo, hi;
    double points;
    long line;
    char *key;          /* the line's key as written (a value or a range) */
} scenario_fitline;

typedef struct scenario_fit {
    char *column;
    long line; /* the section header */
    scenario_fitline *lines;
    size_t nlines, cap;
    int has_default;
    double def;
    int has_per_unit, has_max;
    double per_unit, max;
    long per_unit_line;
    int nocase;         /* case = insensitive: values match after case folding (fold.h) */
} scenario_fit;

/* One term `TYPE >= N` of a rule. */
typedef struct scenario_term {
    char *type;
    long n;
} scenario_term;

typedef struct scenario_rule {
    scenario_term *terms;
    size_t nterms;
    int has_within;
    double within_days;
    char *text;
    long line;
} scenario_rule;

enum {
    SCENARIO_OBJ_F1,
    SCENARIO_OBJ_FBETA,
    SCENARIO_OBJ_PRECISION_AT_LEAST,
    SCENARIO_OBJ_RECALL_AT_LEAST,
    SCENARIO_OBJ_CAPACITY,
    SCENARIO_OBJ_VALUE,
    SCENARIO_OBJ_SLA /* sla:P, P in obj_a */
};

typedef struct scenario {
    char *path;        /* the file it was read from */
    char *name;        /* [A-Za-z0-9._-]+: used as a folder name */
    long name_line;    /* where it was set; 1 when taken from the file name */
    char *description;
    char *data;        /* dataset path, resolved against the scenario's folder; NULL if unset */

    scenario_points *behaviour;
    size_t nbehaviour;
    scenario_points *limits;
    size_t nlimits;
    double half_life_days; /* 0 = no decay */

    scenario_fit *fits;
    size_t nfits;

    double *thresholds;
    size_t nthresholds;
    long threshold_line;
    double *fit_thresholds; /* NULL in single-axis mode */
    size_t nfit_thresholds;
    char **fast_track;
    size_t nfast_track;
    long fast_track_line;
    scenario_rule *rules;
    size_t nrules;

    int has_sales;
    double reps, followups_per_rep_per_day; /* whole numbers from 1 to 1e6 */
    double sla_business_hours; /* 48 when not given (then has_sla is 0) */
    int has_sla;               /* sla_business_hours was given: without it the SLA fields are empty */
    int bh_start_min, bh_end_min; /* business hours, minutes after midnight */
    int utc_offset_min;
    /* Holidays of `holidays` and `holidays_file` together: local dates as
     * day numbers (days since 1970-01-01), sorted, each once. */
    int64_t *holidays;
    size_t nholidays;
    char *holidays_file; /* resolved against the scenario's folder; NULL if unset */
    int has_recycle;
    double recycle_after_days;

    int has_from, has_to, has_until, has_maturity;
    int64_t from, to, until; /* microseconds since the epoch, UTC */
    double maturity_days;

    int objective; /* SCENARIO_OBJ_* */
    double obj_a, obj_b;
    char *objective_text;
    long objective_line; /* the [tune] objective line; 0 when not set */

    /* [tune] horizon_days: suggested weights count each lead's events of its
     * first horizon_days (SPEC 5.10); 0 < horizon_days <= 36500. */
    int has_horizon;
    double horizon_days;
    long horizon_line;
} scenario;

/* Read and validate PATH. Returns 0 and *out, or -1 with err (UTIL_EDATA for
 * content, UTIL_EIO for an unreadable file). */
int scenario_load(const char *path, scenario **out, util_err *err);
void scenario_free(scenario *sc);

/* Parse "60", "20, 40, 60" or "0..200 step 5" into a new array. Returns 0, or
 * -1 with a short reason in why (no file or line), or -2 when memory runs out
 * (not a fault of the text). */
int scenario_parse_numbers(const char *text, double **vals, size_t *nvals, char *why, size_t nwhy);

/* Parse a rule such as "a >= 3 and b >= 1 within 30d". Returns 0, or -1
 * with a short reason in why, or -2 when memory runs out. */
int scenario_parse_rule(const char *text, scenario_rule *rule, char *why, size_t nwhy);
void scenario_rule_fini(scenario_rule *rule);

/* Set SC's objective from TEXT, read as [tune] objective is (f1, fbeta:B,
 * precision_at_least:P, recall_at_least:R, capacity, sla:P,
 * value:WON_VALUE,HANDOFF_COST), objective_text included. Returns 0; -1 with
 * the reason in why, worded to follow the word "objective" ("fbeta:B needs a
 * number B with 0 < B <= 1e6"), SC unchanged; -2 when memory runs out. It does
 * not check what needs the rest of the scenario (capacity and sla:P need
 * [sales]). */
int scenario_set_objective(scenario *sc, const char *text, char *why, size_t nwhy);

/* Nonzero when NAME is usable as a scenario name (and so as a folder name). */
int scenario_name_ok(const char *name);

#endif
