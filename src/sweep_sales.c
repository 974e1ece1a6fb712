/* sweep_sales.c - per sweep row: the follow-up queue and recycling figures; the sla:P pick.
 *
 * Each row is one sales_eval (hand-offs, sort, queue); only its figures and
 * weeks are kept (the per-hand-off arrays are dropped as soon as the row is
 * done: a sweep has thousands of rows). Rows are evaluated in slices on the
 * threads; each row's result depends on the row alone, so nothing depends
 * on the threads. */
#include "sweep_sales.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective.h"
#include "tstamp.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

typedef struct part {
    const sales *sa;
    sweep *sw;
    const size_t *idx;
    size_t lo, hi;
    int rc;
    util_err err;
} part;

/* Keep a row's figures and weeks, drop what is per hand-off. */
static void shrink(sales_row *r) {
    recycle_out_fini(&r->ho);
    if (r->q) {
        free(r->q->slot);
        free(r->q->wait_h);
        r->q->slot = NULL;
        r->q->wait_h = NULL;
    }
}

static void *eval_part(void *arg) {
    part *p = arg;
    recycle_cursor cur;
    if (p->hi > p->lo && recycle_cursor_init(&cur, p->sa->rc) < 0) {
        p->rc = util_enomem(&p->err);
        return NULL;
    }
    for (size_t k = p->lo; k < p->hi && p->rc == 0; k++) {
        size_t j = p->idx[k];
        sales_row *r = &p->sw->sales[j];
        if (r->done) continue;
        const sweep_row *w = &p->sw->rows[j];
        if (sales_eval_at(p->sa, w->T, p->sw->two_axis ? w->F : 0, &cur, r, &p->err) < 0)
            p->rc = -1;
        else shrink(r);
    }
    if (p->hi > p->lo) recycle_cursor_fini(&cur);
    return NULL;
}

/* The work of row J's queue, about its hand-offs. */
static double row_work(const sweep *sw, size_t j) {
    return (double)(sw->rows[j].tp + sw->rows[j].fp) + 1;
}

/* Evaluate rows idx[0 .. n) not done yet. */
static int eval_rows(const sales *sa, sweep *sw, const size_t *idx, size_t n, int nthreads,
                     util_err *err) {
    part pt[UTIL_MAX_THREADS];
    if (nthreads > UTIL_MAX_THREADS) nthreads = UTIL_MAX_THREADS;
    if (nthreads < 1) nthreads = 1;
    if ((size_t)nthreads > n) nthreads = n ? (int)n : 1;
    /* Parts of equal work, not of equal rows: a row's queue costs about its
     * hand-offs, and the low thresholds carry most of them. Each row's result
     * depends on the row alone, so the cut changes nothing but the time. */
    double total = 0, acc = 0;
    for (size_t k = 0; k < n; k++) total += row_work(sw, idx[k]);
    size_t at = 0;
    for (int k = 0; k < nthreads; k++) {
        size_t lo = at;
        double goal = total * (double)(k + 1) / (double)nthreads;
        if (k == nthreads - 1) at = n;
        while (at < n && acc + row_work(sw, idx[at]) <= goal) acc += row_work(sw, idx[at++]);
        if (at == lo && at < n) acc += row_work(sw, idx[at++]); /* at least one row each */
        pt[k] = (part){.sa = sa, .sw = sw, .idx = idx, .lo = lo, .hi = at};
    }
    util_parallel(eval_part, pt, sizeof *pt, nthreads);
    for (int k = 0; k < nthreads; k++)
        if (pt[k].rc < 0) {
            *err = pt[k].err;
            return -1;
        }
    return 0;
}

/* ---------------------------- The sla:P order ---------------------------- */

static const sweep *order_sw;

/* objective_better's order for rows of equal standing: more won caught
 * (higher recall), fewer hand-offs, higher threshold, higher fit threshold. */
static int by_rank(const void *a, const void *b) {
    const sweep_row *x = &order_sw->rows[*(const size_t *)a], *y = &order_sw->rows[*(const size_t *)b];
    if (x->tp != y->tp) return x->tp > y->tp ? -1 : 1;
    long mx = x->tp + x->fp, my = y->tp + y->fp;
    if (mx != my) return mx < my ? -1 : 1;
    if (x->T != y->T) return x->T > y->T ? -1 : 1;
    if (x->F != y->F) return x->F > y->F ? -1 : 1;
    return 0;
}

static int feasible(const sweep *sw, size_t j) {
    const sales_row *r = &sw->sales[j];
    return r->done && r->q && !isnan(r->q->sla_attainment) && r->q->sla_attainment >= sw->obj_a;
}

/* Visit rows in rank order, a batch at a time, until the pick and the
 * runner-up are found, or the budget of rows is spent. */
