/* test_recycle.c - unit tests for recycle.c: every hand-off of a lead, hand-backs and new cycles (SPEC 5.6, 5.11).
 *
 * Each test writes a tiny dataset and scenario into a fresh folder, replays
 * it, and checks the cycles of hand-built event lists against times worked
 * out by hand: a lead with fit at the threshold and no new activity is not
 * handed off again; a 0-point event after the hand-back is a candidate; an
 * event exactly at h belongs to the new cycle and earlier ones do not; a
 * lead won by h, or whose cutoff is h, is not handed back; rules, fast track,
 * limits and decay restart per cycle; two-axis mode keeps the fit axis. */
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

#include "dataset.h"
#include "load.h"
#include "recycle.h"
#include "replay.h"
#include "scenario.h"
#include "tstamp.h"
#include "util.h"

typedef struct world {
    dataset *ds;
    scenario *sc;
    replay *r;
    recycle *rc;
} world;

static world make(const char *dir, const char *leads, const char *events, const char *outcomes,
                  const char *ini) {
    char text[4096];
    snprintf(text, sizeof text, "[scenario]\nname = t\ndata = .\n%s", ini);
    tmpdir_put(dir, "scenario.ini", text);
    tmpdir_put(dir, "leads.csv", leads);
    tmpdir_put(dir, "events.csv", events);
    tmpdir_put(dir, "outcomes.csv", outcomes);
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    world w = {0};
    util_err err = {0};
    if (scenario_load(p, &w.sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, &w.ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    if (replay_run(w.ds, w.sc, 1, &w.r, &err) < 0) fail_msg("replay_run: %s", err.msg);
    if (recycle_alloc(w.ds, w.sc, w.r, &w.rc, &err) < 0) fail_msg("recycle_alloc: %s", err.msg);
    return w;
}

static void world_free(world *w) {
    recycle_free(w->rc);
    replay_free(w->r);
    dataset_free(w->ds);
    scenario_free(w->sc);
}

static int64_t ts(const char *s) {
    int64_t t;
    if (tstamp_parse(s, strlen(s), &t) < 0) fail_msg("bad test timestamp %s", s);
    return t;
}

static size_t ci_of(const world *w, const char *id) {
    long li = strtab_find(&w->ds->ids, id, strlen(id));
    assert_true(li >= 0);
    for (size_t i = 0; i < w->r->n; i++)
        if (w->r->lead[i] == (uint32_t)li) return i;
    fail_msg("lead %s not in the cohort", id);
    return 0;
}

/* The new-cycle hand-off of lead ID after a hand-back at H is WANT (NULL: none). */
static void cycle_is(const world *w, const char *id, const char *h, double T, double F,
                     const char *want) {
    int64_t got = recycle_cycle_mql(w->rc, ci_of(w, id), ts(h), T, F);
    int64_t e = want ? ts(want) : TSTAMP_NONE;
    if (got != e) {
        char g[40] = "";
        if (got != TSTAMP_NONE) tstamp_format(got, g, sizeof g);
        fail_msg("lead %s from %s: '%s', expected '%s'", id, h, g, want ? want : "");
    }
}

static const char *LEADS = "lead_id,created_at,industry\n"
                           "F1,2025-01-06,software\n"
                           "F2,2025-01-06,software\n"
                           "W1,2025-01-06,retail\n"
                           "E1,2025-01-06,retail\n"
                           "C1,2025-01-06,retail\n"
                           "N1,2025-01-06,retail\n";
static const char *EVENTS = "lead_id,timestamp,event\n"
                            "F2,2025-01-20 12:00,b\n"
                            "W1,2025-01-07 10:00,a\n"
                            "W1,2025-01-07 11:00,a\n"
                            "E1,2025-01-08 00:00,a\n"
                            "E1,2025-01-08 00:00,a\n"
                            "E1,2025-01-17 12:00,a\n"
                            "E1,2025-01-18 00:00,a\n"
                            "E1,2025-01-20 09:00,a\n"
                            "C1,2025-01-09 00:00,a\n"
                            "C1,2025-01-09 00:00,a\n"
                            "N1,2025-01-08 00:00,a\n"
                            "N1,2025-01-08 00:00,a\n";
/* N1: won without closed_at: never won by h, so it is handed back */
static const char *OUTCOMES = "lead_id,status,closed_at,amount\n"
                              "W1,won,2025-01-10,50\n"
                              "C1,lost,2025-01-19,\n"
                              "N1,won,,70\n";
static const char *INI = "[behaviour]\na = 10\n[fit industry]\nsoftware = 20\n[mql]\nthreshold = 20\n"
                         "[sales]\nreps = 1\nfollowups_per_rep_per_day = 2\nrecycle_after_days = 10\n"
                         "[evaluation]\nuntil = 2025-03-31\n";

/* ---------- One cycle ---------- */

static void test_cycles(void **state) {
    world w = make(*state, LEADS, EVENTS, OUTCOMES, INI);
    /* fit at the threshold, no new activity: h itself is not a candidate */
    cycle_is(&w, "F1", "2025-01-16", 20, 0, NULL);
    /* a 0-point event is a candidate of the new cycle */
    cycle_is(&w, "F2", "2025-01-16", 20, 0, "2025-01-20 12:00");
    cycle_is(&w, "F2", "2025-01-20 12:00:01", 20, 0, NULL);
    /* the event at exactly h counts (10), the one before it does not */
    cycle_is(&w, "E1", "2025-01-18", 20, 0, "2025-01-20 09:00");
    cycle_is(&w, "E1", "2025-01-18", 10, 0, "2025-01-18");
    /* one microsecond later the event at 01-18 00:00 is before h */
    cycle_is(&w, "E1", "2025-01-18 00:00:00.000001", 20, 0, NULL);
    /* at or after the cutoff nothing counts */
    cycle_is(&w, "C1", "2025-01-19", 0, 0, NULL);
    world_free(&w);
}

/* ---------- Every hand-off ---------- */

static void test_handoffs(void **state) {
    world w = make(*state, LEADS, EVENTS, OUTCOMES, INI);
    recycle_out o;
    util_err err = {0};
    assert_int_equal(recycle_handoffs(w.rc, 20, 0, &o, &err), 0);
    /* F1 1, F2 2, W1 1 (won by h), E1 2, C1 1 (cutoff == h), N1 1 */
    assert_int_equal(o.n, 8);
    static const char *want[] = {"2025-01-06", "2025-01-06", "2025-01-07 11:00", "2025-01-08",
                                 "2025-01-08", "2025-01-09", "2025-01-20 09:00",
                                 "2025-01-20 12:00"};
    for (size_t i = 0; i < o.n; i++) assert_true(o.t[i] == ts(want[i]));
    /* hand-backs: F1 1, F2 2, E1 2, N1 1 */
    assert_int_equal(o.recycled, 6);
    assert_int_equal(o.requalified, 2);
    assert_int_equal(o.won_after_recycle, 0);
    recycle_out_fini(&o);
    world_free(&w);
}

static void test_no_recycling(void **state) {
    char ini[1024];
    snprintf(ini, sizeof ini, "%s", INI);
    char *p = strstr(ini, "recycle_after_days = 10\n");
    memmove(p, p + strlen("recycle_after_days = 10\n"), strlen(p + strlen("recycle_after_days = 10\n")) + 1);
    world w = make(*state, LEADS, EVENTS, OUTCOMES, ini);
    recycle_out o;
    util_err err = {0};
    assert_int_equal(recycle_handoffs(w.rc, 20, 0, &o, &err), 0);
    assert_int_equal(o.n, 6);
    assert_int_equal(o.recycled, 0);
    recycle_out_fini(&o);
    world_free(&w);
}

/* ---------- Rules, fast track, limits, decay, two axes ---------- */

static void test_rules_fast_limits(void **state) {
    const char *leads = "lead_id,created_at,industry\nR,2025-01-06,software\nX,2025-01-06,retail\n";
    const char *events = "lead_id,timestamp,event\n"
                         "R,2025-01-07,w\nR,2025-01-08,w\n"  /* rule fires 01-08 */
                         "R,2025-01-20,w\nR,2025-01-21,w\n"  /* the new cycle's rule */
                         "X,2025-01-07,a\nX,2025-01-07,a\nX,2025-01-07,a\n"
                         "X,2025-01-20,a\nX,2025-01-20,a\nX,2025-01-20,a\nX,2025-01-25,demo\n";
    const char *ini = "[behaviour]\na = 10\n[limits]\na = 20\n[fit industry]\nsoftware = 5\n"
                      "[mql]\nthreshold = 20\nfast_track = demo\nrule = w >= 2 within 3d\n"
                      "[sales]\nreps = 1\nfollowups_per_rep_per_day = 2\nrecycle_after_days = 5\n"
                      "[evaluation]\nuntil = 2025-03-31\n";
    world w = make(*state, leads, events, "lead_id,status,closed_at\n", ini);
    /* from 01-09: the rule needs two w of the new cycle: 01-20 and 01-21 */
    cycle_is(&w, "R", "2025-01-09", 1000, 0, "2025-01-21");
    /* from 01-20 12:00 only one w is left in the cycle */
    cycle_is(&w, "R", "2025-01-20 12:00", 1000, 0, NULL);
    /* X: three a capped at 20 in the new cycle too; at T = 30 only the demo */
    cycle_is(&w, "X", "2025-01-12", 20, 0, "2025-01-20");
    cycle_is(&w, "X", "2025-01-12", 30, 0, "2025-01-25");
    world_free(&w);
}

static void test_decay_two_axis(void **state) {
    const char *leads = "lead_id,created_at,industry\nD,2025-01-06,software\nL,2025-01-06,retail\n";
    const char *events = "lead_id,timestamp,event\n"
                         "D,2025-01-07,a\n"
                         "D,2025-01-20,a\nD,2025-01-21,a\n"
                         "L,2025-01-20,a\nL,2025-01-20,a\n";
    /* half-life 1 day: at 01-21 the cycle's sum is 10 * 0.5 + 10 = 15 */
    const char *ini = "[behaviour]\na = 10\n[decay]\nhalf_life_days = 1\n[fit industry]\nsoftware = 10\n"
                      "[mql]\nthreshold = 15\nfit_threshold = 10\n"
                      "[sales]\nreps = 1\nfollowups_per_rep_per_day = 2\nrecycle_after_days = 5\n"
                      "[evaluation]\nuntil = 2025-03-31\n";
    world w = make(*state, leads, events, "lead_id,status,closed_at\n", ini);
    cycle_is(&w, "D", "2025-01-12", 15, 10, "2025-01-21");
    cycle_is(&w, "D", "2025-01-12", 15.000001, 10, NULL);
    /* L fails the fit axis whatever its behaviour */
    cycle_is(&w, "L", "2025-01-12", 15, 10, NULL);
    cycle_is(&w, "L", "2025-01-12", 15, 0, "2025-01-20");
    world_free(&w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cycles, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_handoffs, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_no_recycling, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_rules_fast_limits, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_decay_two_axis, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
