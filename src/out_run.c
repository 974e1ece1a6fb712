/* out_run.c - the tables of `leadsim run`: summary.csv, summary.md, scores.csv, the terminal.
 *
 * Only the writing: the rows come from metrics_eval, the Data section and
 * weekly.csv from out_scn.c, the plots from out_plots.c and the page from
 * html.c; out_run_write puts them all in the output folder. */
#include "out_run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvout.h"
#include "html.h"
#include "md.h"
#include "out_sales.h"
#include "out_sql.h"
#include "out_sweep.h"
#include "tstamp.h"

/* ---------------------------- CSV ---------------------------- */

void out_run_csv(util_buf *b, const out_scn *s, size_t ns) {
    int any_sales = 0;
    for (size_t k = 0; k < ns; k++) any_sales |= s[k].sc->has_sales;
    csvout_header(b);
    util_buf_puts(b, ",median_days_to_mql,handoff_weeks,weekly_mean,weekly_p90,weekly_max");
    if (any_sales) util_buf_puts(b, OUT_SCN_SALES_HEADER);
    int sql = 0;
    for (size_t k = 0; k < ns; k++) sql |= s[k].sql != NULL;
    if (sql) util_buf_puts(b, OUT_SQL_COLS);
    util_buf_puts(b, "\n");
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            csvout_contract c;
            csvout_contract_of_row(&c, m);
            csvout_contract_row(b, s[k].sc->name, &c);
            char line[14 * 33 + OUT_SQL_MAX + 1], *p = line;
            p = csvout_put_num(p, m->median_days);
            if (m->weekly) p = csvout_put_long(p, m->nweeks);
            else *p++ = ',';
            p = csvout_put_num(p, m->weekly_mean);
            p = csvout_put_num(p, m->weekly_p90);
            p = csvout_put_num(p, m->weekly_max);
            if (any_sales) p = out_scn_put_sales(p, s[k].srows ? &s[k].srows[i] : NULL);
            if (sql) p = out_sql_put(p, s[k].sql ? &s[k].sql[i] : NULL);
            *p++ = '\n';
            util_buf_append(b, line, (size_t)(p - line));
        }
    }
}

void out_run_scores_csv(util_buf *b, const replay *r, const dataset *ds) {
    util_buf_puts(b, "lead_id,fit,best_score,won,fast\n");
    for (size_t i = 0; i < r->n; i++) {
        csvout_text(b, strtab_str(&ds->ids, r->lead[i]));
        util_buf_puts(b, ",");
        csvout_num(b, r->fit[i]);
        util_buf_puts(b, ",");
        if (r->st_off[i] < r->st_off[i + 1]) csvout_num(b, r->st_val[r->st_off[i + 1] - 1]);
        util_buf_printf(b, ",%d,%d\n", r->won[i] ? 1 : 0, r->fast[i] != TSTAMP_NONE ? 1 : 0);
    }
}

/* ---------------------------- Markdown ---------------------------- */

/* The significant digits that tell every listed threshold apart. */
static int rows_sig(const out_scn *s, size_t ns) {
    double v[128];
    size_t n = 0;
    for (size_t k = 0; k < ns; k++)
        for (size_t i = 0; i < s[k].nrows && n + 2 <= 128; i++) {
            v[n++] = s[k].rows[i].threshold;
            if (s[k].rows[i].two_axis) v[n++] = s[k].rows[i].fit_threshold;
        }
    return md_thr_sig(v, n);
}

/* Every row of every scenario, one line each: the table of SPEC 7. */
static void md_results_table(util_buf *b, const out_scn *s, size_t ns) {
    int two = 0, timed = 0, sig = rows_sig(s, ns);
    for (size_t k = 0; k < ns; k++) two |= s[k].rp->two_axis, timed |= s[k].rp->timed;
    util_buf_puts(b, "| scenario | threshold |");
    if (two) util_buf_puts(b, " fit_threshold |");
    util_buf_puts(b, " leads | won | mqls | tp | fp | fn | tn | precision | recall | f1 |"
                     " mql_rate | lift | revenue_recall |");
    if (timed) util_buf_puts(b, " median days to MQL | hand-offs/week mean | p90 | max |");
    util_buf_puts(b, "\n|---|");
    md_rule(b, two ? 15 : 14, "--:");
    if (timed) md_rule(b, 4, "--:");
    util_buf_puts(b, "\n");
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            util_buf_puts(b, "|");
            md_cell_text(b, s[k].sc->name);
            md_cell_thr(b, m->threshold, sig);
            if (two) {
                if (m->two_axis) md_cell_thr(b, m->fit_threshold, sig);
                else md_cell(b, "");
            }
            long counts[] = {m->leads, m->won, m->mqls, m->tp, m->fp, m->fn, m->tn};
            for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) md_cell_long(b, counts[c]);
            md_cell_ratio(b, m->precision);
            md_cell_ratio(b, m->recall);
            md_cell_ratio(b, m->f1);
            md_cell_ratio(b, m->mql_rate);
            md_cell_num(b, m->lift, 2);
            md_cell_ratio(b, m->revenue_recall);
            if (timed) {
                md_cell_week(b, m->median_days);
                md_cell_week(b, m->weekly_mean);
                md_cell_week(b, m->weekly_p90);
                md_cell_num(b, m->weekly_max, 0);
            }
            util_buf_puts(b, "\n");
        }
    }
}

