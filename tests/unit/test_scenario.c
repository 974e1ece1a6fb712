/* test_scenario.c - unit tests for scenario: loading INI scenarios, value parsers, errors.
 *
 * Each loading test writes a small scenario under /tmp (mkstemps, so the file
 * ends in ".ini" like a real one), loads it and checks the parsed fields, or
 * the exact error message: "PATH:LINE: what", where PATH is the temporary
 * file's name. The parsers scenario_parse_numbers, scenario_parse_rule and
 * scenario_name_ok are also tested directly. Floats are compared within a
 * relative tolerance of 1e-9. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenario.h"
#include "tstamp.h"
#include "util.h"

/* ---------- Helpers ---------- */

#define TOL 1e-9

/* Doubles equal within a relative tolerance; reports the caller's line. */
#define assert_near(a, b) assert_near_at((a), (b), __FILE__, __LINE__)
static void assert_near_at(double a, double b, const char *file, int line)
{
    if (!(fabs(a - b) <= TOL * (1.0 + fabs(b)))) {
        print_error("%.17g != %.17g (within %g)\n", a, b, TOL);
        _fail(file, line);
    }
}

/* Write text to a new /tmp/test_scenario_XXXXXX.ini; path receives its name. */
static void write_ini_n(char path[64], const char *text, size_t n)
{
    strcpy(path, "/tmp/test_scenario_XXXXXX.ini");
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(fd, text + done, n - done);
        assert_true(k > 0);
        done += (size_t)k;
    }
    assert_int_equal(close(fd), 0);
}

static void write_ini(char path[64], const char *text)
{
    write_ini_n(path, text, strlen(text));
}

/* Load text that must be valid. The file is removed again; the scenario
 * keeps a copy of its name in sc->path. */
#define load_ok(text) load_ok_at((text), __FILE__, __LINE__)
static scenario *load_ok_at(const char *text, const char *file, int line)
{
    char path[64];
    write_ini(path, text);
    scenario *sc = NULL;
    util_err err = {0, ""};
    int rc = scenario_load(path, &sc, &err);
    unlink(path);
    if (rc != 0) {
        print_error("scenario_load failed: %s\n", err.msg);
        _fail(file, line);
    }
    assert_non_null(sc);
    assert_string_equal(sc->path, path);
    return sc;
}

/* Load text that must fail with code and the message PATH + suffix. Returns 1
 * when it did, else prints what happened and returns 0 (tables of cases check
 * every entry before failing). */
static int error_matches(const char *text, int code, const char *suffix)
{
    char path[64], want[1200];
    write_ini(path, text);
    scenario *sc = NULL;
    util_err err = {0, ""};
    int rc = scenario_load(path, &sc, &err);
    unlink(path);
    snprintf(want, sizeof want, "%s%s", path, suffix);
    if (rc != -1 || sc != NULL || err.code != code || strcmp(err.msg, want) != 0) {
        print_error("scenario_load: rc %d, code %d, message\n  \"%s\"\nexpected code %d and\n"
                    "  \"%s\"\nfor the file:\n%s\n",
                    rc, err.code, rc == 0 ? "" : err.msg, code, want, text);
        scenario_free(sc);
        return 0;
    }
    return 1;
}

#define expect_error(text, code, suffix)                                                      \
    do {                                                                                      \
        if (!error_matches((text), (code), (suffix))) fail();                                 \
    } while (0)

static int64_t civil(int y, int mon, int d, int h, int mi, int s)
{
    return tstamp_from_civil(y, mon, d, h, mi, s);
}

/* ---------- Whole files ---------- */

static void test_minimal(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\nthreshold = 60\n");
    /* no name: the file name without ".ini" */
    const char *base = strrchr(sc->path, '/') + 1;
    assert_int_equal(strlen(sc->name), strlen(base) - 4);
    assert_memory_equal(sc->name, base, strlen(sc->name));
    assert_true(scenario_name_ok(sc->name));
    assert_null(sc->description);
    assert_null(sc->data);
    assert_int_equal(sc->nthresholds, 1);
    assert_near(sc->thresholds[0], 60);
    assert_int_equal(sc->threshold_line, 2);
    assert_null(sc->fit_thresholds);
    assert_int_equal(sc->nbehaviour, 0);
    assert_int_equal(sc->nlimits, 0);
    assert_int_equal(sc->nfits, 0);
    assert_int_equal(sc->nrules, 0);
    assert_int_equal(sc->nfast_track, 0);
    assert_near(sc->half_life_days, 0);
    assert_int_equal(sc->has_sales, 0);
    assert_int_equal(sc->has_from + sc->has_to + sc->has_until + sc->has_maturity, 0);
    assert_int_equal(sc->objective, SCENARIO_OBJ_F1);
    assert_null(sc->objective_text);
    scenario_free(sc);
}

static void test_scenario_section(void **state)
{
    (void)state;
    scenario *sc = load_ok("[scenario]\n"
                           "name = baseline-2026_v1.2\n"
                           "description = Points as agreed in the 2026 SLA\n"
                           "data = ../datasets/sample\n"
                           "[mql]\n"
                           "threshold = 1\n");
    assert_string_equal(sc->name, "baseline-2026_v1.2");
    assert_string_equal(sc->description, "Points as agreed in the 2026 SLA");
    /* relative to the scenario file's folder */
    assert_string_equal(sc->data, "/tmp/../datasets/sample");
    scenario_free(sc);

    sc = load_ok("[scenario]\ndata = /srv/data/leads\n[mql]\nthreshold = 1\n");
    assert_string_equal(sc->data, "/srv/data/leads");
    scenario_free(sc);
}

static void test_behaviour_limits_decay(void **state)
{
    (void)state;
    scenario *sc = load_ok("[behaviour]\n"
                           "whitepaper_download = 10\n"
                           "pricing_page_view = 15.5\n"
                           "unsubscribe = -30\n"
                           "webinar = 5..20 step 5\n"
                           "email_open = 1, 2, 3\n"
                           "[limits]\n"
                           "email_open = 10\n"
                           "pricing_page_view = 0\n"
                           "[decay]\n"
                           "half_life_days = 90\n"
                           "[mql]\n"
                           "threshold = 60\n");
    assert_int_equal(sc->nbehaviour, 5);
    static const char *types[] = {"whitepaper_download", "pricing_page_view", "unsubscribe",
                                  "webinar", "email_open"};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(sc->behaviour[i].type, types[i]);
        assert_int_equal(sc->behaviour[i].line, (long)i + 2);
    }
    assert_int_equal(sc->behaviour[0].nvals, 1);
    assert_near(sc->behaviour[0].vals[0], 10);
    assert_near(sc->behaviour[1].vals[0], 15.5);
    assert_near(sc->behaviour[2].vals[0], -30);
    /* a points grid (only tune evaluates it) */
    assert_int_equal(sc->behaviour[3].nvals, 4);
    for (size_t i = 0; i < 4; i++) assert_near(sc->behaviour[3].vals[i], 5.0 * (double)(i + 1));
    assert_int_equal(sc->behaviour[4].nvals, 3);
    assert_near(sc->behaviour[4].vals[2], 3);

    assert_int_equal(sc->nlimits, 2);
    assert_string_equal(sc->limits[0].type, "email_open");
    assert_near(sc->limits[0].vals[0], 10);
    assert_int_equal(sc->limits[0].line, 8);
    assert_string_equal(sc->limits[1].type, "pricing_page_view");
    assert_near(sc->limits[1].vals[0], 0);
    assert_near(sc->half_life_days, 90);
    scenario_free(sc);

    sc = load_ok("[decay]\nhalf_life_days = 0\n[mql]\nthreshold = 1\n");
    assert_near(sc->half_life_days, 0);
    scenario_free(sc);
}

