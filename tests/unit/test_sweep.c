/* test_sweep.c - unit tests for sweep_run and boot_run: rows, counts, workload, pick, bootstrap.
 *
 * Replays are built by hand (the replay.h arrays, allocated here and freed
 * here), so every expected number is worked out from the staircases written
 * in each test: the rows are the distinct best scores (last staircase record)
 * of the leads with no fast time, an MQL time is the earlier of the fast time
 * and the first record >= T, and weekly workload is over ISO weeks from the
 * first to the last MQL week, empty weeks included, p90 as R's type 7.
 *
 * Beyond the hand-made cases: random replays are swept and compared with a
 * brute force written here from the same definitions (every row, every
 * count, the weekly figures and the pick), and the bootstrap is compared with
 * a brute force that keeps every resampled value (exact type-7 quantiles of
 * the float-rounded values, the picks of every resample), which checks the
 * bounded tail heaps and their merge across threads. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "boot.h"
#include "replay.h"
#include "scenario.h"
#include "out_sweep.h"
#include "sweep.h"
#include "tstamp.h"
#include "util.h"

#define NONE TSTAMP_NONE
#define DAY TSTAMP_USEC_PER_DAY
#define MAXST 8

/* ---------- Building replays and scenarios by hand ---------- */

/* One cohort lead: its staircase (record values strictly increasing, times
 * non-decreasing) and its fast-track/rule time. */
typedef struct lead_spec {
    int64_t created;
    int won;
    double amount; /* NAN for none */
    double fit;
    int64_t fast;  /* NONE when never */
    int nst;       /* 0: no candidate time (closed before created) */
    double v[MAXST];
    int64_t t[MAXST];
} lead_spec;

static int64_t D(int m, int d) { return tstamp_from_civil(2025, m, d, 0, 0, 0); }

static replay *mk(const lead_spec *L, size_t n, int two_axis, int timed) {
    replay *r = calloc(1, sizeof *r);
    assert_non_null(r);
    size_t nst = 0;
    for (size_t i = 0; i < n; i++) nst += (size_t)L[i].nst;
    r->n = n;
    r->lead = malloc((n + 1) * sizeof *r->lead);
    r->created = malloc((n + 1) * sizeof *r->created);
    r->won = malloc(n + 1);
    r->amount = malloc((n + 1) * sizeof *r->amount);
    r->fit = malloc((n + 1) * sizeof *r->fit);
    r->fast = malloc((n + 1) * sizeof *r->fast);
    r->st_off = malloc((n + 1) * sizeof *r->st_off);
    r->st_val = malloc((nst + 1) * sizeof *r->st_val);
    r->st_time = malloc((nst + 1) * sizeof *r->st_time);
    assert_true(r->lead && r->created && r->won && r->amount && r->fit && r->fast && r->st_off &&
                r->st_val && r->st_time);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        r->lead[i] = (uint32_t)i;
        r->created[i] = L[i].created;
        r->won[i] = (uint8_t)(L[i].won != 0);
        r->amount[i] = L[i].amount;
        r->fit[i] = L[i].fit;
        r->fast[i] = L[i].fast;
        r->st_off[i] = k;
        for (int j = 0; j < L[i].nst; j++, k++) {
            r->st_val[k] = L[i].v[j];
            r->st_time[k] = L[i].t[j];
        }
        if (L[i].won) {
            r->nwon++;
            if (!isnan(L[i].amount)) r->won_amount += L[i].amount;
        }
        if (!isnan(L[i].amount)) r->has_amount = 1;
    }
    r->st_off[n] = k;
    r->nst = nst;
    r->tmin = INT64_MAX; /* as replay_run sets them */
    r->tmax = INT64_MIN;
    for (size_t q = 0; q < nst; q++) {
        if (r->st_time[q] < r->tmin) r->tmin = r->st_time[q];
        if (r->st_time[q] > r->tmax) r->tmax = r->st_time[q];
    }
    for (size_t i = 0; i < n; i++) {
        if (r->fast[i] == TSTAMP_NONE) continue;
        if (r->fast[i] < r->tmin) r->tmin = r->fast[i];
        if (r->fast[i] > r->tmax) r->tmax = r->fast[i];
    }
    r->two_axis = two_axis;
    r->timed = timed;
    r->until = D(3, 1);
    return r;
}

static void rfree(replay *r) {
    free(r->lead);
    free(r->created);
    free(r->won);
    free(r->amount);
    free(r->fit);
    free(r->fast);
    free(r->st_off);
    free(r->st_val);
    free(r->st_time);
    free(r);
}

static scenario *scn(int objective, double a, double b) {
    scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sc->objective = objective;
    sc->obj_a = a;
    sc->obj_b = b;
    return sc;
}

static scenario *scn_sales(int objective, double a, double b, double reps, double per_day) {
    scenario *sc = scn(objective, a, b);
    sc->has_sales = 1;
    sc->reps = reps;
    sc->followups_per_rep_per_day = per_day;
    return sc;
}

static sweep *do_sweep(const replay *r, const scenario *sc, long B, unsigned long seed, int threads) {
    sweep_opts o = {.bootstrap = B, .seed = seed, .threads = threads};
    sweep *s = NULL;
    util_err err;
    memset(&err, 0, sizeof err);
    if (sweep_run(r, sc, &o, &s, &err) < 0) fail_msg("sweep_run: %s", err.msg);
    assert_non_null(s);
    if (boot_run(s, r, &o, &err) < 0) fail_msg("boot_run: %s", err.msg);
    return s;
}

/* Both NaN, or equal. */
static int same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

#define assert_same(a, b)                                                                      \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!same(a_, b_)) fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                 \
    } while (0)

#define assert_close(a, b)                                                                     \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!(fabs(a_ - b_) <= 1e-12 * (1 + fabs(b_))))                                        \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                \
    } while (0)

/* Check row j: thresholds, counts and weekly workload (nweeks 0: NaNs). */
static void check_row(const sweep *s, size_t j, double T, double F, long tp, long fp, long nweeks,
                      double wmean, double wp90, double wmax) {
    const sweep_row *w = &s->rows[j];
    if (w->T != T || !same(w->F, F) || w->tp != tp || w->fp != fp || w->nweeks != nweeks)
        fail_msg("row %zu: T %g F %g tp %ld fp %ld nweeks %ld (%.17g %.17g %.17g); expected T %g F "
                 "%g tp %ld fp %ld nweeks %ld", j, w->T, w->F, w->tp, w->fp, w->nweeks, w->wmean,
                 w->wp90, w->wmax, T, F, tp, fp, nweeks);
    if (nweeks == 0) {
        assert_true(isnan(w->wmean) && isnan(w->wp90) && isnan(w->wmax));
    } else {
        assert_close(w->wmean, wmean);
        assert_close(w->wp90, wp90);
        assert_close(w->wmax, wmax);
    }
}

/* The verdict on s (why there is no recommendation) is WANT. */
static void expect_verdict_text(const sweep *s, const char *want) {
    util_buf b;
    util_buf_init(&b);
    out_sweep_verdict(&b, s);
    assert_false(b.failed);
    assert_string_equal(b.data ? b.data : "", want);
    util_buf_fini(&b);
}

static char *recommendation(const sweep *s, const char *objective_text) {
    util_buf b;
    util_buf_init(&b);
    out_sweep_recommendation(&b, s, objective_text);
    assert_false(b.failed);
    char *out = strdup(b.data ? b.data : "");
    util_buf_fini(&b);
    return out;
}

