/* test_plan.c - unit tests for plan: point estimates, the Monte Carlo against closed forms, the calendar.
 *
 * With every deal the same size and the rates all but fixed (a history of a
 * hundred million leads), D_s is the same in every draw and N_s - D_s is a
 * negative binomial of known p, whose quantiles come from GSL's cumulative
 * distribution: the draws' type-7 quantiles must fall within one lead of
 * them. Everything else (point estimates, the lag's quantiles, the months'
 * shares, the errors) is worked out by hand in the test. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"
#include "tstamp.h"

static void assert_near(double got, double want, double eps) {
    if (!(fabs(got - want) <= eps)) fail_msg("got %.17g, want %.17g", got, want);
}

/* The smallest k with P(X <= k) >= q for X ~ NegativeBinomial(n, p) (failures). */
static double nb_quantile(double q, double p, double n) {
    unsigned k = 0;
    while (gsl_cdf_negative_binomial_P(k, p, n) < q) k++;
    return (double)k;
}

static plan_input base_input(void) {
    plan_input in;
    memset(&in, 0, sizeof in);
    in.draws = 2000;
    in.seed = 7;
    return in;
}

static void test_quantile_type7(void **state) {
    (void)state;
    const double v[3] = {45, 46, 48};
    assert_near(plan_quantile(v, 3, 0.5), 46, 1e-12);
    assert_near(plan_quantile(v, 3, 0.1), 45.2, 1e-12);
    assert_near(plan_quantile(v, 3, 0.9), 47.6, 1e-12);
    assert_near(plan_quantile(v, 3, 0.025), 45.05, 1e-12);
    assert_near(plan_quantile(v, 3, 0.975), 47.9, 1e-12);
    assert_true(isnan(plan_quantile(v, 0, 0.5)));
    assert_near(plan_share_le(v, 3, 45.5), 1.0 / 3, 1e-15);
    assert_near(plan_share_le(v, 3, 46), 2.0 / 3, 1e-15);
    assert_near(plan_share_le(v, 3, 44), 0, 0);
    assert_near(plan_share_le(v, 3, 48), 1, 0);
}

/* The example of tests/e2e/plan-revenue: n 8, m 4, t 3, amounts 100, 200, 300. */
static void test_point_estimates(void **state) {
    (void)state;
    const double amount[3] = {300, 100, 200}, lag[3] = {48, 45, 46};
    plan_input in = base_input();
    in.n = 8, in.m = 4, in.t = 3;
    in.amount = amount, in.namount = 3;
    in.lag = lag, in.nlag = 3;
    in.goal = 1000;
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &p, &err), 0);
    assert_near(p->p1, 0.5, 0);
    assert_near(p->p2, 0.75, 0);
    assert_near(p->mean_amount, 200, 0);
    assert_near(p->median_amount, 200, 0);
    assert_near(p->leads.point, 1000.0 / 75, 1e-12);
    assert_near(p->mqls.point, 1000.0 / 150, 1e-12);
    assert_near(p->deals.point, 5, 0);
    assert_near(p->lag.point, 139.0 / 3, 1e-12);
    assert_near(p->lag.median, 46, 1e-12);
    assert_near(p->lag.p80, 47.2, 1e-12);
    assert_near(p->lag.p95, 47.8, 1e-12);
    /* D_s: at least 4 deals (300 * 3 < 1000) and at most 10 (100 * 10) */
    assert_true(p->deals.lo95 >= 4 && p->deals.hi95 <= 10);
    /* leads are never fewer than MQLs' deals, and the figures are ordered */
    assert_true(p->leads.lo95 <= p->leads.lo80 && p->leads.lo80 <= p->leads.median);
    assert_true(p->leads.median <= p->leads.p80 && p->leads.p80 <= p->leads.p95);
    assert_true(p->leads.lo95 >= p->deals.lo95);
    assert_int_equal(p->nmonths, 0);
    plan_free(p);
}

