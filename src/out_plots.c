/* out_plots.c - data files for each plot template and the calls that draw them.
 *
 * The data go to a private temporary folder as plain CSV (NaN where a value
 * is undefined, which the templates treat as missing); the pictures go to
 * the staging folder through outdir_path, so they appear with the tables or
 * not at all. */
#include "out_plots.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "objective.h"
#include "tstamp.h"

void out_plots_open(out_plots *c, int no_plots) {
    memset(c, 0, sizeof *c);
    if (no_plots) {
        snprintf(c->note, sizeof c->note, "plots were skipped (--no-plots)");
        return;
    }
    if (gnuplot_find(&c->env, c->note, sizeof c->note) < 0) return;
    snprintf(c->work, sizeof c->work, "/tmp/leadsim-plot-XXXXXX");
    if (!mkdtemp(c->work)) {
        snprintf(c->note, sizeof c->note, "plots were skipped: no temporary folder for their data");
        c->work[0] = '\0';
        return;
    }
    c->enabled = 1;
}

void out_plots_close(out_plots *c) {
    for (int i = 0; i < c->nitems; i++) free(c->items[i].svg_path);
    c->nitems = 0;
    if (c->work[0]) {
        static const char *files[] = {"tradeoff.csv", "pr.csv", "weekly.csv", "workload.csv",
                                      "heat.csv", "scores.csv"};
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
            char p[400];
            snprintf(p, sizeof p, "%s/%s", c->work, files[i]);
            unlink(p);
        }
        rmdir(c->work);
        c->work[0] = '\0';
    }
}

static void num(util_buf *b, double v) {
    if (isnan(v)) util_buf_puts(b, "NaN");
    else csvout_num(b, v);
}

/* Write b to the work folder as NAME (its path in path) and empty b,
 * whatever happens. */
static int write_data(out_plots *c, const char *name, util_buf *b, char *path, size_t npath,
                      util_err *err) {
    snprintf(path, npath, "%s/%s", c->work, name);
    if (b->failed) {
        util_buf_fini(b);
        return util_enomem(err);
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        util_buf_fini(b);
        return util_errf(err, UTIL_EIO, "%s: cannot write plot data: %s", path, strerror(errno));
    }
    size_t w = b->len ? fwrite(b->data, 1, b->len, fp) : 0;
    int e = w != b->len ? (errno ? errno : EIO) : 0;
    if (fclose(fp) != 0 && !e) e = errno ? errno : EIO;
    util_buf_fini(b);
    if (e) return util_errf(err, UTIL_EIO, "%s: cannot write plot data: %s", path, strerror(e));
    return 0;
}

/* Draw TEMPLATE to PREFIX + "plots/" + NAME; vars as in gnuplot_render. */
static int draw(out_plots *c, outdir *o, const char *prefix, const char *name, const char *tmpl,
                const char *const *vars, const char *caption, util_err *err) {
    if (c->nitems >= OUT_PLOTS_MAX) return 0;
    out_plots_item *it = &c->items[c->nitems];
    snprintf(it->rel, sizeof it->rel, "%splots/%s", prefix, name);
    char rel_svg[160], rel_png[160];
    snprintf(rel_svg, sizeof rel_svg, "%s.svg", it->rel);
    snprintf(rel_png, sizeof rel_png, "%s.png", it->rel);
    char *svg = NULL, *png = NULL;
    if (outdir_path(o, rel_svg, &svg, err) < 0 || outdir_path(o, rel_png, &png, err) < 0) {
        free(svg);
        free(png);
        return -1;
    }
    size_t n = strlen(svg) - 4; /* without ".svg" */
    char base[8192];
    snprintf(base, sizeof base, "%.*s", (int)n, svg);
    free(png);
    if (gnuplot_render(&c->env, tmpl, vars, base, err) < 0) {
        free(svg);
        if (err->code != UTIL_EINTERNAL || strstr(err->msg, "gnuplot failed") == NULL) return -1;
        /* A plot that cannot be drawn must not cost the user the tables. */
        snprintf(c->note, sizeof c->note, "plots were skipped: %s", err->msg);
        c->enabled = 0;
        return 0;
    }
    it->svg_path = svg;
    snprintf(it->caption, sizeof it->caption, "%s", caption);
    c->nitems++;
    return 0;
}

