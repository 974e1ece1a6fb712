/* test_sweep_sales.c - unit tests for sweep_sales.c: every row's queue, and the sla:P pick by full search and by bisection.
 *
 * Forty leads L1 .. L40, all created Monday 2025-01-06 00:00, fit = size
 * (per unit 1) and no events: at threshold T the leads of size >= T, k =
 * 41 - T of them, are handed off at once. One rep, two follow-ups a day,
 * 09:00-17:00 UTC, SLA 8 h: the waits are 0, 4, 8, 12, ... so 3 of k meet it
 * (k >= 3) and attainment is 3 / k, rising with T. Even sizes are won.
 * sla:0.5 needs k <= 6, T >= 35: T = 35 and 36 both catch L36, L38, L40
 * (recall 3/20); 36 hands off fewer (5), so it is the pick and 35 the
 * runner-up. Full search and bisection (a budget of 1) must agree. */
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

#include "boot.h"
#include "dataset.h"
#include "load.h"
#include "replay.h"
#include "sales.h"
#include "scenario.h"
#include "sweep.h"
#include "sweep_sales.h"
#include "util.h"

static void pick_is(const char *dir, double budget, long *best, long *runner, size_t *done) {
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    util_err err = {0};
    scenario *sc = NULL;
    dataset *ds = NULL;
    replay *r = NULL;
    sales *sa = NULL;
    sweep *sw = NULL;
    assert_int_equal(scenario_load(p, &sc, &err), 0);
    assert_int_equal(load_dataset(dir, NULL, &ds, &err), 0);
    assert_int_equal(replay_run(ds, sc, 1, &r, &err), 0);
    assert_int_equal(sales_alloc(ds, sc, r, &sa, &err), 0);
    sweep_opts o = {.threads = 1};
    assert_int_equal(sweep_run(r, sc, &o, &sw, &err), 0);
    assert_int_equal(sw->nrows, 40);
    assert_int_equal(sweep_sales_run_budget(sa, sw, 30, budget, 2, &err), 0);
    *best = sw->best;
    *runner = sw->runner_up;
    *done = sw->sales_done;
    /* every replayed row: attainment 3 / k (1 for k <= 3) */
    for (size_t j = 0; j < sw->nrows; j++) {
        if (!sw->sales[j].done) continue;
        long k = 40 - (long)j;
        double want = k <= 3 ? 1 : 3.0 / (double)k;
        assert_true(fabs(sw->sales[j].q->sla_attainment - want) < 1e-12);
        assert_int_equal(sw->sales[j].handoffs, k);
    }
    /* the bootstrap's fixed figure: the full-data attainment, NaN unreplayed */
    for (size_t j = 0; j < sw->nrows; j++) {
        double f = sweep_sales_fixed(sw, j);
        if (!sw->sales[j].done) assert_true(isnan(f));
        else assert_true(f == sw->sales[j].q->sla_attainment);
    }
    /* the bootstrap under sla:P: every resample picks a row whose full-data
     * queue keeps the SLA (never an unreplayed or infeasible one), the most
     * often the full-data pick; the counts add up to the resamples */
    sweep_opts bo = {.bootstrap = 200, .seed = 5, .threads = 2};
    assert_int_equal(boot_run(sw, r, &bo, &err), 0);
    long total = sw->boot_none, most = -1;
    for (size_t j = 0; j < sw->nrows; j++) {
        double f = sweep_sales_fixed(sw, j);
        if (isnan(f) || f < sw->obj_a) assert_int_equal(sw->rows[j].chosen, 0);
        total += sw->rows[j].chosen;
        if (most < 0 || sw->rows[j].chosen > sw->rows[most].chosen) most = (long)j;
    }
    assert_int_equal(total, 200);
    assert_int_equal(most, sw->best);
    assert_true(sw->stability > 0 && !isnan(sw->choice_T_lo));
    sweep_free(sw);
    sales_free(sa);
    replay_free(r);
    dataset_free(ds);
    scenario_free(sc);
}

static void test_pick(void **state) {
    const char *dir = *state;
    char leads[4096] = "lead_id,created_at,size\n", out[4096] = "lead_id,status,closed_at\n";
    for (int i = 1; i <= 40; i++) {
        size_t n = strlen(leads);
        snprintf(leads + n, sizeof leads - n, "L%d,2025-01-06,%d\n", i, i);
        if (i % 2 == 0) {
            n = strlen(out);
            snprintf(out + n, sizeof out - n, "L%d,won,2025-03-01\n", i);
        }
    }
    tmpdir_put(dir, "leads.csv", leads);
    tmpdir_put(dir, "outcomes.csv", out);
    tmpdir_put(dir, "scenario.ini", "[scenario]\nname = t\ndata = .\n[fit size]\nper_unit = 1\n"
                                    "[mql]\nthreshold = 10\n[sales]\nreps = 1\n"
                                    "followups_per_rep_per_day = 2\nsla_business_hours = 8\n"
                                    "[evaluation]\nuntil = 2025-03-31\n[tune]\nobjective = sla:0.5\n");
    long best, runner;
    size_t done;
    pick_is(dir, 1e12, &best, &runner, &done);
    assert_int_equal(best, 35); /* row 35 is T = 36 */
    assert_int_equal(runner, 34);
    assert_int_equal(done, 40);
    pick_is(dir, 1, &best, &runner, &done);
    assert_int_equal(best, 35);
    assert_int_equal(runner, 34);
    assert_true(done < 40);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pick, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
