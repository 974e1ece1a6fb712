/* objective.h - the objectives of [tune], the weekly capacity, and the rules that pick a row.
 *
 * One home for what makes a threshold "best": the value of a candidate row
 * under the scenario's objective, computed from plain counts (tp, fp, won,
 * the 90th percentile of weekly hand-offs), and the order in which rows are
 * picked, ties included. The sweep, the tune methods and anything else that
 * recommends a threshold ask here, so they agree to the last tie.
 *
 * Not for: computing the counts (replay, sweep, metrics) or writing them. */
#ifndef LEADSIM_OBJECTIVE_H
#define LEADSIM_OBJECTIVE_H

#include "scenario.h"

/* An objective with everything its value depends on. */
typedef struct objective_spec {
    int kind;         /* SCENARIO_OBJ_* */
    double a, b;      /* the scenario's obj_a, obj_b: beta; a precision or recall
                       * target; or the value of a won deal and the cost of a hand-off */
    int timed;        /* the data has times (else weekly hand-offs are unknown) */
    double capacity;  /* hand-offs the team follows up per week; NaN without [sales] */
} objective_spec;

/* The hand-offs the sales team follows up per week: reps times follow-ups
 * per rep per day times five working days. NaN when SC has no [sales]. */
double objective_capacity(const scenario *sc);

/* SC's objective on data that has times when TIMED. */
void objective_init(objective_spec *o, const scenario *sc, int timed);

/* The objective's value at a row with TP true and FP false positives among
 * WON won leads, whose weekly hand-offs have 90th percentile WP90 (NaN when
 * unknown). Precision is tp / (tp + fp), recall tp / won. Returns NaN when
 * the value is undefined (a zero denominator) or the row fails the
 * objective's constraint; higher is better:
 *   f1                     2PR / (P + R)
 *   fbeta:B                (1 + B^2) PR / (B^2 P + R)
 *   precision_at_least:X   R, where P >= X
 *   recall_at_least:X      -(tp + fp) (fewest hand-offs), where R >= X
 *   capacity               R, where WP90 <= capacity or WP90 is NaN (no
 *                          hand-off week); NaN without times or capacity
 *   value:V,C              tp * V - (tp + fp) * C (defined even when won is 0)
 *   sla:P                  NaN: it needs the row's queue (objective_value_sla) */
double objective_value(const objective_spec *o, long tp, long fp, long won, double wp90);
/* sla:P at a row with TP of WON won leads whose follow-ups have SLA
 * ATTAINMENT (NaN when unknown): the recall when attainment >= P, else NaN. */
double objective_value_sla(const objective_spec *o, long tp, long won, double attainment);

/* The value at a resampled row whose constraint figure FIXED is held at
 * its full-data value (a bootstrap resample reweights the leads but replays
 * no week or queue): objective_value with FIXED as the weekly p90, except
 * under sla:P, where FIXED is the row's SLA attainment (objective_value_sla). */
double objective_value_fixed(const objective_spec *o, long tp, long fp, long won, double fixed);

/* Is row a better pick than row b? Each is its value V (NaN: not a
 * candidate), its hand-offs MQ, threshold T and fit threshold F (NaN in
 * single-axis mode). Higher value; then fewer hand-offs; then the higher
 * threshold (a stricter definition for the same result); then the higher fit
 * threshold. A candidate beats a non-candidate; two non-candidates: 0. */
int objective_better(double va, long mqa, double Ta, double Fa, double vb, long mqb, double Tb,
                     double Fb);

/* A running pick of the best and the second-best row: rows offered in any
 * order give the same pick, since no two rows share T and F (the order of
 * objective_better is total on them), and picks made over parts of the rows
 * and offered to each other (objective_pick_merge) agree with one pick over
 * all of them. */
typedef struct objective_pick {
    long best, second;    /* row indices, -1 when none */
    double bv, bT, bF;    /* the best's value and thresholds */
    long bmq;             /* and hand-offs */
    double sv, sT, sF;    /* the second's */
    long smq;
} objective_pick;

void objective_pick_init(objective_pick *p);
/* Offer row J (value V, hand-offs MQ, thresholds T, F); NaN V is no candidate. */
void objective_pick_offer(objective_pick *p, long j, double v, long mq, double T, double F);
/* Offer into P the best and second of Q. */
void objective_pick_merge(objective_pick *p, const objective_pick *q);

/* What the objective maximises, in words ("F1", "recall, among rows within
 * capacity"), for the recommendation's sentence. */
const char *objective_name(int kind);

#endif
