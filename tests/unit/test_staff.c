/* test_staff.c - unit tests for staff.c: Erlang C against hand-computed values, and the reps search by queue replay.
 *
 * Erlang C by hand: C(1, 0.5) = 0.5 (M/M/1: the utilisation); C(2, 1) =
 * 1/3 (B(2, 1) = 0.2, C = 2 * 0.2 / (2 - 0.8)); C(3, 1) = 0.1875 / 2.0625
 * = 0.090909 (B(3, 1) = 0.0625). With lambda = mu = 1 and t = 1:
 * P(wait <= 1) = 1 - e^-1 / 3 = 0.877374 with 2 agents, 1 - 0.090909 e^-2 =
 * 0.987697 with 3. The replay: four leads handed off at Monday 00:00, one
 * follow-up per rep a day, 09:00-17:00, SLA 8 h: with c reps the i-th waits
 * 8 (i div c) + 8 (i mod c) / c hours, so 1 rep meets 2 of 4 (0, 8, 16, 24),
 * 2 reps 3 of 4 (0, 4, 8, 12), 3 reps all (0, 2.67, 5.33, 8). */
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
#include "replay.h"
#include "sales.h"
#include "scenario.h"
#include "staff.h"
#include "util.h"

static void test_erlang(void **state) {
    (void)state;
    assert_true(fabs(staff_erlang_c(1, 0.5) - 0.5) < 1e-12);
    assert_true(fabs(staff_erlang_c(2, 1) - 1.0 / 3) < 1e-12);
    assert_true(fabs(staff_erlang_c(3, 1) - 0.1875 / 2.0625) < 1e-12);
    assert_true(staff_erlang_c(2, 2) == 1); /* unstable: everyone waits */
    assert_true(fabs(staff_mmc_within(2, 1, 1, 1) - (1 - exp(-1) / 3)) < 1e-12);
    assert_true(fabs(staff_mmc_within(3, 1, 1, 1) - (1 - 0.1875 / 2.0625 * exp(-2))) < 1e-12);
    assert_true(staff_mmc_within(1, 2, 1, 1) == 0);
    assert_int_equal(staff_erlang_agents(1, 1, 1, 0.8), 2);
    assert_int_equal(staff_erlang_agents(1, 1, 1, 0.95), 3);
    assert_int_equal(staff_erlang_agents(0, 1, 1, 0.95), 0);
    /* a large load: the recurrence neither overflows nor loses the answer */
    long c = staff_erlang_agents(1000, 1, 0.1, 0.9);
    assert_true(c > 1000 && c < 1100);
}

static void test_replay_search(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\nA,2025-01-06\nB,2025-01-06\nC,2025-01-06\n"
                                 "D,2025-01-06\n");
    tmpdir_put(dir, "scenario.ini", "[scenario]\nname = t\ndata = .\n[mql]\nthreshold = 0\n"
                                    "[sales]\nreps = 1\nfollowups_per_rep_per_day = 1\n"
                                    "sla_business_hours = 8\n[evaluation]\nuntil = 2025-01-31\n");
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    util_err err = {0};
    scenario *sc = NULL;
    dataset *ds = NULL;
    replay *r = NULL;
    sales *sa = NULL;
    assert_int_equal(scenario_load(p, &sc, &err), 0);
    assert_int_equal(load_dataset(dir, NULL, &ds, &err), 0);
    assert_int_equal(replay_run(ds, sc, 1, &r, &err), 0);
    assert_int_equal(sales_alloc(ds, sc, r, &sa, &err), 0);
    assert_non_null(sa);
    sales_row row;
    assert_int_equal(sales_eval(sa, 0, 0, &row, &err), 0);
    assert_true(fabs(row.q->sla_attainment - 0.5) < 1e-12);
    staff_row st;
    assert_int_equal(staff_eval(sa, &row, 0.95, &st, &err), 0);
    assert_int_equal(st.reps_sla, 3);
    assert_true(st.att_sla == 1);
    assert_int_equal(staff_eval(sa, &row, 0.75, &st, &err), 0);
    assert_int_equal(st.reps_sla, 2);
    /* 4 hand-offs in the first week (from Monday: 5 slots a week per rep),
     * none later: 1 rep keeps every week within its slots */
    assert_int_equal(st.reps_weeks, 1);
    /* 4 hand-offs over the business hours of 01-06 .. 01-31 (19 days, 152 h) */
    assert_true(fabs(st.lambda_h - 4.0 / 152) < 1e-12);
    assert_true(fabs(st.mu_h - 1.0 / 8) < 1e-12);
    assert_int_equal(st.reps_load, 1);
    sales_row_fini(&row);
    sales_free(sa);
    replay_free(r);
    dataset_free(ds);
    scenario_free(sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang),
        cmocka_unit_test_setup_teardown(test_replay_search, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
