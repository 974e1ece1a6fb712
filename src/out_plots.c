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
        static const char *files[] = {"tradeoff.csv", "pr.csv", "prlabels.csv", "weekly.csv",
                                      "workload.csv", "heat.csv", "scores.csv"};
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
            char p[400];
            snprintf(p, sizeof p, "%s/%s", c->work, files[i]);
            unlink(p);
        }
        rmdir(c->work);
        c->work[0] = '\0';
    }
}

/* ---------------------------- Ranges and bins ---------------------------- */

void out_plots_xrange(const double *T, const double *H, size_t n, const double *keep,
                      size_t nkeep, double *lo, double *hi) {
    double most = H[0], fewest = H[n - 1], span = most - fewest;
    size_t a = 0, b = n - 1;
    for (size_t j = 0; j < n; j++)
        if (H[j] >= most - 0.01 * span) a = j;
    for (size_t j = n; j-- > 0;)
        if (H[j] <= fewest + 0.01 * span) b = j;
    if (b < a) b = a;
    *lo = T[a];
    *hi = T[b];
    for (size_t k = 0; k < nkeep; k++) {
        if (isnan(keep[k])) continue;
        if (keep[k] < *lo) *lo = keep[k];
        if (keep[k] > *hi) *hi = keep[k];
    }
    if (!(*hi > *lo)) {
        double pad = fabs(*lo) > 1 ? fabs(*lo) * 0.1 : 1;
        *lo -= pad;
        *hi += pad;
    }
}

/* The round widths 1, 2, 5 times a power of ten: the largest not above x. */
static double round_width_below(double x) {
    double mag = pow(10, floor(log10(x)));
    return x >= 5 * mag ? 5 * mag : x >= 2 * mag ? 2 * mag : mag;
}

static double round_width_next_down(double w) {
    double mag = pow(10, floor(log10(w) + 1e-9));
    double lead = w / mag;
    return lead > 4.5 ? 2 * mag : lead > 1.5 ? mag : 0.5 * mag;
}

/* d is a whole number of w, within rounding of decimal inputs */
static int on_grid(double d, double w) {
    double q = d / w;
    return fabs(q - nearbyint(q)) < 1e-6;
}

size_t out_plots_bins(double lo, double hi, const double *thr, size_t nthr, double *edges,
                      size_t max, double *width) {
    if (!(hi > lo)) hi = lo + 1;
    double range = hi - lo, anchor = nthr ? thr[0] : lo;
    double w = round_width_below(range / 50), fallback = w;
    int uniform = 0;
    for (double c = w; c >= range / 150 * (1 - 1e-9); c = round_width_next_down(c)) {
        int ok = 1;
        for (size_t k = 1; k < nthr && ok; k++) ok = on_grid(thr[k] - anchor, c);
        if (ok) {
            w = c;
            uniform = 1;
            break;
        }
    }
    if (!uniform) w = fallback;
    double k0 = floor((lo - anchor) / w + 1e-9), k1 = floor((hi - anchor) / w + 1e-9) + 1;
    size_t ne = 0;
    for (double k = k0; k <= k1 && ne < max; k++) edges[ne++] = anchor + k * w;
    if (!uniform) /* split the bins that hold a threshold */
        for (size_t t = 1; t < nthr; t++) {
            size_t i = 0;
            while (i < ne && edges[i] < thr[t]) i++;
            if (i == 0 || i == ne || ne >= max || fabs(edges[i] - thr[t]) < w * 1e-6) continue;
            memmove(edges + i + 1, edges + i, (ne - i) * sizeof *edges);
            edges[i] = thr[t];
            ne++;
        }
    *width = w;
    return ne;
}

/* ---------------------------- Data files and drawing ---------------------------- */

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

/* Write scores.csv (its path in path): per bin of edges[], its middle, the
 * share of won and of not-won leads in it (per width w: a split bin is not
 * drawn taller for being narrow) and its width; the scores outside the
 * edges are gathered in the end bins. */
