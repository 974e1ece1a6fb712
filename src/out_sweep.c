/* out_sweep.c - what `leadsim sweep` writes: sweep.csv, the recommendation, sweep.md.
 *
 * The sweep engine (sweep.c, boot.c) leaves a struct of numbers; every word
 * and every digit of its results is written here: sweep.csv by a pipeline of
 * threads that format blocks of rows and write them in order, the
 * recommendation paragraph (or why there is none), the readable subset of
 * rows as a Markdown table, and the whole of sweep.md and of the text on
 * stdout. Not for: choosing the rows or the pick (sweep.c, objective.c), or
 * the files and plots themselves (outdir.c, charts.c). */
#include "out_sweep.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "csvread.h"
#include "md.h"
#include "metrics.h"
#include "objective.h"
#include "out_scn.h"
#include "out_sql.h"

/* ---------------------------- sweep.csv ---------------------------- */

/* Interval bounds are kept as floats (see tails): 7 significant digits are
 * all they hold, so no more are printed. */
static char *put_num7(char *p, double v) {
    *p++ = ',';
    if (!isnan(v)) p += snprintf(p, 32, "%.7g", v);
    return p;
}

typedef struct csv_slice {
    const sweep *s;
    const char *name;
    size_t lo, hi;
    util_buf out;
} csv_slice;

/* Writing numbers in their shortest form is most of the cost of a large
 * sweep, so each line is built in a local buffer (27 fields of at most 32
 * bytes) and appended once. */
static void *csv_rows(void *arg) {
    csv_slice *c = arg;
    const sweep *s = c->s;
    util_buf *b = &c->out;
    util_buf name;
    util_buf_init(&name);
    csvread_write_field(&name, c->name, strlen(c->name), 1);
    char line[2048]; /* every field at its widest, with the queue and SQL columns */
    for (size_t j = c->lo; j < c->hi && !name.failed; j++) {
        const sweep_row *w = &s->rows[j];
        csvout_contract cc;
        csvout_contract_of_counts(&cc, w->T, s->two_axis ? w->F : NAN, s->leads, s->won, w->tp,
                                  w->fp, w->tp_amount, s->won_amount);
        char *p = csvout_put_contract(line, &cc);
        if (w->nweeks) p = csvout_put_long(p, w->nweeks);
        else *p++ = ',';
        p = csvout_put_num(p, w->wmean);
        p = csvout_put_num(p, w->wp90);
        p = csvout_put_num(p, w->wmax);
        p = put_num7(p, w->p_lo);
        p = put_num7(p, w->p_hi);
        p = put_num7(p, w->r_lo);
        p = put_num7(p, w->r_hi);
        p = csvout_put_num(p, w->objective);
        if (s->nboot) p = csvout_put_long(p, w->chosen);
        else *p++ = ',';
        const char *pick_text = (long)j == s->best ? ",recommended"
                                : (long)j == s->runner_up ? ",runner-up" : ",";
        size_t k = strlen(pick_text);
        memcpy(p, pick_text, k);
        p += k;
        if (s->sales) p = out_scn_put_sales(p, &s->sales[j]);
        if (s->sql) p = out_sql_put(p, &s->sql[j]);
        *p++ = '\n';
        util_buf_append(b, name.data, name.len);
        util_buf_append(b, line, (size_t)(p - line));
    }
    if (name.failed) b->failed = 1;
    util_buf_fini(&name);
    return NULL;
}

/* The threads writing sweep.csv: each takes the next block of rows not yet
 * taken, formats it into its own reused buffer, waits for the block before
 * it to be written, writes its own and takes another. So formatting overlaps
 * writing, the text is the same whatever the number of threads (or how many
 * of them could start), and only one block per thread is ever held. */
enum { CSV_BLOCK = 4096 };

typedef struct csv_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t taken;    /* blocks taken so far */
    size_t next;     /* the block whose turn it is to be written */
    int failed;      /* a write or an allocation failed: everyone stops */
    out_sweep_sink emit;
    void *ctx;
} csv_pipe;

typedef struct csv_worker_ctx {
    csv_pipe *pipe;
    csv_slice sl;
    size_t nblocks;
} csv_worker_ctx;

static void *csv_worker(void *arg) {
    /* its own copy: the contexts sit side by side, and the buffer's length
     * changes at every line */
    csv_worker_ctx mine = *(csv_worker_ctx *)arg, *w = &mine;
    csv_pipe *pp = w->pipe;
    const sweep *s = w->sl.s;
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        size_t b = pp->failed ? w->nblocks : pp->taken++;
        pthread_mutex_unlock(&pp->mu);
        if (b >= w->nblocks) break;
        w->sl.lo = b * CSV_BLOCK;
        w->sl.hi = w->sl.lo + CSV_BLOCK < s->nrows ? w->sl.lo + CSV_BLOCK : s->nrows;
        w->sl.out.len = 0;
        csv_rows(&w->sl);
        pthread_mutex_lock(&pp->mu);
        while (pp->next != b && !pp->failed) pthread_cond_wait(&pp->cv, &pp->mu);
        int stop = pp->failed;
        pthread_mutex_unlock(&pp->mu);
        /* Its turn: no other thread writes until next moves on, so the write
         * needs no lock, and the others can take and format blocks meanwhile. */
        if (!stop && (w->sl.out.failed ||
                      (w->sl.out.len && pp->emit(pp->ctx, w->sl.out.data, w->sl.out.len) < 0)))
            stop = 1;
        pthread_mutex_lock(&pp->mu);
        if (stop) pp->failed = 1;
        pp->next = b + 1;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
        if (stop) break;
    }
    *(csv_worker_ctx *)arg = mine;
    return NULL;
}

