/* out_plots.h - the plots of a run or a sweep: data for the templates, then gnuplot.
 *
 * Each plot is drawn from a template in plots/ into the output's plots/
 * folder as SVG and PNG (staged with the other results). When plots are
 * turned off or gnuplot is missing nothing is drawn and `note` says why; the
 * tables are written all the same. */
#ifndef LEADSIM_OUT_PLOTS_H
#define LEADSIM_OUT_PLOTS_H

#include "outdir.h"
#include "gnuplot.h"
#include "out_scn.h"
#include "sweep.h"

#define OUT_PLOTS_MAX 24
/* A heatmap's precision cell needs this many hand-offs to be drawn. */
#define OUT_PLOTS_MIN_CELL 30

typedef struct out_plots_item {
    char rel[128];     /* e.g. "plots/pr" (add .svg / .png) */
    char caption[600]; /* what it shows, for the report */
    char *svg_path;    /* the staged SVG, for inlining in the report */
} out_plots_item;

typedef struct out_plots {
    gnuplot_env env;
    int enabled;
    char note[1100];  /* why plots were skipped, or "" */
    char work[256];   /* temporary folder for the data files */
    out_plots_item items[OUT_PLOTS_MAX];
    int nitems;
} out_plots;

/* Prepare: no_plots turns plotting off on purpose. Never fails: a missing
 * gnuplot only sets the note. */
void out_plots_open(out_plots *c, int no_plots);
/* Plots of a run: one scenario (ns == 1) or the comparison (ns > 1), under
 * PREFIX in the output. */
int out_plots_run(out_plots *c, outdir *o, const char *prefix, const out_scn *s, size_t ns,
                  util_err *err);
/* Plots of a sweep; best is the weekly series at the recommended row (may
 * have no weeks). */
int out_plots_sweep(out_plots *c, outdir *o, const sweep *sw, const out_scn *s,
                    const metrics_row *best, util_err *err);
/* The range of thresholds worth drawing. T ascending, H the hand-offs at
 * each (falling as T rises), n > 0: from the last threshold at which the
 * hand-offs are still within 1% of their most (H[0]) to the first at which
 * they are within 1% of their fewest (H[n-1]), so that a few outlying
 * scores do not squeeze the decision into a corner; then widened to keep
 * each of keep[] in view. lo < hi always. */
void out_plots_xrange(const double *T, const double *H, size_t n, const double *keep,
                      size_t nkeep, double *lo, double *hi);

/* Histogram bin edges over [lo, hi] (ascending, nedges returned, at most
 * max, max >= 160 + 2 * nthr): each of thr[] inside the range is an edge,
 * so no bin holds scores on both sides of a threshold. The bins have one
 * round width when the thresholds allow 50 to 150 of them (*width is that
 * width); otherwise about 50 bins of a round width aligned to thr[0], the
 * bins holding another threshold split at it. Returns the number of edges
 * (at least 2). */
size_t out_plots_bins(double lo, double hi, const double *thr, size_t nthr, double *edges,
                      size_t max, double *width);

/* Forget the items (after a report used them) and remove the data files. */
void out_plots_close(out_plots *c);


/* ---- For the plots of other writers (out_review.c) ----
 * out_plots_data writes the bytes of B (emptied either way) to the work
 * folder as NAME, its path into PATH; out_plots_draw draws TEMPLATE to
 * plots/NAME (.svg and .png) with VARS as gnuplot_render takes them, and
 * keeps CAPTION for the report. A plot gnuplot cannot draw turns plotting
 * off with a note, as for every plot. Both return 0, or -1 with err. */
int out_plots_data(out_plots *c, const char *name, util_buf *b, char *path, size_t npath,
                   util_err *err);
int out_plots_draw(out_plots *c, outdir *o, const char *name, const char *tmpl,
                   const char *const *vars, const char *caption, util_err *err);

#endif
