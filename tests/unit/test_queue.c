/* test_queue.c - unit tests for queue: slots taken in order, waits, SLA, backlog, weeks.
 *
 * Small queues on a 09:00-17:00 calendar with two slots a day (09:00 and
 * 13:00) unless said otherwise, in January 2025 (Monday the 6th, 13th and
 * 20th), each expectation worked out by hand next to its check. A last test
 * compares random queues with a brute-force queue that lists the slots and
 * marks them taken one by one. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bizcal.h"
#include "queue.h"
#include "tstamp.h"

#define HOUR BIZCAL_USEC_PER_HOUR
#define DAY TSTAMP_USEC_PER_DAY

static int64_t civ(int y, int mon, int d, int h, int mi, int s)
{
    return tstamp_from_civil(y, mon, d, h, mi, s);
}

static int64_t jan(int d, int h, int mi)
{
    return civ(2025, 1, d, h, mi, 0);
}

#define assert_near(a, b) assert_true(fabs((a) - (double)(b)) <= 1e-12 * (1 + fabs((double)(b))))

static bizcal *cal(int offset, const int64_t *hol, size_t nhol)
{
    bizcal *bc = NULL;
    util_err err = {0, ""};
    if (bizcal_alloc(9 * 60, 17 * 60, offset, hol, nhol, &bc, &err) != 0)
        fail_msg("bizcal_alloc: %s", err.msg);
    return bc;
}

static queue *run(const bizcal *bc, int64_t per_day, double sla, const int64_t *t, size_t n)
{
    queue_params p = {per_day, sla > 0, sla, TSTAMP_NONE, TSTAMP_NONE};
    queue *q = NULL;
    util_err err = {0, ""};
    if (queue_run(bc, &p, t, n, &q, &err) != 0)
        fail_msg("queue_run: %s", err.msg);
    return q;
}

static void assert_week(const queue_week *w, int64_t start, int64_t slots, long handoffs,
                        long followed, long backlog, long met)
{
    assert_int_equal(w->start, start);
    assert_int_equal(w->slots, slots);
    assert_int_equal(w->handoffs, handoffs);
    assert_int_equal(w->followed_up, followed);
    assert_int_equal(w->backlog_end, backlog);
    assert_int_equal(w->sla_met, met);
}

/* Three hand-offs at Monday 09:00 exactly: the first takes the 09:00 slot
 * (wait 0), then 13:00 (4 h) and Tuesday 09:00 (8 h). Backlog: 1; 1 (the
 * first was followed up at 09:00, not after); 2 (the second's 13:00 slot is
 * after 09:00). */
static void test_ties_and_exact_slot(void **state)
{
    (void)state;
    bizcal *bc = cal(0, NULL, 0);
    int64_t t[] = {jan(6, 9, 0), jan(6, 9, 0), jan(6, 9, 0)};
    queue *q = run(bc, 2, 4, t, 3);
    assert_int_equal(q->slot[0].us, jan(6, 9, 0));
    assert_int_equal(q->slot[1].us, jan(6, 13, 0));
    assert_int_equal(q->slot[2].us, jan(7, 9, 0));
    assert_true(q->wait_h[0] == 0);
    assert_true(q->wait_h[1] == 4);
    assert_true(q->wait_h[2] == 8);
    assert_int_equal(q->backlog_max, 2);
    /* SLA 4 h: 0 and 4 meet it (<=), 8 does not */
    assert_int_equal(q->sla_met, 2);
    assert_near(q->sla_attainment, 2.0 / 3.0);
    /* waits 0, 4, 8: median 4, p90 at 1.8: 4 + 0.8 * 4 = 7.2 */
    assert_near(q->wait_median_h, 4);
    assert_near(q->wait_p90_h, 7.2);
    /* one week: Monday's 10 slots, all three followed up in it */
    assert_int_equal(q->nweeks, 1);
    assert_week(&q->weeks[0], jan(6, 0, 0), 10, 3, 3, 0, 2);
    assert_int_equal(q->weeks_over_capacity, 0);
    queue_free(q);
    bizcal_free(bc);
}

/* A campaign on Friday the 10th: five hand-offs at 10:00. Friday's 09:00
 * slot is gone, so: Fri 13:00 (3 h), Mon 09:00 (7 h: Friday 10-17), Mon
 * 13:00 (11 h), Tue 09:00 (15 h), Tue 13:00 (19 h). SLA 8 h: two met. */