int out_sweep_csv_to(const sweep *s, const char *name, int threads, out_sweep_sink emit,
                     void *ctx) {
    static const char head[] =
        CSVOUT_CONTRACT_COLS ",handoff_weeks,weekly_mean,weekly_p90,weekly_max,"
        "precision_lo,precision_hi,recall_lo,recall_hi,objective,bootstrap_chosen,pick";
    if (emit(ctx, head, sizeof head - 1) < 0) return -1;
    if (s->sales && emit(ctx, OUT_SCN_SALES_HEADER, strlen(OUT_SCN_SALES_HEADER)) < 0) return -1;
    if (s->sql && emit(ctx, OUT_SQL_COLS, sizeof OUT_SQL_COLS - 1) < 0) return -1;
    if (emit(ctx, "\n", 1) < 0) return -1;
    size_t nblocks = (s->nrows + CSV_BLOCK - 1) / CSV_BLOCK;
    int n = threads < 1 ? 1 : threads > 16 ? 16 : threads;
    if (nblocks < 2) n = 1;
    csv_pipe pp = {.emit = emit, .ctx = ctx};
    csv_worker_ctx w[16];
    if (pthread_mutex_init(&pp.mu, NULL) != 0) return -1;
    if (pthread_cond_init(&pp.cv, NULL) != 0) {
        pthread_mutex_destroy(&pp.mu);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        w[k] = (csv_worker_ctx){.pipe = &pp, .sl = {.s = s, .name = name}, .nblocks = nblocks};
        util_buf_init(&w[k].sl.out);
    }
    util_parallel(csv_worker, w, sizeof *w, n);
    for (int k = 0; k < n; k++) util_buf_fini(&w[k].sl.out);
    pthread_cond_destroy(&pp.cv);
    pthread_mutex_destroy(&pp.mu);
    return pp.failed || pp.next < nblocks ? -1 : 0;
}

static int to_buf(void *ctx, const char *data, size_t len) {
    util_buf *b = ctx;
    util_buf_append(b, data, len);
    return b->failed ? -1 : 0;
}

void out_sweep_csv(util_buf *b, const sweep *s, const char *name, int threads) {
    if (out_sweep_csv_to(s, name, threads, to_buf, b) < 0) b->failed = 1;
}

/* ---------------------------- The recommendation ---------------------------- */

void out_sweep_verdict(util_buf *b, const sweep *s) {
    if (s->best >= 0) return;
    double bestP = NAN, bestR = NAN, maxp90 = NAN;
    for (size_t j = 0; j < s->nrows; j++) {
        double P = sweep_precision(s, &s->rows[j]), R = sweep_recall(s, &s->rows[j]);
        if (!isnan(P) && (isnan(bestP) || P > bestP)) bestP = P;
        if (!isnan(R) && (isnan(bestR) || R > bestR)) bestR = R;
        if (!isnan(s->rows[j].wp90) && (isnan(maxp90) || s->rows[j].wp90 < maxp90)) maxp90 = s->rows[j].wp90;
    }
    if (s->nrows == 0) {
        util_buf_printf(b,
                 "No threshold changes any lead's class (every lead is qualified by fast "
                 "track or a rule, or none has a score), so there is nothing to choose.");
        return;
    }
    /* a target against a ratio that no row defines: undefined, not "nan" */
    int kind = s->objective;
    if ((kind == SCENARIO_OBJ_PRECISION_AT_LEAST && isnan(bestP)) ||
        (kind == SCENARIO_OBJ_RECALL_AT_LEAST && isnan(bestR)))
        kind = SCENARIO_OBJ_F1;
    switch (kind) {
    case SCENARIO_OBJ_PRECISION_AT_LEAST:
        util_buf_printf(b,
                 "No threshold reaches precision %.4g: the best precision of any row is %.4g. "
                 "No threshold is recommended; lower the target or change the weights.",
                 s->obj_a, bestP);
        return;
    case SCENARIO_OBJ_RECALL_AT_LEAST:
        util_buf_printf(b,
                 "No threshold reaches recall %.4g: the best recall of any row is %.4g. No "
                 "threshold is recommended.",
                 s->obj_a, bestR);
        return;
    case SCENARIO_OBJ_CAPACITY:
        if (!s->timed)
            util_buf_printf(b,
                     "The capacity objective needs timestamps to count hand-offs per week, and "
                     "this dataset has none. No threshold is recommended.");
        else
            util_buf_printf(b,
                     "No threshold keeps the 90th percentile of weekly hand-offs within the "
                     "team's capacity of %.4g a week: the lowest is %.4g. No threshold is "
                     "recommended; raise capacity or tighten the definition.",
                     s->capacity, maxp90);
        return;
    case SCENARIO_OBJ_SLA: {
        double best_att = NAN;
        for (size_t j = 0; s->sales && j < s->nrows; j++) {
            const sales_row *r = &s->sales[j];
            if (r->done && !isnan(r->q->sla_attainment) &&
                (isnan(best_att) || r->q->sla_attainment > best_att))
                best_att = r->q->sla_attainment;
        }
        if (!s->timed || isnan(best_att))
            util_buf_printf(b, "No threshold has SLA figures (no time in the data, or no "
                               "hand-off), so no threshold is recommended.");
        else
            util_buf_printf(b,
                     "No threshold follows up %.4g of its hand-offs within the SLA: the best "
                     "share of any row replayed is %.4g. No threshold is recommended; add reps "
                     "or follow-ups, or tighten the definition.",
                     s->obj_a, best_att);
        return;
    }
    default:
        util_buf_printf(b,
                 "The objective is undefined at every threshold (no won deals, or no "
                 "hand-offs), so no threshold is recommended.");
    }
}

