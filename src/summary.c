/* summary.c - writing summary.csv, summary.md, weekly.csv and the terminal table. */
#include "summary.h"

#include <math.h>
#include <string.h>

#include "csvread.h"
#include "tstamp.h"

static const char *contract_cols =
    "scenario,threshold,fit_threshold,leads,won,mqls,tp,fp,fn,tn,precision,recall,f1,"
    "mql_rate,lift,revenue_recall";
static const char *extra_cols = "median_days_to_mql,handoff_weeks,weekly_mean,weekly_p90,weekly_max";

void summary_num(util_buf *b, double v) {
    if (isnan(v)) return;
    char t[40];
    util_fmt_double(t, sizeof t, v);
    util_buf_puts(b, t);
}

static void num_field(util_buf *b, double v) {
    util_buf_puts(b, ",");
    summary_num(b, v);
}

static void long_field(util_buf *b, long v) { util_buf_printf(b, ",%ld", v); }

void summary_csv(util_buf *b, const summary_scn *s, size_t ns) {
    util_buf_printf(b, "%s,%s\n", contract_cols, extra_cols);
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            csvread_write_field(b, s[k].sc->name, strlen(s[k].sc->name), 1);
            num_field(b, m->threshold);
            num_field(b, m->two_axis ? m->fit_threshold : NAN);
            long_field(b, m->leads);
            long_field(b, m->won);
            long_field(b, m->mqls);
            long_field(b, m->tp);
            long_field(b, m->fp);
            long_field(b, m->fn);
            long_field(b, m->tn);
            num_field(b, m->precision);
            num_field(b, m->recall);
            num_field(b, m->f1);
            num_field(b, m->mql_rate);
            num_field(b, m->lift);
            num_field(b, m->revenue_recall);
            num_field(b, m->median_days);
            if (m->weekly) long_field(b, m->nweeks);
            else util_buf_puts(b, ",");
            num_field(b, m->weekly_mean);
            num_field(b, m->weekly_p90);
            num_field(b, m->weekly_max);
            util_buf_puts(b, "\n");
        }
    }
}

int summary_weekly_csv(util_buf *b, const summary_scn *s) {
    if (!s->rp->timed) return 1;
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
                num_field(b, m->threshold);
                if (two) num_field(b, m->fit_threshold);
            }
            util_buf_puts(b, "\n");
        }
    }
    return 0;
}

/* ---------------------------- Markdown ---------------------------- */

void summary_md_text(util_buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '|': util_buf_puts(b, "\\|"); break;
        case '\\': util_buf_puts(b, "\\\\"); break;
        case '`': util_buf_puts(b, "\\`"); break;
        case '*': util_buf_puts(b, "\\*"); break;
        case '_': util_buf_puts(b, "\\_"); break;
        case '<': util_buf_puts(b, "&lt;"); break;
        case '>': util_buf_puts(b, "&gt;"); break;
        case '&': util_buf_puts(b, "&amp;"); break;
        case '[': util_buf_puts(b, "\\["); break;
        case ']': util_buf_puts(b, "\\]"); break;
        case '\n': case '\r': util_buf_puts(b, " "); break;
        default: util_buf_append(b, s, 1);
        }
    }
}

/* A number rounded for reading; the CSV has full precision. */
static void md_num(util_buf *b, double v, int digits) {
    if (isnan(v)) {
        util_buf_puts(b, "–");
        return;
    }
    util_buf_printf(b, "%.*f", digits, v);
}

static void md_thr(util_buf *b, double v) {
    char t[40];
    util_fmt_double(t, sizeof t, v);
    util_buf_puts(b, t);
}

static void md_results_table(util_buf *b, const summary_scn *s, size_t ns) {
    int two = 0, timed = 0;
    for (size_t k = 0; k < ns; k++) two |= s[k].rp->two_axis, timed |= s[k].rp->timed;
    util_buf_puts(b, "| scenario | threshold |");
    if (two) util_buf_puts(b, " fit_threshold |");
    util_buf_puts(b, " leads | won | mqls | tp | fp | fn | tn | precision | recall | f1 |"
                     " mql_rate | lift | revenue_recall |");
    if (timed) util_buf_puts(b, " median days to MQL | hand-offs/week mean | p90 | max |");
    util_buf_puts(b, "\n|---|--:|");
    if (two) util_buf_puts(b, "--:|");
    util_buf_puts(b, "--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    if (timed) util_buf_puts(b, "--:|--:|--:|--:|");
    util_buf_puts(b, "\n");
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            util_buf_puts(b, "| ");
            summary_md_text(b, s[k].sc->name);
            util_buf_puts(b, " | ");
            md_thr(b, m->threshold);
            if (two) {
                util_buf_puts(b, " | ");
                if (m->two_axis) md_thr(b, m->fit_threshold);
            }
            util_buf_printf(b, " | %ld | %ld | %ld | %ld | %ld | %ld | %ld | ", m->leads, m->won,
                            m->mqls, m->tp, m->fp, m->fn, m->tn);
            md_num(b, m->precision, 4);
            util_buf_puts(b, " | ");
            md_num(b, m->recall, 4);
            util_buf_puts(b, " | ");
            md_num(b, m->f1, 4);
            util_buf_puts(b, " | ");
            md_num(b, m->mql_rate, 4);
            util_buf_puts(b, " | ");
            md_num(b, m->lift, 2);
            util_buf_puts(b, " | ");
            md_num(b, m->revenue_recall, 4);
            if (timed) {
                util_buf_puts(b, " | ");
                md_num(b, m->median_days, 1);
                util_buf_puts(b, " | ");
                md_num(b, m->weekly_mean, 1);
                util_buf_puts(b, " | ");
                md_num(b, m->weekly_p90, 1);
                util_buf_puts(b, " | ");
                md_num(b, m->weekly_max, 0);
            }
            util_buf_puts(b, " |\n");
        }
    }
}