/* At most this many rows side by side: more would not fit a page. */
enum { SIDE_MAX = 16 };

/* One metric of a row, as the side-by-side table shows it. */
static void side_cell(util_buf *b, const metrics_row *m, size_t f) {
    util_buf_puts(b, " ");
    switch (f) {
    case 0: util_buf_printf(b, "%ld", m->mqls); break;
    case 1: util_buf_printf(b, "%ld of %ld", m->tp, m->won); break;
    case 2: md_ratio(b, m->precision); break;
    case 3: md_ratio(b, m->recall); break;
    case 4: md_ratio(b, m->f1); break;
    case 5: md_num(b, m->lift, 2); break;
    case 6: md_ratio(b, m->revenue_recall); break;
    case 7: md_week(b, m->weekly_mean); break;
    default: md_week(b, m->weekly_p90); break;
    }
    util_buf_puts(b, " |");
}

/* Metrics as rows, one column per scenario row: easy to read across. */
static void md_side_by_side(util_buf *b, const out_scn *s, size_t ns) {
    util_buf_puts(b, "| |");
    size_t cols = 0;
    int sig = rows_sig(s, ns);
    for (size_t k = 0; k < ns; k++)
        for (size_t i = 0; i < s[k].nrows && cols < SIDE_MAX; i++, cols++) {
            util_buf_puts(b, " ");
            md_text(b, s[k].sc->name);
            util_buf_puts(b, " @ ");
            md_thr(b, s[k].rows[i].threshold, sig);
            if (s[k].rows[i].two_axis) {
                util_buf_puts(b, "/");
                md_thr(b, s[k].rows[i].fit_threshold, sig);
            }
            util_buf_puts(b, " |");
        }
    util_buf_puts(b, "\n|---|");
    md_rule(b, cols, "--:");
    util_buf_puts(b, "\n");
    static const char *names[] = {"hand-offs (mqls)", "won deals caught (tp)", "precision",
                                  "recall", "f1", "lift", "revenue recall",
                                  "hand-offs per week (mean)", "hand-offs per week (p90)"};
    for (size_t f = 0; f < sizeof names / sizeof *names; f++) {
        util_buf_printf(b, "| %s |", names[f]);
        size_t c = 0;
        for (size_t k = 0; k < ns; k++)
            for (size_t i = 0; i < s[k].nrows && c < SIDE_MAX; i++, c++) side_cell(b, &s[k].rows[i], f);
        util_buf_puts(b, "\n");
    }
    if (cols == SIDE_MAX)
        util_buf_puts(b, "\nOnly the first 16 rows are shown side by side; summary.csv has all.\n");
}

/* The title and the description of one scenario. */
static void md_top(util_buf *b, const out_scn *s) {
    util_buf_puts(b, "# leadsim: ");
    md_text(b, s->sc->name);
    util_buf_puts(b, "\n\n");
    if (s->sc->description) {
        md_text(b, s->sc->description);
        util_buf_puts(b, "\n\n");
    }
}

void out_run_md(util_buf *b, const out_scn *s, size_t ns) {
    if (ns == 1) {
        md_top(b, s);
        if (s->sw) out_sweep_answer_md(b, s, "##", 1);
    } else {
        util_buf_puts(b, "# leadsim: comparison of ");
        for (size_t k = 0; k < ns; k++) {
            if (k) util_buf_puts(b, k + 1 == ns ? " and " : ", ");
            md_text(b, s[k].sc->name);
        }
        util_buf_puts(b, "\n\n");
        if (s->sw) out_sweep_compare_md(b, s, ns);
        util_buf_puts(b, "## Side by side\n\n");
        md_side_by_side(b, s, ns);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "## Results\n\n");
    md_results_table(b, s, ns);
    util_buf_puts(b, "\nPrecision: share of hand-offs that became won deals. Recall: share of won "
                     "deals that were handed off. Lift: precision over the cohort's won rate. "
                     "An empty cell (–) is undefined (its denominator is 0).\n\n");
    for (size_t k = 0; k < ns; k++) out_sales_md(b, &s[k], ns > 1 ? "###" : "##", ns > 1);
    out_sql_run_md(b, s, ns);
    for (size_t k = 0; k < ns; k++) {
        util_buf_puts(b, "## Data");
        if (ns > 1) {
            util_buf_puts(b, ": ");
            md_text(b, s[k].sc->name);
        }
        util_buf_puts(b, "\n\n");
        out_scn_md_cohort(b, &s[k]);
        util_buf_puts(b, "\n### Data quality\n\n");
        out_scn_md_quality(b, s[k].ds);
        util_buf_puts(b, "\n");
    }
}