/* An objective's value for reading: ratios to 3 decimals, money whole. */
static void obj_num(util_buf *b, double v) {
    if (fabs(v) < 100) util_buf_printf(b, "%.3f", v);
    else md_count(b, lround(v));
}

/* Significant digits that tell the pick, the runner-up and their
 * neighbouring rows apart (md.h's rule). */
static int pick_sig(const sweep *s) {
    double v[12];
    size_t n = 0;
    long marks[2] = {s->best, s->runner_up};
    for (int m = 0; m < 2; m++)
        for (long d = -1; d <= 1 && marks[m] >= 0; d++) {
            long j = marks[m] + d * (long)s->nF;
            if (j < 0 || (size_t)j >= s->nrows) continue;
            v[n++] = s->rows[j].T;
            if (s->two_axis) v[n++] = s->rows[j].F;
        }
    return md_thr_sig(v, n);
}

/* Emphasis only in Markdown: the terminal shows the words alone. */
static void strong(util_buf *b, int plain) {
    if (!plain) util_buf_puts(b, "**");
}

static void thr_text(util_buf *b, const sweep *s, const sweep_row *w, int sig) {
    md_thr(b, w->T, sig);
    if (s->two_axis) {
        util_buf_puts(b, " with fit threshold ");
        md_thr(b, w->F, sig);
    }
}

static void row_facts(util_buf *b, const sweep *s, const sweep_row *w) {
    long mqls = w->tp + w->fp;
    double P = sweep_precision(s, w), R = sweep_recall(s, w);
    md_count(b, mqls);
    const sales_row *sr = s->sales ? &s->sales[w - s->rows] : NULL;
    if (sr && sr->done && sr->handoffs != mqls) {
        util_buf_printf(b, " lead%s handed off, ", mqls == 1 ? "" : "s");
        md_count(b, sr->handoffs);
        util_buf_puts(b, " hand-offs with those after a hand-back");
    } else {
        util_buf_printf(b, " hand-off%s", mqls == 1 ? "" : "s");
    }
    if (w->nweeks) {
        util_buf_puts(b, " (");
        md_week(b, w->wmean);
        util_buf_puts(b, " a week on average, ");
        md_week(b, w->wp90);
        util_buf_puts(b, " in the busiest 10% of weeks)");
    }
    if (isnan(P)) util_buf_puts(b, ", precision undefined (no hand-offs)");
    else util_buf_puts(b, ", precision "), md_ratio(b, P);
    if (!isnan(w->p_lo)) util_buf_printf(b, " (90%% interval %.3f to %.3f)", w->p_lo, w->p_hi);
    if (isnan(R)) util_buf_puts(b, ", recall undefined (no won deals)");
    else util_buf_puts(b, ", recall "), md_ratio(b, R);
    if (!isnan(w->r_lo)) util_buf_printf(b, " (%.3f to %.3f)", w->r_lo, w->r_hi);
    util_buf_puts(b, ": ");
    md_count(b, w->tp);
    util_buf_puts(b, " of ");
    md_count(b, s->won);
    util_buf_printf(b, " won deal%s", s->won == 1 ? "" : "s");
    if (s->won > w->tp) {
        util_buf_puts(b, " reach sales, ");
        md_count(b, s->won - w->tp);
        util_buf_puts(b, " missed");
    }
}

/* What the objective asks for, in words a sales VP reads. */
static void objective_words(util_buf *b, const sweep *s) {
    int fish = s->objective == SCENARIO_OBJ_F1 || s->objective == SCENARIO_OBJ_FBETA;
    if (fish && s->best >= 0 && s->rows[s->best].tp == 0) {
        /* the best value is 0: so is every row's (2 tp / (2 tp + fp + fn)) */
        util_buf_printf(b, "no threshold hands off a won deal, so %s is 0 at every threshold "
                           "and the tie rule decides: the fewest hand-offs, then the higher "
                           "threshold", s->objective == SCENARIO_OBJ_F1 ? "F1" : "F-beta");
        return;
    }
    switch (s->objective) {
    case SCENARIO_OBJ_F1:
        util_buf_puts(b, "it balances precision and recall best (the highest F1)");
        break;
    case SCENARIO_OBJ_FBETA:
        util_buf_printf(b, "it has the highest F-beta with beta %.3g (recall weighs %.3g times "
                           "as much as precision)", s->obj_a, s->obj_a);
        break;
    case SCENARIO_OBJ_PRECISION_AT_LEAST:
        util_buf_printf(b, "of the thresholds whose precision is at least %.3g, it reaches "
                           "the most won deals", s->obj_a);
        break;
    case SCENARIO_OBJ_RECALL_AT_LEAST:
        util_buf_printf(b, "of the thresholds that reach at least %.3g of the won deals, it "
                           "hands off the fewest leads", s->obj_a);
        break;
    case SCENARIO_OBJ_CAPACITY:
        util_buf_puts(b, "of the thresholds whose busiest 10% of weeks stay within the sales "
                         "team's capacity, it reaches the most won deals");
        break;
    case SCENARIO_OBJ_SLA:
        util_buf_printf(b, "of the thresholds at which at least %.3g of hand-offs are followed "
                           "up within the SLA, it reaches the most won deals", s->obj_a);
        break;
    default:
        util_buf_printf(b, "it has the highest expected value: %.4g per won deal reached minus "
                           "%.4g per hand-off", s->obj_a, s->obj_b);
    }
}

