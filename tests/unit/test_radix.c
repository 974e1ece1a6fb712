/* test_radix.c - unit tests for radix: the key of a double, both sorts, stability, threads.
 *
 * The expected order is qsort's over (key, input position) pairs, which is
 * the one stable order; keys are drawn so that some passes are skipped
 * (narrow keys), some digits repeat (few distinct keys) and all 64 bits vary.
 * The double mapping is checked against the order of the doubles themselves
 * and, bit for bit, against the two formulas it replaced: one cleared -0
 * with a comparison, the other by adding 0.0, and set the sign bit with | or
 * ^ (the same on a clear bit). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "radix.h"

typedef struct pair {
    uint64_t key;
    uint32_t pos;
} pair;

static int cmp_pair(const void *a, const void *b) {
    const pair *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* n keys of one of the shapes: 0 all 64 bits, 1 the low 20 bits, 2 a few
 * distinct values, 3 all equal, 4 random doubles of both signs as keys. */
static void fill(gsl_rng *g, uint64_t *k, size_t n, int shape) {
    for (size_t i = 0; i < n; i++) {
        uint64_t u = (uint64_t)gsl_rng_get(g) << 32 ^ (uint64_t)gsl_rng_get(g);
        switch (shape) {
        case 0: k[i] = u; break;
        case 1: k[i] = u & 0xfffff; break;
        case 2: k[i] = (u % 7) << 40 | (u % 3); break;
        case 3: k[i] = 42; break;
        default: k[i] = radix_key((gsl_rng_uniform(g) - 0.5) * pow(10, (double)(u % 40) - 20));
        }
    }
}

static void expect_sorted(const uint64_t *got, const uint32_t *idx, const uint64_t *in, size_t n) {
    pair *p = malloc((n + 1) * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) p[i] = (pair){in[i], (uint32_t)i};
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i], p[i].key);
        if (idx) assert_int_equal(idx[i], p[i].pos);
    }
    free(p);
}

static void test_keys_threads(void **state) {
    (void)state;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    size_t sizes[] = {0, 1, 2, 3, 100, 2049, 70000};
    for (int nth = 1; nth <= 3; nth++) {
        radix_ws *ws = radix_ws_alloc(nth);
        assert_non_null(ws);
        for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++)
            for (int shape = 0; shape < 5; shape++) {
                size_t n = sizes[z];
                uint64_t *in = malloc((n + 1) * 8), *v = malloc((n + 1) * 8);
                uint64_t *t = malloc((n + 1) * 8);
                assert_true(in && v && t);
                fill(g, in, n, shape);
                memcpy(v, in, n * 8);
                const uint64_t *out = radix_sort(v, t, n, ws);
                assert_true(out == v || out == t);
                expect_sorted(out, NULL, in, n);
                free(in), free(v), free(t);
            }
        radix_ws_free(ws);
    }
    radix_ws_free(NULL);
    gsl_rng_free(g);
}

/* The payload shows stability: equal keys keep their input positions in order. */
static void test_keys_with_index(void **state) {
    (void)state;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 7);
    size_t sizes[] = {0, 1, 5, 4096, 50000};
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++)
        for (int shape = 0; shape < 5; shape++) {
            size_t n = sizes[z];
            uint64_t *in = malloc((n + 1) * 8), *k = malloc((n + 1) * 8), *k2 = malloc((n + 1) * 8);
            uint32_t *idx = malloc((n + 1) * 4), *i2 = malloc((n + 1) * 4);
            assert_true(in && k && k2 && idx && i2);
            fill(g, in, n, shape);
            memcpy(k, in, n * 8);
            for (size_t i = 0; i < n; i++) idx[i] = (uint32_t)i;
            radix_sort_idx(k, idx, k2, i2, n);
            expect_sorted(k, idx, in, n);
            free(in), free(k), free(k2), free(idx), free(i2);
        }
    gsl_rng_free(g);
}

static uint64_t key_cmp_zero(double v) { /* the sweep's former key */
    uint64_t u;
    if (v == 0) v = 0;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static uint64_t key_add_zero(double x) { /* the counts method's former key */
    x += 0.0;
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u ^ (UINT64_C(1) << 63);
}

static void test_double_keys(void **state) {
    (void)state;
    double v[] = {-INFINITY, -1e308, -1.5, -1, -0x1p-1074, -0.0, 0.0, 0x1p-1074, 1e-300,
                  1, 1.0000000000000002, 2, 1e308, INFINITY};
    size_t n = sizeof v / sizeof *v;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = radix_key(v[i]);
        assert_int_equal(k, key_cmp_zero(v[i]));
        assert_int_equal(k, key_add_zero(v[i]));
        double back = radix_value(k);
        if (v[i] == 0) { /* -0 comes back as +0 */
            assert_true(back == 0 && !signbit(back));
        } else {
            assert_memory_equal(&back, &v[i], sizeof back);
        }
        for (size_t j = 0; j < n; j++) {
            assert_int_equal(radix_key(v[i]) < radix_key(v[j]), v[i] < v[j]);
            assert_int_equal(radix_key(v[i]) == radix_key(v[j]), v[i] == v[j]);
        }
    }
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    for (int t = 0; t < 100000; t++) {
        uint64_t u = (uint64_t)gsl_rng_get(g) << 32 ^ (uint64_t)gsl_rng_get(g);
        double a;
        memcpy(&a, &u, sizeof a);
        if (isnan(a)) continue;
        assert_int_equal(radix_key(a), key_cmp_zero(a));
        assert_int_equal(radix_key(a), key_add_zero(a));
        double back = radix_value(radix_key(a));
        if (a != 0) assert_memory_equal(&back, &a, sizeof a);
    }
    gsl_rng_free(g);
}

/* -0 and +0 are one key, so the sort keeps them in input order. */
static void test_signed_zeros_stable(void **state) {
    (void)state;
    double v[] = {0.0, -0.0, -2, 0.0, -0.0, 3, -0.0};
    uint32_t want[] = {2, 0, 1, 3, 4, 6, 5};
    uint64_t k[7], k2[7];
    uint32_t idx[7], i2[7];
    for (uint32_t i = 0; i < 7; i++) k[i] = radix_key(v[i]), idx[i] = i;
    radix_sort_idx(k, idx, k2, i2, 7);
    for (int i = 0; i < 7; i++) assert_int_equal(idx[i], want[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_threads),
        cmocka_unit_test(test_keys_with_index),
        cmocka_unit_test(test_double_keys),
        cmocka_unit_test(test_signed_zeros_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