static void test_fit_values_and_ranges(void **state)
{
    (void)state;
    scenario *sc = load_ok("[fit industry]\n"              /* 1 */
                           "software = 15\n"               /* 2 */
                           "retail = 0\n"                  /* 3 */
                           "real estate = 2.5\n"           /* 4 */
                           "default = -5\n"                /* 5 */
                           "Software = 1\n"                /* 6: case-sensitive, distinct */
                           "[fit employees]\n"             /* 7 */
                           "..50 = 0\n"                    /* 8 */
                           "50..1000 = 10\n"               /* 9 */
                           "unknown = 3\n"                 /* 10: a value among ranges */
                           "1000.. = 20\n"                 /* 11 */
                           "-10.5..-2 = 4\n"               /* 12 */
                           "[mql]\n"
                           "threshold = 60\n");
    assert_int_equal(sc->nfits, 2);

    const scenario_fit *f = &sc->fits[0];
    assert_string_equal(f->column, "industry");
    assert_int_equal(f->line, 1);
    assert_true(f->has_default);
    assert_near(f->def, -5);
    assert_false(f->has_per_unit);
    assert_false(f->has_max);
    assert_int_equal(f->nlines, 4);
    static const char *vals[] = {"software", "retail", "real estate", "Software"};
    static const double pts[] = {15, 0, 2.5, 1};
    static const long lines[] = {2, 3, 4, 6};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(f->lines[i].kind, SCENARIO_FIT_VALUE);
        assert_string_equal(f->lines[i].value, vals[i]);
        assert_near(f->lines[i].points, pts[i]);
        assert_int_equal(f->lines[i].line, lines[i]);
    }

    f = &sc->fits[1];
    assert_string_equal(f->column, "employees");
    assert_int_equal(f->line, 7);
    assert_false(f->has_default);
    assert_int_equal(f->nlines, 5);
    /* file order is kept: first match wins in replay */
    const scenario_fitline *l = f->lines;
    assert_int_equal(l[0].kind, SCENARIO_FIT_RANGE);
    assert_false(l[0].has_lo);
    assert_true(l[0].has_hi);
    assert_near(l[0].hi, 50);
    assert_near(l[0].points, 0);
    assert_int_equal(l[0].line, 8);
    assert_int_equal(l[1].kind, SCENARIO_FIT_RANGE);
    assert_true(l[1].has_lo && l[1].has_hi);
    assert_near(l[1].lo, 50);
    assert_near(l[1].hi, 1000);
    assert_near(l[1].points, 10);
    assert_int_equal(l[2].kind, SCENARIO_FIT_VALUE);
    assert_string_equal(l[2].value, "unknown");
    assert_near(l[2].points, 3);
    assert_int_equal(l[2].line, 10);
    assert_int_equal(l[3].kind, SCENARIO_FIT_RANGE);
    assert_true(l[3].has_lo);
    assert_false(l[3].has_hi);
    assert_near(l[3].lo, 1000);
    assert_near(l[3].points, 20);
    assert_int_equal(l[4].kind, SCENARIO_FIT_RANGE);
    assert_near(l[4].lo, -10.5);
    assert_near(l[4].hi, -2);
    assert_near(l[4].points, 4);
    assert_int_equal(l[4].line, 12);
    scenario_free(sc);
}

static void test_fit_per_unit(void **state)
{
    (void)state;
    scenario *sc = load_ok("[fit total_visits]\n"
                           "per_unit = 2\n"
                           "max = 20\n"
                           "[fit pages]\n"
                           "default = 1\n"
                           "per_unit = 0.5\n"
                           "[mql]\n"
                           "threshold = 60\n");
    assert_int_equal(sc->nfits, 2);
    const scenario_fit *f = &sc->fits[0];
    assert_string_equal(f->column, "total_visits");
    assert_true(f->has_per_unit);
    assert_near(f->per_unit, 2);
    assert_int_equal(f->per_unit_line, 2);
    assert_true(f->has_max);
    assert_near(f->max, 20);
    assert_int_equal(f->nlines, 0);
    assert_false(f->has_default);
    f = &sc->fits[1];
    assert_true(f->has_per_unit);
    assert_near(f->per_unit, 0.5);
    assert_false(f->has_max);
    assert_true(f->has_default);
    assert_near(f->def, 1);
    scenario_free(sc);
}

static void test_thresholds(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\nthreshold = 20, 40, 60\nfit_threshold = 10\n");
    assert_int_equal(sc->nthresholds, 3);
    assert_near(sc->thresholds[0], 20);
    assert_near(sc->thresholds[1], 40);
    assert_near(sc->thresholds[2], 60);
    assert_non_null(sc->fit_thresholds);
    assert_int_equal(sc->nfit_thresholds, 1);
    assert_near(sc->fit_thresholds[0], 10);
    scenario_free(sc);

    sc = load_ok("[mql]\nthreshold = 0..200 step 5\nfit_threshold = 0, 5.5, -3\n");
    assert_int_equal(sc->nthresholds, 41);
    for (size_t i = 0; i < 41; i++) assert_near(sc->thresholds[i], 5.0 * (double)i);
    assert_int_equal(sc->nfit_thresholds, 3);
    assert_near(sc->fit_thresholds[1], 5.5);
    assert_near(sc->fit_thresholds[2], -3);
    scenario_free(sc);

    /* 0.1 is not exact in binary: still 11 values, the last one 1 */
    sc = load_ok("[mql]\nthreshold = 0..1 step 0.1\n");
    assert_int_equal(sc->nthresholds, 11);
    for (size_t i = 0; i < 11; i++) assert_near(sc->thresholds[i], 0.1 * (double)i);
    scenario_free(sc);

    /* the end is included only when a step lands on it */
    sc = load_ok("[mql]\nthreshold = 0..10 step 3\n");
    assert_int_equal(sc->nthresholds, 4);
    assert_near(sc->thresholds[3], 9);
    scenario_free(sc);

    sc = load_ok("[mql]\nthreshold = 7..7 step 1\n");
    assert_int_equal(sc->nthresholds, 1);
    assert_near(sc->thresholds[0], 7);
    scenario_free(sc);
}

static void test_fast_track_and_rules(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\n"
                           "threshold = 60\n"
                           "fast_track = demo_request,  contact_form ,trial\n"
                           "rule = whitepaper_download >= 3 within 30d\n"
                           "rule = whitepaper_download >= 1 and case_study_view >= 1\n"
                           "rule = pricing_page_view >= 2 within 1.5d\n"
                           "rule = webinar>=1 and demo >= 2\tand trial >= 3 within 7 days\n");
    assert_int_equal(sc->nfast_track, 3);
    assert_string_equal(sc->fast_track[0], "demo_request");
    assert_string_equal(sc->fast_track[1], "contact_form");
    assert_string_equal(sc->fast_track[2], "trial");
    assert_int_equal(sc->fast_track_line, 3);

    assert_int_equal(sc->nrules, 4);
    const scenario_rule *r = &sc->rules[0];
    assert_int_equal(r->line, 4);
    assert_string_equal(r->text, "whitepaper_download >= 3 within 30d");
    assert_int_equal(r->nterms, 1);
    assert_string_equal(r->terms[0].type, "whitepaper_download");
    assert_int_equal(r->terms[0].n, 3);
    assert_true(r->has_within);
    assert_near(r->within_days, 30);

    r = &sc->rules[1];
    assert_int_equal(r->line, 5);
    assert_int_equal(r->nterms, 2);
    assert_string_equal(r->terms[0].type, "whitepaper_download");
    assert_int_equal(r->terms[0].n, 1);
    assert_string_equal(r->terms[1].type, "case_study_view");
    assert_int_equal(r->terms[1].n, 1);
    assert_false(r->has_within);

    r = &sc->rules[2];
    assert_int_equal(r->nterms, 1);
    assert_string_equal(r->terms[0].type, "pricing_page_view");
    assert_int_equal(r->terms[0].n, 2);
    assert_true(r->has_within);
    assert_near(r->within_days, 1.5);

    r = &sc->rules[3];
    assert_int_equal(r->nterms, 3);
    assert_string_equal(r->terms[0].type, "webinar");
    assert_int_equal(r->terms[0].n, 1);
    assert_string_equal(r->terms[1].type, "demo");
    assert_int_equal(r->terms[1].n, 2);
    assert_string_equal(r->terms[2].type, "trial");
    assert_int_equal(r->terms[2].n, 3);
    assert_true(r->has_within);
    assert_near(r->within_days, 7);
    scenario_free(sc);
}