/* Why, what it costs, and against capacity. */
static void why_text(util_buf *b, const sweep *s, const sweep_row *w, int plain) {
    long mqls = w->tp + w->fp, missed = s->won - w->tp;
    util_buf_puts(b, "\n\n");
    strong(b, plain);
    util_buf_puts(b, "Why:");
    strong(b, plain);
    util_buf_puts(b, " ");
    objective_words(b, s);
    util_buf_puts(b, ". What it trades away: ");
    if (s->won > 0 && missed == 0) {
        util_buf_puts(b, "no later win is missed");
    } else if (s->won > 0) {
        md_pct(b, (double)missed / (double)s->won);
        util_buf_puts(b, " of later wins (");
        md_count(b, missed);
        util_buf_printf(b, " deal%s) would not reach sales", missed == 1 ? "" : "s");
    }
    if (mqls > 0) {
        util_buf_puts(b, s->won > 0 ? ", and " : "");
        md_pct(b, (double)w->fp / (double)mqls);
        util_buf_puts(b, " of hand-offs (");
        md_count(b, w->fp);
        util_buf_puts(b, ") would not become won deals");
    }
    util_buf_puts(b, ".");
    if (!isnan(s->capacity)) {
        util_buf_puts(b, " Capacity: the team follows up ");
        md_week(b, s->capacity);
        util_buf_puts(b, " hand-offs a week");
        if (w->nweeks) {
            util_buf_puts(b, "; in the busiest 10% of weeks this threshold hands off ");
            md_week(b, w->wp90);
            util_buf_puts(b, w->wp90 <= s->capacity ? ", within it" : ", more than it");
        }
        util_buf_puts(b, ".");
    }
    if (s->sales && s->sales[s->best].done) {
        const queue *q = s->sales[s->best].q;
        util_buf_puts(b, " Follow-up: ");
        if (!isnan(q->sla_attainment)) {
            md_pct(b, q->sla_attainment);
            util_buf_puts(b, " of hand-offs are followed up within the SLA; ");
        }
        util_buf_puts(b, "the median wait is ");
        md_num(b, q->wait_median_h, 1);
        util_buf_puts(b, " business hours.");
    }
}

static void how_sure(util_buf *b, const sweep *s, int sig) {
    util_buf_printf(b, "\n\nHow sure: in %ld bootstrap resamples of the leads, ", s->nboot);
    if (s->nboot == s->boot_none) {
        util_buf_puts(b, "no resample had a row that satisfies the objective.");
        return;
    }
    util_buf_puts(b, "90% of the picks fall between thresholds ");
    md_thr(b, s->choice_T_lo, sig);
    util_buf_puts(b, " and ");
    md_thr(b, s->choice_T_hi, sig);
    if (s->two_axis) {
        util_buf_puts(b, " and fit thresholds ");
        md_thr(b, s->choice_F_lo, sig);
        util_buf_puts(b, " and ");
        md_thr(b, s->choice_F_hi, sig);
    }
    util_buf_printf(b, "; the same threshold was picked in %.0f%% of them", 100 * s->stability);
    if (s->boot_none)
        util_buf_printf(b, ", and %ld resamples had no row satisfying the objective", s->boot_none);
    util_buf_puts(b, s->stability >= 0.5 ? ". The pick is stable."
                     : s->stability >= 0.2 ? ". Neighbouring thresholds do about as well: "
                                             "choose within the interval."
                                           : ". The pick is not stable: the data does not "
                                             "separate these thresholds; choose within "
                                             "the interval on other grounds.");
}

/* The recommendation paragraphs, in Markdown or (PLAIN) as text for the terminal. */
static void recommendation(util_buf *b, const sweep *s, const char *objective_text, int plain) {
    if (s->best < 0) {
        out_sweep_verdict(b, s);
        if (s->nboot && s->boot_none < s->nboot)
            util_buf_printf(b, " (In %ld of %ld bootstrap resamples of the leads some row did "
                               "satisfy the objective: the data are close to it; sweep.csv "
                               "counts the picks per row.)",
                            s->nboot - s->boot_none, s->nboot);
        util_buf_puts(b, "\n");
        return;
    }
    const sweep_row *w = &s->rows[s->best];
    int sig = pick_sig(s);
    util_buf_puts(b, "Recommended threshold: ");
    strong(b, plain);
    thr_text(b, s, w, sig);
    strong(b, plain);
    util_buf_printf(b, ", the best %s (objective %s", objective_name(s->objective), plain ? "" : "`");
    if (plain) util_buf_puts(b, objective_text ? objective_text : "f1");
    else md_text(b, objective_text ? objective_text : "f1");
    util_buf_puts(b, plain ? "" : "`");
    if (s->objective != SCENARIO_OBJ_PRECISION_AT_LEAST &&
        s->objective != SCENARIO_OBJ_RECALL_AT_LEAST && s->objective != SCENARIO_OBJ_CAPACITY &&
        s->objective != SCENARIO_OBJ_SLA) {
        util_buf_puts(b, " = "), obj_num(b, w->objective);
    }
    util_buf_puts(b, "). It gives ");
    row_facts(b, s, w);
    util_buf_puts(b, ".");
    why_text(b, s, w, plain);
    if (s->runner_up >= 0) {
        const sweep_row *u = &s->rows[s->runner_up];
        util_buf_puts(b, "\n\nRunner-up: ");
        thr_text(b, s, u, sig);
        util_buf_puts(b, ", with ");
        row_facts(b, s, u);
        util_buf_puts(b, ".");
    }
    if (s->nboot) how_sure(b, s, sig);
    if (s->nboot && s->objective == SCENARIO_OBJ_SLA)
        util_buf_puts(b, " The resamples do not replay the follow-up queue: whether a threshold "
                         "keeps the SLA is taken from its queue on the full data (the SLA is a "
                         "property of the workload the team sees), and each resample picks, "
                         "among those thresholds, the one of highest recall in that resample; "
                         "a threshold whose queue was not replayed is never picked.");
    util_buf_puts(b, "\n");
}

