/* test_logit.c - unit tests for logit: the penalised logistic fit against answers worked out by hand.
 *
 * The data of the first cases: eight cases, one binary feature x. With x = 0,
 * one of four is won; with x = 1, three of four.
 * - Without a penalty the fit is saturated: b0 = logit(1/4) = -ln 3,
 *   b1 = logit(3/4) - logit(1/4) = 2 ln 3, and the inverse Hessian gives
 *   var(b0) = 1 / (4 * 1/4 * 3/4) = 4/3 and var(b1) = 4/3 + 4/3 = 8/3.
 * - With lambda = 1 the intercept's equation sum (y - mu) = 0 reads
 *   (1 - 4 mu0) + (3 - 4 mu1) = 0, so mu0 + mu1 = 1 and b1 = -2 b0; with
 *   a = -b0 the slope's equation 3 - 4 mu1 - lambda b1 = 0 is
 *   3 - 4 sigma(a) - 2a = 0. Newton's method on that one equation (plain
 *   Python, `math` only, 50 steps from a = 0.3) gives a = 0.3343601987563658,
 *   so b0 = -0.3343601987563658 and b1 = 0.6687203975127316; the 2 x 2
 *   penalised Hessian [[v0 + v1, v1], [v1, v1 + 1]] (v = 4 mu (1 - mu)) at
 *   that point, inverted by hand, gives se(b0) = 0.826020738008903 and
 *   se(b1) = 0.8202560279236005. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "logit.h"

static const double X8[] = {0, 0, 0, 0, 1, 1, 1, 1};
static const uint8_t Y8[] = {1, 0, 0, 0, 1, 1, 1, 0};

static void near(double got, double want, double tol) {
    if (!(fabs(got - want) <= tol)) fail_msg("got %.17g, want %.17g", got, want);
}

static void test_saturated(void **state) {
    (void)state;
    logit_data d = {X8, Y8, NULL, 8, 1};
    logit_fit f;
    util_err err;
    assert_int_equal(logit_fit_init(&f, 1, &err), 0);
    assert_int_equal(logit_fit_run(&d, 0, &f, 0, &err), 0);
    assert_true(f.converged);
    near(f.b0, -log(3), 1e-9);
    near(f.beta[0], 2 * log(3), 1e-9);
    near(f.se0, sqrt(4.0 / 3), 1e-9);
    near(f.se[0], sqrt(8.0 / 3), 1e-9);
    logit_fit_fini(&f);
}

static void test_penalised(void **state) {
    (void)state;
    logit_data d = {X8, Y8, NULL, 8, 1};
    logit_fit f;
    util_err err;
    assert_int_equal(logit_fit_init(&f, 1, &err), 0);
    assert_int_equal(logit_fit_run(&d, 1, &f, 0, &err), 0);
    near(f.b0, -0.3343601987563658, 1e-10);
    near(f.beta[0], 0.6687203975127316, 1e-10);
    near(f.se0, 0.826020738008903, 1e-9);
    near(f.se[0], 0.8202560279236005, 1e-9);
    logit_fit_fini(&f);
}

/* Weights are repetitions: the eight cases as four weighted rows fit the same. */
static void test_weights(void **state) {
    (void)state;
    static const double x[] = {0, 0, 1, 1};
    static const uint8_t y[] = {1, 0, 1, 0};
    static const double w[] = {1, 3, 3, 1};
    logit_data d = {x, y, w, 4, 1};
    logit_fit f;
    util_err err;
    assert_int_equal(logit_fit_init(&f, 1, &err), 0);
    assert_int_equal(logit_fit_run(&d, 1, &f, 0, &err), 0);
    near(f.b0, -0.3343601987563658, 1e-10);
    near(f.beta[0], 0.6687203975127316, 1e-10);
    /* a weight of 0 holds a row out: adding one changes nothing */
    static const double x5[] = {0, 0, 1, 1, 7};
    static const uint8_t y5[] = {1, 0, 1, 0, 1};
    static const double w5[] = {1, 3, 3, 1, 0};
    logit_data d5 = {x5, y5, w5, 5, 1};
    assert_int_equal(logit_fit_run(&d5, 1, &f, 0, &err), 0);
    near(f.beta[0], 0.6687203975127316, 1e-10);
    logit_fit_fini(&f);
}

/* Separation: x = 1 only on won cases. Without a penalty the slope would
 * run away; with one it is finite, positive, and shrinks as lambda grows. */
static void test_separation(void **state) {
    (void)state;
    static const double x[] = {0, 0, 0, 0, 0, 0, 1, 1};
    static const uint8_t y[] = {0, 0, 0, 0, 1, 0, 1, 1};
    logit_data d = {x, y, NULL, 8, 1};
    logit_fit f;
    util_err err;
    assert_int_equal(logit_fit_init(&f, 1, &err), 0);
    double last = INFINITY;
    for (double lambda = 0.01; lambda <= 100; lambda *= 10) {
        assert_int_equal(logit_fit_run(&d, lambda, &f, 0, &err), 0);
        assert_true(f.converged);
        assert_true(isfinite(f.beta[0]) && f.beta[0] > 0 && f.beta[0] < last);
        assert_true(isfinite(f.se[0]));
        last = f.beta[0];
    }
    logit_fit_fini(&f);
}

/* One informative feature and one that is noise: the fit tells them apart. */
static void test_signal_and_noise(void **state) {
    (void)state;
    enum { N = 400 };
    double *x = malloc(2 * N * sizeof *x);
    uint8_t *y = malloc(N);
    unsigned s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        double u = (double)((s >> 8) & 0xffff) / 65536.0;
        s = s * 1103515245u + 12345u;
        x[2 * i] = (double)(i % 2);                 /* signal */
        x[2 * i + 1] = (double)((s >> 9) & 1);      /* noise */
        y[i] = u < (x[2 * i] ? 0.7 : 0.2);
    }
    logit_data d = {x, y, NULL, N, 2};
    logit_fit f;
    util_err err;
    assert_int_equal(logit_fit_init(&f, 2, &err), 0);
    assert_int_equal(logit_fit_run(&d, 1, &f, 0, &err), 0);
    assert_true(f.beta[0] / f.se[0] > 5);
    assert_true(fabs(f.beta[1] / f.se[1]) < 3);
    logit_fit_fini(&f);
    free(x);
    free(y);
}

/* A warm start reaches the same optimum as a cold one. */
static void test_warm(void **state) {
    (void)state;
    logit_data d = {X8, Y8, NULL, 8, 1};
    logit_fit f;
    util_err err;
    assert_int_equal(logit_fit_init(&f, 1, &err), 0);
    f.b0 = 3, f.beta[0] = -2;
    assert_int_equal(logit_fit_run(&d, 1, &f, 1, &err), 0);
    near(f.b0, -0.3343601987563658, 1e-10);
    near(f.beta[0], 0.6687203975127316, 1e-10);
    logit_fit_fini(&f);
}

static void test_loss(void **state) {
    (void)state;
    near(logit_loss(0, 1), log(2), 1e-15);
    near(logit_loss(800, 1), 0, 1e-12);      /* no overflow */
    near(logit_loss(800, 0), 800, 1e-9);
    near(logit_loss(-800, 0), 0, 1e-12);
}

int main(void) {
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saturated),     cmocka_unit_test(test_penalised),
        cmocka_unit_test(test_weights),       cmocka_unit_test(test_separation),
        cmocka_unit_test(test_signal_and_noise), cmocka_unit_test(test_loss),
        cmocka_unit_test(test_warm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