/* ---------- The data of tests/e2e/sweep-rows, plus a lead that cannot qualify ---------- */

/* Weeks W1 01-06 .. W5 02-03; every lead created Monday 01-06.
 *   L1 won 100 fit 2: (2, 01-06) (12, 01-07), fast 01-15
 *   L2 lost  fit 0 : (0, 01-06) (5, 01-08) (10, 01-20) (15, 01-23), fast (rule) 01-23
 *   L3 open  fit 5 : (5, 01-06)                   [score only drops later]  best 5
 *   L4 won 50      : (0, 01-06) (10, 01-14)                                 best 10
 *   L5 lost        : (0, 01-06) (5, 01-07) (10, 01-28)                      best 10
 *   L6 lost  fit 2 : (2, 01-06)                   [closed before any event] best 2
 *   L7 won 200     : (0, 01-06) (5, 01-07) (15, 02-04)                      best 15
 *   L8 won 25      : closed before it was created: no staircase, no fast time. */
static size_t rows_data(lead_spec *L) {
    const lead_spec src[] = {
        {D(1, 6), 1, 100, 2, D(1, 15), 2, {2, 12}, {D(1, 6), D(1, 7)}},
        {D(1, 6), 0, NAN, 0, D(1, 23), 4, {0, 5, 10, 15}, {D(1, 6), D(1, 8), D(1, 20), D(1, 23)}},
        {D(1, 6), 0, NAN, 5, NONE, 1, {5}, {D(1, 6)}},
        {D(1, 6), 1, 50, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 14)}},
        {D(1, 6), 0, NAN, 0, NONE, 3, {0, 5, 10}, {D(1, 6), D(1, 7), D(1, 28)}},
        {D(1, 6), 0, NAN, 2, NONE, 1, {2}, {D(1, 6)}},
        {D(1, 6), 1, 200, 0, NONE, 3, {0, 5, 15}, {D(1, 6), D(1, 7), D(2, 4)}},
        {D(1, 6), 1, 25, 0, NONE, 0, {0}, {0}},
    };
    memcpy(L, src, sizeof src);
    return sizeof src / sizeof src[0];
}

static void test_rows_single_axis(void **state) {
    (void)state;
    lead_spec L[16];
    size_t n = rows_data(L);
    replay *r = mk(L, n, 0, 1);
    scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
    sweep *s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->nrows, 4);
    assert_int_equal(s->nT, 4);
    assert_int_equal(s->nF, 1);
    assert_int_equal(s->leads, 8);
    assert_int_equal(s->won, 4);
    assert_int_equal(s->fast, 2);
    assert_false(s->two_axis);
    /* The cohort's weeks: 01-06 (its first lead's) to 02-24 (until 03-01's), 8.
     * T=2 : all but L8; W1 6 (L1 L2 L3 L5 L6 L7), W2 1 (L4), six empty weeks:
     *       sorted 0 x6, 1, 6: mean 7/8, p90 x[6] + 0.3 (x[7] - x[6]) = 2.5
     * T=5 : L6 out; W1 5, W2 1: mean 6/8, p90 1 + 0.3*4 = 2.2
     * T=10: L3 out; L1 W1, L4 W2, L2 W3, L5 W4, L7 W5: 0 x3, 1 x5: mean 5/8, p90 1
     * T=15: L4 L5 out; L1 fast W2, L2 W3, L7 W5: 0 x5, 1 x3: mean 3/8, p90 1 */
    check_row(s, 0, 2, NAN, 3, 4, 8, 0.875, 2.5, 6);
    check_row(s, 1, 5, NAN, 3, 3, 8, 0.75, 2.2, 5);
    check_row(s, 2, 10, NAN, 3, 2, 8, 0.625, 1, 1);
    check_row(s, 3, 15, NAN, 2, 1, 8, 0.375, 1, 1);
    assert_close(s->rows[3].tp_amount, 300);
    assert_close(s->rows[0].tp_amount, 350);
    assert_close(s->won_amount, 375);
    /* f1 with won = 4 (L8 is a won lead never handed off): 6/11, 0.6, 2/3, 4/7
     * (2/3 is 0.6666666666666665 as 2 * 0.6 * 0.75 / 1.35 in doubles) */
    assert_close(s->rows[0].objective, 6.0 / 11);
    assert_close(s->rows[1].objective, 0.6);
    assert_close(s->rows[2].objective, 2.0 / 3);
    assert_close(s->rows[3].objective, 4.0 / 7);
    assert_int_equal(s->best, 2);
    assert_int_equal(s->runner_up, 1);
    assert_close(sweep_precision(s, &s->rows[2]), 0.6);
    assert_close(sweep_recall(s, &s->rows[2]), 0.75);
    /* no bootstrap: no intervals, nothing chosen */
    assert_int_equal(s->nboot, 0);
    for (size_t j = 0; j < s->nrows; j++) {
        const sweep_row *w = &s->rows[j];
        assert_true(isnan(w->p_lo) && isnan(w->p_hi) && isnan(w->r_lo) && isnan(w->r_hi));
        assert_int_equal(w->chosen, 0);
    }
    assert_true(isnan(s->stability));
    char *text = recommendation(s, "f1");
    assert_non_null(strstr(text, "Recommended threshold: **10**"));
    assert_null(strstr(text, "How sure"));
    assert_null(strstr(text, "nan"));
    free(text);
    /* sweep.csv: empty interval and bootstrap_chosen fields, the pick column;
     * the objective 2 tp / (2 tp + fp + fn) = 6 / 9, one rounding */
    util_buf b;
    util_buf_init(&b);
    out_sweep_csv(&b, s, "rows", 1);
    assert_non_null(strstr(b.data, "\nrows,10,,8,4,5,3,2,1,2,0.6,0.75,"));
    assert_non_null(strstr(b.data, ",8,0.625,1,1,,,,,0.6666666666666666,,recommended\n"));
    assert_non_null(strstr(b.data, ",runner-up\n"));
    util_buf_fini(&b);
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* ---------- Two-axis: the data of tests/e2e/sweep-two-axis ---------- */

static void test_two_axis(void **state) {
    (void)state;
    /* behaviour staircases; D is fast-tracked at 01-20 with fit 0 */
    const lead_spec L[] = {
        {D(1, 6), 1, 100, 10, NONE, 3, {0, 10, 20}, {D(1, 6), D(1, 7), D(1, 14)}},
        {D(1, 6), 1, 50, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 8)}},
        {D(1, 6), 0, NAN, 10, NONE, 2, {0, 5}, {D(1, 6), D(1, 9)}},
        {D(1, 6), 1, 30, 0, D(1, 20), 2, {0, 5}, {D(1, 6), D(1, 7)}},
        {D(1, 6), 0, NAN, 5, NONE, 2, {0, 10}, {D(1, 6), D(1, 13)}},
    };
    replay *r = mk(L, 5, 1, 1);
    scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
    sweep *s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->nT, 3);
    assert_int_equal(s->nF, 3);
    assert_int_equal(s->nrows, 9);
    assert_int_equal(s->fast, 1);
    assert_true(s->two_axis);
    /* over the cohort's 8 weeks: weekly counts {4, 1}, {2, 1, 1}, {2, 1}, {2, 1, 1},
     * {1, 1, 1}, {1, 1} and {1, 1}, the other weeks empty */
    check_row(s, 0, 5, 0, 3, 2, 8, 0.625, 1.9, 4);
    check_row(s, 1, 5, 5, 2, 2, 8, 0.5, 1.3, 2);
    check_row(s, 2, 5, 10, 2, 1, 8, 0.375, 1.3, 2);
    check_row(s, 3, 10, 0, 3, 1, 8, 0.5, 1.3, 2);
    check_row(s, 4, 10, 5, 2, 1, 8, 0.375, 1, 1);
    check_row(s, 5, 10, 10, 2, 0, 8, 0.25, 1, 1);
    for (size_t j = 6; j < 9; j++) check_row(s, j, 20, (double)(j - 6) * 5, 2, 0, 8, 0.25, 1, 1);
    assert_int_equal(s->best, 3);
    assert_int_equal(s->runner_up, 8); /* ties at 0.8: 2 hand-offs each, T 20, then F 10 */
    char *text = recommendation(s, "f1");
    assert_non_null(strstr(text, "**10 with fit threshold 0**"));
    assert_non_null(strstr(text, "Runner-up: 20 with fit threshold 10"));
    free(text);
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* ---------- Objectives: the data of tests/e2e/sweep-obj-* ---------- */