void out_sweep_recommendation(util_buf *b, const sweep *s, const char *objective_text) {
    recommendation(b, s, objective_text, 0);
}

void out_sweep_recommendation_text(util_buf *b, const sweep *s, const char *objective_text) {
    recommendation(b, s, objective_text, 1);
}

/* ---------------------------- The table ---------------------------- */

/* Which rows the readable table shows: the pick, the runner-up and their
 * neighbours, and evenly spaced rows. NULL when memory ran out. */
static uint8_t *shown_rows(const sweep *s, size_t max_rows, size_t *nshown, int *sig) {
    uint8_t *show = util_calloc(s->nrows, 1);
    if (!show) return NULL;
    size_t want = max_rows > 8 ? max_rows - 8 : 1;
    for (size_t k = 0; k < want; k++) show[(s->nrows - 1) * k / (want > 1 ? want - 1 : 1)] = 1;
    long marks[2] = {s->best, s->runner_up};
    for (int m = 0; m < 2; m++) {
        if (marks[m] < 0) continue;
        for (long d = -3; d <= 3; d++) {
            long j = marks[m] + d * (long)s->nF;
            if (j >= 0 && (size_t)j < s->nrows) show[j] = 1;
        }
    }
    double *v = util_calloc(2 * (max_rows + 16), sizeof *v);
    if (!v) {
        free(show);
        return NULL;
    }
    size_t n = 0;
    *nshown = 0;
    for (size_t j = 0; j < s->nrows; j++) {
        if (!show[j]) continue;
        (*nshown)++;
        if (n + 2 <= 2 * (max_rows + 16)) {
            v[n++] = s->rows[j].T;
            if (s->two_axis) v[n++] = s->rows[j].F;
        }
    }
    *sig = md_thr_sig(v, n);
    free(v);
    return show;
}

/* A ratio and its interval, for the plain table: "0.331 (0.320-0.342)". */
static void plain_ratio(util_buf *b, double v, double lo, double hi) {
    char t[64];
    if (isnan(v)) snprintf(t, sizeof t, "-");
    else if (isnan(lo)) snprintf(t, sizeof t, "%.3f", v);
    else snprintf(t, sizeof t, "%.3f (%.3f-%.3f)", v, lo, hi);
    util_buf_printf(b, " %21s", t);
}

static void table_row(util_buf *b, const sweep *s, size_t j, int sig, int plain) {
    const sweep_row *w = &s->rows[j];
    metrics_ratios q;
    metrics_ratios_of(s->leads, s->won, w->tp, w->fp, w->tp_amount, s->won_amount, &q);
    const char *mark = (long)j == s->best ? "recommended" : (long)j == s->runner_up ? "runner-up" : "";
    char t[64], f[64] = "";
    md_thr_fmt(t, sizeof t, w->T, sig);
    if (s->two_axis) md_thr_fmt(f, sizeof f, w->F, sig);
    if (plain) {
        util_buf_printf(b, "%10s", t);
        if (s->two_axis) util_buf_printf(b, " %10s", f);
        util_buf_printf(b, " %9ld %9ld", w->tp + w->fp, w->tp);
        plain_ratio(b, q.precision, w->p_lo, w->p_hi);
        plain_ratio(b, q.recall, w->r_lo, w->r_hi);
        if (s->timed && w->nweeks) util_buf_printf(b, " %8.1f", w->wmean);
        else if (s->timed) util_buf_printf(b, " %8s", "-");
        util_buf_printf(b, "%s%s\n", *mark ? "  " : "", mark);
        return;
    }
    util_buf_printf(b, "| %s |", t);
    if (s->two_axis) util_buf_printf(b, " %s |", f);
    util_buf_printf(b, " %ld | %ld |", w->tp + w->fp, w->tp);
    md_cell_ratio(b, q.precision);
    if (isnan(w->p_lo)) util_buf_puts(b, " – |");
    else util_buf_printf(b, " %.3f–%.3f |", w->p_lo, w->p_hi);
    md_cell_ratio(b, q.recall);
    if (isnan(w->r_lo)) util_buf_puts(b, " – |");
    else util_buf_printf(b, " %.3f–%.3f |", w->r_lo, w->r_hi);
    md_cell_ratio(b, q.f1);
    if (s->timed) {
        if (w->nweeks) util_buf_printf(b, " %.1f | %.1f |", w->wmean, w->wp90);
        else util_buf_puts(b, " – | – |");
    }
    if (s->sales) {
        const sales_row *r = &s->sales[j];
        if (r->done) {
            md_cell_ratio(b, r->q->sla_attainment);
            md_cell_num(b, r->q->wait_median_h, 1);
            md_cell_num(b, (double)r->q->backlog_max, 0);
        } else {
            util_buf_puts(b, " – | – | – |");
        }
    }
    util_buf_printf(b, " %s |\n", (long)j == s->best ? "**recommended**" : mark);
}

