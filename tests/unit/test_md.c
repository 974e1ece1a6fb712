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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_rounded),
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
