/* test_cohort.c - unit tests for cohort: who is in the cohort, each lead's cutoff, its counted events.
 *
 * Each test writes a tiny dataset and scenario into a fresh mkdtemp folder,
 * loads both, and checks cohort.h against SPEC 5.1 worked by hand: the from
 * and to bounds (from inclusive, to exclusive), maturity_days, the default
 * until, the cutoff of won and lost leads with and without closed_at (and
 * closed after until: open as of until), and the counted events (one exactly at created_at counts, one exactly at the
 * cutoff does not). Folders are removed by the teardown. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "cohort.h"
#include "dataset.h"
#include "load.h"
#include "scenario.h"
#include "tstamp.h"
#include "util.h"

/* ---------- Fixtures ---------- */

typedef struct world {
    dataset *ds;
    scenario *sc;
    cohort c;
} world;

/* Write scenario.ini (an [evaluation] section EVAL and a scoring type), load
 * it and the dataset in dir, and take the cohort. */
static world load(const char *dir, const char *eval) {
    char text[2048];
    snprintf(text, sizeof text,
             "[scenario]\nname = t\ndata = .\n[behaviour]\na = 1\n[mql]\nthreshold = 1\n%s", eval);
    tmpdir_put(dir, "scenario.ini", text);
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    world w = {0};
    util_err err = {0};
    if (scenario_load(p, &w.sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, &w.ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    cohort_init(&w.c, w.ds, w.sc);
    return w;
}

static void world_free(world *w) {
    dataset_free(w->ds);
    scenario_free(w->sc);
}

static int64_t ts(const char *s) {
    int64_t t;
    if (tstamp_parse(s, strlen(s), &t) < 0) fail_msg("bad test timestamp %s", s);
    return t;
}

static size_t lead(const world *w, const char *id) {
    long li = strtab_find(&w->ds->ids, id, strlen(id));
    if (li < 0) fail_msg("no lead %s", id);
    return (size_t)li;
}

static int in(const world *w, const char *id) { return cohort_has(&w->c, lead(w, id)); }

/* Cutoff of lead id, and its status through *status. */
static int64_t cutoff(const world *w, const char *id, int *status) {
    int64_t cut = 0;
    int s = cohort_outcome(&w->c, lead(w, id), &cut);
    if (status) *status = s;
    return cut;
}

/* Timestamps of the counted events of lead id must be the n given. */
static void counted(const world *w, const char *id, int n, ...) {
    size_t li = lead(w, id);
    int64_t cut;
    cohort_outcome(&w->c, li, &cut);
    cohort_span sp = cohort_events(w->ds, li, w->ds->created[li], cut);
    if (sp.end - sp.first != (size_t)n)
        fail_msg("lead %s: %zu counted events, expected %d", id, sp.end - sp.first, n);
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n; k++) {
        const char *t = va_arg(ap, const char *);
        if (w->ds->ev_time[sp.first + (size_t)k] != ts(t)) {
            char got[40];
            tstamp_format(w->ds->ev_time[sp.first + (size_t)k], got, sizeof got);
            fail_msg("lead %s event %d: %s, expected %s", id, k, got, t);
        }
    }
    va_end(ap);
}

/* ---------- Who is in ---------- */

static void test_from_to(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at\n"
        "before,2025-01-09 23:59:59\nat_from,2025-01-10\ninside,2025-01-15\n"
        "last,2025-01-19 23:59:59\nat_to,2025-01-20\n");
    world w = load(dir, "[evaluation]\nfrom = 2025-01-10\nto = 2025-01-20\n");
    assert_int_equal(w.c.timed, 1);
    assert_false(in(&w, "before"));
    assert_true(in(&w, "at_from"));  /* from is inclusive */
    assert_true(in(&w, "inside"));
    assert_true(in(&w, "last"));
    assert_false(in(&w, "at_to"));   /* to is exclusive */
    uint32_t sel[8];
    assert_int_equal(cohort_select(&w.c, sel), 3);
    assert_int_equal(sel[0], lead(&w, "at_from")); /* ascending, in file order */
    assert_int_equal(sel[2], lead(&w, "last"));
    world_free(&w);

    /* Without bounds everyone is in. */
    w = load(dir, "");
    assert_int_equal(cohort_select(&w.c, sel), 5);
    world_free(&w);
}

static void test_maturity(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at\nold,2025-01-01\nedge,2025-01-30\nyoung,2025-01-30 00:00:01\n");
    world w = load(dir, "[evaluation]\nuntil = 2025-03-01\nmaturity_days = 30\n");
    /* created_at <= until - 30 days = 2025-01-30 00:00:00 */
    assert_true(w.c.mature_by == ts("2025-01-30"));
    assert_true(in(&w, "old"));
    assert_true(in(&w, "edge"));
    assert_false(in(&w, "young"));
    world_free(&w);

    w = load(dir, "[evaluation]\nuntil = 2025-03-01\n");
    assert_true(w.c.mature_by == INT64_MAX);
    assert_true(in(&w, "young"));
    world_free(&w);
}

