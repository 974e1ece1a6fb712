/* test_bizcal.c - unit tests for bizcal: business hours, holidays, B(a, b), follow-up slots, date lists.
 *
 * The expectations were worked out by hand on the calendar of January 2025
 * (Monday the 6th, 13th and 20th; Friday the 10th and 17th), each written
 * next to the check. A brute-force count of business minutes, one minute at
 * a time, cross-checks bizcal_length on random intervals with an offset and
 * holidays. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bizcal.h"
#include "tstamp.h"

#define MIN (INT64_C(60) * TSTAMP_USEC_PER_SEC)
#define HOUR BIZCAL_USEC_PER_HOUR
#define DAY TSTAMP_USEC_PER_DAY

static int64_t civ(int y, int mon, int d, int h, int mi, int s)
{
    return tstamp_from_civil(y, mon, d, h, mi, s);
}

static int64_t day_of(int y, int mon, int d)
{
    return civ(y, mon, d, 0, 0, 0) / DAY;
}

/* A calendar of open-close (minutes) at offset minutes, with holidays. */
static bizcal *cal(int open, int close, int offset, const int64_t *hol, size_t nhol)
{
    bizcal *bc = NULL;
    util_err err = {0, ""};
    if (bizcal_alloc(open, close, offset, hol, nhol, &bc, &err) != 0)
        fail_msg("bizcal_alloc: %s", err.msg);
    return bc;
}

static bizcal *nine_to_five(void)
{
    return cal(9 * 60, 17 * 60, 0, NULL, 0);
}

/* ---------- Business days and B(a, b) ---------- */

static void test_friday_to_monday(void **state)
{
    (void)state;
    bizcal *bc = nine_to_five();
    /* Fri 16:30 to Mon 09:00: the last half hour of Friday. */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 16, 30, 0), civ(2025, 1, 13, 9, 0, 0)),
                     30 * MIN);
    assert_true(bizcal_hours(bc, civ(2025, 1, 10, 16, 30, 0), civ(2025, 1, 13, 9, 0, 0)) == 0.5);
    /* ... to Mon 10:15: plus 1h15 of Monday. */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 16, 30, 0), civ(2025, 1, 13, 10, 15, 0)),
                     105 * MIN);
    /* a whole week, Monday 00:00 to Monday 00:00: 5 x 8 hours */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 6, 0, 0, 0), civ(2025, 1, 13, 0, 0, 0)),
                     40 * HOUR);
    /* empty and reversed intervals */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 10, 0, 0), civ(2025, 1, 7, 10, 0, 0)), 0);
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 11, 0, 0), civ(2025, 1, 7, 10, 0, 0)), 0);
    assert_true(bizcal_is_business_day(bc, day_of(2025, 1, 10)));
    assert_false(bizcal_is_business_day(bc, day_of(2025, 1, 11)));
    assert_false(bizcal_is_business_day(bc, day_of(2025, 1, 12)));
    assert_int_equal(bizcal_next_business_day(bc, day_of(2025, 1, 11)), day_of(2025, 1, 13));
    assert_int_equal(bizcal_business_days(bc, day_of(2025, 1, 6), day_of(2025, 1, 20)), 10);
    bizcal_free(bc);
}

static void test_weekend_and_one_day(void **state)
{
    (void)state;
    bizcal *bc = nine_to_five();
    /* Saturday 10:00 to Sunday 18:00: no business hour */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 11, 10, 0, 0), civ(2025, 1, 12, 18, 0, 0)), 0);
    /* Friday 17:00 (closing) to Monday 09:00 (opening): none either */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 17, 0, 0), civ(2025, 1, 13, 9, 0, 0)), 0);
    /* inside one day: Tuesday 10:15 to 12:45 */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 10, 15, 0), civ(2025, 1, 7, 12, 45, 0)),
                     150 * MIN);
    /* before opening to after closing: the whole 8 hours */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 7, 0, 0), civ(2025, 1, 7, 19, 0, 0)),
                     8 * HOUR);
    /* both before opening, both after closing */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 7, 0, 0), civ(2025, 1, 7, 8, 59, 59)), 0);
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 17, 0, 0), civ(2025, 1, 7, 23, 0, 0)), 0);
    /* a microsecond */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 7, 9, 0, 0), civ(2025, 1, 7, 9, 0, 0) + 1), 1);
    bizcal_free(bc);
}

