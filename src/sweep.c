/* sweep.c - the threshold sweep: every class-changing threshold at once, and the pick.
 *
 * Rows. A lead that no fast track or rule qualifies is an MQL at threshold T
 * exactly when its best score reaches T, so the thresholds where some lead
 * changes class are the distinct best scores of such leads. Fast-tracked
 * leads are MQLs at every threshold.
 *
 * Workload. For T in (v[r-1], v[r]] a lead's MQL time is the time of its
 * staircase record r (or its fast time, when earlier). Sweeping T upward, a
 * lead moves to its next record each time T passes one of its record values;
 * so the records, bucketed by the row whose threshold first passes them,
 * drive a histogram of MQL weeks from the lowest threshold to the highest,
 * kept sorted as it changes, and each row reads its mean, 90th percentile
 * and maximum off it in O(1). The histogram's weeks are the cohort's
 * (metrics_cohort_weeks, SPEC 5.4), the same for every row, empty weeks
 * included. Records that leave their lead in the same week
 * move nothing and are dropped before they are bucketed. Runs of rows are
 * swept on separate threads, each from a state built directly from the
 * staircases.
 *
 * Each row's objective is computed where the row is, and each thread keeps
 * its own running pick (objective.h); the picks are merged at the end.
 *
 * Not here: the objectives and pick rules (objective.c), the sort
 * (radix.c), the bootstrap (boot.c, run on the result afterwards) and every
 * text written from a sweep (out_sweep.c). */
#include "sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "objective.h"
#include "radix.h"
#include "tstamp.h"

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

double sweep_precision(const sweep *s, const sweep_row *w) {
    (void)s;
    return ratio((double)w->tp, (double)(w->tp + w->fp));
}

double sweep_recall(const sweep *s, const sweep_row *w) {
    return ratio((double)w->tp, (double)s->won);
}

void sweep_objective_of(const sweep *s, objective_spec *o) {
    *o = (objective_spec){.kind = s->objective, .a = s->obj_a, .b = s->obj_b, .timed = s->timed,
                     .capacity = s->capacity};
}

/* ---------------------------- The sweep ---------------------------- */

/* A staircase record as a transition of the sweep: once the threshold is
 * above the record's value, its lead's MQL moves to week `week` (the next
 * record's, or the fast time's when earlier; -1: the lead is no longer an MQL). */
typedef struct trans {
    uint32_t lead;
    int32_t week;
} trans;

/* ---- The row at which each record's transition happens. ----
 * Row j applies the records with T[j-1] <= value < T[j]: the row of a value
 * is how many thresholds are at or below it. Rather than a binary search over
 * all thresholds, a value's bucket (a linear map of the thresholds' range,
 * monotone in the value) bounds the search to the thresholds of its bucket:
 * those of lower buckets are all below it, those of higher ones above. */
typedef struct rowmap {
    const double *T;
    size_t n;            /* thresholds, ascending */
    double lo, scale;
    size_t nb;           /* buckets */
    uint32_t *first;     /* nb + 1: index of the first threshold of each bucket */
} rowmap;

static size_t bucket_of(const rowmap *m, double v) {
    if (!(v > m->lo)) return 0;
    double x = (v - m->lo) * m->scale;
    return x >= (double)(m->nb - 1) ? m->nb - 1 : (size_t)x;
}

static int rowmap_init(rowmap *m, const double *T, size_t n) {
    m->T = T;
    m->n = n;
    m->nb = n < 4 ? 16 : n > ((size_t)1 << 20) ? (size_t)1 << 22 : 4 * n; /* at most 16 MB */
    m->lo = n ? T[0] : 0;
    double span = n ? T[n - 1] - T[0] : 0;
    m->scale = span > 0 && isfinite(span) ? (double)m->nb / span : 0;
    if (!(m->first = util_calloc(m->nb + 1, sizeof *m->first))) return -1;
    for (size_t i = 0; i < n; i++) m->first[bucket_of(m, T[i]) + 1]++;
    for (size_t b = 0; b < m->nb; b++) m->first[b + 1] += m->first[b];
    return 0;
}

/* Sort v[0..n) and keep its distinct values, *nout of them; buf and tmp
 * hold n keys each. */
static void distinct_keys(double *v, size_t n, size_t *nout, uint64_t *buf, uint64_t *tmp,
                          radix_ws *ws) {
    const uint64_t *sorted = radix_sort(buf, tmp, n, ws);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || sorted[i] != sorted[i - 1]) v[k++] = radix_value(sorted[i]);
    *nout = k;
}

