/* test_compiled.c - unit tests for compiled: a scenario compiled against a dataset's types and columns.
 *
 * Each test writes a tiny dataset and scenario into a fresh mkdtemp folder,
 * loads both and compiles. Checked: a type with points gets a slot with
 * them, a zero or absent type none (absent: a note), limits in [limits]
 * order, a fast-track type, a rule's terms as type ids (a rule naming an
 * absent type left out, with a note), the decay and two-axis flags, every
 * kind of fit value per lead, the decimal units (k, exact sums, fits as
 * decimals), and the refusals with their messages. Folders
 * are removed by the teardown. */
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

#include "compiled.h"
#include "dataset.h"
#include "load.h"
#include "scenario.h"
#include "tstamp.h"
#include "util.h"

/* ---------- Fixtures ---------- */

typedef struct world {
    dataset *ds;
    scenario *sc;
    compiled p;
    int rc;
    util_err err;
} world;

/* Write scenario.ini (with its [scenario] section), load it and the dataset
 * in dir, and compile; the result is in w.rc and w.err. */
static world build(const char *dir, const char *ini) {
    char text[4096];
    snprintf(text, sizeof text, "[scenario]\nname = t\ndata = .\n%s", ini);
    tmpdir_put(dir, "scenario.ini", text);
    char path[512];
    snprintf(path, sizeof path, "%s/scenario.ini", dir);
    world w;
    memset(&w, 0, sizeof w);
    if (scenario_load(path, &w.sc, &w.err) < 0) fail_msg("scenario_load: %s", w.err.msg);
    if (load_dataset(dir, NULL, &w.ds, &w.err) < 0) fail_msg("load_dataset: %s", w.err.msg);
    w.rc = compiled_init(&w.p, w.ds, w.sc, &w.err);
    return w;
}

static void world_free(world *w) {
    compiled_fini(&w->p);
    compiled_fini(&w->p); /* twice is harmless */
    dataset_free(w->ds);
    scenario_free(w->sc);
}

static long type_id(const world *w, const char *name) {
    long t = strtab_find(&w->ds->types, name, strlen(name));
    if (t < 0) fail_msg("no type %s in the data", name);
    return t;
}

/* The slot of type NAME, or NULL when the type does nothing. */
static const compiled_slot *slot(const world *w, const char *name) {
    int s = w->p.slot_of[type_id(w, name)];
    return s < 0 ? NULL : &w->p.slots[s];
}

static double fit(const world *w, const char *id) {
    long li = strtab_find(&w->ds->ids, id, strlen(id));
    if (li < 0) fail_msg("no lead %s", id);
    return w->p.fit[li];
}

static int has_note(const world *w, const char *part) {
    for (int i = 0; i < w->p.nnotes; i++)
        if (strstr(w->p.notes[i], part)) return 1;
    return 0;
}

static const char *LEADS =
    "lead_id,created_at,industry,visits,size\n"
    "a,2025-01-06,software,3,5\n"
    "b,2025-01-06,retail,100,50\n"
    "c,2025-01-06,,x,500\n"
    "d,2025-01-06,finance,,\n";
static const char *EVENTS =
    "lead_id,timestamp,event\n"
    "a,2025-01-07,open\na,2025-01-07,click\na,2025-01-08,demo\na,2025-01-09,noise\n"
    "b,2025-01-07,pricing\nb,2025-01-08,paper\nb,2025-01-08,case\n";

/* ---------- Event types ---------- */

static void test_types(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", LEADS);
    tmpdir_put(dir, "events.csv", EVENTS);
    world w = build(dir,
                    "[behaviour]\nclick = 4\nopen = 2\nnoise = 0\nghost = 9\n"
                    "[limits]\nopen = 10\nclick = 12\nnoise = 3\n"
                    "[mql]\nthreshold = 10\nfast_track = demo, nowhere\n");
    assert_int_equal(w.rc, 0);
    assert_true(w.p.ntypes == w.ds->types.n);
    const compiled_slot *click = slot(&w, "click"), *open = slot(&w, "open");
    assert_non_null(click);
    assert_non_null(open);
    assert_true(click->points == 4 && open->points == 2);
    /* limits in [limits] order: open first; none on a type without points */
    assert_int_equal(w.p.nlimited, 2);
    assert_int_equal(open->limited, 0);
    assert_int_equal(click->limited, 1);
    assert_true(w.p.limit[0] == 10 && w.p.limit[1] == 12);
    assert_null(slot(&w, "noise")); /* zero points: does nothing */
    assert_null(slot(&w, "pricing"));
    /* fast track */
    const compiled_slot *demo = slot(&w, "demo");
    assert_non_null(demo);
    assert_int_equal(demo->fast, 1);
    assert_true(demo->points == 0);
    assert_int_equal(demo->limited, -1);
    assert_int_equal(click->fast, 0);
    assert_int_equal(w.p.any_rule_or_fast, 1);
    /* types the data lacks are noted, in scenario order */
    assert_int_equal(w.p.nnotes, 2);
    assert_true(has_note(&w, "event type 'ghost' in [behaviour] does not occur in the data"));
    assert_true(has_note(&w, "fast_track type 'nowhere' does not occur in the data"));
    assert_int_equal(w.p.decay, 0);
    assert_int_equal(w.p.two_axis, 0);
    world_free(&w);
}

