/* compiled.h - a scenario compiled against a dataset: what each interned event type does, each lead's fit.
 *
 * The replay's per-event loop must not look up strings. So, once per
 * replay, every event type of the dataset gets a slot saying what it does
 * in the scenario (points, a limit, fast track, rule terms), every rule's
 * terms become dataset type ids, and every value of every [fit] column its
 * points, summed per lead. The structs are open because the replay's inner
 * loop reads them directly (no call per event); only compiled_init writes
 * them.
 *
 * Not here: the cohort and the cutoffs (cohort.h), the per-lead loop
 * (replay.c). */
#ifndef LEADSIM_COMPILED_H
#define LEADSIM_COMPILED_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "decimal.h"
#include "scenario.h"
#include "util.h"

/* Largest fit points a per-unit value may give: scores stay finite (and
 * far from rounding trouble) whatever the data holds. */
#define COMPILED_MAX_UNIT_POINTS 1e15

/* What an event type does in the scenario. */
typedef struct compiled_slot {
    double points;
    int64_t units;  /* points in units of 10^-k (compiled_units), when exact */
    int limited;  /* index into the limited sums, or -1 */
    int fast;     /* a fast_track type */
    int nterms;   /* rule terms counting this type */
} compiled_slot;

/* One term `TYPE >= N` of a rule. */
typedef struct compiled_term {
    uint16_t type;   /* dataset type id */
    int present;
    long n;
} compiled_term;

/* A rule that can fire: one naming a type absent from the data never can,
 * and is left out (with a note). */
typedef struct compiled_rule {
    compiled_term *terms;
    size_t nterms;
    int windowed;
    int64_t window; /* microseconds */
} compiled_rule;

/* How the scores of a compiled scenario are computed (decimal.h): exactly
 * in units of 10^-k, or in doubles rounded by decimal_snap. What a tune grid
 * needs to make the same choice for each of its vectors is here too: the
 * fit's part of k and the bounds decimal_fits is asked with. */
typedef struct compiled_units {
    int k;            /* units of 10^-k points: the most decimal places of the
                       * numbers scores are made of, at most DECIMAL_MAX_PLACES */
    int fit_places;   /* the most places of the fit's numbers (per-unit values:
                       * those of per_unit plus those of the value); may exceed
                       * DECIMAL_MAX_PLACES */
    double fit_abs;   /* no lead's fit exceeds it in magnitude */
    long max_events;  /* most events of any lead of the dataset */
    int fit_exact;    /* every lead's fit is a whole number of units (ufit) */
    int exact;        /* no decay and decimal_fits: every score is an exact sum
                       * of units, and fit / 10^k its value */
} compiled_units;

typedef struct compiled {
    const dataset *ds;
    size_t ntypes;
    int16_t *slot_of;      /* dataset type -> slot index, -1 when the type does nothing */
    compiled_slot *slots;
    size_t nslots;
    double *limit;         /* per limited sum, in [limits] order */
    int64_t *ulimit;       /* the same in units, when exact */
    size_t nlimited;
    compiled_rule *rules;  /* in file order */
    size_t nrules;
    int decay;             /* half_life_days is set and the data has timestamps */
    double half_life_us;
    int two_axis;          /* fit_threshold is set */
    int any_rule_or_fast;
    double *fit;           /* fit points of each dataset lead (SPEC 5.2): the
                            * decimal's nearest double, or decimal_snap of
                            * their double sum when not fit_exact */
    int64_t *ufit;         /* the same in units when fit_exact, else NULL */
    compiled_units units;

    char notes[8][300];    /* what a reader should know (a type absent from the data...) */
    int nnotes;
} compiled;

/* A name of a scenario that no row of the data has. */
typedef struct compiled_absent {
    const char *name;   /* as the scenario writes it */
    const char *column; /* the [fit COLUMN] of a fit value; NULL for an event type */
    long line;          /* the scenario line naming it (the first, when several do) */
    const char *near;   /* the closest name the data has (suggest.h), or NULL */
    size_t near_len;    /* its length (names in the data are not NUL-terminated) */
} compiled_absent;

typedef void (*compiled_absent_fn)(void *ctx, const compiled_absent *a);

/* Give FN, in the order of the scenario's lines, each event type named in
 * SC ([behaviour], [limits], fast_track, rule terms) that no event of DS
 * has, once per type, and each value line of a [fit COLUMN] (not a range,
 * not per_unit) that no lead of DS has in that column; a [fit] column DS
 * lacks is compiled_init's error and is passed over here. Returns how many
 * there were; -1 when memory runs out (none was given then). Each name costs
 * a look-up, and, when absent, a look at every type or value of the column
 * for the closest one (columns of more than COMPILED_SUGGEST_MAX values are
 * not looked through). Nothing here changes what compiled_init does. */
long compiled_absent_names(const dataset *ds, const scenario *sc, compiled_absent_fn fn,
                           void *ctx);

/* Most distinct values of a column looked through for a "did you mean". */
#define COMPILED_SUGGEST_MAX 100000

/* Compile SC against DS. Errors: UTIL_EDATA naming the scenario's FILE:LINE
 * for a list or range of points or limits (a grid: tune's) and for a [fit]
 * column the leads file does not have; UTIL_EINTERNAL for memory. Call
 * compiled_fini either way. Time O(types + attribute values + leads). */
int compiled_init(compiled *p, const dataset *ds, const scenario *sc, util_err *err);
/* Free what P holds; P may be all zeros. */
void compiled_fini(compiled *p);

#endif
