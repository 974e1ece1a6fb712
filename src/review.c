/* review.c - the definition review (SPEC 5.8, 5.11): calendar periods, drift and the backtest.
 *
 * Each period is replayed and swept as a cohort of its own: a copy of the
 * scenario whose [evaluation] from and to are narrowed to the period, on a
 * view of the dataset whose outcome columns carry the fixed outcome window
 * (so replay, sweep and metrics apply it without knowing of it). The best
 * scores for the PSI come from one more replay without fast track and
 * rules, whose staircases run to the cutoff. The feature counts are taken
 * here, from the counted events of cohort.h.
 *
 * Not here: the words, tables and plots (out_review.c). */
#define _GNU_SOURCE /* qsort_r */
#include "review.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "decimal.h"
#include "inifile.h"
#include "objective.h"
#include "replay.h"
#include "stats.h"
#include "sweep.h"
#include "tstamp.h"

/* ---------------------------- Periods ---------------------------- */

static int by_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static long floor_div(long a, long b) {
    long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The period index of instant T (SPEC 5.11). */
static long period_of(int64_t t, int months) {
    char buf[32];
    int y = 0, m = 1;
    tstamp_format_date(t, buf, sizeof buf);
    if (sscanf(buf, "%d-%d", &y, &m) != 2) return 0;
    return floor_div((long)y * 12 + m - 1, months);
}

/* The first instant of period IDX. */
static int64_t period_start(long idx, int months) {
    long m0 = idx * months;
    long y = floor_div(m0, 12);
    return tstamp_from_civil((int)y, (int)(m0 - y * 12) + 1, 1, 0, 0, 0);
}

/* ---------------------------- The outcome window ---------------------------- */

/* A view of DS whose status and closed_at say, for every cohort lead, what
 * SPEC 5.8's window leaves: won only when won with closed_at <= created_at
 * + W, cut off at min(the 5.1 cutoff, created_at + W). A lead that is not
 * won becomes lost at its cutoff, which cohort_outcome reads back as that
 * cutoff (created_at + W <= until for every cohort lead, since maturity_days
 * keeps younger ones out). The arrays are new; the rest is DS's. */
static int window_view(const dataset *ds, const cohort *co, int64_t w, dataset *view,
                       uint8_t **status, int64_t **closed) {
    *view = *ds;
    if (!(*status = util_malloc(ds->nleads + 1)) ||
        !(*closed = util_malloc(ds->nleads * sizeof **closed + 1)))
        return -1;
    memcpy(*status, ds->status, ds->nleads);
    memcpy(*closed, ds->closed, ds->nleads * sizeof **closed);
    for (size_t i = 0; i < ds->nleads; i++) {
        if (!cohort_has(co, i)) continue;
        int64_t cut, lim = ds->created[i] + w;
        int st = cohort_outcome(co, i, &cut);
        int won = st == DATASET_WON && ds->closed[i] != TSTAMP_NONE && ds->closed[i] <= lim;
        if (cut > lim) cut = lim;
        (*status)[i] = won ? DATASET_WON : DATASET_LOST;
        (*closed)[i] = cut;
    }
    view->status = *status;
    view->closed = *closed;
    return 0;
}

/* ---------------------------- Picks ---------------------------- */

/* The objective's value at a row; F1 as 2 tp / (2 tp + fp + fn) (SPEC 5.11),
 * and F-beta likewise from the counts, (1 + B^2) tp / ((1 + B^2) tp + B^2 fn
 * + fp): 0, not undefined, where no won lead is an MQL, so that a period in
 * which no threshold catches a won deal still has a pick by the tie rule
 * (fewer MQLs, then the higher threshold). Undefined only when the period
 * has neither an MQL nor a won lead. */
static double pick_value(const objective_spec *o, long tp, long fp, long won, double wp90) {
    if (o->kind == SCENARIO_OBJ_F1 || o->kind == SCENARIO_OBJ_FBETA) {
        double b2 = o->kind == SCENARIO_OBJ_F1 ? 1 : o->a * o->a;
        double d = (1 + b2) * (double)tp + b2 * (double)(won - tp) + (double)fp;
        return d > 0 ? (1 + b2) * (double)tp / d : NAN;
    }
    return objective_value(o, tp, fp, won, wp90);
}

/* Threshold T, F evaluated on replay RP into *OUT. Returns 0, or -1 (memory). */
static int pick_eval(const replay *rp, const objective_spec *o, double T, double F, int threads,
                     review_pick *out, util_err *err) {
    metrics_row m;
    memset(&m, 0, sizeof m);
    if (metrics_eval(rp, T, F, threads, &m, err) < 0) return -1;
    *out = (review_pick){.has = 1, .T = T, .F = rp->two_axis ? F : NAN, .tp = m.tp, .fp = m.fp,
                         .objective = pick_value(o, m.tp, m.fp, m.won, m.weekly_p90)};
    metrics_row_fini(&m);
    return 0;
}

/* The best row of sweep SW (ties: fewer hand-offs, then the higher threshold). */
static void sweep_best(const sweep *sw, const objective_spec *o, review_pick *out) {
    objective_pick pk;
    objective_pick_init(&pk);
    for (size_t j = 0; j < sw->nrows; j++) {
        const sweep_row *w = &sw->rows[j];
        double v = pick_value(o, w->tp, w->fp, sw->won, w->wp90);
        objective_pick_offer(&pk, (long)j, v, w->tp + w->fp, w->T, sw->two_axis ? w->F : NAN);
    }
    memset(out, 0, sizeof *out);
    if (pk.best < 0) return;
    const sweep_row *w = &sw->rows[pk.best];
    *out = (review_pick){.has = 1, .T = w->T, .F = sw->two_axis ? w->F : NAN, .tp = w->tp,
                         .fp = w->fp, .objective = pk.bv};
}

/* ---------------------------- One period ---------------------------- */

/* The 5% and 95% quantiles of the N values of V that are numbers, into LO
 * and HI (NaN when none); V is reordered. */
static void band_of(double *v, size_t n, double *lo, double *hi) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) v[m++] = v[i];
    qsort(v, m, sizeof *v, by_double);
    *lo = m ? stats_quantile7(v, m, 0.05) : NAN;
    *hi = m ? stats_quantile7(v, m, 0.95) : NAN;
}