static void test_campaign_over_weekend(void **state)
{
    (void)state;
    bizcal *bc = cal(0, NULL, 0);
    int64_t t[6] = {jan(10, 10, 0), jan(10, 10, 0), jan(10, 10, 0), jan(10, 10, 0),
                    jan(10, 10, 0), jan(14, 12, 0)};
    queue *q = run(bc, 2, 8, t, 5);
    int64_t want[] = {jan(10, 13, 0), jan(13, 9, 0), jan(13, 13, 0), jan(14, 9, 0),
                      jan(14, 13, 0)};
    double wait[] = {3, 7, 11, 15, 19};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(q->slot[i].us, want[i]);
        assert_true(q->wait_h[i] == wait[i]);
    }
    assert_near(q->sla_attainment, 0.4);
    assert_near(q->wait_median_h, 11);
    assert_near(q->wait_p90_h, 17.4); /* 15 + 0.6 * 4 */
    assert_int_equal(q->backlog_max, 5); /* all five waiting after the fifth arrives */
    /* Week of the 6th: Friday's 2 slots (the first slot day, taken whole), 5
     * hand-offs, 1 followed up, 4 still waiting at its end, 2 met the SLA.
     * Week of the 13th: 10 slots, the other 4 followed up. */
    assert_int_equal(q->nweeks, 2);
    assert_week(&q->weeks[0], jan(6, 0, 0), 2, 5, 1, 4, 2);
    assert_week(&q->weeks[1], jan(13, 0, 0), 10, 0, 4, 0, 0);
    assert_int_equal(q->weeks_over_capacity, 1);
    queue_free(q);

    /* a sixth on Tuesday 12:00: the queue holds Tuesday 13:00, so Wednesday
     * 09:00, wait 5 h (Tuesday 12-17); backlog 2 (itself and the 13:00 one) */
    q = run(bc, 2, 8, t, 6);
    assert_int_equal(q->slot[5].us, jan(15, 9, 0));
    assert_true(q->wait_h[5] == 5);
    assert_int_equal(q->backlog_max, 5);
    assert_near(q->sla_attainment, 0.5);
    /* waits 3, 5, 7, 11, 15, 19: median 9, p90 at 4.5: 15 + 0.5 * 4 = 17 */
    assert_near(q->wait_median_h, 9);
    assert_near(q->wait_p90_h, 17);
    assert_week(&q->weeks[0], jan(6, 0, 0), 2, 5, 1, 4, 2);
    assert_week(&q->weeks[1], jan(13, 0, 0), 10, 1, 5, 0, 1);
    queue_free(q);

    /* without an SLA: no attainment, nothing met */
    q = run(bc, 2, 0, t, 5);
    assert_true(isnan(q->sla_attainment));
    assert_int_equal(q->sla_met, 0);
    assert_int_equal(q->weeks[0].sla_met, 0);
    assert_near(q->wait_median_h, 11);
    queue_free(q);
    bizcal_free(bc);
}

/* The same campaign with Monday the 13th a holiday: Fri 13:00, then
 * Tuesday and Wednesday; the waits do not change (a holiday has no
 * business hours), the week of the 13th has 8 slots. */
static void test_holiday(void **state)
{
    (void)state;
    int64_t hol[] = {civ(2025, 1, 13, 0, 0, 0) / DAY};
    bizcal *bc = cal(0, hol, 1);
    int64_t t[] = {jan(10, 10, 0), jan(10, 10, 0), jan(10, 10, 0), jan(10, 10, 0),
                   jan(10, 10, 0)};
    queue *q = run(bc, 2, 8, t, 5);
    int64_t want[] = {jan(10, 13, 0), jan(14, 9, 0), jan(14, 13, 0), jan(15, 9, 0),
                      jan(15, 13, 0)};
    double wait[] = {3, 7, 11, 15, 19};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(q->slot[i].us, want[i]);
        assert_true(q->wait_h[i] == wait[i]);
    }
    assert_week(&q->weeks[0], jan(6, 0, 0), 2, 5, 1, 4, 2);
    assert_week(&q->weeks[1], jan(13, 0, 0), 8, 0, 4, 0, 0);
    queue_free(q);
    bizcal_free(bc);
}

/* utc_offset +10:00, 8 slots a day (one an hour from 09:00 local). Two
 * hand-offs on Sunday the 12th 22:00 and 22:30 UTC (Monday 08:00 and 08:30
 * local): the first takes Monday's 09:00 local slot, Sunday 23:00 UTC, wait
 * 0 (before opening); the second 10:00 local = Monday 00:00 UTC, wait 1 h.
 * UTC week of the 6th: 2 hand-offs, 1 slot, 1 followed up, 1 waiting:
 * over capacity. Week of the 13th: 40 slots (Monday's other 7, Tuesday to
 * Friday's 32, Monday 20th's first at Sunday 23:00 UTC). */
