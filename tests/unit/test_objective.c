/* test_objective.c - unit tests for objective: every objective's value, the capacity, the pick.
 *
 * Every expected number is worked out by hand from the counts written in the
 * test (P = tp / (tp + fp), R = tp / won), and every pick from the order of
 * objective.h: higher value, fewer hand-offs, higher threshold, higher fit
 * threshold. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "objective.h"

#define EPS 1e-12

static void assert_near(double got, double want) {
    if (!(fabs(got - want) <= EPS)) fail_msg("got %.17g, want %.17g", got, want);
}

static objective_spec obj(int kind, double a, double b) {
    return (objective_spec){.kind = kind, .a = a, .b = b, .timed = 1, .capacity = NAN};
}

/* Rows of a small sweep: (T, tp, fp, wp90), won = 10 throughout. */
typedef struct row {
    double T;
    long tp, fp;
    double wp90;
} row;

static const row rows[] = {
    {10, 8, 12, 9}, /* P 0.4,   R 0.8 */
    {20, 6, 4, 6},  /* P 0.6,   R 0.6 */
    {30, 5, 1, 4},  /* P 5/6,   R 0.5 */
    {40, 2, 0, 1},  /* P 1,     R 0.2 */
};
enum { NROWS = 4, WON = 10 };

/* The pick over the rows, in order: best and second. */
static void pick_rows(const objective_spec *o, long *best, long *second) {
    objective_pick p;
    objective_pick_init(&p);
    for (long j = 0; j < NROWS; j++) {
        const row *w = &rows[j];
        objective_pick_offer(&p, j, objective_value(o, w->tp, w->fp, WON, w->wp90), w->tp + w->fp,
                             w->T, NAN);
    }
    *best = p.best;
    *second = p.second;
}

static void expect_pick(const objective_spec *o, long best, long second) {
    long b, s;
    pick_rows(o, &b, &s);
    assert_int_equal(b, best);
    assert_int_equal(s, second);
}

static void test_f1(void **state) {
    (void)state;
    objective_spec o = obj(SCENARIO_OBJ_F1, 0, 0);
    /* 2PR/(P+R): 0.64/1.2, 0.72/1.2, (5/6)/(4/3), 0.4/1.2 */
    assert_near(objective_value(&o, 8, 12, WON, NAN), 0.64 / 1.2);
    assert_near(objective_value(&o, 6, 4, WON, NAN), 0.6);
    assert_near(objective_value(&o, 5, 1, WON, NAN), 0.625);
    assert_near(objective_value(&o, 2, 0, WON, NAN), 1.0 / 3);
    expect_pick(&o, 2, 1);
    /* 2 tp / (2 tp + fp + fn): 0 where no won lead is an MQL, whether there
     * are no hand-offs, no won deals, or hand-offs and won deals apart;
     * undefined only with neither a hand-off nor a won deal */
    assert_true(objective_value(&o, 0, 0, WON, NAN) == 0);
    assert_true(objective_value(&o, 0, 3, 0, NAN) == 0);
    assert_true(objective_value(&o, 0, 3, WON, NAN) == 0);
    assert_true(isnan(objective_value(&o, 0, 0, 0, NAN)));
    /* so a table where no row catches a won deal has a pick: fewer
     * hand-offs, then the higher threshold */
    objective_pick p;
    objective_pick_init(&p);
    objective_pick_offer(&p, 0, objective_value(&o, 0, 5, WON, NAN), 5, 10, NAN);
    objective_pick_offer(&p, 1, objective_value(&o, 0, 2, WON, NAN), 2, 20, NAN);
    objective_pick_offer(&p, 2, objective_value(&o, 0, 2, WON, NAN), 2, 15, NAN);
    assert_int_equal(p.best, 1);
    assert_int_equal(p.second, 2);
    /* equal on paper, equal in bits: won 2, (tp 1, fp 3) and (tp 2, fp 8) both
     * 1 / 3 (2 P R / (P + R) gives the second 0.33333333333333337, which
     * would win), so the tie rule picks the fewer hand-offs */
    assert_true(objective_value(&o, 1, 3, 2, NAN) == objective_value(&o, 2, 8, 2, NAN));
    objective_pick_init(&p);
    objective_pick_offer(&p, 0, objective_value(&o, 2, 8, 2, NAN), 10, 10, NAN);
    objective_pick_offer(&p, 1, objective_value(&o, 1, 3, 2, NAN), 4, 5, NAN);
    assert_int_equal(p.best, 1);
}

static void test_fixed(void **state) {
    (void)state;
    /* sla:0.8: the fixed figure is the attainment; others: the weekly p90 */
    objective_spec o = obj(SCENARIO_OBJ_SLA, 0.8, 0);
    assert_near(objective_value_fixed(&o, 6, 4, WON, 0.8), 0.6);
    assert_true(isnan(objective_value_fixed(&o, 6, 4, WON, 0.79)));
    assert_true(isnan(objective_value_fixed(&o, 6, 4, WON, NAN)));
    assert_true(isnan(objective_value_fixed(&o, 0, 4, 0, 1)));
    o = obj(SCENARIO_OBJ_CAPACITY, 0, 0);
    o.capacity = 5;
    assert_near(objective_value_fixed(&o, 5, 1, WON, 4), 0.5);
    assert_true(isnan(objective_value_fixed(&o, 6, 4, WON, 6)));
}

