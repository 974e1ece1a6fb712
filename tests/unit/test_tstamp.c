/* test_tstamp.c - unit tests for tstamp: parsing, civil dates, formatting, ISO weeks.
 *
 * Every accepted form and every rejection of SPEC section 3 is tested on both
 * sides of its boundary; absolute values were checked against Python's
 * datetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tstamp.h"

#define SEC TSTAMP_USEC_PER_SEC
#define DAY TSTAMP_USEC_PER_DAY

static int64_t civ(int y, int mon, int d, int h, int mi, int s)
{
    return tstamp_from_civil(y, mon, d, h, mi, s);
}

/* Parse s (NUL-terminated) and fail the test unless it is accepted. */
static int64_t ok(const char *s)
{
    int64_t t = 12345;
    int rc = tstamp_parse(s, strlen(s), &t);
    if (rc != 0)
        fail_msg("rejected valid timestamp '%s'", s);
    return t;
}

static void bad(const char *s)
{
    int64_t t = 12345;
    int rc = tstamp_parse(s, strlen(s), &t);
    if (rc != -1)
        fail_msg("accepted invalid timestamp '%s'", s);
    assert_true(t == 12345); /* *out is untouched on failure */
}

/* ---------- Accepted forms ---------- */

static void test_date_only(void **state)
{
    (void)state;
    assert_true(ok("2024-03-05") == INT64_C(1709596800000000));
    assert_true(ok("1970-01-01") == 0);
    assert_true(ok("0001-01-01") == INT64_C(-62135596800000000));
    assert_true(ok("1900-01-01") == INT64_C(-2208988800000000));
}

static void test_time_forms(void **state)
{
    (void)state;
    int64_t hm = civ(2024, 3, 5, 10, 7, 0), hms = civ(2024, 3, 5, 10, 7, 9);
    assert_true(ok("2024-03-05 10:07") == hm);
    assert_true(ok("2024-03-05T10:07") == hm);
    assert_true(ok("2024-03-05 10:07:09") == hms);
    assert_true(ok("2024-03-05T10:07:09") == hms);
    assert_true(ok("2024-03-05 00:00:00") == civ(2024, 3, 5, 0, 0, 0));
    assert_true(ok("2024-03-05 23:59:59") == civ(2024, 3, 5, 23, 59, 59));
    assert_true(ok("9999-12-31 23:59:59") == INT64_C(253402300799000000));
    assert_true(ok("1969-12-31 23:59:59") == -SEC);
}

static void test_fraction(void **state)
{
    (void)state;
    int64_t base = civ(2024, 3, 5, 10, 7, 9);
    assert_true(ok("2024-03-05 10:07:09.5") == base + 500000);
    assert_true(ok("2024-03-05T10:07:09.123456") == base + 123456);
    assert_true(ok("2024-03-05 10:07:09.000001") == base + 1);
    assert_true(ok("2024-03-05 10:07:09.0") == base);
    /* Digits beyond microseconds are truncated, not rounded. */
    assert_true(ok("2024-03-05 10:07:09.1234569") == base + 123456);
    assert_true(ok("2024-03-05 10:07:09.999999999999") == base + 999999);
    assert_true(ok("2024-03-05 10:07:09.25Z") == base + 250000);
    assert_true(ok("2024-03-05 10:07:09.25+01:00") == base + 250000 - 3600 * SEC);
    bad("2024-03-05 10:07:09.");
    bad("2024-03-05 10:07:09.Z");
    bad("2024-03-05 10:07:09.x");
    bad("2024-03-05 10:07:09,5");
    bad("2024-03-05 10:07.5"); /* a fraction only after seconds */
    bad("2024-03-05 10:07:09.5.5");
}

static void test_offsets(void **state)
{
    (void)state;
    assert_true(ok("2024-03-05 10:00+02:00") == civ(2024, 3, 5, 8, 0, 0));
    assert_true(ok("2024-03-05T10:00:00-05:30") == civ(2024, 3, 5, 15, 30, 0));
    assert_true(ok("2024-03-05 10:00Z") == civ(2024, 3, 5, 10, 0, 0));
    assert_true(ok("2024-03-05T10:00:00Z") == civ(2024, 3, 5, 10, 0, 0));
    assert_true(ok("2024-03-05 10:00-00:00") == civ(2024, 3, 5, 10, 0, 0));
    assert_true(ok("2024-03-05 10:00+23:59") == civ(2024, 3, 5, 10, 0, 0) - (23 * 60 + 59) * 60 * SEC);
    /* An offset moves the instant across dates, months and years. */
    assert_true(ok("2024-01-01 01:00+02:00") == civ(2023, 12, 31, 23, 0, 0));
    assert_true(ok("2023-12-31T22:30-03:00") == civ(2024, 1, 1, 1, 30, 0));
    assert_true(ok("1970-01-01 00:00+00:01") == -60 * SEC);
}