/* Rows 0 10 20 30 40; mqls 8 7 4 3 1; tp 4 4 3 2 1 (won 4); weekly p90 8 2.8 1 1 1. */
static replay *obj_data(int timed) {
    const lead_spec L[] = {
        {D(1, 6), 1, 100, 0, NONE, 3, {0, 10, 40}, {D(1, 6), D(1, 7), D(1, 28)}},
        {D(1, 6), 1, 200, 0, NONE, 2, {0, 30}, {D(1, 6), D(1, 14)}},
        {D(1, 6), 0, NAN, 0, NONE, 2, {0, 30}, {D(1, 6), D(1, 21)}},
        {D(1, 6), 1, 300, 0, NONE, 2, {0, 20}, {D(1, 6), D(1, 8)}},
        {D(1, 6), 0, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 9)}},
        {D(1, 6), 1, 400, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 15)}},
        {D(1, 6), 0, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 22)}},
        {D(1, 6), 0, NAN, 0, NONE, 1, {0}, {D(1, 6)}},
    };
    return mk(L, 8, 0, timed);
}

static void check_objective(const sweep *s, const double *want, long best, long runner_up) {
    for (size_t j = 0; j < s->nrows; j++) {
        if (!same(s->rows[j].objective, want[j]) &&
            !(fabs(s->rows[j].objective - want[j]) <= 1e-12))
            fail_msg("objective of row %zu = %.17g, expected %.17g", j, s->rows[j].objective, want[j]);
    }
    if (s->best != best || s->runner_up != runner_up)
        fail_msg("best %ld runner-up %ld, expected %ld and %ld", s->best, s->runner_up, best,
                 runner_up);
}

static void test_objectives(void **state) {
    (void)state;
    replay *r = obj_data(1);
    struct {
        scenario *sc;
        double want[5];
        long best, runner_up;
    } cases[] = {
        {scn(SCENARIO_OBJ_F1, 0, 0), {2.0 / 3, 8.0 / 11, 0.75, 4.0 / 7, 0.4}, 2, 1},
        {scn(SCENARIO_OBJ_FBETA, 2, 0), {5.0 / 6, 20.0 / 23, 0.75, 10.0 / 19, 5.0 / 17}, 1, 0},
        {scn(SCENARIO_OBJ_PRECISION_AT_LEAST, 0.75, 0), {NAN, NAN, 0.75, NAN, 0.25}, 2, 4},
        {scn(SCENARIO_OBJ_RECALL_AT_LEAST, 0.5, 0), {-8, -7, -4, -3, NAN}, 3, 2},
        {scn_sales(SCENARIO_OBJ_CAPACITY, 0, 0, 2, 0.2), {NAN, NAN, 0.75, 0.5, 0.25}, 2, 3},
        {scn(SCENARIO_OBJ_VALUE, 100, 50), {0, 50, 100, 50, 50}, 2, 4},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sweep *s = do_sweep(r, cases[k].sc, 0, 1, 1);
        assert_int_equal(s->nrows, 5);
        if (k == 0) {
            /* the cohort's 8 weeks: counts {8}, {3, 2, 2}, {1, 1, 1, 1}, {1, 1, 1}
             * and {1}, the other weeks empty */
            check_row(s, 0, 0, NAN, 4, 4, 8, 1, 2.4, 8);
            check_row(s, 1, 10, NAN, 4, 3, 8, 7.0 / 8, 2.3, 3);
            check_row(s, 2, 20, NAN, 3, 1, 8, 0.5, 1, 1);
            check_row(s, 3, 30, NAN, 2, 1, 8, 3.0 / 8, 1, 1);
            check_row(s, 4, 40, NAN, 1, 0, 8, 1.0 / 8, 0.3, 1);
        }
        check_objective(s, cases[k].want, cases[k].best, cases[k].runner_up);
        if (cases[k].sc->objective == SCENARIO_OBJ_CAPACITY) assert_close(s->capacity, 2);
        else assert_true(isnan(s->capacity));
        expect_verdict_text(s, "");
        sweep_free(s);
        free(cases[k].sc);
    }
    rfree(r);
}

/* ---------- No row satisfies the objective: the verdicts ---------- */

/* N1 won (0)(10 01-07); N2 lost (0)(10 01-08); N3 open (0); N4 won (0)(10 01-14):
 * rows 0 and 10, precision 0.5 and 2/3, recall 1; over the cohort's 8 weeks
 * (01-06 to until's 02-24) weekly counts {4} and {2, 1}: p90 1.2 and 1.3. */
static replay *none_data(int won) {
    const lead_spec L[] = {
        {D(1, 6), won, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 7)}},
        {D(1, 6), 0, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 8)}},
        {D(1, 6), 0, NAN, 0, NONE, 1, {0}, {D(1, 6)}},
        {D(1, 6), won, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 14)}},
    };
    return mk(L, 4, 0, 1);
}

/* No row qualifies on the full data. With all_none no resample can have one either
 * (otherwise a resample may: e.g. one without the lost lead has precision 1). */
static void expect_verdict(const replay *r, scenario *sc, int all_none, const char *want) {
    sweep *s = do_sweep(r, sc, 50, 3, 2);
    assert_int_equal(s->best, -1);
    assert_int_equal(s->runner_up, -1);
    long total = 0;
    for (size_t j = 0; j < s->nrows; j++) {
        assert_true(isnan(s->rows[j].objective));
        total += s->rows[j].chosen;
    }
    assert_int_equal(s->nboot, 50);
    assert_int_equal(total + s->boot_none, 50);
    if (all_none) assert_int_equal(s->boot_none, 50);
    expect_verdict_text(s, want);
    char *text = recommendation(s, NULL);
    char line[1200];
    if (s->boot_none < s->nboot)
        snprintf(line, sizeof line,
                 "%s (In %ld of %ld bootstrap resamples of the leads some row did satisfy the "
                 "objective: the data are close to it; sweep.csv counts the picks per row.)\n",
                 want, s->nboot - s->boot_none, s->nboot);
    else
        snprintf(line, sizeof line, "%s\n", want);
    assert_string_equal(text, line);
    free(text);
    sweep_free(s);
    free(sc);
}

static void test_verdicts(void **state) {
    (void)state;
    replay *r = none_data(1);
    expect_verdict(r, scn(SCENARIO_OBJ_PRECISION_AT_LEAST, 0.99, 0), 0,
                   "No threshold reaches precision 0.99: the best precision of any row is 0.6667. "
                   "No threshold is recommended; lower the target or change the weights.");
    /* a resample with fewer hand-offs at 10 can be within capacity: not all_none */
    expect_verdict(r, scn_sales(SCENARIO_OBJ_CAPACITY, 0, 0, 1, 0.2), 0,
                   "No threshold keeps the 90th percentile of weekly hand-offs within the team's "
                   "capacity of 1 a week: the lowest is 1.2. No threshold is recommended; raise "
                   "capacity or tighten the definition.");
    rfree(r);
}