static int sla_search(const sales *sa, sweep *sw, size_t budget, int nthreads, util_err *err) {
    size_t n = sw->nrows;
    size_t *ord = util_malloc(n * sizeof *ord + 1);
    if (!ord) return util_enomem(err);
    for (size_t j = 0; j < n; j++) ord[j] = j;
    order_sw = sw; /* qsort has no context: the sort runs on one thread at a time */
    qsort(ord, n, sizeof *ord, by_rank);
    sw->best = sw->runner_up = -1;
    /* a batch of a fixed size: which rows are visited (and so replayed)
     * must not depend on the threads */
    size_t at = 0, batch = 16;
    while (at < n && sw->runner_up < 0) {
        if (at >= budget) {
            sw->sales_cut = 1;
            break;
        }
        size_t m = n - at < batch ? n - at : batch;
        if (eval_rows(sa, sw, ord + at, m, nthreads, err) < 0) {
            free(ord);
            return -1;
        }
        for (size_t k = at; k < at + m && sw->runner_up < 0; k++) {
            if (!feasible(sw, ord[k])) continue;
            if (sw->best < 0) sw->best = (long)ord[k];
            else sw->runner_up = (long)ord[k];
        }
        at += m;
    }
    free(ord);
    return 0;
}

/* Single-axis rows too many to replay: rows ascend in threshold, recall
 * never rises with it, and fewer hand-offs rarely make the SLA worse, so the
 * first feasible row is found by bisection as if attainment rose with the
 * threshold (each row it visits is replayed exactly), then, among the rows
 * of the same recall, the last feasible one (fewest hand-offs) the same
 * way. The runner-up is the row before the pick in that run when feasible,
 * else the last row of the next lower recall when feasible. */
static int one(const sales *sa, sweep *sw, size_t j, int nthreads, util_err *err, int *ok) {
    if (eval_rows(sa, sw, &j, 1, nthreads, err) < 0) return -1;
    *ok = feasible(sw, j);
    return 0;
}

static int sla_bisect(const sales *sa, sweep *sw, int nthreads, util_err *err) {
    sw->best = sw->runner_up = -1;
    sw->sales_bisect = 1;
    long n = (long)sw->nrows, last = n - 1;
    while (last >= 0 && sw->rows[last].tp + sw->rows[last].fp == 0) last--;
    if (last < 0) return 0;
    int ok;
    if (one(sa, sw, (size_t)last, nthreads, err, &ok) < 0) return -1;
    if (!ok) return 0;
    long lo = -1, hi = last; /* hi feasible, lo not (or before the rows) */
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (one(sa, sw, (size_t)mid, nthreads, err, &ok) < 0) return -1;
        if (ok) hi = mid;
        else lo = mid;
    }
    long end = hi; /* the run of rows with hi's recall: [hi, end] */
    while (end + 1 <= last && sw->rows[end + 1].tp == sw->rows[hi].tp) end++;
    long a = hi, b = end + 1; /* a feasible; b not, or past the run */
    while (b - a > 1) {
        long mid = a + (b - a) / 2;
        if (one(sa, sw, (size_t)mid, nthreads, err, &ok) < 0) return -1;
        if (ok) a = mid;
        else b = mid;
    }
    sw->best = a;
    if (a > hi) {
        if (one(sa, sw, (size_t)(a - 1), nthreads, err, &ok) < 0) return -1;
        if (ok) sw->runner_up = a - 1;
    }
    if (sw->runner_up < 0 && end + 1 <= last) {
        long e2 = end + 1;
        while (e2 + 1 <= last && sw->rows[e2 + 1].tp == sw->rows[end + 1].tp) e2++;
        if (one(sa, sw, (size_t)e2, nthreads, err, &ok) < 0) return -1;
        if (ok) sw->runner_up = e2;
    }
    return 0;
}

double sweep_sales_fixed(const sweep *sw, size_t j) {
    if (sw->objective != SCENARIO_OBJ_SLA) return sw->rows[j].wp90;
    const sales_row *r = sw->sales ? &sw->sales[j] : NULL;
    return r && r->done && r->q ? r->q->sla_attainment : NAN;
}

/* ---------------------------- Driver ---------------------------- */

/* The rows sweep.md's table shows (as out_sweep.c chooses them). */
static size_t shown(const sweep *s, size_t max_rows, size_t *idx) {
    uint8_t *show = util_calloc(s->nrows + 1, 1);
    if (!show) return (size_t)-1;
    size_t want = max_rows > 8 ? max_rows - 8 : 1;
    for (size_t k = 0; s->nrows && k < want; k++)
        show[(s->nrows - 1) * k / (want > 1 ? want - 1 : 1)] = 1;
    long marks[2] = {s->best, s->runner_up};
    for (int m = 0; m < 2; m++) {
        if (marks[m] < 0) continue;
        for (long d = -3; d <= 3; d++) {
            long j = marks[m] + d * (long)s->nF;
            if (j >= 0 && (size_t)j < s->nrows) show[j] = 1;
        }
    }
    size_t n = 0;
    for (size_t j = 0; j < s->nrows; j++)
        if (show[j]) idx[n++] = j;
    free(show);
    return n;
}

