/* csvout.c - the contract columns, and numbers and input text as CSV cells.
 *
 * Only the cells: which rows a table has, and what comes after the contract
 * columns, is each writer's. Building a line in a local array (the put
 * functions) is what lets sweep.csv write millions of rows quickly; the
 * util_buf functions are the same text for smaller tables. */
#include "csvout.h"

#include <math.h>
#include <string.h>

#include "csvread.h"

void csvout_contract_of_row(csvout_contract *c, const metrics_row *m) {
    *c = (csvout_contract){
        .threshold = m->threshold,
        .fit_threshold = m->two_axis ? m->fit_threshold : NAN,
        .leads = m->leads, .won = m->won, .mqls = m->mqls,
        .tp = m->tp, .fp = m->fp, .fn = m->fn, .tn = m->tn,
        .q = {m->precision, m->recall, m->f1, m->mql_rate, m->lift, m->revenue_recall},
    };
}

void csvout_contract_of_counts(csvout_contract *c, double T, double F, long leads, long won,
                               long tp, long fp, double tp_amount, double won_amount) {
    *c = (csvout_contract){
        .threshold = T, .fit_threshold = F,
        .leads = leads, .won = won, .mqls = tp + fp,
        .tp = tp, .fp = fp, .fn = won - tp, .tn = leads - won - fp,
    };
    metrics_ratios_of(leads, won, tp, fp, tp_amount, won_amount, &c->q);
}

void csvout_header(util_buf *b) { util_buf_puts(b, CSVOUT_CONTRACT_COLS); }

char *csvout_put_num(char *p, double v) {
    *p++ = ',';
    if (!isnan(v)) p += util_fmt_double(p, 32, v);
    return p;
}

char *csvout_put_long(char *p, long v) {
    *p++ = ',';
    return p + util_fmt_long(p, v);
}

char *csvout_put_contract(char *p, const csvout_contract *c) {
    p = csvout_put_num(p, c->threshold);
    p = csvout_put_num(p, c->fit_threshold);
    p = csvout_put_long(p, c->leads);
    p = csvout_put_long(p, c->won);
    p = csvout_put_long(p, c->mqls);
    p = csvout_put_long(p, c->tp);
    p = csvout_put_long(p, c->fp);
    p = csvout_put_long(p, c->fn);
    p = csvout_put_long(p, c->tn);
    p = csvout_put_num(p, c->q.precision);
    p = csvout_put_num(p, c->q.recall);
    p = csvout_put_num(p, c->q.f1);
    p = csvout_put_num(p, c->q.mql_rate);
    p = csvout_put_num(p, c->q.lift);
    p = csvout_put_num(p, c->q.revenue_recall);
    return p;
}

void csvout_contract_row(util_buf *b, const char *name, const csvout_contract *c) {
    char line[CSVOUT_CONTRACT_MAX];
    csvout_text(b, name);
    util_buf_append(b, line, (size_t)(csvout_put_contract(line, c) - line));
}

void csvout_num(util_buf *b, double v) {
    if (isnan(v)) return;
    char t[40];
    util_fmt_double(t, sizeof t, v);
    util_buf_puts(b, t);
}

void csvout_text(util_buf *b, const char *s) { csvread_write_field(b, s, strlen(s), 1); }