static void test_verdicts_recall_and_undefined(void **state) {
    (void)state;
    /* recall: two more won leads that can never qualify (no candidate time): 2 of 4 won */
    lead_spec L[6] = {
        {D(1, 6), 1, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 7)}},
        {D(1, 6), 0, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 8)}},
        {D(1, 6), 0, NAN, 0, NONE, 1, {0}, {D(1, 6)}},
        {D(1, 6), 1, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 14)}},
        {D(1, 6), 1, NAN, 0, NONE, 0, {0}, {0}},
        {D(1, 6), 1, NAN, 0, NONE, 0, {0}, {0}},
    };
    replay *r = mk(L, 6, 0, 1);
    expect_verdict(r, scn(SCENARIO_OBJ_RECALL_AT_LEAST, 0.6, 0), 0,
                   "No threshold reaches recall 0.6: the best recall of any row is 0.5. No "
                   "threshold is recommended.");
    rfree(r);
    /* no won lead at all: recall_at_least is undefined everywhere; f1 and
     * F-beta are 0 at every row (2 tp / (2 tp + fp + fn)), and the tie rule
     * picks the fewer hand-offs: row 1 (T = 10, 3 hand-offs against 4) */
    r = none_data(0);
    const char *undefined = "The objective is undefined at every threshold (no won deals, or no "
                            "hand-offs), so no threshold is recommended.";
    expect_verdict(r, scn(SCENARIO_OBJ_RECALL_AT_LEAST, 0.5, 0), 1, undefined);
    const int fs[] = {SCENARIO_OBJ_F1, SCENARIO_OBJ_FBETA};
    for (int k = 0; k < 2; k++) {
        scenario *fsc = scn(fs[k], 0.5, 0);
        sweep *s = do_sweep(r, fsc, 0, 1, 1);
        assert_int_equal(s->best, 1);
        assert_int_equal(s->runner_up, 0);
        assert_same(s->rows[0].objective, 0);
        assert_same(s->rows[1].objective, 0);
        sweep_free(s);
        free(fsc);
    }
    rfree(r);
}

/* The bounds are inclusive: a target met exactly is met. */
static void test_reachable_bounds(void **state) {
    (void)state;
    replay *r = none_data(1);
    scenario *sc = scn(SCENARIO_OBJ_RECALL_AT_LEAST, 1, 0); /* recall 1 at both rows */
    sweep *s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->best, 1); /* fewer hand-offs at 10 */
    assert_int_equal(s->runner_up, 0);
    expect_verdict_text(s, "");
    sweep_free(s);
    free(sc);
    /* precision_at_least exactly at the best precision (2/3 as a double) is reachable */
    sc = scn(SCENARIO_OBJ_PRECISION_AT_LEAST, 2.0 / 3, 0);
    s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->best, 1);
    assert_int_equal(s->runner_up, -1);
    sweep_free(s);
    free(sc);
    /* capacity 2: both rows (p90 1.2 and 1.3) are within it; recall ties at 1,
     * so the fewer hand-offs of T=10 win */
    sc = scn_sales(SCENARIO_OBJ_CAPACITY, 0, 0, 2, 0.2);
    s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->best, 1);
    assert_int_equal(s->runner_up, 0);
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* ---------- Snapshot: no time, no workload ---------- */

static void test_snapshot(void **state) {
    (void)state;
    replay *r = obj_data(0);
    for (size_t k = 0; k < r->nst; k++) r->st_time[k] = 0;
    for (size_t i = 0; i < r->n; i++) r->created[i] = 0;
    scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
    sweep *s = do_sweep(r, sc, 100, 5, 2);
    assert_false(s->timed);
    assert_int_equal(s->nrows, 5);
    const long tp[] = {4, 4, 3, 2, 1}, fp[] = {4, 3, 1, 1, 0};
    for (size_t j = 0; j < 5; j++) check_row(s, j, (double)j * 10, NAN, tp[j], fp[j], 0, 0, 0, 0);
    assert_int_equal(s->best, 2);
    char *text = recommendation(s, "f1");
    assert_null(strstr(text, "a week"));
    assert_null(strstr(text, "nan"));
    free(text);
    sweep_free(s);
    free(sc);
    /* capacity cannot be judged without time */
    sc = scn_sales(SCENARIO_OBJ_CAPACITY, 0, 0, 2, 0.2);
    s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->best, -1);
    expect_verdict_text(s, "The capacity objective needs timestamps to count hand-offs "
                                    "per week, and this dataset has none. No threshold is "
                                    "recommended.");
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* ---------- No rows at all ---------- */

static void test_no_rows(void **state) {
    (void)state;
    const lead_spec L[] = {
        {D(1, 6), 1, 10, 5, D(1, 7), 2, {5, 15}, {D(1, 6), D(1, 7)}},
        {D(1, 6), 0, NAN, 0, D(1, 6), 1, {0}, {D(1, 6)}},
        {D(1, 6), 1, NAN, 0, D(1, 20), 1, {0}, {D(1, 6)}},
        {D(1, 6), 0, NAN, 0, NONE, 0, {0}, {0}}, /* no candidate time */
    };
    const char *want = "No threshold changes any lead's class (every lead is qualified by fast "
                       "track or a rule, or none has a score), so there is nothing to choose.";
    for (int two = 0; two <= 1; two++) {
        replay *r = mk(L, 4, two, 1);
        scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
        sweep *s = do_sweep(r, sc, 100, 1, 4);
        assert_int_equal(s->nrows, 0);
        assert_int_equal(s->nT, 0);
        assert_int_equal(s->nF, 0);
        assert_int_equal(s->fast, 3);
        assert_int_equal(s->best, -1);
        assert_int_equal(s->runner_up, -1);
        assert_int_equal(s->nboot, 0);
        expect_verdict_text(s, want);
        util_buf b;
        util_buf_init(&b);
        out_sweep_csv(&b, s, "x", 2);
        out_sweep_table(&b, s, 30);
        assert_false(b.failed);
        assert_int_equal(strchr(b.data, '\n') - b.data + 1, (long)b.len); /* header only */
        util_buf_fini(&b);
        sweep_free(s);
        free(sc);
        rfree(r);
    }
    /* an empty cohort */
    replay *r = mk(L, 0, 0, 1);
    scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
    sweep *s = do_sweep(r, sc, 10, 1, 1);
    assert_int_equal(s->nrows, 0);
    assert_int_equal(s->best, -1);
    expect_verdict_text(s, want);
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* ---------- Random replays against a brute force ---------- */

static uint64_t rng_state;
static uint32_t rnd(uint32_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)((rng_state >> 11) % n);
}

static int fine_values; /* add thousandths to the values: thousands of distinct thresholds */