/* Bootstrap 90% bands of precision and recall at threshold T, F over the
 * leads of RP: BOOT->nboot resamples of as many leads, with replacement,
 * from a generator seeded by the seed and the period K. Returns 0, or -1. */
static int period_bands(review_period *pp, const replay *rp, double T, double F,
                        const review_boot *boot, size_t k) {
    size_t n = rp->n, nb = (size_t)boot->nboot;
    uint8_t *cls = util_malloc(n + 1); /* bit 0: MQL, bit 1: won */
    double *pr = util_malloc(nb * sizeof *pr + 1), *rc = util_malloc(nb * sizeof *rc + 1);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    int ok = cls && pr && rc && g;
    if (ok && n) {
        for (size_t i = 0; i < n; i++)
            cls[i] = (uint8_t)((replay_mql_time(rp, i, T, F) != TSTAMP_NONE) | (rp->won[i] << 1));
        gsl_rng_set(g, boot->seed * 1000003UL + k);
        for (size_t b = 0; b < nb; b++) {
            long tp = 0, fp = 0, won = 0;
            for (size_t j = 0; j < n; j++) {
                uint8_t c = cls[gsl_rng_uniform_int(g, n)];
                tp += c == 3;
                fp += c == 1;
                won += c >> 1;
            }
            pr[b] = tp + fp ? (double)tp / (double)(tp + fp) : NAN;
            rc[b] = won ? (double)tp / (double)won : NAN;
        }
        band_of(pr, nb, &pp->band[0], &pp->band[1]);
        band_of(rc, nb, &pp->band[2], &pp->band[3]);
    }
    free(cls);
    free(pr);
    free(rc);
    gsl_rng_free(g);
    return ok ? 0 : -1;
}