static void test_holidays(void **state)
{
    (void)state;
    /* Monday the 13th is a holiday; Saturday the 11th too (changes nothing);
     * given twice and out of order. */
    int64_t hol[] = {day_of(2025, 1, 13), day_of(2025, 1, 11), day_of(2025, 1, 13)};
    bizcal *bc = cal(9 * 60, 17 * 60, 0, hol, 3);
    assert_int_equal(bc->nhol, 1);
    assert_false(bizcal_is_business_day(bc, day_of(2025, 1, 13)));
    assert_true(bizcal_is_business_day(bc, day_of(2025, 1, 14)));
    /* Fri 16:30 to Tue 10:00: half an hour on Friday, Monday skipped, one hour Tuesday */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 16, 30, 0), civ(2025, 1, 14, 10, 0, 0)),
                     90 * MIN);
    /* inside the holiday: nothing */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 13, 8, 0, 0), civ(2025, 1, 13, 18, 0, 0)), 0);
    assert_int_equal(bizcal_next_business_day(bc, day_of(2025, 1, 11)), day_of(2025, 1, 14));
    assert_int_equal(bizcal_business_days(bc, day_of(2025, 1, 6), day_of(2025, 1, 20)), 9);
    /* the week of the 13th: 4 x 8 hours */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 13, 0, 0, 0), civ(2025, 1, 20, 0, 0, 0)),
                     32 * HOUR);
    bizcal_free(bc);

    /* a run of holidays: Mon 13 to Fri 17, so the next business day after
     * Friday the 10th is Monday the 20th */
    int64_t run[5];
    for (int i = 0; i < 5; i++)
        run[i] = day_of(2025, 1, 13 + i);
    bc = cal(9 * 60, 17 * 60, 0, run, 5);
    assert_int_equal(bizcal_next_business_day(bc, day_of(2025, 1, 11)), day_of(2025, 1, 20));
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 16, 0, 0), civ(2025, 1, 20, 10, 0, 0)),
                     2 * HOUR);
    bizcal_free(bc);
}

static void test_offset(void **state)
{
    (void)state;
    /* utc_offset +10:00: local Monday 13th 09:00 is Sunday 12th 23:00 UTC */
    bizcal *bc = cal(9 * 60, 17 * 60, 600, NULL, 0);
    assert_int_equal(bizcal_local_day(bc, civ(2025, 1, 12, 23, 0, 0)), day_of(2025, 1, 13));
    assert_int_equal(bizcal_local_day(bc, civ(2025, 1, 12, 13, 59, 59)), day_of(2025, 1, 12));
    /* Sunday 22:00 UTC (Mon 08:00 local) to Monday 01:00 UTC (11:00 local): 2 hours */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 12, 22, 0, 0), civ(2025, 1, 13, 1, 0, 0)),
                     2 * HOUR);
    /* Friday 17th 06:30 UTC is 16:30 local: to Sunday 23:00 UTC (Mon 09:00): half an hour */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 17, 6, 30, 0), civ(2025, 1, 19, 23, 0, 0)),
                     30 * MIN);
    bizcal_plan p = bizcal_plan_make(bc, 8, civ(2025, 1, 12, 22, 0, 0));
    assert_int_equal(p.first_day, day_of(2025, 1, 13));
    bizcal_slot s = bizcal_slot_of(&p, p.first_day, 0);
    assert_int_equal(s.us, civ(2025, 1, 12, 23, 0, 0));
    /* ... which is in the UTC week of Monday the 6th */
    assert_int_equal(tstamp_week_start(s.us), civ(2025, 1, 6, 0, 0, 0));
    /* 8 slots a day, one an hour from 09:00 local (23:00 UTC the day before):
     * the UTC week of the 6th holds Monday 13th's first slot only; the week of
     * the 13th holds Monday's other 7, Tuesday to Friday's 32 and Monday
     * 20th's first (Sunday 19th 23:00 UTC). */
    int64_t w6 = civ(2025, 1, 6, 0, 0, 0), w13 = civ(2025, 1, 13, 0, 0, 0),
            w20 = civ(2025, 1, 20, 0, 0, 0);
    assert_int_equal(bizcal_slots_before(&p, w6), 0);
    assert_int_equal(bizcal_slots_before(&p, w13) - bizcal_slots_before(&p, w6), 1);
    assert_int_equal(bizcal_slots_before(&p, w20) - bizcal_slots_before(&p, w13), 40);
    bizcal_free(bc);

    /* a negative offset: -05:00, Friday 17:00 local is Friday 22:00 UTC */
    bc = cal(9 * 60, 17 * 60, -300, NULL, 0);
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 21, 0, 0), civ(2025, 1, 11, 3, 0, 0)),
                     1 * HOUR);
    bizcal_free(bc);
}

