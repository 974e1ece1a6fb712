/* test_metrics.c - unit tests for metrics_eval: classification, ratios, NaN rules, weeks.
 *
 * The replay is built by hand (a few leads with a staircase and a fast time
 * each), so every figure below is worked out from SPEC 5.4 on paper: counts,
 * the ratios with their undefined cases, the median days to MQL, and the
 * ISO-week bucketing with its type-7 quantile. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"
#include "replay.h"
#include "tstamp.h"

#define DAY TSTAMP_USEC_PER_DAY
#define SEC TSTAMP_USEC_PER_SEC
#define NONE TSTAMP_NONE
#define EPS 1e-12

/* ---------- A hand-built replay ---------- */

enum { MAXL = 32, MAXS = 128 };

typedef struct fake {
    replay r;
    uint32_t lead[MAXL];
    int64_t created[MAXL], fast[MAXL], st_time[MAXS];
    uint8_t won[MAXL];
    double amount[MAXL], fit[MAXL], st_val[MAXS];
    size_t st_off[MAXL + 1];
} fake;

static void fake_init(fake *f, int timed, int two_axis) {
    memset(f, 0, sizeof *f);
    f->r.lead = f->lead;
    f->r.created = f->created;
    f->r.won = f->won;
    f->r.amount = f->amount;
    f->r.fit = f->fit;
    f->r.fast = f->fast;
    f->r.st_off = f->st_off;
    f->r.st_val = f->st_val;
    f->r.st_time = f->st_time;
    f->r.timed = timed;
    f->r.two_axis = two_axis;
    f->r.has_amount = 1;
}

/* Add a lead; steps are (value, time) pairs of its staircase, nsteps of them. */
static void add(fake *f, int64_t created, int won, double amount, double fit, int64_t fast,
                int nsteps, ...) {
    size_t i = f->r.n++;
    assert_true(i < MAXL);
    f->lead[i] = (uint32_t)i;
    f->created[i] = created;
    f->won[i] = (uint8_t)won;
    f->amount[i] = amount;
    f->fit[i] = fit;
    f->fast[i] = fast;
    va_list ap;
    va_start(ap, nsteps);
    for (int k = 0; k < nsteps; k++) {
        assert_true(f->r.nst < MAXS);
        f->st_val[f->r.nst] = va_arg(ap, double);
        f->st_time[f->r.nst] = va_arg(ap, int64_t);
        f->r.nst++;
    }
    va_end(ap);
    f->st_off[i + 1] = f->r.nst;
    /* until defaults to the latest timestamp (SPEC 5.1) */
    if (created > f->r.until) f->r.until = created;
    if (fast != NONE && fast > f->r.until) f->r.until = fast;
    for (size_t k = f->st_off[i]; k < f->r.nst; k++)
        if (f->st_time[k] > f->r.until) f->r.until = f->st_time[k];
    if (won) {
        f->r.nwon++;
        if (!isnan(amount)) f->r.won_amount += amount;
    }
}

static metrics_row eval(const fake *f, double T, double F) {
    metrics_row m;
    util_err err = {0};
    if (metrics_eval(&f->r, T, F, 1, &m, &err) < 0) fail_msg("metrics_eval: %s", err.msg);
    return m;
}

static void near(double got, double want) {
    if (!(fabs(got - want) <= EPS * (1 + fabs(want)))) fail_msg("got %.17g, expected %.17g", got, want);
}

static void counts(const metrics_row *m, long leads, long won, long tp, long fp, long fn, long tn) {
    assert_int_equal(m->leads, leads);
    assert_int_equal(m->won, won);
    assert_int_equal(m->mqls, tp + fp);
    assert_int_equal(m->tp, tp);
    assert_int_equal(m->fp, fp);
    assert_int_equal(m->fn, fn);
    assert_int_equal(m->tn, tn);
}

/* Monday 2025-01-06 00:00 UTC */
static int64_t mon(void) { return tstamp_from_civil(2025, 1, 6, 0, 0, 0); }

