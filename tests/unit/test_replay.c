/* test_replay.c - unit tests for replay_run: staircases, fast times, cutoffs, threads.
 *
 * Each test writes a tiny dataset and scenario into a fresh mkdtemp folder,
 * loads both with load_dataset and scenario_load, replays, and checks the
 * arrays against values worked out by hand from SPEC 5.1-5.3. Scores made of
 * decimal numbers are the decimals' nearest doubles (0.02 * 501 + 26 is
 * 36.02 and qualifies at `threshold = 36.02`; sweep lists 36.02 once), and
 * decayed scores are rounded to 1e-9 (decimal.h). The last test
 * replays a few thousand generated leads (gen_write) with 1, 3 and 4 threads
 * and requires identical arrays. Folders are removed by the teardown. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "dataset.h"
#include "gen.h"
#include "load.h"
#include "replay.h"
#include "scenario.h"
#include "sweep.h"
#include "tstamp.h"
#include "util.h"

#define DAY TSTAMP_USEC_PER_DAY
#define SEC TSTAMP_USEC_PER_SEC
#define NONE TSTAMP_NONE

/* ---------- Helpers ---------- */

typedef struct world {
    dataset *ds;
    scenario *sc;
    replay *r;
} world;

/* Write scenario.ini (with "data = ." prepended to its [scenario] section),
 * then load the dataset in dir and replay with nthreads. */
