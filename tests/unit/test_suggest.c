/* test_suggest.c - unit tests for suggest: the distance, the limit, the choice among candidates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "suggest.h"

static size_t dist(const char *a, const char *b) {
    return suggest_distance(a, strlen(a), b, strlen(b), 100);
}

static void test_distance(void **state) {
    (void)state;
    assert_int_equal(dist("", ""), 0);
    assert_int_equal(dist("abc", ""), 3);
    assert_int_equal(dist("", "abc"), 3);
    assert_int_equal(dist("webinar", "webinar"), 0);
    assert_int_equal(dist("webniar", "webinar"), 1);  /* a swap of neighbours is one edit */
    assert_int_equal(dist("webinr", "webinar"), 1);   /* deletion */
    assert_int_equal(dist("webinaar", "webinar"), 1); /* insertion */
    assert_int_equal(dist("wobinar", "webinar"), 1);  /* substitution */
    assert_int_equal(dist("WEBINAR", "webinar"), 0);  /* ASCII case does not count */
    assert_int_equal(dist("ca", "abc"), 3);           /* optimal string alignment, not full Damerau */
    assert_int_equal(dist("kitten", "sitting"), 3);
    /* symmetric */
    assert_int_equal(dist("sitting", "kitten"), 3);
}

static void test_distance_cap(void **state) {
    (void)state;
    /* beyond the cap: cap + 1, whether by length alone or by content */
    assert_int_equal(suggest_distance("a", 1, "abcdef", 6, 2), 3);
    assert_int_equal(suggest_distance("abcdef", 6, "uvwxyz", 6, 2), 3);
    assert_int_equal(suggest_distance("abcdef", 6, "abcdxf", 6, 2), 1);
    assert_int_equal(suggest_distance("abc", 3, "abd", 3, 0), 1);
    char long_name[SUGGEST_MAX_LEN + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(suggest_distance(long_name, strlen(long_name), long_name,
                                      strlen(long_name), 5),
                     6);
}

static void test_limit(void **state) {
    (void)state;
    /* max(1, len/3): one edit for names up to 5 bytes, two from 6 */
    const char *c1[] = {"run"};
    assert_string_equal(suggest_closest("rn", c1, 1), "run");
    assert_null(suggest_closest("rnx", (const char *[]){"tune"}, 1));
    const char *c2[] = {"threshold"};
    assert_string_equal(suggest_closest("treshhold", c2, 1), "threshold"); /* 2 edits, len 9 */
    assert_null(suggest_closest("trshhld", c2, 1)); /* 3 edits */
    const char *c3[] = {"half_life_days"};
    assert_null(suggest_closest("half_life", c3, 1)); /* 5 edits: too far for 9 bytes */
}

static void test_choice(void **state) {
    (void)state;
    const char *cands[] = {"sweep", "tune", "run", "check", "gen", "cache"};
    assert_string_equal(suggest_closest("swep", cands, 6), "sweep");
    assert_string_equal(suggest_closest("chek", cands, 6), "check");
    assert_string_equal(suggest_closest("Tune", cands, 6), "tune"); /* case only: distance 0 */
    assert_null(suggest_closest("simulate", cands, 6));
    assert_null(suggest_closest("", cands, 6));
    /* the name itself is not a suggestion */
    assert_null(suggest_closest("run", (const char *[]){"run"}, 1));
    /* the closest wins; among equals, the first offered */
    const char *t[] = {"webinars", "webinar", "webinar_x"};
    assert_string_equal(suggest_closest("webinar__", t, 3), "webinar_x");
    const char *u[] = {"ab", "ac"};
    assert_string_equal(suggest_closest("aa", u, 2), "ab");
    assert_null(suggest_closest("x", NULL, 0));
}

static void test_incremental(void **state) {
    (void)state;
    suggest s;
    suggest_init(&s, "pricng_page_view");
    size_t n = 99;
    assert_null(suggest_best(&s, &n));
    assert_int_equal(n, 0);
    const char *data = "pricing_page_viewXdemo_request";
    suggest_offer(&s, data + 17, 12);
    suggest_offer(&s, data, 17);
    const char *b = suggest_best(&s, &n);
    assert_ptr_equal(b, data);
    assert_int_equal(n, 17);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),  cmocka_unit_test(test_distance_cap),
        cmocka_unit_test(test_limit),     cmocka_unit_test(test_choice),
        cmocka_unit_test(test_incremental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