/* Six leads used by several tests (all created Monday 2025-01-06 00:00):
 *   L0 won 100: 0 at c, 10 at c+1d, 30 at c+3d
 *   L1 won 50:  5 at c; fast at c+2d
 *   L2 lost:    0 at c, 25 at c+1d
 *   L3 won, no amount: 0 at c
 *   L4 lost:    -5 at c
 *   L5 open:    40 at c+10d; fast at c+5d (earlier than its record) */
static void six(fake *f) {
    int64_t c = mon();
    fake_init(f, 1, 0);
    add(f, c, 1, 100, 0, NONE, 3, 0.0, c, 10.0, c + DAY, 30.0, c + 3 * DAY);
    add(f, c, 1, 50, 0, c + 2 * DAY, 1, 5.0, c);
    add(f, c, 0, NAN, 0, NONE, 2, 0.0, c, 25.0, c + DAY);
    add(f, c, 1, NAN, 0, NONE, 1, 0.0, c);
    add(f, c, 0, NAN, 0, NONE, 1, -5.0, c);
    add(f, c, 0, NAN, 0, c + 5 * DAY, 1, 40.0, c + 10 * DAY);
}

/* ---------- Classification and ratios ---------- */

static void test_counts_and_ratios(void **state) {
    (void)state;
    fake f;
    six(&f);
    /* T = 20: L0 (c+3d), L1 (fast c+2d), L2 (c+1d), L5 (fast c+5d) */
    metrics_row m = eval(&f, 20, 0);
    assert_true(m.threshold == 20);
    assert_int_equal(m.two_axis, 0);
    counts(&m, 6, 3, 2, 2, 1, 1);
    near(m.precision, 0.5);
    near(m.recall, 2.0 / 3);
    near(m.f1, 4.0 / 7);
    near(m.mql_rate, 4.0 / 6);
    near(m.lift, 0.5 / 0.5);
    near(m.revenue_recall, 150.0 / 150); /* L3 has no amount: counts 0 on both sides */
    /* days 3, 2, 1, 5 -> median 2.5 */
    near(m.median_days, 2.5);
    /* the cohort's weeks: 01-06 to the week of until (L5's record, 01-16) */
    assert_int_equal(m.nweeks, 2);
    assert_int_equal(m.weekly[0], 4);
    assert_int_equal(m.weekly[1], 0);
    assert_true(m.first_week == mon());
    metrics_row_fini(&m);

    /* T = 35: only the fast ones, L1 (won) and L5 */
    m = eval(&f, 35, 0);
    counts(&m, 6, 3, 1, 1, 2, 2);
    near(m.precision, 0.5);
    near(m.recall, 1.0 / 3);
    near(m.f1, 0.4);
    near(m.revenue_recall, 50.0 / 150);
    near(m.median_days, 3.5); /* 2 and 5 */
    metrics_row_fini(&m);

    /* T = -10: everyone, at created_at except L5 (fast c+5d beats its record at c+10d) */
    m = eval(&f, -10, 0);
    counts(&m, 6, 3, 3, 3, 0, 0);
    near(m.precision, 0.5);
    near(m.recall, 1);
    near(m.lift, 1);
    near(m.median_days, 0); /* 0,0,0,0,0,5 */
    metrics_row_fini(&m);
}

/* >= T: a record exactly at T qualifies, the smallest step above does not. */
static void test_threshold_boundary(void **state) {
    (void)state;
    fake f;
    six(&f);
    metrics_row m = eval(&f, 30, 0);
    counts(&m, 6, 3, 2, 1, 1, 2); /* L0 at 30 exactly, L1, L5 fast */
    metrics_row_fini(&m);
    m = eval(&f, nextafter(30, 100), 0);
    counts(&m, 6, 3, 1, 1, 2, 2);
    metrics_row_fini(&m);
}

/* ---------- Undefined ratios (SPEC 5.4: empty, never 0) ---------- */

static void test_nan_no_won(void **state) {
    (void)state;
    fake f;
    int64_t c = mon();
    fake_init(&f, 1, 0);
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, c);
    add(&f, c, 0, NAN, 0, NONE, 1, 0.0, c);
    metrics_row m = eval(&f, 10, 0);
    counts(&m, 2, 0, 0, 1, 0, 1);
    near(m.precision, 0);
    assert_true(isnan(m.recall));
    assert_true(isnan(m.f1));
    near(m.mql_rate, 0.5);
    assert_true(isnan(m.lift)); /* won rate 0 */
    assert_true(isnan(m.revenue_recall));
    near(m.median_days, 0);
    metrics_row_fini(&m);
}

