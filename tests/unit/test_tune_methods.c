/* test_tune_methods.c - unit tests for the tune family: the methods agree with each other and with sweep.
 *
 * A few thousand generated leads (gen_write) and small candidate grids: one
 * in whole points (the counts method, by histogram and by sorting), one in
 * tenths (the counts method too: decimal points add up exactly in units of
 * 0.1), one whose sums in units of 0.001 leave 32 bits (the sequence
 * method), and one whose sums would leave exact units altogether (declined:
 * each vector replayed). For every vector, the row of the counts or
 * sequence method (tune_counts_run), the row of the replay method
 * (tune_replay_run) and the recommended row of sweep_run on the scenario
 * with that vector's weights must be the same numbers to the last bit. Then
 * the dispatcher: which method tune_run picks and why, forcing one, and the
 * order of the best vectors. The folder is removed by the teardown. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "dataset.h"
#include "gen.h"
#include "load.h"
#include "replay.h"
#include "scenario.h"
#include "sweep.h"
#include "tune.h"
#include "tune_counts.h"
#include "tune_decay.h"
#include "tune_grid.h"
#include "tune_replay.h"
#include "util.h"

/* ---------- Fixtures ---------- */

static const char *COMMON =
    "[behaviour]\nemail_open = 2\nemail_click = 4\n%s\nunsubscribe = -30\n"
    "[limits]\nemail_open = 10\nemail_click = 12\n"
    "[fit industry]\nsoftware = 15\nfinance = 10\ndefault = 0\n"
    "[mql]\nthreshold = 50\nfast_track = demo_request\n"
    "rule = pricing_page_view >= 3 within 14d\n"
    "[evaluation]\nfrom = 2024-01-01\nmaturity_days = 90\n%s";

/* Whole points: exact sums, the counts method. */
static const char *WHOLE = "webinar = 4..12 step 4\npricing_page_view = 0, 5, 10, 20";
/* Tenths: exact in units of 0.1, the counts method. */
static const char *TENTHS = "webinar = 4.1, 8.1\npricing_page_view = 0.3, 5.1, 10.7";
/* Thousandths in the hundred thousands: beyond 32-bit sums, the sequence method. */
static const char *WIDE = "webinar = 123456.789, 23456.789\npricing_page_view = 0.001, 5.5";
/* Units of 10^-9 of a hundred thousand points per event: no exact units (declined). */
static const char *HUGE = "webinar = 100000.000000001, 4\npricing_page_view = 5";

typedef struct world {
    dataset *ds;
    scenario *sc;
    tune_grid g;
    replay *r0; /* vector 0 */
    objective_spec obj;
} world;

/* The generated dataset in dir (made once per test), the scenario with
 * grid lines GRID and extra lines EXTRA, its grid and vector 0's replay. */
