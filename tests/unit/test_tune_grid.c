/* test_tune_grid.c - unit tests for tune_grid: enumerating weight vectors and the scenario views.
 *
 * Scenarios are written under /tmp (mkstemps, ending in ".ini"), loaded with
 * scenario_load and turned into a grid. Checked: the grid order (the
 * [behaviour] file order, the last varying type fastest), weights of fixed
 * and varying types, the fixed-weight view (and that it leaves the scenario
 * untouched), and every refusal with its exact message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tune_grid.h"
#include "scenario.h"
#include "util.h"

/* Load TEXT as a scenario (the file is removed again); path receives its name. */
static scenario *load(char path[64], const char *text)
{
    strcpy(path, "/tmp/test_tune_grid_XXXXXX.ini");
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
    scenario *sc = NULL;
    util_err err = {0, ""};
    int rc = scenario_load(path, &sc, &err);
    unlink(path);
    if (rc != 0) print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    return sc;
}

static const char *three =
    "[scenario]\nname = g\n"
    "[behaviour]\n"
    "a = 1, 2\n"     /* line 4 */
    "b = 7\n"
    "c = 10..30 step 10\n"
    "d = -5\n"
    "[mql]\nthreshold = 1\n";

static void test_order(void **state)
{
    (void)state;
    char path[64];
    scenario *sc = load(path, three);
    tune_grid g;
    util_err err = {0, ""};
    assert_int_equal(tune_grid_init(&g, sc, &err), 0);
    assert_int_equal(g.nvary, 2);
    assert_int_equal(g.vary[0], 0); /* a */
    assert_int_equal(g.vary[1], 2); /* c */
    assert_int_equal(g.nvec, 6);
    /* c varies fastest: (1,10) (1,20) (1,30) (2,10) (2,20) (2,30) */
    static const double wa[6] = {1, 1, 1, 2, 2, 2}, wc[6] = {10, 20, 30, 10, 20, 30};
    for (size_t v = 0; v < 6; v++) {
        assert_int_equal(tune_grid_digit(&g, v, 0), v / 3);
        assert_int_equal(tune_grid_digit(&g, v, 1), v % 3);
        assert_true(tune_grid_weight(&g, v, 0) == wa[v]);
        assert_true(tune_grid_weight(&g, v, 1) == 7);
        assert_true(tune_grid_weight(&g, v, 2) == wc[v]);
        assert_true(tune_grid_weight(&g, v, 3) == -5);
    }
    tune_grid_fini(&g);
    tune_grid_fini(&g); /* twice is harmless */
    scenario_free(sc);
}

static void test_view(void **state)
{
    (void)state;
    char path[64];
    scenario *sc = load(path, three);
    tune_grid g;
    tune_grid_view gv;
    util_err err = {0, ""};
    assert_int_equal(tune_grid_init(&g, sc, &err), 0);
    assert_int_equal(tune_grid_view_init(&gv, &g, &err), 0);
    /* vector 0 right away */
    assert_int_equal(gv.sc.nbehaviour, 4);
    for (size_t k = 0; k < 4; k++) assert_int_equal(gv.sc.behaviour[k].nvals, 1);
    assert_true(gv.sc.behaviour[0].vals[0] == 1 && gv.sc.behaviour[2].vals[0] == 10);
    tune_grid_view_set(&gv, &g, 5);
    assert_true(gv.sc.behaviour[0].vals[0] == 2);
    assert_true(gv.sc.behaviour[1].vals[0] == 7);
    assert_true(gv.sc.behaviour[2].vals[0] == 30);
    assert_true(gv.sc.behaviour[3].vals[0] == -5);
    assert_string_equal(gv.sc.behaviour[2].type, "c");
    assert_int_equal(gv.sc.behaviour[2].line, 6);
    assert_string_equal(gv.sc.name, "g");
    /* the scenario itself keeps its lists */
    assert_int_equal(sc->behaviour[0].nvals, 2);
    assert_int_equal(sc->behaviour[2].nvals, 3);
    tune_grid_view_fini(&gv);
    tune_grid_view_fini(&gv);
    tune_grid_fini(&g);
    scenario_free(sc);
}

static void expect_error(const char *text, int code, const char *suffix)
{
    char path[64], want[300];
    scenario *sc = load(path, text);
    tune_grid g;
    util_err err = {0, ""};
    assert_int_equal(tune_grid_init(&g, sc, &err), -1);
    assert_int_equal(err.code, code);
    snprintf(want, sizeof want, suffix, path);
    assert_string_equal(err.msg, want);
    tune_grid_fini(&g);
    scenario_free(sc);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_error("[scenario]\nname = g\n[behaviour]\na = 1\n[mql]\nthreshold = 1\n", UTIL_EUSAGE,
                 "tune currently evaluates candidate grids, and %s has none: give a [behaviour] "
                 "type a list or range of points (e.g. webinar = 5..20 step 5)");
    expect_error("[scenario]\nname = g\n[mql]\nthreshold = 1\n", UTIL_EUSAGE,
                 "tune currently evaluates candidate grids, and %s has none: give a [behaviour] "
                 "type a list or range of points (e.g. webinar = 5..20 step 5)");
    expect_error("[scenario]\nname = g\n[behaviour]\na = 1, 2\n[limits]\na = 3, 4\n[mql]\nthreshold = 1\n",
                 UTIL_EDATA,
                 "%s:6: [limits] a: a list or range of limits is a candidate grid, and tune "
                 "searches grids in [behaviour] only: give one value");
    /* 1000 x 1001 vectors: one over the limit */
    expect_error("[scenario]\nname = g\n[behaviour]\nz = 3\na = 1..1000 step 1\nb = 0..1000 step 1\n"
                 "[mql]\nthreshold = 1\n",
                 UTIL_EDATA,
                 "%s:5: [behaviour]: the candidate grid has 1001000 weight vectors; tune evaluates "
                 "at most 1000000: use fewer values or larger steps");
}

static void test_limit_exact(void **state)
{
    (void)state;
    char path[64];
    /* exactly TUNE_GRID_MAX_VECTORS: accepted */
    scenario *sc = load(path, "[scenario]\nname = g\n[behaviour]\na = 1..1000 step 1\n"
                              "b = 1..1000 step 1\n[mql]\nthreshold = 1\n");
    tune_grid g;
    util_err err = {0, ""};
    assert_int_equal(tune_grid_init(&g, sc, &err), 0);
    assert_int_equal(g.nvec, TUNE_GRID_MAX_VECTORS);
    assert_true(tune_grid_weight(&g, TUNE_GRID_MAX_VECTORS - 1, 0) == 1000);
    assert_true(tune_grid_weight(&g, TUNE_GRID_MAX_VECTORS - 1, 1) == 1000);
    assert_true(tune_grid_weight(&g, 1000, 0) == 2 && tune_grid_weight(&g, 1000, 1) == 1);
    tune_grid_fini(&g);
    scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_limit_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