static void test_nan_no_mql(void **state) {
    (void)state;
    fake f;
    int64_t c = mon();
    fake_init(&f, 1, 0);
    add(&f, c, 1, 10, 0, NONE, 1, 5.0, c);
    add(&f, c, 0, NAN, 0, NONE, 1, 0.0, c);
    metrics_row m = eval(&f, 10, 0);
    counts(&m, 2, 1, 0, 0, 1, 1);
    assert_true(isnan(m.precision));
    near(m.recall, 0);
    assert_true(isnan(m.f1));
    near(m.mql_rate, 0);
    assert_true(isnan(m.lift));
    near(m.revenue_recall, 0);
    assert_true(isnan(m.median_days));
    /* no hand-off in the cohort's one week: 0 a week, not undefined */
    assert_int_equal(m.nweeks, 1);
    assert_non_null(m.weekly);
    assert_int_equal(m.weekly[0], 0);
    near(m.weekly_mean, 0);
    near(m.weekly_p90, 0);
    near(m.weekly_max, 0);
    metrics_row_fini(&m);

    /* without time there are no weeks at all */
    fake_init(&f, 0, 0);
    add(&f, c, 1, 10, 0, NONE, 1, 5.0, c);
    m = eval(&f, 1, 0);
    assert_true(isnan(m.weekly_mean) && isnan(m.weekly_p90) && isnan(m.weekly_max));
    assert_null(m.weekly);
    assert_int_equal(m.nweeks, 0);
    metrics_row_fini(&m);
}

/* precision = recall = 0: f1 = 0 / 0, undefined. */
static void test_nan_f1_zero_zero(void **state) {
    (void)state;
    fake f;
    int64_t c = mon();
    fake_init(&f, 1, 0);
    add(&f, c, 1, 10, 0, NONE, 1, 0.0, c);
    add(&f, c, 0, NAN, 0, NONE, 1, 50.0, c + DAY);
    metrics_row m = eval(&f, 10, 0);
    counts(&m, 2, 1, 0, 1, 1, 0);
    near(m.precision, 0);
    near(m.recall, 0);
    assert_true(isnan(m.f1));
    near(m.lift, 0);
    metrics_row_fini(&m);
}

static void test_nan_empty_cohort_and_amounts(void **state) {
    (void)state;
    fake f;
    fake_init(&f, 1, 0);
    metrics_row m = eval(&f, 10, 0);
    counts(&m, 0, 0, 0, 0, 0, 0);
    assert_true(isnan(m.precision) && isnan(m.recall) && isnan(m.f1));
    assert_true(isnan(m.mql_rate) && isnan(m.lift) && isnan(m.revenue_recall));
    assert_true(isnan(m.median_days) && isnan(m.weekly_mean));
    metrics_row_fini(&m);

    /* won leads whose amounts are all missing: revenue_recall undefined */
    int64_t c = mon();
    fake_init(&f, 1, 0);
    add(&f, c, 1, NAN, 0, NONE, 1, 20.0, c);
    add(&f, c, 1, NAN, 0, NONE, 1, 0.0, c);
    m = eval(&f, 10, 0);
    counts(&m, 2, 2, 1, 0, 1, 0);
    assert_true(isnan(m.revenue_recall));
    metrics_row_fini(&m);
}

/* ---------- Time metrics ---------- */

static void test_median_days(void **state) {
    (void)state;
    fake f;
    int64_t c = mon();
    fake_init(&f, 1, 0);
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, c);                  /* 0 days */
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, c + DAY + DAY / 2);  /* 1.5 */
    add(&f, c + DAY, 0, NAN, 0, NONE, 1, 10.0, c + 3 * DAY);  /* 2 (created a day later) */
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, c + 10 * DAY);       /* 10 */
    metrics_row m = eval(&f, 10, 0);
    near(m.median_days, 1.75);
    metrics_row_fini(&m);
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, c + 7 * DAY);        /* 7: odd count */
    m = eval(&f, 10, 0);
    near(m.median_days, 2);
    metrics_row_fini(&m);
}