static void fmt_num(char *buf, size_t n, double v) {
    if (isnan(v)) buf[0] = '\0';
    else util_fmt_double(buf, n, v);
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The 1st and 99th percentiles of the best scores, and how many won and
 * not-won leads have one. Returns 1 when no lead has a score, 0, or -1. */
static int score_range(const replay *r, double *lo, double *hi, long *nwon, long *nlost,
                       util_err *err) {
    double *all = util_malloc(r->n * sizeof *all + 1);
    if (!all) return util_enomem(err);
    size_t na = 0;
    *nwon = *nlost = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->st_off[i] == r->st_off[i + 1]) continue;
        all[na++] = r->st_val[r->st_off[i + 1] - 1];
        if (r->won[i]) ++*nwon;
        else ++*nlost;
    }
    if (na == 0) {
        free(all);
        return 1;
    }
    qsort(all, na, sizeof *all, cmp_dbl);
    *lo = all[(size_t)(0.01 * (double)(na - 1))];
    *hi = all[(size_t)(0.99 * (double)(na - 1))];
    free(all);
    return 0;
}

/* Write scores.csv (its path in path, the bin width in bw): the share of
 * won and of not-won leads in each bin of width bw from lo to hi (the
 * scores outside gathered in the end bins). */
static int score_bins(out_plots *c, const replay *r, double lo, double hi, long nwon, long nlost,
                      char *path, size_t npath, double *bw_out, util_err *err) {
    double raw = (hi - lo) / 40, bw = 1;
    if (raw > 0) {
        double mag = pow(10, floor(log10(raw)));
        bw = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
    }
    double start = floor(lo / bw) * bw;
    size_t nb = (size_t)floor((hi - start) / bw) + 1;
    long *w = util_calloc(nb, sizeof *w), *l = util_calloc(nb, sizeof *l);
    if (!w || !l) {
        free(w);
        free(l);
        return util_enomem(err);
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->st_off[i] == r->st_off[i + 1]) continue;
        double x = floor((r->st_val[r->st_off[i + 1] - 1] - start) / bw);
        size_t k = x < 0 ? 0 : x >= (double)nb ? nb - 1 : (size_t)x;
        if (r->won[i]) w[k]++;
        else l[k]++;
    }
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "# bin start, share of won, share of not won\n");
    for (size_t k = 0; k < nb; k++) {
        num(&b, start + (double)k * bw);
        util_buf_puts(&b, ",");
        num(&b, nwon ? (double)w[k] / (double)nwon : NAN);
        util_buf_puts(&b, ",");
        num(&b, nlost ? (double)l[k] / (double)nlost : NAN);
        util_buf_puts(&b, "\n");
    }
    free(w);
    free(l);
    *bw_out = bw;
    return write_data(c, "scores.csv", &b, path, npath, err);
}

/* Score distribution: about 40 bins of a round width between the 1st and
 * 99th percentiles (scores have long tails: the rest is gathered in the end
 * bins), each class summing to 1. */
static int draw_scores(out_plots *c, outdir *o, const char *prefix, const char *name,
                       const out_scn *s, const double *thr, size_t nthr, util_err *err) {
    const replay *r = s->rp;
    long nwon = 0, nlost = 0;
    double lo = 0, hi = 0, bw = 1;
    int rc = score_range(r, &lo, &hi, &nwon, &nlost, err);
    if (rc != 0) return rc < 0 ? -1 : 0; /* no scores at all: no plot */
    for (size_t k = 0; k < nthr; k++) { /* keep the thresholds in view */
        if (thr[k] < lo) lo = thr[k];
        if (thr[k] > hi) hi = thr[k];
    }
    char path[512], bws[40], title[300];
    if (score_bins(c, r, lo, hi, nwon, nlost, path, sizeof path, &bw, err) < 0) return -1;
    util_buf t;
    util_buf_init(&t);
    for (size_t k = 0; k < nthr && k < 8; k++) {
        char v[40];
        util_fmt_double(v, sizeof v, thr[k]);
        util_buf_printf(&t, "%s%s", k ? " " : "", v);
    }
    if (t.failed) {
        util_buf_fini(&t);
        return util_enomem(err);
    }
    util_fmt_double(bws, sizeof bws, bw);
    snprintf(title, sizeof title, "%s: best score of won and not-won leads%s", s->sc->name,
             r->two_axis ? " (behaviour points)" : "");
    const char *vars[] = {"datafile", path, "title_text", title, "thresholds", t.data ? t.data : "",
                          "binwidth", bws, NULL};
    rc = draw(c, o, prefix, name, "scores", vars,
              "How the best score before the close is distributed for won and for not-won "
              "leads (the lowest and highest 1% are gathered in the end bars); dashed lines "
              "mark the threshold(s). The further apart the two shapes, the better the score "
              "separates buyers.",
              err);
    util_buf_fini(&t);
    return rc;
}

