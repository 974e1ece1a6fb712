/* out_scn.c - weekly.csv and the Data section of the Markdown, for every command.
 *
 * What a reader needs to trust the numbers: which dataset, which cohort,
 * until when, and what was wrong with the rows. Not the results tables:
 * those are each command's (out_run.c, and sweep's and tune's writers). */
#include "out_scn.h"

#include "cohort.h"
#include "csvout.h"
#include "leaks.h"
#include "md.h"
#include "tstamp.h"

#include <math.h>
#include <stdlib.h>

/* The queue and recycling columns of a row (SPEC 5.5, 5.6), each field
 * with its leading comma; empty fields when R is NULL or not computed. */
char *out_scn_put_sales(char *p, const sales_row *r) {
    if (!r || !r->done) {
        for (int k = 0; k < 9; k++) *p++ = ',';
        return p;
    }
    const queue *q = r->q;
    p = csvout_put_long(p, r->handoffs);
    p = csvout_put_long(p, r->recycled);
    p = csvout_put_long(p, r->requalified);
    p = csvout_put_long(p, r->won_after_recycle);
    p = csvout_put_num(p, q->sla_attainment);
    p = csvout_put_num(p, q->wait_median_h);
    p = csvout_put_num(p, q->wait_p90_h);
    p = csvout_put_long(p, q->backlog_max);
    p = csvout_put_long(p, q->weeks_over_capacity);
    return p;
}

const char OUT_SCN_SALES_HEADER[] = ",handoffs,recycled,requalified,won_after_recycle,"
                                    "sla_attainment,wait_median_h,wait_p90_h,backlog_max,"
                                    "weeks_over_capacity";

/* weekly.csv with [sales]: the queue's weeks of each row (SPEC 5.11: the
 * cohort's weeks and those from the first hand-off to the last follow-up). */
static void weekly_sales_csv(util_buf *b, const out_scn *s) {
    int several = s->nrows > 1, two = s->rp->two_axis;
    util_buf_puts(b, "week_start,handoffs,slots,followed_up,backlog_end,sla_met");
    if (several) util_buf_puts(b, two ? ",threshold,fit_threshold" : ",threshold");
    util_buf_puts(b, "\n");
    for (size_t i = 0; i < s->nrows; i++) {
        const metrics_row *m = &s->rows[i];
        const queue *q = s->srows[i].q;
        for (size_t w = 0; q && w < q->nweeks; w++) {
            const queue_week *k = &q->weeks[w];
            char d[16];
            tstamp_format_date(k->start, d, sizeof d);
            util_buf_printf(b, "%s,%ld,%lld,%ld,%ld,", d, k->handoffs, (long long)k->slots,
                            k->followed_up, k->backlog_end);
            if (s->sc->has_sla) util_buf_printf(b, "%ld", k->sla_met);
            if (several) {
                util_buf_puts(b, ",");
                csvout_num(b, m->threshold);
                if (two) util_buf_puts(b, ","), csvout_num(b, m->fit_threshold);
            }
            util_buf_puts(b, "\n");
        }
    }
}

int out_scn_weekly_csv(util_buf *b, const out_scn *s) {
    if (!s->rp->timed) return 1;
    if (s->srows) {
        weekly_sales_csv(b, s);
        return 0;
    }
    int several = s->nrows > 1;
    int two = s->rp->two_axis;
    util_buf_puts(b, "week_start,handoffs");
    if (several) util_buf_puts(b, two ? ",threshold,fit_threshold" : ",threshold");
    util_buf_puts(b, "\n");
    for (size_t i = 0; i < s->nrows; i++) {
        const metrics_row *m = &s->rows[i];
        for (long w = 0; m->weekly && w < m->nweeks; w++) {
            char d[16];
            tstamp_format_date(m->first_week + w * 7 * TSTAMP_USEC_PER_DAY, d, sizeof d);
            util_buf_printf(b, "%s,%ld", d, m->weekly[w]);
            if (several) {
                util_buf_puts(b, ",");
                csvout_num(b, m->threshold);
                if (two) util_buf_puts(b, ","), csvout_num(b, m->fit_threshold);
            }
            util_buf_puts(b, "\n");
        }
    }
    return 0;
}

/* "- Cohort: ..." of a timed dataset: its window, the end of observation
 * and the maturity rule. */
