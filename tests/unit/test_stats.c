/* test_stats.c - unit tests for stats: Fisher's exact test, type-7 quantiles, PSI bins and sums, BH.
 *
 * Every expected number is worked by hand in the comment beside it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

static void fisher_tables(void **state) {
    (void)state;
    /* [[3,1],[1,3]]: C(4,x)C(4,4-x)/70 = 1,16,36,16,1; x = 3 is 16: (1+16+16+1)/70 */
    assert_float_equal(stats_fisher(3, 1, 1, 3), 34.0 / 70.0, 1e-12);
    /* [[2,0],[0,2]]: 1,4,1 over 6; the two tables of 1 */
    assert_float_equal(stats_fisher(2, 0, 0, 2), 2.0 / 6.0, 1e-12);
    /* [[5,0],[0,5]]: C(5,x)C(5,5-x)/252; only x = 0 and x = 5 are as unlikely */
    assert_float_equal(stats_fisher(5, 0, 0, 5), 2.0 / 252.0, 1e-12);
    /* [[1,2],[3,0]]: x in 1..3 with 3, 9, 3 over 15; the observed 3 and its twin */
    assert_float_equal(stats_fisher(1, 2, 3, 0), 6.0 / 15.0, 1e-12);
    /* the observed table is the likeliest: every table counts */
    assert_float_equal(stats_fisher(2, 2, 2, 2), 1.0, 1e-12);
    /* a zero margin: one table only */
    assert_float_equal(stats_fisher(1, 0, 0, 0), 1.0, 0);
    assert_float_equal(stats_fisher(0, 0, 0, 0), 1.0, 0);
    assert_float_equal(stats_fisher(0, 4, 0, 7), 1.0, 0);
    /* large counts stay finite and below 1 */
    double p = stats_fisher(300, 700, 100, 900);
    assert_true(p > 0 && p < 1e-20);
}

static void quantiles_and_bins(void **state) {
    (void)state;
    double v[] = {1, 2, 3, 4};
    assert_float_equal(stats_quantile7(v, 4, 0.1), 1.3, 1e-12); /* 1 + 0.3 * (2 - 1) */
    assert_float_equal(stats_quantile7(v, 4, 0.5), 2.5, 1e-12);
    assert_float_equal(stats_quantile7(v, 4, 0.9), 3.7, 1e-12);
    double one[] = {7};
    assert_float_equal(stats_quantile7(one, 1, 0.3), 7, 0);
    /* the exact split: 0.6 of 18 values is between the 11th and 12th (h =
     * 10.2), both 25.05; (1 - d) x + d x in doubles gives 25.049999999999997,
     * which would put both values above the decile */
    double w[18] = {-4.9, 5, 5, 5.1, 5.98, 6.1, 15.05725271, 16, 18, 18, 25.05, 25.05, 25.15,
                    28, 29.731011077, 40.721291564, 43.0625, 63.440284873};
    assert_true(stats_quantile7_frac(w, 18, 6, 10) == 25.05);
    assert_int_equal(stats_bin(&w[10], 1, 25.05), 0);
    assert_float_equal(stats_quantile7_frac(w, 18, 7, 10), 25.14, 1e-12); /* h = 11.9 */
    assert_true(stats_quantile7_frac(v, 4, 1, 3) == 2);                   /* h = 1 exactly */
    assert_float_equal(stats_quantile7_frac(v, 4, 1, 10), 1.3, 1e-12);
    assert_true(stats_quantile7_frac(v, 4, 10, 10) == 4);
    assert_true(stats_quantile7_frac(one, 1, 9, 10) == 7);
    double q[] = {1, 2, 2, 3};
    assert_int_equal(stats_bin(q, 4, 0.5), 0);
    assert_int_equal(stats_bin(q, 4, 1), 0); /* x <= q_1 */
    assert_int_equal(stats_bin(q, 4, 1.5), 1);
    assert_int_equal(stats_bin(q, 4, 2), 1); /* the bin (2, 2] is empty */
    assert_int_equal(stats_bin(q, 4, 2.5), 3);
    assert_int_equal(stats_bin(q, 4, 3), 3);
    assert_int_equal(stats_bin(q, 4, 4), 4);
}

static void psi_sums(void **state) {
    (void)state;
    long a[] = {50, 50}, e[] = {25, 75};
    /* 0.25 ln 2 + (-0.25) ln(2/3) */
    assert_float_equal(stats_psi(a, 100, e, 100, 2), 0.25 * log(2) - 0.25 * log(2.0 / 3), 1e-12);
    long a2[] = {0, 10}, e2[] = {5, 5};
    /* the empty share is 0.0001: (0.0001 - 0.5) ln(0.0002) + 0.5 ln 2 */
    assert_float_equal(stats_psi(a2, 10, e2, 10, 2),
                       (0.0001 - 0.5) * log(0.0002) + 0.5 * log(2), 1e-12);
    assert_float_equal(stats_psi(e, 100, e, 100, 2), 0, 0); /* a period against itself */
    assert_true(isnan(stats_psi(a, 0, e, 100, 2)));
}

static void benjamini_hochberg(void **state) {
    (void)state;
    int r[4];
    /* m = 4, q = 0.05: 0.01 <= 0.0125; 0.03 > 0.025; 0.04 > 0.0375; 0.5 > 0.05 */
    double p[] = {0.01, 0.04, 0.03, 0.5};
    assert_int_equal(stats_bh(p, 4, 0.05, r), 1);
    assert_int_equal(r[0], 1);
    assert_int_equal(r[1] + r[2] + r[3], 0);
    /* the largest rank decides: 0.03 <= 3 * 0.05 / 3, so all three */
    double p2[] = {0.03, 0.02, 0.01};
    assert_int_equal(stats_bh(p2, 3, 0.05, r), 3);
    /* NaN takes no part: m = 1 */
    double p3[] = {NAN, 0.04};
    assert_int_equal(stats_bh(p3, 2, 0.05, r), 1);
    assert_int_equal(r[0], 0);
    assert_int_equal(r[1], 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fisher_tables),
        cmocka_unit_test(quantiles_and_bins),
        cmocka_unit_test(psi_sums),
        cmocka_unit_test(benjamini_hochberg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