static int draw_weekly(out_plots *c, outdir *o, const char *prefix, const char *name,
                       const char *title, const metrics_row *const *rows, const char *const *labels,
                       size_t nrows, double capacity, const char *caption, util_err *err) {
    util_buf b, names;
    util_buf_init(&b);
    util_buf_init(&names);
    int any = 0;
    for (size_t k = 0; k < nrows; k++) {
        const metrics_row *m = rows[k];
        if (!m->weekly) continue;
        if (any) util_buf_puts(&b, "\n\n");
        any = 1;
        for (long wk = 0; wk < m->nweeks; wk++) {
            char d[16];
            tstamp_format_date(m->first_week + wk * 7 * TSTAMP_USEC_PER_DAY, d, sizeof d);
            util_buf_printf(&b, "%s,%ld\n", d, m->weekly[wk]);
        }
        util_buf_printf(&names, "%s%s", names.len ? " " : "", labels[k]);
    }
    if (!any) {
        util_buf_fini(&b);
        util_buf_fini(&names);
        return 0;
    }
    char path[512], cap[40];
    if (names.failed) {
        util_buf_fini(&b);
        util_buf_fini(&names);
        return util_enomem(err);
    }
    if (write_data(c, "weekly.csv", &b, path, sizeof path, err) < 0) {
        util_buf_fini(&names);
        return -1;
    }
    fmt_num(cap, sizeof cap, capacity);
    const char *vars[] = {"datafile", path, "title_text", title, "names", names.data,
                          "capacity", cap, NULL};
    int rc = draw(c, o, prefix, name, "weekly", vars, caption, err);
    util_buf_fini(&names);
    return rc;
}

/* ---------------------------- The plots of a run ---------------------------- */

/* Precision against recall: one series per scenario. */
static int run_pr(out_plots *c, outdir *o, const char *prefix, const out_scn *s, size_t ns,
                  util_err *err) {
    char path[512], title[300];
    util_buf b, names;
    util_buf_init(&b);
    util_buf_init(&names);
    for (size_t k = 0; k < ns; k++) {
        if (k) util_buf_puts(&b, "\n\n");
        for (size_t i = 0; i < s[k].nrows; i++) {
            num(&b, s[k].rows[i].recall);
            util_buf_puts(&b, ",");
            num(&b, s[k].rows[i].precision);
            util_buf_puts(&b, "\n");
        }
        util_buf_printf(&names, "%s%s", k ? " " : "", s[k].sc->name);
    }
    int rc = -1;
    if (names.failed) {
        util_buf_fini(&b);
        util_enomem(err);
        goto done;
    }
    if (write_data(c, "pr.csv", &b, path, sizeof path, err) < 0) goto done;
    snprintf(title, sizeof title, ns > 1 ? "Precision and recall of each scenario"
                                         : "%s: precision and recall at each threshold",
             s->sc->name);
    const char *vars[] = {"datafile", path, "title_text", title, "names", names.data,
                          "style", "linespoints", "rec_recall", "", "rec_precision", "", NULL};
    rc = draw(c, o, prefix, "pr", "pr", vars,
              "Precision against recall, one point per threshold (and fit threshold): up "
              "and to the right is better.",
              err);
done:
    util_buf_fini(&names);
    return rc;
}