static void test_sales(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\n"
                           "threshold = 60\n"
                           "[sales]\n"
                           "reps = 4\n"
                           "followups_per_rep_per_day = 8\n"
                           "sla_business_hours = 24\n"
                           "business_hours = 08:30-18:00\n"
                           "utc_offset = +02:00\n"
                           "recycle_after_days = 30\n");
    assert_true(sc->has_sales);
    assert_near(sc->reps, 4);
    assert_near(sc->followups_per_rep_per_day, 8);
    assert_near(sc->sla_business_hours, 24);
    assert_int_equal(sc->bh_start_min, 8 * 60 + 30);
    assert_int_equal(sc->bh_end_min, 18 * 60);
    assert_int_equal(sc->utc_offset_min, 120);
    assert_true(sc->has_recycle);
    assert_near(sc->recycle_after_days, 30);
    assert_true(sc->has_sla);
    assert_int_equal(sc->nholidays, 0);
    assert_null(sc->holidays_file);
    scenario_free(sc);

    /* defaults: SLA 48 business hours (not given: has_sla 0), 09:00-17:00
     * UTC, no recycling; whole numbers written as 3.0 or 1e1 are fine */
    sc = load_ok("[sales]\nreps = 1e1\nfollowups_per_rep_per_day = 3.0\n[mql]\nthreshold = 1\n");
    assert_true(sc->has_sales);
    assert_near(sc->reps, 10);
    assert_near(sc->followups_per_rep_per_day, 3);
    assert_near(sc->sla_business_hours, 48);
    assert_false(sc->has_sla);
    assert_int_equal(sc->bh_start_min, 9 * 60);
    assert_int_equal(sc->bh_end_min, 17 * 60);
    assert_int_equal(sc->utc_offset_min, 0);
    assert_false(sc->has_recycle);
    scenario_free(sc);

    sc = load_ok("[sales]\nreps = 1\nfollowups_per_rep_per_day = 1\nbusiness_hours = 00:00 - 24:00\n"
                 "[mql]\nthreshold = 1\n");
    assert_int_equal(sc->bh_start_min, 0);
    assert_int_equal(sc->bh_end_min, 24 * 60);
    scenario_free(sc);
}

static int64_t date_day(int y, int mon, int d)
{
    return civil(y, mon, d, 0, 0, 0) / TSTAMP_USEC_PER_DAY;
}

/* Write text to PATH (a fixed name under /tmp) for holidays_file. */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_holidays(void **state)
{
    (void)state;
    /* the list and the file add up; sorted, each date once; the file's
     * comments and blank lines are skipped; its path is relative to the
     * scenario's folder (/tmp) */
    write_file("/tmp/test_scenario_holidays.txt",
               "# public holidays\n2026-01-01\n\n2025-05-01  # May Day\r\n2025-12-25\n");
    scenario *sc = load_ok("[mql]\nthreshold = 1\n[sales]\nreps = 1\n"
                           "followups_per_rep_per_day = 1\n"
                           "holidays = 2025-12-25, 2024-02-29\n"
                           "holidays_file = test_scenario_holidays.txt\n");
    assert_string_equal(sc->holidays_file, "/tmp/test_scenario_holidays.txt");
    assert_int_equal(sc->nholidays, 4);
    assert_int_equal(sc->holidays[0], date_day(2024, 2, 29));
    assert_int_equal(sc->holidays[1], date_day(2025, 5, 1));
    assert_int_equal(sc->holidays[2], date_day(2025, 12, 25));
    assert_int_equal(sc->holidays[3], date_day(2026, 1, 1));
    scenario_free(sc);

    /* a bad line names the holidays file and its own line */
    write_file("/tmp/test_scenario_holidays.txt", "2025-12-25\n# x\n2025-02-30\n");
    char path[64], want[200];
    write_ini(path, "[mql]\nthreshold = 1\n[sales]\nreps = 1\nfollowups_per_rep_per_day = 1\n"
                    "holidays_file = /tmp/test_scenario_holidays.txt\n");
    util_err err = {0, ""};
    assert_int_equal(scenario_load(path, &sc, &err), -1);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_string_equal(err.msg,
                        "/tmp/test_scenario_holidays.txt:3: '2025-02-30' is not a date (YYYY-MM-DD)");
    unlink(path);
    unlink("/tmp/test_scenario_holidays.txt");

    /* a file that cannot be read: exit 74, naming the key's line and the file */
    write_ini(path, "[mql]\nthreshold = 1\n[sales]\nreps = 1\nfollowups_per_rep_per_day = 1\n"
                    "holidays_file = test_scenario_no_such_holidays.txt\n");
    assert_int_equal(scenario_load(path, &sc, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    snprintf(want, sizeof want,
             "%s:6: holidays_file: /tmp/test_scenario_no_such_holidays.txt: cannot read: No such "
             "file or directory",
             path);
    assert_string_equal(err.msg, want);
    unlink(path);
}

static void test_utc_offset_forms(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int minutes;
    } cases[] = {
        {"+02:00", 120}, {"-05:30", -330}, {"+00:00", 0}, {"+14:00", 840}, {"-14:00", -840},
        {"2", 120},      {"-3.5", -210},   {"5.75", 345}, {"+1", 60},      {"0", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[200];
        snprintf(text, sizeof text,
                 "[sales]\nreps = 1\nfollowups_per_rep_per_day = 1\nutc_offset = %s\n"
                 "[mql]\nthreshold = 1\n",
                 cases[i].text);
        scenario *sc = load_ok(text);
        if (sc->utc_offset_min != cases[i].minutes) {
            print_error("utc_offset = %s gave %d minutes\n", cases[i].text, sc->utc_offset_min);
            scenario_free(sc);
            fail();
        }
        scenario_free(sc);
    }
}

static void test_evaluation(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\n"
                           "threshold = 60\n"
                           "[evaluation]\n"
                           "from = 2025-01-01\n"
                           "to = 2026-01-01T00:00:00Z\n"
                           "until = 2026-06-30 12:00+02:00\n"
                           "maturity_days = 90\n");
    assert_true(sc->has_from);
    assert_true(sc->has_to);
    assert_true(sc->has_until);
    assert_true(sc->has_maturity);
    assert_int_equal(sc->from, civil(2025, 1, 1, 0, 0, 0));
    assert_int_equal(sc->to, civil(2026, 1, 1, 0, 0, 0));
    assert_int_equal(sc->until, civil(2026, 6, 30, 10, 0, 0));
    assert_near(sc->maturity_days, 90);
    scenario_free(sc);

    sc = load_ok("[mql]\nthreshold = 1\n[evaluation]\nuntil = 2025-03-01 08:15:30.25\n"
                 "maturity_days = 0\n");
    assert_false(sc->has_from);
    assert_false(sc->has_to);
    assert_int_equal(sc->until, civil(2025, 3, 1, 8, 15, 30) + 250000);
    assert_true(sc->has_maturity);
    assert_near(sc->maturity_days, 0);
    scenario_free(sc);
}

static void test_objectives(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int objective;
        double a, b;
    } cases[] = {
        {"f1", SCENARIO_OBJ_F1, 0, 0},
        {"fbeta:2", SCENARIO_OBJ_FBETA, 2, 0},
        {"fbeta: 0.5", SCENARIO_OBJ_FBETA, 0.5, 0},
        {"precision_at_least:0.8", SCENARIO_OBJ_PRECISION_AT_LEAST, 0.8, 0},
        {"recall_at_least:1", SCENARIO_OBJ_RECALL_AT_LEAST, 1, 0},
        {"value:1000,50", SCENARIO_OBJ_VALUE, 1000, 50},
        {"value: 2500.5 , 0", SCENARIO_OBJ_VALUE, 2500.5, 0},
        {"capacity", SCENARIO_OBJ_CAPACITY, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[300];
        snprintf(text, sizeof text,
                 "[mql]\nthreshold = 1\n[sales]\nreps = 2\nfollowups_per_rep_per_day = 5\n"
                 "[tune]\nobjective = %s\n",
                 cases[i].text);
        scenario *sc = load_ok(text);
        assert_int_equal(sc->objective, cases[i].objective);
        assert_string_equal(sc->objective_text, cases[i].text);
        if (cases[i].objective != SCENARIO_OBJ_F1 && cases[i].objective != SCENARIO_OBJ_CAPACITY)
            assert_near(sc->obj_a, cases[i].a);
        if (cases[i].objective == SCENARIO_OBJ_VALUE) assert_near(sc->obj_b, cases[i].b);
        scenario_free(sc);
    }
}

/* A fit line keeps its key as written, a range's too. */
static void test_fit_keys(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\nthreshold = 1\n[fit employees]\n1e3.. = 5\n..10 = -1\n"
                           "[fit role]\nvp = 3\n");
    assert_string_equal(sc->fits[0].lines[0].key, "1e3..");
    assert_string_equal(sc->fits[0].lines[1].key, "..10");
    assert_string_equal(sc->fits[1].lines[0].key, "vp");
    scenario_free(sc);
}

