/* cohort.h - SPEC 5.1 in one place: who is in the cohort, each lead's cutoff, its counted events.
 *
 * Every engine that looks at a lead's history asks here: the replay, the
 * tune methods, and whatever else counts events per lead. A cohort is the
 * [evaluation] window of a scenario applied to a dataset: `until` (default:
 * the dataset's latest timestamp), the bounds on created_at and
 * maturity_days. A snapshot (a dataset without timestamps) has no window:
 * every lead is in it and nothing is cut off.
 *
 * Per lead, cohort_outcome() is the one rule that says what was known as of
 * `until`: the lead's status and its cutoff (an outcome closed after until
 * was not known: the lead is open). cohort_events() gives the lead's
 * counted events, those with created_at <= timestamp < cutoff, as a range of
 * the dataset's event columns (a lead's events are sorted by time, so they
 * are contiguous). Both are inline: they run once per lead on the replay's
 * path, a million times a second.
 *
 * Nothing here scores anything: what an event is worth is the compiled
 * scenario's business (compiled.h). */
#ifndef LEADSIM_COHORT_H
#define LEADSIM_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "scenario.h"
#include "tstamp.h"

typedef struct cohort {
    const dataset *ds;
    int timed;          /* the dataset has timestamps (0: a snapshot, no window) */
    int64_t until;      /* end of observation: [evaluation] until, else the latest
                         * timestamp of the dataset, else 0 */
    int has_from, has_to;
    int64_t from, to;   /* from <= created_at < to, each when set */
    int64_t mature_by;  /* created_at <= mature_by (until - maturity_days);
                         * INT64_MAX without maturity_days */
    int window_ignored; /* a snapshot whose scenario sets from, to, until or
                         * maturity_days: they were ignored, and a reader
                         * should be told */
} cohort;

/* The cohort of scenario SC's [evaluation] on DS. Cannot fail; DS must
 * outlive C. */
void cohort_init(cohort *c, const dataset *ds, const scenario *sc);

/* 1 when dataset lead LI is in the cohort. */
int cohort_has(const cohort *c, size_t li);

/* The dataset indices of the cohort's leads, ascending, into LEAD (room for
 * ds->nleads); returns how many. Time O(leads). */
size_t cohort_select(const cohort *c, uint32_t *lead);

/* What was known of dataset lead LI as of until (SPEC 5.1): returns its
 * status (DATASET_OPEN, _WON or _LOST) and sets *CUTOFF. A won or lost lead
 * whose closed_at is known and at or before until keeps its status and is
 * cut off at closed_at. One whose closed_at is after until was not known to
 * be closed then: it is open and cut off at until, so that neither its
 * outcome nor its events after until reach the replay. A won or lost lead
 * without closed_at keeps its status and is cut off at until. In a snapshot
 * the status is kept and nothing is cut off (INT64_MAX). This is the only
 * place the rule is written: every engine asks here. */
static inline int cohort_outcome(const cohort *c, size_t li, int64_t *cutoff) {
    const dataset *ds = c->ds;
    int status = ds->status[li];
    *cutoff = c->timed ? c->until : INT64_MAX;
    if (c->timed && status != DATASET_OPEN && ds->closed[li] != TSTAMP_NONE) {
        if (ds->closed[li] <= c->until) *cutoff = ds->closed[li];
        else status = DATASET_OPEN; /* closed after until: not known as of until */
    }
    return status;
}

/* A lead's counted events: ds->ev_*[first .. end). */
typedef struct cohort_span {
    size_t first, end;
} cohort_span;

/* The counted events of dataset lead LI created at CREATED with cutoff
 * CUTOFF: those with CREATED <= timestamp < CUTOFF (an event at created_at
 * counts, one at the cutoff does not). Empty when CUTOFF <= CREATED. Time
 * O(log events) plus the events before CREATED (the loader drops those). */
static inline cohort_span cohort_events(const dataset *ds, size_t li, int64_t created,
                                        int64_t cutoff) {
    size_t a = ds->ev_off[li], b = ds->ev_off[li + 1];
    while (a < b && ds->ev_time[a] < created) a++;
    size_t lo = a, hi = b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->ev_time[mid] < cutoff) lo = mid + 1;
        else hi = mid;
    }
    return (cohort_span){a, lo};
}

#endif