/* Weekly hand-offs: each threshold of one scenario, or each scenario's first row. */
static int run_weekly(out_plots *c, outdir *o, const char *prefix, const out_scn *s, size_t ns,
                      util_err *err) {
    const metrics_row *rows[6];
    char lab[6][96], title[300];
    const char *labels[6];
    size_t nr = 0;
    for (size_t k = 0; k < ns && nr < 6; k++)
        for (size_t i = 0; i < s[k].nrows && nr < 6 && (ns == 1 || i == 0); i++) {
            char t[40], f[40];
            util_fmt_double(t, sizeof t, s[k].rows[i].threshold);
            util_fmt_double(f, sizeof f, s[k].rows[i].fit_threshold);
            if (ns > 1) snprintf(lab[nr], sizeof lab[nr], "%s@%s", s[k].sc->name, t);
            else if (s[k].rows[i].two_axis) snprintf(lab[nr], sizeof lab[nr], "T=%s/F=%s", t, f);
            else snprintf(lab[nr], sizeof lab[nr], "T=%s", t);
            rows[nr] = &s[k].rows[i];
            labels[nr] = lab[nr];
            nr++;
        }
    snprintf(title, sizeof title, ns > 1 ? "Hand-offs per week of each scenario"
                                         : "%s: hand-offs per week", s->sc->name);
    return draw_weekly(c, o, prefix, "weekly", title, rows, labels, nr,
                       ns == 1 ? objective_capacity(s->sc) : NAN,
                       "Hand-offs per ISO week over the cohort's MQL times; the dashed line is "
                       "what the team can follow up per week ([sales]).",
                       err);
}

/* The trade-off at the listed thresholds (single-axis, two or more). */
static int run_tradeoff(out_plots *c, outdir *o, const char *prefix, const out_scn *s,
                        util_err *err) {
    char path[512], title[300];
    util_buf b;
    util_buf_init(&b);
    for (size_t i = 0; i < s->nrows; i++) {
        const metrics_row *m = &s->rows[i];
        num(&b, m->threshold);
        double v[] = {m->precision, m->recall, m->f1, m->mql_rate, NAN, NAN, NAN, NAN};
        for (int k = 0; k < 8; k++) util_buf_puts(&b, ","), num(&b, v[k]);
        util_buf_puts(&b, "\n");
    }
    if (write_data(c, "tradeoff.csv", &b, path, sizeof path, err) < 0) return -1;
    snprintf(title, sizeof title, "%s: the trade-off at the listed thresholds", s->sc->name);
    const char *vars[] = {"datafile", path, "title_text", title, "bands", "0", "rec", "",
                          "rec_label", "", NULL};
    return draw(c, o, prefix, "tradeoff", "tradeoff", vars,
                "Precision, recall, F1 and the share of leads handed off at each listed "
                "threshold (leadsim sweep shows every threshold).",
                err);
}

int out_plots_run(out_plots *c, outdir *o, const char *prefix, const out_scn *s, size_t ns,
                  util_err *err) {
    for (int i = 0; i < c->nitems; i++) free(c->items[i].svg_path);
    c->nitems = 0;
    if (!c->enabled) return 0;
    if (run_pr(c, o, prefix, s, ns, err) < 0 || run_weekly(c, o, prefix, s, ns, err) < 0) return -1;
    if (ns > 1) return 0;
    if (!s->rp->two_axis && s->nrows >= 2 && run_tradeoff(c, o, prefix, s, err) < 0) return -1;
    double thr[8];
    size_t nt = 0;
    for (size_t i = 0; i < s->nrows && nt < 8; i++)
        if (nt == 0 || thr[nt - 1] != s->rows[i].threshold) thr[nt++] = s->rows[i].threshold;
    return draw_scores(c, o, prefix, "scores", s, thr, nt, err);
}

/* ---------------------------- The plots of a sweep ---------------------------- */

/* What every plot of one sweep needs. In two-axis mode the curves are the
 * slice at the recommended fit threshold (column g). */
