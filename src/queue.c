/* queue.c - the follow-up queue of one threshold: slots taken first come, first served; waits; weeks.
 *
 * Hand-offs arrive in queue order, so each one takes the first slot at or
 * after both its own arrival and the slot after the previous hand-off's:
 * every slot between an earlier arrival and the slot it got was taken, so
 * nothing before that can be free. One forward cursor over the slots
 * (bizcal.h) serves the whole queue. Slots and arrivals then both run in
 * order, which makes the backlog a two-pointer count and the weekly
 * backlog a difference of running totals.
 *
 * Not for: deciding which hand-offs exist or their order (the replay), or
 * writing any of it (the output rooms). */
#include "queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

/* ---------- Slots and waits ---------- */

static void take_slots(queue *q, const int64_t *t)
{
    bizcal_cursor c;
    bizcal_cursor_init(&c, &q->plan);
    for (size_t i = 0; i < q->n; i++) {
        bizcal_cursor_seek(&c, t[i]);
        q->slot[i] = c.cur;
        q->wait_h[i] = bizcal_slot_wait_hours(&q->plan, t[i], &q->slot[i]);
        bizcal_cursor_next(&c);
    }
}

/* Backlog just after hand-off i arrives: 1 + the earlier hand-offs whose
 * slot is strictly after t[i]. Slots increase with i, so those are the
 * earlier ones from the first slot after t[i] on; that first index only
 * moves forward as t[i] does. */
static long backlog_max(const queue *q, const int64_t *t)
{
    long best = 0;
    size_t p = 0;
    for (size_t i = 0; i < q->n; i++) {
        while (p < i && !bizcal_slot_after(&q->slot[p], t[i]))
            p++;
        long b = 1 + (long)(i - p);
        if (b > best)
            best = b;
    }
    return best;
}

/* The SLA share and the wait quantiles (R type 7, as GSL computes them). */
/* The type-7 quantile F of the N values W (reordered): the same arithmetic
 * as gsl_stats_quantile_from_sorted_data on the sorted values. After
 * gsl_stats_select(k) every value after place k is at least W[k], so the
 * next order statistic is the least of them. */
static double quantile7(double *w, size_t n, double f) {
    double index = f * (double)(n - 1);
    size_t lhs = (size_t)(int)index;
    double delta = index - (double)lhs;
    double lo = gsl_stats_select(w, 1, n, lhs);
    if (lhs == n - 1) return lo;
    double hi = w[lhs + 1];
    for (size_t i = lhs + 2; i < n; i++)
        if (w[i] < hi) hi = w[i];
    return (1 - delta) * lo + delta * hi;
}

static int figures(queue *q, const queue_params *pr, util_err *err)
{
    if (q->n == 0)
        return 0;
    if (pr->has_sla) {
        for (size_t i = 0; i < q->n; i++)
            q->sla_met += q->wait_h[i] <= pr->sla_hours;
        q->sla_attainment = (double)q->sla_met / (double)q->n;
    }
    /* the two quantiles by selection (GSL's gsl_stats_select, linear on
     * average, and a sweep asks this of every row), then type 7 exactly as
     * gsl_stats_quantile_from_sorted_data interpolates */
    double *w = util_reallocarray(NULL, q->n, sizeof *w);
    int ok = w != NULL;
    if (ok) {
        memcpy(w, q->wait_h, q->n * sizeof *w);
        q->wait_median_h = quantile7(w, q->n, 0.5);
        q->wait_p90_h = quantile7(w, q->n, 0.9);
    }
    free(w);
    return ok ? 0 : util_enomem(err);
}

/* ---------- Weeks ---------- */

/* The weeks' range: first hand-off to last follow-up, widened by params.
 * 0 with no week at all. */