static world run(const char *dir, const char *ini, int nthreads) {
    char text[4096];
    snprintf(text, sizeof text, "[scenario]\nname = t\ndata = .\n%s", ini);
    tmpdir_put(dir, "scenario.ini", text);
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    world w = {0};
    util_err err = {0};
    if (scenario_load(p, &w.sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, &w.ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    if (replay_run(w.ds, w.sc, nthreads, &w.r, &err) < 0) fail_msg("replay_run: %s", err.msg);
    return w;
}

static void world_free(world *w) {
    replay_free(w->r);
    dataset_free(w->ds);
    scenario_free(w->sc);
}

static int64_t ts(const char *s) {
    int64_t t;
    if (tstamp_parse(s, strlen(s), &t) < 0) fail_msg("bad test timestamp %s", s);
    return t;
}

/* Cohort index of the lead with this id, or -1. */
static long ci_of(const world *w, const char *id) {
    long li = strtab_find(&w->ds->ids, id, strlen(id));
    assert_true(li >= 0);
    for (size_t i = 0; i < w->r->n; i++)
        if (w->r->lead[i] == (uint32_t)li) return (long)i;
    return -1;
}

/* The staircase of lead id must be exactly the n (value, "time") pairs given. */
static void stairs(const world *w, const char *id, int n, ...) {
    long i = ci_of(w, id);
    assert_true(i >= 0);
    size_t a = w->r->st_off[i], b = w->r->st_off[i + 1];
    if (b - a != (size_t)n) fail_msg("lead %s: %zu records, expected %d", id, b - a, n);
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n; k++) {
        double v = va_arg(ap, double);
        const char *t = va_arg(ap, const char *);
        if (fabs(w->r->st_val[a + k] - v) > 1e-9)
            fail_msg("lead %s record %d: value %.17g, expected %.17g", id, k, w->r->st_val[a + k], v);
        if (w->r->st_time[a + k] != ts(t)) {
            char got[40];
            tstamp_format(w->r->st_time[a + k], got, sizeof got);
            fail_msg("lead %s record %d: time %s, expected %s", id, k, got, t);
        }
    }
    va_end(ap);
}

static void mql_is(const world *w, const char *id, double T, double F, const char *want) {
    long i = ci_of(w, id);
    assert_true(i >= 0);
    int64_t m = replay_mql_time(w->r, (size_t)i, T, F);
    int64_t e = want ? ts(want) : NONE;
    if (m != e) {
        char got[40];
        tstamp_format(m, got, sizeof got);
        fail_msg("lead %s at T=%g F=%g: MQL '%s', expected '%s'", id, T, F, got, want ? want : "");
    }
}

static void fast_is(const world *w, const char *id, const char *want) {
    long i = ci_of(w, id);
    assert_true(i >= 0);
    int64_t e = want ? ts(want) : NONE;
    if (w->r->fast[i] != e) {
        char got[40];
        tstamp_format(w->r->fast[i], got, sizeof got);
        fail_msg("lead %s: fast '%s', expected '%s'", id, got, want ? want : "");
    }
}

/* ---------- Staircases ---------- */

static const char *LEADS =
    "lead_id,created_at,industry\n"
    "x,2025-01-06,software\n"
    "y,2025-01-06,retail\n"
    "z,2025-01-06 12:00,software\n";
static const char *EVENTS =
    "lead_id,timestamp,event\n"
    "x,2025-01-07,a\n"
    "x,2025-01-08,b\n"
    "x,2025-01-09,a\n"
    "x,2025-01-09,a\n"
    "x,2025-01-10,noise\n"
    "y,2025-01-06,b\n"
    "y,2025-01-08,a\n"
    "z,2025-01-07,a\n";
static const char *OUTCOMES =
    "lead_id,status,closed_at,amount\n"
    "x,won,2025-03-01,100\n"
    "y,lost,2025-01-08,\n"
    "z,won,,40\n";

static void test_staircase_single_axis(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", LEADS);
    tmpdir_put(dir, "events.csv", EVENTS);
    tmpdir_put(dir, "outcomes.csv", OUTCOMES);
    world w = run(dir, "[behaviour]\na = 10\nb = -5\n[fit industry]\nsoftware = 3\n[mql]\nthreshold = 10\n", 1);
    replay *r = w.r;
    assert_int_equal(r->n, 3);
    assert_int_equal(r->timed, 1);
    assert_int_equal(r->two_axis, 0);
    assert_true(r->until == ts("2025-03-01")); /* latest timestamp: x's closed_at */
    assert_int_equal(r->nwon, 2);
    assert_true(r->won_amount == 140);
    assert_int_equal(r->has_amount, 1);
    long x = ci_of(&w, "x"), y = ci_of(&w, "y"), z = ci_of(&w, "z");
    assert_true(r->fit[x] == 3 && r->fit[y] == 0 && r->fit[z] == 3);
    assert_int_equal(r->won[x], 1);
    assert_int_equal(r->won[y], 0);
    assert_true(r->amount[x] == 100 && isnan(r->amount[y]));
    assert_true(r->created[z] == ts("2025-01-06 12:00"));
    /* x: 3 at created_at, 13 on 01-07, 8 on 01-08 (no record), 28 on 01-09 */
    stairs(&w, "x", 3, 3.0, "2025-01-06", 13.0, "2025-01-07", 28.0, "2025-01-09");
    /* y: b at created_at (-5); its a on 01-08 is at its close: not counted */
    stairs(&w, "y", 1, -5.0, "2025-01-06");
    /* z: won without closed_at, cutoff until */
    stairs(&w, "z", 2, 3.0, "2025-01-06 12:00", 13.0, "2025-01-07");
    fast_is(&w, "x", NULL);
    mql_is(&w, "x", 13, 0, "2025-01-07");
    mql_is(&w, "x", 13.5, 0, "2025-01-09");
    mql_is(&w, "x", 28, 0, "2025-01-09");
    mql_is(&w, "x", 28.000001, 0, NULL);
    mql_is(&w, "x", 3, 0, "2025-01-06");
    mql_is(&w, "x", -1e9, 0, "2025-01-06");
    mql_is(&w, "y", -5, 0, "2025-01-06");
    mql_is(&w, "y", 0, 0, NULL);
    /* counted: x 5 (noise included), y 1, z 1 */
    assert_int_equal(r->counted_events, 7);
    world_free(&w);
}

static void test_staircase_two_axis(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", LEADS);
    tmpdir_put(dir, "events.csv", EVENTS);
    tmpdir_put(dir, "outcomes.csv", OUTCOMES);
    world w = run(dir,
                  "[behaviour]\na = 10\nb = -5\n[fit industry]\nsoftware = 3\n"
                  "[mql]\nthreshold = 10\nfit_threshold = 3\n", 1);
    assert_int_equal(w.r->two_axis, 1);
    /* behaviour only: 0, 10, (5), 25 */
    stairs(&w, "x", 3, 0.0, "2025-01-06", 10.0, "2025-01-07", 25.0, "2025-01-09");
    mql_is(&w, "x", 10, 3, "2025-01-07");
    mql_is(&w, "x", 10, 3.5, NULL); /* fit 3 < F */
    mql_is(&w, "x", 20, 0, "2025-01-09");
    mql_is(&w, "y", -5, -1, "2025-01-06");
    mql_is(&w, "y", -5, 0.5, NULL);
    world_free(&w);
}

/* Events at one timestamp are applied together: +20 and -20 never show 20. */
static void test_simultaneous(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\np,2025-01-06\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\np,2025-01-07,up\np,2025-01-07,down\np,2025-01-08,down\n"
        "p,2025-01-08,up\np,2025-01-08,up\n");
    world w = run(dir, "[behaviour]\nup = 20\ndown = -20\n[mql]\nthreshold = 20\n[evaluation]\nuntil = 2025-03-01\n", 1);
    stairs(&w, "p", 2, 0.0, "2025-01-06", 20.0, "2025-01-08");
    mql_is(&w, "p", 20, 0, "2025-01-08");
    world_free(&w);
}