/* ---------------------------- Terminal ---------------------------- */

void out_run_terminal(util_buf *b, const out_scn *s, size_t ns) {
    int sig = rows_sig(s, ns);
    util_buf_printf(b, "%-20s %10s %8s %8s %9s %8s %8s %10s\n", "scenario", "threshold", "mqls",
                    "won", "precision", "recall", "f1", "per week");
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            char thr[40], p[16] = "-", r[16] = "-", f[16] = "-", w[16] = "-";
            md_thr_fmt(thr, sizeof thr, m->threshold, sig);
            if (m->two_axis) {
                size_t n = strlen(thr);
                snprintf(thr + n, sizeof thr - n, "/");
                md_thr_fmt(thr + n + 1, sizeof thr - n - 1, m->fit_threshold, sig);
            }
            if (!isnan(m->precision)) snprintf(p, sizeof p, "%.3f", m->precision);
            if (!isnan(m->recall)) snprintf(r, sizeof r, "%.3f", m->recall);
            if (!isnan(m->f1)) snprintf(f, sizeof f, "%.3f", m->f1);
            if (!isnan(m->weekly_mean)) snprintf(w, sizeof w, "%.1f", m->weekly_mean);
            util_buf_printf(b, "%-20.20s %10s %8ld %8ld %9s %8s %8s %10s\n", s[k].sc->name, thr,
                            m->mqls, m->won, p, r, f, w);
        }
    }
    for (size_t k = 0; k < ns; k++) out_sales_terminal(b, &s[k]);
    if (ns && s->sw) {
        util_buf_puts(b, "\n");
        out_sweep_answer_text(b, s, ns);
    }
}

/* ---------------------------- The files ---------------------------- */

int out_run_write(outdir *o, out_plots *p, const char *prefix, const out_scn *s, size_t ns,
                  util_err *err) {
    util_buf b, md;
    util_buf_init(&b);
    util_buf_init(&md);
    out_run_csv(&b, s, ns);
    if (outdir_take_buf(o, prefix, "summary.csv", &b, err) < 0) return -1;
    out_run_md(&md, s, ns);
    if (md.failed) {
        util_enomem(err);
        goto fail;
    }
    if (ns == 1) {
        out_run_scores_csv(&b, s->rp, s->ds);
        if (outdir_take_buf(o, prefix, "scores.csv", &b, err) < 0) goto fail;
        if (out_scn_weekly_csv(&b, s) == 0 && outdir_take_buf(o, prefix, "weekly.csv", &b, err) < 0)
            goto fail;
        util_buf_fini(&b);
    }
    if (out_sales_staffing_csv(&b, s, ns) == 0 &&
        outdir_take_buf(o, prefix, "staffing.csv", &b, err) < 0)
        goto fail;
    util_buf_fini(&b);
    if (out_plots_run(p, o, prefix, s, ns, err) < 0) goto fail;
    char title[300];
    snprintf(title, sizeof title, ns > 1 ? "leadsim: comparison" : "leadsim: %s", s->sc->name);
    if (html_page(&b, title, md.data, p, p->note, err) < 0) goto fail;
    if (outdir_take_buf(o, prefix, "report.html", &b, err) < 0) goto fail;
    if (outdir_take_buf(o, prefix, "summary.md", &md, err) < 0) return -1;
    return 0;
fail:
    util_buf_fini(&b);
    util_buf_fini(&md);
    return -1;
}

void out_run_stale(const char **stale, char (*buf)[300], size_t *n, size_t max,
                   const char *prefix) {
    static const char *files[] = {"weekly.csv", "staffing.csv", "plots/pr.svg",      "plots/pr.png",
                                  "plots/weekly.svg",   "plots/weekly.png",  "plots/tradeoff.svg",
                                  "plots/tradeoff.png", "plots/scores.svg",  "plots/scores.png",
                                  "plots/queue.svg",    "plots/queue.png",   "plots/waits.svg",
                                  "plots/waits.png"};
    for (size_t k = 0; k < sizeof files / sizeof *files && *n + 1 < max; k++) {
        snprintf(buf[*n], sizeof buf[*n], "%s%s", prefix, files[k]);
        stale[*n] = buf[*n];
        (*n)++;
    }
    stale[*n] = NULL;
}