static int score_bins(out_plots *c, const replay *r, const double *edges, size_t ne, double w,
                      long nwon, long nlost, char *path, size_t npath, util_err *err) {
    size_t nb = ne - 1;
    long *cw = util_calloc(nb, sizeof *cw), *cl = util_calloc(nb, sizeof *cl);
    if (!cw || !cl) {
        free(cw);
        free(cl);
        return util_enomem(err);
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->st_off[i] == r->st_off[i + 1]) continue;
        double x = r->st_val[r->st_off[i + 1] - 1];
        size_t lo = 0, hi = nb; /* the last bin whose start is <= x */
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (edges[mid] <= x) lo = mid;
            else hi = mid;
        }
        if (r->won[i]) cw[lo]++;
        else cl[lo]++;
    }
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "# bin middle, share of won, share of not won (per width), bin width\n");
    for (size_t k = 0; k < nb; k++) {
        double bw = edges[k + 1] - edges[k];
        num(&b, edges[k] + bw / 2);
        util_buf_puts(&b, ",");
        num(&b, nwon ? (double)cw[k] / (double)nwon * (w / bw) : NAN);
        util_buf_puts(&b, ",");
        num(&b, nlost ? (double)cl[k] / (double)nlost * (w / bw) : NAN);
        util_buf_puts(&b, ",");
        num(&b, bw);
        util_buf_puts(&b, "\n");
    }
    free(cw);
    free(cl);
    return write_data(c, "scores.csv", &b, path, npath, err);
}

/* Score distribution between the 1st and 99th percentiles (scores have long
 * tails: the rest is gathered in the end bins), each class summing to 1,
 * with bins that never straddle one of thr[] (out_plots_bins). */
static int draw_scores(out_plots *c, outdir *o, const char *prefix, const char *name,
                       const out_scn *s, const double *thr, size_t nthr, util_err *err) {
    const replay *r = s->rp;
    long nwon = 0, nlost = 0;
    double lo = 0, hi = 0, w = 1, edges[200];
    int rc = score_range(r, &lo, &hi, &nwon, &nlost, err);
    if (rc != 0) return rc < 0 ? -1 : 0; /* no scores at all: no plot */
    for (size_t k = 0; k < nthr; k++) { /* keep the thresholds in view */
        if (thr[k] < lo) lo = thr[k];
        if (thr[k] > hi) hi = thr[k];
    }
    size_t ne = out_plots_bins(lo, hi, thr, nthr, edges, sizeof edges / sizeof *edges, &w);
    char path[512], ws[40], los[40], his[40], title[300], caption[600];
    if (score_bins(c, r, edges, ne, w, nwon, nlost, path, sizeof path, err) < 0) return -1;
    util_buf t, tl; /* the thresholds exact, and rounded for their labels */
    util_buf_init(&t);
    util_buf_init(&tl);
    for (size_t k = 0; k < nthr && k < 8; k++) {
        char v[40];
        util_fmt_double(v, sizeof v, thr[k]);
        util_buf_printf(&t, "%s%s", k ? " " : "", v);
        util_buf_printf(&tl, "%s%.4g", k ? " " : "", thr[k]);
    }
    if (t.failed || tl.failed) {
        util_buf_fini(&t);
        util_buf_fini(&tl);
        return util_enomem(err);
    }
    util_fmt_double(ws, sizeof ws, w);
    util_fmt_double(los, sizeof los, edges[0]);
    util_fmt_double(his, sizeof his, edges[ne - 1]);
    snprintf(title, sizeof title, "%s: best score of won and not-won leads%s", s->sc->name,
             r->two_axis ? " (behaviour points)" : "");
    snprintf(caption, sizeof caption,
             "How the best score before the close is distributed for won and for not-won leads, "
             "from %s to %s points in bins of %s (the lowest and highest 1%% gathered in the end "
             "bars; a threshold always starts a bin); dashed lines mark the threshold(s).",
             los, his, ws);
    const char *vars[] = {"datafile", path, "title_text", title, "thresholds", t.data ? t.data : "",
                          "threshold_labels", tl.data ? tl.data : "", "binwidth", ws,
                          "xmin", los, "xmax", his, NULL};
    rc = draw(c, o, prefix, name, "scores", vars, caption, err);
    util_buf_fini(&t);
    util_buf_fini(&tl);
    return rc;
}

/* Hand-offs per week of rows[] (at most three: more lines cannot be told
 * apart), named by labels[]; nleft more series are in weekly.csv only, and
 * the caption says so. With capacity (not NaN) its line is drawn and named. */