/* until defaults to the latest timestamp in the data: here the last event
 * itself, which is then at the cutoff of its open lead and does not count. */
static void test_default_until(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\np,2025-01-06\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\np,2025-01-07,a\np,2025-01-08,a\nzz,2025-01-08,a\n");
    world w = run(dir, "[behaviour]\na = 10\n[mql]\nthreshold = 20\n", 1);
    assert_true(w.r->until == ts("2025-01-08"));
    stairs(&w, "p", 2, 0.0, "2025-01-06", 10.0, "2025-01-07");
    mql_is(&w, "p", 20, 0, NULL);
    assert_int_equal(w.r->counted_events, 1);
    world_free(&w);
}

/* Decay carried forward equals the direct sum of SPEC 5.2; limits clamp the
 * decayed sum per type. */
static void test_decay_and_limits(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\np,2025-01-06\nq,2025-01-06\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\n"
        "p,2025-01-06,e\np,2025-01-06,e\np,2025-01-06,e\np,2025-01-06,e\n" /* 20 -> cap 12 */
        "p,2025-01-16,e\np,2025-01-16,pg\n"                                /* e 15 -> 12, pg 10 */
        "q,2025-01-06,a\nq,2025-01-16,a\nq,2025-01-21,a\n");
    world w = run(dir,
                  "[behaviour]\ne = 5\npg = 10\na = 20\n[limits]\ne = 12\n[decay]\nhalf_life_days = 10\n"
                  "[mql]\nthreshold = 10\n[evaluation]\nuntil = 2025-03-01\n", 1);
    stairs(&w, "p", 2, 12.0, "2025-01-06", 22.0, "2025-01-16");
    /* q: 20; 20*0.5 + 20 = 30; 30*0.5^0.5 + 20 = 41.2132 */
    stairs(&w, "q", 3, 20.0, "2025-01-06", 30.0, "2025-01-16", 30 * sqrt(0.5) + 20, "2025-01-21");
    world_free(&w);
}

/* Regression (fixed in 064e432): with decay, the time of an event whose type
 * scores nothing is still a candidate time, and fading negative points can
 * make the score reach the threshold there. */
static void test_decay_rise_at_unscored_event(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,tier\np,2025-01-06,a\nq,2025-01-06,a\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\np,2025-01-06,unsub\np,2025-01-16,noise\np,2025-01-26,noise\n"
        "q,2025-01-06,unsub\n");
    world w = run(dir,
                  "[behaviour]\nunsub = -20\n[fit tier]\na = 20\n[decay]\nhalf_life_days = 10\n"
                  "[mql]\nthreshold = 15\n[evaluation]\nuntil = 2025-03-01\n", 1);
    stairs(&w, "p", 3, 0.0, "2025-01-06", 10.0, "2025-01-16", 15.0, "2025-01-26");
    mql_is(&w, "p", 15, 0, "2025-01-26");
    /* q: no later candidate time at all; the score between events is never looked at */
    stairs(&w, "q", 1, 0.0, "2025-01-06");
    mql_is(&w, "q", 15, 0, NULL);
    world_free(&w);
}

/* ---------- Fast track and rules ---------- */

