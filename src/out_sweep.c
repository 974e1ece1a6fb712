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
    char line[1024];
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
        const char *pick_text = (long)j == s->best ? ",recommended\n"
                                : (long)j == s->runner_up ? ",runner-up\n" : ",\n";
        size_t k = strlen(pick_text);
        memcpy(p, pick_text, k);
        p += k;
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
        "precision_lo,precision_hi,recall_lo,recall_hi,objective,bootstrap_chosen,pick\n";
    if (emit(ctx, head, sizeof head - 1) < 0) return -1;
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
    switch (s->objective) {
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
    default:
        util_buf_printf(b,
                 "The objective is undefined at every threshold (no won deals, or no "
                 "hand-offs), so no threshold is recommended.");
    }
}

static void thr_text(util_buf *b, const sweep *s, const sweep_row *w) {
    char t[40];
    util_fmt_double(t, sizeof t, w->T);
    util_buf_puts(b, t);
    if (s->two_axis) {
        util_fmt_double(t, sizeof t, w->F);
        util_buf_printf(b, " with fit threshold %s", t);
    }
}

static void row_facts(util_buf *b, const sweep *s, const sweep_row *w) {
    long mqls = w->tp + w->fp;
    double P = sweep_precision(s, w), R = sweep_recall(s, w);
    util_buf_printf(b, "%ld hand-off%s", mqls, mqls == 1 ? "" : "s");
    if (w->nweeks) util_buf_printf(b, " (%.1f a week on average, %.1f in the busiest 10%% of weeks)", w->wmean, w->wp90);
    if (isnan(P)) util_buf_puts(b, ", precision undefined (no hand-offs)");
    else util_buf_printf(b, ", precision %.3f", P);
    if (!isnan(w->p_lo)) util_buf_printf(b, " (90%% interval %.3f to %.3f)", w->p_lo, w->p_hi);
    if (isnan(R)) util_buf_puts(b, ", recall undefined (no won deals)");
    else util_buf_printf(b, ", recall %.3f", R);
    if (!isnan(w->r_lo)) util_buf_printf(b, " (%.3f to %.3f)", w->r_lo, w->r_hi);
    util_buf_printf(b, ": %ld of %ld won deal%s", w->tp, s->won, s->won == 1 ? "" : "s");
}

