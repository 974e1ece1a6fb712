/* test_decimal.c - unit tests for decimal: places as written, units, products, the nearest double, the 1e-9 rounding.
 *
 * Every expected value is worked out by hand from the decimals as written:
 * the places of whole numbers, of 36.02 and of numbers with more than nine
 * places; units exact and rounded half away from zero, and their limit;
 * per_unit times a data value as the decimal product (0.02 * 501 = 10.02,
 * 0.3 * 3.14159265358979 to nine places); units back to the very double
 * the decimal's text parses to; decimal_snap on the case, on
 * negative values, and past 2^53 * 1e-9 where it leaves values alone; and
 * the bound decimal_fits, both sides of it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "decimal.h"

/* The double the text S parses to. */
static double num(const char *s) { return strtod(s, NULL); }

static void test_places(void **state) {
    (void)state;
    assert_int_equal(decimal_places(0), 0);
    assert_int_equal(decimal_places(26), 0);
    assert_int_equal(decimal_places(1e12), 0);
    assert_int_equal(decimal_places(-30), 0);
    assert_int_equal(decimal_places(36.02), 2);
    assert_int_equal(decimal_places(0.1), 1);
    assert_int_equal(decimal_places(-0.25), 2);
    assert_int_equal(decimal_places(1234.5678), 4);
    assert_int_equal(decimal_places(0.000000001), 9);
    /* more than nine places: said so, not counted */
    assert_int_equal(decimal_places(1e-10), DECIMAL_MAX_PLACES + 1);
    assert_int_equal(decimal_places(0.1 + 0.2), DECIMAL_MAX_PLACES + 1); /* 0.30000000000000004 */
}

static void test_units(void **state) {
    (void)state;
    int64_t u;
    assert_int_equal(decimal_units(0.02, 2, &u), 0);
    assert_true(u == 2);
    assert_int_equal(decimal_units(36.02, 9, &u), 0);
    assert_true(u == 36020000000);
    assert_int_equal(decimal_units(-30, 3, &u), 0);
    assert_true(u == -30000);
    assert_int_equal(decimal_units(0, 9, &u), 0);
    assert_true(u == 0);
    /* rounded half away from zero at fewer places than written */
    assert_int_equal(decimal_units(0.0000000015, 9, &u), 0);
    assert_true(u == 2);
    assert_int_equal(decimal_units(-0.0000000015, 9, &u), 0);
    assert_true(u == -2);
    assert_int_equal(decimal_units(0.0000000014, 9, &u), 0);
    assert_true(u == 1);
    assert_int_equal(decimal_units(1e-10, 9, &u), 0);
    assert_true(u == 0);
    /* 1e12 points in units of 1e-9 is 1e21: beyond 2^62 */
    assert_int_equal(decimal_units(1e12, 9, &u), -1);
    assert_int_equal(decimal_units(1e12, 6, &u), 0);
    assert_true(u == 1000000000000000000);
}

static void test_products(void **state) {
    (void)state;
    int64_t u;
    /* 0.02 per visit, 501 visits: 10.02 */
    assert_int_equal(decimal_product_units(0.02, 501, 2, &u), 0);
    assert_true(u == 1002);
    assert_true(decimal_value(u, 2) == 10.02);
    assert_int_equal(decimal_product_units(0.1, 0.2, 2, &u), 0);
    assert_true(u == 2);
    assert_int_equal(decimal_product_units(-1.5, 2.5, 3, &u), 0);
    assert_true(u == -3750);
    /* 0.3 * 3.14159265358979 = 0.942477796076937, to nine places */
    assert_int_equal(decimal_product_units(0.3, 3.14159265358979, 9, &u), 0);
    assert_true(u == 942477796);
    /* beyond 2^62: saturated with the product's sign */
    assert_int_equal(decimal_product_units(1e12, 1e9, 2, &u), -1);
    assert_true(u == INT64_MAX);
    assert_int_equal(decimal_product_units(-1e12, 1e9, 2, &u), -1);
    assert_true(u == -INT64_MAX);
}

static void test_value(void **state) {
    (void)state;
    /* 1002 + 2600 hundredths: 36.02, the double `threshold = 36.02` reads as,
     * where the doubles' 0.02 * 501 + 26 is 36.019999999999996 */
    assert_true(0.02 * 501 + 26 == num("36.019999999999996"));
    assert_true(0.02 * 501 + 26 < num("36.02"));
    assert_true(decimal_value(1002 + 2600, 2) == num("36.02"));
    assert_true(decimal_value(3, 1) == num("0.3"));
    assert_true(decimal_value(-3, 1) == num("-0.3"));
    assert_true(decimal_value(123456789, 9) == num("0.123456789"));
    assert_true(decimal_value(42, 0) == 42);
    assert_true(decimal_scale(0) == 1 && decimal_scale(9) == 1e9);
}

static void test_snap(void **state) {
    (void)state;
    assert_true(decimal_snap(num("36.019999999999996")) == num("36.02"));
    assert_true(decimal_snap(0.1 + 0.2) == num("0.3"));
    assert_true(decimal_snap(-(0.1 + 0.2)) == num("-0.3"));
    assert_true(decimal_snap(7.937005259840998) == num("7.93700526"));
    assert_true(decimal_snap(36.0199999994) == num("36.019999999")); /* 0.4e-9 below: down */
    assert_true(decimal_snap(36.0199999996) == num("36.02"));        /* 0.4e-9 short: up */
    assert_true(decimal_snap(0) == 0);
    /* 2^53 * 1e-9 and beyond: doubles are coarser than 1e-9 already */
    double big = 1e7 + 0.123456789012;
    assert_true(decimal_snap(big) == big);
    /* monotone: a maximum taken before or after rounding is the same */
    double a = 10.0000000004, b = 10.0000000001;
    assert_true(decimal_snap(a) >= decimal_snap(b));
}

static void test_fits(void **state) {
    (void)state;
    /* 2^50 units: 1,125,899,906,842,624 */
    assert_true(decimal_fits(0, 0, 0, 9));
    assert_true(decimal_fits(30, 100, 1000, 9));               /* 1.0003e14 units */
    assert_false(decimal_fits(30, 100000, 100000, 9));         /* 1e19 */
    assert_true(decimal_fits(30, 100000, 100000, 2));          /* 1e12 */
    assert_false(decimal_fits(1125899.906842624, 0, 0, 9));    /* exactly 2^50: not below */
    assert_true(decimal_fits(1125899.9068426, 0, 0, 9));
    assert_false(decimal_fits(NAN, 0, 0, 0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_places),  cmocka_unit_test(test_units),
        cmocka_unit_test(test_products), cmocka_unit_test(test_value),
        cmocka_unit_test(test_snap),    cmocka_unit_test(test_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