/* Fixed deal size and near-fixed rates: N - D is NegativeBinomial(D, p1 p2). */
static void check_closed_form(int by_deals) {
    static double amount[5] = {250, 250, 250, 250, 250};
    plan_input in = base_input();
    in.draws = 200000;
    in.n = 100000000, in.m = 100000000, in.t = 40000000; /* p1 ~ 1, p2 ~ 0.4 */
    in.amount = amount, in.namount = 5;
    in.by_deals = by_deals;
    in.goal = by_deals ? 12 : 2900; /* 12 deals of 250 reach 2900; 11 do not */
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &p, &err), 0);
    assert_near(p->deals.median, 12, 0);
    assert_near(p->deals.lo95, 12, 0);
    assert_near(p->deals.hi95, 12, 0);
    double pr = 0.4, D = 12;
    const double qs[7] = {0.5, 0.1, 0.9, 0.025, 0.975, 0.8, 0.95};
    const double got[7] = {p->leads.median, p->leads.lo80, p->leads.hi80, p->leads.lo95,
                           p->leads.hi95, p->leads.p80, p->leads.p95};
    for (int k = 0; k < 7; k++) assert_near(got[k], D + nb_quantile(qs[k], pr, D), 1.0);
    const double gotm[3] = {p->mqls.median, p->mqls.p80, p->mqls.p95};
    for (int k = 0; k < 3; k++) assert_near(gotm[k], D + nb_quantile(qs[k == 0 ? 0 : k + 4], pr, D), 1.0);
    /* the mean of N - D is D (1 - p) / p = 18: the point estimate 30 = 12 / 0.4 */
    assert_near(p->leads.point, by_deals ? 30 : 2900 / (0.4 * 250), 1e-6);
    plan_free(p);
}

static void test_closed_form_revenue(void **state) {
    (void)state;
    check_closed_form(0);
}

static void test_closed_form_deals(void **state) {
    (void)state;
    check_closed_form(1);
}

/* Amounts 0 and 100 equally often and a goal of 100,000: the goal needs 1000
 * deals of 100, and the zeros drawn before the 1000th are the failures of a
 * NegativeBinomial(1000, 1/2). The draws go through the blocks of
 * draw_deals (1000 deals of 100 leave room for hundreds at a time). */
static void test_blocks_closed_form(void **state) {
    (void)state;
    const double amount[4] = {0, 100, 100, 0};
    plan_input in = base_input();
    in.draws = 20000;
    in.n = 1000000, in.m = 500000, in.t = 100000;
    in.amount = amount, in.namount = 4;
    in.goal = 100000;
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &p, &err), 0);
    const double qs[5] = {0.5, 0.1, 0.9, 0.025, 0.975};
    const double got[5] = {p->deals.median, p->deals.lo80, p->deals.hi80, p->deals.lo95,
                           p->deals.hi95};
    for (int k = 0; k < 5; k++) assert_near(got[k], 1000 + nb_quantile(qs[k], 0.5, 1000), 2.0);
    assert_near(p->deals.point, 2000, 0); /* 100000 / mean 50 */
    plan_free(p);
}

/* One MQL in a hundred million leads: some draws need billions of leads,
 * beyond what GSL's unsigned negative binomial holds; they must not wrap. */
static void test_huge_draws(void **state) {
    (void)state;
    plan_input in = base_input();
    in.n = 100000000, in.m = 1, in.t = 1;
    in.by_deals = 1, in.goal = 5;
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &p, &err), 0);
    assert_near(p->leads.point, 5e8, 1e-3);
    assert_true(p->leads_sorted[0] >= 5);
    assert_true(p->leads.hi95 > 4294967296.0);
    for (size_t i = 1; i < p->ndraws; i++) assert_true(p->leads_sorted[i] >= p->leads_sorted[i - 1]);
    plan_free(p);
}

