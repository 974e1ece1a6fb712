/* replay.h - replaying lead histories under a scenario (SPEC 5.2, 5.3) over its cohort (SPEC 5.1).
 *
 * Who is in the cohort and which events count is cohort.h's; what each
 * event type and attribute value does, compiled.h's. One pass over each
 * cohort lead's counted events yields everything any threshold needs: the
 * lead's fit, the earliest time a fast-track event or a rule qualified it
 * (threshold-free), and its staircase: the successive
 * record values of the score (or of behaviour, in two-axis mode) with the time
 * each was first reached. For threshold T the lead's MQL time is the earlier
 * of the fast time and the time of the first record >= T; so a list of
 * thresholds, or the sweep of all of them, costs one replay. */
#ifndef LEADSIM_REPLAY_H
#define LEADSIM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "compiled.h"
#include "dataset.h"
#include "scenario.h"
#include "util.h"

typedef struct replay {
    size_t n;          /* cohort leads */
    uint32_t *lead;    /* dataset index of each */
    int64_t *created;  /* created_at */
    uint8_t *won;      /* status is won */
    double *amount;    /* amount, NaN when none */
    double *fit;       /* fit points */
    int64_t *fast;     /* earliest fast-track or rule time; TSTAMP_NONE when never */
    /* Scores (st_val, fit) are decimal.h's: the nearest doubles to exact
     * decimals, or doubles rounded to 10^-9; units says which, and what a
     * tune grid needs to know of it. */
    size_t *st_off;    /* staircase of lead i: [st_off[i], st_off[i+1]) */
    double *st_val;    /* strictly increasing record values */
    int64_t *st_time;  /* time each record was first reached */
    size_t nst;
    double *st_map_val;  /* the address space st_val and st_time lie in when */
    int64_t *st_map_time; /* replay_run made them (st_map_len bytes each), */
    size_t st_map_len;   /* else 0 and they are malloc'd */

    int threads;       /* threads the replay ran on (freeing uses them too) */
    int two_axis;      /* staircase values are behaviour only */
    int timed;         /* the dataset has timestamps (not a snapshot) */
    compiled_units units; /* how the scores were computed */
    int64_t until;     /* end of observation used */
    int64_t tmin, tmax; /* earliest and latest staircase or fast time (INT64_MAX and
                         * INT64_MIN when there is none) */
    long counted_events;
    long nwon;
    double won_amount; /* sum of amounts over won cohort leads */
    int has_amount;

    char notes[8][300]; /* things a reader of the results should know */
    int nnotes;
} replay;

/* Replay scenario SC over dataset DS using NTHREADS threads (the result does
 * not depend on it). Errors: UTIL_EDATA when the scenario does not fit the
 * dataset (e.g. a [fit] column that does not exist), naming the scenario's
 * FILE:LINE; UTIL_EINTERNAL for memory (or address space: the staircases
 * get a reservation of 16 bytes per event and lead, of which only what they
 * use is ever made). Time O(events + leads). */
int replay_run(const dataset *ds, const scenario *sc, int nthreads, replay **out, util_err *err);
void replay_free(replay *r);

/* MQL time of cohort lead i at threshold T and fit threshold F (F ignored in
 * single-axis mode), or TSTAMP_NONE when it never qualifies. */
int64_t replay_mql_time(const replay *r, size_t i, double T, double F);

#endif