static void test_fbeta(void **state) {
    (void)state;
    /* beta 2: 5PR / (4P + R); row 0: 5*0.32 / 2.4 = 2/3; row 1: 1.8/3 = 0.6;
     * row 2: (25/12) / (23/6) = 25/46; row 3: 1/4.2 */
    objective_spec o = obj(SCENARIO_OBJ_FBETA, 2, 0);
    assert_near(objective_value(&o, 8, 12, WON, NAN), 2.0 / 3);
    assert_near(objective_value(&o, 6, 4, WON, NAN), 0.6);
    assert_near(objective_value(&o, 5, 1, WON, NAN), 25.0 / 46);
    assert_near(objective_value(&o, 2, 0, WON, NAN), 1 / 4.2);
    expect_pick(&o, 0, 1);
    /* beta 1 is F1 */
    objective_spec f1 = obj(SCENARIO_OBJ_F1, 0, 0), b1 = obj(SCENARIO_OBJ_FBETA, 1, 0);
    assert_near(objective_value(&b1, 6, 4, WON, NAN), objective_value(&f1, 6, 4, WON, NAN));
    assert_true(objective_value(&o, 0, 0, WON, NAN) == 0);
    assert_true(objective_value(&o, 0, 4, WON, NAN) == 0);
    assert_true(isnan(objective_value(&o, 0, 0, 0, NAN)));
}

static void test_precision_at_least(void **state) {
    (void)state;
    objective_spec o = obj(SCENARIO_OBJ_PRECISION_AT_LEAST, 0.6, 0);
    assert_true(isnan(objective_value(&o, 8, 12, WON, NAN))); /* 0.4 < 0.6 */
    assert_near(objective_value(&o, 6, 4, WON, NAN), 0.6);    /* 0.6 >= 0.6: recall */
    assert_near(objective_value(&o, 5, 1, WON, NAN), 0.5);
    assert_true(isnan(objective_value(&o, 0, 0, WON, NAN)));  /* precision undefined */
    expect_pick(&o, 1, 2);
    o.a = 0.9; /* only row 3 */
    expect_pick(&o, 3, -1);
}

static void test_recall_at_least(void **state) {
    (void)state;
    objective_spec o = obj(SCENARIO_OBJ_RECALL_AT_LEAST, 0.5, 0);
    assert_near(objective_value(&o, 8, 12, WON, NAN), -20); /* fewest hand-offs */
    assert_near(objective_value(&o, 5, 1, WON, NAN), -6);
    assert_true(isnan(objective_value(&o, 2, 0, WON, NAN))); /* 0.2 < 0.5 */
    assert_true(isnan(objective_value(&o, 0, 0, 0, NAN)));   /* recall undefined */
    expect_pick(&o, 2, 1);
}

static void test_capacity(void **state) {
    (void)state;
    scenario sc;
    memset(&sc, 0, sizeof sc);
    assert_true(isnan(objective_capacity(&sc))); /* no [sales] */
    sc.has_sales = 1;
    sc.reps = 2;
    sc.followups_per_rep_per_day = 0.5;
    assert_near(objective_capacity(&sc), 5); /* 2 * 0.5 * 5 working days */
    sc.objective = SCENARIO_OBJ_CAPACITY;
    objective_spec o;
    objective_init(&o, &sc, 1);
    assert_int_equal(o.kind, SCENARIO_OBJ_CAPACITY);
    assert_near(o.capacity, 5);
    /* recall where wp90 <= 5: rows 2 (wp90 4) and 3 (1) */
    assert_true(isnan(objective_value(&o, 6, 4, WON, 6)));
    assert_near(objective_value(&o, 5, 1, WON, 5), 0.5); /* at capacity is within */
    assert_near(objective_value(&o, 5, 1, WON, NAN), 0.5); /* no hand-off week */
    expect_pick(&o, 2, 3);
    o.timed = 0; /* no weekly counts without times */
    assert_true(isnan(objective_value(&o, 5, 1, WON, 4)));
    expect_pick(&o, -1, -1);
    o.timed = 1;
    o.capacity = NAN; /* no [sales] */
    assert_true(isnan(objective_value(&o, 5, 1, WON, 4)));
}

static void test_value(void **state) {
    (void)state;
    /* value:100,30: 100 tp - 30 (tp + fp): 800-600, 600-300, 500-180, 200-60 */
    objective_spec o = obj(SCENARIO_OBJ_VALUE, 100, 30);
    assert_near(objective_value(&o, 8, 12, WON, NAN), 200);
    assert_near(objective_value(&o, 6, 4, WON, NAN), 300);
    assert_near(objective_value(&o, 5, 1, WON, NAN), 320);
    assert_near(objective_value(&o, 2, 0, WON, NAN), 140);
    expect_pick(&o, 2, 1);
    /* defined without won deals or hand-offs */
    assert_near(objective_value(&o, 0, 4, 0, NAN), -120);
    assert_near(objective_value(&o, 0, 0, 0, NAN), 0);
}