/* until defaults to the latest timestamp anywhere: here an event. */
static void test_default_until(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\np,2025-01-06\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\np,2025-01-07,a\np,2025-02-08,a\n");
    world w = load(dir, "");
    assert_true(w.c.until == ts("2025-02-08"));
    world_free(&w);
    w = load(dir, "[evaluation]\nuntil = 2025-01-31\n");
    assert_true(w.c.until == ts("2025-01-31"));
    world_free(&w);
}

/* ---------- Cutoffs and counted events ---------- */

static void test_cutoff(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at\nwon_c,2025-01-06\nlost_c,2025-01-06\nwon_n,2025-01-06\n"
        "lost_n,2025-01-06\nopen,2025-01-06\nlate,2025-01-06\nlate_l,2025-01-06\n"
        "at_until,2025-01-06\n");
    tmpdir_put(dir, "outcomes.csv",
        "lead_id,status,closed_at\nwon_c,won,2025-01-20\nlost_c,lost,2025-01-21\nwon_n,won,\n"
        "lost_n,lost,\nopen,open,\nlate,won,2025-03-15\nlate_l,lost,2025-03-01 00:00:01\n"
        "at_until,won,2025-03-01\n");
    world w = load(dir, "[evaluation]\nuntil = 2025-03-01\n");
    int st;
    assert_true(cutoff(&w, "won_c", &st) == ts("2025-01-20"));
    assert_int_equal(st, DATASET_WON);
    assert_true(cutoff(&w, "lost_c", &st) == ts("2025-01-21"));
    assert_int_equal(st, DATASET_LOST);
    /* won or lost without closed_at: cut off at until */
    assert_true(cutoff(&w, "won_n", &st) == ts("2025-03-01"));
    assert_int_equal(st, DATASET_WON);
    assert_true(cutoff(&w, "lost_n", NULL) == ts("2025-03-01"));
    assert_true(cutoff(&w, "open", &st) == ts("2025-03-01"));
    assert_int_equal(st, DATASET_OPEN);
    /* Closed after until: not known as of until, so open and cut off at until. */
    assert_true(cutoff(&w, "late", &st) == ts("2025-03-01"));
    assert_int_equal(st, DATASET_OPEN);
    assert_true(cutoff(&w, "late_l", &st) == ts("2025-03-01"));
    assert_int_equal(st, DATASET_OPEN);
    /* Closed exactly at until: known then. */
    assert_true(cutoff(&w, "at_until", &st) == ts("2025-03-01"));
    assert_int_equal(st, DATASET_WON);
    world_free(&w);
}

static void test_counted_events(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
               "lead_id,created_at\np,2025-01-06\nq,2025-01-06\nr,2025-01-06\nz,2025-01-06\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\n"
        "p,2025-01-06,a\np,2025-01-10,a\np,2025-01-19 23:59:59,a\np,2025-01-20,a\np,2025-01-25,a\n"
        "q,2025-01-07,a\nq,2025-03-01,a\n"
        "r,2025-01-07,a\n"
        "z,2025-02-28,a\nz,2025-03-01,a\nz,2025-03-10,a\n");
    tmpdir_put(dir, "outcomes.csv",
        "lead_id,status,closed_at\np,won,2025-01-20\nq,open,\nr,lost,2025-01-06\n"
        "z,won,2025-03-20\n");
    world w = load(dir, "[evaluation]\nuntil = 2025-03-01\n");
    /* at created_at counts; exactly at the cutoff (closed_at) does not */
    counted(&w, "p", 3, "2025-01-06", "2025-01-10", "2025-01-19 23:59:59");
    /* open: cut off at until, and an event exactly at until does not count */
    counted(&w, "q", 1, "2025-01-07");
    /* closed at created_at: nothing counts */
    counted(&w, "r", 0);
    /* won, but closed after until: cut off at until, its later events unseen */
    counted(&w, "z", 1, "2025-02-28");
    world_free(&w);
}

/* ---------- No timestamps ---------- */

static void test_snapshot(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,tier\ns1,a\ns2,b\n");
    tmpdir_put(dir, "events.csv", "lead_id,event\ns1,x\ns1,x\ns2,demo\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status\ns1,won\n");
    world w = load(dir, "[evaluation]\nfrom = 2030-01-01\nmaturity_days = 5\n");
    assert_int_equal(w.c.timed, 0);
    assert_int_equal(w.c.window_ignored, 1);
    assert_true(in(&w, "s1") && in(&w, "s2"));
    int st;
    assert_true(cutoff(&w, "s1", &st) == INT64_MAX);
    assert_int_equal(st, DATASET_WON);
    counted(&w, "s1", 2, "1970-01-01", "1970-01-01");
    world_free(&w);

    w = load(dir, "");
    assert_int_equal(w.c.window_ignored, 0);
    world_free(&w);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_from_to),
        T(test_maturity),
        T(test_default_until),
        T(test_cutoff),
        T(test_counted_events),
        T(test_snapshot),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
