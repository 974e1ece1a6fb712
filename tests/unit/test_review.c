/* test_review.c - unit tests for review: periods, the outcome window, feature counts, ratios.
 *
 * A tiny dataset and scenario in a fresh folder, worked by hand: half-years
 * split at 2024-07-01 00:00:00 exactly, the fixed outcome window of 30 days
 * (a lead won after 51 days is not won, an event after the window does not
 * count), the complete flag, the features in their order (events by name,
 * fit lines then default, unscored attribute values with "(empty)"), and
 * zero denominators as NaN. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "dataset.h"
#include "load.h"
#include "review.h"
#include "scenario.h"
#include "stats.h"
#include "tstamp.h"
#include "util.h"

static const char *leads_csv = "lead_id,created_at,industry,source\n"
                               "L1,2024-06-30 23:59:59,software,web\n"
                               "L2,2024-07-01 00:00:00,retail,web\n"
                               "L3,2024-01-10,,partner\n"
                               "L4,2024-08-01,retail,web\n";
static const char *events_csv = "lead_id,timestamp,event\n"
                                "L1,2024-07-02,a\n"
                                "L2,2024-07-05,a\n"
                                "L4,2024-09-15,a\n";
static const char *outcomes_csv = "lead_id,status,closed_at\n"
                                  "L1,won,2024-07-20\n"
                                  "L2,lost,2024-07-10\n"
                                  "L3,won,2024-03-01\n"
                                  "L4,won,2024-08-20\n";

static review *run(const char *dir, const char *extra) {
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nname = t\ndata = .\n[behaviour]\na = 10\n[fit industry]\nsoftware = 5\n"
             "[mql]\nthreshold = 10\n[evaluation]\nuntil = 2024-12-31\n%s",
             extra);
    tmpdir_put(dir, "leads.csv", leads_csv);
    tmpdir_put(dir, "events.csv", events_csv);
    tmpdir_put(dir, "outcomes.csv", outcomes_csv);
    tmpdir_put(dir, "scenario.ini", text);
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    scenario *sc = NULL;
    dataset *ds = NULL;
    review *r = NULL;
    util_err err = {0};
    if (scenario_load(p, &sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, &ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    if (review_run(ds, sc, 6, 1, NULL, &r, &err) < 0) fail_msg("review_run: %s", err.msg);
    dataset_free(ds);
    scenario_free(sc);
    return r;
}

static int64_t day(const char *s) {
    int64_t t;
    if (tstamp_parse(s, strlen(s), &t) < 0) fail_msg("bad date %s", s);
    return t;
}

static void periods_and_window(void **state) {
    review *r = run(*state, "maturity_days = 30\n");
    assert_int_equal(r->np, 2);
    assert_true(r->p[0].start == day("2024-01-01") && r->p[0].end == day("2024-07-01"));
    assert_true(r->p[1].start == day("2024-07-01") && r->p[1].end == day("2025-01-01"));
    /* L1 (23:59:59 on 2024-06-30) and L3 in the first; L2 (00:00 on 2024-07-01) and L4 */
    assert_int_equal(r->p[0].leads, 2);
    assert_int_equal(r->p[1].leads, 2);
    /* L3 won after 51 days: not won in a 30-day window; L1 and L4 within it */
    assert_int_equal(r->p[0].won, 1);
    assert_int_equal(r->p[1].won, 1);
    /* 2024-07-01 <= until - 30 days; 2025-01-01 is not */
    assert_int_equal(r->p[0].complete, 1);
    assert_int_equal(r->p[1].complete, 0);
    assert_int_equal(r->nleft_out, 0);
    /* features: a; industry software, default; its breakdown: (empty), retail;
     * source (no [fit] section): partner, web */
    assert_int_equal(r->nfeat, 7);
    assert_int_equal(r->feat[0].kind, REVIEW_EVENT);
    assert_string_equal(r->feat[0].name, "a");
    assert_null(r->feat[0].value);
    assert_string_equal(r->feat[1].value, "software");
    assert_string_equal(r->feat[2].value, "default");
    /* industry is scored: its unlisted values are the default row's breakdown */
    assert_int_equal(r->feat[3].kind, REVIEW_DEFAULT);
    assert_int_equal(r->feat[4].kind, REVIEW_DEFAULT);
    assert_int_equal(r->feat[5].kind, REVIEW_ATTR);
    assert_string_equal(r->feat[5].name, "source");
    assert_string_equal(r->feat[5].value, "partner");
    assert_string_equal(r->feat[6].value, "web");
    assert_int_equal(r->ntests, 5);
    assert_int_equal(r->nbtests, 2);
    assert_string_equal(r->feat[3].value, "(empty)");
    assert_string_equal(r->feat[4].value, "retail");
    /* event a: L1 (won) in the first; L2 (not won) in the second, L4's after its window */
    const review_fstat *s0 = review_fstat_at(r, 0, 0), *s1 = review_fstat_at(r, 1, 0);
    assert_int_equal(s0->with, 1);
    assert_int_equal(s0->won_with, 1);
    assert_true(isnan(s0->p));
    assert_int_equal(s1->with, 1);
    assert_int_equal(s1->won_with, 0);
    assert_float_equal(s1->p, 1.0, 1e-12); /* [[0,1],[1,0]]: two tables of 1/2 */
    /* default: L3 in the first, L2 and L4 in the second */
    assert_int_equal(review_fstat_at(r, 0, 2)->with, 1);
    assert_int_equal(review_fstat_at(r, 1, 2)->with, 2);
    assert_int_equal(review_fstat_at(r, 1, 4)->won_with, 1);
    /* the first period is the PSI baseline: no PSI of its own (SPEC 5.11) */
    assert_true(isnan(r->p[0].psi));
    assert_false(isnan(r->p[1].psi));
    review_free(r);
}