static int draw_weekly(out_plots *c, outdir *o, const char *prefix, const char *name,
                       const char *title, const metrics_row *const *rows, const char *const *labels,
                       size_t nrows, double capacity, size_t nleft, const char *what,
                       util_err *err) {
    util_buf b;
    util_buf_init(&b);
    const char *nm[3] = {"", "", ""};
    size_t nseries = 0;
    int any = 0;
    for (size_t k = 0; k < nrows && k < 3; k++) {
        const metrics_row *m = rows[k];
        if (!m->weekly) continue;
        if (any) util_buf_puts(&b, "\n\n");
        any = 1;
        for (long wk = 0; wk < m->nweeks; wk++) {
            char d[16];
            tstamp_format_date(m->first_week + wk * 7 * TSTAMP_USEC_PER_DAY, d, sizeof d);
            util_buf_printf(&b, "%s,%ld\n", d, m->weekly[wk]);
        }
        if (nseries < 3) nm[nseries++] = labels[k];
    }
    if (!any) {
        util_buf_fini(&b);
        return 0;
    }
    char path[512], cap[40], caption[600];
    if (write_data(c, "weekly.csv", &b, path, sizeof path, err) < 0) return -1;
    fmt_num(cap, sizeof cap, capacity);
    char capw[40] = "", capsent[200] = "", more[120] = "";
    if (!isnan(capacity)) {
        snprintf(capw, sizeof capw, "%.4g", capacity);
        snprintf(capsent, sizeof capsent,
                 " The dashed line is the team's capacity: %s hand-offs per week (reps x "
                 "follow-ups per rep per day x 5, from [sales]).", capw);
    }
    if (nleft) snprintf(more, sizeof more, " %zu more series are in weekly.csv.", nleft);
    snprintf(caption, sizeof caption, "%s%s%s", what, capsent, more);
    char ns[24];
    snprintf(ns, sizeof ns, "%zu", nseries);
    const char *vars[] = {"datafile", path, "title_text", title, "nseries", ns,
                          "name1", nm[0], "name2", nm[1], "name3", nm[2],
                          "capacity", cap, "capacity_label", capw, NULL};
    return draw(c, o, prefix, name, "weekly", vars, caption, err);
}

/* Write prlabels.csv (its path in path): recall, precision, "T=..." and the
 * side of the point its label goes (1 above, -1 below, alternating so that
 * neighbours do not overlap) of each point to name on the curve. */
static int write_pr_labels(out_plots *c, const double *rec, const double *prec, const double *thr,
                           size_t n, char *path, size_t npath, util_err *err) {
    util_buf b;
    util_buf_init(&b);
    int side = 1;
    for (size_t k = 0; k < n; k++) {
        if (isnan(rec[k]) || isnan(prec[k])) continue;
        num(&b, rec[k]);
        util_buf_puts(&b, ",");
        num(&b, prec[k]);
        util_buf_printf(&b, ",T=%.4g,%d\n", thr[k], side);
        side = -side;
    }
    return write_data(c, "prlabels.csv", &b, path, npath, err);
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
    char lpath[512] = "";
    if (ns == 1 && s->nrows <= 12) { /* name each listed threshold's point */
        double rr[12], pp[12], tt[12];
        for (size_t i = 0; i < s->nrows; i++) {
            rr[i] = s->rows[i].recall;
            pp[i] = s->rows[i].precision;
            tt[i] = s->rows[i].threshold;
        }
        if (write_pr_labels(c, rr, pp, tt, s->nrows, lpath, sizeof lpath, err) < 0) goto done;
    }
    snprintf(title, sizeof title, ns > 1 ? "Precision and recall of each scenario"
                                         : "%s: precision and recall at each threshold",
             s->sc->name);
    const char *vars[] = {"datafile", path, "title_text", title, "names", names.data,
                          "style", "linespoints", "rec_recall", "", "rec_precision", "",
                          "rec_label", "", "labels", lpath, NULL};
    rc = draw(c, o, prefix, "pr", "pr", vars,
              ns > 1 ? "Precision against recall, one point per threshold (and fit threshold): up "
                       "and to the right is better."
                     : "Precision against recall, one point per threshold (and fit threshold), "
                       "named by its threshold: up and to the right is better.",
              err);
done:
    util_buf_fini(&names);
    return rc;
}

/* Weekly hand-offs: of one scenario its first, middle and last threshold
 * (the first is the current one), of a comparison each scenario's first row;
 * three lines at most. */