static int period_eval(review *r, size_t k, const dataset *view, const scenario *sc,
                       int threads, const review_boot *boot, util_err *err) {
    review_period *pp = &r->p[k];
    scenario scp = *sc;
    scp.has_from = 1;
    scp.from = sc->has_from && sc->from > pp->start ? sc->from : pp->start;
    scp.has_to = 1;
    scp.to = sc->has_to && sc->to < pp->end ? sc->to : pp->end;
    replay *rp = NULL;
    sweep *sw = NULL;
    int rc = -1;
    if (replay_run(view, &scp, threads, &rp, err) < 0) return -1;
    pp->leads = (long)rp->n;
    pp->won = rp->nwon;
    objective_spec o;
    objective_init(&o, sc, rp->timed);
    size_t nf = sc->fit_thresholds ? sc->nfit_thresholds : 1;
    if (!(pp->rows = util_calloc(r->nrows, sizeof *pp->rows)) ||
        !(pp->own = util_calloc(r->nrows, sizeof *pp->own)))
        goto nomem;
    for (size_t i = 0; i < sc->nthresholds; i++)
        for (size_t f = 0; f < nf; f++) {
            size_t j = i * nf + f;
            double F = sc->fit_thresholds ? sc->fit_thresholds[f] : 0;
            metrics_row *m = &pp->rows[j];
            if (metrics_eval(rp, sc->thresholds[i], F, threads, m, err) < 0) goto done;
            pp->own[j] = (review_pick){.has = 1, .T = sc->thresholds[i],
                                       .F = rp->two_axis ? F : NAN, .tp = m->tp, .fp = m->fp,
                                       .objective = pick_value(&o, m->tp, m->fp, m->won,
                                                               m->weekly_p90)};
        }
    if (boot && boot->nboot > 0 &&
        period_bands(pp, rp, sc->thresholds[0], sc->fit_thresholds ? sc->fit_thresholds[0] : 0,
                     boot, k) < 0)
        goto nomem;
    sweep_opts so = {.bootstrap = 0, .seed = 1, .threads = threads};
    if (sweep_run(rp, &scp, &so, &sw, err) < 0) goto done;
    sweep_objective_of(sw, &o);
    sweep_best(sw, &o, &pp->best);
    if (k > 0 && r->p[k - 1].best.has &&
        pick_eval(rp, &o, r->p[k - 1].best.T, isnan(r->p[k - 1].best.F) ? 0 : r->p[k - 1].best.F,
                  threads, &pp->backtest, err) < 0)
        goto done;
    /* the hand-offs per threshold of single-axis rows (the workload pointer) */
    pp->nsweep = sw->two_axis ? 0 : sw->nrows;
    if (!(pp->sweep_T = util_malloc(pp->nsweep * sizeof *pp->sweep_T + 1)) ||
        !(pp->mqls_at = util_malloc(pp->nsweep * sizeof *pp->mqls_at + 1)))
        goto nomem;
    for (size_t j = 0; j < pp->nsweep; j++) {
        pp->sweep_T[j] = sw->rows[j].T;
        pp->mqls_at[j] = sw->rows[j].tp + sw->rows[j].fp;
    }
    rc = 0;
    goto done;
nomem:
    util_enomem(err);
done:
    sweep_free(sw);
    replay_free(rp);
    return rc;
}

/* ---------------------------- Best scores and PSI ---------------------------- */

/* The first period's deciles on the decimals. Scores are decimals of at
 * most 9 places (decimal.h), so in units of 10^-9 the type-7 decile i/10 is
 * lo + rem/10 (hi - lo) exactly: a score equal to a decile on paper is equal
 * to it here, which an interpolation in doubles can miss by an ulp and so
 * put the score in the bin above (SPEC 5.11: bin i holds q_i < x <= q_i+1). */
typedef struct deciles {
    int exact;           /* every first-period score had its units */
    int64_t lo[9];
    __int128 tenths[9];  /* decile i = lo[i] + tenths[i] / 10 units */
} deciles;

static int units_of(double x, int64_t *u) {
    return decimal_units(x, DECIMAL_MAX_PLACES, u);
}

static void deciles_of(const double *sorted, size_t n, deciles *d) {
    d->exact = 1;
    for (int q = 0; q < 9 && d->exact; q++) {
        long long t = (long long)(n - 1) * (q + 1);
        size_t lo = (size_t)(t / 10), hi = t % 10 && lo + 1 < n ? lo + 1 : lo;
        int64_t a = 0, b = 0;
        if (units_of(sorted[lo], &a) < 0 || units_of(sorted[hi], &b) < 0) d->exact = 0;
        d->lo[q] = a;
        d->tenths[q] = (__int128)(t % 10) * ((__int128)b - a);
    }
}

/* The bin of score X: exactly when it and the deciles have units, else on
 * the doubles Q. */
static size_t decile_bin(const deciles *d, const double *q, double x) {
    int64_t u;
    if (!d->exact || units_of(x, &u) < 0) return stats_bin(q, 9, x);
    size_t bin = 0;
    while (bin < 9 && (__int128)10 * ((__int128)u - d->lo[bin]) > d->tenths[bin]) bin++;
    return bin;
}


/* Each cohort lead's best score (fit + behaviour, in both modes) into the
 * scores of its period (SLOT: the period of each dataset lead, -1 when not
 * in the cohort), then sorted, the first period's deciles and every
 * period's PSI against them. The replay has no fast track and no rule, so
 * each staircase runs to the lead's cutoff and its last record is the
 * highest score (or behaviour) the lead reached. */
