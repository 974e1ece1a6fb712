/* test_out_plots.c - unit tests for out_plots: the threshold range drawn and the score bins. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "out_plots.h"

/* One outlier far right must not stretch the range: 1000 leads, almost all
 * handed off below 100, one lead scoring 4000. */
static void test_xrange_outlier(void **state) {
    (void)state;
    double T[] = {-500, 0, 10, 50, 90, 100, 4000};
    double H[] = {1000, 999, 800, 300, 20, 1, 0};
    double lo, hi;
    out_plots_xrange(T, H, 7, NULL, 0, &lo, &hi);
    assert_true(lo == 0);   /* the last at 99% of the range or more */
    assert_true(hi == 100); /* the first within 1% of the fewest */
    double keep[] = {262, NAN};
    out_plots_xrange(T, H, 7, keep, 2, &lo, &hi);
    assert_true(lo == 0 && hi == 262);
}

static void test_xrange_flat(void **state) {
    (void)state;
    double T[] = {5}, H[] = {3};
    double lo, hi;
    out_plots_xrange(T, H, 1, NULL, 0, &lo, &hi);
    assert_true(lo < 5 && hi > 5);
}

/* No bin holds scores on both sides of a threshold: each inside the range
 * is an edge. */
static void assert_edges_hold(const double *e, size_t ne, double lo, double hi, const double *thr,
                              size_t nthr) {
    assert_true(ne >= 2);
    assert_true(e[0] <= lo && e[ne - 1] > hi);
    for (size_t i = 1; i < ne; i++) assert_true(e[i] > e[i - 1]);
    for (size_t t = 0; t < nthr; t++) {
        int found = 0;
        for (size_t i = 0; i < ne; i++) found |= fabs(e[i] - thr[t]) < 1e-9;
        assert_true(found);
    }
}

static void test_bins_uniform(void **state) {
    (void)state;
    double e[400], w;
    double thr[] = {40, 60, 80};
    size_t ne = out_plots_bins(-50, 1050, thr, 3, e, 400, &w);
    assert_edges_hold(e, ne, -50, 1050, thr, 3);
    assert_true(w == 20); /* one round width, about 50 bins */
    assert_true(ne >= 50 && ne <= 152);
}

static void test_bins_split(void **state) {
    (void)state;
    double e[400], w;
    double thr[] = {262, 40, 61, 36.02};
    size_t ne = out_plots_bins(-50, 1050, thr, 4, e, 400, &w);
    assert_edges_hold(e, ne, -50, 1050, thr, 4);
    assert_true(ne <= 60);
}

static void test_bins_empty_range(void **state) {
    (void)state;
    double e[400], w;
    size_t ne = out_plots_bins(7, 7, NULL, 0, e, 400, &w);
    assert_true(ne >= 2 && e[0] <= 7 && e[ne - 1] > 7);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xrange_outlier),
        cmocka_unit_test(test_xrange_flat),
        cmocka_unit_test(test_bins_uniform),
        cmocka_unit_test(test_bins_split),
        cmocka_unit_test(test_bins_empty_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