static int run_weekly(out_plots *c, outdir *o, const char *prefix, const out_scn *s, size_t ns,
                      util_err *err) {
    const metrics_row *rows[3];
    char lab[3][96], title[300];
    const char *labels[3];
    size_t nr = 0, total = ns > 1 ? ns : s->nrows, pick[3];
    if (total <= 3) {
        for (size_t k = 0; k < total; k++) pick[nr++] = k;
    } else {
        pick[0] = 0;
        pick[1] = total / 2;
        pick[2] = total - 1;
        nr = 3;
    }
    for (size_t k = 0; k < nr; k++) {
        const out_scn *x = ns > 1 ? &s[pick[k]] : s;
        const metrics_row *m = ns > 1 ? &x->rows[0] : &x->rows[pick[k]];
        if (ns > 1 && x->nrows == 0) return 0;
        char t[40], f[40];
        util_fmt_double(t, sizeof t, m->threshold);
        util_fmt_double(f, sizeof f, m->fit_threshold);
        if (ns > 1) snprintf(lab[k], sizeof lab[k], "%s@%s", x->sc->name, t);
        else if (m->two_axis) snprintf(lab[k], sizeof lab[k], "T=%s/F=%s", t, f);
        else snprintf(lab[k], sizeof lab[k], "T=%s", t);
        rows[k] = m;
        labels[k] = lab[k];
    }
    snprintf(title, sizeof title, ns > 1 ? "Hand-offs per week of each scenario"
                                         : "%s: hand-offs per week", s->sc->name);
    return draw_weekly(c, o, prefix, "weekly", title, rows, labels, nr,
                       ns == 1 ? objective_capacity(s->sc) : NAN, total - nr,
                       ns > 1 ? "Hand-offs per ISO week of each scenario at its first threshold."
                              : "Hand-offs per ISO week over the cohort's MQL times.",
                       err);
}

/* ---------------------------- The follow-up queue ---------------------------- */

/* Backlog and SLA share per week of queue Q, holidays marked. */
static int draw_queue(out_plots *c, outdir *o, const char *prefix, const char *name,
                      const char *title, const scenario *sc, const queue *q, util_err *err) {
    if (!q || q->nweeks == 0) return 0;
    util_buf b;
    util_buf_init(&b);
    for (size_t w = 0; w < q->nweeks; w++) {
        const queue_week *k = &q->weeks[w];
        char d[16];
        tstamp_format_date(k->start, d, sizeof d);
        util_buf_printf(&b, "%s,%ld,", d, k->backlog_end);
        num(&b, sc->has_sla && k->handoffs ? (double)k->sla_met / (double)k->handoffs : NAN);
        util_buf_puts(&b, "\n");
    }
    int64_t lo = q->weeks[0].start, hi = q->weeks[q->nweeks - 1].start + 7 * TSTAMP_USEC_PER_DAY;
    size_t nh = 0;
    for (size_t i = 0; i < sc->nholidays; i++) {
        int64_t t = sc->holidays[i] * TSTAMP_USEC_PER_DAY;
        if (t < lo || t >= hi) continue;
        char d[16];
        tstamp_format_date(t, d, sizeof d);
        util_buf_printf(&b, "%s%s\n", nh ? "" : "\n\n", d);
        nh++;
    }
    char path[512], nhs[24], tg[40] = "", tgl[80] = "", caption[600];
    if (write_data(c, "queue.csv", &b, path, sizeof path, err) < 0) return -1;
    snprintf(nhs, sizeof nhs, "%zu", nh);
    double target = sc->objective == SCENARIO_OBJ_SLA ? sc->obj_a : 0.95;
    if (sc->has_sla) {
        util_fmt_double(tg, sizeof tg, target);
        snprintf(tgl, sizeof tgl, "target %.4g%%", 100 * target);
    }
    snprintf(caption, sizeof caption,
             "Per ISO week (UTC): hand-offs still waiting at the week's end (steps, left axis) "
             "and the share of the week's hand-offs followed up within the SLA (points, right "
             "axis)%s%s.", sc->has_sla ? ", against the target" : "",
             nh ? "; grey bars mark holidays" : "");
    const char *vars[] = {"datafile", path, "title_text", title, "nholidays", nhs,
                          "target", tg, "target_label", tgl, NULL};
    return draw(c, o, prefix, name, "queue", vars, caption, err);
}