static void test_blanks_and_length(void **state)
{
    (void)state;
    int64_t t = civ(2024, 3, 5, 10, 7, 0);
    assert_true(ok("  2024-03-05 10:07") == t);
    assert_true(ok("2024-03-05 10:07 \t") == t);
    assert_true(ok("\t 2024-03-05T10:07Z  ") == t);
    assert_true(ok(" 2024-03-05 ") == civ(2024, 3, 5, 0, 0, 0));

    /* Only len bytes are read: what follows must not matter. */
    const char buf[] = "2024-03-05 10:07:09junk";
    int64_t out = 0;
    assert_int_equal(tstamp_parse(buf, 19, &out), 0);
    assert_true(out == civ(2024, 3, 5, 10, 7, 9));
    assert_int_equal(tstamp_parse(buf, 10, &out), 0);
    assert_true(out == civ(2024, 3, 5, 0, 0, 0));
    assert_int_equal(tstamp_parse(buf, 20, &out), -1);
    assert_int_equal(tstamp_parse(buf, 9, &out), -1);
    assert_int_equal(tstamp_parse(buf, 0, &out), -1);

    bad("");
    bad("   ");
    bad("\t");
    bad("2024-03-05  10:07");        /* two separators */
    bad("2024-03-05\t10:07");         /* a tab is not a separator */
    bad("2024-03-05 10:07:09\n");    /* only spaces and tabs are trimmed */
    bad("\n2024-03-05");
}

/* ---------- Calendar validation ---------- */

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(ok("2024-02-29") == INT64_C(1709164800000000));
    assert_true(ok("2000-02-29 12:34:56") == INT64_C(951827696000000));
    assert_true(ok("2024-03-01") - ok("2024-02-28") == 2 * DAY);
    assert_true(ok("2025-03-01") - ok("2025-02-28") == DAY);
    assert_true(ok("1600-02-29") - ok("1600-02-28") == DAY);
    bad("2025-02-29");
    bad("2025-02-30");
    bad("2024-02-30");
    bad("1900-02-29"); /* divisible by 100, not by 400 */
    bad("2100-02-29");
}

static void test_bad_dates(void **state)
{
    (void)state;
    ok("2024-01-31");
    ok("2024-04-30");
    ok("2024-12-31");
    ok("0001-01-01");
    ok("9999-12-31");
    bad("2024-04-31");
    bad("2024-06-31");
    bad("2024-09-31");
    bad("2024-11-31");
    bad("2024-01-32");
    bad("2024-01-00");
    bad("2024-00-10");
    bad("2024-13-01");
    bad("0000-01-01");
    bad("2024-1-05");   /* 1-digit month */
    bad("2024-01-5");   /* 1-digit day */
    bad("24-01-05");    /* 2-digit year */
    bad("02024-01-05"); /* 5-digit year */
    bad("2024/01/05");
    bad("2024-01-05x");
    bad("2024-01-05Z");     /* no zone after a bare date */
    bad("2024-01-05+02:00");
    bad("2024-01-05T");
    bad("2024-01-05 T10:00");
    bad("20240105");
    bad("abcd-ef-gh");
    bad("-024-01-05");
    bad("+024-01-05");
}

static void test_bad_times(void **state)
{
    (void)state;
    ok("2024-03-05 23:59:59");
    bad("2024-03-05 24:00:00");
    bad("2024-03-05 24:00");
    bad("2024-03-05 25:00");
    bad("2024-03-05 12:60");
    bad("2024-03-05 12:00:60");
    bad("2024-03-05 1:00");     /* 1-digit hour */
    bad("2024-03-05 10:0");     /* 1-digit minute */
    bad("2024-03-05 10:00:5");  /* 1-digit second */
    bad("2024-03-05 100:00");
    bad("2024-03-05 10");
    bad("2024-03-05 10:");
    bad("2024-03-05 10:00:");
    bad("2024-03-05 10-00");
    bad("2024-03-05 10:00 x");  /* trailing junk */
    bad("2024-03-05 10:00:00x");
    bad("2024-03-05 10:00Zx");
    bad("2024-03-05 10:00ZZ");
    bad("2024-03-05 10:00 Z");
    bad("2024-03-05t10:00");    /* the separator and zone letters are upper case */
    bad("2024-03-05 10:00z");
}