/* [tune] horizon_days: absent by default, read where given. */
static void test_horizon_days(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\nthreshold = 1\n");
    assert_int_equal(sc->has_horizon, 0);
    scenario_free(sc);
    sc = load_ok("[mql]\nthreshold = 1\n[tune]\nobjective = f1\nhorizon_days = 45.5\n");
    assert_int_equal(sc->has_horizon, 1);
    assert_near(sc->horizon_days, 45.5);
    assert_int_equal(sc->horizon_line, 5);
    scenario_free(sc);
}

/* ---------- Comments, line ends, byte order mark ---------- */

static void test_comments(void **state)
{
    (void)state;
    scenario *sc = load_ok("; a comment line\n"
                           "# another comment line\n"
                           "[scenario]                 ; after a section\n"
                           "name = c1                  ; the name\n"
                           "description = Team#1 of 2  # the '#' in Team#1 stays\n"
                           "data = ../data;v2\n"
                           "[behaviour]    # hash comment after a section\n"
                           "webinar = 10\t; tab before the comment\n"
                           "demo = 30\t# tab before the comment\n"
                           "\n"
                           "   \n"
                           "[mql]\n"
                           "threshold = 20, 40 # two values\n"
                           "rule = demo >= 2 within 3d ; a rule\n");
    assert_string_equal(sc->name, "c1");
    assert_string_equal(sc->description, "Team#1 of 2");
    /* ';' without blank space before it is part of the value */
    assert_string_equal(sc->data, "/tmp/../data;v2");
    assert_int_equal(sc->nbehaviour, 2);
    assert_near(sc->behaviour[0].vals[0], 10);
    assert_int_equal(sc->behaviour[0].line, 8);
    assert_near(sc->behaviour[1].vals[0], 30);
    assert_int_equal(sc->nthresholds, 2);
    assert_near(sc->thresholds[1], 40);
    assert_int_equal(sc->threshold_line, 13);
    assert_int_equal(sc->nrules, 1);
    assert_near(sc->rules[0].within_days, 3);
    assert_string_equal(sc->rules[0].text, "demo >= 2 within 3d");
    scenario_free(sc);
}

static void test_crlf(void **state)
{
    (void)state;
    scenario *sc = load_ok("[scenario]\r\n"
                           "name = crlf\r\n"
                           "description = ends in CR LF\r\n"
                           "\r\n"
                           "[behaviour]\r\n"
                           "webinar = 10 ; comment\r\n"
                           "[mql]\r\n"
                           "threshold = 5\r\n"
                           "fast_track = demo\r\n");
    assert_string_equal(sc->name, "crlf");
    assert_string_equal(sc->description, "ends in CR LF");
    assert_int_equal(sc->behaviour[0].line, 6);
    assert_near(sc->behaviour[0].vals[0], 10);
    assert_near(sc->thresholds[0], 5);
    assert_string_equal(sc->fast_track[0], "demo");
    scenario_free(sc);

    /* line numbers in errors count CR LF lines like LF lines */
    expect_error("[scenario]\r\nname = t\r\n\r\n[mql]\r\nthreshold = x\r\n", UTIL_EDATA,
                 ":5: threshold: 'x' is not a finite number");
}

static void test_bom(void **state)
{
    (void)state;
    scenario *sc = load_ok("\xEF\xBB\xBF"
                           "[scenario]\n"
                           "name = bom\n"
                           "[mql]\n"
                           "threshold = 10\n");
    assert_string_equal(sc->name, "bom");
    assert_int_equal(sc->threshold_line, 4);
    scenario_free(sc);

    expect_error("\xEF\xBB\xBF"
                 "[scenario]\nname = t\n[mql]\nthreshold = 10\nbogus = 1\n",
                 UTIL_EDATA, ":5: unknown key 'bogus' in [mql]");
    expect_error("\xEF\xBB\xBF"
                 "[senario]\n",
                 UTIL_EDATA, ":1: unknown section [senario]; did you mean [scenario]?");
}

static void test_line_length(void **state)
{
    (void)state;
    /* "description = " is 14 characters: 182 more make 196, the limit */
    char text[600];
    for (int extra = 0; extra <= 1; extra++) {
        char desc[300];
        memset(desc, 'x', (size_t)(182 + extra));
        desc[182 + extra] = '\0';
        snprintf(text, sizeof text, "[mql]\nthreshold = 1\n[scenario]\ndescription = %s\r\nname = n\n",
                 desc);
        if (!extra) {
            scenario *sc = load_ok(text);
            assert_int_equal(strlen(sc->description), 182);
            assert_string_equal(sc->name, "n");
            scenario_free(sc);
        } else {
            expect_error(text, UTIL_EDATA, ":4: line longer than 196 characters");
        }
    }
    /* far longer than any buffer: still an error, not a cut */
    memset(text, 0, sizeof text);
    strcpy(text, "[mql]\nthreshold = 1");
    memset(text + strlen(text), '0', 500);
    strcat(text, "\n");
    expect_error(text, UTIL_EDATA, ":2: line longer than 196 characters");
}