void out_sweep_recommendation(util_buf *b, const sweep *s, const char *objective_text) {
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
    util_buf_puts(b, "Recommended threshold: **");
    thr_text(b, s, w);
    util_buf_printf(b, "**, the best %s (objective `", objective_name(s->objective));
    md_text(b, objective_text ? objective_text : "f1");
    util_buf_puts(b, "`");
    if (s->objective != SCENARIO_OBJ_PRECISION_AT_LEAST &&
        s->objective != SCENARIO_OBJ_RECALL_AT_LEAST && s->objective != SCENARIO_OBJ_CAPACITY) {
        util_buf_printf(b, " = %.4g", w->objective);
    }
    util_buf_puts(b, "). It gives ");
    row_facts(b, s, w);
    util_buf_puts(b, ".");
    if (s->objective == SCENARIO_OBJ_CAPACITY)
        util_buf_printf(b, " The team follows up %.4g hand-offs a week.", s->capacity);
    if (s->runner_up >= 0) {
        const sweep_row *u = &s->rows[s->runner_up];
        util_buf_puts(b, "\n\nRunner-up: ");
        thr_text(b, s, u);
        util_buf_puts(b, ", with ");
        row_facts(b, s, u);
        util_buf_puts(b, ".");
    }
    if (s->nboot) {
        util_buf_printf(b, "\n\nHow sure: in %ld bootstrap resamples of the leads, ", s->nboot);
        if (s->nboot == s->boot_none) {
            util_buf_puts(b, "no resample had a row that satisfies the objective.");
        } else {
            char lo[40], hi[40];
            util_fmt_double(lo, sizeof lo, s->choice_T_lo);
            util_fmt_double(hi, sizeof hi, s->choice_T_hi);
            util_buf_printf(b, "90%% of the picks fall between thresholds %s and %s", lo, hi);
            if (s->two_axis) {
                util_fmt_double(lo, sizeof lo, s->choice_F_lo);
                util_fmt_double(hi, sizeof hi, s->choice_F_hi);
                util_buf_printf(b, " and fit thresholds %s and %s", lo, hi);
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
    }
    util_buf_puts(b, "\n");
}

/* ---------------------------- The table ---------------------------- */

void out_sweep_table(util_buf *b, const sweep *s, size_t max_rows) {
    if (s->nrows == 0) return;
    uint8_t *show = util_calloc(s->nrows, 1);
    if (!show) {
        b->failed = 1;
        return;
    }
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
    util_buf_puts(b, "| threshold |");
    if (s->two_axis) util_buf_puts(b, " fit threshold |");
    util_buf_puts(b, " hand-offs | won caught | precision | 90% interval | recall | 90% interval | f1 |");
    if (s->timed) util_buf_puts(b, " per week | p90 week |");
    util_buf_puts(b, " |\n|--:|");
    if (s->two_axis) util_buf_puts(b, "--:|");
    util_buf_puts(b, "--:|--:|--:|:-:|--:|:-:|--:|");
    if (s->timed) util_buf_puts(b, "--:|--:|");
    util_buf_puts(b, "---|\n");
    for (size_t j = 0; j < s->nrows; j++) {
        if (!show[j]) continue;
        const sweep_row *w = &s->rows[j];
        metrics_ratios q;
        metrics_ratios_of(s->leads, s->won, w->tp, w->fp, w->tp_amount, s->won_amount, &q);
        double P = q.precision, R = q.recall, f1 = q.f1;
        char t[40];
        util_fmt_double(t, sizeof t, w->T);
        util_buf_printf(b, "| %s |", t);
        if (s->two_axis) {
            util_fmt_double(t, sizeof t, w->F);
            util_buf_printf(b, " %s |", t);
        }
        util_buf_printf(b, " %ld | %ld | ", w->tp + w->fp, w->tp);
        if (isnan(P)) util_buf_puts(b, "–");
        else util_buf_printf(b, "%.3f", P);
        if (isnan(w->p_lo)) util_buf_puts(b, " | – | ");
        else util_buf_printf(b, " | %.3f–%.3f | ", w->p_lo, w->p_hi);
        if (isnan(R)) util_buf_puts(b, "–");
        else util_buf_printf(b, "%.3f", R);
        if (isnan(w->r_lo)) util_buf_puts(b, " | – | ");
        else util_buf_printf(b, " | %.3f–%.3f | ", w->r_lo, w->r_hi);
        if (isnan(f1)) util_buf_puts(b, "–");
        else util_buf_printf(b, "%.3f", f1);
        if (s->timed) {
            if (w->nweeks) util_buf_printf(b, " | %.1f | %.1f", w->wmean, w->wp90);
            else util_buf_puts(b, " | – | –");
        }
        util_buf_printf(b, " | %s |\n", (long)j == s->best ? "**recommended**"
                                        : (long)j == s->runner_up ? "runner-up" : "");
    }
    size_t shown = 0;
    for (size_t j = 0; j < s->nrows; j++) shown += show[j];
    if (shown < s->nrows)
        util_buf_printf(b, "\n%zu of %zu rows shown; sweep.csv has every one.\n", shown, s->nrows);
    free(show);
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
    util_buf_puts(md, "## Recommendation\n\n");
    out_sweep_recommendation(md, sw, sc->objective_text);
    util_buf_printf(md, "\n## Trade-off\n\nEvery threshold at which some lead changes class: "
                        "%zu row%s in sweep.csv. %ld of the %ld cohort leads are handed off "
                        "at every threshold by fast track or a rule.\n\n",
                    sw->nrows, sw->nrows == 1 ? "" : "s", sw->fast, sw->leads);
    out_sweep_table(md, sw, 30);
    util_buf_puts(md, "\n");
    out_scn_md_data(md, ss, "##");
}

void out_sweep_stdout(util_buf *b, const sweep *sw, const scenario *sc, const char *base) {
    out_sweep_recommendation(b, sw, sc->objective_text);
    util_buf_puts(b, "\n");
    out_sweep_table(b, sw, 16);
    util_buf_printf(b, "\nReport: %s/sweep.html (sweep.md; every row: sweep.csv)\n", base);
}