/* The waits of queue Q as a histogram of about 30 bins of a round width. */
static int draw_waits(out_plots *c, outdir *o, const char *prefix, const char *name,
                      const char *title, const scenario *sc, const queue *q, util_err *err) {
    if (!q || q->n == 0 || !q->wait_h) return 0;
    double mx = 0;
    for (size_t i = 0; i < q->n; i++) mx = q->wait_h[i] > mx ? q->wait_h[i] : mx;
    if (sc->has_sla && sc->sla_business_hours > mx) mx = sc->sla_business_hours;
    double w = 0.25;
    while (w * 30 < mx) w *= 2;
    size_t nb = (size_t)floor(mx / w) + 1;
    long *cnt = util_calloc(nb + 1, sizeof *cnt);
    if (!cnt) return util_enomem(err);
    for (size_t i = 0; i < q->n; i++) {
        size_t k = (size_t)floor(q->wait_h[i] / w);
        cnt[k < nb ? k : nb - 1]++;
    }
    util_buf b;
    util_buf_init(&b);
    for (size_t k = 0; k < nb; k++) {
        num(&b, (double)k * w);
        util_buf_puts(&b, ",");
        num(&b, w);
        util_buf_printf(&b, ",%ld\n", cnt[k]);
    }
    free(cnt);
    char path[512], sla[40] = "", slal[40] = "", caption[400];
    if (write_data(c, "waits.csv", &b, path, sizeof path, err) < 0) return -1;
    if (sc->has_sla) {
        util_fmt_double(sla, sizeof sla, sc->sla_business_hours);
        snprintf(slal, sizeof slal, "%.4g", sc->sla_business_hours);
    }
    snprintf(caption, sizeof caption,
             "How long hand-offs wait for their follow-up, in business hours (bins of %.4g h)%s.",
             w, sc->has_sla ? "; the line is the SLA: hand-offs to its right miss it" : "");
    const char *side = sc->has_sla && sc->sla_business_hours > mx / 2 ? "left" : "right";
    const char *vars[] = {"datafile", path, "title_text", title, "sla", sla, "sla_label", slal,
                          "sla_side", side, NULL};
    return draw(c, o, prefix, name, "waits", vars, caption, err);
}

/* The queue plots of one threshold (its label in LAB) under PREFIX + BASE. */
static int draw_sales(out_plots *c, outdir *o, const char *prefix, const char *base,
                      const scenario *sc, const queue *q, const char *lab, util_err *err) {
    char name[80], title[400];
    snprintf(name, sizeof name, "%squeue", base);
    snprintf(title, sizeof title, "%s at %s: backlog and SLA per week", sc->name, lab);
    if (draw_queue(c, o, prefix, name, title, sc, q, err) < 0) return -1;
    snprintf(name, sizeof name, "%swaits", base);
    snprintf(title, sizeof title, "%s at %s: waits for a follow-up", sc->name, lab);
    return draw_waits(c, o, prefix, name, title, sc, q, err);
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
                          "rec_label", "", "xmin", "", "xmax", "", NULL};
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
    if (s->srows && s->nrows) {
        char t[40], lab[100];
        util_fmt_double(t, sizeof t, s->rows[0].threshold);
        snprintf(lab, sizeof lab, "threshold %s", t);
        if (draw_sales(c, o, prefix, "", s->sc, s->srows[0].q, lab, err) < 0) return -1;
    }
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
    char xmin[40], xmax[40];     /* the thresholds drawn (out_plots_xrange) */
    char xwhy[200];              /* that range in words, for the captions */
} sweep_plots;

/* The x range of the threshold plots: out_plots_xrange over the slice, the
 * pick and the scenario's own thresholds kept in view. */