static int week_range(const queue *q, const int64_t *t, const queue_params *pr, int64_t *lo,
                      int64_t *hi)
{
    int have = 0;
    int64_t pts[4];
    int np = 0;
    if (q->n) {
        pts[np++] = t[0];
        pts[np++] = q->slot[q->n - 1].us;
    }
    if (pr->week_from != TSTAMP_NONE)
        pts[np++] = pr->week_from;
    if (pr->week_to != TSTAMP_NONE)
        pts[np++] = pr->week_to;
    for (int i = 0; i < np; i++) {
        int64_t w = tstamp_week_start(pts[i]);
        if (w == TSTAMP_NONE)
            continue;
        if (!have || w < *lo)
            *lo = w;
        if (!have || w > *hi)
            *hi = w;
        have = 1;
    }
    return have;
}

int64_t queue_week_slots(const queue *q, int64_t week_start)
{
    if (q->n == 0)
        return 0;
    return bizcal_slots_before(&q->plan, week_start + QUEUE_USEC_PER_WEEK)
        - bizcal_slots_before(&q->plan, week_start);
}

static size_t week_index(const queue *q, int64_t t)
{
    return (size_t)((tstamp_week_start(t) - q->weeks[0].start) / QUEUE_USEC_PER_WEEK);
}

static int fill_weeks(queue *q, const int64_t *t, const queue_params *pr, util_err *err)
{
    int64_t lo = 0, hi = 0;
    if (!week_range(q, t, pr, &lo, &hi))
        return 0;
    size_t nw = (size_t)((hi - lo) / QUEUE_USEC_PER_WEEK) + 1;
    if (!(q->weeks = util_calloc(nw, sizeof *q->weeks)))
        return util_enomem(err);
    q->nweeks = nw;
    for (size_t w = 0; w < nw; w++)
        q->weeks[w].start = lo + (int64_t)w * QUEUE_USEC_PER_WEEK;
    for (size_t i = 0; i < q->n; i++) {
        queue_week *a = &q->weeks[week_index(q, t[i])];
        a->handoffs++;
        a->sla_met += pr->has_sla && q->wait_h[i] <= pr->sla_hours;
        q->weeks[week_index(q, q->slot[i].us)].followed_up++;
    }
    /* Arrived before the week's end minus followed up before it: a
     * follow-up is never before its arrival, so that is exactly those
     * arrived and still waiting at the end. */
    long arrived = 0, done = 0;
    for (size_t w = 0; w < nw; w++) {
        queue_week *a = &q->weeks[w];
        arrived += a->handoffs;
        done += a->followed_up;
        a->backlog_end = arrived - done;
        a->slots = queue_week_slots(q, a->start);
        q->weeks_over_capacity += a->handoffs > a->slots;
    }
    return 0;
}

/* ---------- The whole queue ---------- */

void queue_free(queue *q)
{
    if (!q)
        return;
    free(q->slot);
    free(q->wait_h);
    free(q->weeks);
    free(q);
}

int queue_run(const bizcal *bc, const queue_params *params, const int64_t *t, size_t n,
              queue **out, util_err *err)
{
    if (params->per_day < 1)
        return util_errf(err, UTIL_EDATA, "queue: %lld slots a day; at least 1 is needed",
                         (long long)params->per_day);
    for (size_t i = 1; i < n; i++)
        if (t[i] < t[i - 1])
            return util_errf(err, UTIL_EDATA, "queue: hand-off %zu comes before hand-off %zu",
                             i, i - 1);
    queue *q = util_calloc(1, sizeof *q);
    if (!q)
        return util_enomem(err);
    q->n = n;
    q->sla_attainment = q->wait_median_h = q->wait_p90_h = NAN;
    if (n) {
        q->plan = bizcal_plan_make(bc, params->per_day, t[0]);
        q->slot = util_reallocarray(NULL, n, sizeof *q->slot);
        q->wait_h = util_reallocarray(NULL, n, sizeof *q->wait_h);
        if (!q->slot || !q->wait_h) {
            queue_free(q);
            return util_enomem(err);
        }
        take_slots(q, t);
        q->backlog_max = backlog_max(q, t);
    }
    if (figures(q, params, err) < 0 || fill_weeks(q, t, params, err) < 0) {
        queue_free(q);
        return -1;
    }
    *out = q;
    return 0;
}