static int best_scores(review *r, const dataset *view, const scenario *sc, const int32_t *slot,
                       int threads, util_err *err) {
    scenario scp = *sc;
    scp.nfast_track = 0;
    scp.fast_track = NULL;
    scp.nrules = 0;
    scp.rules = NULL;
    replay *rp = NULL;
    if (replay_run(view, &scp, threads, &rp, err) < 0) return -1;
    size_t *fill = util_calloc(r->np + 1, sizeof *fill);
    int rc = -1;
    if (!fill) goto nomem;
    for (size_t k = 0; k < r->np; k++)
        if (!(r->p[k].scores = util_malloc((size_t)r->p[k].leads * sizeof(double) + 1)))
            goto nomem;
    for (size_t i = 0; i < rp->n; i++) {
        int32_t k = slot[rp->lead[i]];
        if (k < 0 || fill[k] >= (size_t)r->p[k].leads) continue;
        /* a lead with no time to be scored (cut off at its creation) has no
         * best score, as in scores.csv, and takes no part in the PSI */
        if (rp->st_off[i + 1] == rp->st_off[i]) continue;
        double top = rp->st_val[rp->st_off[i + 1] - 1];
        r->p[k].scores[fill[k]++] = rp->two_axis ? decimal_snap(rp->fit[i] + top) : top;
    }
    long e[10] = {0}, a[10];
    deciles dq = {0};
    for (size_t k = 0; k < r->np; k++) {
        review_period *pp = &r->p[k];
        size_t n = fill[k];
        pp->nscores = (long)n;
        qsort(pp->scores, n, sizeof *pp->scores, by_double);
        if (k == 0 && n > 0) { /* the reference bins */
            for (int q = 0; q < 9; q++) r->q[q] = stats_quantile7_frac(pp->scores, n, q + 1, 10);
            deciles_of(pp->scores, n, &dq);
            for (size_t j = 0; j < n; j++) e[decile_bin(&dq, r->q, pp->scores[j])]++;
        }
        memset(a, 0, sizeof a);
        for (size_t j = 0; j < n; j++) a[decile_bin(&dq, r->q, pp->scores[j])]++;
        /* the first period is the baseline (SPEC 5.11 lists psi among the
         * backtest columns, empty for it): against itself it would be 0 */
        pp->psi = k ? stats_psi(a, (long)n, e, fill[0] ? (long)fill[0] : 0, 10) : NAN;
    }
    rc = 0;
    goto done;
nomem:
    util_enomem(err);
done:
    free(fill);
    replay_free(rp);
    return rc;
}

/* ---------------------------- Features ---------------------------- */

/* Keys of the scenario file's lines, by line number: the fit lines' keys as
 * written (a range keeps its text, "..50", which the scenario does not). */
typedef struct keys {
    char **key;
    size_t n, cap;
} keys;

static int key_pair(void *ctx, const char *section, const char *key, const char *value, long line,
                    util_err *err) {
    (void)section;
    (void)value;
    keys *k = ctx;
    if (line < 0) return 0;
    if ((size_t)line >= k->n) {
        if (util_grow((void **)&k->key, &k->cap, (size_t)line + 1, sizeof *k->key) < 0)
            return util_enomem(err);
        for (size_t i = k->n; i <= (size_t)line; i++) k->key[i] = NULL;
        k->n = (size_t)line + 1;
    }
    free(k->key[line]);
    if (!(k->key[line] = util_strdup(key))) return util_enomem(err);
    return 0;
}

static void keys_fini(keys *k) {
    for (size_t i = 0; i < k->n; i++) free(k->key[i]);
    free(k->key);
}

/* The line of value/range section SF that TEXT matches first, or nlines
 * (default): compiled.c's rule of SPEC 5.2. */
static size_t fit_line_of(const scenario_fit *sf, const char *text) {
    if (text[0] == '\0') return sf->nlines;
    double x;
    int numeric = util_parse_double(text, &x) == 0;
    for (size_t k = 0; k < sf->nlines; k++) {
        const scenario_fitline *fl = &sf->lines[k];
        if (fl->kind == SCENARIO_FIT_VALUE ? strcmp(fl->value, text) == 0
                                           : numeric && (!fl->has_lo || x >= fl->lo) &&
                                                 (!fl->has_hi || x < fl->hi))
            return k;
    }
    return sf->nlines;
}

/* The features as they are found, with their counts per period:
 * w[f * np + k] leads of period k that have feature f, ww the won ones. */
typedef struct builder {
    size_t np, cap, capw, capww;
    long *w, *ww;
    uint8_t *won;        /* per dataset lead: won under the window */
} builder;