typedef struct sweep_plots {
    out_plots *c;
    outdir *o;
    const sweep *sw;
    const out_scn *s;
    const char *name;
    size_t g;
    char rec[40], rec_label[40]; /* the recommended threshold ("" when none) */
} sweep_plots;

static const sweep_row *slice_row(const sweep_plots *p, size_t j) {
    return &p->sw->rows[j * p->sw->nF + p->g];
}

static int sweep_tradeoff(const sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], title[300];
    util_buf b;
    util_buf_init(&b);
    for (size_t j = 0; j < sw->nT; j++) {
        const sweep_row *w = slice_row(p, j);
        metrics_ratios q;
        metrics_ratios_of(sw->leads, sw->won, w->tp, w->fp, w->tp_amount, sw->won_amount, &q);
        double v[] = {w->T, q.precision, q.recall, q.f1, q.mql_rate,
                      w->p_lo, w->p_hi, w->r_lo, w->r_hi};
        for (int k = 0; k < 9; k++) {
            if (k) util_buf_puts(&b, ",");
            num(&b, v[k]);
        }
        util_buf_puts(&b, "\n");
    }
    if (write_data(p->c, "tradeoff.csv", &b, path, sizeof path, err) < 0) return -1;
    if (sw->two_axis) {
        char f[40];
        util_fmt_double(f, sizeof f, sw->rows[p->g].F);
        snprintf(title, sizeof title, "%s: the trade-off by threshold (fit threshold %s)", p->name, f);
    } else {
        snprintf(title, sizeof title, "%s: the trade-off by threshold", p->name);
    }
    const char *vars[] = {"datafile", path, "title_text", title, "bands", sw->nboot ? "1" : "0",
                          "rec", p->rec, "rec_label", p->rec_label, NULL};
    return draw(p->c, p->o, "", "sweep-tradeoff", "tradeoff", vars,
                "Precision, recall, F1 and the share of leads handed off at every threshold at "
                "which some lead changes class; shaded: 90% bootstrap intervals; dashed: the "
                "recommended threshold.",
                err);
}

static int sweep_pr(const sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], title[300];
    util_buf b;
    util_buf_init(&b);
    for (size_t j = 0; j < sw->nT; j++) {
        const sweep_row *w = slice_row(p, j);
        num(&b, sweep_recall(sw, w));
        util_buf_puts(&b, ",");
        num(&b, sweep_precision(sw, w));
        util_buf_puts(&b, "\n");
    }
    if (write_data(p->c, "pr.csv", &b, path, sizeof path, err) < 0) return -1;
    char rr[40] = "", rp[40] = "";
    if (sw->best >= 0) {
        fmt_num(rr, sizeof rr, sweep_recall(sw, &sw->rows[sw->best]));
        fmt_num(rp, sizeof rp, sweep_precision(sw, &sw->rows[sw->best]));
    }
    snprintf(title, sizeof title, "%s: precision-recall curve", p->name);
    const char *vars[] = {"datafile", path, "title_text", title, "names", p->name, "style", "lines",
                          "rec_recall", rr, "rec_precision", rp, NULL};
    return draw(p->c, p->o, "", "sweep-pr", "pr", vars,
                "Precision against recall over every threshold; the circle marks the "
                "recommendation.",
                err);
}

/* The weekly workload by threshold, and the weeks at the recommended one
 * (best, when it has weeks). */
static int sweep_workload(const sweep_plots *p, const metrics_row *best, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], title[300];
    double cap = objective_capacity(p->s->sc);
    char caps[40];
    fmt_num(caps, sizeof caps, cap);
    util_buf b;
    util_buf_init(&b);
    for (size_t j = 0; j < sw->nT; j++) {
        const sweep_row *w = slice_row(p, j);
        num(&b, w->T);
        util_buf_puts(&b, ",");
        num(&b, w->wmean);
        util_buf_puts(&b, ",");
        num(&b, w->wp90);
        util_buf_puts(&b, "\n");
    }
    if (write_data(p->c, "workload.csv", &b, path, sizeof path, err) < 0) return -1;
    snprintf(title, sizeof title, "%s: weekly workload by threshold", p->name);
    const char *vars[] = {"datafile", path, "title_text", title, "capacity", caps, "rec", p->rec,
                          "rec_label", p->rec_label, NULL};
    if (draw(p->c, p->o, "", "sweep-workload", "workload", vars,
             "Hand-offs per week against the threshold: the average week and the busiest "
             "10% of weeks, with the team's capacity when [sales] is set.",
             err) < 0)
        return -1;
    if (!best || !best->weekly) return 0;
    const metrics_row *rows[1] = {best};
    char lab[64];
    snprintf(lab, sizeof lab, "T=%s", p->rec);
    const char *labels[1] = {lab};
    snprintf(title, sizeof title, "%s: hand-offs per week at the recommended threshold", p->name);
    return draw_weekly(p->c, p->o, "", "sweep-weekly", title, rows, labels, 1, cap,
                       "Hand-offs per ISO week at the recommended threshold, against the "
                       "team's capacity.",
                       err);
}