static void test_fast_and_rules(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at\nf1,2025-01-06\nf2,2025-01-06\nf3,2025-01-06\nf4,2025-01-06\n"
        "f5,2025-01-06\nf6,2025-01-06\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\n"
        "f1,2025-01-07,a\nf1,2025-01-08 10:00,demo\nf1,2025-01-09,a\n"
        "f2,2025-01-07 00:00:00,pdf\nf2,2025-01-10,pdf\nf2,2025-01-14 00:00:00,pdf\n"
        "f3,2025-01-07 00:00:01,pdf\nf3,2025-01-10,pdf\nf3,2025-01-14 00:00:00,pdf\n"
        "f4,2025-01-07,web\nf4,2025-01-20,case\nf4,2025-03-01,case\n"
        "f5,2025-01-05,web\nf5,2025-01-08,case\nf5,2025-01-09,case\n"
        "f6,2025-01-07,pdf\nf6,2025-01-07,pdf\nf6,2025-01-07,pdf\n");
    world w = run(dir,
                  "[behaviour]\na = 10\n[mql]\nthreshold = 15\nfast_track = demo, nothere\n"
                  "rule = pdf >= 3 within 7d\nrule = web >= 1 and case >= 2\n"
                  "rule = ghost >= 1\n[evaluation]\nuntil = 2025-03-01\n", 1);
    /* f1: demo fast at 01-08 10:00; the replay stops there (no later record) */
    fast_is(&w, "f1", "2025-01-08 10:00");
    stairs(&w, "f1", 2, 0.0, "2025-01-06", 10.0, "2025-01-07");
    mql_is(&w, "f1", 15, 0, "2025-01-08 10:00");
    mql_is(&w, "f1", 10, 0, "2025-01-07"); /* the threshold first when it is earlier */
    /* f2: first pdf exactly 7 days before the third: outside (t - 7d, t] */
    fast_is(&w, "f2", NULL);
    /* f3: 1 second less: inside */
    fast_is(&w, "f3", "2025-01-14");
    /* f4: no window; the second case is at until: not counted */
    fast_is(&w, "f4", NULL);
    /* f5: web before created_at is ignored */
    fast_is(&w, "f5", NULL);
    /* f6: three at one timestamp */
    fast_is(&w, "f6", "2025-01-07");
    mql_is(&w, "f6", 1e9, 0, "2025-01-07");
    /* notes for names that do not occur in the data */
    int seen_fast = 0, seen_rule = 0;
    for (int i = 0; i < w.r->nnotes; i++) {
        if (strstr(w.r->notes[i], "'nothere'")) seen_fast = 1;
        if (strstr(w.r->notes[i], "'ghost'") && strstr(w.r->notes[i], "never fires")) seen_rule = 1;
    }
    assert_true(seen_fast && seen_rule);
    world_free(&w);

    /* with until later, f4's second case counts: the rule fires on 03-01 */
    world w2 = run(dir, "[mql]\nthreshold = 15\nrule = web >= 1 and case >= 2\n[evaluation]\nuntil = 2025-03-02\n", 1);
    fast_is(&w2, "f4", "2025-03-01");
    world_free(&w2);
}

/* ---------- Cohort and cutoff ---------- */