/* A new feature of REVIEW; returns its index, or -1 (memory). */
static long feat_add(review *r, builder *b, int kind, const char *name, const char *value) {
    if (util_grow((void **)&r->feat, &b->cap, r->nfeat + 1, sizeof *r->feat) < 0) return -1;
    size_t need = (r->nfeat + 1) * b->np;
    if (util_grow((void **)&b->w, &b->capw, need, sizeof *b->w) < 0 ||
        util_grow((void **)&b->ww, &b->capww, need, sizeof *b->ww) < 0)
        return -1;
    for (size_t k = r->nfeat * b->np; k < need; k++) b->w[k] = b->ww[k] = 0;
    review_feature *f = &r->feat[r->nfeat];
    f->kind = kind;
    f->name = util_strdup(name);
    f->value = value ? util_strdup(value) : NULL;
    if (!f->name || (value && !f->value)) {
        free(f->name);
        free(f->value);
        return -1;
    }
    return (long)r->nfeat++;
}

static int by_name(const void *x, const void *y, void *ctx) {
    const strtab *t = ctx;
    return strcmp(strtab_str(t, *(const uint32_t *)x), strtab_str(t, *(const uint32_t *)y));
}

/* Event types: per period the leads with a counted event of each type (and
 * the won ones), then one feature per type counted anywhere, by name.
 * Returns 0, or -1 (memory). */
static int event_features(review *r, builder *b, const dataset *view, const cohort *cv,
                          const int32_t *slot) {
    size_t nt = view->types.n, np = r->np;
    long *w = util_calloc(np * nt + 1, sizeof *w), *ww = util_calloc(np * nt + 1, sizeof *ww);
    uint32_t *stamp = util_calloc(nt + 1, sizeof *stamp), *order = util_malloc(nt * 4 + 4);
    int rc = -1;
    if (!w || !ww || !stamp || !order) goto done;
    for (size_t i = 0; i < view->nleads; i++) {
        if (slot[i] < 0) continue;
        int64_t cut;
        int won = cohort_outcome(cv, i, &cut) == DATASET_WON;
        b->won[i] = (uint8_t)won;
        cohort_span sp = cohort_events(view, i, view->created[i], cut);
        for (size_t e = sp.first; e < sp.end; e++) {
            uint16_t t = view->ev_type[e];
            if (stamp[t] == (uint32_t)i + 1) continue;
            stamp[t] = (uint32_t)i + 1;
            w[(size_t)slot[i] * nt + t]++;
            ww[(size_t)slot[i] * nt + t] += won;
        }
    }
    size_t no = 0;
    for (size_t t = 0; t < nt; t++) {
        long any = 0;
        for (size_t k = 0; k < np; k++) any += w[k * nt + t];
        if (any) order[no++] = (uint32_t)t;
    }
    qsort_r(order, no, sizeof *order, by_name, (void *)&view->types);
    for (size_t j = 0; j < no; j++) {
        long f = feat_add(r, b, REVIEW_EVENT, strtab_str(&view->types, order[j]), NULL);
        if (f < 0) goto done;
        for (size_t k = 0; k < np; k++) {
            b->w[(size_t)f * np + k] = w[k * nt + order[j]];
            b->ww[(size_t)f * np + k] = ww[k * nt + order[j]];
        }
    }
    rc = 0;
done:
    free(w);
    free(ww);
    free(stamp);
    free(order);
    return rc;
}

/* Count column AT's leads by FMAP (value code -> feature, or -1). */
static void column_count(review *r, builder *b, const dataset_attr *at, const long *fmap,
                         const int32_t *slot, size_t nleads) {
    for (size_t i = 0; i < nleads; i++) {
        if (slot[i] < 0) continue;
        long f = fmap[at->code[i]];
        if (f < 0) continue;
        b->w[(size_t)f * r->np + (size_t)slot[i]]++;
        b->ww[(size_t)f * r->np + (size_t)slot[i]] += b->won[i];
    }
}

/* Every line of each value/range [fit] section, in file order (the key as
 * written), then its default. Returns 0, or -1 (memory). */