static void cohort_window(util_buf *b, const scenario *sc, const replay *rp) {
    char a[32];
    util_buf_puts(b, "- Cohort: leads created");
    if (sc->has_from) tstamp_format(sc->from, a, sizeof a), util_buf_printf(b, " on or after %s", a);
    if (sc->has_to) tstamp_format(sc->to, a, sizeof a), util_buf_printf(b, "%s before %s", sc->has_from ? " and" : "", a);
    if (!sc->has_from && !sc->has_to) util_buf_puts(b, " at any time");
    tstamp_format(rp->until, a, sizeof a);
    util_buf_printf(b, "; observed until %s%s", a, sc->has_until ? "" : " (latest timestamp in the data)");
    if (sc->has_maturity) {
        util_buf_puts(b, "; leads younger than ");
        md_exact(b, sc->maturity_days);
        util_buf_puts(b, " days at that point are left out");
    }
    util_buf_puts(b, ".\n");
}

/* "- Weeks: ..." of a timed cohort: what every "per week" figure is over
 * (SPEC 5.4). */
static void cohort_weeks(util_buf *b, const replay *rp) {
    int64_t w0;
    long n = metrics_cohort_weeks(rp, &w0);
    if (n == 0) return;
    char d[16];
    tstamp_format_date(w0, d, sizeof d);
    util_buf_printf(b, "- Weeks: hand-offs per week are per ISO week (Monday 00:00 UTC) over the "
                       "cohort's %ld week%s, from its first lead's week (%s) to the week of until, "
                       "empty weeks included.\n",
                    n, n == 1 ? "" : "s", d);
}

/* "- Possible leak: ..." for each attribute value whose cohort leads are
 * almost all won or almost all not won (leaks.h). */
static void cohort_leaks(util_buf *b, const out_scn *s) {
    leaks lk;
    util_err err = {0};
    if (leaks_find(s->ds, s->rp->lead, s->rp->won, s->rp->n, &lk, &err) < 0) {
        b->failed = 1;
        return;
    }
    for (size_t k = 0; k < lk.n && k < LEAKS_MAX_SHOWN; k++) {
        const leaks_item *it = &lk.item[k];
        const dataset_attr *at = &s->ds->attrs[it->attr];
        const char *v = strtab_str(&at->values, it->value);
        util_buf_puts(b, "- Possible leak: ");
        md_text(b, at->name);
        util_buf_puts(b, " = ");
        md_text(b, *v ? v : "(empty)");
        util_buf_puts(b, ": ");
        md_count(b, it->leads);
        util_buf_puts(b, " cohort leads, ");
        md_pct(b, (double)it->won / (double)it->leads);
        util_buf_puts(b, " won (all cohort leads: ");
        md_pct(b, (double)lk.won / (double)lk.leads);
        util_buf_puts(b, "). If this field is filled in after contact, it gives the outcome "
                         "away: scoring it would look good on history and fail on new leads.\n");
    }
    if (lk.n > LEAKS_MAX_SHOWN)
        util_buf_printf(b, "- %zu more possible leaks are not shown (`leadsim check` lists them).\n",
                        lk.n - LEAKS_MAX_SHOWN);
}

/* "- Outcomes: ..." of the cohort as of until (SPEC 5.1), and with a won
 * flag column, what each of its values was read as. */
static void cohort_outcomes(util_buf *b, const out_scn *s) {
    const dataset *ds = s->ds;
    const replay *rp = s->rp;
    cohort c;
    cohort_init(&c, ds, s->sc);
    long n[3] = {0, 0, 0};
    for (size_t i = 0; i < rp->n; i++) {
        int64_t cut;
        n[cohort_outcome(&c, rp->lead[i], &cut)]++;
    }
    util_buf_puts(b, "- Outcomes of the cohort's leads: ");
    md_count(b, n[DATASET_WON]);
    util_buf_puts(b, " won, ");
    md_count(b, n[DATASET_LOST]);
    util_buf_puts(b, " lost, ");
    md_count(b, n[DATASET_OPEN]);
    util_buf_puts(b, " open");
    if (rp->timed) util_buf_puts(b, " (as known at until: a close after it is open)");
    util_buf_puts(b, ".\n");
    const dataset_attr *st = &ds->stage;
    if (!st->name || !rp->n) return;
    long *k = util_calloc(st->values.n + 1, sizeof *k);
    if (!k) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < rp->n; i++) k[st->code[rp->lead[i]]]++;
    static const char *names[] = {"open", "won", "lost"};
    util_buf_puts(b, "- Outcomes read from the column ");
    md_text(b, st->name);
    util_buf_puts(b, ": ");
    size_t shown = 0;
    for (size_t v = 0; v < st->values.n; v++) {
        if (!k[v]) continue;
        if (shown++ == 20) {
            util_buf_puts(b, ", and more");
            break;
        }
        const char *t = strtab_str(&st->values, v);
        if (shown > 1) util_buf_puts(b, ", ");
        md_text(b, *t ? t : "(empty)");
        util_buf_puts(b, " (");
        md_count(b, k[v]);
        util_buf_printf(b, ") as %s", names[ds->stage_status[v]]);
    }
    util_buf_puts(b, ".\n");
    free(k);
}