static void test_close_at_midnight(void **state)
{
    (void)state;
    /* 00:00-24:00: every weekday hour counts; Friday 12:00 to Monday 06:00 = 12 + 6 */
    bizcal *bc = cal(0, 24 * 60, 0, NULL, 0);
    assert_int_equal(bc->day_us, DAY);
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 12, 0, 0), civ(2025, 1, 13, 6, 0, 0)),
                     18 * HOUR);
    bizcal_free(bc);
    /* 20:00-24:00: Monday 23:00 to Tuesday 21:00 = 1 + 1 */
    bc = cal(20 * 60, 24 * 60, 0, NULL, 0);
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 6, 23, 0, 0), civ(2025, 1, 7, 21, 0, 0)),
                     2 * HOUR);
    /* Friday 23:30 to Saturday 00:30: only the half hour before midnight */
    assert_int_equal(bizcal_length(bc, civ(2025, 1, 10, 23, 30, 0), civ(2025, 1, 11, 0, 30, 0)),
                     30 * MIN);
    bizcal_plan p = bizcal_plan_make(bc, 2, civ(2025, 1, 10, 21, 0, 0));
    /* slots at 20:00 and 22:00; after Friday 22:00 comes Monday 20:00 */
    bizcal_slot s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 10, 22, 0, 1));
    assert_int_equal(s.us, civ(2025, 1, 13, 20, 0, 0));
    bizcal_free(bc);
}

/* Brute force: business minutes in [a, b) one minute at a time, straight
 * from the definition (local time, weekday, holiday list, hours). */
static int64_t brute_minutes(int open, int close, int offset, const int64_t *hol, size_t nhol,
                             int64_t a, int64_t b)
{
    int64_t n = 0;
    for (int64_t t = a; t < b; t += MIN) {
        int64_t local = t + offset * MIN;
        int64_t day = local >= 0 ? local / DAY : (local - DAY + 1) / DAY;
        int64_t mins = (local - day * DAY) / MIN;
        int wd = (int)(((day + 3) % 7 + 7) % 7);
        int holiday = 0;
        for (size_t i = 0; i < nhol; i++)
            holiday |= hol[i] == day;
        n += wd < 5 && !holiday && mins >= open && mins < close;
    }
    return n;
}

static void test_length_brute(void **state)
{
    (void)state;
    int64_t hol[] = {day_of(2025, 1, 1), day_of(2025, 1, 14), day_of(2025, 1, 15),
                     day_of(2025, 1, 24), day_of(2025, 2, 3)};
    static const int hours[][3] = {{540, 1020, 0}, {540, 1020, 600}, {480, 1110, -330},
                                   {0, 1440, 60}, {1200, 1440, -720}, {0, 1, 840}};
    srand(16);
    for (size_t h = 0; h < sizeof hours / sizeof *hours; h++) {
        bizcal *bc = cal(hours[h][0], hours[h][1], hours[h][2], hol, 5);
        int64_t base = civ(2024, 12, 28, 0, 0, 0);
        for (int trial = 0; trial < 60; trial++) {
            int64_t a = base + (int64_t)(rand() % (40 * 1440)) * MIN;
            int64_t b = a + (int64_t)(rand() % (12 * 1440)) * MIN;
            int64_t want = brute_minutes(hours[h][0], hours[h][1], hours[h][2], hol, 5, a, b) * MIN;
            if (bizcal_length(bc, a, b) != want)
                fail_msg("hours %d: length %lld, brute force %lld", (int)h,
                         (long long)bizcal_length(bc, a, b), (long long)want);
        }
        bizcal_free(bc);
    }
}

static void test_alloc_errors(void **state)
{
    (void)state;
    bizcal *bc = NULL;
    util_err err = {0, ""};
    assert_int_equal(bizcal_alloc(600, 600, 0, NULL, 0, &bc, &err), -1);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_int_equal(bizcal_alloc(-1, 600, 0, NULL, 0, &bc, &err), -1);
    assert_int_equal(bizcal_alloc(0, 1441, 0, NULL, 0, &bc, &err), -1);
    assert_int_equal(bizcal_alloc(0, 60, 1441, NULL, 0, &bc, &err), -1);
    assert_null(bc);
    bizcal_free(NULL);
}

/* ---------- Slots ---------- */