/* Equal values: fewer hand-offs, then the higher threshold, then the higher fit threshold. */
static void test_ties(void **state) {
    (void)state;
    assert_true(objective_better(1, 5, 10, NAN, 1, 6, 20, NAN));
    assert_false(objective_better(1, 6, 20, NAN, 1, 5, 10, NAN));
    assert_true(objective_better(1, 5, 20, NAN, 1, 5, 10, NAN));
    assert_false(objective_better(1, 5, 10, NAN, 1, 5, 20, NAN));
    assert_true(objective_better(1, 5, 10, 3, 1, 5, 10, 2));
    assert_false(objective_better(1, 5, 10, 2, 1, 5, 10, 3));
    assert_false(objective_better(1, 5, 10, 2, 1, 5, 10, 2)); /* the same row */
    assert_true(objective_better(2, 50, 1, NAN, 1, 5, 10, NAN)); /* value first */
    assert_true(objective_better(-1, 5, 1, NAN, NAN, 1, 1, NAN)); /* a candidate beats none */
    assert_false(objective_better(NAN, 5, 1, NAN, -1, 1, 1, NAN));
    assert_false(objective_better(NAN, 5, 1, NAN, NAN, 1, 1, NAN));
    /* value:0,0 makes every row worth 0: the fewest hand-offs win, row 3 then 2 */
    objective_spec o = obj(SCENARIO_OBJ_VALUE, 0, 0);
    expect_pick(&o, 3, 2);
    /* two rows with the same value and hand-offs: the higher threshold */
    objective_pick p;
    objective_pick_init(&p);
    objective_pick_offer(&p, 0, 0.5, 10, 1, NAN);
    objective_pick_offer(&p, 1, 0.5, 10, 2, NAN);
    objective_pick_offer(&p, 2, 0.5, 10, 1.5, NAN);
    assert_int_equal(p.best, 1);
    assert_int_equal(p.second, 2);
}

/* No row satisfies the objective: no pick, and NaN offers change nothing. */
static void test_no_feasible_row(void **state) {
    (void)state;
    objective_spec o = obj(SCENARIO_OBJ_PRECISION_AT_LEAST, 1.5, 0);
    expect_pick(&o, -1, -1);
    o = obj(SCENARIO_OBJ_RECALL_AT_LEAST, 0.9, 0);
    expect_pick(&o, -1, -1);
    objective_pick p;
    objective_pick_init(&p);
    objective_pick_offer(&p, 0, NAN, 1, 1, NAN);
    objective_pick_offer(&p, -1, 3, 1, 1, NAN); /* no row */
    assert_int_equal(p.best, -1);
    assert_int_equal(p.second, -1);
    objective_pick_offer(&p, 4, 0.1, 1, 1, NAN); /* a single candidate: no second */
    assert_int_equal(p.best, 4);
    assert_int_equal(p.second, -1);
}

/* Picks over parts, merged, agree with one pick over every row, whatever the cut. */
static void test_merge(void **state) {
    (void)state;
    double v[] = {0.3, 0.7, NAN, 0.7, 0.1, 0.9, 0.9, NAN, 0.2};
    long mq[] = {9, 5, 1, 4, 7, 3, 3, 2, 8};
    enum { N = 9 };
    objective_pick one;
    objective_pick_init(&one);
    for (long j = 0; j < N; j++) objective_pick_offer(&one, j, v[j], mq[j], (double)j, NAN);
    assert_int_equal(one.best, 6); /* 0.9 with 3 hand-offs at the higher threshold */
    assert_int_equal(one.second, 5);
    for (long cut1 = 0; cut1 <= N; cut1++)
        for (long cut2 = cut1; cut2 <= N; cut2++) {
            objective_pick part[3], all;
            long lo[3] = {0, cut1, cut2}, hi[3] = {cut1, cut2, N};
            objective_pick_init(&all);
            for (int k = 0; k < 3; k++) {
                objective_pick_init(&part[k]);
                for (long j = lo[k]; j < hi[k]; j++)
                    objective_pick_offer(&part[k], j, v[j], mq[j], (double)j, NAN);
            }
            for (int k = 2; k >= 0; k--) objective_pick_merge(&all, &part[k]);
            assert_int_equal(all.best, one.best);
            assert_int_equal(all.second, one.second);
        }
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(objective_name(SCENARIO_OBJ_F1), "F1");
    assert_string_equal(objective_name(SCENARIO_OBJ_FBETA), "F-beta");
    assert_string_equal(objective_name(SCENARIO_OBJ_CAPACITY),
                        "recall, among rows within capacity");
    assert_string_equal(objective_name(SCENARIO_OBJ_VALUE), "expected value");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f1),
        cmocka_unit_test(test_fbeta),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_precision_at_least),
        cmocka_unit_test(test_recall_at_least),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_value),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_no_feasible_row),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
