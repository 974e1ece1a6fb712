/* sales.c - per threshold: every hand-off, its queue and the recycling counts (SPEC 5.5, 5.6).
 *
 * The glue between the engines: the calendar is made from [sales] once,
 * recycle.c lists the hand-offs, queue.c serves them. The queue's weeks are
 * widened to the cohort's weeks so that weekly.csv keeps the rows 5.4 has. */
#include "sales.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "tstamp.h"

void sales_free(sales *s) {
    if (!s) return;
    bizcal_free(s->bc);
    recycle_free(s->rc);
    free(s);
}

int sales_alloc(const dataset *ds, const scenario *sc, const replay *r, sales **out,
                util_err *err) {
    *out = NULL;
    if (!sc->has_sales || !r->timed) return 0;
    sales *s = util_calloc(1, sizeof *s);
    if (!s) return util_enomem(err);
    s->sc = sc;
    s->r = r;
    if (bizcal_alloc(sc->bh_start_min, sc->bh_end_min, sc->utc_offset_min, sc->holidays,
                     sc->nholidays, &s->bc, err) < 0 ||
        recycle_alloc(ds, sc, r, &s->rc, err) < 0) {
        sales_free(s);
        return -1;
    }
    s->qp.per_day = (int64_t)(sc->reps * sc->followups_per_rep_per_day);
    s->qp.has_sla = sc->has_sla;
    s->qp.sla_hours = sc->sla_business_hours;
    int64_t w0;
    s->cohort_nweeks = metrics_cohort_weeks(r, &w0);
    s->cohort_w0 = s->cohort_nweeks > 0 ? w0 : TSTAMP_NONE;
    s->qp.week_from = s->cohort_w0;
    s->qp.week_to = s->cohort_nweeks > 0 ? r->until : TSTAMP_NONE;
    *out = s;
    return 0;
}

void sales_row_fini(sales_row *row) {
    if (!row) return;
    recycle_out_fini(&row->ho);
    queue_free(row->q);
    row->q = NULL;
    row->done = 0;
}

int sales_eval(const sales *s, double T, double F, sales_row *row, util_err *err) {
    return sales_eval_at(s, T, F, NULL, row, err);
}

int sales_eval_at(const sales *s, double T, double F, recycle_cursor *c, sales_row *row,
                  util_err *err) {
    memset(row, 0, sizeof *row);
    row->T = T;
    row->F = F;
    if (recycle_handoffs_at(s->rc, T, F, c, &row->ho, err) < 0) return -1;
    if (queue_run(s->bc, &s->qp, row->ho.t, row->ho.n, &row->q, err) < 0) {
        recycle_out_fini(&row->ho);
        return -1;
    }
    row->handoffs = (long)row->ho.n;
    row->recycled = row->ho.recycled;
    row->requalified = row->ho.requalified;
    row->won_after_recycle = row->ho.won_after_recycle;
    row->done = 1;
    return 0;
}

int sales_requeue(const sales *s, const sales_row *row, int64_t per_day, queue **out,
                  util_err *err) {
    queue_params qp = s->qp;
    qp.per_day = per_day;
    qp.week_from = qp.week_to = TSTAMP_NONE;
    return queue_run(s->bc, &qp, row->ho.t, row->ho.n, out, err);
}

void sales_cohort_weekly(const sales *s, const sales_row *row, long *w) {
    for (long k = 0; k < s->cohort_nweeks; k++) w[k] = 0;
    for (size_t i = 0; i < row->ho.n; i++) {
        int64_t k = (tstamp_week_start(row->ho.t[i]) - s->cohort_w0) / (7 * TSTAMP_USEC_PER_DAY);
        if (k >= 0 && k < s->cohort_nweeks) w[k]++;
    }
}

int sales_eval_row(const sales *s, metrics_row *m, sales_row *sr, util_err *err) {
    if (sales_eval(s, m->threshold, m->fit_threshold, sr, err) < 0) return -1;
    if (!s->sc->has_recycle || !m->weekly) return 0;
    long *w = util_malloc((size_t)m->nweeks * sizeof *w + 1);
    if (!w) return util_enomem(err);
    sales_cohort_weekly(s, sr, w);
    int rc = metrics_set_weekly(m, w, err);
    free(w);
    return rc;
}