/* ---------- Errors ---------- */

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *suffix; /* message after the file name */
    } cases[] = {
        /* sections and keys */
        {"[scenario]\nname = t\n[behavior]\nx = 1\n", ":3: unknown section [behavior]; did you mean [behaviour]?"},
        {"[scenario]\nname = t\n[weights]\nx = 1\n", ":3: unknown section [weights]"},
        {"[scenario]\nname = t\n[MQL]\nx = 1\n", ":3: unknown section [MQL]; did you mean [mql]?"},
        {"[fit]\nx = 1\n", ":1: unknown section [fit]"},
        {"[decay]\nhalf_life = 3\n", ":2: unknown key 'half_life' in [decay]"},
        {"[mql]\nthresholds = 3\n", ":2: unknown key 'thresholds' in [mql]; did you mean threshold?"},
        {"[sales]\nrep = 3\n", ":2: unknown key 'rep' in [sales]; did you mean reps?"},
        {"[evaluation]\nuntill = 2025-01-01\n",
         ":2: unknown key 'untill' in [evaluation]; did you mean until?"},
        {"[decay]\nhalflife_days = 3\n",
         ":2: unknown key 'halflife_days' in [decay]; did you mean half_life_days?"},
        {"[tune]\nobjectiv = f1\n", ":2: unknown key 'objectiv' in [tune]; did you mean objective?"},
        {"[scenario]\ntitle = x\n", ":2: unknown key 'title' in [scenario]"},
        {"[evaluation]\nsince = 2025-01-01\n", ":2: unknown key 'since' in [evaluation]"},
        {"[tune]\ngoal = f1\n", ":2: unknown key 'goal' in [tune]"},
        {"[tune]\nhorizon_day = 60\n", ":2: unknown key 'horizon_day' in [tune]; did you mean horizon_days?"},
        {"[tune]\nhorizon_days = 0\n", ":2: horizon_days must be greater than 0"},
        {"[tune]\nhorizon_days = sixty\n", ":2: horizon_days: 'sixty' is not a finite number"},
        {"[tune]\nhorizon_days = 40000\n",
         ":2: horizon_days: 40000 is out of range (above 0, at most 36500)"},
        {"[tune]\nhorizon_days = 30\nhorizon_days = 60\n", ":3: 'horizon_days' is given twice"},
        {"name = t\n[mql]\nthreshold = 1\n", ":1: key 'name' outside any [section]"},
        {"[mql]\nthreshold = 1\nthreshold = 2\n", ":3: 'threshold' is given twice"},
        {"[scenario]\nname = a\nname = b\n", ":3: 'name' is given twice"},
        {"[mql]\nthreshold = 1\n[evaluation]\nfrom = 2025-01-01\nfrom = 2025-02-01\n",
         ":5: 'from' is given twice"},
        {"[behaviour]\nx = 1\ny = 2\nx = 3\n", ":4: 'x' is given twice in [behaviour]"},
        {"[limits]\nx = 1\nx = 3\n", ":3: 'x' is given twice in [limits]"},
        {"[fit a]\nv = 1\n[fit a]\n", ":3: [fit a] is given twice"},
        {"[fit a]\nv = 1\nv = 2\n", ":3: 'v' is given twice in [fit a]"},
        {"[fit a]\ndefault = 1\ndefault = 2\n", ":3: 'default' is given twice in [fit a]"},
        {"[mql]\nthreshold\n", ":2: not a [section] or key = value line"},
        {"[mql]\nthreshold = 1\n[sales\n", ":3: section header without its closing ']'"},
        /* numbers */
        {"[behaviour]\nx = ten\n", ":2: [behaviour] x: 'ten' is not a finite number"},
        {"[behaviour]\nx = nan\n", ":2: [behaviour] x: 'nan' is not a finite number"},
        {"[behaviour]\nx = -inf\n", ":2: [behaviour] x: '-inf' is not a finite number"},
        {"[behaviour]\nx = 0x10\n", ":2: [behaviour] x: '0x10' is not a finite number"},
        {"[behaviour]\nx =\n", ":2: [behaviour] x: a number is required"},
        {"[decay]\nhalf_life_days = 1e400\n", ":2: half_life_days: '1e400' is not a finite number"},
        {"[mql]\nthreshold = inf\n", ":2: threshold: 'inf' is not a finite number"},
        {"[mql]\nthreshold = 10,,20\n", ":2: threshold: empty item in the list"},
        {"[mql]\nthreshold =\n", ":2: threshold: a number is required"},
        {"[fit a]\nv = lots\n", ":2: [fit a] v: 'lots' is not a finite number"},
        /* ranges of values */
        {"[decay]\nhalf_life_days = -1\n", ":2: half_life_days: -1 is out of range (0 to 1e+06)"},
        {"[limits]\nx = -5\n", ":2: [limits] x: a limit must be 0 or more"},
        {"[sales]\nreps = 0\n", ":2: reps: 0 is out of range (1 to 1e+06)"},
        {"[sales]\nreps = 1\nfollowups_per_rep_per_day = 0\n",
         ":3: followups_per_rep_per_day must be greater than 0"},
        {"[sales]\nsla_business_hours = -2\n", ":2: sla_business_hours must be greater than 0"},
        /* staffing counts people and calls: whole numbers */
        {"[sales]\nreps = 2.5\n", ":2: reps: 2.5 is not a whole number"},
        {"[sales]\nreps = 1.000001\n", ":2: reps: 1.000001 is not a whole number"},
        {"[sales]\nreps = 1\nfollowups_per_rep_per_day = 0.2\n",
         ":3: followups_per_rep_per_day: 0.2 is not a whole number"},
        {"[sales]\nreps = 1\nfollowups_per_rep_per_day = 7.5\n",
         ":3: followups_per_rep_per_day: 7.5 is not a whole number"},
        {"[sales]\nreps = 1\nfollowups_per_rep_per_day = 2e6\n",
         ":3: followups_per_rep_per_day: 2e6 is out of range (above 0, at most 1e+06)"},
        /* holidays: real dates */
        {"[sales]\nholidays = 2025-02-30\n",
         ":2: holidays: '2025-02-30' is not a date (YYYY-MM-DD)"},
        {"[sales]\nholidays = 2025-12-25, 2025-13-01\n",
         ":2: holidays: '2025-13-01' is not a date (YYYY-MM-DD)"},
        {"[sales]\nholidays = 2025-12-25 10:00\n",
         ":2: holidays: '2025-12-25 10:00' is not a date (YYYY-MM-DD)"},
        {"[sales]\nholidays = 2025-12-25,,2026-01-01\n", ":2: holidays: empty item in the list"},
        {"[sales]\nholidays =\n", ":2: holidays: a date is required (YYYY-MM-DD)"},
        {"[sales]\nholidays = 2025-12-25\nholidays = 2026-01-01\n",
         ":3: 'holidays' is given twice"},
        {"[sales]\nholidays_file =\n", ":2: holidays_file needs a file path"},
        /* sla:P */
        {"[mql]\nthreshold = 1\n[tune]\nobjective = sla:0\n",
         ":4: objective sla:P needs a number P with 0 < P <= 1"},
        {"[mql]\nthreshold = 1\n[tune]\nobjective = sla:1.5\n",
         ":4: objective sla:P needs a number P with 0 < P <= 1"},
        {"[mql]\nthreshold = 1\n[tune]\nobjective = sla:x\n",
         ":4: objective sla:P needs a number P with 0 < P <= 1"},
        {"[mql]\nthreshold = 1\n[tune]\nobjective = sla:0.9\n",
         ":4: objective sla:P needs a [sales] section"},
        {"[sales]\nrecycle_after_days = 0\n", ":2: recycle_after_days must be greater than 0"},
        {"[evaluation]\nmaturity_days = -1\n", ":2: maturity_days: -1 is out of range (0 to 36500)"},
        /* numbers so large that sums of them would overflow */
        {"[behaviour]\nx = 1e300\n", ":2: [behaviour] x: 1e300 is out of range (-1e12 to 1e12)"},
        {"[limits]\nx = 2e12\n", ":2: [limits] x: 2e12 is out of range (-1e12 to 1e12)"},
        {"[mql]\nthreshold = 10, -1e13\n", ":2: threshold: -1e13 is out of range (-1e12 to 1e12)"},
        {"[mql]\nthreshold = 0..1e300 step 1e299\n",
         ":2: threshold: 1e300 is out of range (-1e12 to 1e12)"},
        {"[fit a]\nv = 1e13\n", ":2: [fit a] v: 1e13 is out of range (-1e12 to 1e12)"},
        {"[fit a]\nper_unit = 1e200\n", ":2: [fit a] per_unit: 1e200 is out of range (-1e12 to 1e12)"},
        {"[sales]\nreps = 1\nfollowups_per_rep_per_day = 1e300\n",
         ":3: followups_per_rep_per_day: 1e300 is out of range (above 0, at most 1e+06)"},
        {"[sales]\nrecycle_after_days = 1e9\n",
         ":2: recycle_after_days: 1e9 is out of range (above 0, at most 36500)"},
        /* names and paths */
        {"[scenario]\nname = a/b\n",
         ":2: name 'a/b' may hold only letters, digits, '-', '_' and '.' (it names the results "
         "folder)"},
        {"[scenario]\nname = my scenario\n",
         ":2: name 'my scenario' may hold only letters, digits, '-', '_' and '.' (it names the "
         "results folder)"},
        {"[scenario]\nname = ..\n",
         ":2: name '..' may hold only letters, digits, '-', '_' and '.' (it names the results "
         "folder)"},
        {"[scenario]\nname =\n",
         ":2: name '' may hold only letters, digits, '-', '_' and '.' (it names the results "
         "folder)"},
        {"[scenario]\ndata =\n", ":2: data needs a dataset path"},
        /* thresholds */
        {"[behaviour]\nx = 1\n", ":1: [mql] threshold is required (one value, a list, or LO..HI step S)"},
        {"[mql]\nthreshold = 0..100\n", ":2: threshold: a range needs a step: LO..HI step S"},
        {"[mql]\nthreshold = 0..100 step 0\n", ":2: threshold: step must be greater than 0"},
        {"[mql]\nthreshold = 0..100 step -5\n", ":2: threshold: step must be greater than 0"},
        {"[mql]\nthreshold = 100..0 step 5\n", ":2: threshold: range end is below its start"},
        {"[mql]\nthreshold = 0..x step 5\n", ":2: threshold: expected LO..HI step S with finite numbers"},
        {"[mql]\nthreshold = 0..1 step 0.000001\n", ":2: threshold: range has more than 100000 values"},
        {"[mql]\nthreshold = 1\nfit_threshold = 5..1 step 1\n",
         ":3: fit_threshold: range end is below its start"},
        /* rules and fast track */
        {"[mql]\nthreshold = 1\nrule = webinar 3\n",
         ":3: rule 'webinar 3': expected terms 'TYPE >= N' joined by 'and'"},
        {"[mql]\nthreshold = 1\nrule = webinar >= 0\n",
         ":3: rule 'webinar >= 0': the count after '>=' must be a whole number from 1 to 1000000"},
        {"[mql]\nthreshold = 1\nrule = >= 2\n", ":3: rule '>= 2': missing event type before '>='"},
        {"[mql]\nthreshold = 1\nrule = a >= 2 within 30\n",
         ":3: rule 'a >= 2 within 30': expected 'within Nd' with N > 0 days at the end of the rule"},
        {"[mql]\nthreshold = 1\nrule = a >= 2 within 0d\n",
         ":3: rule 'a >= 2 within 0d': expected 'within Nd' with N > 0 days at the end of the rule"},
        {"[mql]\nthreshold = 1\nfast_track = , ,\n", ":3: fast_track needs at least one event type"},
        {"[mql]\nthreshold = 1\nfast_track = a\nfast_track = b\n", ":4: 'fast_track' is given twice"},
        /* fit sections */
        {"[fit visits]\nper_unit = 2\n10 = 5\n",
         ":3: [fit visits] mixes per_unit/max with value or range lines"},
        {"[fit visits]\n10..20 = 5\nmax = 30\n",
         ":3: [fit visits] mixes per_unit/max with value or range lines"},
        {"[mql]\nthreshold = 1\n[fit visits]\nmax = 20\n", ":3: [fit visits] has max but no per_unit"},
        {"[fit e]\n50..1k = 10\n", ":2: [fit e] range '50..1k' needs numbers: LO..HI, ..HI or LO.."},
        {"[fit e]\n5..5 = 10\n", ":2: [fit e] range '5..5' is empty (LO must be below HI)"},
        /* sales */
        {"[mql]\nthreshold = 1\n[sales]\nreps = 2\n", ":1: [sales] needs reps and followups_per_rep_per_day"},
        {"[mql]\nthreshold = 1\n[sales]\n", ":1: [sales] needs reps and followups_per_rep_per_day"},
        {"[sales]\nbusiness_hours = 17:00-09:00\n",
         ":2: business_hours: expected HH:MM-HH:MM (e.g. 09:00-17:00) with the start before the end"},
        {"[sales]\nbusiness_hours = 9-17\n",
         ":2: business_hours: expected HH:MM-HH:MM (e.g. 09:00-17:00) with the start before the end"},
        {"[sales]\nbusiness_hours = 09:00-24:30\n",
         ":2: business_hours: expected HH:MM-HH:MM (e.g. 09:00-17:00) with the start before the end"},
        {"[sales]\nbusiness_hours = 0900\n", ":2: business_hours: expected HH:MM-HH:MM, e.g. 09:00-17:00"},
        {"[mql]\nthreshold = 10, 20,\n", ":2: threshold: empty item in the list"},
        {"[mql\nthreshold = 10\n", ":1: section header without its closing ']'"},
        {"[sales]\nutc_offset = --5:00\n",
         ":2: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14"},
        {"[sales]\nutc_offset = +-1:00\n",
         ":2: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14"},
        {"[sales]\nutc_offset = UTC+2\n",
         ":2: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14"},
        {"[sales]\nutc_offset = 15\n",
         ":2: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14"},
        {"[sales]\nutc_offset = +15:00\n",
         ":2: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14"},
        {"[sales]\nutc_offset = 02:00\n",
         ":2: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14"},
        /* evaluation */
        {"[evaluation]\nfrom = 2025-02-30\n",
         ":2: from: '2025-02-30' is not a timestamp (YYYY-MM-DD[ HH:MM[:SS]][Z|+HH:MM])"},
        {"[evaluation]\nuntil = 2025-01-01 24:00\n",
         ":2: until: '2025-01-01 24:00' is not a timestamp (YYYY-MM-DD[ HH:MM[:SS]][Z|+HH:MM])"},
        {"[mql]\nthreshold = 1\n[evaluation]\nto = 2025-01-01\nfrom = 2025-06-01\n",
         ":4: [evaluation] from must be before to"},
        {"[mql]\nthreshold = 1\n[evaluation]\nfrom = 2025-01-01 10:00\nto = 2025-01-01T12:00+02:00\n",
         ":5: [evaluation] from must be before to"},
        /* objectives */
        {"[tune]\nobjective = accuracy\n",
         ":2: objective 'accuracy' is not one of f1, fbeta:B, precision_at_least:P, "
         "recall_at_least:R, capacity, value:WON_VALUE,HANDOFF_COST"},
        {"[tune]\nobjective = fbeta\n",
         ":2: objective 'fbeta' is not one of f1, fbeta:B, precision_at_least:P, "
         "recall_at_least:R, capacity, value:WON_VALUE,HANDOFF_COST"},
        {"[tune]\nobjective = f1:2\n",
         ":2: objective 'f1:2' is not one of f1, fbeta:B, precision_at_least:P, "
         "recall_at_least:R, capacity, value:WON_VALUE,HANDOFF_COST"},
        {"[tune]\nobjective = fbeta:0\n", ":2: objective fbeta:B needs a number B with 0 < B <= 1e6"},
        {"[tune]\nobjective = fbeta:1e300\n", ":2: objective fbeta:B needs a number B with 0 < B <= 1e6"},
        {"[tune]\nobjective = precision_at_least:80\n",
         ":2: objective precision_at_least:X needs a number X with 0 < X <= 1"},
        {"[tune]\nobjective = recall_at_least:0\n",
         ":2: objective recall_at_least:X needs a number X with 0 < X <= 1"},
        {"[tune]\nobjective = value:1000\n",
         ":2: objective value:WON_VALUE,HANDOFF_COST needs two numbers"},
        {"[tune]\nobjective = value:1000,-5\n",
         ":2: objective value:WON_VALUE,HANDOFF_COST needs two numbers from 0 to 1e12"},
        {"[tune]\nobjective = value:1e300,5\n",
         ":2: objective value:WON_VALUE,HANDOFF_COST needs two numbers from 0 to 1e12"},
        {"[mql]\nthreshold = 1\n[tune]\nobjective = capacity\n",
         ":4: objective capacity needs a [sales] section"},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        bad += !error_matches(cases[i].text, UTIL_EDATA, cases[i].suffix);
    assert_int_equal(bad, 0);
}