static void test_bad_offsets(void **state)
{
    (void)state;
    ok("2024-03-05 10:00+23:59");
    ok("2024-03-05 10:00-00:00");
    bad("2024-03-05 10:00+24:00");
    bad("2024-03-05 10:00+02:60");
    bad("2024-03-05 10:00+0200"); /* only +HH:MM */
    bad("2024-03-05 10:00+02");
    bad("2024-03-05 10:00+2:00");
    bad("2024-03-05 10:00+02:0");
    bad("2024-03-05 10:00+02:00Z");
    bad("2024-03-05 10:00Z+02:00");
    bad("2024-03-05 10:00+02:00:00");
    bad("2024-03-05 10:00 +02:00");
    bad("2024-03-05 10:00*02:00");
}

/* ---------- Civil dates and formatting ---------- */

/* The parse range's bounds are the first and last instants tstamp_parse
 * can return, a day wider each way for the offsets. */
static void test_parse_bounds(void **state) {
    (void)state;
    assert_int_equal(TSTAMP_PARSE_MIN, tstamp_from_civil(1, 1, 1, 0, 0, 0) - TSTAMP_USEC_PER_DAY);
    assert_int_equal(TSTAMP_PARSE_MAX, tstamp_from_civil(10000, 1, 1, 0, 0, 0) + TSTAMP_USEC_PER_DAY);
    int64_t t;
    assert_int_equal(tstamp_parse("0001-01-01T00:00:00+23:59", 25, &t), 0);
    assert_true(t >= TSTAMP_PARSE_MIN);
    assert_int_equal(tstamp_parse("9999-12-31T23:59:59.999999-23:59", 32, &t), 0);
    assert_true(t <= TSTAMP_PARSE_MAX);
}

static void test_from_civil(void **state)
{
    (void)state;
    assert_true(civ(1970, 1, 1, 0, 0, 0) == 0);
    assert_true(civ(1969, 12, 31, 23, 59, 59) == -SEC);
    assert_true(civ(2024, 2, 29, 0, 0, 0) == INT64_C(1709164800000000));
    assert_true(civ(1, 1, 1, 0, 0, 0) == INT64_C(-62135596800000000));
    /* Fields out of range carry over. */
    assert_true(civ(2024, 13, 1, 0, 0, 0) == civ(2025, 1, 1, 0, 0, 0));
    assert_true(civ(2024, 0, 1, 0, 0, 0) == civ(2023, 12, 1, 0, 0, 0));
    assert_true(civ(2024, -11, 1, 0, 0, 0) == civ(2023, 1, 1, 0, 0, 0));
    assert_true(civ(2024, -12, 1, 0, 0, 0) == civ(2022, 12, 1, 0, 0, 0));
    assert_true(civ(2024, 25, 1, 0, 0, 0) == civ(2026, 1, 1, 0, 0, 0));
    assert_true(civ(2024, 3, 0, 0, 0, 0) == civ(2024, 2, 29, 0, 0, 0));
    assert_true(civ(2024, 1, 31, 24, 0, 0) == civ(2024, 2, 1, 0, 0, 0));
    assert_true(civ(2024, 1, 1, 0, 0, -1) == civ(2023, 12, 31, 23, 59, 59));
    assert_true(civ(2024, 7, 1, 0, 0, 0) - civ(2024, 1, 1, 0, 0, 0) == 182 * DAY);
}

static void check_format(int64_t t, const char *want)
{
    char buf[64];
    memset(buf, 'x', sizeof buf);
    tstamp_format(t, buf, sizeof buf);
    assert_string_equal(buf, want);
    /* And back again. */
    int64_t back = 0;
    assert_int_equal(tstamp_parse(buf, strlen(buf), &back), 0);
    assert_true(back == t);
}

static void test_format(void **state)
{
    (void)state;
    check_format(0, "1970-01-01 00:00:00");
    check_format(civ(2024, 3, 5, 10, 7, 9), "2024-03-05 10:07:09");
    check_format(civ(2024, 3, 5, 10, 7, 9) + 500000, "2024-03-05 10:07:09.500000");
    check_format(civ(2024, 3, 5, 10, 7, 9) + 1, "2024-03-05 10:07:09.000001");
    check_format(-1, "1969-12-31 23:59:59.999999");
    check_format(-SEC, "1969-12-31 23:59:59");
    check_format(-DAY, "1969-12-31 00:00:00");
    check_format(INT64_C(-62135596800000000), "0001-01-01 00:00:00");
    check_format(INT64_C(253402300799999999), "9999-12-31 23:59:59.999999");
    check_format(ok("2024-02-29T23:59:59.75+00:30"), "2024-02-29 23:29:59.750000");

    char buf[32];
    tstamp_format(TSTAMP_NONE, buf, sizeof buf);
    assert_string_equal(buf, "");
    tstamp_format(0, buf, 11); /* truncated, still terminated */
    assert_string_equal(buf, "1970-01-01");
    tstamp_format(0, buf, 0); /* writes nothing */
    assert_string_equal(buf, "1970-01-01");
}

