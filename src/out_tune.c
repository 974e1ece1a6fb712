/* out_tune.c - tune's tables: tune-grid.csv, tune.md and the lines for the terminal.
 *
 * Writes what tune_run computed (tune.h) and computes nothing of its own
 * beyond the ratios of each row (metrics_ratios_of) and the order of the
 * best vectors (tune_top). Numbers are formatted as the contract tables
 * format them (summary.h), Markdown text escaped the same way. */
#include "out_tune.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvread.h"
#include "metrics.h"
#include "csvout.h"
#include "md.h"
#include "out_scn.h"
#include "tune_grid.h"

static void num(util_buf *b, double v) {
    util_buf_puts(b, ",");
    csvout_num(b, v);
}

static const char *type_name(const tune *t, size_t j) {
    return t->sc->behaviour[t->g->vary[j]].type;
}

void out_tune_csv(util_buf *b, const tune *t) {
    const tune_grid *g = t->g;
    util_buf_puts(b, "vector");
    for (size_t j = 0; j < g->nvary; j++) {
        util_buf_puts(b, ",");
        csvread_write_field(b, type_name(t, j), strlen(type_name(t, j)), 1);
    }
    util_buf_puts(b, "," CSVOUT_CONTRACT_COLS ",objective,thresholds\n");
    const char *name = t->sc->name;
    for (size_t v = 0; v < g->nvec; v++) {
        const tune_row *w = &t->rows[v];
        util_buf_printf(b, "%zu", v + 1);
        for (size_t j = 0; j < g->nvary; j++) {
            const scenario_points *p = &t->sc->behaviour[g->vary[j]];
            num(b, p->vals[tune_grid_digit(g, v, j)]);
        }
        util_buf_puts(b, ",");
        csvread_write_field(b, name, strlen(name), 1);
        if (!w->has) {
            util_buf_printf(b, ",,,%ld,%ld,,,,,,,,,,,,,%ld\n", t->leads, t->won, w->nthresholds);
            continue;
        }
        csvout_contract k;
        csvout_contract_of_counts(&k, w->T, t->two_axis ? w->F : NAN, t->leads, t->won, w->tp,
                                  w->fp, w->tp_amount, t->won_amount);
        char line[CSVOUT_CONTRACT_MAX];
        util_buf_append(b, line, (size_t)(csvout_put_contract(line, &k) - line));
        num(b, w->objective);
        util_buf_printf(b, ",%ld\n", w->nthresholds);
    }
}

/* An objective's value for reading: a ratio to 3 decimals, but hand-offs
 * (recall_at_least) and money (value:) as whole numbers. */
static void objective_num(util_buf *b, const tune *t, double v) {
    int kind = t->sc->objective;
    if (kind == SCENARIO_OBJ_VALUE || kind == SCENARIO_OBJ_RECALL_AT_LEAST) md_thr(b, v, MD_THR_SIG);
    else md_ratio(b, v);
}

static void objective_cell(util_buf *b, const tune *t, double v) {
    util_buf_puts(b, " ");
    objective_num(b, t, v);
    util_buf_puts(b, " |");
}

/* A fence longer than any run of backticks in the lines it encloses. */
static int fence_len(const tune *t) {
    int longest = 0;
    for (size_t k = 0; k < t->sc->nbehaviour; k++) {
        int run = 0;
        for (const char *s = t->sc->behaviour[k].type; *s; s++) {
            run = *s == '`' ? run + 1 : 0;
            if (run > longest) longest = run;
        }
    }
    return longest < 3 ? 3 : longest + 1;
}

/* ## Candidate grid: the types that vary, their values, the fixed ones,
 * what each vector's row is, and the method. */