static void test_cohort_and_cutoff(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at\n"
        "c0,2025-01-09 23:59:59\nc1,2025-01-10\nc2,2025-01-20\nc3,2025-01-20 00:00:01\n"
        "c4,2025-02-01\nc5,2025-01-15\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\n"
        "c1,2025-01-11,a\nc1,2025-01-31,a\n"
        "c2,2025-01-21,a\nc2,2025-01-30 00:00:00,a\n"
        "c5,2025-01-16,a\n");
    tmpdir_put(dir, "outcomes.csv",
        "lead_id,status,closed_at\nc1,lost,2025-02-01\nc2,won,2025-01-30\nc5,won,2025-01-15\n");
    world w = run(dir,
                  "[behaviour]\na = 10\n[mql]\nthreshold = 10\n"
                  "[evaluation]\nfrom = 2025-01-10\nto = 2025-02-01\nuntil = 2025-01-30\n"
                  "maturity_days = 10\n", 1);
    /* from inclusive, to exclusive, created_at <= until - 10 days = 2025-01-20 00:00:00 */
    assert_int_equal(w.r->n, 3);
    assert_true(ci_of(&w, "c0") < 0);
    assert_true(ci_of(&w, "c1") >= 0);
    assert_true(ci_of(&w, "c2") >= 0);
    assert_true(ci_of(&w, "c3") < 0);
    assert_true(ci_of(&w, "c4") < 0);
    assert_true(ci_of(&w, "c5") >= 0);
    assert_true(w.r->until == ts("2025-01-30"));
    /* c1 lost, closed 02-01, after until: not known as of until (SPEC 5.1), so
     * open and cut off at until; the event on 01-31, after until, does not count */
    stairs(&w, "c1", 2, 0.0, "2025-01-10", 10.0, "2025-01-11");
    /* c2 won, closed 01-30 (= until: known): the event exactly at closed_at does not count */
    stairs(&w, "c2", 2, 0.0, "2025-01-20", 10.0, "2025-01-21");
    /* c5 closed at its creation: no candidate time at all */
    stairs(&w, "c5", 0);
    mql_is(&w, "c5", -1e9, 0, NULL);
    assert_int_equal(w.r->counted_events, 2);
    assert_int_equal(w.r->nwon, 2);
    world_free(&w);
}

/* A snapshot: every event counts, at time 0; cohort bounds are ignored (with a note). */
static void test_snapshot(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,tier\ns1,a\ns2,b\n");
    tmpdir_put(dir, "events.csv", "lead_id,event\ns1,x\ns1,x\ns2,demo\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status\ns1,won\n");
    world w = run(dir,
                  "[behaviour]\nx = 5\n[fit tier]\na = 1\n[decay]\nhalf_life_days = 3\n"
                  "[mql]\nthreshold = 11\nfast_track = demo\n[evaluation]\nfrom = 2030-01-01\n", 1);
    assert_int_equal(w.r->timed, 0);
    assert_int_equal(w.r->n, 2);
    stairs(&w, "s1", 1, 11.0, "1970-01-01");
    fast_is(&w, "s2", "1970-01-01");
    assert_int_equal(w.r->counted_events, 3);
    assert_true(w.r->nnotes >= 1);
    world_free(&w);
}

static void test_errors(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\np,2025-01-06\n");
    tmpdir_put(dir, "scenario.ini", "[scenario]\nname = t\n[fit size]\n..10 = 1\n[mql]\nthreshold = 1\n");
    char p[512];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    scenario *sc = NULL;
    dataset *ds = NULL;
    replay *r = NULL;
    util_err err = {0};
    assert_int_equal(scenario_load(p, &sc, &err), 0);
    assert_int_equal(load_dataset(dir, NULL, &ds, &err), 0);
    assert_int_equal(replay_run(ds, sc, 1, &r, &err), -1);
    assert_null(r);
    assert_int_equal(err.code, UTIL_EDATA);
    char want[700];
    snprintf(want, sizeof want, "%s:3: [fit size]: the leads file has no column 'size'", p);
    assert_string_equal(err.msg, want);
    scenario_free(sc);

    tmpdir_put(dir, "scenario.ini", "[scenario]\nname = t\n[behaviour]\na = 5..20 step 5\n[mql]\nthreshold = 1\n");
    assert_int_equal(scenario_load(p, &sc, &err), 0);
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\np,2025-01-07,a\n");
    dataset_free(ds);
    assert_int_equal(load_dataset(dir, NULL, &ds, &err), 0);
    assert_int_equal(replay_run(ds, sc, 1, &r, &err), -1);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_non_null(strstr(err.msg, ":4: [behaviour] a: a list or range of points is a candidate grid"));
    scenario_free(sc);
    dataset_free(ds);
    replay_free(NULL);
}

/* ---------- Threads ---------- */