static void test_offset_moves_slot_to_previous_week(void **state)
{
    (void)state;
    bizcal *bc = cal(600, NULL, 0);
    int64_t t[] = {jan(12, 22, 0), jan(12, 22, 30)};
    queue *q = run(bc, 8, 1, t, 2);
    assert_int_equal(q->slot[0].us, jan(12, 23, 0));
    assert_int_equal(q->slot[1].us, jan(13, 0, 0));
    assert_true(q->wait_h[0] == 0);
    assert_true(q->wait_h[1] == 1);
    assert_int_equal(q->backlog_max, 2);
    assert_int_equal(q->nweeks, 2);
    assert_week(&q->weeks[0], jan(6, 0, 0), 1, 2, 1, 1, 2);
    assert_week(&q->weeks[1], jan(13, 0, 0), 40, 0, 1, 0, 0);
    assert_int_equal(q->weeks_over_capacity, 1);
    queue_free(q);
    bizcal_free(bc);
}

/* No hand-off: every figure empty, no week; widened, the weeks are there
 * with nothing in them, no slot either (there is no first slot day). */
static void test_empty_and_widened(void **state)
{
    (void)state;
    bizcal *bc = cal(0, NULL, 0);
    queue *q = run(bc, 2, 8, NULL, 0);
    assert_int_equal(q->n, 0);
    assert_true(isnan(q->sla_attainment));
    assert_true(isnan(q->wait_median_h));
    assert_true(isnan(q->wait_p90_h));
    assert_int_equal(q->backlog_max, 0);
    assert_int_equal(q->nweeks, 0);
    assert_int_equal(queue_week_slots(q, jan(6, 0, 0)), 0);
    queue_free(q);

    queue_params p = {2, 1, 8, jan(8, 12, 0), jan(20, 0, 0)};
    util_err err = {0, ""};
    assert_int_equal(queue_run(bc, &p, NULL, 0, &q, &err), 0);
    assert_int_equal(q->nweeks, 3);
    for (int w = 0; w < 3; w++)
        assert_week(&q->weeks[w], jan(6 + 7 * w, 0, 0), 0, 0, 0, 0, 0);
    queue_free(q);

    /* the campaign, widened to the week of the 20th and back to Dec 30th:
     * the 20th's week has its 10 slots; the one before the first slot day none */
    int64_t t[] = {jan(10, 10, 0), jan(10, 10, 0), jan(10, 10, 0), jan(10, 10, 0),
                   jan(10, 10, 0)};
    p.week_from = jan(1, 0, 0);
    p.week_to = jan(22, 0, 0);
    assert_int_equal(queue_run(bc, &p, t, 5, &q, &err), 0);
    assert_int_equal(q->nweeks, 4);
    assert_week(&q->weeks[0], civ(2024, 12, 30, 0, 0, 0), 0, 0, 0, 0, 0);
    assert_week(&q->weeks[1], jan(6, 0, 0), 2, 5, 1, 4, 2);
    assert_week(&q->weeks[3], jan(20, 0, 0), 10, 0, 0, 0, 0);
    assert_int_equal(q->weeks_over_capacity, 1);
    assert_int_equal(queue_week_slots(q, jan(27, 0, 0)), 10);
    queue_free(q);
    bizcal_free(bc);
}

/* Slots that are not whole microseconds: 3 a day in 8 hours is exact
 * (09:00, 11:40, 14:20); 7 a day is not, and a hand-off one microsecond
 * after slot 1's floor still takes slot 2. */
static void test_inexact_slots(void **state)
{
    (void)state;
    bizcal *bc = cal(0, NULL, 0);
    int64_t t3[] = {jan(7, 9, 30), jan(7, 9, 30), jan(7, 9, 30), jan(7, 9, 30)};
    queue *q = run(bc, 3, 8, t3, 4);
    assert_int_equal(q->slot[0].us, jan(7, 11, 40));
    assert_int_equal(q->slot[1].us, jan(7, 14, 20));
    assert_int_equal(q->slot[2].us, jan(8, 9, 0));
    assert_int_equal(q->slot[3].us, jan(8, 11, 40));
    assert_true(q->wait_h[0] == 130.0 / 60.0);
    assert_true(q->wait_h[3] == (450.0 + 160.0) / 60.0); /* 7h30 Tuesday + 2h40 */
    assert_int_equal(q->weeks[0].slots, 4 * 3);
    queue_free(q);

    int64_t floor1 = jan(7, 9, 0) + INT64_C(4114285714); /* 09:00 + 8h/7, rounded down */
    int64_t t7[] = {floor1, floor1 + 1};
    q = run(bc, 7, 8, t7, 2);
    assert_int_equal(q->slot[0].k, 1);
    assert_int_equal(q->slot[1].k, 2);
    /* waits: 2/7 us to slot 1; to slot 2 (09:00 + 16/7 h = floor 8228571428
     * + 4/7 us after opening) from floor1 + 1: 4114285713 + 4/7 us, that is
     * 28799999995 / 7 us; in hours over 7 * 3600e6 */
    assert_true(q->wait_h[0] == 2.0 / 25200000000.0);
    assert_int_equal(q->slot[1].rem, 4);
    assert_true(q->wait_h[1] == 28799999995.0 / 25200000000.0);
    queue_free(q);
    bizcal_free(bc);
}