static replay *random_replay(uint64_t seed, size_t n, int two_axis, int timed) {
    rng_state = seed * 2654435761u + 88172645463325252ull;
    lead_spec *L = calloc(n + 1, sizeof *L);
    assert_non_null(L);
    const double fits[] = {-5, 0, 5, 10};
    for (size_t i = 0; i < n; i++) {
        lead_spec *l = &L[i];
        l->created = D(1, 1) + (int64_t)rnd(90) * DAY + (int64_t)rnd(86400) * 1000000;
        l->won = rnd(3) == 0;
        l->amount = rnd(4) ? (double)(1 + rnd(50)) * 100 : NAN;
        l->fit = fits[rnd(4)];
        l->nst = rnd(10) == 0 ? 0 : 1 + (int)rnd(5);
        double v = (two_axis ? 0 : l->fit) + (double)rnd(3) * 5 - 5;
        if (fine_values) v += 0.001 * rnd(1000);
        int64_t t = l->created;
        for (int k = 0; k < l->nst; k++) {
            if (k) {
                v += 5 * (1 + rnd(3)); /* values on a grid of 5: many ties between leads */
                if (fine_values) v += 0.001 * rnd(1000);
                t += (int64_t)rnd(20) * DAY + (int64_t)rnd(3600) * 1000000;
            }
            l->v[k] = v;
            l->t[k] = t;
        }
        l->fast = NONE;
        if (l->nst && rnd(5) == 0) l->fast = t + (int64_t)rnd(10) * DAY;
    }
    replay *r = mk(L, n, two_axis, timed);
    free(L);
    /* until at or after every time, as a replay makes it (hand-offs come
     * before their cutoff, which is at most until) */
    for (size_t k = 0; k < r->nst; k++)
        if (r->st_time[k] > r->until) r->until = r->st_time[k];
    for (size_t i = 0; i < r->n; i++)
        if (r->fast[i] != NONE && r->fast[i] > r->until) r->until = r->fast[i];
    return r;
}

static int64_t bf_mql(const replay *r, size_t i, double T, double F) {
    int64_t best = r->fast[i];
    if (r->two_axis && r->fit[i] < F) return best;
    for (size_t k = r->st_off[i]; k < r->st_off[i + 1]; k++)
        if (r->st_val[k] >= T) {
            if (best == NONE || r->st_time[k] < best) best = r->st_time[k];
            break;
        }
    return best;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_f(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Distinct sorted values; returns the count. */
static size_t uniq(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_d);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || v[i] != v[k - 1]) v[k++] = v[i];
    return k;
}

/* GSL's quantile of sorted data (type 7). */
static double q7(const double *v, size_t n, double f) {
    double idx = f * (double)(n - 1);
    size_t lhs = (size_t)idx;
    double delta = idx - (double)lhs;
    if (lhs == n - 1) return v[lhs];
    return (1 - delta) * v[lhs] + delta * v[lhs + 1];
}

static double bf_objective(const sweep *s, long tp, long fp, long won, double wp90) {
    double P = tp + fp ? (double)tp / (double)(tp + fp) : NAN;
    double R = won ? (double)tp / (double)won : NAN;
    switch (s->objective) {
    case SCENARIO_OBJ_F1: /* 2 tp / (2 tp + fp + fn): 0 where tp = 0, unless 0 / 0 */
        return tp + fp + won ? 2.0 * (double)tp / (double)(tp + fp + won) : NAN;
    case SCENARIO_OBJ_PRECISION_AT_LEAST:
        return !isnan(P) && P >= s->obj_a ? R : NAN;
    case SCENARIO_OBJ_CAPACITY: /* needs weekly figures: undefined without time */
        if (!s->timed) return NAN;
        return isnan(wp90) || wp90 <= s->capacity ? R : NAN;
    case SCENARIO_OBJ_VALUE:
        return (double)tp * s->obj_a - (double)(tp + fp) * s->obj_b;
    case SCENARIO_OBJ_FBETA: {
        double b2 = s->obj_a * s->obj_a; /* (1 + b2) tp / ((1 + b2) tp + b2 fn + fp) */
        double d = (1 + b2) * (double)tp + b2 * (double)(won - tp) + (double)fp;
        return d > 0 ? (1 + b2) * (double)tp / d : NAN;
    }
    case SCENARIO_OBJ_RECALL_AT_LEAST:
        return !isnan(R) && R >= s->obj_a ? -(double)(tp + fp) : NAN;
    }
    fail_msg("objective not covered by the brute force");
    return NAN;
}

/* The pick by the stated rule: highest objective, then fewer hand-offs, then the
 * higher threshold, then the higher fit threshold. */
static int bf_better(const sweep *s, const double *val, const long *mq, size_t c, size_t o) {
    const sweep_row *a = &s->rows[c], *b = &s->rows[o];
    if (val[c] != val[o]) return val[c] > val[o];
    if (mq[c] != mq[o]) return mq[c] < mq[o];
    if (a->T != b->T) return a->T > b->T;
    return a->F > b->F;
}

static void bf_pick(const sweep *s, const double *val, const long *mq, long *best, long *second) {
    *best = *second = -1;
    for (size_t j = 0; j < s->nrows; j++)
        if (!isnan(val[j]) && (*best < 0 || bf_better(s, val, mq, j, (size_t)*best))) *best = (long)j;
    for (size_t j = 0; j < s->nrows; j++)
        if (!isnan(val[j]) && (long)j != *best &&
            (*second < 0 || bf_better(s, val, mq, j, (size_t)*second)))
            *second = (long)j;
}

/* Every row, count, workload figure and the pick, from the definitions. */
static void bf_check_rows(const replay *r, const sweep *s) {
    size_t n = r->n;
    double *Tv = malloc((n + 1) * sizeof *Tv), *Fv = malloc((n + 1) * sizeof *Fv);
    size_t nt = 0, nf = 0;
    long won = 0, fast = 0;
    for (size_t i = 0; i < n; i++) {
        won += r->won[i];
        if (r->fast[i] != NONE) {
            fast++;
            continue;
        }
        if (r->st_off[i] == r->st_off[i + 1]) continue;
        Tv[nt++] = r->st_val[r->st_off[i + 1] - 1];
        Fv[nf++] = r->fit[i];
    }
    nt = uniq(Tv, nt);
    nf = r->two_axis ? uniq(Fv, nf) : 1;
    if (nt == 0) nf = 0;
    assert_int_equal(s->nT, nt);
    assert_int_equal(s->nF, nf);
    assert_int_equal(s->nrows, nt * nf);
    assert_int_equal(s->won, won);
    assert_int_equal(s->fast, fast);
    int64_t *wk = malloc((n + 1) * sizeof *wk);
    double *counts = NULL;
    double *val = malloc((s->nrows + 1) * sizeof *val);
    long *mq = malloc((s->nrows + 1) * sizeof *mq);
    for (size_t a = 0; a < nt; a++) {
        for (size_t g = 0; g < nf; g++) {
            size_t j = a * nf + g;
            const sweep_row *w = &s->rows[j];
            double F = r->two_axis ? Fv[g] : NAN;
            assert_same(w->T, Tv[a]);
            assert_same(w->F, F);
            long tp = 0, fp = 0, m = 0;
            double amount = 0;
            /* SPEC 5.4: the cohort's weeks, from its first created_at's
             * week to the week of until, empty weeks included */
            int64_t w0 = INT64_MAX, w1 = tstamp_week_start(r->until);
            for (size_t i = 0; i < n; i++)
                if (tstamp_week_start(r->created[i]) < w0) w0 = tstamp_week_start(r->created[i]);
            for (size_t i = 0; i < n; i++) {
                int64_t t = bf_mql(r, i, Tv[a], F);
                wk[i] = NONE;
                if (t == NONE) continue;
                m++;
                if (r->won[i]) {
                    tp++;
                    if (!isnan(r->amount[i])) amount += r->amount[i];
                } else {
                    fp++;
                }
                wk[i] = tstamp_week_start(t);
            }
            if (w->tp != tp || w->fp != fp)
                fail_msg("row T %g F %g: tp %ld fp %ld, expected %ld %ld", w->T, w->F, w->tp,
                         w->fp, tp, fp);
            assert_close(w->tp_amount, amount);
            if (!r->timed || n == 0 || w1 < w0) {
                assert_int_equal(w->nweeks, 0);
                assert_true(isnan(w->wmean) && isnan(w->wp90) && isnan(w->wmax));
            } else {
                size_t W = (size_t)((w1 - w0) / (7 * DAY)) + 1;
                counts = realloc(counts, W * sizeof *counts);
                for (size_t k = 0; k < W; k++) counts[k] = 0;
                for (size_t i = 0; i < n; i++)
                    if (wk[i] != NONE) counts[(wk[i] - w0) / (7 * DAY)] += 1;
                qsort(counts, W, sizeof *counts, cmp_d);
                assert_int_equal(w->nweeks, (long)W);
                assert_same(w->wmean, (double)m / (double)W);
                assert_same(w->wp90, q7(counts, W, 0.9));
                assert_same(w->wmax, counts[W - 1]);
            }
            val[j] = bf_objective(s, tp, fp, won, w->wp90);
            mq[j] = m;
            assert_same(w->objective, val[j]);
        }
    }
    long best, second;
    bf_pick(s, val, mq, &best, &second);
    assert_int_equal(s->best, best);
    assert_int_equal(s->runner_up, second);
    free(Tv);
    free(Fv);
    free(wk);
    free(counts);
    free(val);
    free(mq);
}