static void md_grid(util_buf *b, const tune *t) {
    const tune_grid *g = t->g;
    const scenario *sc = t->sc;
    util_buf_printf(b, "## Candidate grid\n\n%zu weight vector%s: ", g->nvec, g->nvec == 1 ? "" : "s");
    for (size_t j = 0; j < g->nvary; j++) {
        const scenario_points *p = &sc->behaviour[g->vary[j]];
        if (j) util_buf_puts(b, " × ");
        md_text(b, p->type);
        util_buf_printf(b, " (%zu values: ", p->nvals);
        for (size_t i = 0; i < p->nvals; i++) {
            if (i) util_buf_puts(b, ", ");
            if (i == 3 && p->nvals > 5) {
                util_buf_puts(b, "…, ");
                i = p->nvals - 1;
            }
            md_exact(b, p->vals[i]);
        }
        util_buf_puts(b, ")");
    }
    util_buf_puts(b, ".");
    int nfixed = 0;
    for (size_t k = 0; k < sc->nbehaviour; k++) {
        if (sc->behaviour[k].nvals != 1) continue;
        util_buf_puts(b, nfixed++ ? ", " : " Fixed: ");
        md_text(b, sc->behaviour[k].type);
        util_buf_puts(b, " = ");
        md_exact(b, sc->behaviour[k].vals[0]);
    }
    if (nfixed) util_buf_puts(b, ".");
    util_buf_puts(b, "\n\nFor each vector: the full sweep (every threshold at which some lead "
                     "changes class) and the threshold it recommends under the objective `");
    md_text(b, sc->objective_text ? sc->objective_text : "f1");
    util_buf_puts(b, "`, exactly as `leadsim sweep` computes them for the scenario with those "
                     "weights. The best vector is the best of those recommendations by the same "
                     "rules (then the first in grid order). tune-grid.csv has every vector.\n\n");
    util_buf_printf(b, "Method: %s (%s).\n\n", tune_method_name(t->method), t->why);
}