/* Weeks start Monday 00:00 UTC; a Sunday 23:59:59.999999 and the next Monday
 * 00:00:00 fall in different weeks; empty weeks between the first and the
 * last count as 0. */
static void test_weekly_bucketing(void **state) {
    (void)state;
    fake f;
    int64_t c = tstamp_from_civil(2024, 12, 30, 12, 0, 0); /* Monday 2024-12-30 */
    int64_t sun = tstamp_from_civil(2025, 1, 5, 23, 59, 59) + 999999;
    int64_t mon2 = tstamp_from_civil(2025, 1, 6, 0, 0, 0);
    int64_t later = tstamp_from_civil(2025, 1, 22, 8, 0, 0); /* Wednesday, 2 weeks on */
    fake_init(&f, 1, 0);
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, sun);
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, mon2);
    add(&f, c, 0, NAN, 0, mon2, 1, 0.0, c); /* fast at the same Monday */
    add(&f, c, 0, NAN, 0, NONE, 1, 10.0, later);
    add(&f, c, 0, NAN, 0, NONE, 1, 0.0, c); /* never */
    metrics_row m = eval(&f, 10, 0);
    assert_true(m.first_week == tstamp_from_civil(2024, 12, 30, 0, 0, 0));
    assert_int_equal(m.nweeks, 4); /* 12-30, 01-06, 01-13 (empty), 01-20 */
    assert_int_equal(m.weekly[0], 1);
    assert_int_equal(m.weekly[1], 2);
    assert_int_equal(m.weekly[2], 0);
    assert_int_equal(m.weekly[3], 1);
    near(m.weekly_mean, 1.0);   /* 4 / 4 */
    near(m.weekly_p90, 1.7);    /* sorted 0,1,1,2: h = 2.7 -> 1 + 0.7 */
    near(m.weekly_max, 2);
    metrics_row_fini(&m);
}

/* The weeks are the cohort's, not the hand-offs': leads created over ten
 * weeks (2025-03-03 to the week of 05-05) and one hand-off, in week 5,
 * with weeks 1-4 and 6-10 empty: mean 1/10, p90 0.1 (type 7: sorted nine
 * 0s then the 1, h = 0.9 * 9 = 8.1 -> x[8] + 0.1 (x[9] - x[8])), max 1. */
static void test_weekly_cohort_span(void **state) {
    (void)state;
    fake f;
    int64_t c = tstamp_from_civil(2025, 3, 3, 0, 0, 0); /* Monday */
    fake_init(&f, 1, 0);
    add(&f, c, 0, NAN, 0, NONE, 1, 0.0, c);
    add(&f, c + 4 * 7 * DAY, 0, NAN, 0, NONE, 1, 5.0, c + 4 * 7 * DAY + DAY);
    add(&f, c + 9 * 7 * DAY + 2 * DAY, 0, NAN, 0, NONE, 1, 0.0, c + 9 * 7 * DAY + 2 * DAY);
    metrics_row m = eval(&f, 5, 0);
    assert_int_equal(m.mqls, 1);
    assert_true(m.first_week == c);
    assert_int_equal(m.nweeks, 10);
    for (int w = 0; w < 10; w++) assert_int_equal(m.weekly[w], w == 4);
    near(m.weekly_mean, 0.1);
    near(m.weekly_p90, 0.1);
    near(m.weekly_max, 1);
    metrics_row_fini(&m);
}