static void test_random_rows(void **state) {
    (void)state;
    const int objectives[] = {SCENARIO_OBJ_F1, SCENARIO_OBJ_PRECISION_AT_LEAST,
                              SCENARIO_OBJ_CAPACITY, SCENARIO_OBJ_VALUE};
    for (uint64_t seed = 1; seed <= 40; seed++) {
        int two = (int)(seed % 2), timed = seed % 5 != 0;
        size_t n = 5 + (size_t)(seed * 7 % 60);
        replay *r = random_replay(seed, n, two, timed);
        int obj = objectives[seed % 4];
        scenario *sc = obj == SCENARIO_OBJ_CAPACITY ? scn_sales(obj, 0, 0, 1, 0.2 * (double)(seed % 3 + 1))
                       : obj == SCENARIO_OBJ_PRECISION_AT_LEAST ? scn(obj, 0.4, 0)
                       : obj == SCENARIO_OBJ_VALUE ? scn(obj, 100, 30)
                                                   : scn(obj, 0, 0);
        sweep *s = do_sweep(r, sc, 0, 1, 1);
        bf_check_rows(r, s);
        sweep_free(s);
        free(sc);
        rfree(r);
    }
}

/* Thousands of rows: the rows are swept in runs on several threads, each run
 * starting from a state built from the staircases, the records sorted by
 * parallel radix passes. Every row still matches the brute force, and the
 * rows do not depend on the number of threads. */
static void test_random_rows_threads(void **state) {
    (void)state;
    fine_values = 1;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        int two = seed == 3, timed = seed != 2;
        replay *r = random_replay(seed, two ? 3000 : 8000, two, timed);
        scenario *sc = scn_sales(SCENARIO_OBJ_CAPACITY, 0, 0, 1, 5);
        sweep *s1 = do_sweep(r, sc, 0, 1, 1);
        sweep *s3 = do_sweep(r, sc, 0, 1, 3);
        if (!two && s1->nT < 4096) fail_msg("only %zu thresholds", s1->nT);
        if (two && s1->nrows < 8192) fail_msg("only %zu rows", s1->nrows);
        bf_check_rows(r, s3);
        assert_int_equal(s1->nrows, s3->nrows);
        assert_memory_equal(s1->rows, s3->rows, s1->nrows * sizeof *s1->rows);
        util_buf b1, b3;
        util_buf_init(&b1);
        util_buf_init(&b3);
        out_sweep_csv(&b1, s1, "t", 1);
        out_sweep_csv(&b3, s3, "t", 3);
        assert_false(b1.failed || b3.failed);
        assert_int_equal(b1.len, b3.len);
        assert_memory_equal(b1.data, b3.data, b1.len);
        util_buf_fini(&b1);
        util_buf_fini(&b3);
        sweep_free(s1);
        sweep_free(s3);
        free(sc);
        rfree(r);
    }
    fine_values = 0;
}

/* ---------- Bootstrap ---------- */

/* Type-7 quantile of n floats, computed as the program does from float values. */
static double fq(float *v, long n, double p) {
    qsort(v, (size_t)n, sizeof *v, cmp_f);
    double h = (double)(n - 1) * p;
    long k = (long)floor(h);
    double a = v[k], b = k + 1 < n ? v[k + 1] : a;
    return a + (h - (double)k) * (b - a);
}

/* Resample as boot.c does: the cells of each resample come from boot_cells and every
 * row's counts are summed from them here (in two-axis mode row (j, g) sums the cells
 * (j', g') with j' >= j and g' >= g); a resample too large for cells draws exactly as
 * documented (MT19937; one seed per resample drawn in order from the master seed; each
 * resample draws n leads with gsl_rng_uniform_int). Keep every value, and compare
 * intervals, picks, the no-pick count and the pick interval. */