/* The table of the K best vectors IDX, best first. */
/* ## Best vectors: the table of the K best vectors IDX, best first. */
static void md_best(util_buf *b, const tune *t, const size_t *idx, size_t k) {
    const tune_grid *g = t->g;
    const scenario *sc = t->sc;
    util_buf_puts(b, "| rank | vector |");
    for (size_t j = 0; j < g->nvary; j++) {
        util_buf_puts(b, " ");
        md_text(b, type_name(t, j));
        util_buf_puts(b, " |");
    }
    util_buf_puts(b, " threshold |");
    if (t->two_axis) util_buf_puts(b, " fit threshold |");
    util_buf_puts(b, " hand-offs | won caught | precision | recall | f1 | objective |\n|--:|--:|");
    for (size_t j = 0; j < g->nvary; j++) util_buf_puts(b, "--:|");
    util_buf_puts(b, t->two_axis ? "--:|--:|" : "--:|");
    util_buf_puts(b, "--:|--:|--:|--:|--:|--:|\n");
    for (size_t i = 0; i < k; i++) {
        const tune_row *w = &t->rows[idx[i]];
        metrics_ratios q;
        metrics_ratios_of(t->leads, t->won, w->tp, w->fp, w->tp_amount, t->won_amount, &q);
        util_buf_printf(b, "| %zu | %zu |", i + 1, idx[i] + 1);
        for (size_t j = 0; j < g->nvary; j++) {
            util_buf_puts(b, " ");
            md_exact(b, sc->behaviour[g->vary[j]].vals[tune_grid_digit(g, idx[i], j)]);
            util_buf_puts(b, " |");
        }
        md_cell_thr(b, w->T, MD_THR_SIG); /* readable; the lines to paste below are exact */
        if (t->two_axis) md_cell_thr(b, w->F, MD_THR_SIG);
        util_buf_printf(b, " %ld | %ld |", w->tp + w->fp, w->tp);
        md_cell_ratio(b, q.precision);
        md_cell_ratio(b, q.recall);
        md_cell_ratio(b, q.f1);
        objective_cell(b, t, w->objective);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\n");
}

/* ## Replay the chosen one: vector V's weights and threshold as scenario lines. */
static void md_chosen(util_buf *b, const tune *t, size_t v) {
    const tune_grid *g = t->g;
    const scenario *sc = t->sc;
    const tune_row *w = &t->rows[v];
    int fl = fence_len(t);
    util_buf_printf(b, "## Replay the chosen one\n\nVector %zu: put these lines in the "
                       "scenario in place of its [behaviour] and threshold, then run `leadsim "
                       "sweep` or `leadsim run` on it:\n\n",
                    v + 1);
    for (int i = 0; i < fl; i++) util_buf_puts(b, "`");
    util_buf_puts(b, "ini\n[behaviour]\n");
    for (size_t kk = 0; kk < sc->nbehaviour; kk++) {
        util_buf_printf(b, "%s = ", sc->behaviour[kk].type);
        md_exact(b, tune_grid_weight(g, v, kk));
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\n[mql]\nthreshold = ");
    md_exact(b, w->T);
    if (t->two_axis) {
        util_buf_puts(b, "\nfit_threshold = ");
        md_exact(b, w->F);
    }
    util_buf_puts(b, "\n");
    for (int i = 0; i < fl; i++) util_buf_puts(b, "`");
    util_buf_puts(b, "\n\n");
}

void out_tune_md(util_buf *b, const tune *t, const dataset *ds, const char *data_path) {
    const tune_grid *g = t->g;
    const scenario *sc = t->sc;
    util_buf_puts(b, "# leadsim tune: ");
    md_text(b, sc->name);
    util_buf_puts(b, "\n\n");
    if (sc->description) {
        md_text(b, sc->description);
        util_buf_puts(b, "\n\n");
    }
    md_grid(b, t);
    size_t idx[10];
    size_t k = tune_top(t, idx, 10);
    size_t none = 0;
    for (size_t v = 0; v < g->nvec; v++) none += !t->rows[v].has;
    util_buf_puts(b, "## Best vectors\n\n");
    if (k == 0) {
        util_buf_puts(b, "No vector has a recommended threshold: under every weight vector the "
                         "objective is undefined or not satisfied at every threshold (`leadsim "
                         "sweep` on one of them says why).\n\n");
    } else {
        md_best(b, t, idx, k);
        if (none)
            util_buf_printf(b, "%zu of the %zu vectors %s no recommended threshold (the objective "
                               "is undefined or not satisfied at every threshold).\n\n",
                            none, g->nvec, none == 1 ? "has" : "have");
        md_chosen(b, t, idx[0]);
    }
    out_scn ss = {.sc = sc, .ds = ds, .rp = t->rp, .data_path = data_path};
    out_scn_md_data(b, &ss, "##");
}

void out_tune_terminal(util_buf *b, const tune *t) {
    const tune_grid *g = t->g;
    util_buf_printf(b, "tune: %zu weight vector%s, objective %s, method %s\n", g->nvec,
                    g->nvec == 1 ? "" : "s", t->sc->objective_text ? t->sc->objective_text : "f1",
                    tune_method_name(t->method));
    size_t idx[1];
    if (tune_top(t, idx, 1) == 0) {
        util_buf_puts(b, "no vector has a recommended threshold\n");
        return;
    }
    const tune_row *w = &t->rows[idx[0]];
    util_buf_printf(b, "best: vector %zu:", idx[0] + 1);
    for (size_t j = 0; j < g->nvary; j++) {
        util_buf_printf(b, "%s %s = ", j ? "," : "", type_name(t, j));
        md_exact(b, t->sc->behaviour[g->vary[j]].vals[tune_grid_digit(g, idx[0], j)]);
    }
    util_buf_puts(b, "; threshold ");
    md_thr(b, w->T, MD_THR_SIG);
    if (t->two_axis) {
        util_buf_puts(b, ", fit threshold ");
        md_thr(b, w->F, MD_THR_SIG);
    }
    metrics_ratios q;
    metrics_ratios_of(t->leads, t->won, w->tp, w->fp, w->tp_amount, t->won_amount, &q);
    util_buf_printf(b, ": %ld hand-offs, %ld of %ld won deals", w->tp + w->fp, w->tp, t->won);
    if (!isnan(q.precision)) util_buf_printf(b, ", precision %.3f", q.precision);
    if (!isnan(q.recall)) util_buf_printf(b, ", recall %.3f", q.recall);
    util_buf_puts(b, ", objective ");
    objective_num(b, t, w->objective);
    util_buf_puts(b, "\n");
}