static void distinct(double *v, size_t n, size_t *nout, uint64_t *buf, uint64_t *tmp,
                     radix_ws *ws) {
    for (size_t i = 0; i < n; i++) buf[i] = radix_key(v[i]);
    distinct_keys(v, n, nout, buf, tmp, ws);
}

/* The threshold axis's candidates on the threads, a slice of leads each:
 * the best score (as a sort key) and the fit of every lead that no fast
 * track or rule qualifies and that has a score. Counted first, so that each
 * slice then writes its own part in lead order. */
typedef struct axes_part {
    const replay *r;
    size_t lo, hi;     /* leads */
    size_t nfast, nv;  /* counted */
    size_t off;        /* where its candidates go */
    uint64_t *keys;
    double *fit;
} axes_part;

static void *axes_count(void *arg) {
    axes_part *a = arg;
    const replay *r = a->r;
    for (size_t i = a->lo; i < a->hi; i++) {
        if (r->fast[i] != TSTAMP_NONE) a->nfast++;
        else if (r->st_off[i] < r->st_off[i + 1]) a->nv++;
    }
    return NULL;
}

static void *axes_fill(void *arg) {
    axes_part *a = arg;
    const replay *r = a->r;
    size_t k = a->off;
    for (size_t i = a->lo; i < a->hi; i++) {
        if (r->fast[i] != TSTAMP_NONE || r->st_off[i] == r->st_off[i + 1]) continue;
        a->keys[k] = radix_key(r->st_val[r->st_off[i + 1] - 1]);
        a->fit[k++] = r->fit[i];
    }
    return NULL;
}

/* What the threads sweeping one fit group share. */
typedef struct group {
    sweep *s;
    const replay *r;
    const objective_spec *obj;
    const trans *tr;     /* the records' transitions, row by row */
    const size_t *rowoff; /* row j's transitions: tr[rowoff[j] .. rowoff[j+1]) */
    const double *Tax;
    size_t g;            /* fit group: column of the rows */
    double F;
    const uint8_t *elig; /* per lead: its staircase counts in this group */
    int64_t w0;          /* first week start */
    long W;              /* weeks of the histogram (at least one) */
    long nweeks;         /* the cohort's weeks: W, or 0 when it has none */
    const struct cstart *starts; /* the runs' start states, in slices of leads */
    int nstarts;
} group;

/* One thread's run of rows [j0, j1) of a group, with its own state.
 *
 * The weekly counts are kept sorted as well as by week, so that each row
 * reads its 90th percentile and maximum off fixed positions instead of
 * selecting them: sorted[] holds the counts in ascending order, at[p] is the
 * week whose count sits at position p and pos[w] the position of week w; the
 * counts equal to v occupy [lo[v], lo[v + 1]). A count changes by one at a
 * time, so a change swaps its week to the edge of its block and moves the
 * edge: O(1) per transition. */
typedef struct chunk {
    const group *gr;
    size_t j0, j1;
    int32_t *week;       /* per lead: current MQL week, -1 none */
    long *hist;          /* MQLs per week */
    long *sorted;        /* the W counts, ascending */
    int32_t *at, *pos;   /* position -> week, week -> position */
    uint32_t *lo;        /* nlo: first position of each count value */
    size_t nlo;          /* counts run from 0 to nlo - 2 (at most the cohort) */
    uint64_t *keys;      /* W: scratch for the first sort */
    objective_pick pick; /* among this thread's rows so far */
    int index;           /* of this run among the group's */
} chunk;

/* The state each run of rows starts from, for one slice of the leads: every
 * lead's MQL week once the thresholds below the run have passed its lower
 * records (written to the run's week array), and the slice's share of the
 * run's counts. The slices are built on the threads side by side and summed
 * into each run, so no thread walks every staircase. */
typedef struct cstart {
    const group *gr;
    chunk *ch;
    int nch;
    size_t lo, hi;       /* leads */
    long *hist;          /* nch * W: MQLs per week, per run */
    long *mqls, *tp;     /* nch each */
    util_fsum *amount;   /* nch: amounts of the won MQLs */
} cstart;

/* Week index of time t from the Monday w0 at or before every time swept. */
static int32_t week_of(int64_t w0, int timed, int64_t t) {
    if (t == TSTAMP_NONE) return -1;
    if (!timed) return 0; /* without time every MQL falls in one notional week */
    return (int32_t)((t - w0) / (7 * TSTAMP_USEC_PER_DAY));
}

