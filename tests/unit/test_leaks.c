/* test_leaks.c - unit tests for leaks: attribute values that give the outcome away.
 *
 * A hand-built dataset of two attributes over 100 leads, 30 of them won:
 * "reason" is empty on every won lead and filled on the others (a leak),
 * "region" splits won and not-won evenly (harmless). The rule's edges: 50
 * leads at least, a won rate within 1% of 0 or 1, and a cohort won rate
 * between 5% and 95%. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dataset.h"
#include "leaks.h"
#include "strtab.h"

enum { N = 100 };

typedef struct fake {
    dataset ds;
    dataset_attr attrs[2];
    uint32_t code[2][N];
    uint8_t won[N];
} fake;

static void make(fake *f, int nwon) {
    memset(f, 0, sizeof *f);
    f->ds.nleads = N;
    f->ds.nattrs = 2;
    f->ds.attrs = f->attrs;
    const char *names[2] = {"reason", "region"};
    for (int a = 0; a < 2; a++) {
        f->attrs[a].name = (char *)names[a];
        strtab_init(&f->attrs[a].values);
        f->attrs[a].code = f->code[a];
    }
    strtab_intern(&f->attrs[0].values, "", 0, NULL);      /* 0: empty */
    strtab_intern(&f->attrs[0].values, "price", 5, NULL); /* 1 */
    strtab_intern(&f->attrs[1].values, "EMEA", 4, NULL);
    strtab_intern(&f->attrs[1].values, "APAC", 4, NULL);
    for (int i = 0; i < N; i++) {
        f->won[i] = i < nwon;
        f->code[0][i] = i < nwon ? 0 : 1;
        f->code[1][i] = i % 2;
    }
}

static void unmake(fake *f) {
    for (int a = 0; a < 2; a++) strtab_fini(&f->attrs[a].values);
}

static void test_leak_found(void **state) {
    (void)state;
    fake f;
    make(&f, 30);
    leaks lk;
    util_err err = {0};
    assert_int_equal(leaks_find(&f.ds, NULL, f.won, N, &lk, &err), 0);
    /* reason = "" (30 leads, all won) has fewer than 50 leads; "price" has
     * 70, none won: flagged. region: 50/50 of each, harmless. */
    assert_int_equal(lk.n, 1);
    assert_int_equal(lk.item[0].attr, 0);
    assert_int_equal(lk.item[0].value, 1);
    assert_int_equal(lk.item[0].leads, 70);
    assert_int_equal(lk.item[0].won, 0);
    assert_int_equal(lk.won, 30);
    unmake(&f);
}

static void test_edges(void **state) {
    (void)state;
    fake f;
    leaks lk;
    util_err err = {0};
    /* 50 won: both reason values have 50 leads, one all won, one none */
    make(&f, 50);
    assert_int_equal(leaks_find(&f.ds, NULL, f.won, N, &lk, &err), 0);
    assert_int_equal(lk.n, 2);
    unmake(&f);
    /* 4 won of 100: the cohort's won rate is under 5%, nothing is flagged */
    make(&f, 4);
    assert_int_equal(leaks_find(&f.ds, NULL, f.won, N, &lk, &err), 0);
    assert_int_equal(lk.n, 0);
    unmake(&f);
    /* fewer than 50 leads looked at: nothing */
    make(&f, 30);
    assert_int_equal(leaks_find(&f.ds, NULL, f.won, 49, &lk, &err), 0);
    assert_int_equal(lk.n, 0);
    /* one won "price" lead of 70: 1.4% won, not within 1% of 0 */
    f.won[99] = 1;
    assert_int_equal(leaks_find(&f.ds, NULL, f.won, N, &lk, &err), 0);
    assert_int_equal(lk.n, 0);
    unmake(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leak_found),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
