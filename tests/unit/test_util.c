/* test_util.c - unit tests for util: strict numbers, formatting, exact sums, buffers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_parse_double(void **state) {
    (void)state;
    double v;
    assert_int_equal(util_parse_double(" 1.5 ", &v), 0);
    assert_true(v == 1.5);
    assert_int_equal(util_parse_double("-2e3", &v), 0);
    assert_true(v == -2000);
    const char *bad[] = {"", "  ", "nan", "inf", "-inf", "1e400", "0x10", "1,5", "1 2", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(util_parse_double(bad[i], &v), -1);
}

static void test_fmt_double(void **state) {
    (void)state;
    char b[40];
    util_fmt_double(b, sizeof b, 0.1);
    assert_string_equal(b, "0.1");
    util_fmt_double(b, sizeof b, 1.0 / 3);
    assert_string_equal(b, "0.3333333333333333");
    util_fmt_double(b, sizeof b, -0.0);
    assert_string_equal(b, "0");
    util_fmt_double(b, sizeof b, 60);
    assert_string_equal(b, "60");
    util_fmt_double(b, sizeof b, -10);
    assert_string_equal(b, "-10");
    util_fmt_double(b, sizeof b, 1520);
    assert_string_equal(b, "1520");
    util_fmt_double(b, sizeof b, 1234567);
    assert_string_equal(b, "1234567");
    util_fmt_double(b, sizeof b, 2.5e-7);
    assert_true(strtod(b, NULL) == 2.5e-7);
    util_fmt_double(b, sizeof b, 0.1 + 0.2);
    assert_string_equal(b, "0.30000000000000004");
    /* %g's layout: an exponent below 1e-4, plain digits up to 1e17 */
    util_fmt_double(b, sizeof b, 2.5e-7);
    assert_string_equal(b, "2.5e-07");
    util_fmt_double(b, sizeof b, 0.00012);
    assert_string_equal(b, "0.00012");
    util_fmt_double(b, sizeof b, 1520.5);
    assert_string_equal(b, "1520.5");
    util_fmt_double(b, sizeof b, -1234.5678);
    assert_string_equal(b, "-1234.5678");
    util_fmt_double(b, sizeof b, 123456789012345678.0);
    assert_string_equal(b, "1.2345678901234568e+17");
    util_fmt_double(b, sizeof b, 36028797018963968.0); /* 2^55: every integer digit */
    assert_string_equal(b, "36028797018963968");
    util_fmt_double(b, sizeof b, 1e-300 / 3);
    assert_string_equal(b, "3.3333333333333334e-301");
    /* a power of two whose shortest reading-back form is not %.16g's */
    util_fmt_double(b, sizeof b, 5.9604644775390625e-08);
    assert_string_equal(b, "5.960464477539063e-08");
    assert_true(strtod(b, NULL) == 5.9604644775390625e-08);
    /* the length is returned, the text cut like snprintf */
    char small[5];
    assert_int_equal(util_fmt_double(small, sizeof small, 0.125), 5);
    assert_string_equal(small, "0.12");
    /* every text reads back exactly, over many magnitudes */
    double x = 1.0 / 7;
    for (int i = 0; i < 2000; i++, x *= -1.37) {
        util_fmt_double(b, sizeof b, x);
        assert_true(strtod(b, NULL) == x);
    }
}

/* Random doubles of every magnitude: the text reads back exactly and has
 * as few significant digits as any text that does (printf's %.*g tried at
 * each precision is the slow, independent answer). */
static void test_fmt_double_shortest(void **state) {
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15u;
    char b[40], t[40];
    int checked = 0;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        if (i % 2) v = (double)(x % 1000003) / (double)(1 + (x >> 40) % 999983); /* ratios */
        if (!isfinite(v) || v == 0) continue;
        util_fmt_double(b, sizeof b, v);
        assert_true(strtod(b, NULL) == v);
        int digits = 0;
        for (const char *p = b; *p && *p != 'e'; p++) digits += *p >= '0' && *p <= '9';
        const char *p = b + (b[0] == '-');
        while (*p == '0' || *p == '.') p++, digits -= p[-1] == '0'; /* leading zeros */
        int shortest = 1;
        while (shortest < 17) {
            snprintf(t, sizeof t, "%.*g", shortest, v);
            if (strtod(t, NULL) == v) break;
            shortest++;
        }
        if (fabs(v) >= 1 && fabs(v) < 1e17 && strchr(b, 'e') == NULL && !strchr(b, '.'))
            continue; /* whole numbers print every integer digit */
        checked++;
        if (digits != shortest) fail_msg("%.17g printed as %s: %d digits, %d would do", v, b, digits, shortest);
    }
    assert_true(checked > 90000);
}

static void test_fmt_long(void **state) {
    (void)state;
    char b[24];
    assert_int_equal(util_fmt_long(b, 0), 1);
    assert_string_equal(b, "0");
    assert_int_equal(util_fmt_long(b, -42), 3);
    assert_string_equal(b, "-42");
    util_fmt_long(b, INT64_MIN);
    assert_string_equal(b, "-9223372036854775808");
    util_fmt_long(b, INT64_MAX);
    assert_string_equal(b, "9223372036854775807");
    util_buf u;
    util_buf_init(&u);
    util_buf_long(&u, 12345);
    util_buf_long(&u, -6);
    assert_string_equal(u.data, "12345-6");
    util_buf_fini(&u);
}