static void test_rules(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", LEADS);
    tmpdir_put(dir, "events.csv", EVENTS);
    world w = build(dir,
                    "[behaviour]\npricing = 5\n[decay]\nhalf_life_days = 2\n"
                    "[mql]\nthreshold = 10\nfit_threshold = 1\n"
                    "rule = pricing >= 3 within 14d\n"
                    "rule = ghost >= 1 and paper >= 1\n"
                    "rule = paper >= 1 and case >= 2\n");
    assert_int_equal(w.rc, 0);
    /* the rule on ghost can never fire: left out */
    assert_int_equal(w.p.nrules, 2);
    assert_true(has_note(&w, "rule type 'ghost' does not occur in the data: the rule never fires"));
    const compiled_rule *r0 = &w.p.rules[0], *r1 = &w.p.rules[1];
    assert_int_equal(r0->nterms, 1);
    assert_int_equal(r0->windowed, 1);
    assert_true(r0->window == 14 * TSTAMP_USEC_PER_DAY);
    assert_int_equal(r0->terms[0].type, type_id(&w, "pricing"));
    assert_int_equal(r0->terms[0].n, 3);
    assert_int_equal(r1->windowed, 0);
    assert_int_equal(r1->nterms, 2);
    assert_int_equal(r1->terms[0].type, type_id(&w, "paper"));
    assert_int_equal(r1->terms[1].type, type_id(&w, "case"));
    assert_int_equal(r1->terms[1].n, 2);
    /* a rule term gives its type a slot, points or not */
    assert_int_equal(slot(&w, "pricing")->nterms, 1);
    assert_true(slot(&w, "pricing")->points == 5);
    assert_int_equal(slot(&w, "paper")->nterms, 2); /* both rules name it, the dropped one too */
    assert_true(slot(&w, "case")->points == 0);
    assert_int_equal(w.p.any_rule_or_fast, 1);
    assert_int_equal(w.p.decay, 1);
    assert_true(w.p.half_life_us == 2.0 * TSTAMP_USEC_PER_DAY);
    assert_int_equal(w.p.two_axis, 1);
    world_free(&w);
}

/* ---------- Fit ---------- */

static void test_fit(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", LEADS);
    tmpdir_put(dir, "events.csv", EVENTS);
    world w = build(dir,
                    "[behaviour]\nopen = 1\n"
                    "[fit industry]\nsoftware = 15\nfinance = 10\ndefault = -2\n"
                    "[fit visits]\nper_unit = 2\nmax = 20\ndefault = 1\n"
                    "[fit size]\n..10 = -10\n10..200 = 5\n200.. = 10\n"
                    "[mql]\nthreshold = 10\n");
    assert_int_equal(w.rc, 0);
    /* a: software 15, 3 visits 6, size 5 -10 */
    assert_true(fit(&w, "a") == 11);
    /* b: retail default -2, 100 visits capped at 20, size 50 5 */
    assert_true(fit(&w, "b") == 23);
    /* c: missing industry default -2, visits not a number default 1, 500 10 */
    assert_true(fit(&w, "c") == 9);
    /* d: finance 10, missing visits 1, missing size 0 (no default) */
    assert_true(fit(&w, "d") == 11);
    assert_int_equal(w.p.nnotes, 0);
    world_free(&w);
}

static void test_fit_too_big(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,visits\na,2025-01-06,1e300\nb,2025-01-06,2\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,open\n");
    world w = build(dir, "[behaviour]\nopen = 1\n[fit visits]\nper_unit = 1\ndefault = 4\n"
                         "[mql]\nthreshold = 10\n");
    assert_int_equal(w.rc, 0);
    assert_true(fit(&w, "a") == 4); /* scored as missing */
    assert_true(fit(&w, "b") == 2);
    assert_int_equal(w.p.nnotes, 1);
    assert_string_equal(w.p.notes[0], "[fit visits]: 1 value (first '1e300') would score more "
                                      "than 1e15 points and is scored as missing");
    world_free(&w);
}