static void table_head(util_buf *b, const sweep *s, int plain) {
    if (plain) {
        util_buf_printf(b, "%10s", "threshold");
        if (s->two_axis) util_buf_printf(b, " %10s", "fit");
        util_buf_printf(b, " %9s %9s %21s %21s", "hand-offs", "won", "precision (90%)", "recall (90%)");
        if (s->timed) util_buf_printf(b, " %8s", "per week");
        util_buf_puts(b, "\n");
        return;
    }
    util_buf_puts(b, "| threshold |");
    if (s->two_axis) util_buf_puts(b, " fit threshold |");
    util_buf_puts(b, " hand-offs | won caught | precision | 90% interval | recall | 90% interval | f1 |");
    if (s->timed) util_buf_puts(b, " per week | p90 week |");
    if (s->sales) util_buf_puts(b, " SLA met | median wait (h) | max backlog |");
    util_buf_puts(b, " |\n|--:|");
    if (s->two_axis) util_buf_puts(b, "--:|");
    util_buf_puts(b, "--:|--:|--:|:-:|--:|:-:|--:|");
    if (s->timed) util_buf_puts(b, "--:|--:|");
    if (s->sales) util_buf_puts(b, "--:|--:|--:|");
    util_buf_puts(b, "---|\n");
}

static void table(util_buf *b, const sweep *s, size_t max_rows, int plain) {
    if (s->nrows == 0) return;
    size_t shown;
    int sig;
    uint8_t *show = shown_rows(s, max_rows, &shown, &sig);
    if (!show) {
        b->failed = 1;
        return;
    }
    table_head(b, s, plain);
    for (size_t j = 0; j < s->nrows; j++)
        if (show[j]) table_row(b, s, j, sig, plain);
    if (shown < s->nrows)
        util_buf_printf(b, "\n%zu of %zu rows shown; sweep.csv has every one.\n", shown, s->nrows);
    free(show);
}

void out_sweep_table(util_buf *b, const sweep *s, size_t max_rows) { table(b, s, max_rows, 0); }

/* ---------------------------- The answer ---------------------------- */

/* The objective's value of metrics row M (its queue SR, or NULL) under S's objective. */
static double row_value(const sweep *s, const metrics_row *m, const sales_row *sr) {
    objective_spec o;
    sweep_objective_of(s, &o);
    if (s->objective == SCENARIO_OBJ_SLA)
        return objective_value_sla(&o, m->tp, m->won,
                                   sr && sr->done ? sr->q->sla_attainment : NAN);
    return objective_value(&o, m->tp, m->fp, m->won, m->weekly_p90);
}

/* The pick against the scenario's own threshold(s), side by side. */
static void pick_vs_current(util_buf *b, const out_scn *s, int sig) {
    enum { MAXC = 6 };
    const metrics_row *col[MAXC + 1];
    const sales_row *scol[MAXC + 1];
    size_t n = 0;
    for (size_t i = 0; i < s->ncurrent && n < MAXC; i++) {
        scol[n] = s->scurrent ? &s->scurrent[i] : NULL;
        col[n++] = &s->current[i];
    }
    scol[n] = s->spick;
    col[n++] = s->pick;
    util_buf_puts(b, "\n| |");
    for (size_t i = 0; i < n; i++) {
        util_buf_puts(b, i + 1 == n ? " **recommended: " : " current: ");
        md_thr(b, col[i]->threshold, sig);
        if (col[i]->two_axis) util_buf_puts(b, " / fit "), md_thr(b, col[i]->fit_threshold, sig);
        util_buf_puts(b, i + 1 == n ? "** |" : " |");
    }
    util_buf_puts(b, "\n|---|");
    md_rule(b, n, "--:");
    static const char *names[] = {"hand-offs", "per week (mean)", "per week (p90)",
                                  "precision", "recall", "won deals reaching sales",
                                  "won deals missed", "objective value"};
    for (size_t f = 0; f < sizeof names / sizeof *names; f++) {
        if ((f == 1 || f == 2) && !s->rp->timed) continue;
        util_buf_printf(b, "\n| %s |", names[f]);
        for (size_t i = 0; i < n; i++) {
            const metrics_row *m = col[i];
            switch (f) {
            case 0: util_buf_puts(b, " "), md_count(b, m->mqls), util_buf_puts(b, " |"); break;
            case 1: md_cell_week(b, m->weekly_mean); break;
            case 2: md_cell_week(b, m->weekly_p90); break;
            case 3: md_cell_ratio(b, m->precision); break;
            case 4: md_cell_ratio(b, m->recall); break;
            case 5: util_buf_puts(b, " "), md_count(b, m->tp), util_buf_puts(b, " |"); break;
            case 6: util_buf_puts(b, " "), md_count(b, m->fn), util_buf_puts(b, " |"); break;
            default: {
                double v = row_value(s->sw, m, scol[i]);
                if (isnan(v)) md_cell(b, "– (fails the objective)");
                else util_buf_puts(b, " "), obj_num(b, v), util_buf_puts(b, " |");
            }
            }
        }
    }
    util_buf_puts(b, "\n");
    if (s->ncurrent > MAXC) util_buf_printf(b, "\nThe first %d current thresholds are shown.\n", MAXC);
}

/* The significant digits that tell every threshold the answer lists apart. */
static int answer_sig(const out_scn *s) {
    double v[40];
    size_t n = 0;
    for (size_t i = 0; i < s->ncurrent && n + 2 < 36; i++) {
        v[n++] = s->current[i].threshold;
        if (s->current[i].two_axis) v[n++] = s->current[i].fit_threshold;
    }
    if (s->pick) v[n++] = s->pick->threshold, v[n++] = s->pick->fit_threshold;
    int a = md_thr_sig(v, n), c = s->sw ? pick_sig(s->sw) : MD_THR_SIG;
    return a > c ? a : c;
}