static int fit_features(review *r, builder *b, const dataset *ds, const scenario *sc,
                        const keys *ky, const int32_t *slot) {
    for (size_t s = 0; s < sc->nfits; s++) {
        const scenario_fit *sf = &sc->fits[s];
        long col = dataset_attr_find(ds, sf->column);
        if (sf->has_per_unit || col < 0) continue;
        const dataset_attr *at = &ds->attrs[col];
        long first = (long)r->nfeat;
        for (size_t k = 0; k <= sf->nlines; k++) {
            const char *key = "default";
            if (k < sf->nlines) {
                long ln = sf->lines[k].line;
                key = ln >= 0 && (size_t)ln < ky->n && ky->key[ln] ? ky->key[ln]
                                                                  : sf->lines[k].value;
                if (!key) key = "";
            }
            if (feat_add(r, b, REVIEW_FIT, sf->column, key) < 0) return -1;
        }
        long *fmap = util_malloc(at->values.n * sizeof *fmap + 1);
        if (!fmap) return -1;
        for (size_t v = 0; v < at->values.n; v++)
            fmap[v] = first + (long)fit_line_of(sf, strtab_str(&at->values, v));
        column_count(r, b, at, fmap, slot, ds->nleads);
        free(fmap);
    }
    return 0;
}

/* The [fit] section of COLUMN, or NULL. */
static const scenario_fit *fit_of(const scenario *sc, const char *column) {
    for (size_t s = 0; s < sc->nfits; s++)
        if (strcmp(sc->fits[s].column, column) == 0) return &sc->fits[s];
    return NULL;
}

/* Every unscored value (by text, "(empty)" for an empty cell) of each
 * attribute column whose cohort leads have at most REVIEW_MAX_VALUES
 * distinct values: every value of a column no [fit] section scores
 * (REVIEW_ATTR, SPEC 5.8's rows), the values of a value/range section's
 * column that fall to its default (REVIEW_DEFAULT, the default row's
 * breakdown). A per-unit column is scored throughout. Returns 0, or -1
 * (memory). */
static int attr_features(review *r, builder *b, const dataset *ds, const scenario *sc,
                         const int32_t *slot) {
    for (size_t a = 0; a < ds->nattrs; a++) {
        const dataset_attr *at = &ds->attrs[a];
        const scenario_fit *sf = fit_of(sc, at->name);
        if (sf && sf->has_per_unit) continue;
        size_t nv = at->values.n, used = 0;
        long *fmap = util_malloc(nv * sizeof *fmap + 1);
        uint32_t *codes = util_malloc(nv * sizeof *codes + 1);
        if (!fmap || !codes) {
            free(fmap);
            free(codes);
            return -1;
        }
        for (size_t v = 0; v < nv; v++) fmap[v] = -1;
        for (size_t i = 0; i < ds->nleads && used <= REVIEW_MAX_VALUES; i++)
            if (slot[i] >= 0 && fmap[at->code[i]] == -1) {
                fmap[at->code[i]] = -2;
                codes[used++] = at->code[i];
            }
        int rc = 0;
        if (used <= REVIEW_MAX_VALUES) {
            size_t nk = 0;
            for (size_t j = 0; j < used; j++) {
                const char *t = strtab_str(&at->values, codes[j]);
                fmap[codes[j]] = -1;
                if (!sf || fit_line_of(sf, t) == sf->nlines) codes[nk++] = codes[j];
            }
            qsort_r(codes, nk, sizeof *codes, by_name, (void *)&at->values);
            for (size_t j = 0; j < nk && rc == 0; j++) {
                const char *t = strtab_str(&at->values, codes[j]);
                long f = feat_add(r, b, sf ? REVIEW_DEFAULT : REVIEW_ATTR, at->name,
                                  t[0] ? t : "(empty)");
                if (f < 0) rc = -1;
                else fmap[codes[j]] = f;
            }
            if (rc == 0) column_count(r, b, at, fmap, slot, ds->nleads);
        }
        free(fmap);
        free(codes);
        if (rc < 0) return -1;
    }
    return 0;
}

/* Benjamini-Hochberg over the P of comparison K's features of family BD
 * (0: the CSV's rows, 1: the default lines' breakdown); P and REJ are
 * scratch of nfeat entries. Returns the discoveries, or -1 (memory). */
static long feature_family(review *r, size_t k, int bd, double *p, int *rej) {
    size_t m = 0;
    for (size_t f = 0; f < r->nfeat; f++)
        if ((r->feat[f].kind == REVIEW_DEFAULT) == bd) p[m++] = r->fs[k * r->nfeat + f].p;
    long nd = stats_bh(p, m, REVIEW_FDR, rej);
    if (nd < 0) return -1;
    for (size_t f = 0, j = 0; f < r->nfeat; f++)
        if ((r->feat[f].kind == REVIEW_DEFAULT) == bd) r->fs[k * r->nfeat + f].drifted = rej[j++];
    if (bd) {
        r->nbtests += (long)m;
        r->nbdrifted += nd;
    } else {
        r->ntests += (long)m;
        r->ndrifted += nd;
    }
    return nd;
}