/* Metrics as rows, one column per scenario row: easy to read across. */
static void md_side_by_side(util_buf *b, const summary_scn *s, size_t ns) {
    util_buf_puts(b, "| |");
    size_t cols = 0;
    for (size_t k = 0; k < ns; k++)
        for (size_t i = 0; i < s[k].nrows && cols < 16; i++, cols++) {
            util_buf_puts(b, " ");
            summary_md_text(b, s[k].sc->name);
            util_buf_puts(b, " @ ");
            md_thr(b, s[k].rows[i].threshold);
            if (s[k].rows[i].two_axis) {
                util_buf_puts(b, "/");
                md_thr(b, s[k].rows[i].fit_threshold);
            }
            util_buf_puts(b, " |");
        }
    util_buf_puts(b, "\n|---|");
    for (size_t c = 0; c < cols; c++) util_buf_puts(b, "--:|");
    util_buf_puts(b, "\n");
    static const char *names[] = {"hand-offs (mqls)", "won deals caught (tp)", "precision",
                                  "recall", "f1", "lift", "revenue recall",
                                  "hand-offs per week (mean)", "hand-offs per week (p90)"};
    for (size_t f = 0; f < sizeof names / sizeof *names; f++) {
        util_buf_printf(b, "| %s |", names[f]);
        size_t c = 0;
        for (size_t k = 0; k < ns; k++)
            for (size_t i = 0; i < s[k].nrows && c < 16; i++, c++) {
                const metrics_row *m = &s[k].rows[i];
                util_buf_puts(b, " ");
                switch (f) {
                case 0: util_buf_printf(b, "%ld", m->mqls); break;
                case 1: util_buf_printf(b, "%ld of %ld", m->tp, m->won); break;
                case 2: md_num(b, m->precision, 4); break;
                case 3: md_num(b, m->recall, 4); break;
                case 4: md_num(b, m->f1, 4); break;
                case 5: md_num(b, m->lift, 2); break;
                case 6: md_num(b, m->revenue_recall, 4); break;
                case 7: md_num(b, m->weekly_mean, 1); break;
                default: md_num(b, m->weekly_p90, 1); break;
                }
                util_buf_puts(b, " |");
            }
        util_buf_puts(b, "\n");
    }
    if (cols == 16) util_buf_puts(b, "\nOnly the first 16 rows are shown side by side; summary.csv has all.\n");
}

static void md_dataset(util_buf *b, const summary_scn *s) {
    const dataset *ds = s->ds;
    const replay *rp = s->rp;
    const scenario *sc = s->sc;
    util_buf_puts(b, "- Dataset: `");
    summary_md_text(b, s->data_path);
    util_buf_printf(b, "`: %zu leads, %zu events kept of %ld rows, %ld outcome rows.\n",
                    ds->nleads, ds->nevents, ds->nrows_events, ds->nrows_outcomes);
    if (ds->nleads == 0) {
        util_buf_puts(b, "- The leads file has no rows: there is nothing to replay.\n");
    } else if (!rp->timed) {
        util_buf_puts(b, "- Snapshot dataset (no timestamps): precision and recall are computed "
                         "on all events; time-based outputs (days to MQL, weekly hand-offs, "
                         "weekly.csv) are left out because there is no time to measure them by.\n");
    } else {
        char a[32];
        util_buf_puts(b, "- Cohort: leads created");
        if (sc->has_from) tstamp_format(sc->from, a, sizeof a), util_buf_printf(b, " on or after %s", a);
        if (sc->has_to) tstamp_format(sc->to, a, sizeof a), util_buf_printf(b, "%s before %s", sc->has_from ? " and" : "", a);
        if (!sc->has_from && !sc->has_to) util_buf_puts(b, " at any time");
        tstamp_format(rp->until, a, sizeof a);
        util_buf_printf(b, "; observed until %s%s", a, sc->has_until ? "" : " (latest timestamp in the data)");
        if (sc->has_maturity) {
            char t[40];
            util_fmt_double(t, sizeof t, sc->maturity_days);
            util_buf_printf(b, "; leads younger than %s days at that point are left out", t);
        }
        util_buf_puts(b, ".\n");
    }
    util_buf_printf(b, "- In the cohort: %zu leads, %ld won, %ld counted events (between "
                       "created_at and the close or the end of observation).\n",
                    rp->n, rp->nwon, rp->counted_events);
    if (!rp->has_amount) util_buf_puts(b, "- No amount column: revenue_recall is left empty.\n");
    for (int i = 0; i < rp->nnotes; i++) {
        util_buf_puts(b, "- Note: ");
        summary_md_text(b, rp->notes[i]);
        util_buf_puts(b, ".\n");
    }
}