/* --objective goes through the same rules as [tune] objective. */
static void test_set_objective(void **state)
{
    (void)state;
    scenario *sc = load_ok("[scenario]\nname = t\n[mql]\nthreshold = 10\n[tune]\nobjective = f1\n");
    char why[512];
    assert_int_equal(scenario_set_objective(sc, "value:1000,5", why, sizeof why), 0);
    assert_int_equal(sc->objective, SCENARIO_OBJ_VALUE);
    assert_true(sc->obj_a == 1000 && sc->obj_b == 5);
    assert_string_equal(sc->objective_text, "value:1000,5");
    assert_int_equal(scenario_set_objective(sc, "recall_at_least:2", why, sizeof why), -1);
    assert_string_equal(why, "recall_at_least:X needs a number X with 0 < X <= 1");
    assert_int_equal(sc->objective, SCENARIO_OBJ_VALUE); /* unchanged on error */
    assert_string_equal(sc->objective_text, "value:1000,5");
    assert_int_equal(scenario_set_objective(sc, "f2", why, sizeof why), -1);
    assert_string_equal(why, "'f2' is not one of f1, fbeta:B, precision_at_least:P, "
                             "recall_at_least:R, capacity, value:WON_VALUE,HANDOFF_COST");
    assert_int_equal(scenario_set_objective(sc, "sla:0.9", why, sizeof why), 0);
    assert_int_equal(sc->objective, SCENARIO_OBJ_SLA);
    assert_true(sc->obj_a == 0.9);
    assert_int_equal(scenario_set_objective(sc, "sla:2", why, sizeof why), -1);
    assert_string_equal(why, "sla:P needs a number P with 0 < P <= 1");
    /* capacity is accepted here: whether the scenario has [sales] is the caller's */
    assert_int_equal(scenario_set_objective(sc, "capacity", why, sizeof why), 0);
    assert_int_equal(sc->objective, SCENARIO_OBJ_CAPACITY);
    scenario_free(sc);
}