/* The features' counts into r->fs, Fisher's p of each against the period
 * before, and Benjamini-Hochberg per family. Returns 0, or -1. */
static int feature_tests(review *r, const builder *b) {
    size_t np = r->np, nf = r->nfeat;
    if (!(r->fs = util_calloc(np * nf + 1, sizeof *r->fs))) return -1;
    double *p = util_malloc(nf * sizeof *p + 1);
    int *rej = util_malloc(nf * sizeof *rej + 1);
    int rc = -1;
    if (!p || !rej) goto done;
    for (size_t k = 0; k < np; k++)
        for (size_t f = 0; f < nf; f++) {
            review_fstat *s = &r->fs[k * nf + f];
            s->with = b->w[f * np + k];
            s->won_with = b->ww[f * np + k];
            s->p = NAN;
            if (k > 0) {
                const review_fstat *q = &r->fs[(k - 1) * nf + f];
                s->p = stats_fisher(s->won_with, s->with - s->won_with, q->won_with,
                                    q->with - q->won_with);
            }
        }
    /* one family per comparison of a period with the one before (what
     * drifted between these two) and per kind of row: the breakdown of the
     * default lines repeats what their default rows test, so it does not
     * dilute (nor is diluted by) the rows of review-features.csv */
    for (size_t k = 1; k < np; k++)
        if (feature_family(r, k, 0, p, rej) < 0 || feature_family(r, k, 1, p, rej) < 0)
            goto done;
    rc = 0;
done:
    free(p);
    free(rej);
    return rc;
}

/* The 90th percentile of the days from created_at to won (SPEC 5.1's won,
 * with a closed_at) over the cohort: what maturity_days would need. */
static int lag_p90(review *r, const dataset *ds, const cohort *co) {
    double *lag = util_malloc(ds->nleads * sizeof *lag + 1);
    if (!lag) return -1;
    size_t n = 0;
    for (size_t i = 0; i < ds->nleads; i++) {
        int64_t cut;
        if (!cohort_has(co, i) || cohort_outcome(co, i, &cut) != DATASET_WON ||
            ds->closed[i] == TSTAMP_NONE)
            continue;
        lag[n++] = (double)(ds->closed[i] - ds->created[i]) / (double)TSTAMP_USEC_PER_DAY;
    }
    qsort(lag, n, sizeof *lag, by_double);
    r->nlags = (long)n;
    r->lag_p90 = n ? stats_quantile7(lag, n, 0.9) : NAN;
    free(lag);
    return 0;
}

/* The listed periods: those with a cohort lead, and the ones between left
 * out; SLOT[i] = the period of dataset lead i, -1 outside the cohort. */
static int make_periods(review *r, const dataset *ds, const cohort *co, int64_t w,
                        int32_t *slot) {
    long lo = 0, hi = -1;
    long *idx = util_malloc(ds->nleads * sizeof *idx + 1);
    if (!idx) return -1;
    for (size_t i = 0; i < ds->nleads; i++) {
        slot[i] = -1;
        if (!cohort_has(co, i)) continue;
        idx[i] = period_of(ds->created[i], r->months);
        if (hi < lo) lo = hi = idx[i];
        if (idx[i] < lo) lo = idx[i];
        if (idx[i] > hi) hi = idx[i];
    }
    size_t span = hi >= lo ? (size_t)(hi - lo + 1) : 0;
    int32_t *at = util_malloc(span * sizeof *at + 1);
    long *cnt = util_calloc(span + 1, sizeof *cnt);
    int rc = -1;
    if (!at || !cnt) goto done;
    for (size_t i = 0; i < ds->nleads; i++)
        if (cohort_has(co, i)) cnt[idx[i] - lo]++;
    if (!(r->p = util_calloc(span + 1, sizeof *r->p)) ||
        !(r->left_out = util_calloc(span + 1, sizeof *r->left_out)))
        goto done;
    for (size_t j = 0; j < span; j++) {
        at[j] = -1;
        int64_t start = period_start(lo + (long)j, r->months);
        if (!cnt[j]) {
            r->left_out[r->nleft_out++] = start;
            continue;
        }
        review_period *pp = &r->p[r->np];
        pp->start = start;
        pp->end = period_start(lo + (long)j + 1, r->months);
        pp->leads = cnt[j];
        pp->psi = NAN;
        for (int q = 0; q < 4; q++) pp->band[q] = NAN;
        int64_t end = co->has_to && co->to < pp->end ? co->to : pp->end;
        pp->complete = end <= r->until - w;
        at[j] = (int32_t)r->np++;
    }
    for (size_t i = 0; i < ds->nleads; i++)
        if (cohort_has(co, i)) slot[i] = at[idx[i] - lo];
    rc = 0;
done:
    free(idx);
    free(at);
    free(cnt);
    return rc;
}