static int sweep_xrange(sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    const scenario *sc = p->s->sc;
    double *T = util_malloc(sw->nT * sizeof *T + 1), *H = util_malloc(sw->nT * sizeof *H + 1);
    double *keep = util_malloc((sc->nthresholds + 1) * sizeof *keep);
    if (!T || !H || !keep) {
        free(T);
        free(H);
        free(keep);
        return util_enomem(err);
    }
    for (size_t j = 0; j < sw->nT; j++) {
        const sweep_row *w = &sw->rows[j * sw->nF + p->g];
        T[j] = w->T;
        H[j] = (double)(w->tp + w->fp);
    }
    size_t nk = 0;
    for (size_t k = 0; k < sc->nthresholds; k++) keep[nk++] = sc->thresholds[k];
    if (sw->best >= 0) keep[nk++] = sw->rows[sw->best].T;
    double lo, hi;
    out_plots_xrange(T, H, sw->nT, keep, nk, &lo, &hi);
    free(T);
    free(H);
    free(keep);
    util_fmt_double(p->xmin, sizeof p->xmin, lo);
    util_fmt_double(p->xmax, sizeof p->xmax, hi);
    char a[40], b[40];
    snprintf(a, sizeof a, "%.4g", lo);
    snprintf(b, sizeof b, "%.4g", hi);
    snprintf(p->xwhy, sizeof p->xwhy,
             "thresholds %s to %s are shown: where the hand-offs fall from 99%% to 1%% of their "
             "range (sweep.csv has every threshold)", a, b);
    return 0;
}

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
                          "rec", p->rec, "rec_label", p->rec_label, "xmin", p->xmin,
                          "xmax", p->xmax, NULL};
    char caption[600];
    snprintf(caption, sizeof caption,
             "Precision, recall, F1 and the share of leads handed off at every threshold at which "
             "some lead changes class; %s; dashed: the recommended threshold.%s",
             p->xwhy, sw->nboot ? " Shaded: 90% bootstrap intervals." : "");
    return draw(p->c, p->o, "", "sweep-tradeoff", "tradeoff", vars, caption, err);
}

/* The sweep's row nearest recall R in the slice (ties: the first). */
static size_t nearest_recall(const sweep_plots *p, double R) {
    size_t at = 0;
    double d = INFINITY;
    for (size_t j = 0; j < p->sw->nT; j++) {
        double r = sweep_recall(p->sw, slice_row(p, j));
        if (!isnan(r) && fabs(r - R) < d) {
            d = fabs(r - R);
            at = j;
        }
    }
    return at;
}

static int sweep_pr(const sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], lpath[512] = "", title[300];
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
    char rr[40] = "", rp[40] = "", rl[60] = "";
    double brec = NAN;
    if (sw->best >= 0) {
        brec = sweep_recall(sw, &sw->rows[sw->best]);
        fmt_num(rr, sizeof rr, brec);
        fmt_num(rp, sizeof rp, sweep_precision(sw, &sw->rows[sw->best]));
        snprintf(rl, sizeof rl, "recommended T=%s", p->rec_label);
    }
    /* a few thresholds along the curve, away from the pick's label */
    static const double at[] = {0.2, 0.4, 0.6, 0.8};
    double lr[4], lp[4], lt[4];
    size_t nl = 0;
    for (size_t k = 0; k < 4; k++) {
        const sweep_row *w = slice_row(p, nearest_recall(p, at[k]));
        double r = sweep_recall(sw, w);
        if (isnan(r) || fabs(r - at[k]) > 0.05 || (!isnan(brec) && fabs(r - brec) < 0.1)) continue;
        lr[nl] = r;
        lp[nl] = sweep_precision(sw, w);
        lt[nl++] = w->T;
    }
    if (nl && write_pr_labels(p->c, lr, lp, lt, nl, lpath, sizeof lpath, err) < 0) return -1;
    snprintf(title, sizeof title, "%s: precision-recall curve", p->name);
    const char *vars[] = {"datafile", path, "title_text", title, "names", p->name, "style", "lines",
                          "rec_recall", rr, "rec_precision", rp, "rec_label", rl,
                          "labels", lpath, NULL};
    return draw(p->c, p->o, "", "sweep-pr", "pr", vars,
                "Precision against recall over every threshold, a few points named by their "
                "threshold; the circle marks the recommendation.",
                err);
}

/* The weeks at the pick and at the scenario's current threshold (its first,
 * at the pick's fit threshold), replayed here when it differs. */