/* Blanks inside brackets, ':' in keys, and range values without binary noise. */
static void test_ini_edges(void **state)
{
    (void)state;
    scenario *sc = load_ok("[ mql ]\nthreshold = 0..1 step 0.1\n[fit source]\nweb:organic = 10\n"
                           "[ behaviour ]\na:b = 3\n");
    assert_int_equal(sc->nthresholds, 11);
    assert_true(sc->thresholds[3] == 0.3); /* exactly, not 0.30000000000000004 */
    assert_true(sc->thresholds[7] == 0.7);
    assert_int_equal(sc->nfits, 1);
    assert_string_equal(sc->fits[0].lines[0].value, "web:organic");
    assert_int_equal(sc->nbehaviour, 1);
    assert_string_equal(sc->behaviour[0].type, "a:b");
    scenario_free(sc);
}

/* inih skips any isspace() before a '[', form feed and vertical tab included:
 * such a header must change the section for the keys after it too. */
static void test_section_after_form_feed(void **state)
{
    (void)state;
    scenario *sc = load_ok("[mql]\nthreshold = 1\n[behaviour]\nweb = 5\n\f[limits]\npdf = 10\n");
    assert_int_equal(sc->nbehaviour, 1);
    assert_string_equal(sc->behaviour[0].type, "web");
    assert_int_equal(sc->nlimits, 1);
    assert_string_equal(sc->limits[0].type, "pdf");
    assert_near(sc->limits[0].vals[0], 10);
    scenario_free(sc);

    expect_error("[mql]\nthreshold = 1\n\v[bogus]\n", UTIL_EDATA, ":3: unknown section [bogus]");
}

static void test_unreadable(void **state)
{
    (void)state;
    scenario *sc = NULL;
    util_err err = {0, ""};
    assert_int_equal(scenario_load("/tmp/test_scenario_no_such_dir/x.ini", &sc, &err), -1);
    assert_null(sc);
    assert_int_equal(err.code, UTIL_EIO);
    assert_string_equal(err.msg, "/tmp/test_scenario_no_such_dir/x.ini: cannot read: No such file "
                                 "or directory");
}

static void test_name_from_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_scenario_dir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/my scenario.ini", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("[mql]\nthreshold = 1\n", fp);
    assert_int_equal(fclose(fp), 0);
    scenario *sc = NULL;
    util_err err = {0, ""};
    int rc = scenario_load(path, &sc, &err);
    char want[300];
    snprintf(want, sizeof want,
             "%s:1: set name in [scenario]: the file name 'my scenario' is not usable as a folder "
             "name",
             path);
    unlink(path);
    rmdir(dir);
    assert_int_equal(rc, -1);
    assert_null(sc);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_string_equal(err.msg, want);
}

/* ---------- The parsers on their own ---------- */