/* With recycling every hand-off counts in the weekly figures (SPEC 5.6):
 * row W's mean, p90 and max over the cohort's weeks from its queue's weeks
 * (which cover them). V has room for the cohort's weeks. */
static void weekly_all(const sales *sa, sweep_row *w, const queue *q, double *v) {
    long n = sa->cohort_nweeks;
    if (n <= 0 || !q || q->nweeks == 0 || !w->nweeks) return;
    int64_t off = (sa->cohort_w0 - q->weeks[0].start) / (7 * TSTAMP_USEC_PER_DAY);
    long total = 0;
    for (long k = 0; k < n; k++) {
        int64_t i = off + k;
        long h = i >= 0 && (size_t)i < q->nweeks ? q->weeks[i].handoffs : 0;
        v[k] = (double)h;
        total += h;
    }
    gsl_sort(v, 1, (size_t)n);
    w->wmean = (double)total / (double)n;
    w->wp90 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)n, 0.9);
    w->wmax = v[n - 1];
}

/* The capacity pick again, on the weekly figures that count every hand-off. */
static void capacity_repick(sweep *sw) {
    objective_spec o;
    sweep_objective_of(sw, &o);
    objective_pick pk;
    objective_pick_init(&pk);
    for (size_t j = 0; j < sw->nrows; j++) {
        sweep_row *w = &sw->rows[j];
        w->objective = objective_value(&o, w->tp, w->fp, sw->won, w->wp90);
        objective_pick_offer(&pk, (long)j, w->objective, w->tp + w->fp, w->T, w->F);
    }
    sw->best = pk.best;
    sw->runner_up = pk.second;
}

int sweep_sales_run(const sales *sa, sweep *sw, size_t max_shown, int nthreads, util_err *err) {
    return sweep_sales_run_budget(sa, sw, max_shown, SWEEP_SALES_BUDGET, nthreads, err);
}

int sweep_sales_run_budget(const sales *sa, sweep *sw, size_t max_shown, double total,
                           int nthreads, util_err *err) {
    size_t n = sw->nrows;
    if (!(sw->sales = util_calloc(n + 1, sizeof *sw->sales))) return util_enomem(err);
    size_t *idx = util_malloc((n + 1) * sizeof *idx);
    if (!idx) return util_enomem(err);
    double leads = sw->leads > 0 ? (double)sw->leads : 1;
    int rc = 0;
    sw->sales_all = (double)n * leads <= total;
    if (sw->sales_all) {
        for (size_t j = 0; j < n; j++) idx[j] = j;
        rc = eval_rows(sa, sw, idx, n, nthreads, err);
    }
    int sla = sw->objective == SCENARIO_OBJ_SLA;
    if (rc == 0 && sla) {
        size_t budget = (size_t)(total / leads);
        if (budget < 64) budget = 64;
        if (sw->sales_all || sw->two_axis)
            rc = sla_search(sa, sw, sw->sales_all ? n : budget, nthreads, err);
        else
            rc = sla_bisect(sa, sw, nthreads, err);
    }
    if (rc == 0 && !sw->sales_all) {
        size_t m = shown(sw, max_shown, idx);
        rc = m == (size_t)-1 ? util_enomem(err) : eval_rows(sa, sw, idx, m, nthreads, err);
    }
    free(idx);
    if (rc < 0) return -1;
    sw->sales_done = 0;
    double *v = NULL;
    if (sa->sc->has_recycle && sa->cohort_nweeks > 0 &&
        !(v = util_malloc((size_t)sa->cohort_nweeks * sizeof *v)))
        return util_enomem(err);
    for (size_t j = 0; j < n; j++) {
        sw->sales_done += sw->sales[j].done;
        if (v && sw->sales[j].done) weekly_all(sa, &sw->rows[j], sw->sales[j].q, v);
        if (sla) {
            sweep_row *w = &sw->rows[j];
            w->objective = feasible(sw, j) ? sweep_recall(sw, w) : NAN;
        }
    }
    free(v);
    if (sw->sales_done == n) sw->sales_all = 1;
    /* capacity reads the weekly p90: with recycling it is re-made on every
     * hand-off, when every row has its queue */
    if (sw->objective == SCENARIO_OBJ_CAPACITY && sa->sc->has_recycle && sw->sales_all)
        capacity_repick(sw);
    return 0;
}
