/* test_csvout.c - unit tests for csvout: the contract columns, number cells, input text as cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "csvout.h"

/* SPEC 7, spelled out again here: the list in csvout.h must not drift from it. */
static void test_header_is_the_contract(void **state) {
    (void)state;
    util_buf b;
    util_buf_init(&b);
    csvout_header(&b);
    assert_string_equal(b.data, "scenario,threshold,fit_threshold,leads,won,mqls,tp,fp,fn,tn,"
                                "precision,recall,f1,mql_rate,lift,revenue_recall");
    assert_string_equal(CSVOUT_CONTRACT_COLS, b.data);
    util_buf_fini(&b);
}

static const struct {
    double v;
    const char *want;
} nums[] = {
    {0, "0"},
    {-0.0, "0"}, /* never "-0" */
    {3, "3"},
    {-42, "-42"},
    {1e14, "100000000000000"},
    {0.1, "0.1"},
    {1.0 / 3, "0.3333333333333333"},
    {2.0 / 3, "0.6666666666666666"},
    {-2.5, "-2.5"},
    {0.30000000000000004, "0.30000000000000004"},
    {1e-7, "1e-07"},
    {123456.789, "123456.789"},
};

static void test_numbers(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        util_buf b;
        util_buf_init(&b);
        util_buf_puts(&b, "");
        csvout_num(&b, nums[i].v);
        assert_string_equal(b.data, nums[i].want);
        char line[40], *end = csvout_put_num(line, nums[i].v);
        *end = '\0';
        assert_int_equal(line[0], ',');
        assert_string_equal(line + 1, nums[i].want);
        util_buf_fini(&b);
    }
}

static void test_undefined_is_empty(void **state) {
    (void)state;
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "x");
    csvout_num(&b, NAN);
    assert_string_equal(b.data, "x");
    char line[40], *end = csvout_put_num(line, NAN);
    assert_int_equal(end - line, 1);
    assert_int_equal(line[0], ',');
    end = csvout_put_long(line, -1234567890123L);
    *end = '\0';
    assert_string_equal(line, ",-1234567890123");
    util_buf_fini(&b);
}

/* Text from the input: quoted when it holds , " CR LF; a leading = + - @
 * gets a quote so that a spreadsheet shows it instead of computing it. */
static const struct {
    const char *in, *want;
} texts[] = {
    {"plain", "plain"},
    {"", ""},
    {"=SUM(A1)", "'=SUM(A1)"},
    {"+1", "'+1"},
    {"-1", "'-1"},
    {"@cmd", "'@cmd"},
    {"a=b", "a=b"},
    {"a,b", "\"a,b\""},
    {"say \"hi\"", "\"say \"\"hi\"\"\""},
    {"two\nlines", "\"two\nlines\""},
    {"cr\rhere", "\"cr\rhere\""},
    {"=1,2", "\"'=1,2\""},
    {"|*`\\", "|*`\\"},
};

static void test_text_cells(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        util_buf b;
        util_buf_init(&b);
        util_buf_puts(&b, "");
        csvout_text(&b, texts[i].in);
        assert_string_equal(b.data, texts[i].want);
        util_buf_fini(&b);
    }
}

static void test_contract_of_counts(void **state) {
    (void)state;
    csvout_contract c;
    csvout_contract_of_counts(&c, 10, NAN, 100, 20, 15, 5, 1500, 2000);
    assert_int_equal(c.mqls, 20);
    assert_int_equal(c.fn, 5);
    assert_int_equal(c.tn, 75);
    assert_float_equal(c.q.precision, 0.75, 1e-12);
    assert_float_equal(c.q.recall, 0.75, 1e-12);
    assert_float_equal(c.q.revenue_recall, 0.75, 1e-12);
    util_buf b;
    util_buf_init(&b);
    csvout_contract_row(&b, "=evil", &c);
    assert_string_equal(b.data, "'=evil,10,,100,20,20,15,5,5,75,0.75,0.75,0.75,0.2,3.75,0.75");
    util_buf_fini(&b);
}

static void test_contract_of_row(void **state) {
    (void)state;
    metrics_row m = {.threshold = 2.5, .fit_threshold = 7, .two_axis = 1, .leads = 4, .won = 0,
                     .mqls = 0, .tp = 0, .fp = 0, .fn = 0, .tn = 4, .precision = NAN,
                     .recall = NAN, .f1 = NAN, .mql_rate = 0, .lift = NAN,
                     .revenue_recall = NAN};
    csvout_contract c;
    csvout_contract_of_row(&c, &m);
    char line[CSVOUT_CONTRACT_MAX + 1], *end = csvout_put_contract(line, &c);
    *end = '\0';
    assert_string_equal(line, ",2.5,7,4,0,0,0,0,0,4,,,,0,,");
    m.two_axis = 0; /* single-axis: fit_threshold is an empty field */
    csvout_contract_of_row(&c, &m);
    end = csvout_put_contract(line, &c);
    *end = '\0';
    assert_string_equal(line, ",2.5,,4,0,0,0,0,0,4,,,,0,,");
}

/* The widest row fits the room the header promises. */
static void test_contract_fits(void **state) {
    (void)state;
    csvout_contract c = {-1.2345678901234567e-300, -2.2250738585072014e-308, -9223372036854775807L,
                         -9223372036854775807L, -9223372036854775807L, -9223372036854775807L,
                         -9223372036854775807L, -9223372036854775807L, -9223372036854775807L,
                         {-1.2345678901234567e-300, -1.2345678901234567e-300,
                          -1.2345678901234567e-300, -1.2345678901234567e-300,
                          -1.2345678901234567e-300, -1.2345678901234567e-300}};
    char line[CSVOUT_CONTRACT_MAX + 1];
    memset(line, 0, sizeof line);
    char *end = csvout_put_contract(line, &c);
    assert_true(end - line <= CSVOUT_CONTRACT_MAX);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_is_the_contract),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_undefined_is_empty),
        cmocka_unit_test(test_text_cells),
        cmocka_unit_test(test_contract_of_counts),
        cmocka_unit_test(test_contract_of_row),
        cmocka_unit_test(test_contract_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