void out_scn_md_cohort(util_buf *b, const out_scn *s) {
    const dataset *ds = s->ds;
    const replay *rp = s->rp;
    util_buf_puts(b, "- Dataset: `");
    md_text(b, s->data_path);
    util_buf_printf(b, "`: %zu leads, %zu events kept of %ld rows, ", ds->nleads, ds->nevents,
                    ds->nrows_events);
    if (ds->outcomes_path) {
        util_buf_printf(b, "%ld outcome rows.\n", ds->nrows_outcomes);
    } else {
        /* No outcomes file: the statuses came from a won flag in the leads
         * file, or every lead is open ("0 outcome rows" would read as a
         * file with none). */
        size_t closed = 0;
        for (size_t i = 0; i < ds->nleads && !closed; i++) closed += ds->status[i] != DATASET_OPEN;
        util_buf_puts(b, closed ? "outcomes from a column of the leads file.\n"
                                : "no outcomes file (every lead is open).\n");
    }
    if (ds->nleads == 0) {
        util_buf_puts(b, "- The leads file has no rows: there is nothing to replay.\n");
    } else if (!rp->timed) {
        util_buf_puts(b, "- Snapshot dataset (no timestamps): precision and recall are computed "
                         "on all events; time-based outputs (days to MQL, weekly hand-offs, "
                         "weekly.csv) are left out because there is no time to measure them by.\n");
    } else {
        cohort_window(b, s->sc, rp);
    }
    util_buf_printf(b, "- In the cohort: %zu leads, %ld won, %ld counted events (between "
                       "created_at and the close or the end of observation).\n",
                    rp->n, rp->nwon, rp->counted_events);
    cohort_outcomes(b, s);
    cohort_weeks(b, rp);
    if (!rp->has_amount) util_buf_puts(b, "- No amount column: revenue_recall is left empty.\n");
    for (int i = 0; i < rp->nnotes; i++) {
        util_buf_puts(b, "- Note: ");
        md_text(b, rp->notes[i]);
        util_buf_puts(b, ".\n");
    }
    cohort_leaks(b, s);
}

void out_scn_md_quality(util_buf *b, const dataset *ds) {
    int any = 0;
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        const dataset_dq *q = &ds->dq[c];
        if (!q->count) continue;
        if (!any) util_buf_puts(b, "| problem | count | first examples |\n|---|--:|---|\n");
        any = 1;
        util_buf_puts(b, "|");
        md_cell_text(b, dataset_dq_label(c));
        md_cell_long(b, q->count);
        util_buf_puts(b, " ");
        for (int i = 0; i < q->nexamples; i++) {
            if (i) util_buf_puts(b, "<br>");
            md_text(b, q->examples[i]);
        }
        util_buf_puts(b, " |\n");
    }
    if (!any) util_buf_puts(b, "No problems found: every row was used as it is.\n");
}

void out_scn_md_data(util_buf *b, const out_scn *s, const char *level) {
    util_buf_printf(b, "%s Data\n\n", level);
    out_scn_md_cohort(b, s);
    util_buf_printf(b, "\n%s# Data quality\n\n", level);
    out_scn_md_quality(b, s->ds);
}

/* ---------------------------- Hand-offs and outcomes ---------------------------- */