static world load(const char *dir, const char *grid, const char *extra) {
    char probe[600];
    snprintf(probe, sizeof probe, "%s/leads.csv", dir);
    util_err err = {0, ""};
    FILE *f = fopen(probe, "r");
    if (f) {
        fclose(f);
    } else {
        gen_opts go = {.leads = 3000, .seed = 7};
        if (gen_write(dir, &go, &err) < 0) fail_msg("gen_write: %s", err.msg);
    }
    char body[2048], text[2400];
    snprintf(body, sizeof body, COMMON, grid, extra);
    snprintf(text, sizeof text, "[scenario]\nname = t\ndata = .\n%s", body);
    tmpdir_put(dir, "scenario.ini", text);
    char p[600];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    world w;
    memset(&w, 0, sizeof w);
    if (scenario_load(p, &w.sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, &w.ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    if (tune_grid_init(&w.g, w.sc, &err) < 0) fail_msg("tune_grid_init: %s", err.msg);
    tune_grid_view gv;
    if (tune_grid_view_init(&gv, &w.g, &err) < 0) fail_msg("view: %s", err.msg);
    if (replay_run(w.ds, &gv.sc, 2, &w.r0, &err) < 0) fail_msg("replay_run: %s", err.msg);
    tune_grid_view_fini(&gv);
    /* the objective as sweep_run sets it (f1 here: no capacity) */
    objective_init(&w.obj, w.sc, w.r0->timed);
    return w;
}

static void world_free(world *w) {
    replay_free(w->r0);
    tune_grid_fini(&w->g);
    dataset_free(w->ds);
    scenario_free(w->sc);
}

/* Two doubles are the same number (NaN equals NaN; -0 is not 0 here:
 * the rows must be bit for bit the same). */
static int same(double a, double b) {
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void rows_equal(const tune_row *a, const tune_row *b, size_t v, const char *what) {
    if (a->has != b->has || a->tp != b->tp || a->fp != b->fp || a->nthresholds != b->nthresholds ||
        !same(a->T, b->T) || !same(a->F, b->F) || !same(a->objective, b->objective) ||
        !same(a->tp_amount, b->tp_amount))
        fail_msg("vector %zu, %s: has %d/%d T %.17g/%.17g tp %ld/%ld fp %ld/%ld objective "
                 "%.17g/%.17g amount %.17g/%.17g rows %ld/%ld",
                 v, what, a->has, b->has, a->T, b->T, a->tp, b->tp, a->fp, b->fp, a->objective,
                 b->objective, a->tp_amount, b->tp_amount, a->nthresholds, b->nthresholds);
}

/* Vector v's row as sweep_run recommends it for the scenario with its weights. */
static tune_row swept_row(const world *w, size_t v) {
    util_err err = {0, ""};
    tune_grid_view gv;
    replay *r = NULL;
    sweep *sw = NULL;
    sweep_opts so = {.bootstrap = 0, .seed = 1, .threads = 1};
    if (tune_grid_view_init(&gv, &w->g, &err) < 0) fail_msg("view: %s", err.msg);
    tune_grid_view_set(&gv, &w->g, v);
    if (replay_run(w->ds, &gv.sc, 1, &r, &err) < 0 || sweep_run(r, &gv.sc, &so, &sw, &err) < 0)
        fail_msg("vector %zu: %s", v, err.msg);
    tune_row row;
    memset(&row, 0, sizeof row);
    row.T = row.F = row.tp_amount = row.objective = NAN;
    row.nthresholds = (long)sw->nrows;
    if (sw->best >= 0) {
        const sweep_row *b = &sw->rows[sw->best];
        row.has = 1;
        row.T = b->T;
        row.tp = b->tp;
        row.fp = b->fp;
        row.tp_amount = b->tp_amount;
        row.objective = b->objective;
    }
    sweep_free(sw);
    replay_free(r);
    tune_grid_view_fini(&gv);
    return row;
}

/* The counts (or sequence) method with OPTS, the replay method, and sweep
 * itself must give the same row for every vector. Returns the counts
 * result's flags through *res (rows freed). */
static void cross_check(const world *w, const tune_counts_opts *opts, tune_counts_result *res) {
    util_err err = {0, ""};
    if (tune_counts_run(w->ds, w->r0, &w->g, &w->obj, opts, res, &err) < 0)
        fail_msg("tune_counts_run: %s", err.msg);
    tune_row *rep = NULL;
    tune_replay_opts ro = {.threads = 2, .progress = 0};
    if (tune_replay_run(w->ds, &w->g, w->r0, &ro, &rep, &err) < 0)
        fail_msg("tune_replay_run: %s", err.msg);
    long with = 0;
    for (size_t v = 0; v < w->g.nvec; v++) {
        tune_row sw = swept_row(w, v);
        rows_equal(&res->rows[v], &sw, v, "counts/sequence vs sweep");
        rows_equal(&rep[v], &sw, v, "replay vs sweep");
        with += sw.has;
    }
    assert_true(with > 0); /* the grid has recommendations to compare */
    free(rep);
    tune_counts_fini(res);
    assert_null(res->rows);
}

/* ---------- The methods against sweep ---------- */

static void test_counts_method(void **state) {
    world w = load(*state, WHOLE, "");
    assert_int_equal(w.g.nvec, 12);
    char why[200];
    assert_int_equal(tune_counts_applies(w.ds, w.sc, why, sizeof why), 1);
    tune_counts_opts o = {.threads = 2};
    tune_counts_result res;
    cross_check(&w, &o, &res);
    assert_int_equal(res.sequence, 0);
    assert_int_equal(res.histogram, 1);
    assert_non_null(strstr(res.why, "no decay, and points that add up exactly"));
    /* sorting instead of the histogram, and one thread */
    o = (tune_counts_opts){.threads = 1, .force_sort = 1};
    cross_check(&w, &o, &res);
    assert_int_equal(res.sequence, 0);
    assert_int_equal(res.histogram, 0);
    /* the sequence method where counts would do */
    o = (tune_counts_opts){.threads = 3, .force_sequence = 1};
    cross_check(&w, &o, &res);
    assert_int_equal(res.sequence, 1);
    assert_non_null(strstr(res.why, "(forced)"));
    world_free(&w);
}

static void test_tenths(void **state) {
    world w = load(*state, TENTHS, "");
    assert_int_equal(w.g.nvec, 6);
    tune_counts_opts o = {.threads = 2};
    tune_counts_result res;
    cross_check(&w, &o, &res);
    assert_int_equal(res.sequence, 0);
    assert_non_null(strstr(res.why, "no decay, and points that add up exactly"));
    o = (tune_counts_opts){.threads = 2, .force_sequence = 1};
    cross_check(&w, &o, &res);
    assert_int_equal(res.sequence, 1);
    world_free(&w);
}

static void test_sequence_method(void **state) {
    world w = load(*state, WIDE, "");
    assert_int_equal(w.g.nvec, 4);
    tune_counts_opts o = {.threads = 2};
    tune_counts_result res;
    cross_check(&w, &o, &res);
    assert_int_equal(res.sequence, 1);
    assert_int_equal(res.histogram, 0);
    assert_non_null(strstr(res.why, "beyond 32-bit sums"));
    world_free(&w);
}

/* Sums beyond exact units: the methods decline, tune_run replays each vector. */
static void test_declined(void **state) {
    world w = load(*state, HUGE, "");
    assert_int_equal(w.g.nvec, 2);
    util_err err = {0, ""};
    tune_counts_opts co = {.threads = 2};
    tune_counts_result res;
    assert_int_equal(tune_counts_run(w.ds, w.r0, &w.g, &w.obj, &co, &res, &err), 0);
    assert_int_equal(res.declined, 1);
    assert_null(res.rows);
    assert_non_null(strstr(res.why, "too large to add up exactly in units of 10^-9"));
    tune *t = NULL;
    tune_opts o = {.threads = 2, .force = -1};
    assert_int_equal(tune_run(w.ds, w.sc, &w.g, &o, &t, &err), 0);
    assert_int_equal(t->method, TUNE_REPLAY);
    assert_non_null(strstr(t->why, ": each vector replayed and swept"));
    for (size_t v = 0; v < w.g.nvec; v++) {
        tune_row sw = swept_row(&w, v);
        rows_equal(&t->rows[v], &sw, v, "declined, replayed");
    }
    tune_free(t);
    world_free(&w);
}

/* With decay: the decay method's row of every vector is sweep's and the replay
 * method's, bit for bit, with negative points, limits, a zero weight (a type
 * that scores nothing in some vectors), tenths, and several threads. */
static void test_decay_method(void **state) {
    const char *grids[] = {WHOLE, TENTHS, "webinar = 0, 7\npricing_page_view = -5, 0, 15"};
    for (int k = 0; k < 3; k++) {
        world w = load(*state, grids[k], "[decay]\nhalf_life_days = 20\n");
        char why[200];
        assert_int_equal(tune_decay_applies(w.ds, w.sc, why, sizeof why), 1);
        util_err err = {0, ""};
        tune_row *dec = NULL, *one = NULL, *rep = NULL;
        if (tune_decay_run(w.ds, w.r0, &w.g, &w.obj, 3, &dec, &err) < 0 ||
            tune_decay_run(w.ds, w.r0, &w.g, &w.obj, 1, &one, &err) < 0)
            fail_msg("tune_decay_run: %s", err.msg);
        tune_replay_opts ro = {.threads = 2, .progress = 0};
        if (tune_replay_run(w.ds, &w.g, w.r0, &ro, &rep, &err) < 0)
            fail_msg("tune_replay_run: %s", err.msg);
        long with = 0;
        for (size_t v = 0; v < w.g.nvec; v++) {
            tune_row sw = swept_row(&w, v);
            rows_equal(&dec[v], &sw, v, "decay vs sweep");
            rows_equal(&one[v], &dec[v], v, "decay, one thread vs three");
            rows_equal(&rep[v], &dec[v], v, "replay vs decay");
            with += sw.has;
        }
        assert_true(with > 0);
        free(dec);
        free(one);
        free(rep);
        /* the dispatcher takes it, and says so */
        tune *t = NULL;
        tune_opts o = {.threads = 2, .force = -1};
        assert_int_equal(tune_run(w.ds, w.sc, &w.g, &o, &t, &err), 0);
        assert_int_equal(t->method, TUNE_DECAY);
        assert_string_equal(tune_method_name(t->method), "decay");
        assert_non_null(strstr(t->why, "each lead's events walked once per block of vectors"));
        tune_free(t);
        world_free(&w);
    }
    /* not without decay, nor under capacity */
    char why[200];
    world w = load(*state, WHOLE, "");
    assert_int_equal(tune_decay_applies(w.ds, w.sc, why, sizeof why), 0);
    world_free(&w);
    w = load(*state, WHOLE, "[decay]\nhalf_life_days = 20\n[tune]\nobjective = capacity\n[sales]\n"
                            "reps = 2\nfollowups_per_rep_per_day = 5\n");
    assert_int_equal(tune_decay_applies(w.ds, w.sc, why, sizeof why), 0);
    assert_string_equal(why, "the capacity objective needs every threshold's weekly hand-offs");
    world_free(&w);
}

/* ---------- The dispatcher ---------- */

static void test_applies(void **state) {
    char why[200];
    world w = load(*state, WHOLE, "[decay]\nhalf_life_days = 30\n");
    assert_int_equal(tune_counts_applies(w.ds, w.sc, why, sizeof why), 0);
    assert_string_equal(why, "the scenario has decay, so scores fade between events");
    world_free(&w);
    w = load(*state, WHOLE, "[tune]\nobjective = capacity\n[sales]\nreps = 2\nfollowups_per_rep_per_day = 5\n");
    assert_int_equal(tune_counts_applies(w.ds, w.sc, why, sizeof why), 0);
    assert_string_equal(why, "the capacity objective needs every threshold's weekly hand-offs");
    world_free(&w);
}

static void test_dispatch(void **state) {
    world w = load(*state, WHOLE, "");
    util_err err = {0, ""};
    tune *a = NULL, *b = NULL;
    tune_opts o = {.threads = 2, .force = -1};
    assert_int_equal(tune_run(w.ds, w.sc, &w.g, &o, &a, &err), 0);
    assert_int_equal(a->method, TUNE_COUNTS);
    assert_string_equal(tune_method_name(a->method), "counts");
    assert_int_equal(a->leads, (long)w.r0->n);
    assert_int_equal(a->won, w.r0->nwon);
    o.force = TUNE_REPLAY;
    assert_int_equal(tune_run(w.ds, w.sc, &w.g, &o, &b, &err), 0);
    assert_int_equal(b->method, TUNE_REPLAY);
    assert_string_equal(b->why, "forced: each vector replayed and swept");
    for (size_t v = 0; v < w.g.nvec; v++) rows_equal(&a->rows[v], &b->rows[v], v, "dispatched");
    /* the best vectors, best first, each better than the next */
    size_t idx[4];
    size_t k = tune_top(a, idx, 4);
    assert_true(k >= 2);
    for (size_t i = 0; i + 1 < k; i++) {
        assert_true(tune_better(a, idx[i], idx[i + 1]));
        assert_false(tune_better(a, idx[i + 1], idx[i]));
    }
    for (size_t v = 0; v < w.g.nvec; v++)
        if (a->rows[v].has && v != idx[0]) assert_false(tune_better(a, v, idx[0]));
    tune_free(a);
    tune_free(b);
    tune_free(NULL);
    world_free(&w);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_counts_method),
        T(test_tenths),
        T(test_sequence_method),
        T(test_declined),
        T(test_decay_method),
        T(test_applies),
        T(test_dispatch),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