/* The exact sum does not depend on the order, also with subtractions. */
static void test_fsum(void **state) {
    (void)state;
    util_fsum a, b;
    util_fsum_init(&a);
    util_fsum_init(&b);
    assert_true(util_fsum_value(&a) == 0);
    double xs[] = {1e16, 1.0, -1e16, 0.1, 0.2, 12345.67, 3e-5, 7e15, -7e15};
    size_t n = sizeof xs / sizeof *xs;
    for (size_t i = 0; i < n; i++) util_fsum_add(&a, xs[i]);
    for (size_t i = n; i-- > 0;) util_fsum_add(&b, xs[i]);
    assert_true(util_fsum_value(&a) == util_fsum_value(&b));
    assert_true(fabs(util_fsum_value(&a) - 12346.97003) < 1e-9);
    /* adding and removing returns to the exact previous value */
    util_fsum c;
    util_fsum_init(&c);
    for (int i = 0; i < 1000; i++) util_fsum_add(&c, 0.01 * i);
    double before = util_fsum_value(&c);
    util_fsum_add(&c, 123.456);
    util_fsum_add(&c, -123.456);
    assert_true(util_fsum_value(&c) == before);
    /* 0.1 added ten times is exactly the double nearest to 1 */
    util_fsum d;
    util_fsum_init(&d);
    for (int i = 0; i < 10; i++) util_fsum_add(&d, 0.1);
    assert_true(util_fsum_value(&d) == 1.0);
}

static void test_buf(void **state) {
    (void)state;
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "a");
    util_buf_printf(&b, "%d-%s", 42, "x");
    char big[2000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    util_buf_printf(&b, "%s", big);
    assert_int_equal(b.len, 5 + sizeof big - 1);
    assert_memory_equal(b.data, "a42-x", 5);
    assert_int_equal(b.failed, 0);
    util_buf_fini(&b);
    util_buf_fini(&b); /* twice is harmless */
}

/* The offset of the first byte that is not UTF-8, wherever it falls
 * relative to the 8-byte ASCII steps. */
static void test_utf8_check(void **state) {
    (void)state;
    assert_int_equal(util_utf8_check("", 0), 0);
    assert_int_equal(util_utf8_check("plain ascii text", 16), 16);
    assert_int_equal(util_utf8_check("caf\xC3\xA9", 5), 5);
    assert_int_equal(util_utf8_check("\xF0\x9F\x98\x80", 4), 4);          /* U+1F600 */
    assert_int_equal(util_utf8_check("\xF4\x8F\xBF\xBF", 4), 4);          /* U+10FFFF */
    assert_int_equal(util_utf8_check("01234567\xE9", 9), 8);               /* after one word */
    assert_int_equal(util_utf8_check("0123456\xE9xxxxxxxx", 16), 7);       /* inside a word */
    assert_int_equal(util_utf8_check("\xC0\xAF", 2), 0);                   /* overlong '/' */
    assert_int_equal(util_utf8_check("\xE0\x80\xAF", 3), 0);               /* overlong */
    assert_int_equal(util_utf8_check("\xED\xA0\x80", 3), 0);               /* surrogate */
    assert_int_equal(util_utf8_check("\xF4\x90\x80\x80", 4), 0);          /* > U+10FFFF */
    assert_int_equal(util_utf8_check("\xF5\x80\x80\x80", 4), 0);
    assert_int_equal(util_utf8_check("ab\xE2\x82", 4), 2);                 /* cut short */
    assert_int_equal(util_utf8_check("\xE2\x82\xAC\xE2\x82\x41", 6), 3);  /* bad continuation */
    assert_int_equal(util_utf8_check("\x80", 1), 0);                       /* lone continuation */
}

static void test_errf(void **state) {
    (void)state;
    util_err e = {0, ""};
    assert_int_equal(util_errf(&e, UTIL_EDATA, "%s:%d: bad", "f.csv", 3), -1);
    assert_int_equal(e.code, UTIL_EDATA);
    assert_string_equal(e.msg, "f.csv:3: bad");
    assert_int_equal(util_errf(NULL, UTIL_EIO, "x"), -1);
    assert_int_equal(util_enomem(&e), -1);
    assert_int_equal(e.code, UTIL_EINTERNAL);
}

static void test_path_tidy(void **state) {
    (void)state;
    const char *cases[][2] = {
        {"scenarios/../datasets/sample", "datasets/sample"},
        {"../datasets/sample", "../datasets/sample"},
        {"a/b/../../c", "c"},
        {"a/b/../../../c", "../c"},
        {"../../a/../b", "../../b"},
        {"./a/./b/", "a/b"},
        {"a//b///c", "a/b/c"},
        {"/x/../y", "/y"},
        {"/../y", "/y"},
        {"/", "/"},
        {"/..", "/"},
        {".", "."},
        {"a/..", "."},
        {"", ""},
        {"../..", "../.."},
        {"abc", "abc"},
        {"..", ".."},
        {"a/...", "a/..."},
        {"a/..b/../c", "a/c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[64];
        strcpy(buf, cases[i][0]);
        assert_string_equal(util_path_tidy(buf), cases[i][1]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_double), cmocka_unit_test(test_fmt_double),
        cmocka_unit_test(test_fmt_double_shortest),
        cmocka_unit_test(test_fmt_long),
        cmocka_unit_test(test_fsum),         cmocka_unit_test(test_buf),
        cmocka_unit_test(test_errf),         cmocka_unit_test(test_utf8_check),
        cmocka_unit_test(test_path_tidy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