/* "N (x%)": a count and its share of the cohort. */
static void count_share(util_buf *b, long v, long of) {
    util_buf_puts(b, " ");
    md_count(b, v);
    util_buf_puts(b, " (");
    md_pct(b, of ? (double)v / (double)of : NAN);
    util_buf_puts(b, ") |");
}

static void row_name(util_buf *b, const metrics_row *m, const char *label, int sig) {
    util_buf_printf(b, "| %s ", label);
    md_thr(b, m->threshold, sig);
    if (m->two_axis) util_buf_puts(b, " / fit "), md_thr(b, m->fit_threshold, sig);
    util_buf_puts(b, " |");
}

static void confusion_2x2(util_buf *b, const metrics_row *m, const char *label, int sig) {
    util_buf_puts(b, "\n| ");
    util_buf_puts(b, label);
    util_buf_puts(b, " ");
    md_thr(b, m->threshold, sig);
    if (m->two_axis) util_buf_puts(b, " / fit "), md_thr(b, m->fit_threshold, sig);
    util_buf_puts(b, " | won later | not won | all |\n|---|--:|--:|--:|\n| handed off |");
    count_share(b, m->tp, m->leads);
    count_share(b, m->fp, m->leads);
    count_share(b, m->mqls, m->leads);
    util_buf_puts(b, "\n| not handed off |");
    count_share(b, m->fn, m->leads);
    count_share(b, m->tn, m->leads);
    count_share(b, m->fn + m->tn, m->leads);
    util_buf_puts(b, "\n| all |");
    count_share(b, m->won, m->leads);
    count_share(b, m->leads - m->won, m->leads);
    count_share(b, m->leads, m->leads);
    util_buf_puts(b, "\n\nOf the hand-offs, ");
    md_pct(b, m->mqls ? (double)m->tp / (double)m->mqls : NAN);
    util_buf_puts(b, " became won deals (precision); of the won deals, ");
    md_pct(b, m->won ? (double)m->tp / (double)m->won : NAN);
    util_buf_puts(b, " were handed off (recall).\n");
}

void out_scn_md_confusion(util_buf *b, const metrics_row *const *rows, const char *const *labels,
                          size_t n, int sig) {
    if (n == 0) return;
    util_buf_puts(b, "Each cohort lead is handed off or not at the threshold, and was won later "
                     "or not; shares are of all cohort leads.\n\n"
                     "| threshold | handed off, won (tp) | handed off, not won (fp) | not handed "
                     "off, won (fn) | not handed off, not won (tn) |\n|---|--:|--:|--:|--:|\n");
    for (size_t i = 0; i < n; i++) {
        const metrics_row *m = rows[i];
        row_name(b, m, labels[i], sig);
        count_share(b, m->tp, m->leads);
        count_share(b, m->fp, m->leads);
        count_share(b, m->fn, m->leads);
        count_share(b, m->tn, m->leads);
        util_buf_puts(b, "\n");
    }
    confusion_2x2(b, rows[0], labels[0], sig);
}

void out_scn_md_drivers(util_buf *b, const out_scn *s, size_t max) {
    const drivers *d = s->dr;
    if (!d) return;
    if (d->n == 0) {
        util_buf_puts(b, "No cohort lead has a counted event.\n");
        return;
    }
    util_buf_puts(b, "Per event type, the share of won and of not-won cohort leads with at least "
                     "one counted event of it: a type far more common among won leads goes with "
                     "wins (it does not prove it causes them).\n\n"
                     "| event type | won leads with it | not-won leads with it | ratio |\n"
                     "|---|--:|--:|--:|\n");
    size_t shown = d->n < max ? d->n : max;
    for (size_t i = 0; i < shown; i++) {
        const drivers_type *t = &d->t[i];
        double w = d->won ? (double)t->won_with / (double)d->won : NAN;
        double o = d->other ? (double)t->other_with / (double)d->other : NAN;
        util_buf_puts(b, "|");
        md_cell_text(b, strtab_str(&s->ds->types, t->type));
        count_share(b, t->won_with, d->won);
        count_share(b, t->other_with, d->other);
        util_buf_puts(b, " ");
        if (o > 0 && !isnan(w)) util_buf_printf(b, "%.1f×", w / o);
        else util_buf_puts(b, "–");
        util_buf_puts(b, " |\n");
    }
    if (shown < d->n) util_buf_printf(b, "\n%zu more event types are not shown.\n", d->n - shown);
}
