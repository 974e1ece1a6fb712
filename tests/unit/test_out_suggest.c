/* test_out_suggest.c - unit tests for out_suggest: the two CSV files' columns, numbers and escaping, and the terminal lines.
 *
 * The tune_suggest is made by hand: a type named like a spreadsheet formula
 * and a fit value with markup, one feature estimated and one kept. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out_suggest.h"

static tune_suggest *made(scenario *sc, suggest_feature *f) {
    static tune_suggest t;
    memset(&t, 0, sizeof t);
    memset(sc, 0, sizeof *sc);
    sc->name = "demo";
    memset(f, 0, 2 * sizeof *f);
    f[0] = (suggest_feature){.kind = SUGGEST_EVENT, .name = "=HYPERLINK(1)", .current = 5,
                             .status = SUGGEST_OK, .leads_with = 40, .coef = 0.25, .se = 0.05,
                             .scaled = 12.5, .suggested = 13, .sign_share = 0.98};
    f[1] = (suggest_feature){.kind = SUGGEST_FIT, .name = "industry", .current = -5,
                             .status = SUGGEST_FEW, .leads_with = 3, .coef = NAN, .se = NAN,
                             .scaled = NAN, .suggested = -5, .sign_share = NAN};
    f[0].value = "";
    f[1].value = "<b>retail</b>";
    t.sc = sc;
    t.f = f;
    t.nf = 2;
    t.S = 50;
    t.ntrain = 70, t.ntest = 30, t.won_train = 21, t.won_test = 9;
    t.current = (suggest_eval){.ap = 0.5, .threshold = 60, .mqls = 10, .tp = 4, .precision = 0.4,
                               .recall = 4.0 / 9};
    t.suggested = (suggest_eval){.ap = 0.625, .threshold = 12, .mqls = 10, .tp = 6,
                                 .precision = 0.6, .recall = 6.0 / 9};
    return &t;
}

static void test_csv(void **state) {
    (void)state;
    scenario sc;
    suggest_feature f[2];
    tune_suggest *t = made(&sc, f);
    util_buf b;
    util_buf_init(&b);
    out_suggest_csv(&b, t);
    assert_string_equal(b.data,
                        "kind,name,value,current_points,suggested_points,coefficient,std_error\n"
                        "event,'=HYPERLINK(1),,5,13,0.25,0.05\n"
                        "fit,industry,<b>retail</b>,-5,-5,,\n");
    util_buf_fini(&b);
    util_buf_init(&b);
    out_suggest_holdout_csv(&b, t);
    assert_string_equal(b.data, "weights,average_precision,threshold,mqls,precision,recall\n"
                                "current,0.5,60,10,0.4,0.4444444444444444\n"
                                "suggested,0.625,12,10,0.6,0.6666666666666666\n");
    util_buf_fini(&b);
}

static void test_terminal(void **state) {
    (void)state;
    scenario sc;
    suggest_feature f[2];
    tune_suggest *t = made(&sc, f);
    util_buf b;
    util_buf_init(&b);
    out_suggest_terminal(&b, t);
    assert_non_null(strstr(b.data, "every 35 points double the odds"));
    assert_non_null(strstr(b.data, "5 -> 13 (coefficient 0.2500, std. error 0.0500, sign stable in 98%)"));
    assert_non_null(strstr(b.data, "-5 -> -5 (too few leads to estimate: kept)"));
    assert_non_null(strstr(b.data, "suggested 10 hand-offs, 6 won caught, precision 0.600"));
    assert_non_null(strstr(b.data, "One =HYPERLINK(1) event multiplies the odds of a win by 1.3 (13 points).\n"));
    assert_non_null(strstr(b.data, "\n  [behaviour]\n  =HYPERLINK(1) = 13\n\n  [fit industry]\n"
                                   "  <b>retail</b> = -5\n\n  [mql]\n  threshold = 12\n"));
    util_buf_fini(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