static void md_dq(util_buf *b, const dataset *ds) {
    int any = 0;
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        const dataset_dq *q = &ds->dq[c];
        if (!q->count) continue;
        if (!any) util_buf_puts(b, "| problem | count | first examples |\n|---|--:|---|\n");
        any = 1;
        util_buf_puts(b, "| ");
        summary_md_text(b, dataset_dq_label(c));
        util_buf_printf(b, " | %ld | ", q->count);
        for (int i = 0; i < q->nexamples; i++) {
            if (i) util_buf_puts(b, "<br>");
            summary_md_text(b, q->examples[i]);
        }
        util_buf_puts(b, " |\n");
    }
    if (!any) util_buf_puts(b, "No problems found: every row was used as it is.\n");
}

void summary_md_data(util_buf *b, const summary_scn *s, const char *level) {
    util_buf_printf(b, "%s Data\n\n", level);
    md_dataset(b, s);
    util_buf_printf(b, "\n%s# Data quality\n\n", level);
    md_dq(b, s->ds);
}

void summary_md(util_buf *b, const summary_scn *s, size_t ns) {
    if (ns == 1) {
        util_buf_puts(b, "# leadsim: ");
        summary_md_text(b, s->sc->name);
        util_buf_puts(b, "\n\n");
        if (s->sc->description) {
            summary_md_text(b, s->sc->description);
            util_buf_puts(b, "\n\n");
        }
    } else {
        util_buf_puts(b, "# leadsim: comparison of ");
        for (size_t k = 0; k < ns; k++) {
            if (k) util_buf_puts(b, k + 1 == ns ? " and " : ", ");
            summary_md_text(b, s[k].sc->name);
        }
        util_buf_puts(b, "\n\n## Side by side\n\n");
        md_side_by_side(b, s, ns);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "## Results\n\n");
    md_results_table(b, s, ns);
    util_buf_puts(b, "\nPrecision: share of hand-offs that became won deals. Recall: share of won "
                     "deals that were handed off. Lift: precision over the cohort's won rate. "
                     "An empty cell (–) is undefined (its denominator is 0).\n\n");
    for (size_t k = 0; k < ns; k++) {
        util_buf_puts(b, "## Data");
        if (ns > 1) {
            util_buf_puts(b, ": ");
            summary_md_text(b, s[k].sc->name);
        }
        util_buf_puts(b, "\n\n");
        md_dataset(b, &s[k]);
        util_buf_puts(b, "\n### Data quality\n\n");
        md_dq(b, s[k].ds);
        util_buf_puts(b, "\n");
    }
}

void summary_scores_csv(util_buf *b, const replay *r, const dataset *ds) {
    util_buf_puts(b, "lead_id,fit,best_score,won,fast\n");
    for (size_t i = 0; i < r->n; i++) {
        const char *id = strtab_str(&ds->ids, r->lead[i]);
        csvread_write_field(b, id, strlen(id), 1);
        util_buf_puts(b, ",");
        summary_num(b, r->fit[i]);
        util_buf_puts(b, ",");
        if (r->st_off[i] < r->st_off[i + 1]) summary_num(b, r->st_val[r->st_off[i + 1] - 1]);
        util_buf_printf(b, ",%d,%d\n", r->won[i] ? 1 : 0, r->fast[i] != TSTAMP_NONE ? 1 : 0);
    }
}

void summary_terminal(util_buf *b, const summary_scn *s, size_t ns) {
    util_buf_printf(b, "%-20s %10s %8s %8s %9s %8s %8s %10s\n", "scenario", "threshold", "mqls",
                    "won", "precision", "recall", "f1", "per week");
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            char thr[40], p[16] = "-", r[16] = "-", f[16] = "-", w[16] = "-";
            util_fmt_double(thr, sizeof thr, m->threshold);
            if (m->two_axis) {
                size_t n = strlen(thr);
                snprintf(thr + n, sizeof thr - n, "/");
                util_fmt_double(thr + n + 1, sizeof thr - n - 1, m->fit_threshold);
            }
            if (!isnan(m->precision)) snprintf(p, sizeof p, "%.3f", m->precision);
            if (!isnan(m->recall)) snprintf(r, sizeof r, "%.3f", m->recall);
            if (!isnan(m->f1)) snprintf(f, sizeof f, "%.3f", m->f1);
            if (!isnan(m->weekly_mean)) snprintf(w, sizeof w, "%.1f", m->weekly_mean);
            util_buf_printf(b, "%-20.20s %10s %8ld %8ld %9s %8s %8s %10s\n", s[k].sc->name, thr,
                            m->mqls, m->won, p, r, f, w);
        }
    }
}