static void same_replay(const replay *a, const replay *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nst, b->nst);
    assert_int_equal(a->counted_events, b->counted_events);
    assert_int_equal(a->nwon, b->nwon);
    assert_true(a->won_amount == b->won_amount);
    assert_true(a->until == b->until);
    size_t n = a->n;
    assert_memory_equal(a->lead, b->lead, n * sizeof *a->lead);
    assert_memory_equal(a->created, b->created, n * sizeof *a->created);
    assert_memory_equal(a->won, b->won, n * sizeof *a->won);
    assert_memory_equal(a->amount, b->amount, n * sizeof *a->amount);
    assert_memory_equal(a->fit, b->fit, n * sizeof *a->fit);
    assert_memory_equal(a->fast, b->fast, n * sizeof *a->fast);
    assert_memory_equal(a->st_off, b->st_off, (n + 1) * sizeof *a->st_off);
    assert_memory_equal(a->st_val, b->st_val, a->nst * sizeof *a->st_val);
    assert_memory_equal(a->st_time, b->st_time, a->nst * sizeof *a->st_time);
}

/* ---------- Decimals (decimal.h) ---------- */

/* The case: 0.02 points per visit, 501 visits, and 26 points of
 * behaviour: 36.02, which `threshold = 36.02` qualifies; 500 and 502 visits
 * give 36 and 36.04. In doubles 0.02 * 501 + 26 is 36.019999999999996. */
static void test_decimal_scores(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
               "lead_id,created_at,visits\nd1,2025-01-06,501\nd2,2025-01-06,500\n"
               "d3,2025-01-06,502\nd4,2025-01-06,501\n");
    tmpdir_put(dir, "events.csv",
               "lead_id,timestamp,event\nd1,2025-01-07,demo\nd2,2025-01-07,demo\n"
               "d3,2025-01-08,demo\nd4,2025-01-09,demo\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\nd1,won,2025-02-01\n");
    world w = run(dir,
                  "[behaviour]\ndemo = 26\n[fit visits]\nper_unit = 0.02\n"
                  "[mql]\nthreshold = 36.02\n[evaluation]\nuntil = 2025-03-01\n", 2);
    assert_true(0.02 * 501 + 26 < 36.02); /* what the doubles give */
    assert_int_equal(w.r->units.exact, 1);
    assert_int_equal(w.r->units.k, 2);
    long i = ci_of(&w, "d1");
    assert_true(w.r->fit[i] == strtod("10.02", NULL));
    assert_true(w.r->st_val[w.r->st_off[i + 1] - 1] == strtod("36.02", NULL));
    mql_is(&w, "d1", 36.02, 0, "2025-01-07");
    mql_is(&w, "d4", 36.02, 0, "2025-01-09");
    mql_is(&w, "d2", 36.02, 0, NULL);
    mql_is(&w, "d3", 36.02, 0, "2025-01-08");
    /* the sweep's thresholds: 36, 36.02 (d1 and d4, once), 36.04 */
    util_err err = {0};
    sweep *sw = NULL;
    sweep_opts so = {.bootstrap = 0, .seed = 1, .threads = 1};
    if (sweep_run(w.r, w.sc, &so, &sw, &err) < 0) fail_msg("sweep_run: %s", err.msg);
    assert_int_equal(sw->nrows, 3);
    assert_true(sw->rows[0].T == 36 && sw->rows[1].T == strtod("36.02", NULL) &&
                sw->rows[2].T == strtod("36.04", NULL));
    assert_int_equal(sw->rows[1].tp + sw->rows[1].fp, 3);
    assert_int_equal(sw->rows[1].tp, 1);
    sweep_free(sw);
    world_free(&w);

    /* A cap compared as decimals, and tenths that the doubles add to
     * 0.30000000000000004: here 0.1 + 0.2 is 0.3. */
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,visits\nd1,2025-01-06,501\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\nd1,2025-01-07,a\nd1,2025-01-07,b\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\n");
    w = run(dir,
            "[behaviour]\na = 0.1\nb = 0.2\n[fit visits]\nper_unit = 0.02\nmax = 10.01\n"
            "[mql]\nthreshold = 10.31\n[evaluation]\nuntil = 2025-03-01\n", 1);
    assert_true(w.r->fit[0] == strtod("10.01", NULL));
    stairs(&w, "d1", 2, 10.01, "2025-01-06", 10.31, "2025-01-07");
    assert_true(w.r->st_val[1] == strtod("10.31", NULL));
    mql_is(&w, "d1", 10.31, 0, "2025-01-07");
    world_free(&w);
}

