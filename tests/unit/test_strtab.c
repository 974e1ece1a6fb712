/* test_strtab.c - unit tests for strtab: interning, lookup, growth and look-alike strings.
 *
 * strtab is the one hash table of the program: every lead id, event type and
 * attribute value goes through it, so a wrong index here silently attaches
 * events to the wrong lead. The tests check dense indices in insertion order,
 * that lookups compare whole strings (never a prefix), and that 100k strings
 * survive every rehash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strtab.h"

static long intern_s(strtab *t, const char *s, int *added) {
    return strtab_intern(t, s, strlen(s), added);
}

static long find_s(const strtab *t, const char *s) { return strtab_find(t, s, strlen(s)); }

/* ---------- Basics ---------- */

static void test_empty_table(void **state) {
    (void)state;
    strtab t;
    strtab_init(&t);
    assert_int_equal(t.n, 0);
    assert_int_equal(find_s(&t, "a"), -1);
    assert_int_equal(find_s(&t, ""), -1);
    strtab_fini(&t);
    strtab_fini(&t); /* fini leaves an empty table: twice is harmless */
    strtab_fini(NULL);
}

static void test_intern_and_find(void **state) {
    (void)state;
    strtab t;
    strtab_init(&t);
    int added = -1;
    assert_int_equal(intern_s(&t, "lead-1", &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(intern_s(&t, "lead-2", &added), 1);
    assert_int_equal(added, 1);
    assert_int_equal(intern_s(&t, "lead-1", &added), 0); /* again: same index, not added */
    assert_int_equal(added, 0);
    assert_int_equal(intern_s(&t, "lead-1", NULL), 0);   /* added may be NULL */
    assert_int_equal(t.n, 2);
    assert_int_equal(find_s(&t, "lead-1"), 0);
    assert_int_equal(find_s(&t, "lead-2"), 1);
    assert_int_equal(find_s(&t, "lead-3"), -1);
    assert_string_equal(strtab_str(&t, 0), "lead-1");
    assert_string_equal(strtab_str(&t, 1), "lead-2");
    strtab_fini(&t);
}

/* Lengths are honoured: s need not be NUL-terminated, and only s[0..len) counts. */
static void test_length_not_nul(void **state) {
    (void)state;
    strtab t;
    strtab_init(&t);
    const char buf[] = "abcdef";
    assert_int_equal(strtab_intern(&t, buf, 3, NULL), 0); /* "abc" */
    assert_int_equal(strtab_find(&t, "abcXYZ", 3), 0);
    assert_int_equal(strtab_find(&t, buf, 6), -1);
    assert_int_equal(strtab_find(&t, buf, 2), -1);
    assert_string_equal(strtab_str(&t, 0), "abc");
    strtab_fini(&t);
}

/* Strings embedded in one another (prefixes, suffixes, the empty string) and
 * strings that differ in one byte are all distinct entries. */
static void test_embedded_similar(void **state) {
    (void)state;
    static const char *words[] = {"",      "a",      "ab",      "abc",      "abcd",    "bcd",
                                  "cd",    "d",      "abc ",    " abc",     "ABC",     "abd",
                                  "id1",   "id10",   "id100",   "id01",     "1di",     "id1\t",
                                  "email", "e-mail", "email_",  "Email",    "e",       "mail"};
    size_t n = sizeof words / sizeof *words;
    strtab t;
    strtab_init(&t);
    for (size_t i = 0; i < n; i++) {
        int added = 0;
        assert_int_equal(intern_s(&t, words[i], &added), (long)i);
        assert_int_equal(added, 1);
    }
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(find_s(&t, words[i]), (long)i);
        assert_string_equal(strtab_str(&t, i), words[i]);
    }
    /* a prefix or extension of a stored string that was never interned */
    assert_int_equal(find_s(&t, "abcde"), -1);
    assert_int_equal(find_s(&t, "id1000"), -1);
    assert_int_equal(find_s(&t, "emai"), -1);
    strtab_fini(&t);
}

/* ---------- Growth ---------- */

static void test_growth_100k(void **state) {
    (void)state;
    enum { N = 100000 };
    strtab t;
    strtab_init(&t);
    char s[32];
    for (long i = 0; i < N; i++) {
        int len = snprintf(s, sizeof s, "L%07ld", i);
        int added = 0;
        assert_int_equal(strtab_intern(&t, s, (size_t)len, &added), i);
        assert_int_equal(added, 1);
    }
    assert_int_equal(t.n, N);
    /* a power of two, at most half full */
    assert_true(t.nslots >= 2 * (size_t)N);
    assert_int_equal(t.nslots & (t.nslots - 1), 0);
    for (long i = 0; i < N; i++) {
        int len = snprintf(s, sizeof s, "L%07ld", i);
        assert_int_equal(strtab_find(&t, s, (size_t)len), i);
        assert_string_equal(strtab_str(&t, (size_t)i), s);
        int added = 1;
        assert_int_equal(strtab_intern(&t, s, (size_t)len, &added), i);
        assert_int_equal(added, 0);
    }
    assert_int_equal(t.n, N);
    /* ids that differ only in their last digits, and ones just out of range */
    assert_int_equal(find_s(&t, "L0100000"), -1);
    assert_int_equal(find_s(&t, "L00999999"), -1);
    assert_int_equal(find_s(&t, "L009999"), -1);
    strtab_fini(&t);
}

/* Long strings and arena growth: every string stays readable at its index
 * after the arena has been moved by realloc many times. */
static void test_long_strings(void **state) {
    (void)state;
    strtab t;
    strtab_init(&t);
    char s[2100];
    for (int i = 0; i < 300; i++) {
        /* a run of letters of varying length, then a unique tail "#000000i" */
        size_t len = (size_t)(i * 7) % 2000 + 1;
        for (size_t k = 0; k < len; k++) s[k] = (char)('a' + (k + (size_t)i) % 26);
        char tail[16];
        snprintf(tail, sizeof tail, "#%08d", i);
        memcpy(s + len, tail, strlen(tail) + 1);
        assert_int_equal(intern_s(&t, s, NULL), i);
    }
    for (int i = 0; i < 300; i++) {
        const char *got = strtab_str(&t, (size_t)i);
        char tail[16];
        snprintf(tail, sizeof tail, "#%08d", i);
        size_t gl = strlen(got);
        assert_true(gl >= 9);
        assert_string_equal(got + gl - 9, tail);
        assert_int_equal(find_s(&t, got), i);
    }
    strtab_fini(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_table),
        cmocka_unit_test(test_intern_and_find),
        cmocka_unit_test(test_length_not_nul),
        cmocka_unit_test(test_embedded_similar),
        cmocka_unit_test(test_growth_100k),
        cmocka_unit_test(test_long_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