static void test_slots_of_a_day(void **state)
{
    (void)state;
    bizcal *bc = nine_to_five();
    /* C = 3 in 8 hours: 09:00, 11:40, 14:20 */
    bizcal_plan p = bizcal_plan_make(bc, 3, civ(2025, 1, 7, 10, 0, 0));
    assert_int_equal(p.first_day, day_of(2025, 1, 7));
    static const int hm[3][2] = {{9, 0}, {11, 40}, {14, 20}};
    for (int k = 0; k < 3; k++) {
        bizcal_slot s = bizcal_slot_of(&p, p.first_day, k);
        assert_int_equal(s.us, civ(2025, 1, 7, hm[k][0], hm[k][1], 0));
        assert_int_equal(s.rem, 0);
    }
    /* at a slot exactly: that slot; a microsecond later: the next one */
    bizcal_slot s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 7, 11, 40, 0));
    assert_int_equal(s.k, 1);
    assert_true(bizcal_slot_at_or_after(&s, civ(2025, 1, 7, 11, 40, 0)));
    assert_false(bizcal_slot_after(&s, civ(2025, 1, 7, 11, 40, 0)));
    s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 7, 11, 40, 0) + 1);
    assert_int_equal(s.us, civ(2025, 1, 7, 14, 20, 0));
    /* after the last slot: the next day's first; Friday's: Monday's */
    s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 7, 14, 20, 1));
    assert_int_equal(s.us, civ(2025, 1, 8, 9, 0, 0));
    s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 10, 15, 0, 0));
    assert_int_equal(s.us, civ(2025, 1, 13, 9, 0, 0));
    /* before the first slot day: its first slot */
    s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 6, 10, 0, 0));
    assert_int_equal(s.us, civ(2025, 1, 7, 9, 0, 0));
    /* the first slot day is taken whole: Tuesday's 09:00 slot counts */
    assert_int_equal(bizcal_slots_before(&p, civ(2025, 1, 7, 10, 0, 0)), 1);
    assert_int_equal(bizcal_slots_before(&p, civ(2025, 1, 7, 11, 40, 0)), 1);
    assert_int_equal(bizcal_slots_before(&p, civ(2025, 1, 7, 11, 40, 0) + 1), 2);
    assert_int_equal(bizcal_slots_before(&p, civ(2025, 1, 13, 0, 0, 0)), 4 * 3);
    /* waits: Tue 10:00 to 11:40 = 1h40; Fri 15:00 to Mon 09:00 = 2h */
    s = bizcal_slot_of(&p, day_of(2025, 1, 7), 1);
    assert_true(bizcal_slot_wait_hours(&p, civ(2025, 1, 7, 10, 0, 0), &s) == 100.0 / 60.0);
    s = bizcal_slot_of(&p, day_of(2025, 1, 13), 0);
    assert_true(bizcal_slot_wait_hours(&p, civ(2025, 1, 10, 15, 0, 0), &s) == 2.0);
    bizcal_free(bc);
}

static void test_first_slot_day(void **state)
{
    (void)state;
    int64_t hol[] = {day_of(2025, 1, 13)};
    bizcal *bc = cal(9 * 60, 17 * 60, 0, hol, 1);
    /* a Saturday hand-off: Monday is a holiday, so Tuesday */
    bizcal_plan p = bizcal_plan_make(bc, 2, civ(2025, 1, 11, 12, 0, 0));
    assert_int_equal(p.first_day, day_of(2025, 1, 14));
    /* Tuesday 20:00, after closing: Tuesday is still the first slot day,
     * but its first free slot is Wednesday 09:00 */
    p = bizcal_plan_make(bc, 2, civ(2025, 1, 14, 20, 0, 0));
    assert_int_equal(p.first_day, day_of(2025, 1, 14));
    bizcal_slot s = bizcal_slot_first_at_or_after(&p, civ(2025, 1, 14, 20, 0, 0));
    assert_int_equal(s.us, civ(2025, 1, 15, 9, 0, 0));
    assert_int_equal(bizcal_slots_before(&p, civ(2025, 1, 14, 20, 0, 0)), 2);
    bizcal_free(bc);
}