/* ---------- Units (decimal.h) ---------- */

static void test_units(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
               "lead_id,created_at,visits,tier\na,2025-01-06,501,x\nb,2025-01-06,2.5,y\n"
               "c,2025-01-06,3.14159265358979,x\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,open\na,2025-01-08,pay\n");
    /* k: open 0.5 (1 place), pay's limit 2.25 (2), per_unit 0.02 with 501 and
     * 2.5 (2 and 3) but 3.14159265358979 (2 + 14): more than 9, so 9 */
    world w = build(dir, "[behaviour]\nopen = 0.5\npay = 3\nnoise = 0\n[limits]\npay = 2.25\n"
                         "[fit visits]\nper_unit = 0.02\n[fit tier]\nx = 0.1\ny = 0.2\n"
                         "[mql]\nthreshold = 10\n");
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.p.units.fit_places, DECIMAL_MAX_PLACES + 1);
    assert_int_equal(w.p.units.k, 9);
    assert_int_equal(w.p.units.fit_exact, 1);
    assert_int_equal(w.p.units.exact, 1);
    assert_int_equal(w.p.units.max_events, 2);
    assert_true(slot(&w, "open")->units == 500000000);
    assert_true(w.p.ulimit[0] == 2250000000);
    /* 10.02 + 0.1 = 10.12; 0.05 + 0.2 = 0.25; 0.0628318530717958 to 9 places + 0.1 */
    assert_true(fit(&w, "a") == strtod("10.12", NULL));
    assert_true(fit(&w, "b") == strtod("0.25", NULL));
    assert_true(fit(&w, "c") == strtod("0.162831853", NULL));
    assert_true(fabs(w.p.units.fit_abs - (0.02 * 501 + 0.2)) < 1e-12);
    world_free(&w);

    /* Whole points: k = 0. With decay the scores are not exact (the fit is). */
    w = build(dir, "[behaviour]\nopen = 2\n[decay]\nhalf_life_days = 7\n"
                   "[fit tier]\nx = 15\n[mql]\nthreshold = 10\n");
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.p.units.k, 0);
    assert_int_equal(w.p.units.fit_exact, 1);
    assert_int_equal(w.p.units.exact, 0);
    world_free(&w);

    /* Sums that could leave 2^50 units: two events of 1e12 points in units
     * of 0.001 (2e15); in units of 0.1 (2e13) they are exact */
    w = build(dir, "[behaviour]\nopen = 1e12\npay = 0.001\n[mql]\nthreshold = 10\n");
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.p.units.k, 3);
    assert_int_equal(w.p.units.exact, 0);
    world_free(&w);
    w = build(dir, "[behaviour]\nopen = 1e12\npay = 0.5\n[mql]\nthreshold = 10\n");
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.p.units.k, 1);
    assert_int_equal(w.p.units.exact, 1);
    world_free(&w);
}

/* ---------- Refusals ---------- */

static void test_errors(void **state) {
    const char *dir = *state;
    char want[600];
    tmpdir_put(dir, "leads.csv", LEADS);
    world w = build(dir, "[behaviour]\nopen = 1\n[fit employees]\n..10 = 1\n[mql]\nthreshold = 1\n");
    assert_int_equal(w.rc, -1);
    assert_int_equal(w.err.code, UTIL_EDATA);
    snprintf(want, sizeof want, "%s/scenario.ini:6: [fit employees]: the leads file has no column "
                                "'employees'", dir);
    assert_string_equal(w.err.msg, want);
    world_free(&w);

    w = build(dir, "[behaviour]\nopen = 1, 2\n[mql]\nthreshold = 1\n");
    assert_int_equal(w.rc, -1);
    assert_int_equal(w.err.code, UTIL_EDATA);
    snprintf(want, sizeof want, "%s/scenario.ini:5: [behaviour] open: a list or range of points "
                                "is a candidate grid: `leadsim tune` evaluates it; give one value "
                                "to replay it", dir);
    assert_string_equal(w.err.msg, want);
    world_free(&w);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_types),
        T(test_rules),
        T(test_fit),
        T(test_fit_too_big),
        T(test_units),
        T(test_errors),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