static void test_parse_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t n;
        double first, last;
    } good[] = {
        {"60", 1, 60, 60},
        {" 1 , 2 ,3 ", 3, 1, 3},
        {"-5", 1, -5, -5},
        {"1e2, 2.5E-1", 2, 100, 0.25},
        {"-10..10 step 2.5", 9, -10, 10},
        {"0..1 step 0.1", 11, 0, 1},
        {"0..200 step 5", 41, 0, 200},
        {"0.5..2 step 0.5", 4, 0.5, 2},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        double *v = NULL;
        size_t n = 0;
        char why[200] = "";
        if (scenario_parse_numbers(good[i].text, &v, &n, why, sizeof why) != 0) {
            print_error("'%s': %s\n", good[i].text, why);
            fail();
        }
        assert_int_equal(n, good[i].n);
        assert_near(v[0], good[i].first);
        assert_near(v[n - 1], good[i].last);
        free(v);
    }
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"", "a number is required"},
        {"  ", "a number is required"},
        {",", "empty item in the list"},
        {"10, 20,", "empty item in the list"},
        {"1,,2", "empty item in the list"},
        {",1", "empty item in the list"},
        {"1, x", "'x' is not a finite number"},
        {"nan", "'nan' is not a finite number"},
        {"1e400", "'1e400' is not a finite number"},
        {"0x1p3", "'0x1p3' is not a finite number"},
        {"10 20", "'10 20' is not a finite number"},
        {"0..10", "a range needs a step: LO..HI step S"},
        {"0..10 step", "expected LO..HI step S with finite numbers"},
        {"0..10 step 0", "step must be greater than 0"},
        {"10..0 step 1", "range end is below its start"},
        {"0..inf step 1", "expected LO..HI step S with finite numbers"},
        {"0..1e9 step 1", "range has more than 100000 values"},
    };
    int nbad = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double sentinel = 0;
        double *v = &sentinel; /* must not be touched on failure */
        size_t n = 12345;
        char why[200] = "";
        int rc = scenario_parse_numbers(bad[i].text, &v, &n, why, sizeof why);
        if (rc != -1 || strcmp(why, bad[i].why) != 0) {
            print_error("'%s': rc %d, why '%s', expected '%s'\n", bad[i].text, rc, why, bad[i].why);
            if (rc == 0) free(v);
            nbad++;
            continue;
        }
        assert_ptr_equal(v, &sentinel);
        assert_int_equal(n, 12345);
    }
    assert_int_equal(nbad, 0);
}

static void test_parse_rule(void **state)
{
    (void)state;
    scenario_rule r;
    char why[200] = "";
    assert_int_equal(scenario_parse_rule("  a >= 3  ", &r, why, sizeof why), 0);
    assert_string_equal(r.text, "a >= 3");
    assert_int_equal(r.nterms, 1);
    assert_string_equal(r.terms[0].type, "a");
    assert_int_equal(r.terms[0].n, 3);
    assert_false(r.has_within);
    scenario_rule_fini(&r);
    assert_null(r.terms);
    assert_int_equal(r.nterms, 0);

    assert_int_equal(scenario_parse_rule("brand_view >= 1 and land >= 2 within 1.5d", &r, why,
                                         sizeof why),
                     0);
    /* "and" inside a type name does not split it */
    assert_int_equal(r.nterms, 2);
    assert_string_equal(r.terms[0].type, "brand_view");
    assert_string_equal(r.terms[1].type, "land");
    assert_int_equal(r.terms[1].n, 2);
    assert_true(r.has_within);
    assert_near(r.within_days, 1.5);
    scenario_rule_fini(&r);

    assert_int_equal(scenario_parse_rule("within_reach >= 2 within 10 days", &r, why, sizeof why), 0);
    assert_int_equal(r.nterms, 1);
    assert_string_equal(r.terms[0].type, "within_reach");
    assert_near(r.within_days, 10);
    scenario_rule_fini(&r);

    assert_int_equal(scenario_parse_rule("x >= 1000000 within 1 day", &r, why, sizeof why), 0);
    assert_int_equal(r.terms[0].n, 1000000);
    assert_near(r.within_days, 1);
    scenario_rule_fini(&r);

    static const struct {
        const char *text, *why;
    } bad[] = {
        {"", "expected terms 'TYPE >= N' joined by 'and'"},
        {"a 3", "expected terms 'TYPE >= N' joined by 'and'"},
        {"a > 3", "expected terms 'TYPE >= N' joined by 'and'"},
        {"a >= 1 and b 2", "expected terms 'TYPE >= N' joined by 'and'"},
        {">= 3", "missing event type before '>='"},
        {"a >= 1 and >= 2", "missing event type before '>='"},
        {"a >= 0", "the count after '>=' must be a whole number from 1 to 1000000"},
        {"a >= -1", "the count after '>=' must be a whole number from 1 to 1000000"},
        {"a >= 1.5", "the count after '>=' must be a whole number from 1 to 1000000"},
        {"a >= 1000001", "the count after '>=' must be a whole number from 1 to 1000000"},
        {"a >=", "the count after '>=' must be a whole number from 1 to 1000000"},
        {"a >= 1 AND b >= 1", "the count after '>=' must be a whole number from 1 to 1000000"},
        {"a >= 2 within 30", "expected 'within Nd' with N > 0 days at the end of the rule"},
        {"a >= 2 within 4w", "expected 'within Nd' with N > 0 days at the end of the rule"},
        {"a >= 2 within 0d", "expected 'within Nd' with N > 0 days at the end of the rule"},
        {"a >= 2 within -3d", "expected 'within Nd' with N > 0 days at the end of the rule"},
        {"a >= 2 within d", "expected 'within Nd' with N > 0 days at the end of the rule"},
    };
    int nbad = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why[0] = '\0';
        int rc = scenario_parse_rule(bad[i].text, &r, why, sizeof why);
        if (rc != -1 || strcmp(why, bad[i].why) != 0) {
            print_error("'%s': rc %d, why '%s', expected '%s'\n", bad[i].text, rc, why, bad[i].why);
            if (rc == 0) scenario_rule_fini(&r);
            nbad++;
            continue;
        }
        /* a failed parse leaves nothing to free */
        assert_null(r.terms);
        assert_null(r.text);
        assert_int_equal(r.nterms, 0);
    }
    assert_int_equal(nbad, 0);
    scenario_rule_fini(NULL);
}

static void test_name_ok(void **state)
{
    (void)state;
    char n100[102], n101[103];
    memset(n100, 'a', 100);
    n100[100] = '\0';
    memset(n101, 'a', 101);
    n101[101] = '\0';
    static const char *good[] = {"baseline", "a", "A-b_c.d", "2026", ".hidden", "a..b", "..."};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!scenario_name_ok(good[i])) {
            print_error("'%s' should be a usable name\n", good[i]);
            fail();
        }
    assert_true(scenario_name_ok(n100));
    static const char *bad[] = {"",     ".",      "..",    "a/b",  "/",     "a b",
                                "a\\b", "caf\xC3\xA9", "a:b", "a\tb", "tab\n", "x*"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (scenario_name_ok(bad[i])) {
            print_error("'%s' should not be a usable name\n", bad[i]);
            fail();
        }
    assert_false(scenario_name_ok(n101));
}

static void test_free_null(void **state)
{
    (void)state;
    scenario_free(NULL);
    scenario_rule_fini(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_scenario_section),
        cmocka_unit_test(test_behaviour_limits_decay),
        cmocka_unit_test(test_fit_values_and_ranges),
        cmocka_unit_test(test_fit_per_unit),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_fast_track_and_rules),
        cmocka_unit_test(test_sales),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_utc_offset_forms),
        cmocka_unit_test(test_evaluation),
        cmocka_unit_test(test_objectives),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_line_length),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_set_objective),
        cmocka_unit_test(test_ini_edges),
        cmocka_unit_test(test_section_after_form_feed),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_name_from_file),
        cmocka_unit_test(test_horizon_days),
        cmocka_unit_test(test_fit_keys),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_parse_rule),
        cmocka_unit_test(test_name_ok),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