static void test_slots_inexact(void **state)
{
    (void)state;
    bizcal *bc = nine_to_five();
    /* C = 7: H / C = 28800 s / 7 = 4114.285714... s, not a whole microsecond */
    bizcal_plan p = bizcal_plan_make(bc, 7, civ(2025, 1, 7, 9, 0, 0));
    bizcal_slot s = bizcal_slot_of(&p, p.first_day, 1);
    assert_int_equal(s.us, civ(2025, 1, 7, 9, 0, 0) + INT64_C(4114285714));
    assert_int_equal(s.rem, 2); /* 28800000000 = 7 * 4114285714 + 2 */
    /* the instant just below the slot: the slot is after it; the slot's
     * floor: still after it (by 2/7 us); floor + 1: at or after fails */
    int64_t fl = s.us;
    assert_true(bizcal_slot_after(&s, fl));
    assert_true(bizcal_slot_at_or_after(&s, fl));
    assert_false(bizcal_slot_at_or_after(&s, fl + 1));
    /* so a hand-off at the floor takes slot 1, one a microsecond later slot 2 */
    assert_int_equal(bizcal_slot_first_at_or_after(&p, fl).k, 1);
    assert_int_equal(bizcal_slot_first_at_or_after(&p, fl + 1).k, 2);
    assert_int_equal(bizcal_slots_before(&p, fl), 1);
    assert_int_equal(bizcal_slots_before(&p, fl + 1), 2);
    /* wait from opening to slot 1: 8/7 hours */
    assert_true(bizcal_slot_wait_hours(&p, civ(2025, 1, 7, 9, 0, 0), &s) == 8.0 / 7.0);
    /* the last slot of the day, k = 6: 09:00 + 48/7 h, before 17:00; from
     * Monday 12:00 that is 5 + 48/7 = 83/7 hours */
    s = bizcal_slot_of(&p, p.first_day, 6);
    assert_true(s.us < civ(2025, 1, 7, 17, 0, 0));
    assert_true(bizcal_slot_wait_hours(&p, civ(2025, 1, 6, 12, 0, 0), &s) == 83.0 / 7.0);
    /* a huge C (10^12 a day) does not overflow */
    bizcal_plan big = bizcal_plan_make(bc, INT64_C(1000000000000), civ(2025, 1, 7, 9, 0, 0));
    s = bizcal_slot_of(&big, big.first_day, INT64_C(999999999999));
    assert_true(s.us < civ(2025, 1, 7, 17, 0, 0) && s.us >= civ(2025, 1, 7, 16, 59, 59));
    assert_int_equal(bizcal_slots_before(&big, civ(2025, 1, 8, 0, 0, 0)), INT64_C(1000000000000));
    bizcal_free(bc);
}

static void test_cursor(void **state)
{
    (void)state;
    int64_t hol[] = {day_of(2025, 1, 13)};
    bizcal *bc = cal(9 * 60, 17 * 60, 0, hol, 1);
    bizcal_plan p = bizcal_plan_make(bc, 2, civ(2025, 1, 10, 11, 0, 0));
    bizcal_cursor c;
    bizcal_cursor_init(&c, &p);
    /* Fri 09:00, Fri 13:00, (Mon holiday) Tue 09:00, Tue 13:00, Wed 09:00 */
    int64_t want[] = {civ(2025, 1, 10, 9, 0, 0), civ(2025, 1, 10, 13, 0, 0),
                      civ(2025, 1, 14, 9, 0, 0), civ(2025, 1, 14, 13, 0, 0),
                      civ(2025, 1, 15, 9, 0, 0)};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c.cur.us, want[i]);
        bizcal_cursor_next(&c);
    }
    /* seek to Thursday 10:00: Thursday 13:00; seeking back stays */
    bizcal_cursor_seek(&c, civ(2025, 1, 16, 10, 0, 0));
    assert_int_equal(c.cur.us, civ(2025, 1, 16, 13, 0, 0));
    bizcal_cursor_seek(&c, civ(2025, 1, 16, 9, 0, 0));
    assert_int_equal(c.cur.us, civ(2025, 1, 16, 13, 0, 0));
    /* to Saturday: Monday 20th 09:00 */
    bizcal_cursor_seek(&c, civ(2025, 1, 18, 10, 0, 0));
    assert_int_equal(c.cur.us, civ(2025, 1, 20, 9, 0, 0));
    /* a seek inside the same day after its last slot: the next day */
    bizcal_cursor_seek(&c, civ(2025, 1, 20, 13, 0, 1));
    assert_int_equal(c.cur.us, civ(2025, 1, 21, 9, 0, 0));
    /* the cursor agrees with bizcal_slot_first_at_or_after */
    for (int64_t t = civ(2025, 1, 21, 0, 0, 0); t < civ(2025, 2, 10, 0, 0, 0); t += 97 * MIN) {
        bizcal_cursor_seek(&c, t);
        bizcal_slot s = bizcal_slot_first_at_or_after(&p, t);
        assert_int_equal(c.cur.us, s.us);
        assert_int_equal(c.cur.k, s.k);
    }
    bizcal_free(bc);
}

