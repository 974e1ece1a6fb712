/* metrics.c - precision, recall and workload at one threshold.
 *
 * Quantiles use GSL's linear interpolation between order statistics (the
 * same definition as R's type 7 and numpy's default), so figures can be
 * checked with any common tool. */
#include "metrics.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tstamp.h"

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

void metrics_ratios_of(long leads, long won, long tp, long fp, double tp_amount,
                       double won_amount, metrics_ratios *out) {
    double P = ratio((double)tp, (double)(tp + fp)), R = ratio((double)tp, (double)won);
    double base = ratio((double)won, (double)leads);
    out->precision = P;
    out->recall = R;
    out->f1 = isnan(P) || isnan(R) ? NAN : ratio(2 * P * R, P + R);
    out->mql_rate = ratio((double)(tp + fp), (double)leads);
    out->lift = isnan(P) || isnan(base) ? NAN : ratio(P, base);
    out->revenue_recall = ratio(tp_amount, won_amount);
}

/* One thread's slice of the leads: MQL times and counts. */
typedef struct mslice {
    const replay *r;
    double T, F;
    size_t lo, hi;
    int64_t *mt;
    long tp, fp, fn, tn;
    util_fsum tp_amount;
    /* second pass (spread) */
    double *days;        /* this slice's MQLs' days to MQL, in lead order */
    int64_t w0;
    long nweeks, *weekly; /* this slice's hand-offs per week */
} mslice;

static void *classify(void *arg) {
    mslice *m = arg;
    const replay *r = m->r;
    util_fsum_init(&m->tp_amount);
    for (size_t i = m->lo; i < m->hi; i++) {
        int64_t t = replay_mql_time(r, i, m->T, m->F);
        m->mt[i] = t;
        int mql = t != TSTAMP_NONE;
        if (r->won[i]) {
            if (mql) {
                m->tp++;
                if (!isnan(r->amount[i])) util_fsum_add(&m->tp_amount, r->amount[i]);
            } else {
                m->fn++;
            }
        } else {
            if (mql) m->fp++;
            else m->tn++;
        }
    }
    return NULL;
}

static void *spread(void *arg) {
    mslice *m = arg;
    const replay *r = m->r;
    size_t k = 0;
    for (size_t i = m->lo; i < m->hi; i++) {
        if (m->mt[i] == TSTAMP_NONE) continue;
        m->days[k++] = (double)(m->mt[i] - r->created[i]) / (double)TSTAMP_USEC_PER_DAY;
        /* every MQL time is in the cohort's weeks (metrics_cohort_weeks) */
        int64_t w = (tstamp_week_start(m->mt[i]) - m->w0) / (7 * TSTAMP_USEC_PER_DAY);
        if (w >= 0 && w < m->nweeks) m->weekly[w]++;
    }
    return NULL;
}