static int sweep_weekly(const sweep_plots *p, const metrics_row *best, double cap,
                        util_err *err) {
    const scenario *sc = p->s->sc;
    const metrics_row *rows[2] = {best, NULL};
    char lab[2][64], title[300];
    const char *labels[2] = {lab[0], lab[1]};
    snprintf(lab[0], sizeof lab[0], "recommended T=%s", p->rec);
    size_t nr = 1;
    metrics_row cur;
    memset(&cur, 0, sizeof cur);
    double T0 = sc->nthresholds ? sc->thresholds[0] : NAN;
    if (!isnan(T0) && T0 != p->sw->rows[p->sw->best].T) {
        if (metrics_eval(p->s->rp, T0, p->sw->rows[p->sw->best].F, 1, &cur, err) < 0) return -1;
        char t[40];
        util_fmt_double(t, sizeof t, T0);
        snprintf(lab[1], sizeof lab[1], "current T=%s", t);
        rows[nr++] = &cur;
    }
    snprintf(title, sizeof title, "%s: hand-offs per week, recommended and current", p->name);
    int rc = draw_weekly(p->c, p->o, "", "sweep-weekly", title, rows, labels, nr, cap, 0,
                         "Hand-offs per ISO week at the recommended threshold and at the "
                         "scenario's current one.",
                         err);
    metrics_row_fini(&cur);
    return rc;
}

/* The weekly workload by threshold, and the weeks at the recommended one
 * (best, when it has weeks) next to the scenario's current threshold. */
static int sweep_workload(const sweep_plots *p, const metrics_row *best, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], title[300], caption[600];
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
    char capw[40] = "";
    if (!isnan(cap)) snprintf(capw, sizeof capw, "%.4g", cap);
    const char *vars[] = {"datafile", path, "title_text", title, "capacity", caps,
                          "capacity_label", capw, "rec", p->rec, "rec_label", p->rec_label,
                          "xmin", p->xmin, "xmax", p->xmax, NULL};
    snprintf(caption, sizeof caption,
             "Hand-offs per week against the threshold: the average week and the busiest 10%% "
             "of weeks%s; %s.",
             isnan(cap) ? "" : ", with the team's capacity (reps x follow-ups per rep per day x 5)",
             p->xwhy);
    if (draw(p->c, p->o, "", "sweep-workload", "workload", vars, caption, err) < 0) return -1;
    if (!best || !best->weekly) return 0;
    return sweep_weekly(p, best, cap, err);
}

