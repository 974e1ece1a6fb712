/* sqlacc.c - sales acceptance per threshold (SPEC 5.7) from a replay and the leads' sql_at.
 *
 * Not for loading sql_at (csvload.c) or writing the columns (out_sql.c).
 * See sqlacc.h for the definitions and why one numerator serves both
 * ratios. */
#include "sqlacc.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "cohort.h"
#include "tstamp.h"

void sqlacc_free(sqlacc *q) {
    if (!q) return;
    free(q->idx);
    free(q->at);
    free(q->best);
    free(q->fast);
    free(q->sorted);
    free(q);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int sqlacc_prep(const dataset *ds, const scenario *sc, const replay *r, sqlacc **out,
                util_err *err) {
    *out = NULL;
    if (!ds->has_sql || !ds->sql_at) return 0;
    cohort c;
    cohort_init(&c, ds, sc);
    sqlacc *q = util_calloc(1, sizeof *q);
    if (!q) return util_enomem(err);
    q->two_axis = r->two_axis;
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        int64_t cutoff, s = ds->sql_at[r->lead[i]];
        cohort_outcome(&c, r->lead[i], &cutoff);
        if (s != TSTAMP_NONE && s >= r->created[i] && s <= cutoff) n++;
    }
    if (!(q->idx = util_malloc(n * sizeof *q->idx + 1)) || !(q->at = util_malloc(n * 8 + 1)) ||
        !(q->best = util_malloc(n * 8 + 1)) || !(q->fast = util_malloc(n + 1)) ||
        !(q->sorted = util_malloc(n * 8 + 1))) {
        sqlacc_free(q);
        return util_enomem(err);
    }
    for (size_t i = 0; i < r->n; i++) {
        int64_t cutoff, s = ds->sql_at[r->lead[i]];
        cohort_outcome(&c, r->lead[i], &cutoff);
        if (s == TSTAMP_NONE || s < r->created[i] || s > cutoff) continue;
        size_t k = q->n++;
        q->idx[k] = (uint32_t)i;
        q->at[k] = s;
        q->fast[k] = r->fast[i] != TSTAMP_NONE && r->fast[i] <= s;
        /* records rise in value and in time: the last one reached by s is the best */
        double best = -INFINITY;
        for (size_t e = r->st_off[i]; e < r->st_off[i + 1] && r->st_time[e] <= s; e++)
            best = r->st_val[e];
        q->best[k] = best;
        if (q->fast[k]) q->nfast++;
        else q->sorted[q->nsorted++] = best;
    }
    qsort(q->sorted, q->nsorted, sizeof *q->sorted, cmp_double);
    *out = q;
    return 0;
}

/* SQLs whose first MQL time at (T, F) is at or before their sql_at. */
static long accepted(const sqlacc *q, const replay *r, double T, double F) {
    if (!q->two_axis) {
        size_t lo = 0, hi = q->nsorted; /* first sorted value >= T */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (q->sorted[mid] >= T) hi = mid;
            else lo = mid + 1;
        }
        return q->nfast + (long)(q->nsorted - lo);
    }
    long a = 0;
    for (size_t k = 0; k < q->n; k++)
        a += q->fast[k] || (r->fit[q->idx[k]] >= F && q->best[k] >= T);
    return a;
}

int sqlacc_eval(const sqlacc *q, const replay *r, double T, double F, long mqls, int with_days,
                sqlacc_row *out, util_err *err) {
    out->sqls = (long)q->n;
    out->accepted = accepted(q, r, T, F);
    out->sql_rate = mqls ? (double)out->accepted / (double)mqls : NAN;
    out->sql_recall = q->n ? (double)out->accepted / (double)q->n : NAN;
    out->days = NAN;
    if (!with_days || out->accepted == 0 || !r->timed) return 0;
    double *d = util_malloc((size_t)out->accepted * sizeof *d);
    if (!d) return util_enomem(err);
    size_t nd = 0;
    for (size_t k = 0; k < q->n && nd < (size_t)out->accepted; k++) {
        int64_t m = replay_mql_time(r, q->idx[k], T, F);
        if (m != TSTAMP_NONE && m <= q->at[k])
            d[nd++] = (double)(q->at[k] - m) / (double)TSTAMP_USEC_PER_DAY;
    }
    if (nd) out->days = gsl_stats_median(d, 1, nd);
    free(d);
    return 0;
}

int sqlacc_sweep(const sqlacc *q, const replay *r, const sweep *sw, double budget,
                 sqlacc_row **out, int *partial, util_err *err) {
    *partial = (double)q->n * (double)sw->nrows > budget;
    if (!(*out = util_calloc(sw->nrows + 1, sizeof **out))) return util_enomem(err);
    for (size_t j = 0; j < sw->nrows; j++) {
        const sweep_row *w = &sw->rows[j];
        int days = !*partial || (long)j == sw->best || (long)j == sw->runner_up;
        if (sqlacc_eval(q, r, w->T, w->F, w->tp + w->fp, days, &(*out)[j], err) < 0) {
            free(*out);
            *out = NULL;
            return -1;
        }
    }
    return 0;
}

int sqlacc_rows(const dataset *ds, const scenario *sc, const replay *r, const metrics_row *rows,
                size_t nrows, sqlacc_row **out, util_err *err) {
    *out = NULL;
    sqlacc *q;
    if (sqlacc_prep(ds, sc, r, &q, err) < 0) return -1;
    if (!q) return 0;
    int rc = 0;
    if (!(*out = util_calloc(nrows + 1, sizeof **out))) rc = util_enomem(err);
    for (size_t i = 0; rc == 0 && i < nrows; i++)
        rc = sqlacc_eval(q, r, rows[i].threshold, rows[i].fit_threshold, rows[i].mqls, 1,
                         &(*out)[i], err);
    sqlacc_free(q);
    if (rc < 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

int sqlacc_attach(const dataset *ds, const scenario *sc, const replay *r, sweep *sw,
                  util_err *err) {
    sqlacc *q;
    if (sqlacc_prep(ds, sc, r, &q, err) < 0) return -1;
    if (!q) return 0;
    int rc = sqlacc_sweep(q, r, sw, SQLACC_SWEEP_BUDGET, &sw->sql, &sw->sql_partial, err);
    sqlacc_free(q);
    return rc;
}