static void bf_check_bootstrap(const replay *r, const sweep *s, long B, unsigned long seed) {
    size_t n = r->n, rows = s->nrows;
    gsl_rng *master = gsl_rng_alloc(gsl_rng_mt19937), *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(master, seed);
    float *P = malloc((size_t)B * rows * sizeof *P + 1), *R = malloc((size_t)B * rows * sizeof *R + 1);
    long *nP = calloc(rows + 1, sizeof *nP), *nR = calloc(rows + 1, sizeof *nR);
    long *chosen = calloc(rows + 1, sizeof *chosen), none = 0;
    unsigned *cnt = malloc((n + 1) * sizeof *cnt);
    double *val = malloc((rows + 1) * sizeof *val);
    long *mq = malloc((rows + 1) * sizeof *mq);
    unsigned long *seeds = malloc((size_t)B * sizeof *seeds);
    for (long b = 0; b < B; b++) seeds[b] = gsl_rng_get(master);
    sweep_opts so = {.bootstrap = B, .seed = seed, .threads = 1};
    unsigned *cw = calloc(rows + 1, sizeof *cw), *cl = calloc(rows + 1, sizeof *cl), extra[4];
    for (long b = 0; b < B; b++) {
        int cells = boot_cells(s, r, &so, b, cw, cl, extra);
        assert_true(cells >= 0);
        assert_int_equal(cells, 0);
        long won = 0;
        if (cells == 0) {
            unsigned long all = extra[0] + extra[1] + extra[2] + extra[3];
            won = (long)extra[0] + extra[2];
            for (size_t j = 0; j < rows; j++) all += cw[j] + cl[j], won += cw[j];
            assert_int_equal(all, n);
        } else {
            gsl_rng_set(rng, seeds[b]);
            memset(cnt, 0, n * sizeof *cnt);
            for (size_t k = 0; k < n; k++) cnt[gsl_rng_uniform_int(rng, n)]++;
            for (size_t i = 0; i < n; i++)
                if (r->won[i]) won += cnt[i];
        }
        for (size_t j = 0; j < rows; j++) {
            const sweep_row *w = &s->rows[j];
            long tp = 0, m = 0;
            if (cells == 0) {
                tp = extra[0], m = (long)extra[0] + extra[1];
                for (size_t a = j; a < rows; a++)
                    if (a % s->nF >= j % s->nF) tp += cw[a], m += (long)cw[a] + cl[a];
            }
            for (size_t i = 0; cells && i < n; i++) {
                if (!cnt[i] || bf_mql(r, i, w->T, w->F) == NONE) continue;
                m += cnt[i];
                if (r->won[i]) tp += cnt[i];
            }
            if (m) P[j * (size_t)B + (size_t)nP[j]++] = (float)((double)tp / (double)m);
            if (won) R[j * (size_t)B + (size_t)nR[j]++] = (float)((double)tp / (double)won);
            val[j] = bf_objective(s, tp, m - tp, won, w->wp90);
            mq[j] = m;
        }
        long best, second;
        bf_pick(s, val, mq, &best, &second);
        if (best >= 0) chosen[best]++;
        else none++;
    }
    long total = 0;
    for (size_t j = 0; j < rows; j++) {
        const sweep_row *w = &s->rows[j];
        double lo = nP[j] ? fq(P + j * (size_t)B, nP[j], 0.05) : NAN;
        double hi = nP[j] ? fq(P + j * (size_t)B, nP[j], 0.95) : NAN;
        if (!same(w->p_lo, lo) || !same(w->p_hi, hi))
            fail_msg("row %zu precision interval %.9g..%.9g, expected %.9g..%.9g", j, w->p_lo,
                     w->p_hi, lo, hi);
        lo = nR[j] ? fq(R + j * (size_t)B, nR[j], 0.05) : NAN;
        hi = nR[j] ? fq(R + j * (size_t)B, nR[j], 0.95) : NAN;
        if (!same(w->r_lo, lo) || !same(w->r_hi, hi))
            fail_msg("row %zu recall interval %.9g..%.9g, expected %.9g..%.9g", j, w->r_lo,
                     w->r_hi, lo, hi);
        if (w->chosen != chosen[j])
            fail_msg("row %zu chosen %ld times, expected %ld", j, w->chosen, chosen[j]);
        total += w->chosen;
    }
    assert_int_equal(s->nboot, B);
    assert_int_equal(s->boot_none, none);
    assert_int_equal(total + none, B);
    /* 90% of the picks on the threshold axis */
    double tlo = NAN, thi = NAN;
    if (total) {
        long cum = 0;
        for (size_t a = 0; a < s->nT; a++) {
            long c = 0;
            for (size_t g = 0; g < s->nF; g++) c += chosen[a * s->nF + g];
            if (!c) continue;
            double v = s->rows[a * s->nF].T;
            if (isnan(tlo) && (double)(cum + c) > 0.05 * (double)total) tlo = v;
            cum += c;
            if (isnan(thi) && (double)cum >= 0.95 * (double)total) thi = v;
        }
    }
    assert_same(s->choice_T_lo, tlo);
    assert_same(s->choice_T_hi, thi);
    if (s->best >= 0) assert_same(s->stability, (double)s->rows[s->best].chosen / (double)B);
    gsl_rng_free(master);
    gsl_rng_free(rng);
    free(cw);
    free(cl);
    free(P);
    free(R);
    free(nP);
    free(nR);
    free(chosen);
    free(cnt);
    free(val);
    free(mq);
    free(seeds);
}

static void same_sweep(const sweep *a, const sweep *b) {
    assert_int_equal(a->nrows, b->nrows);
    for (size_t j = 0; j < a->nrows; j++) {
        const sweep_row *x = &a->rows[j], *y = &b->rows[j];
        assert_same(x->T, y->T);
        assert_same(x->F, y->F);
        assert_int_equal(x->tp, y->tp);
        assert_int_equal(x->fp, y->fp);
        assert_int_equal(x->nweeks, y->nweeks);
        assert_same(x->wmean, y->wmean);
        assert_same(x->wp90, y->wp90);
        assert_same(x->p_lo, y->p_lo);
        assert_same(x->p_hi, y->p_hi);
        assert_same(x->r_lo, y->r_lo);
        assert_same(x->r_hi, y->r_hi);
        assert_same(x->objective, y->objective);
        assert_int_equal(x->chosen, y->chosen);
    }
    assert_int_equal(a->best, b->best);
    assert_int_equal(a->runner_up, b->runner_up);
    assert_int_equal(a->nboot, b->nboot);
    assert_int_equal(a->boot_none, b->boot_none);
    assert_same(a->choice_T_lo, b->choice_T_lo);
    assert_same(a->choice_T_hi, b->choice_T_hi);
    assert_same(a->choice_F_lo, b->choice_F_lo);
    assert_same(a->choice_F_hi, b->choice_F_hi);
    assert_same(a->stability, b->stability);
}

static void test_bootstrap_threads_and_exact(void **state) {
    (void)state;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        int two = (int)(seed % 2);
        replay *r = random_replay(seed + 100, 30 + (size_t)seed * 9, two, 1);
        /* F-beta, value and recall_at_least after the first six: the F1 and
         * F-beta screen of the blocked pick, and objectives it leaves alone */
        scenario *sc = seed == 7 || seed == 8   ? scn(SCENARIO_OBJ_FBETA, 2, 0)
                       : seed == 9 || seed == 10 ? scn(SCENARIO_OBJ_VALUE, 1000, 150)
                       : seed > 10              ? scn(SCENARIO_OBJ_RECALL_AT_LEAST, 0.6, 0)
                       : seed % 3 == 0          ? scn(SCENARIO_OBJ_PRECISION_AT_LEAST, 0.5, 0)
                       : seed % 3 == 1          ? scn(SCENARIO_OBJ_F1, 0, 0)
                                                : scn_sales(SCENARIO_OBJ_CAPACITY, 0, 0, 1, 0.4);
        long B = 150 + (long)seed * 37;
        sweep *s1 = do_sweep(r, sc, B, seed, 1);
        bf_check_bootstrap(r, s1, B, seed);
        for (int th = 2; th <= 4; th += 2) {
            sweep *st = do_sweep(r, sc, B, seed, th);
            same_sweep(s1, st);
            sweep_free(st);
        }
        /* more threads than resamples */
        sweep *small = do_sweep(r, sc, 3, seed, 8);
        bf_check_bootstrap(r, small, 3, seed);
        sweep_free(small);
        sweep_free(s1);
        free(sc);
        rfree(r);
    }
}

/* The cells of the blocked draw are a multinomial of n draws: at every row, the
 * resampled hand-offs and won hand-offs (sums of cells) have the mean and variance
 * of a binomial of n draws with the full data's share, both when the blocks draw by
 * per-row binomials (few rows, many leads each) and lead by lead (a row or two per
 * lead), over several blocks. */