void out_sweep_answer_md(util_buf *b, const out_scn *s, const char *level, int boot_hint) {
    const sweep *sw = s->sw;
    util_buf_printf(b, "%s Recommendation\n\n", level);
    out_sweep_recommendation(b, sw, s->sc->objective_text);
    if (sw->best >= 0 && !sw->nboot && boot_hint)
        util_buf_puts(b, "\nHow sure: not measured by `run`; `leadsim sweep` adds bootstrap "
                         "intervals for the threshold, precision and recall.\n");
    int sig = answer_sig(s);
    if (s->pick && s->ncurrent) {
        util_buf_puts(b, "\nThe recommendation against the scenario's current threshold"
                         " (`threshold` in the scenario):\n");
        pick_vs_current(b, s, sig);
    }
    util_buf_printf(b, "\n%s Hand-offs and outcomes\n\n", level);
    const metrics_row *rows[17];
    const char *labels[17];
    size_t n = 0;
    if (s->pick) rows[n] = s->pick, labels[n++] = "recommended";
    for (size_t i = 0; i < s->ncurrent && n < 17; i++) rows[n] = &s->current[i], labels[n++] = "current";
    if (n) out_scn_md_confusion(b, rows, labels, n, sig);
    else util_buf_puts(b, "No threshold to show.\n");
    if (s->dr) {
        util_buf_printf(b, "\n%s Behaviours before a win\n\n", level);
        out_scn_md_drivers(b, s, 20);
    }
    util_buf_puts(b, "\n");
}

/* Do all scenarios with a pick share one objective (so their values compare)? */
static int same_objective(const out_scn *s, size_t ns) {
    const sweep *f = NULL;
    for (size_t k = 0; k < ns; k++) {
        const sweep *w = s[k].sw;
        if (!w || w->best < 0) continue;
        if (!f) f = w;
        else if (w->objective != f->objective || !(w->obj_a == f->obj_a || (isnan(w->obj_a) && isnan(f->obj_a))) ||
                 !(w->obj_b == f->obj_b || (isnan(w->obj_b) && isnan(f->obj_b))) ||
                 (w->objective == SCENARIO_OBJ_CAPACITY && w->capacity != f->capacity))
            return 0;
    }
    return f != NULL;
}

/* Which scenario does best: the one whose pick has the highest objective value. */
static void compare_verdict(util_buf *b, const out_scn *s, size_t ns) {
    long best = -1;
    for (size_t k = 0; k < ns; k++) {
        const sweep *w = s[k].sw;
        if (!w || w->best < 0) continue;
        if (best < 0 || w->rows[w->best].objective > s[best].sw->rows[s[best].sw->best].objective)
            best = (long)k;
    }
    if (best < 0) {
        util_buf_puts(b, "No scenario has a recommended threshold: see each one's page for why.\n");
        return;
    }
    if (!same_objective(s, ns)) {
        util_buf_puts(b, "The scenarios have different objectives, so their picks are not "
                         "measured on one scale; compare them in the table below.\n");
        return;
    }
    const sweep *bw = s[best].sw;
    util_buf_puts(b, "**");
    md_text(b, s[best].sc->name);
    util_buf_printf(b, "** does best under the objective %s", objective_name(bw->objective));
    util_buf_puts(b, ": "), obj_num(b, bw->rows[bw->best].objective);
    util_buf_puts(b, " at its recommended threshold ");
    thr_text(b, bw, &bw->rows[bw->best], pick_sig(bw));
    util_buf_puts(b, ", against");
    for (size_t k = 0; k < ns; k++) {
        const sweep *w = s[k].sw;
        if ((long)k == best || !w) continue;
        if (w->best < 0) util_buf_puts(b, " no pick for ");
        else util_buf_puts(b, " "), obj_num(b, w->rows[w->best].objective), util_buf_puts(b, " for ");
        md_text(b, s[k].sc->name);
        util_buf_puts(b, k + 1 < ns && !(k + 2 == ns && (long)k + 1 == best) ? "," : "");
    }
    int same_data = 1;
    for (size_t k = 1; k < ns; k++)
        same_data &= strcmp(s[k].data_path, s[0].data_path) == 0 && s[k].rp->n == s[0].rp->n &&
                     s[k].rp->until == s[0].rp->until;
    util_buf_puts(b, ". ");
    if (same_data) {
        util_buf_puts(b, "All were replayed on the same data and cohort (`");
        md_text(b, s[0].data_path);
        util_buf_puts(b, "`, "), md_count(b, (long)s[0].rp->n), util_buf_puts(b, " cohort leads).\n");
    } else {
        util_buf_puts(b, "They were replayed on different data or cohorts (");
        for (size_t k = 0; k < ns; k++) {
            if (k) util_buf_puts(b, ", ");
            md_text(b, s[k].sc->name);
            util_buf_puts(b, ": `");
            md_text(b, s[k].data_path);
            util_buf_printf(b, "`, %zu leads", s[k].rp->n);
        }
        util_buf_puts(b, "), so the values compare the definitions on their own data only.\n");
    }
    util_buf_puts(b, "\n### The pick of ");
    md_text(b, s[best].sc->name);
    util_buf_puts(b, "\n\n");
    out_sweep_recommendation(b, bw, s[best].sc->objective_text);
}