/* The same seed gives the same draws; another seed other draws. */
static void test_seeded(void **state) {
    (void)state;
    const double amount[4] = {10, 0, 30, 70};
    plan_input in = base_input();
    in.n = 500, in.m = 60, in.t = 9;
    in.amount = amount, in.namount = 4;
    in.goal = 400;
    plan *a = NULL, *b = NULL, *c = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &a, &err), 0);
    assert_int_equal(plan_run(&in, &b, &err), 0);
    in.seed = 8;
    assert_int_equal(plan_run(&in, &c, &err), 0);
    assert_memory_equal(a->leads_sorted, b->leads_sorted, a->ndraws * sizeof *a->leads_sorted);
    assert_memory_equal(&a->variant, &b->variant, sizeof a->variant);
    assert_true(memcmp(a->leads_sorted, c->leads_sorted, a->ndraws * sizeof *a->leads_sorted) != 0);
    /* an amount of 0 stays in: the mean is 110 / 4 */
    assert_near(a->mean_amount, 27.5, 0);
    plan_free(a);
    plan_free(b);
    plan_free(c);
}

/* Months overlapping [2025-03-10, 2025-05-01): March and April; lags 45, 46, 48. */
static void test_calendar(void **state) {
    (void)state;
    const double amount[1] = {100}, lag[3] = {45, 46, 48};
    plan_input in = base_input();
    in.n = 10, in.m = 5, in.t = 2;
    in.amount = amount, in.namount = 1;
    in.lag = lag, in.nlag = 3;
    in.goal = 300;
    in.has_period = 1;
    in.from = tstamp_from_civil(2025, 3, 10, 0, 0, 0);
    in.to = tstamp_from_civil(2025, 5, 1, 0, 0, 0);
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &p, &err), 0);
    assert_int_equal(p->nmonths, 2);
    assert_true(p->months[0].start == tstamp_from_civil(2025, 3, 1, 0, 0, 0));
    assert_true(p->months[1].end == in.to);
    assert_near(p->months[0].share, 1.0 / 3, 1e-15); /* 45.5 days left from 03-16 12:00 */
    assert_near(p->months[1].share, 0, 0);            /* 15 days from 04-16 */
    assert_true(p->latest[0] == in.to - 46 * TSTAMP_USEC_PER_DAY);
    assert_true(p->latest[1] == in.to - (int64_t)llround(47.2 * (double)TSTAMP_USEC_PER_DAY));
    plan_free(p);
}

static void expect_error(plan_input *in, const char *text) {
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(in, &p, &err), -1);
    assert_null(p);
    assert_int_equal(err.code, UTIL_EDATA);
    if (!strstr(err.msg, text)) fail_msg("message '%s' lacks '%s'", err.msg, text);
}

static void test_errors(void **state) {
    (void)state;
    const double zeros[2] = {0, 0}, amount[1] = {5};
    plan_input in = base_input();
    in.n = 10, in.m = 0, in.t = 0, in.goal = 100;
    expect_error(&in, "lead to MQL rate 0");
    in.m = 4;
    expect_error(&in, "MQL to won rate 0");
    in.t = 2;
    expect_error(&in, "none of the 2 won MQLs has an amount");
    in.amount = zeros, in.namount = 2;
    expect_error(&in, "every amount");
    in.amount = amount, in.namount = 1, in.goal = 1e12;
    expect_error(&in, "won deals, more than");
    in.by_deals = 1, in.goal = 3, in.amount = NULL, in.namount = 0;
    plan *p = NULL;
    util_err err = {0, ""};
    assert_int_equal(plan_run(&in, &p, &err), 0); /* a goal in deals needs no amount */
    assert_true(isnan(p->mean_amount));
    plan_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_type7),  cmocka_unit_test(test_point_estimates),
        cmocka_unit_test(test_closed_form_revenue), cmocka_unit_test(test_closed_form_deals),
        cmocka_unit_test(test_blocks_closed_form), cmocka_unit_test(test_huge_draws),
        cmocka_unit_test(test_seeded),          cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