/* Type-7 quantile over ten weeks: counts 3,0,0,1,5,2,0,0,0,4. */
static void test_weekly_quantile(void **state) {
    (void)state;
    static const int per_week[10] = {3, 0, 0, 1, 5, 2, 0, 0, 0, 4};
    fake f;
    int64_t c = tstamp_from_civil(2025, 3, 3, 0, 0, 0); /* Monday */
    fake_init(&f, 1, 0);
    for (int w = 0; w < 10; w++)
        for (int k = 0; k < per_week[w]; k++)
            add(&f, c, 0, NAN, 0, NONE, 1, 1.0, c + (7 * w + k) * DAY + 3600 * SEC);
    metrics_row m = eval(&f, 1, 0);
    assert_int_equal(m.mqls, 15);
    assert_int_equal(m.nweeks, 10);
    for (int w = 0; w < 10; w++) assert_int_equal(m.weekly[w], per_week[w]);
    near(m.weekly_mean, 1.5);
    near(m.weekly_p90, 4.1); /* sorted 0,0,0,0,0,1,2,3,4,5: h = 8.1 */
    near(m.weekly_max, 5);
    metrics_row_fini(&m);
    /* one single week: p90 = mean = max */
    fake_init(&f, 1, 0);
    add(&f, c, 0, NAN, 0, NONE, 1, 1.0, c + DAY);
    add(&f, c, 0, NAN, 0, NONE, 1, 1.0, c + 6 * DAY);
    m = eval(&f, 1, 0);
    assert_int_equal(m.nweeks, 1);
    near(m.weekly_mean, 2);
    near(m.weekly_p90, 2);
    near(m.weekly_max, 2);
    metrics_row_fini(&m);
}

/* A snapshot: counts and ratios, but no time metrics and no weeks. */
static void test_untimed(void **state) {
    (void)state;
    fake f;
    fake_init(&f, 0, 0);
    f.r.has_amount = 0;
    add(&f, 0, 1, NAN, 0, NONE, 1, 10.0, (int64_t)0);
    add(&f, 0, 0, NAN, 0, 0, 1, 0.0, (int64_t)0);
    add(&f, 0, 0, NAN, 0, NONE, 1, 0.0, (int64_t)0);
    metrics_row m = eval(&f, 10, 0);
    counts(&m, 3, 1, 1, 1, 0, 1);
    near(m.precision, 0.5);
    assert_true(isnan(m.revenue_recall));
    assert_true(isnan(m.median_days));
    assert_true(isnan(m.weekly_mean) && isnan(m.weekly_p90) && isnan(m.weekly_max));
    assert_null(m.weekly);
    assert_int_equal(m.nweeks, 0);
    metrics_row_fini(&m);
}

/* Two-axis: the staircase is behaviour only; fit >= F gates it, fast track does not. */
static void test_two_axis(void **state) {
    (void)state;
    fake f;
    int64_t c = mon();
    fake_init(&f, 1, 1);
    add(&f, c, 1, 10, 10, NONE, 2, 0.0, c, 20.0, c + DAY);    /* fit 10 */
    add(&f, c, 1, 10, 5, NONE, 2, 0.0, c, 20.0, c + DAY);     /* fit 5 */
    add(&f, c, 0, NAN, 0, NONE, 2, 0.0, c, 99.0, c + DAY);    /* fit 0, high behaviour */
    add(&f, c, 0, NAN, 0, c + 2 * DAY, 1, 0.0, c);            /* fit 0, fast */
    metrics_row m = eval(&f, 20, 5);
    assert_int_equal(m.two_axis, 1);
    assert_true(m.fit_threshold == 5);
    counts(&m, 4, 2, 2, 1, 0, 1);
    metrics_row_fini(&m);
    m = eval(&f, 20, 10);
    counts(&m, 4, 2, 1, 1, 1, 1);
    metrics_row_fini(&m);
    m = eval(&f, 20, 10.5);
    counts(&m, 4, 2, 0, 1, 2, 1);
    metrics_row_fini(&m);
    m = eval(&f, 0, 0); /* behaviour 0 at created_at reaches T = 0 for all */
    counts(&m, 4, 2, 2, 2, 0, 0);
    near(m.median_days, 0);
    metrics_row_fini(&m);
}

static void test_fini(void **state) {
    (void)state;
    metrics_row_fini(NULL);
    fake f;
    six(&f);
    metrics_row m = eval(&f, 20, 0);
    metrics_row_fini(&m);
    assert_null(m.weekly);
    metrics_row_fini(&m); /* twice */
}

/* Enough leads for metrics_eval to use its threads: every field is the same
 * with 1, 2 and 7 threads. */