static void test_format_date(void **state)
{
    (void)state;
    char buf[16];
    tstamp_format_date(civ(2024, 2, 29, 23, 59, 59) + 999999, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29");
    tstamp_format_date(0, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01");
    tstamp_format_date(-1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31");
    tstamp_format_date(ok("2024-01-01 01:00+02:00"), buf, sizeof buf);
    assert_string_equal(buf, "2023-12-31");
    tstamp_format_date(TSTAMP_NONE, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* Every timestamp from 1899 to 2101 on a 9h17m stride round-trips through
 * format and parse, and its date agrees with format_date. */
static void test_round_trip_sweep(void **state)
{
    (void)state;
    int64_t step = (9 * 3600 + 17 * 60 + 13) * SEC + 12345;
    for (int64_t t = civ(1899, 1, 1, 0, 0, 0); t < civ(2101, 1, 1, 0, 0, 0); t += step) {
        char buf[32], date[16];
        tstamp_format(t, buf, sizeof buf);
        tstamp_format_date(t, date, sizeof date);
        assert_memory_equal(buf, date, 10);
        int64_t back = 0;
        assert_int_equal(tstamp_parse(buf, strlen(buf), &back), 0);
        assert_true(back == t);
        assert_int_equal(tstamp_parse(date, strlen(date), &back), 0);
        assert_true(back <= t && t - back < DAY);
    }
}

/* ---------- ISO weeks ---------- */

static void test_week_start_weekdays(void **state)
{
    (void)state;
    /* 2024-01-01 was a Monday. */
    int64_t monday = civ(2024, 1, 1, 0, 0, 0);
    for (int d = 0; d < 7; d++) {
        assert_true(tstamp_week_start(civ(2024, 1, 1 + d, 0, 0, 0)) == monday);
        assert_true(tstamp_week_start(civ(2024, 1, 1 + d, 12, 30, 0)) == monday);
        assert_true(tstamp_week_start(civ(2024, 1, 1 + d, 23, 59, 59) + 999999) == monday);
    }
    assert_true(tstamp_week_start(monday - 1) == monday - 7 * DAY);
    assert_true(tstamp_week_start(monday + 7 * DAY) == monday + 7 * DAY);
    /* Across a year end: Wednesday 2025-01-01 is in the week of 2024-12-30. */
    assert_true(tstamp_week_start(ok("2025-01-01 10:00")) == civ(2024, 12, 30, 0, 0, 0));
    /* The week of an instant is taken in UTC. */
    assert_true(tstamp_week_start(ok("2024-01-08 01:00+02:00")) == monday);
}

static void test_week_start_before_1970(void **state)
{
    (void)state;
    /* 1970-01-01 was a Thursday; 1969-12-29 a Monday. */
    int64_t m69 = civ(1969, 12, 29, 0, 0, 0);
    assert_true(tstamp_week_start(0) == m69);
    assert_true(tstamp_week_start(-1) == m69);
    assert_true(tstamp_week_start(m69) == m69);
    assert_true(tstamp_week_start(m69 - 1) == m69 - 7 * DAY);
    for (int d = 0; d < 7; d++)
        assert_true(tstamp_week_start(civ(1969, 12, 29 + d, 18, 0, 0)) == m69);
    /* 1900-01-01 and 0001-01-01 were Mondays. */
    int64_t m1900 = INT64_C(-2208988800000000);
    for (int d = 0; d < 7; d++)
        assert_true(tstamp_week_start(m1900 + d * DAY + 1) == m1900);
    assert_true(tstamp_week_start(INT64_C(-62135596800000000) + 3 * DAY) == INT64_C(-62135596800000000));

    assert_true(tstamp_week_start(TSTAMP_NONE) == TSTAMP_NONE);
    assert_true(tstamp_week_start(INT64_MIN + 1) == TSTAMP_NONE);
    int64_t w = tstamp_week_start(INT64_MAX);
    assert_true(w <= INT64_MAX && INT64_MAX - w < 7 * DAY);
    assert_true(tstamp_week_start(w) == w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_only),
        cmocka_unit_test(test_time_forms),
        cmocka_unit_test(test_fraction),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_blanks_and_length),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_bad_times),
        cmocka_unit_test(test_bad_offsets),
        cmocka_unit_test(test_from_civil),
        cmocka_unit_test(test_parse_bounds),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_date),
        cmocka_unit_test(test_round_trip_sweep),
        cmocka_unit_test(test_week_start_weekdays),
        cmocka_unit_test(test_week_start_before_1970),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