int metrics_eval(const replay *r, double T, double F, int nthreads, metrics_row *row,
                 util_err *err) {
    memset(row, 0, sizeof *row);
    row->threshold = T;
    row->fit_threshold = F;
    row->two_axis = r->two_axis;
    row->median_days = row->weekly_mean = row->weekly_p90 = row->weekly_max = NAN;

    int64_t *mt = util_malloc(r->n * sizeof *mt + 1);
    if (!mt) return util_enomem(err);
    /* Slices of leads, one per thread, joined in order; the amounts' sum is
     * exact, so neither it nor anything else depends on the threads. */
    mslice sl[UTIL_MAX_THREADS];
    if (nthreads > UTIL_MAX_THREADS) nthreads = UTIL_MAX_THREADS;
    if (nthreads < 1 || r->n < 65536) nthreads = 1;
    for (int k = 0; k < nthreads; k++)
        sl[k] = (mslice){.r = r, .T = T, .F = F, .mt = mt, .lo = r->n * (size_t)k / (size_t)nthreads,
                         .hi = r->n * (size_t)(k + 1) / (size_t)nthreads};
    util_parallel(classify, sl, sizeof *sl, nthreads);
    util_fsum tp_amount;
    util_fsum_init(&tp_amount);
    for (int k = 0; k < nthreads; k++) {
        row->tp += sl[k].tp;
        row->fp += sl[k].fp;
        row->fn += sl[k].fn;
        row->tn += sl[k].tn;
        util_fsum_merge(&tp_amount, &sl[k].tp_amount);
    }
    row->leads = (long)r->n;
    row->won = row->tp + row->fn;
    row->mqls = row->tp + row->fp;
    metrics_ratios q;
    metrics_ratios_of(row->leads, row->won, row->tp, row->fp, util_fsum_value(&tp_amount),
                      r->won_amount, &q);
    row->precision = q.precision;
    row->recall = q.recall;
    row->f1 = q.f1;
    row->mql_rate = q.mql_rate;
    row->lift = q.lift;
    row->revenue_recall = q.revenue_recall;

    int64_t w0 = 0;
    long nweeks = metrics_cohort_weeks(r, &w0);
    if (r->timed && (nweeks > 0 || row->mqls > 0)) {
        row->first_week = w0;
        row->nweeks = nweeks;
        double *days = util_malloc((size_t)row->mqls * sizeof *days + 1);
        double *w = util_malloc((size_t)row->nweeks * sizeof *w + 1);
        row->weekly = nweeks > 0 ? util_calloc((size_t)row->nweeks, sizeof *row->weekly) : NULL;
        int ok = days && w && (nweeks == 0 || row->weekly);
        /* each slice's days go after the slices before it: the same array
         * in the same order whatever the threads */
        size_t at = 0;
        for (int k = 0; k < nthreads && ok; k++) {
            sl[k].days = days + at;
            sl[k].w0 = w0;
            sl[k].nweeks = row->nweeks;
            at += (size_t)(sl[k].tp + sl[k].fp);
            ok = (sl[k].weekly = util_calloc((size_t)row->nweeks + 1, sizeof *sl[k].weekly)) != NULL;
        }
        if (ok) util_parallel(spread, sl, sizeof *sl, nthreads);
        for (int k = 0; k < nthreads; k++) {
            for (long wk = 0; ok && wk < row->nweeks; wk++) row->weekly[wk] += sl[k].weekly[wk];
            free(sl[k].weekly);
        }
        if (!ok) {
            free(days);
            free(w);
            free(mt);
            metrics_row_fini(row);
            return util_enomem(err);
        }
        /* selection, not a sort: a sweep at a million leads asks this of
         * half a million hand-offs */
        if (row->mqls > 0) row->median_days = gsl_stats_median(days, 1, (size_t)row->mqls);
        free(days);
        if (nweeks > 0) {
            for (long i = 0; i < row->nweeks; i++) w[i] = (double)row->weekly[i];
            gsl_sort(w, 1, (size_t)row->nweeks);
            row->weekly_mean = (double)row->mqls / (double)row->nweeks;
            row->weekly_p90 = gsl_stats_quantile_from_sorted_data(w, 1, (size_t)row->nweeks, 0.9);
            row->weekly_max = w[row->nweeks - 1];
        }
        free(w);
    }
    free(mt);
    return 0;
}

long metrics_cohort_weeks(const replay *r, int64_t *w0) {
    *w0 = 0;
    if (!r->timed || r->n == 0) return 0;
    int64_t first = r->created[0];
    for (size_t i = 1; i < r->n; i++)
        if (r->created[i] < first) first = r->created[i];
    int64_t a = tstamp_week_start(first), b = tstamp_week_start(r->until);
    if (b < a) return 0;
    *w0 = a;
    return (long)((b - a) / (7 * TSTAMP_USEC_PER_DAY)) + 1;
}

int metrics_set_weekly(metrics_row *row, const long *w, util_err *err) {
    if (!row->weekly || row->nweeks <= 0) return 0;
    double *v = util_malloc((size_t)row->nweeks * sizeof *v);
    if (!v) return util_enomem(err);
    long total = 0;
    for (long i = 0; i < row->nweeks; i++) {
        row->weekly[i] = w[i];
        total += w[i];
        v[i] = (double)w[i];
    }
    row->weekly_mean = (double)total / (double)row->nweeks;
    gsl_sort(v, 1, (size_t)row->nweeks);
    row->weekly_p90 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)row->nweeks, 0.9);
    row->weekly_max = v[row->nweeks - 1];
    free(v);
    return 0;
}

void metrics_row_fini(metrics_row *row) {
    if (!row) return;
    free(row->weekly);
    row->weekly = NULL;
}