static void no_window(void **state) {
    review *r = run(*state, "");
    /* L3 is won without the window; complete when the end is <= until */
    assert_int_equal(r->p[0].won, 2);
    assert_int_equal(r->p[0].complete, 1);
    assert_int_equal(r->p[1].complete, 0);
    assert_false(r->has_window);
    /* lags of the won leads: L4 19 days, L1 19 days and a second, L3 51; type 7
     * at 0.9: h = 1.8, so L1's + 0.8 * (51 - L1's) = 44.6 */
    assert_int_equal(r->nlags, 3);
    double l1 = 19 + 1.0 / 86400;
    assert_float_equal(r->lag_p90, l1 + 0.8 * (51 - l1), 1e-9);
    review_free(r);
}

/* PSI's bins on the decimals: fit-only scores of 0.01 per visit. The
 * first half-year's 23 scores are six 0, 0.1, 0.7 and 1 .. 15, so its
 * third decile (h = 22 * 0.3 = 6.6) is 0.1 + 0.6 * 0.6 = 0.46 on paper and
 * 0.45999999999999996 in doubles. The second half-year's one lead scores
 * 0.46: in the bin up to the decile, not the one above. */
static void psi_decile_exact(void **state) {
    const char *dir = *state;
    char leads[4096], text[512];
    size_t len = (size_t)snprintf(leads, sizeof leads, "lead_id,created_at,visits\n");
    static const int visits[23] = {0,   0,   0,   0,   0,   0,   10,  70,  100, 200, 300, 400,
                                   500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500};
    for (int i = 0; i < 23; i++)
        len += (size_t)snprintf(leads + len, sizeof leads - len, "A%d,2024-02-%02d,%d\n", i,
                                i + 1, visits[i]);
    snprintf(leads + len, sizeof leads - len, "B1,2024-08-01,46\n");
    tmpdir_put(dir, "leads.csv", leads);
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\nA0,2024-02-02,a\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\nA1,won,2024-03-01\n");
    snprintf(text, sizeof text,
             "[scenario]\nname = t\ndata = .\n[behaviour]\na = 0\n[fit visits]\n"
             "per_unit = 0.01\n[mql]\nthreshold = 1\n[evaluation]\nuntil = 2024-12-31\n");
    tmpdir_put(dir, "scenario.ini", text);
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    scenario *sc = NULL;
    dataset *ds = NULL;
    review *r = NULL;
    util_err err = {0};
    if (scenario_load(p, &sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, &ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    if (review_run(ds, sc, 6, 1, NULL, &r, &err) < 0) fail_msg("review_run: %s", err.msg);
    assert_int_equal(r->np, 2);
    assert_int_equal(r->p[0].nscores, 23);
    assert_int_equal(r->p[1].nscores, 1);
    long e[10] = {6, 0, 1, 2, 3, 2, 2, 2, 2, 3}, a[10] = {0, 0, 1};
    assert_float_equal(r->p[1].psi, stats_psi(a, 1, e, 23, 10), 1e-12);
    long above[10] = {0, 0, 0, 1}; /* where the doubles' decile would put it */
    assert_true(fabs(r->p[1].psi - stats_psi(above, 1, e, 23, 10)) > 1e-3);
    review_free(r);
    dataset_free(ds);
    scenario_free(sc);
}

static void ratios(void **state) {
    (void)state;
    review_ratios q;
    review_ratios_of(10, 2, 4, 2, &q);
    assert_float_equal(q.share, 0.4, 1e-15);
    assert_float_equal(q.rate_with, 0.5, 1e-15);
    assert_float_equal(q.rate_without, 0, 0);
    assert_float_equal(q.lift, 2.5, 1e-15);
    review_ratios_of(10, 0, 0, 0, &q); /* no lead with it, no won lead */
    assert_float_equal(q.share, 0, 0);
    assert_true(isnan(q.rate_with));
    assert_float_equal(q.rate_without, 0, 0);
    assert_true(isnan(q.lift));
    review_ratios_of(3, 1, 3, 1, &q); /* every lead has it */
    assert_true(isnan(q.rate_without));
    assert_float_equal(q.lift, 1, 1e-15);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(periods_and_window, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(no_window, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(psi_decile_exact, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(ratios),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