static void test_errors(void **state)
{
    (void)state;
    bizcal *bc = cal(0, NULL, 0);
    int64_t t[] = {jan(7, 10, 0), jan(7, 9, 0)};
    queue_params p = {2, 0, 0, TSTAMP_NONE, TSTAMP_NONE};
    queue *q = NULL;
    util_err err = {0, ""};
    assert_int_equal(queue_run(bc, &p, t, 2, &q, &err), -1);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_null(q);
    p.per_day = 0;
    assert_int_equal(queue_run(bc, &p, t, 1, &q, &err), -1);
    queue_free(NULL);
    bizcal_free(bc);
}

/* ---------- Against a brute-force queue ---------- */

typedef struct brute_slot {
    bizcal_slot s;
    int taken;
} brute_slot;

static void test_brute_force(void **state)
{
    (void)state;
    int64_t hol[] = {civ(2025, 1, 14, 0, 0, 0) / DAY, civ(2025, 1, 15, 0, 0, 0) / DAY,
                     civ(2025, 2, 3, 0, 0, 0) / DAY};
    static const int offsets[] = {0, 600, -330};
    static const int64_t per_day[] = {1, 3, 7};
    srand(5);
    for (int round = 0; round < 30; round++) {
        bizcal *bc = cal(offsets[round % 3], hol, 3);
        int64_t C = per_day[(round / 3) % 3];
        size_t n = 1 + (size_t)(rand() % 40);
        int64_t t[40];
        for (size_t i = 0; i < n; i++)
            t[i] = jan(4, 0, 0) + (int64_t)(rand() % (20 * 24 * 4)) * 15 * 60 * TSTAMP_USEC_PER_SEC;
        for (size_t i = 1; i < n; i++) /* insertion sort */
            for (size_t j = i; j > 0 && t[j] < t[j - 1]; j--) {
                int64_t x = t[j];
                t[j] = t[j - 1];
                t[j - 1] = x;
            }
        queue *q = run(bc, C, 6, t, n);
        /* every slot of 80 days from the first slot day, marked as taken */
        bizcal_plan p = bizcal_plan_make(bc, C, t[0]);
        static brute_slot all[80 * 7];
        size_t ns = 0;
        for (int64_t d = p.first_day; d < p.first_day + 80; d++)
            if (bizcal_is_business_day(bc, d))
                for (int64_t k = 0; k < C; k++)
                    all[ns++] = (brute_slot){bizcal_slot_of(&p, d, k), 0};
        long bmax = 0;
        for (size_t i = 0; i < n; i++) {
            size_t s = 0;
            while (s < ns && (all[s].taken || !bizcal_slot_at_or_after(&all[s].s, t[i])))
                s++;
            assert_true(s < ns);
            all[s].taken = 1;
            assert_int_equal(q->slot[i].us, all[s].s.us);
            assert_int_equal(q->slot[i].rem, all[s].s.rem);
            long b = 1;
            for (size_t j = 0; j < i; j++)
                b += bizcal_slot_after(&q->slot[j], t[i]);
            if (b > bmax)
                bmax = b;
        }
        assert_int_equal(q->backlog_max, bmax);
        long over = 0;
        for (size_t w = 0; w < q->nweeks; w++) {
            int64_t a = q->weeks[w].start, e = a + 7 * DAY;
            long h = 0, f = 0, bl = 0;
            int64_t sl = 0;
            for (size_t i = 0; i < n; i++) {
                h += t[i] >= a && t[i] < e;
                f += q->slot[i].us >= a && q->slot[i].us < e;
                bl += t[i] < e && q->slot[i].us >= e;
            }
            for (size_t s = 0; s < ns; s++)
                sl += all[s].s.us >= a && all[s].s.us < e;
            assert_int_equal(q->weeks[w].handoffs, h);
            assert_int_equal(q->weeks[w].followed_up, f);
            assert_int_equal(q->weeks[w].backlog_end, bl);
            assert_int_equal(q->weeks[w].slots, sl);
            over += h > sl;
        }
        assert_int_equal(q->weeks_over_capacity, over);
        assert_int_equal(q->weeks[0].start, tstamp_week_start(t[0]));
        assert_int_equal(q->weeks[q->nweeks - 1].start, tstamp_week_start(q->slot[n - 1].us));
        queue_free(q);
        bizcal_free(bc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_and_exact_slot),
        cmocka_unit_test(test_campaign_over_weekend),
        cmocka_unit_test(test_holiday),
        cmocka_unit_test(test_offset_moves_slot_to_previous_week),
        cmocka_unit_test(test_empty_and_widened),
        cmocka_unit_test(test_inexact_slots),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
