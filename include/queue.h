/* queue.h - the follow-up queue of one threshold: slots taken first come, first served; waits; weeks.
 *
 * SPEC 5.5 and 5.11. Input: the hand-off instants of one queue (one
 * threshold, or threshold and fit threshold) already in queue order, that
 * is sorted by time with ties ordered as the SPEC says (the leads' order in
 * the leads file, then earlier hand-off first; the caller orders them), the
 * calendar, C slots a business day and the SLA. Output: per hand-off its
 * slot and wait, the queue's figures, and per ISO week (UTC) the weekly.csv
 * fields. A pure engine: plain numbers, no text.
 *
 * Cost: O(n + weeks + days crossed) for the queue and the weeks, plus
 * O(n) on average to select the waits of the two quantiles. */
#ifndef LEADSIM_QUEUE_H
#define LEADSIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "bizcal.h"
#include "util.h"

#define QUEUE_USEC_PER_WEEK (INT64_C(7) * TSTAMP_USEC_PER_DAY)

/* What a queue needs besides the hand-offs. */
typedef struct queue_params {
    int64_t per_day;    /* C = reps * followups_per_rep_per_day, >= 1 */
    int has_sla;        /* sla_business_hours was given */
    double sla_hours;   /* SLA met when wait <= sla_hours */
    /* Optional: widen the weeks to cover [week_from, week_to] too (any
     * instants; their ISO weeks are taken). TSTAMP_NONE = no widening. */
    int64_t week_from, week_to;
} queue_params;

/* One ISO week (Monday 00:00 UTC). */
typedef struct queue_week {
    int64_t start;       /* Monday 00:00:00 UTC */
    int64_t slots;       /* slots whose instant is in the week (0 before the first slot day) */
    long handoffs;       /* hand-offs whose hand-off instant is in the week */
    long followed_up;    /* hand-offs whose slot is in the week */
    long backlog_end;    /* arrived before the week's end, followed up at or after it */
    long sla_met;        /* the week's hand-offs (by hand-off instant) whose wait met the SLA */
} queue_week;

typedef struct queue {
    size_t n;            /* hand-offs */
    bizcal_plan plan;    /* the slots (first slot day from the earliest hand-off); unset when n = 0 */
    bizcal_slot *slot;   /* [n] each hand-off's slot */
    double *wait_h;      /* [n] B(hand-off, slot) in hours */
    /* Figures; NAN when undefined: sla_attainment without an SLA or with no
     * hand-off, the wait quantiles (R type 7) with no hand-off. */
    double sla_attainment;
    double wait_median_h, wait_p90_h;
    long sla_met;        /* hand-offs whose wait met the SLA (0 without one) */
    long backlog_max;    /* 0 with no hand-off */
    long weeks_over_capacity;
    /* Weeks, consecutive, from the first hand-off's week to the last
     * follow-up's week (widened by params), empty weeks included; none when
     * n = 0 and no widening. */
    queue_week *weeks;
    size_t nweeks;
} queue;

/* Run the queue of the n hand-offs t[0..n) (non-decreasing; equal instants
 * keep their order) on calendar bc. Returns 0 and *out, or -1 with err
 * (UTIL_EINTERNAL when memory runs out; UTIL_EDATA when t is not in order
 * or per_day < 1, a caller's mistake). */
int queue_run(const bizcal *bc, const queue_params *params, const int64_t *t, size_t n,
              queue **out, util_err *err);
void queue_free(queue *q);

/* Slots of the queue's plan in the ISO week starting at week_start (also
 * for weeks outside q->weeks); 0 when the queue has no hand-off. O(log h). */
int64_t queue_week_slots(const queue *q, int64_t week_start);

#endif