/* ---------- Date lists ---------- */

static void test_parse_dates(void **state)
{
    (void)state;
    int64_t d;
    assert_int_equal(bizcal_parse_date("2025-12-25", 10, &d), 0);
    assert_int_equal(d, day_of(2025, 12, 25));
    assert_int_equal(bizcal_parse_date(" 2024-02-29\t", 12, &d), 0);
    assert_int_equal(d, day_of(2024, 2, 29));
    assert_int_equal(bizcal_parse_date("0001-01-01", 10, &d), 0);
    assert_int_equal(d, -719162);
    static const char *bad[] = {"2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10",
                                "2025-1-01",  "25-01-01",   "2025-01-01 10:00", "2025/01/01",
                                "0000-01-01", "",           "2025-01-011", "x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (bizcal_parse_date(bad[i], strlen(bad[i]), &d) == 0)
            fail_msg("'%s' accepted as a date", bad[i]);

    int64_t *days = NULL;
    size_t n = 0, cap = 0;
    char why[120];
    assert_int_equal(bizcal_parse_list(" 2026-01-01 , 2025-12-25,2025-12-25", &days, &n, &cap, why,
                                       sizeof why),
                     0);
    assert_int_equal(n, 3);
    bizcal_sort_days(days, &n);
    assert_int_equal(n, 2);
    assert_int_equal(days[0], day_of(2025, 12, 25));
    assert_int_equal(days[1], day_of(2026, 1, 1));
    static const struct {
        const char *text, *why;
    } errs[] = {
        {"2025-02-30", "'2025-02-30' is not a date (YYYY-MM-DD)"},
        {"2025-12-25, 26-01-01", "'26-01-01' is not a date (YYYY-MM-DD)"},
        {"2025-12-25,", "empty item in the list"},
        {",2025-12-25", "empty item in the list"},
        {"2025-12-25,,2026-01-01", "empty item in the list"},
        {"", "a date is required (YYYY-MM-DD)"},
        {"  ", "a date is required (YYYY-MM-DD)"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
        n = 0;
        assert_int_equal(bizcal_parse_list(errs[i].text, &days, &n, &cap, why, sizeof why), -1);
        assert_string_equal(why, errs[i].why);
    }
    free(days);
}

static void test_parse_lines(void **state)
{
    (void)state;
    int64_t *days = NULL;
    size_t n = 0, cap = 0;
    long line = 0;
    char why[120];
    const char *text = "# public holidays\n2025-12-25\r\n\n   \n2026-01-01  # New Year\n2025-05-01";
    assert_int_equal(bizcal_parse_lines(text, strlen(text), &days, &n, &cap, &line, why, sizeof why),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(days[2], day_of(2025, 5, 1));
    n = 0;
    text = "2025-12-25\n\n2025-02-30\n";
    assert_int_equal(bizcal_parse_lines(text, strlen(text), &days, &n, &cap, &line, why, sizeof why),
                     -1);
    assert_int_equal(line, 3);
    assert_string_equal(why, "'2025-02-30' is not a date (YYYY-MM-DD)");
    /* bytes that are not printable are shown as '?'; a NUL byte is not a date */
    n = 0;
    assert_int_equal(bizcal_parse_lines("2025-01-0\0001\n", 12, &days, &n, &cap, &line, why,
                                        sizeof why),
                     -1);
    assert_int_equal(line, 1);
    assert_string_equal(why, "'2025-01-0?1' is not a date (YYYY-MM-DD)");
    /* empty text: no date, no error */
    n = 0;
    assert_int_equal(bizcal_parse_lines("", 0, &days, &n, &cap, &line, why, sizeof why), 0);
    assert_int_equal(n, 0);
    free(days);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_friday_to_monday),
        cmocka_unit_test(test_weekend_and_one_day),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_close_at_midnight),
        cmocka_unit_test(test_length_brute),
        cmocka_unit_test(test_alloc_errors),
        cmocka_unit_test(test_slots_of_a_day),
        cmocka_unit_test(test_first_slot_day),
        cmocka_unit_test(test_slots_inexact),
        cmocka_unit_test(test_cursor),
        cmocka_unit_test(test_parse_dates),
        cmocka_unit_test(test_parse_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