/* Precision, recall and hand-offs over the grid of the two thresholds. */
static int sweep_heatmaps(const sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    char path[512], title[300];
    /* at most about 120 x 120 cells: a readable picture and a small file */
    size_t sj = sw->nT > 120 ? (sw->nT + 119) / 120 : 1, sg = sw->nF > 120 ? (sw->nF + 119) / 120 : 1;
    static const char *what[] = {"precision", "recall", "handoffs"};
    static const char *label[] = {"precision", "recall", "hand-offs"};
    int enough = 0; /* some cell has hand-offs enough for its precision */
    for (size_t i = 0; i < sw->nrows && !enough; i++)
        enough = sw->rows[i].tp + sw->rows[i].fp >= OUT_PLOTS_MIN_CELL;
    char pT[40] = "", pF[40] = "";
    if (sw->best >= 0) {
        util_fmt_double(pT, sizeof pT, sw->rows[sw->best].T);
        util_fmt_double(pF, sizeof pF, sw->rows[sw->best].F);
    }
    for (int m = 0; m < 3; m++) {
        util_buf b;
        util_buf_init(&b);
        for (size_t j = 0; j < sw->nT; j += sj) {
            for (size_t gg = 0; gg < sw->nF; gg += sg) {
                const sweep_row *w = &sw->rows[j * sw->nF + gg];
                double v = m == 0 ? sweep_precision(sw, w) : m == 1 ? sweep_recall(sw, w)
                                                                    : (double)(w->tp + w->fp);
                /* a precision over a handful of hand-offs is noise, not a finding */
                if (m == 0 && enough && w->tp + w->fp < OUT_PLOTS_MIN_CELL) v = NAN;
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
        char nm[64], cap2[600];
        snprintf(nm, sizeof nm, "sweep-heatmap-%s", what[m]);
        snprintf(title, sizeof title, "%s: %s over the threshold grid", p->name, label[m]);
        snprintf(cap2, sizeof cap2,
                 "%s%s for each pair of behaviour threshold and fit threshold%s; the circle marks "
                 "the recommendation; behaviour %s.",
                 m == 2 ? "Hand-offs" : m == 0 ? "Precision" : "Recall",
                 m == 2 ? " (leads handed off)" : "",
                 m != 0 ? ""
                 : enough ? "; grey: fewer than 30 leads handed off, too few for a precision"
                          : "; every cell has fewer than 30 leads handed off: read it with care",
                 p->xwhy);
        const char *vars[] = {"datafile", path, "title_text", title, "zlabel", label[m],
                              "pick_T", pT, "pick_F", pF, "xmin", p->xmin, "xmax", p->xmax, NULL};
        if (draw(p->c, p->o, "", nm, "heatmap", vars, cap2, err) < 0) return -1;
    }
    return 0;
}

/* SLA attainment against the threshold (the slice at the pick's fit
 * threshold), over the rows whose queue was replayed. */
static int sweep_sla(const sweep_plots *p, util_err *err) {
    const sweep *sw = p->sw;
    if (!sw->sales) return 0;
    util_buf b;
    util_buf_init(&b);
    size_t n = 0;
    for (size_t j = p->g; j < sw->nrows; j += sw->nF) {
        const sales_row *r = &sw->sales[j];
        if (!r->done || isnan(r->q->sla_attainment)) continue;
        num(&b, sw->rows[j].T);
        util_buf_puts(&b, ",");
        num(&b, r->q->sla_attainment);
        util_buf_puts(&b, "\n");
        n++;
    }
    if (n == 0) {
        util_buf_fini(&b);
        return 0;
    }
    char path[512], title[300], ry[40] = "", tg[40] = "", tgl[80] = "", caption[500];
    if (write_data(p->c, "sweep-sla.csv", &b, path, sizeof path, err) < 0) return -1;
    const char *rec = p->rec;
    if (sw->best >= 0 && sw->sales[sw->best].done)
        util_fmt_double(ry, sizeof ry, sw->sales[sw->best].q->sla_attainment);
    else rec = "";
    if (sw->objective == SCENARIO_OBJ_SLA) {
        util_fmt_double(tg, sizeof tg, sw->obj_a);
        snprintf(tgl, sizeof tgl, "sla:%.4g target", sw->obj_a);
    }
    snprintf(title, sizeof title, "%s: SLA attainment against the threshold", p->name);
    snprintf(caption, sizeof caption,
             "The share of hand-offs followed up within the SLA at each threshold%s; the "
             "circle is the recommendation.%s", sw->sales_all ? "" : " whose queue was replayed",
             sw->two_axis ? " Two-axis mode: the slice at the recommended fit threshold." : "");
    const char *vars[] = {"datafile", path, "title_text", title, "rec", rec, "rec_y", ry,
                          "rec_label", p->rec_label, "target", tg, "target_label", tgl,
                          "xmin", p->xmin, "xmax", p->xmax, NULL};
    return draw(p->c, p->o, "", "sweep-sla", "sweep-sla", vars, caption, err);
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
    if (sweep_xrange(&p, err) < 0) return -1;
    if (sweep_tradeoff(&p, err) < 0 || sweep_pr(&p, err) < 0) return -1;
    if (sw->timed && sweep_workload(&p, best, err) < 0) return -1;
    if (sw->two_axis && sweep_heatmaps(&p, err) < 0) return -1;
    if (sweep_sla(&p, err) < 0) return -1;
    if (s->spick && s->spick->q && draw_sales(c, o, "", "sweep-", s->sc, s->spick->q,
                                              "the recommended threshold", err) < 0)
        return -1;
    double thr[8]; /* the pick first, then the scenario's own thresholds */
    size_t nt = 0;
    if (sw->best >= 0) thr[nt++] = sw->rows[sw->best].T;
    for (size_t k = 0; k < s->sc->nthresholds && nt < 8; k++)
        if (nt == 0 || s->sc->thresholds[k] != thr[0]) thr[nt++] = s->sc->thresholds[k];
    return draw_scores(c, o, "", "sweep-scores", s, thr, nt, err);
}

/* ---------------------------- For other writers ---------------------------- */

int out_plots_data(out_plots *c, const char *name, util_buf *b, char *path, size_t npath,
                   util_err *err) {
    return write_data(c, name, b, path, npath, err);
}

int out_plots_draw(out_plots *c, outdir *o, const char *name, const char *tmpl,
                   const char *const *vars, const char *caption, util_err *err) {
    return draw(c, o, "", name, tmpl, vars, caption, err);
}
