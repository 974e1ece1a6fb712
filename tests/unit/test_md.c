/* test_md.c - unit tests for md: escaping input text, numbers and pipe-table cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "md.h"

/* Every character that means something in Markdown (or in the HTML the page
 * is made of) arrives as itself. */
static const struct {
    const char *in, *want;
} texts[] = {
    {"plain text", "plain text"},
    {"", ""},
    {"a|b", "a\\|b"},
    {"back\\slash", "back\\\\slash"},
    {"**bold**", "\\*\\*bold\\*\\*"},
    {"`code`", "\\`code\\`"},
    {"snake_case", "snake\\_case"},
    {"[link](x)", "\\[link\\](x)"},
    {"<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"},
    {"two\nlines", "two lines"},
    {"crlf\r\nend", "crlf  end"},
    {"=1+1 - @x #h", "=1+1 - @x #h"},
    {"é ü 🙂", "é ü 🙂"},
};

static void test_text(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        util_buf b;
        util_buf_init(&b);
        util_buf_puts(&b, "");
        md_text(&b, texts[i].in);
        assert_string_equal(b.data, texts[i].want);
        util_buf_fini(&b);
    }
}

static const struct {
    double v;
    int digits;
    const char *want;
} nums[] = {
    {0.5, 4, "0.5000"},
    {1.0 / 3, 4, "0.3333"},
    {2.0 / 3, 3, "0.667"},
    {12.25, 1, "12.2"}, /* printf rounds the binary value, half to even here */
    {7, 0, "7"},
    {-1.5, 2, "-1.50"},
    {NAN, 4, "–"},
    {NAN, 0, "–"},
};

static void test_rounded(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        util_buf b;
        util_buf_init(&b);
        md_num(&b, nums[i].v, nums[i].digits);
        assert_string_equal(b.data, nums[i].want);
        util_buf_fini(&b);
    }
}

static const struct {
    double v;
    const char *want;
} exact[] = {
    {3, "3"}, {-0.0, "0"}, {0.1, "0.1"}, {2.5, "2.5"}, {1.0 / 3, "0.3333333333333333"},
    {-12, "-12"},
};

static void test_exact(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++) {
        util_buf b;
        util_buf_init(&b);
        md_exact(&b, exact[i].v);
        assert_string_equal(b.data, exact[i].want);
        util_buf_fini(&b);
    }
}

/* A row is "|" then cells then "\n"; an input pipe stays inside its cell. */
static void test_table(void **state) {
    (void)state;
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "| name | n | x | p | note |\n|---|");
    md_rule(&b, 3, "--:");
    md_rule(&b, 1, ":-:");
    util_buf_puts(&b, "\n|");
    md_cell_text(&b, "a|b*");
    md_cell_long(&b, -3);
    md_cell_exact(&b, 0.25);
    md_cell_num(&b, NAN, 3);
    md_cell(&b, "");
    util_buf_puts(&b, "\n");
    assert_string_equal(b.data, "| name | n | x | p | note |\n|---|--:|--:|--:|:-:|\n"
                                "| a\\|b\\* | -3 | 0.25 | – |  |\n");
    util_buf_fini(&b);
    util_buf_init(&b);
    util_buf_puts(&b, "|");
    md_rule(&b, 0, "--:");
    assert_string_equal(b.data, "|");
    util_buf_fini(&b);
}

/* The reading rules: thresholds to 4 significant digits (whole integer
 * part), more only where two listed thresholds would read the same. */
static void test_thresholds(void **state) {
    (void)state;
    static const struct {
        double v;
        int sig;
        const char *want;
    } t[] = {
        {262, 4, "262"}, {36.019999999999996, 4, "36.02"}, {103.84, 4, "103.8"},
        {12345.6, 4, "12346"}, {0.000123456, 4, "0.0001235"}, {-0.00001, 4, "-0.00001"},
        {-0.0, 4, "0"}, {1.5, 4, "1.5"}, {36.0199, 6, "36.0199"}, {NAN, 4, "–"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char buf[64];
        md_thr_fmt(buf, sizeof buf, t[i].v, t[i].sig);
        assert_string_equal(buf, t[i].want);
    }
    double apart[] = {36.02, 36.019999999999996, 36.0201};
    assert_int_equal(md_thr_sig(apart, 1), 4);
    /* different doubles that a person reads as one number need every digit */
    assert_true(md_thr_sig(apart, 2) >= 16);
    double list[] = {10.001, 10.002, 262};
    assert_int_equal(md_thr_sig(list, 3), 5);
    assert_int_equal(md_thr_sig(apart + 1, 2), 6);
}

static void test_reading(void **state) {
    (void)state;
    util_buf b;
    util_buf_init(&b);
    md_ratio(&b, 0.33149);
    util_buf_puts(&b, " ");
    md_week(&b, 103.84);
    util_buf_puts(&b, " ");
    md_count(&b, 1234567);
    util_buf_puts(&b, " ");
    md_count(&b, 999);
    util_buf_puts(&b, " ");
    md_count(&b, -2580);
    util_buf_puts(&b, " ");
    md_pct(&b, 0.63);
    util_buf_puts(&b, " ");
    md_pct(&b, 0.001);
    util_buf_puts(&b, " ");
    md_pct(&b, 0.999);
    util_buf_puts(&b, " ");
    md_pct(&b, 0);
    util_buf_puts(&b, " ");
    md_ratio(&b, NAN);
    assert_string_equal(b.data, "0.331 103.8 1,234,567 999 -2,580 63% <1% >99% 0% –");
    util_buf_fini(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_reading),
        cmocka_unit_test(test_rounded),
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