static void test_threads_same(void **state) {
    (void)state;
    size_t n = 200003;
    replay r;
    memset(&r, 0, sizeof r);
    r.n = n;
    r.timed = 1;
    r.has_amount = 1;
    r.created = malloc(n * sizeof *r.created);
    r.won = malloc(n);
    r.amount = malloc(n * sizeof *r.amount);
    r.fit = calloc(n, sizeof *r.fit);
    r.fast = malloc(n * sizeof *r.fast);
    r.st_off = malloc((n + 1) * sizeof *r.st_off);
    r.st_val = malloc(3 * n * sizeof *r.st_val);
    r.st_time = malloc(3 * n * sizeof *r.st_time);
    assert_true(r.created && r.won && r.amount && r.fit && r.fast && r.st_off && r.st_val && r.st_time);
    uint64_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        r.created[i] = mon() + (int64_t)(x >> 40) * SEC;
        r.won[i] = (x >> 20) % 7 == 0;
        r.amount[i] = (x >> 10) % 5 == 0 ? NAN : (double)((x >> 30) % 100000) / 7.0;
        r.fast[i] = (x >> 25) % 11 == 0 ? r.created[i] + DAY : NONE;
        r.st_off[i] = r.nst;
        int steps = (int)((x >> 33) % 4);
        for (int k = 0; k < steps; k++) {
            r.st_val[r.nst] = (double)(k * 10 + (int)((x >> 45) % 10));
            r.st_time[r.nst] = r.created[i] + (int64_t)k * 3 * DAY;
            r.nst++;
        }
        if (r.won[i]) {
            r.nwon++;
            if (!isnan(r.amount[i])) r.won_amount += r.amount[i];
        }
    }
    r.st_off[n] = r.nst;
    for (size_t k = 0; k < r.nst; k++) /* until: the latest timestamp */
        if (r.st_time[k] > r.until) r.until = r.st_time[k];
    for (size_t i = 0; i < n; i++)
        if (r.fast[i] != NONE && r.fast[i] > r.until) r.until = r.fast[i];
    util_err err = {0};
    metrics_row a, b;
    assert_int_equal(metrics_eval(&r, 15, 0, 1, &a, &err), 0);
    for (int th = 2; th <= 7; th += 5) {
        assert_int_equal(metrics_eval(&r, 15, 0, th, &b, &err), 0);
        assert_int_equal(a.tp, b.tp);
        assert_int_equal(a.fp, b.fp);
        assert_int_equal(a.fn, b.fn);
        assert_int_equal(a.tn, b.tn);
        assert_memory_equal(&a.revenue_recall, &b.revenue_recall, sizeof a.revenue_recall);
        assert_memory_equal(&a.median_days, &b.median_days, sizeof a.median_days);
        assert_memory_equal(&a.weekly_p90, &b.weekly_p90, sizeof a.weekly_p90);
        assert_int_equal(a.nweeks, b.nweeks);
        assert_int_equal(a.first_week, b.first_week);
        assert_memory_equal(a.weekly, b.weekly, (size_t)a.nweeks * sizeof *a.weekly);
        metrics_row_fini(&b);
    }
    assert_true(a.tp > 0 && a.fp > 0 && a.fn > 0 && a.nweeks > 1);
    metrics_row_fini(&a);
    free(r.created), free(r.won), free(r.amount), free(r.fit), free(r.fast);
    free(r.st_off), free(r.st_val), free(r.st_time);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_ratios),
        cmocka_unit_test(test_threshold_boundary),
        cmocka_unit_test(test_nan_no_won),
        cmocka_unit_test(test_nan_no_mql),
        cmocka_unit_test(test_nan_f1_zero_zero),
        cmocka_unit_test(test_nan_empty_cohort_and_amounts),
        cmocka_unit_test(test_median_days),
        cmocka_unit_test(test_weekly_bucketing),
        cmocka_unit_test(test_weekly_quantile),
        cmocka_unit_test(test_weekly_cohort_span),
        cmocka_unit_test(test_untimed),
        cmocka_unit_test(test_two_axis),
        cmocka_unit_test(test_fini),
        cmocka_unit_test(test_threads_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