/* The scenario's line keys (for the fit lines' keys as written). */
static int read_keys(const scenario *sc, keys *ky, util_err *err) {
    inifile_cb cb = {.section = NULL, .pair = key_pair};
    return inifile_parse(sc->path, &cb, ky, err);
}

int review_run(const dataset *ds, const scenario *sc, int months, int nthreads,
               const review_boot *boot, review **out, util_err *err) {
    if (ds->snapshot)
        return util_errf(err, UTIL_EDATA,
                         "%s:1: review splits the cohort by created_at, and the dataset has no "
                         "timestamps",
                         sc->path);
    review *r = util_calloc(1, sizeof *r);
    if (!r) return util_enomem(err);
    cohort co;
    cohort_init(&co, ds, sc);
    r->months = months;
    r->until = co.until;
    r->has_window = sc->has_maturity;
    r->window_days = sc->maturity_days;
    r->two_axis = sc->fit_thresholds != NULL;
    r->nrows = sc->nthresholds * (sc->fit_thresholds ? sc->nfit_thresholds : 1);
    for (int q = 0; q < 9; q++) r->q[q] = NAN;
    int64_t w = r->has_window ? llround(sc->maturity_days * (double)TSTAMP_USEC_PER_DAY) : 0;
    dataset view;
    uint8_t *status = NULL;
    int64_t *closed = NULL;
    int32_t *slot = util_malloc(ds->nleads * sizeof *slot + 1);
    keys ky = {0};
    builder b = {0};
    cohort cv;
    if (!slot) goto nomem;
    if (r->has_window) {
        if (window_view(ds, &co, w, &view, &status, &closed) < 0) goto nomem;
    } else {
        view = *ds;
    }
    if (make_periods(r, ds, &co, w, slot) < 0 || lag_p90(r, ds, &co) < 0) goto nomem;
    if (r->np == 0) {
        util_errf(err, UTIL_EDATA, "%s:1: the cohort has no lead: nothing to review", sc->path);
        goto fail;
    }
    for (size_t k = 0; k < r->np; k++)
        if (period_eval(r, k, &view, sc, nthreads, boot, err) < 0) goto fail;
    if (best_scores(r, &view, sc, slot, nthreads, err) < 0) goto fail;
    if (read_keys(sc, &ky, err) < 0) goto fail;
    b.np = r->np;
    if (!(b.won = util_calloc(ds->nleads + 1, 1))) goto nomem;
    cohort_init(&cv, &view, sc);
    if (event_features(r, &b, &view, &cv, slot) < 0 || fit_features(r, &b, ds, sc, &ky, slot) < 0 ||
        attr_features(r, &b, ds, sc, slot) < 0 || feature_tests(r, &b) < 0)
        goto nomem;
    free(status);
    free(closed);
    free(slot);
    keys_fini(&ky);
    free(b.w);
    free(b.ww);
    free(b.won);
    *out = r;
    return 0;
nomem:
    util_enomem(err);
fail:
    free(status);
    free(closed);
    free(slot);
    keys_fini(&ky);
    free(b.w);
    free(b.ww);
    free(b.won);
    review_free(r);
    return -1;
}

void review_free(review *r) {
    if (!r) return;
    for (size_t k = 0; r->p && k < r->np; k++) {
        review_period *pp = &r->p[k];
        for (size_t j = 0; pp->rows && j < r->nrows; j++) metrics_row_fini(&pp->rows[j]);
        free(pp->rows);
        free(pp->own);
        free(pp->scores);
        free(pp->mqls_at);
        free(pp->sweep_T);
    }
    free(r->p);
    free(r->left_out);
    for (size_t f = 0; r->feat && f < r->nfeat; f++) {
        free(r->feat[f].name);
        free(r->feat[f].value);
    }
    free(r->feat);
    free(r->fs);
    free(r);
}

void review_ratios_of(long leads, long won, long with, long won_with, review_ratios *out) {
    long without = leads - with;
    out->share = leads > 0 ? (double)with / (double)leads : NAN;
    out->rate_with = with > 0 ? (double)won_with / (double)with : NAN;
    out->rate_without = without > 0 ? (double)(won - won_with) / (double)without : NAN;
    double base = leads > 0 ? (double)won / (double)leads : NAN;
    out->lift = base > 0 && with > 0 ? out->rate_with / base : NAN;
}