static void test_bootstrap_cells_distribution(void **state) {
    (void)state;
    for (int fine = 0; fine <= 1; fine++) {
        fine_values = fine;
        replay *r = random_replay(77 + (uint64_t)fine, 2000, 0, 1);
        scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
        long B = 2000;
        sweep *s = do_sweep(r, sc, 0, 5, 1);
        size_t rows = s->nrows, n = r->n;
        if (fine) assert_true(rows > 600); /* more than one block of 262 rows */
        else assert_true(rows < 100);
        sweep_opts so = {.bootstrap = B, .seed = 5, .threads = 1};
        unsigned *cw = calloc(rows, sizeof *cw), *cl = calloc(rows, sizeof *cl), extra[4];
        double *sm = calloc(rows, sizeof *sm), *sm2 = calloc(rows, sizeof *sm2);
        double *st = calloc(rows, sizeof *st), *st2 = calloc(rows, sizeof *st2);
        for (long b = 0; b < B; b++) {
            assert_int_equal(boot_cells(s, r, &so, b, cw, cl, extra), 0);
            double m = (double)extra[0] + extra[1], t = extra[0];
            for (size_t j = rows; j-- > 0;) {
                m += cw[j] + cl[j];
                t += cw[j];
                sm[j] += m, sm2[j] += m * m, st[j] += t, st2[j] += t * t;
            }
        }
        for (size_t j = 0; j < rows; j += 1 + rows / 40) {
            const sweep_row *w = &s->rows[j];
            double qs[2] = {(double)(w->tp + w->fp) / (double)n, (double)w->tp / (double)n};
            double *S[2] = {sm, st}, *S2[2] = {sm2, st2};
            for (int k = 0; k < 2; k++) {
                double q = qs[k], mean = S[k][j] / (double)B;
                double var = S2[k][j] / (double)B - mean * mean, v = (double)n * q * (1 - q);
                if (fabs(mean - (double)n * q) > 5 * sqrt(v / (double)B) + 1e-9)
                    fail_msg("row %zu: mean %g, expected %g", j, mean, (double)n * q);
                if (v > 0 && (var < 0.8 * v || var > 1.2 * v))
                    fail_msg("row %zu: variance %g, expected %g", j, var, v);
            }
        }
        free(cw);
        free(cl);
        free(sm);
        free(sm2);
        free(st);
        free(st2);
        sweep_free(s);
        free(sc);
        rfree(r);
    }
    fine_values = 0;
}

/* Checks that hold for any data: intervals empty exactly where the metric is undefined,
 * 1..1 where every resample must give 1, picks plus no-picks = resamples. */
static void test_bootstrap_invariants(void **state) {
    (void)state;
    replay *r = obj_data(1);
    scenario *sc = scn(SCENARIO_OBJ_PRECISION_AT_LEAST, 0.75, 0);
    sweep *s = do_sweep(r, sc, 200, 3, 3);
    long total = 0;
    for (size_t j = 0; j < s->nrows; j++) total += s->rows[j].chosen;
    assert_int_equal(total + s->boot_none, 200);
    assert_int_equal(s->boot_none, 30); /* as tests/e2e/sweep-bootstrap */
    for (size_t j = 0; j < s->nrows; j++) {
        const sweep_row *w = &s->rows[j];
        double P = sweep_precision(s, w), R = sweep_recall(s, w);
        assert_false(isnan(w->p_lo) || isnan(w->r_lo));
        assert_true(w->p_lo <= P + 1e-6 && P <= w->p_hi + 1e-6);
        assert_true(w->r_lo <= R + 1e-6 && R <= w->r_hi + 1e-6);
    }
    /* T=40: precision 1 with tp = mqls; T=0 and 10: recall 1 with tp = won */
    assert_same(s->rows[4].p_lo, 1);
    assert_same(s->rows[4].p_hi, 1);
    assert_same(s->rows[0].r_lo, 1);
    assert_same(s->rows[1].r_hi, 1);
    bf_check_bootstrap(r, s, 200, 3);
    char *text = recommendation(s, "precision_at_least:0.75");
    assert_non_null(strstr(text, "How sure: in 200 bootstrap resamples of the leads"));
    assert_non_null(strstr(text, "30 resamples had no row satisfying the objective"));
    free(text);
    sweep_free(s);
    free(sc);
    rfree(r);
    /* won = 0: recall undefined everywhere (also in every resample), precision 0 */
    r = none_data(0);
    sc = scn(SCENARIO_OBJ_F1, 0, 0);
    s = do_sweep(r, sc, 100, 9, 2);
    for (size_t j = 0; j < s->nrows; j++) {
        const sweep_row *w = &s->rows[j];
        assert_true(isnan(w->r_lo) && isnan(w->r_hi));
        assert_same(w->p_lo, 0);
        assert_same(w->p_hi, 0);
    }
    /* F1 is 0 wherever a resample has a hand-off: every resample picks */
    assert_int_equal(s->rows[0].chosen + s->rows[1].chosen, 100);
    assert_int_equal(s->boot_none, 0);
    assert_true(s->rows[1].chosen > s->rows[0].chosen);
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* A run of identical rows in one fit group shares its intervals, and only its last
 * (highest) row can be picked, in the full data and in every resample. */
static void test_identical_rows_share(void **state) {
    (void)state;
    /* A won fit 10 best 20; B won fit 0 best 10; C lost fit 10 best 5; E lost fit 0 best 5.
     * Axes T {5, 10, 20}, F {0, 10}. At F = 10 only A and C count: from T=5 to T=10 C
     * leaves; from T=10 to T=20 only B's record 10 is passed, and B does not count there:
     * the rows (10, 10) and (20, 10) hand off A alone, identical. */
    const lead_spec L[] = {
        {D(1, 6), 1, NAN, 10, NONE, 2, {0, 20}, {D(1, 6), D(1, 7)}},
        {D(1, 6), 1, NAN, 0, NONE, 2, {0, 10}, {D(1, 6), D(1, 8)}},
        {D(1, 6), 0, NAN, 10, NONE, 2, {0, 5}, {D(1, 6), D(1, 9)}},
        {D(1, 6), 0, NAN, 0, NONE, 2, {0, 5}, {D(1, 6), D(1, 9)}},
    };
    replay *r = mk(L, 4, 1, 1);
    scenario *sc = scn(SCENARIO_OBJ_F1, 0, 0);
    sweep *s = do_sweep(r, sc, 300, 4, 2);
    assert_int_equal(s->nT, 3);
    assert_int_equal(s->nF, 2);
    /* rows: (5,0) (5,10) (10,0) (10,10) (20,0) (20,10) */
    const sweep_row *a = &s->rows[3], *b = &s->rows[5];
    assert_true(b->same_as_prev);
    assert_int_equal(a->tp, b->tp);
    assert_int_equal(a->fp, b->fp);
    assert_same(a->p_lo, b->p_lo);
    assert_same(a->r_hi, b->r_hi);
    assert_int_equal(a->chosen, 0);
    bf_check_bootstrap(r, s, 300, 4);
    sweep_free(s);
    free(sc);
    rfree(r);
}

/* value objective with no won lead: a row is recommended (the value is defined)
 * and the text must say recall is undefined, never "nan" (SPEC 5.4). */
static void test_value_without_won(void **state) {
    (void)state;
    replay *r = none_data(0);
    scenario *sc = scn(SCENARIO_OBJ_VALUE, 100, 1);
    sweep *s = do_sweep(r, sc, 0, 1, 1);
    assert_int_equal(s->best, 1);
    char *text = recommendation(s, "value:100,1");
    assert_null(strstr(text, "nan"));
    assert_non_null(strstr(text, "recall undefined (no won deals)"));
    free(text);
    sweep_free(s);
    free(sc);
    rfree(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_single_axis),
        cmocka_unit_test(test_two_axis),
        cmocka_unit_test(test_objectives),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_verdicts_recall_and_undefined),
        cmocka_unit_test(test_reachable_bounds),
        cmocka_unit_test(test_snapshot),
        cmocka_unit_test(test_no_rows),
        cmocka_unit_test(test_random_rows),
        cmocka_unit_test(test_random_rows_threads),
        cmocka_unit_test(test_bootstrap_threads_and_exact),
        cmocka_unit_test(test_bootstrap_invariants),
        cmocka_unit_test(test_bootstrap_cells_distribution),
        cmocka_unit_test(test_identical_rows_share),
        cmocka_unit_test(test_value_without_won),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
