/* staff.c - reps needed per threshold: queue replays searched over reps, and Erlang C.
 *
 * The Erlang C probability comes from the Erlang B recurrence
 * B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), C = c B / (c - a (1 - B)),
 * which stays in [0, 1] for any c (no factorials, no overflow). The
 * exponential is GSL's (gsl_sf_exp). */
#include "staff.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sf_exp.h>

#include "tstamp.h"

/* ---------------------------- Erlang C ---------------------------- */

double staff_erlang_c(long c, double a) {
    if (!(a < (double)c)) return 1;
    if (a <= 0) return 0;
    double B = 1;
    for (long k = 1; k <= c; k++) B = a * B / ((double)k + a * B);
    return (double)c * B / ((double)c - a * (1 - B));
}

double staff_mmc_within(long c, double lambda, double mu, double t) {
    if (lambda <= 0) return 1;
    double a = lambda / mu;
    if (!(a < (double)c)) return 0;
    double x = -((double)c * mu - lambda) * t;
    double e = x < -700 ? 0 : gsl_sf_exp(x);
    return 1 - staff_erlang_c(c, a) * e;
}

long staff_erlang_agents(double lambda, double mu, double t, double target) {
    if (lambda <= 0) return 0;
    long c = (long)floor(lambda / mu) + 1;
    for (; c <= STAFF_MAX_REPS; c++)
        if (staff_mmc_within(c, lambda, mu, t) >= target) return c;
    return -1;
}

/* ---------------------------- Replays ---------------------------- */

/* Share of the cohort's weeks whose hand-offs fit in their slots, with
 * PER_DAY slots a day from the first hand-off's day on. */
static double weeks_within(const sales *s, const sales_row *row, const long *weekly,
                           int64_t per_day) {
    if (s->cohort_nweeks <= 0 || row->ho.n == 0) return 1;
    bizcal_plan p = bizcal_plan_make(s->bc, per_day, row->ho.t[0]);
    long ok = 0;
    for (long w = 0; w < s->cohort_nweeks; w++) {
        int64_t a = s->cohort_w0 + w * 7 * TSTAMP_USEC_PER_DAY;
        int64_t slots = bizcal_slots_before(&p, a + 7 * TSTAMP_USEC_PER_DAY) - bizcal_slots_before(&p, a);
        ok += weekly[w] <= slots;
    }
    return (double)ok / (double)s->cohort_nweeks;
}

/* The SLA attainment of ROW's hand-offs with REPS reps into *v. Returns 0,
 * or -1 with err (memory). */
static int attainment(const sales *s, const sales_row *row, long reps, double *v,
                      util_err *err) {
    queue *q = NULL;
    int64_t per_day = (int64_t)reps * (int64_t)s->sc->followups_per_rep_per_day;
    if (sales_requeue(s, row, per_day, &q, err) < 0) return -1;
    *v = q->sla_attainment;
    queue_free(q);
    return 0;
}

/* The fewest reps in [1, STAFF_MAX_REPS] for which ok(reps) holds, ok
 * monotone; -1 when none; -2 on memory. */
typedef int (*reps_ok_fn)(void *ctx, long reps);

static long fewest(reps_ok_fn ok, void *ctx) {
    long lo = 0, hi = 1; /* ok(lo) is false (0 reps serve nobody), ok(hi) unknown */
    for (;;) {
        int r = ok(ctx, hi);
        if (r < 0) return -2;
        if (r) break;
        lo = hi;
        if (hi >= STAFF_MAX_REPS) return -1;
        hi = hi * 2 > STAFF_MAX_REPS ? STAFF_MAX_REPS : hi * 2;
    }
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        int r = ok(ctx, mid);
        if (r < 0) return -2;
        if (r) hi = mid;
        else lo = mid;
    }
    return hi;
}

typedef struct search {
    const sales *s;
    const sales_row *row;
    const long *weekly;
    double target;
    util_err *err;
} search;

static int sla_ok(void *ctx, long reps) {
    search *x = ctx;
    double a;
    if (attainment(x->s, x->row, reps, &a, x->err) < 0) return -1;
    return a >= x->target;
}

static int weeks_ok(void *ctx, long reps) {
    search *x = ctx;
    int64_t per_day = (int64_t)reps * (int64_t)x->s->sc->followups_per_rep_per_day;
    return weeks_within(x->s, x->row, x->weekly, per_day) >= 0.95;
}

/* Hand-offs per business hour over the cohort's business time: from its
 * first created_at to until. */
static double arrival_rate(const sales *s, const sales_row *row) {
    const replay *r = s->r;
    if (r->n == 0) return 0;
    int64_t first = r->created[0];
    for (size_t i = 1; i < r->n; i++)
        if (r->created[i] < first) first = r->created[i];
    double hours = bizcal_hours(s->bc, first, r->until);
    return hours > 0 ? (double)row->ho.n / hours : 0;
}

int staff_eval(const sales *s, const sales_row *row, double target, staff_row *out,
               util_err *err) {
    *out = (staff_row){.target = target, .reps_sla = -1, .att_sla = NAN, .reps_weeks = -1,
                       .reps_erlang = -1, .reps_load = -1};
    long *weekly = util_malloc(((size_t)(s->cohort_nweeks > 0 ? s->cohort_nweeks : 0) + 1) * sizeof *weekly);
    if (!weekly) return util_enomem(err);
    sales_cohort_weekly(s, row, weekly);
    search x = {.s = s, .row = row, .weekly = weekly, .target = target, .err = err};
    int rc = 0;
    if (s->sc->has_sla && row->ho.n > 0) {
        out->reps_sla = fewest(sla_ok, &x);
        if (out->reps_sla == -2) rc = -1;
        else if (out->reps_sla > 0 && attainment(s, row, out->reps_sla, &out->att_sla, err) < 0)
            rc = -1;
    }
    if (s->sc->has_sla && row->ho.n == 0) out->reps_sla = 0; /* nobody to follow up */
    if (rc == 0) out->reps_weeks = row->ho.n ? fewest(weeks_ok, &x) : 0;
    free(weekly);
    if (rc < 0) return -1;
    double H = (double)s->bc->day_us / (double)BIZCAL_USEC_PER_HOUR;
    out->lambda_h = arrival_rate(s, row);
    out->mu_h = s->sc->followups_per_rep_per_day / H;
    out->reps_load = out->lambda_h > 0 ? (long)floor(out->lambda_h / out->mu_h) + 1 : 0;
    if (s->sc->has_sla)
        out->reps_erlang = staff_erlang_agents(out->lambda_h, out->mu_h, s->sc->sla_business_hours,
                                               target);
    return 0;
}
