/* out_sql.c - the sales-acceptance columns and sentences (SPEC 5.7).
 *
 * Only the writing: the numbers are sqlacc.c's. Undefined ratios and a
 * median not computed are empty fields, as everywhere. */
#include "out_sql.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvout.h"
#include "md.h"

void out_sql_csv_head(util_buf *b) {
    int nl = b->len && b->data[b->len - 1] == '\n';
    if (nl) b->len--;
    util_buf_puts(b, OUT_SQL_COLS);
    if (nl) util_buf_puts(b, "\n");
}

char *out_sql_put(char *p, const sqlacc_row *q) {
    if (!q) {
        memcpy(p, ",,,,", 4);
        return p + 4;
    }
    p = csvout_put_long(p, q->sqls);
    p = csvout_put_num(p, q->sql_rate);
    p = csvout_put_num(p, q->sql_recall);
    return csvout_put_num(p, q->days);
}

void out_sql_csv_row(util_buf *b, const sqlacc_row *q) {
    char line[OUT_SQL_MAX], *p = out_sql_put(line, q);
    util_buf_append(b, line, (size_t)(p - line));
}

void out_sql_md(util_buf *b, const char *label, const sqlacc_row *q) {
    util_buf_printf(b, "%s, sales accepted ", label);
    md_pct(b, q->sql_rate);
    util_buf_puts(b, " of the hand-offs (sql_rate), and ");
    md_pct(b, q->sql_recall);
    util_buf_puts(b, " of the ");
    md_count(b, q->sqls);
    util_buf_printf(b, " sales qualified lead%s were handed off at or before their acceptance "
                       "(sql_recall)",
                    q->sqls == 1 ? "" : "s");
    if (!isnan(q->days)) {
        util_buf_puts(b, "; median ");
        md_week(b, q->days);
        util_buf_puts(b, " days from hand-off to acceptance");
    }
    util_buf_puts(b, ".\n");
}

static const char intro[] =
    "Sales acceptance: a lead counts as a sales qualified lead (SQL) when its sql_at "
    "lies between its created_at and its cutoff. sql_rate: hand-offs that sales accepted at or "
    "after the hand-off, of all hand-offs; sql_recall: SQLs that the definition handed off at or "
    "before their acceptance, of all SQLs.\n\n";

void out_sql_run_md(util_buf *b, const out_scn *s, size_t ns) {
    int any = 0;
    double v[128] = {0};
    size_t nv = 0;
    for (size_t k = 0; k < ns; k++)
        for (size_t i = 0; s[k].sql && i < s[k].nrows && nv < 128; i++) v[nv++] = s[k].rows[i].threshold;
    int sig = md_thr_sig(v, nv);
    for (size_t k = 0; k < ns; k++) {
        if (!s[k].sql) continue;
        if (!any) util_buf_puts(b, intro);
        any = 1;
        for (size_t i = 0; i < s[k].nrows; i++) {
            const metrics_row *m = &s[k].rows[i];
            char thr[48], fit[48] = "", label[200];
            md_thr_fmt(thr, sizeof thr, m->threshold, sig);
            if (m->two_axis) {
                strcpy(fit, " / fit ");
                md_thr_fmt(fit + 7, sizeof fit - 7, m->fit_threshold, sig);
            }
            snprintf(label, sizeof label, "- At threshold %s%s", thr, fit);
            util_buf_puts(b, label);
            if (ns > 1) util_buf_puts(b, " ("), md_text(b, s[k].sc->name), util_buf_puts(b, ")");
            out_sql_md(b, "", &s[k].sql[i]);
        }
    }
    if (any) util_buf_puts(b, "\n");
}

void out_sql_sweep_md(util_buf *b, const sweep *sw) {
    if (!sw->sql) return;
    util_buf_puts(b, "## Sales acceptance\n\n");
    util_buf_puts(b, intro);
    if (sw->best >= 0) {
        const sweep_row *w = &sw->rows[sw->best];
        double v[2] = {w->T, w->F};
        int sig = md_thr_sig(v, sw->two_axis ? 2 : 1);
        char thr[48], fit[48] = "", label[200];
        md_thr_fmt(thr, sizeof thr, w->T, sig);
        if (sw->two_axis) {
            strcpy(fit, " / fit ");
            md_thr_fmt(fit + 7, sizeof fit - 7, w->F, sig);
        }
        snprintf(label, sizeof label, "At the recommended threshold %s%s", thr, fit);
        out_sql_md(b, label, &sw->sql[sw->best]);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, sw->sql_partial
                         ? "sweep.csv has sqls, sql_rate and sql_recall for every row; "
                           "days_mql_to_sql only for the recommended and runner-up rows (the "
                           "others would take one replay of every SQL per row), empty elsewhere.\n\n"
                         : "sweep.csv has sqls, sql_rate, sql_recall and days_mql_to_sql for "
                           "every row.\n\n");
}
