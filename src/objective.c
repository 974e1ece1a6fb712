/* objective.c - the objectives of [tune], the weekly capacity, and the rules that pick a row.
 *
 * The formulas of objective.h, over counts only: nothing here knows a
 * replay, a sweep or a file. The running pick keeps the keys of its two rows
 * beside their indices, so offering a row reads no table. */
#include "objective.h"

#include <math.h>

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

double objective_capacity(const scenario *sc) {
    return sc->has_sales ? sc->reps * sc->followups_per_rep_per_day * 5 : NAN;
}

void objective_init(objective_spec *o, const scenario *sc, int timed) {
    o->kind = sc->objective;
    o->a = sc->obj_a;
    o->b = sc->obj_b;
    o->timed = timed;
    o->capacity = objective_capacity(sc);
}

double objective_value(const objective_spec *o, long tp, long fp, long won, double wp90) {
    double P = ratio((double)tp, (double)(tp + fp));
    double R = ratio((double)tp, (double)won);
    switch (o->kind) {
    case SCENARIO_OBJ_F1:
    case SCENARIO_OBJ_FBETA: {
        /* (1 + B^2) tp / ((1 + B^2) tp + B^2 fn + fp), as review counts it
         * (SPEC 5.11), written as review.c writes it so the two agree to the
         * bit: one division of whole counts (for F1), so rows whose F is equal
         * on paper tie exactly and the tie rule decides, as with exact
         * fractions; 0 where no won lead is handed off (a sweep in which no
         * threshold catches a won deal still has a pick), undefined only with
         * neither a hand-off nor a won lead. The f1 column keeps SPEC 5.4's
         * 2PR / (P + R), empty when P + R is 0. */
        double b2 = o->kind == SCENARIO_OBJ_F1 ? 1 : o->a * o->a;
        double d = (1 + b2) * (double)tp + b2 * (double)(won - tp) + (double)fp;
        return d > 0 ? (1 + b2) * (double)tp / d : NAN;
    }
    case SCENARIO_OBJ_PRECISION_AT_LEAST:
        return !isnan(P) && P >= o->a ? R : NAN;
    case SCENARIO_OBJ_RECALL_AT_LEAST:
        return !isnan(R) && R >= o->a ? -(double)(tp + fp) : NAN;
    case SCENARIO_OBJ_CAPACITY:
        if (!o->timed || isnan(o->capacity)) return NAN;
        return isnan(wp90) || wp90 <= o->capacity ? R : NAN;
    case SCENARIO_OBJ_VALUE:
        return (double)tp * o->a - (double)(tp + fp) * o->b;
    case SCENARIO_OBJ_SLA:
        return NAN; /* needs the queue: objective_value_sla */
    }
    return NAN;
}

double objective_value_sla(const objective_spec *o, long tp, long won, double attainment) {
    double R = ratio((double)tp, (double)won);
    return !isnan(R) && !isnan(attainment) && attainment >= o->a ? R : NAN;
}

double objective_value_fixed(const objective_spec *o, long tp, long fp, long won, double fixed) {
    return o->kind == SCENARIO_OBJ_SLA ? objective_value_sla(o, tp, won, fixed)
                                       : objective_value(o, tp, fp, won, fixed);
}

int objective_better(double va, long mqa, double Ta, double Fa, double vb, long mqb, double Tb,
                     double Fb) {
    if (isnan(vb)) return !isnan(va);
    if (isnan(va)) return 0;
    if (va != vb) return va > vb;
    if (mqa != mqb) return mqa < mqb;
    if (Ta != Tb) return Ta > Tb;
    return Fa > Fb;
}

void objective_pick_init(objective_pick *p) {
    *p = (objective_pick){.best = -1, .second = -1, .bv = NAN, .sv = NAN};
}

void objective_pick_offer(objective_pick *p, long j, double v, long mq, double T, double F) {
    if (j < 0 || isnan(v)) return;
    /* most offers are below the second's value, and so below the best's:
     * the order is by value first */
    if (p->second >= 0 && v < p->sv) return;
    if (p->best < 0 || objective_better(v, mq, T, F, p->bv, p->bmq, p->bT, p->bF)) {
        p->second = p->best, p->sv = p->bv, p->smq = p->bmq, p->sT = p->bT, p->sF = p->bF;
        p->best = j, p->bv = v, p->bmq = mq, p->bT = T, p->bF = F;
    } else if (p->second < 0 || objective_better(v, mq, T, F, p->sv, p->smq, p->sT, p->sF)) {
        p->second = j, p->sv = v, p->smq = mq, p->sT = T, p->sF = F;
    }
}

void objective_pick_merge(objective_pick *p, const objective_pick *q) {
    objective_pick_offer(p, q->best, q->bv, q->bmq, q->bT, q->bF);
    objective_pick_offer(p, q->second, q->sv, q->smq, q->sT, q->sF);
}

const char *objective_name(int kind) {
    switch (kind) {
    case SCENARIO_OBJ_F1: return "F1";
    case SCENARIO_OBJ_FBETA: return "F-beta";
    case SCENARIO_OBJ_PRECISION_AT_LEAST: return "recall, among rows with enough precision";
    case SCENARIO_OBJ_RECALL_AT_LEAST: return "fewest hand-offs, among rows with enough recall";
    case SCENARIO_OBJ_CAPACITY: return "recall, among rows within capacity";
    case SCENARIO_OBJ_SLA: return "recall, among rows that keep the SLA";
    default: return "expected value";
    }
}