static void swap_pos(chunk *c, size_t p, size_t q) {
    int32_t wp = c->at[p], wq = c->at[q];
    c->at[p] = wq;
    c->at[q] = wp;
    c->pos[wq] = (int32_t)p;
    c->pos[wp] = (int32_t)q;
}

static void week_inc(chunk *c, int32_t w) {
    long v = c->hist[w]++;
    size_t q = c->lo[v + 1] - 1; /* last position holding v */
    swap_pos(c, (size_t)c->pos[w], q);
    c->sorted[q] = v + 1;
    c->lo[v + 1] = (uint32_t)q;
}

static void week_dec(chunk *c, int32_t w) {
    long v = c->hist[w]--;
    size_t q = c->lo[v]; /* first position holding v */
    swap_pos(c, (size_t)c->pos[w], q);
    c->sorted[q] = v - 1;
    c->lo[v] = (uint32_t)(q + 1);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorted view of c->hist, built once per run of rows. keys holds W. */
static void weeks_sort(chunk *c, uint64_t *keys) {
    long W = c->gr->W;
    for (long w = 0; w < W; w++) keys[w] = (uint64_t)c->hist[w] << 32 | (uint64_t)w;
    qsort(keys, (size_t)W, sizeof *keys, cmp_u64);
    for (size_t v = 0; v < c->nlo; v++) c->lo[v] = (uint32_t)W;
    for (long p = W; p-- > 0;) {
        long v = (long)(keys[p] >> 32);
        int32_t w = (int32_t)(keys[p] & 0xffffffffu);
        c->sorted[p] = v;
        c->at[p] = w;
        c->pos[w] = (int32_t)p;
        c->lo[v] = (uint32_t)p;
    }
    /* a value no week holds starts where the next larger one does */
    for (size_t v = c->nlo - 1; v-- > 0;)
        if (c->lo[v] > c->lo[v + 1]) c->lo[v] = c->lo[v + 1];
}

/* Weekly workload of a row: over the cohort's weeks, the mean, the 90th
 * percentile (type 7, as GSL's quantile of sorted data) and the maximum,
 * read off the sorted counts. */
static void row_workload(const group *gr, chunk *c, sweep_row *w, long mqls) {
    w->nweeks = 0;
    w->wmean = w->wp90 = w->wmax = NAN;
    if (!gr->r->timed || gr->nweeks == 0) return;
    long n = gr->W;
    double index = 0.9 * (double)(n - 1);
    long lhs = (long)index;
    double delta = index - (double)lhs;
    double lo = (double)c->sorted[lhs];
    if (lhs == n - 1)
        w->wp90 = lo;
    else
        w->wp90 = (1 - delta) * lo + delta * (double)c->sorted[lhs + 1];
    w->nweeks = n;
    w->wmean = (double)mqls / (double)n;
    w->wmax = (double)c->sorted[n - 1];
}

/* Transitions between the prefetch of a lead's week and its use. */
#define SWEEP_AHEAD 16

/* The first lead at which the work of leads and records, st_off[i] + i,
 * reaches GOAL: slices cut there take about equal time, though early leads
 * have the longest histories. */
static size_t lead_at_work(const replay *r, size_t goal) {
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->st_off[mid] + mid < goal) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void *chunk_starts(void *arg) {
    cstart *cs = arg;
    const group *gr = cs->gr;
    const replay *r = gr->r;
    long W = gr->W;
    memset(cs->hist, 0, (size_t)cs->nch * (size_t)W * sizeof *cs->hist);
    for (int c = 0; c < cs->nch; c++) {
        cs->mqls[c] = cs->tp[c] = 0;
        util_fsum_init(&cs->amount[c]);
    }
    for (size_t i = cs->lo; i < cs->hi; i++) {
        size_t k = r->st_off[i], end = r->st_off[i + 1];
        for (int c = 0; c < cs->nch; c++) {
            chunk *ch = &cs->ch[c];
            double X = ch->j0 > 0 ? gr->Tax[ch->j0 - 1] : -INFINITY;
            int64_t t = r->fast[i];
            if (gr->elig[i]) {
                while (k < end && r->st_val[k] < X) k++; /* runs ascend: k only moves on */
                if (k < end && (t == TSTAMP_NONE || r->st_time[k] < t)) t = r->st_time[k];
            }
            int32_t wk = week_of(gr->w0, r->timed, t);
            ch->week[i] = wk;
            if (wk < 0) continue;
            if (r->timed) cs->hist[(size_t)c * (size_t)W + (size_t)wk]++;
            cs->mqls[c]++;
            if (r->won[i]) {
                cs->tp[c]++;
                if (!isnan(r->amount[i])) util_fsum_add(&cs->amount[c], r->amount[i]);
            }
        }
    }
    return NULL;
}

/* Sweep rows [j0, j1) of a group, from the state chunk_starts built for it,
 * so runs of rows need not wait for each other. */
static void *sweep_chunk(void *arg) {
    chunk *c = arg;
    const group *gr = c->gr;
    const replay *r = gr->r;
    sweep *s = gr->s;
    long mqls = 0, tp = 0;
    util_fsum tp_amount;
    util_fsum_init(&tp_amount);
    memset(c->hist, 0, (size_t)gr->W * sizeof *c->hist);
    for (int q = 0; q < gr->nstarts; q++) {
        const cstart *cs = &gr->starts[q];
        const long *h = cs->hist + (size_t)c->index * (size_t)gr->W;
        for (long w = 0; w < gr->W; w++) c->hist[w] += h[w];
        mqls += cs->mqls[c->index];
        tp += cs->tp[c->index];
        util_fsum_merge(&tp_amount, &cs->amount[c->index]);
    }
    util_prefault(s->rows + c->j0 * s->nF, (c->j1 - c->j0) * s->nF * sizeof *s->rows);
    if (r->timed) weeks_sort(c, c->keys);
    const sweep_row *prev = NULL;
    double tp_value = NAN; /* util_fsum_value(&tp_amount), NaN when it must be recomputed */
    size_t p = gr->rowoff[c->j0], p_end = gr->rowoff[c->j1];
    for (size_t j = c->j0; j < c->j1; j++) {
        double T = gr->Tax[j];
        int moved = 0;
        for (size_t end = gr->rowoff[j + 1]; p < end; p++) {
            /* the leads come in no order: fetch ahead of use */
            if (p + SWEEP_AHEAD < p_end) __builtin_prefetch(&c->week[gr->tr[p + SWEEP_AHEAD].lead], 1);
            size_t i = gr->tr[p].lead;
            if (!gr->elig[i]) continue;
            moved = 1;
            int32_t old = c->week[i], wk = gr->tr[p].week;
            if (old >= 0 && r->timed) week_dec(c, old);
            if (wk < 0 && old >= 0) {
                mqls--;
                if (r->won[i]) {
                    tp--;
                    if (!isnan(r->amount[i])) util_fsum_add(&tp_amount, -r->amount[i]), tp_value = NAN;
                }
            }
            c->week[i] = wk;
            if (wk >= 0 && r->timed) week_inc(c, wk);
        }
        sweep_row *w = &s->rows[j * s->nF + gr->g];
        w->T = T;
        w->F = gr->F;
        w->tp = tp;
        w->fp = mqls - tp;
        if (isnan(tp_value)) tp_value = util_fsum_value(&tp_amount);
        w->tp_amount = tp_value;
        w->same_as_prev = j > 0 && !moved;
        if (prev && !moved) { /* same MQL weeks as the row before */
            w->nweeks = prev->nweeks;
            w->wmean = prev->wmean;
            w->wp90 = prev->wp90;
            w->wmax = prev->wmax;
        } else {
            row_workload(gr, c, w, mqls);
        }
        w->objective = objective_value(gr->obj, w->tp, w->fp, s->won, w->wp90);
        w->p_lo = w->p_hi = w->r_lo = w->r_hi = NAN;
        objective_pick_offer(&c->pick, (long)(j * s->nF + gr->g), w->objective, w->tp + w->fp,
                             w->T, w->F);
        prev = w;
    }
    return NULL;
}

/* Bucketing the transitions by row, on several threads: each counts the
 * rows of its leads' records, the counts give every (row, thread) its place,
 * and each writes its transitions there in record order. Within a row a
 * lead's transitions stay in staircase order, and the result is the same
 * whatever the number of threads. */
typedef struct tbuild {
    const replay *r;
    const rowmap *m;
    uint32_t *row;   /* per record: its row (m->n: above every threshold, never applied) */
    size_t *count;   /* m->n + 1: records per row, then write positions */
    trans *out;
    size_t lo, hi;   /* leads */
    int64_t w0;
} tbuild;

/* The week a lead's MQL moves to when the threshold passes its record k
 * (its next record's, or the fast time's when earlier; -1: no longer an MQL),
 * and the week it is in before. */
static int32_t week_after(const tbuild *b, size_t k, size_t end, int64_t fast) {
    const replay *r = b->r;
    if (k + 1 < end && (fast == TSTAMP_NONE || r->st_time[k + 1] < fast))
        return week_of(b->w0, r->timed, r->st_time[k + 1]);
    return week_of(b->w0, r->timed, fast);
}

static int32_t week_at(const tbuild *b, size_t k, int64_t fast) {
    int64_t t = b->r->st_time[k];
    return week_of(b->w0, b->r->timed, fast != TSTAMP_NONE && fast < t ? fast : t);
}

/* A record whose transition keeps its lead in the same week changes no
 * count of any row: it gets no row (m->n) and is never applied. Bursts of
 * activity make most records such (three in four at a million leads);
 * skipping them before the row search saves most of the sweep's memory
 * traffic. A row is then "the same as the one before" when no lead changed
 * week or class, which is what the bootstrap needs (same MQLs, same weekly
 * counts).
 *
 * The row search is bound by memory latency (a bucket, then a threshold, then
 * a count, each a likely cache miss), so the kept records are searched in
 * batches: every step of the batch is prefetched before the next is taken,
 * and the misses of a batch overlap instead of following one another. */
#define ROW_BATCH 32
#define ROW_PENDING UINT32_MAX /* kept, row not searched yet */

static void rows_batch(tbuild *b, const size_t *idx, size_t n) {
    const rowmap *m = b->m;
    const double *val = b->r->st_val;
    size_t bk[ROW_BATCH], lo[ROW_BATCH], hi[ROW_BATCH];
    for (size_t q = 0; q < n; q++) {
        bk[q] = bucket_of(m, val[idx[q]]);
        __builtin_prefetch(&m->first[bk[q]]);
    }
    for (size_t q = 0; q < n; q++) {
        lo[q] = m->first[bk[q]];
        hi[q] = m->first[bk[q] + 1];
        __builtin_prefetch(&m->T[lo[q] + (hi[q] - lo[q]) / 2]);
    }
    for (size_t q = 0; q < n; q++) {
        double v = val[idx[q]];
        size_t l = lo[q], h = hi[q];
        while (l < h) { /* thresholds of the bucket at or below v */
            size_t mid = l + (h - l) / 2;
            if (m->T[mid] <= v) l = mid + 1;
            else h = mid;
        }
        b->row[idx[q]] = (uint32_t)l;
        __builtin_prefetch(&b->count[l], 1);
    }
    for (size_t q = 0; q < n; q++) b->count[b->row[idx[q]]]++;
}

static void *count_rows(void *arg) {
    tbuild *b = arg;
    const replay *r = b->r;
    uint32_t none = (uint32_t)b->m->n;
    memset(b->count, 0, (b->m->n + 1) * sizeof *b->count);
    util_prefault(b->row + r->st_off[b->lo], (r->st_off[b->hi] - r->st_off[b->lo]) * sizeof *b->row);
    size_t idx[ROW_BATCH], nidx = 0, skipped = 0;
    for (size_t i = b->lo; i < b->hi; i++) {
        size_t end = r->st_off[i + 1];
        int64_t fast = r->fast[i];
        int32_t cur = r->st_off[i] < end ? week_at(b, r->st_off[i], fast) : -1;
        for (size_t k = r->st_off[i]; k < end; k++) {
            int32_t next = week_after(b, k, end, fast);
            if (next == cur) {
                b->row[k] = none;
                skipped++;
            } else {
                b->row[k] = ROW_PENDING;
                idx[nidx++] = k;
                if (nidx == ROW_BATCH) rows_batch(b, idx, nidx), nidx = 0;
            }
            cur = next;
        }
    }
    rows_batch(b, idx, nidx);
    b->count[none] += skipped;
    return NULL;
}

static void *place_rows(void *arg) {
    tbuild *b = arg;
    const replay *r = b->r;
    for (size_t i = b->lo; i < b->hi; i++) {
        size_t end = r->st_off[i + 1];
        int64_t fast = r->fast[i];
        for (size_t k = r->st_off[i]; k < end; k++) {
            if (b->row[k] >= b->m->n) continue;
            trans *t = &b->out[b->count[b->row[k]]++];
            t->lead = (uint32_t)i;
            t->week = week_after(b, k, end, fast);
        }
    }
    return NULL;
}

/* ---------------------------- Driver ---------------------------- */

/* A sweep of R under SC's objective, on NTH threads, with no rows yet. */
static sweep *sweep_new(const replay *r, const scenario *sc, int nth) {
    sweep *s = util_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->two_axis = r->two_axis;
    s->threads = nth;
    s->timed = r->timed;
    s->has_amount = r->has_amount;
    s->leads = (long)r->n;
    s->won = r->nwon;
    s->won_amount = r->won_amount;
    s->objective = sc->objective;
    s->obj_a = sc->obj_a;
    s->obj_b = sc->obj_b;
    s->capacity = objective_capacity(sc);
    s->best = s->runner_up = -1;
    s->choice_T_lo = s->choice_T_hi = s->choice_F_lo = s->choice_F_hi = NAN;
    s->stability = NAN;
    return s;
}

/* The axes: Tax[0 .. s->nT) the distinct best scores of the leads that no
 * fast track or rule qualifies, Fax[0 .. s->nF) in two-axis mode the
 * distinct fits of those leads (else nF is 1); s->fast on the way. Tax and
 * Fax hold r->n each. Returns 0, or -1 with err. */
static int make_axes(sweep *s, const replay *r, int nth, double *Tax, double *Fax,
                     util_err *err) {
    size_t n = r->n, nv = 0;
    if (n > UINT32_MAX)
        return util_errf(err, UTIL_EINTERNAL, "too many leads to sweep (%zu)", n);
    uint64_t *keys = util_malloc(n * sizeof *keys + 1);
    uint64_t *tmp = keys ? util_malloc(n * sizeof *tmp + 1) : NULL;
    radix_ws *rs = tmp ? radix_ws_alloc(nth) : NULL;
    if (!rs) {
        free(keys);
        free(tmp);
        return util_enomem(err);
    }
    axes_part ap[UTIL_MAX_THREADS];
    int nap = n < 65536 ? 1 : nth;
    for (int k = 0; k < nap; k++)
        ap[k] = (axes_part){.r = r, .lo = n * (size_t)k / (size_t)nap,
                            .hi = n * (size_t)(k + 1) / (size_t)nap, .keys = keys, .fit = Fax};
    util_parallel(axes_count, ap, sizeof *ap, nap);
    for (int k = 0; k < nap; k++) {
        ap[k].off = nv;
        nv += ap[k].nv;
        s->fast += (long)ap[k].nfast;
    }
    util_parallel(axes_fill, ap, sizeof *ap, nap);
    distinct_keys(Tax, nv, &s->nT, keys, tmp, rs);
    if (r->two_axis) distinct(Fax, nv, &s->nF, keys, tmp, rs);
    else s->nF = 1;
    free(keys);
    free(tmp);
    radix_ws_free(rs);
    if (s->nT == 0) s->nF = 0;
    return 0;
}

/* The histogram's weeks: the cohort's (metrics_cohort_weeks), which hold
 * every time any threshold can produce; the first Monday *w0 and *W weeks,
 * one notional week without time or when the cohort has no week (then
 * there is no MQL time either). Returns the cohort's weeks. */
static long week_span(const replay *r, int64_t *w0, long *W) {
    long n = metrics_cohort_weeks(r, w0);
    *W = n > 0 ? n : 1;
    return n;
}

/* Every record's transition, bucketed by the row that applies it: row j's
 * are (*tr)[(*rowoff)[j] .. (*rowoff)[j + 1]); rowoff has s->nT + 2 entries.
 * Returns 0, or -1 with err (memory); *tr and *rowoff are the caller's to
 * free either way. */
static int bucket_records(const sweep *s, const replay *r, const double *Tax, int nth,
                          int64_t w0, trans **tr, size_t **rowoff, util_err *err) {
    size_t n = r->n;
    rowmap rm = {0};
    tbuild tb[UTIL_MAX_THREADS];
    memset(tb, 0, sizeof tb);
    uint32_t *row = NULL;
    int rc = -1;
    if (rowmap_init(&rm, Tax, s->nT) < 0 || !(row = util_malloc(r->nst * sizeof *row + 1)) ||
        !(*rowoff = util_malloc((s->nT + 2) * sizeof **rowoff)))
        goto done;
    size_t next = 0;
    for (int k = 0; k < nth; k++) { /* slices of about equal records */
        size_t lo = next, goal = r->nst / (size_t)nth * (size_t)(k + 1);
        if (k == nth - 1) next = n;
        while (next < n && r->st_off[next] < goal) next++;
        tb[k] = (tbuild){.r = r, .m = &rm, .row = row, .lo = lo, .hi = next, .w0 = w0};
        if (!(tb[k].count = util_malloc((s->nT + 1) * sizeof *tb[k].count))) goto done;
    }
    util_parallel(count_rows, tb, sizeof *tb, nth);
    util_timing("sweep: the row of each record");
    size_t at = 0, *off = *rowoff;
    for (size_t j = 0; j <= s->nT; j++) {
        off[j] = at;
        for (int k = 0; k < nth; k++) {
            size_t c = tb[k].count[j];
            tb[k].count[j] = at;
            at += c;
        }
    }
    off[s->nT + 1] = at;
    if (!(*tr = util_malloc(off[s->nT] * sizeof **tr + 1))) goto done;
    for (int k = 0; k < nth; k++) tb[k].out = *tr;
    util_parallel(place_rows, tb, sizeof *tb, nth);
    util_timing("sweep: records by row");
    rc = 0;
done:
    if (rc < 0) util_enomem(err);
    free(row);
    free(rm.first);
    for (int k = 0; k < nth; k++) free(tb[k].count);
    return rc;
}

/* The threads' states: nch runs of rows, nst slices of leads for their
 * start states. */
typedef struct runs {
    chunk *ch;
    int nch;
    cstart *cst;
    int nst;
} runs;

static void runs_free(runs *u) {
    for (int k = 0; u->ch && k < u->nch; k++) {
        chunk *c = &u->ch[k];
        free(c->week), free(c->hist), free(c->sorted), free(c->at), free(c->pos), free(c->keys);
        free(c->lo);
    }
    free(u->ch);
    for (int k = 0; u->cst && k < u->nst; k++)
        free(u->cst[k].hist), free(u->cst[k].mqls), free(u->cst[k].tp), free(u->cst[k].amount);
    free(u->cst);
}

/* States for n leads over W weeks: a run of rows per thread when there are
 * enough rows (nT) to share. Returns 0, or -1 (memory; runs_free frees what
 * was made). */
static int runs_alloc(runs *u, size_t n, long W, size_t nT, int nth) {
    int nch = u->nch = nT >= 4096 ? nth : 1;
    if (!(u->ch = util_calloc((size_t)nch, sizeof *u->ch))) return -1;
    for (int k = 0; k < nch; k++) {
        chunk *c = &u->ch[k];
        if (!(c->week = util_malloc(n * sizeof *c->week + 1)) ||
            !(c->hist = util_malloc((size_t)W * sizeof *c->hist)) ||
            !(c->sorted = util_malloc((size_t)W * sizeof *c->sorted)) ||
            !(c->at = util_malloc((size_t)W * sizeof *c->at)) ||
            !(c->pos = util_malloc((size_t)W * sizeof *c->pos)) ||
            !(c->keys = util_malloc((size_t)W * sizeof *c->keys)) ||
            !(c->lo = util_malloc((n + 2) * sizeof *c->lo)))
            return -1;
    }
    for (int k = 0; k < nch; k++) {
        u->ch[k].nlo = n + 2;
        u->ch[k].index = k;
        objective_pick_init(&u->ch[k].pick);
    }
    /* Slices for the start states: one per thread, fewer when weeks are so
     * many that their histograms would not be small. */
    int nst = nth;
    while (nst > 1 && (double)nst * nch * (double)W > (double)(1 << 22)) nst--;
    if (!(u->cst = util_calloc((size_t)nst, sizeof *u->cst))) return -1;
    u->nst = nst;
    for (int k = 0; k < nst; k++) {
        cstart *c = &u->cst[k];
        if (!(c->hist = util_malloc((size_t)nch * (size_t)W * sizeof *c->hist)) ||
            !(c->mqls = util_malloc((size_t)nch * sizeof *c->mqls)) ||
            !(c->tp = util_malloc((size_t)nch * sizeof *c->tp)) ||
            !(c->amount = util_malloc((size_t)nch * sizeof *c->amount)))
            return -1;
    }
    return 0;
}

/* Sweep the rows of fit group gr->g on the runs' threads. */
static void sweep_group(runs *u, group *gr) {
    const sweep *s = gr->s;
    const replay *r = gr->r;
    size_t n = r->n;
    chunk *ch = u->ch;
    /* Runs of about equal work: a row costs about as much as forty
     * transitions (measured: its figures are read off in O(1), but its
     * objective is computed and its 128 bytes are written to fresh
     * memory). */
    double per_row = 40, total = (double)gr->rowoff[s->nT] + per_row * (double)s->nT;
    size_t j = 0;
    for (int k = 0; k < u->nch; k++) {
        ch[k].gr = gr;
        ch[k].j0 = j;
        double goal = total * (double)(k + 1) / (double)u->nch;
        if (k == u->nch - 1) j = s->nT;
        while (j < s->nT && (double)gr->rowoff[j + 1] + per_row * (double)(j + 1) <= goal) j++;
        ch[k].j1 = j;
    }
    for (int k = 0; k < u->nst; k++) {
        cstart *c = &u->cst[k];
        c->gr = gr;
        c->ch = ch;
        c->nch = u->nch;
        c->lo = k == 0 ? 0 : u->cst[k - 1].hi;
        c->hi = k == u->nst - 1 ? n
                                : lead_at_work(r, (r->nst + n) / (size_t)u->nst * (size_t)(k + 1));
    }
    gr->starts = u->cst;
    gr->nstarts = u->nst;
    util_parallel(chunk_starts, u->cst, sizeof *u->cst, u->nst);
    util_parallel(sweep_chunk, ch, sizeof *ch, u->nch);
}

int sweep_run(const replay *r, const scenario *sc, const sweep_opts *o, sweep **out,
              util_err *err) {
    int nth = o->threads < 1 ? 1 : o->threads > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : o->threads;
    sweep *s = sweep_new(r, sc, nth);
    if (!s) return util_enomem(err);
    size_t n = r->n;
    double *Tax = util_malloc(n * sizeof *Tax + 1), *Fax = util_malloc(n * sizeof *Fax + 1);
    trans *tr = NULL;
    size_t *rowoff = NULL;
    uint8_t *elig = NULL;
    runs u = {0};
    objective_spec obj;
    sweep_objective_of(s, &obj);
    int rc = -1;
    if (!Tax || !Fax) goto nomem;

    /* Axes. */
    if (make_axes(s, r, nth, Tax, Fax, err) < 0) goto fail;
    util_timing("sweep: thresholds");
    s->nrows = s->nT * s->nF;
    if (!(s->rows = util_calloc(s->nrows + 1, sizeof *s->rows))) goto nomem;

    /* Eligibility per fit group: the staircase counts (fit >= F). */
    if (!(elig = util_malloc((s->nF ? s->nF : 1) * n + 1))) goto nomem;
    for (size_t g = 0; g < s->nF; g++)
        for (size_t i = 0; i < n; i++)
            elig[g * n + i] = r->st_off[i] < r->st_off[i + 1] && (!r->two_axis || r->fit[i] >= Fax[g]);

    int64_t w0;
    long W, nweeks = week_span(r, &w0, &W);
    if (bucket_records(s, r, Tax, nth, w0, &tr, &rowoff, err) < 0) goto fail;

    /* Each group's rows in runs, one per thread. */
    if (runs_alloc(&u, n, W, s->nT, nth) < 0) goto nomem;
    for (size_t g = 0; g < s->nF; g++) {
        group gr = {.s = s, .r = r, .obj = &obj, .tr = tr, .rowoff = rowoff, .Tax = Tax, .g = g,
                    .F = r->two_axis ? Fax[g] : NAN, .elig = elig + g * n, .w0 = w0, .W = W, .nweeks = nweeks};
        sweep_group(&u, &gr);
    }
    util_timing("sweep: rows");

    /* The pick on the full data, from the threads' picks (each row's
     * objective was computed where the row was). */
    objective_pick all;
    objective_pick_init(&all);
    for (int k = 0; k < u.nch; k++) objective_pick_merge(&all, &u.ch[k].pick);
    s->best = all.best;
    s->runner_up = all.second;
    rc = 0;
    *out = s;
    s = NULL;
    goto fail;
nomem:
    util_enomem(err);
fail:
    free(Tax);
    free(Fax);
    free(tr);
    free(rowoff);
    free(elig);
    runs_free(&u);
    sweep_free(s);
    return rc;
}

void sweep_free(sweep *s) {
    if (!s) return;
    util_release(s->rows, s->nrows * sizeof *s->rows, s->threads);
    free(s->rows);
    for (size_t j = 0; s->sales && j < s->nrows; j++) sales_row_fini(&s->sales[j]);
    free(s->sales);
    free(s);
}
