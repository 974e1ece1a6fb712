/* recycle.h - every hand-off of every cohort lead at one threshold: the first, and those after a hand-back.
 *
 * SPEC 5.6 and 5.11. The first hand-off of a lead is its MQL time
 * (replay_mql_time). With recycle_after_days R, a lead handed off at m that
 * is not won by h = m + R days (status won, closed_at known and <= h) and
 * whose cutoff is after h is handed back at h; its new cycle counts only the
 * events with timestamp >= h (behaviour, limits, rule counts and windows
 * restart; fit stays), its candidate times are those events' timestamps (h
 * itself is not one), and the first candidate at which 5.3 holds (score or
 * behaviour at the threshold, a fast-track event, a rule) is a new hand-off,
 * which may be recycled in turn. Scores are computed as the replay computes
 * them (decimal units without decay, decimal_snap with it), so a cycle's
 * score compares with a threshold exactly as a first cycle's does.
 *
 * The engine holds the compiled scenario and the cohort's cutoffs; it reads
 * the dataset's events, so it must run before dataset_release_events. It is
 * read-only once made: threads may call recycle_handoffs at the same time.
 *
 * Not for: the queue (queue.h), the weekly figures or their writing. */
#ifndef LEADSIM_RECYCLE_H
#define LEADSIM_RECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "replay.h"
#include "scenario.h"
#include "util.h"

typedef struct recycle recycle;

/* The hand-offs of one threshold. */
typedef struct recycle_out {
    int64_t *t;        /* [n] hand-off instants, ascending (queue order: ties keep no
                        * other order that any figure depends on) */
    size_t n;          /* hand-offs */
    long recycled;     /* hand-backs */
    long requalified;  /* leads handed off more than once */
    long won_after_recycle; /* won leads with two or more hand-offs */
} recycle_out;

/* The engine for replay R of scenario SC on DS (the same as replay_run
 * had). Recycling is on when SC has recycle_after_days; without it only
 * first hand-offs exist. Returns 0 and *out, or -1 with err (memory; a
 * scenario that does not compile, as replay_run says). O(leads + types). */
int recycle_alloc(const dataset *ds, const scenario *sc, const replay *r, recycle **out,
                  util_err *err);
void recycle_free(recycle *rc);

/* Every hand-off at threshold T and fit threshold F (F ignored in
 * single-axis mode) into *out (free with recycle_out_fini). Returns 0, or
 * -1 with err (memory). Time O(leads + events after the hand-backs + n). */
int recycle_handoffs(const recycle *rc, double T, double F, recycle_out *out, util_err *err);

/* A cursor into every lead's staircase for a series of thresholds: with
 * non-decreasing T the first-cycle MQL times cost O(records) for the whole
 * series instead of per threshold (a lower T restarts it). One per thread. */
typedef struct recycle_cursor {
    size_t *k;   /* per cohort lead: first record not below last_T */
    double last_T;
    int valid;
} recycle_cursor;
int recycle_cursor_init(recycle_cursor *c, const recycle *rc);
void recycle_cursor_fini(recycle_cursor *c);
/* recycle_handoffs with cursor C (NULL: none); the same result. */
int recycle_handoffs_at(const recycle *rc, double T, double F, recycle_cursor *c,
                        recycle_out *out, util_err *err);
void recycle_out_fini(recycle_out *o);

/* The next hand-off of cohort lead CI in the cycle that starts at its
 * hand-back H (the earliest timestamp >= H of its counted events at which
 * SPEC 5.3 holds for the cycle), or TSTAMP_NONE. For tests and tools. */
int64_t recycle_cycle_mql(const recycle *rc, size_t ci, int64_t h, double T, double F);

#endif