/* Precision, recall and hand-offs over the grid of the two thresholds. */
static int sweep_heatmaps(const sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], title[300];
    /* at most about 120 x 120 cells: a readable picture and a small file */
    size_t sj = sw->nT > 120 ? (sw->nT + 119) / 120 : 1, sg = sw->nF > 120 ? (sw->nF + 119) / 120 : 1;
    static const char *what[] = {"precision", "recall", "handoffs"};
    static const char *label[] = {"precision", "recall", "hand-offs"};
    for (int m = 0; m < 3; m++) {
        util_buf b;
        util_buf_init(&b);
        for (size_t j = 0; j < sw->nT; j += sj) {
            for (size_t gg = 0; gg < sw->nF; gg += sg) {
                const sweep_row *w = &sw->rows[j * sw->nF + gg];
                double v = m == 0 ? sweep_precision(sw, w) : m == 1 ? sweep_recall(sw, w)
                                                                    : (double)(w->tp + w->fp);
                num(&b, w->T);
                util_buf_puts(&b, ",");
                num(&b, w->F);
                util_buf_puts(&b, ",");
                num(&b, v);
                util_buf_puts(&b, "\n");
            }
            util_buf_puts(&b, "\n");
        }
        if (write_data(p->c, "heat.csv", &b, path, sizeof path, err) < 0) return -1;
        char nm[64], cap2[300];
        snprintf(nm, sizeof nm, "sweep-heatmap-%s", what[m]);
        snprintf(title, sizeof title, "%s: %s over the threshold grid", p->name, label[m]);
        snprintf(cap2, sizeof cap2, "%s%s for each pair of behaviour threshold and fit threshold.",
                 m == 2 ? "Hand-offs" : m == 0 ? "Precision" : "Recall",
                 m == 2 ? " (leads handed off)" : "");
        const char *vars[] = {"datafile", path, "title_text", title, "zlabel", label[m], NULL};
        if (draw(p->c, p->o, "", nm, "heatmap", vars, cap2, err) < 0) return -1;
    }
    return 0;
}

int out_plots_sweep(out_plots *c, outdir *o, const sweep *sw, const out_scn *s,
                    const metrics_row *best, util_err *err) {
    for (int i = 0; i < c->nitems; i++) free(c->items[i].svg_path);
    c->nitems = 0;
    if (!c->enabled || sw->nrows == 0) return 0;
    sweep_plots p = {.c = c, .o = o, .sw = sw, .s = s, .name = s->sc->name,
                     .g = sw->best >= 0 ? (size_t)sw->best % sw->nF : 0};
    if (sw->best >= 0) {
        util_fmt_double(p.rec, sizeof p.rec, sw->rows[sw->best].T);
        snprintf(p.rec_label, sizeof p.rec_label, "%.4g", sw->rows[sw->best].T);
    }
    if (sweep_tradeoff(&p, err) < 0 || sweep_pr(&p, err) < 0) return -1;
    if (sw->timed && sweep_workload(&p, best, err) < 0) return -1;
    if (sw->two_axis && sweep_heatmaps(&p, err) < 0) return -1;
    double thr[1];
    size_t nt = 0;
    if (sw->best >= 0) thr[nt++] = sw->rows[sw->best].T;
    return draw_scores(c, o, "", "sweep-scores", s, thr, nt, err);
}