void out_sweep_compare_md(util_buf *b, const out_scn *s, size_t ns) {
    util_buf_puts(b, "## Recommendation\n\n");
    compare_verdict(b, s, ns);
    util_buf_puts(b, "\n| scenario | objective | current threshold | recommended | objective value |"
                     " hand-offs | precision | recall | won deals reaching sales |\n"
                     "|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (size_t k = 0; k < ns; k++) {
        const sweep *w = s[k].sw;
        int sig = answer_sig(&s[k]);
        util_buf_puts(b, "|");
        md_cell_text(b, s[k].sc->name);
        md_cell_text(b, s[k].sc->objective_text ? s[k].sc->objective_text : "f1");
        util_buf_puts(b, " ");
        for (size_t i = 0; i < s[k].ncurrent && i < 4; i++) {
            if (i) util_buf_puts(b, ", ");
            md_thr(b, s[k].current[i].threshold, sig);
            if (s[k].current[i].two_axis) util_buf_puts(b, "/"), md_thr(b, s[k].current[i].fit_threshold, sig);
        }
        if (s[k].ncurrent > 4) util_buf_puts(b, ", …");
        util_buf_puts(b, " |");
        const metrics_row *m = s[k].pick;
        if (!w || w->best < 0 || !m) {
            util_buf_puts(b, " none | – | – | – | – | – |\n");
            continue;
        }
        md_cell_thr(b, m->threshold, sig);
        if (m->two_axis) b->len -= 2, util_buf_puts(b, "/"), md_thr(b, m->fit_threshold, sig), util_buf_puts(b, " |");
        util_buf_puts(b, " "), obj_num(b, w->rows[w->best].objective), util_buf_puts(b, " |");
        util_buf_puts(b, " "), md_count(b, m->mqls), util_buf_puts(b, " |");
        md_cell_ratio(b, m->precision);
        md_cell_ratio(b, m->recall);
        util_buf_puts(b, " "), md_count(b, m->tp), util_buf_puts(b, " of "), md_count(b, m->won);
        util_buf_puts(b, " |\n");
    }
    util_buf_puts(b, "\nEach scenario's own page (its folder) has the reasons, the runner-up and "
                     "the confusion table.\n\n");
}

void out_sweep_answer_text(util_buf *b, const out_scn *s, size_t ns) {
    for (size_t k = 0; k < ns; k++) {
        const sweep *w = s[k].sw;
        if (!w) continue;
        if (ns > 1) util_buf_printf(b, "%s: ", s[k].sc->name);
        if (w->best < 0 || !s[k].pick) {
            util_buf_puts(b, "no threshold is recommended (see the report).\n");
            continue;
        }
        const metrics_row *m = s[k].pick;
        int sig = answer_sig(&s[k]);
        util_buf_puts(b, "recommended threshold ");
        md_thr(b, m->threshold, sig);
        if (m->two_axis) util_buf_puts(b, " / fit "), md_thr(b, m->fit_threshold, sig);
        util_buf_printf(b, " (best %s): ", objective_name(w->objective));
        md_count(b, m->mqls);
        util_buf_puts(b, " hand-offs");
        if (s[k].spick && s[k].spick->handoffs != m->mqls)
            util_buf_puts(b, " ("), md_count(b, s[k].spick->handoffs),
                util_buf_puts(b, " with those after a hand-back)");
        if (!isnan(m->weekly_mean)) util_buf_puts(b, ", "), md_week(b, m->weekly_mean), util_buf_puts(b, " a week");
        util_buf_puts(b, ", precision "), md_ratio(b, m->precision);
        util_buf_puts(b, ", recall "), md_ratio(b, m->recall);
        util_buf_puts(b, " ("), md_count(b, m->tp), util_buf_puts(b, " of "), md_count(b, m->won);
        util_buf_puts(b, " won deals reach sales");
        if (m->fn) util_buf_puts(b, ", "), md_count(b, m->fn), util_buf_puts(b, " missed");
        util_buf_puts(b, ")\n");
    }
}

/* ---------------------------- sweep.md and stdout ---------------------------- */

void out_sweep_md(util_buf *md, const sweep *sw, const scenario *sc, const out_scn *ss) {
    util_buf_puts(md, "# leadsim sweep: ");
    md_text(md, sc->name);
    util_buf_puts(md, "\n\n");
    if (sc->description) {
        md_text(md, sc->description);
        util_buf_puts(md, "\n\n");
    }
    out_sweep_answer_md(md, ss, "##", 0);
    util_buf_printf(md, "## Trade-off\n\nEvery threshold at which some lead changes class: "
                        "%zu row%s in sweep.csv.",
                    sw->nrows, sw->nrows == 1 ? "" : "s");
    if (sw->fast) {
        util_buf_puts(md, " ");
        md_count(md, sw->fast);
        util_buf_puts(md, " of the ");
        md_count(md, sw->leads);
        util_buf_puts(md, " cohort leads are handed off at every threshold by fast track or a rule.");
    }
    util_buf_puts(md, "\n\n");
    out_sweep_table(md, sw, OUT_SWEEP_TABLE_ROWS);
    if (sw->sales && !sw->sales_all)
        util_buf_printf(md, "\nThe follow-up queue was replayed for %zu of the %zu rows (a queue "
                            "per row costs a pass over every lead): the rows shown here, the pick, "
                            "the runner-up, their neighbours and every row the objective's search "
                            "visited. The other rows of sweep.csv have empty queue and SLA "
                            "fields.\n",
                        sw->sales_done, sw->nrows);
    if (sw->sales_bisect)
        util_buf_puts(md, "\nWith this many rows the sla:P pick was searched by bisection over the "
                          "thresholds, as if SLA attainment never fell when the threshold rises "
                          "(fewer hand-offs); every row it looked at was replayed exactly.\n");
    if (sw->sales_cut)
        util_buf_puts(md, "\nThe sla:P search stopped at its budget of rows before it found "
                          "two thresholds that keep the SLA; higher thresholds were not tried.\n");
    util_buf_puts(md, "\n");
    out_sql_sweep_md(md, sw);
    out_scn_md_data(md, ss, "##");
}

void out_sweep_stdout(util_buf *b, const sweep *sw, const scenario *sc, const char *base) {
    out_sweep_recommendation_text(b, sw, sc->objective_text);
    util_buf_puts(b, "\n");
    table(b, sw, 16, 1);
    util_buf_printf(b, "\nReport: %s/sweep.html (sweep.md; every row: sweep.csv)\n", base);
}
