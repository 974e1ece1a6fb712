/* staff.h - how many reps a threshold's hand-offs need: the queue replayed, and the steady-state Erlang C answer.
 *
 * Two answers side by side, so that a reader sees what Monday backlogs and
 * campaign peaks need beyond the average:
 *   - replayed: the fewest reps at which the follow-up queue of the
 *     threshold's actual hand-offs (sales.h, with reps * followups per day
 *     slots a business day) keeps the SLA (attainment >= a target), and the
 *     fewest at which at least 95% of the cohort's weeks stay within that
 *     week's slots. Both are monotone in reps (more slots never delay a
 *     follow-up or remove a slot), so a doubling then a bisection finds them
 *     in O(log reps) queue replays;
 *   - steady state (M/M/c, Erlang C): arrivals at the average rate lambda
 *     (hand-offs per business hour over the cohort's business time), each
 *     rep serving mu = followups_per_rep_per_day / H per business hour; the
 *     fewest agents c with P(wait <= SLA) = 1 - C(c, a) e^{-(c mu - lambda) t}
 *     >= target, a = lambda / mu; and the fewest that carry the average load
 *     (c > a).
 * Pure numbers. */
#ifndef LEADSIM_STAFF_H
#define LEADSIM_STAFF_H

#include "sales.h"
#include "util.h"

/* Most reps any search tries: beyond, the answer is "more than this". */
#define STAFF_MAX_REPS 100000L

/* Erlang C: the probability that an arrival waits, with C agents and
 * offered load A = lambda / mu (0 <= A < C); 1 when A >= C. */
double staff_erlang_c(long c, double a);

/* P(wait <= T) in M/M/C with arrival rate LAMBDA and service rate MU per
 * agent (same time unit as T); 0 when the queue is unstable. */
double staff_mmc_within(long c, double lambda, double mu, double t);

/* The fewest agents with P(wait <= T) >= TARGET; 0 when lambda is 0 (no
 * arrivals need nobody); -1 when more than STAFF_MAX_REPS would be needed. */
long staff_erlang_agents(double lambda, double mu, double t, double target);

/* Staffing of one threshold. Counts are -1 when not found within
 * STAFF_MAX_REPS (or, for the SLA, when there is no SLA; 0 with no hand-off). */
typedef struct staff_row {
    double target;        /* the SLA attainment asked for */
    long reps_sla;        /* replayed: fewest reps with attainment >= target */
    double att_sla;       /* the attainment at reps_sla */
    long reps_weeks;      /* replayed: fewest reps with >= 95% of weeks within slots */
    long reps_erlang;     /* steady state: fewest with P(wait <= SLA) >= target */
    long reps_load;       /* steady state: fewest that carry the average load */
    double lambda_h;      /* hand-offs per business hour */
    double mu_h;          /* follow-ups per rep per business hour */
} staff_row;

/* Staff ROW (evaluated with s, its hand-offs kept) for SLA attainment
 * TARGET. Returns 0, or -1 with err (memory). */
int staff_eval(const sales *s, const sales_row *row, double target, staff_row *out,
               util_err *err);

#endif