/* With decay, scores are rounded to the nearest 1e-9: 0.1 + 0.2 at one
 * time reaches 0.3; 10 * 2^(-1/3) + 10 is 17.93700526. */
static void test_decay_rounding(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\np,2025-01-06\nq,2025-01-06\n");
    tmpdir_put(dir, "events.csv",
               "lead_id,timestamp,event\np,2025-01-07,a\np,2025-01-07,b\n"
               "q,2025-01-07,c\nq,2025-01-08,x\n");
    world w = run(dir,
                  "[behaviour]\na = 0.1\nb = 0.2\nc = 10\n[decay]\nhalf_life_days = 3\n"
                  "[mql]\nthreshold = 0.3\n[evaluation]\nuntil = 2025-03-01\n", 1);
    assert_int_equal(w.r->units.exact, 0);
    long p = ci_of(&w, "p");
    assert_true(w.r->st_val[w.r->st_off[p + 1] - 1] == strtod("0.3", NULL));
    mql_is(&w, "p", 0.3, 0, "2025-01-07");
    stairs(&w, "q", 2, 0.0, "2025-01-06", 10.0, "2025-01-07"); /* 7.937... is no record */
    world_free(&w);
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\nq,2025-01-07,a\nq,2025-01-10,a\n");
    w = run(dir,
            "[behaviour]\na = 10\n[decay]\nhalf_life_days = 9\n"
            "[mql]\nthreshold = 17.93700526\n[evaluation]\nuntil = 2025-03-01\n", 1);
    /* 10 at 01-07; at 01-10 10 * 2^(-3/9) + 10 = 17.937005259840998: 17.93700526 */
    stairs(&w, "q", 3, 0.0, "2025-01-06", 10.0, "2025-01-07", 17.93700526, "2025-01-10");
    long q = ci_of(&w, "q");
    assert_true(w.r->st_val[w.r->st_off[q] + 2] == strtod("17.93700526", NULL));
    mql_is(&w, "q", 17.93700526, 0, "2025-01-10");
    mql_is(&w, "q", 17.937005261, 0, NULL);
    world_free(&w);
}

static void test_threads_identical(void **state) {
    const char *dir = *state;
    gen_opts go = {.leads = 4000, .seed = 11};
    util_err err = {0};
    if (gen_write(dir, &go, &err) < 0) fail_msg("gen_write: %s", err.msg);
    const char *ini =
        "[behaviour]\nemail_open = 2\nemail_click = 4\nwebinar = 12\nwhitepaper_download = 10\n"
        "case_study_view = 10\npricing_page_view = 15\nunsubscribe = -30\n"
        "[limits]\nemail_open = 10\nunsubscribe = 20\n[decay]\nhalf_life_days = 30\n"
        "[fit industry]\nsoftware = 15\nfinance = 10\ndefault = -2\n"
        "[fit employees]\n..10 = -10\n10..200 = 5\n200.. = 10\n"
        "[fit total_visits]\nper_unit = 2\nmax = 20\n"
        "[mql]\nthreshold = 40, 60\nfast_track = demo_request\n"
        "rule = pricing_page_view >= 3 within 14d\nrule = whitepaper_download >= 1 and case_study_view >= 2\n";
    world w1 = run(dir, ini, 1);
    assert_true(w1.r->n > 3000); /* enough for several slices of 1024 */
    long nfast = 0, nmql = 0;
    for (size_t i = 0; i < w1.r->n; i++) {
        nfast += w1.r->fast[i] != NONE;
        nmql += replay_mql_time(w1.r, i, 40, 0) != NONE;
    }
    assert_true(nfast > 0 && nmql > nfast); /* the data exercises both paths */
    for (int th = 2; th <= 8; th++) {
        world wt = run(dir, ini, th);
        same_replay(w1.r, wt.r);
        world_free(&wt);
    }
    world_free(&w1);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_staircase_single_axis),
        T(test_staircase_two_axis),
        T(test_simultaneous),
        T(test_default_until),
        T(test_decay_and_limits),
        T(test_decay_rise_at_unscored_event),
        T(test_fast_and_rules),
        T(test_cohort_and_cutoff),
        T(test_snapshot),
        T(test_errors),
        T(test_decimal_scores),
        T(test_decay_rounding),
        T(test_threads_identical),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
