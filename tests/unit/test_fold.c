/* test_fold.c - unit tests for fold: case-insensitive comparison of UTF-8 text.
 *
 * The pairs below are Unicode's simple case foldings (CaseFolding.txt, C and
 * S) for each range fold.h covers, both ways, and pairs that must stay
 * apart (ß and ss, dotless i and I, different letters, different lengths). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"

static int eq(const char *a, const char *b) { return fold_equal(a, strlen(a), b, strlen(b)); }

static void test_code_points(void **state) {
    (void)state;
    assert_int_equal(fold_cp('A'), 'a');
    assert_int_equal(fold_cp('z'), 'z');
    assert_int_equal(fold_cp(0xC9), 0xE9);   /* É */
    assert_int_equal(fold_cp(0xD7), 0xD7);   /* × is no letter */
    assert_int_equal(fold_cp(0xDF), 0xDF);   /* ß: no simple fold */
    assert_int_equal(fold_cp(0x100), 0x101); /* Ā */
    assert_int_equal(fold_cp(0x141), 0x142); /* Ł */
    assert_int_equal(fold_cp(0x142), 0x142);
    assert_int_equal(fold_cp(0x17D), 0x17E); /* Ž */
    assert_int_equal(fold_cp(0x178), 0xFF);  /* Ÿ */
    assert_int_equal(fold_cp(0x17F), 's');   /* ſ */
    assert_int_equal(fold_cp(0x130), 0x130); /* İ: no simple fold */
    assert_int_equal(fold_cp(0xB5), 0x3BC);  /* µ */
    assert_int_equal(fold_cp(0x391), 0x3B1); /* Α */
    assert_int_equal(fold_cp(0x3A3), 0x3C3); /* Σ */
    assert_int_equal(fold_cp(0x3C2), 0x3C3); /* ς */
    assert_int_equal(fold_cp(0x386), 0x3AC); /* Ά */
    assert_int_equal(fold_cp(0x38F), 0x3CE); /* Ώ */
    assert_int_equal(fold_cp(0x410), 0x430); /* А */
    assert_int_equal(fold_cp(0x401), 0x451); /* Ё */
    assert_int_equal(fold_cp(0x490), 0x491); /* Ґ */
    assert_int_equal(fold_cp(0x4C1), 0x4C2); /* Ӂ */
    assert_int_equal(fold_cp(0x4C0), 0x4CF); /* Ӏ */
    assert_int_equal(fold_cp(0x4E8), 0x4E9); /* Ө */
}

static void test_equal(void **state) {
    (void)state;
    assert_true(eq("Software", "SOFTWARE"));
    assert_true(eq("Société Générale", "SOCIÉTÉ GÉNÉRALE"));
    assert_true(eq("Łódź", "ŁÓDŹ"));
    assert_true(eq("Αθήνα", "ΑΘΉΝΑ"));
    assert_true(eq("Москва", "МОСКВА"));
    assert_true(eq("", ""));
    assert_false(eq("straße", "STRASSE"));
    assert_false(eq("web", "webs"));
    assert_false(eq("retail", "retall"));
    assert_false(eq("\xff", "\xfe"));        /* malformed bytes compare as themselves */
    assert_true(eq("\xff", "\xff"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_points),
        cmocka_unit_test(test_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
