/* tune_suggest.c - suggested weights: features per cohort lead, the penalty by time-ordered folds, the fit, points and the held-out comparison.
 *
 * The features, the split and the scale are SPEC 5.10's (tune_suggest.h
 * says how each is read). The model is logit.c's; this file only arranges
 * its inputs: a row-major matrix of every feature of every cohort lead in
 * created_at order, from which the estimated columns are standardised over
 * the training part. Fits of the folds and of the bootstrap resamples are
 * shared among threads by index, each written to its own slot, so the
 * result does not depend on how many threads there are. */
#include "tune_suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cohort.h"
#include "compiled.h"
#include "logit.h"
#include "tstamp.h"

typedef struct work {
    const dataset *ds;
    const scenario *sc;
    tune_suggest *t;
    size_t n, ntrain, m;  /* cohort leads, training leads, features */
    uint32_t *lead;       /* dataset index of each cohort lead, in created_at order */
    uint8_t *y;           /* won */
    double *x;            /* n x m raw features */
    double *cur;          /* current score: fit + clamped points x counts */
    size_t q;             /* estimated features */
    size_t *col;          /* their feature indices */
    double *mean, *sd;    /* over the training part */
    double *z;            /* ntrain x q standardised */
    double lambda[SUGGEST_NLAMBDA];
    double *fold_loss;    /* per (lambda, fold) task */
    int8_t *sign;         /* per resample and estimated feature */
    logit_fit full;
    int progress;         /* a progress line on stderr for the resamples */
    long done;            /* resamples refitted so far (atomic) */
} work;

double tune_suggest_threshold(const double *t, size_t n) { return n ? t[(n - 1) / 2] : 0; }

/* ---------------------------- Ranking ---------------------------- */

typedef struct ranked {
    double s;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->s != y->s) return x->s > y->s ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* S sorted descending (ties by index) into a new array; NULL on memory. */
static ranked *rank_desc(const double *s, size_t n) {
    ranked *r = util_malloc(n * sizeof *r + 1);
    if (!r) return NULL;
    for (size_t i = 0; i < n; i++) r[i] = (ranked){s[i], i};
    qsort(r, n, sizeof *r, cmp_ranked);
    return r;
}

/* The equal-workload threshold over R (n scores ranked, highest first). */
static double workload_of(const ranked *r, size_t n, long want) {
    if (n == 0) return 0;
    if (want == 0) return r[0].s + 1;
    double best = r[0].s + 1;
    long best_d = want; /* handing off none is want away */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].s == r[i].s) j++;
        long d = labs((long)j - want);
        if (d < best_d) best_d = d, best = r[i].s;
        if ((long)j >= want) break; /* more only move away */
        i = j;
    }
    return best;
}

/* Average precision over R (ranked scores of leads won Y), WON of them won. */
static double ap_of(const ranked *r, const uint8_t *y, size_t n, long won) {
    if (won == 0) return NAN;
    double ap = 0;
    long tp = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        long gain = 0;
        while (j < n && r[j].s == r[i].s) gain += y[r[j++].i];
        tp += gain;
        if (gain) ap += (double)gain / (double)won * ((double)tp / (double)j);
        i = j;
    }
    return ap;
}

double tune_suggest_equal_workload(const double *s, size_t n, long want) {
    ranked *r = rank_desc(s, n);
    if (!r) return NAN;
    double v = workload_of(r, n, want);
    free(r);
    return v;
}

double tune_suggest_ap(const double *s, const uint8_t *y, size_t n) {
    long won = 0;
    for (size_t i = 0; i < n; i++) won += y[i];
    ranked *r = rank_desc(s, n);
    if (!r) return NAN;
    double v = ap_of(r, y, n, won);
    free(r);
    return v;
}

/* Scores S of the n test leads (won Y) at threshold THR (reached when
 * s >= thr - tol), or, when WANT >= 0, at the equal-workload threshold
 * for WANT hand-offs; and their precision-recall curve, into E. */
static int evaluate(const double *s, const uint8_t *y, size_t n, double thr, double tol,
                    long want, suggest_eval *e, util_err *err) {
    long won = 0;
    for (size_t i = 0; i < n; i++) won += y[i];
    ranked *r = rank_desc(s, n);
    e->pr_recall = util_malloc(n * sizeof *e->pr_recall + 1);
    e->pr_precision = util_malloc(n * sizeof *e->pr_precision + 1);
    if (!r || !e->pr_recall || !e->pr_precision) {
        free(r);
        return util_enomem(err);
    }
    e->threshold = want >= 0 ? workload_of(r, n, want) : thr;
    e->mqls = e->tp = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= e->threshold - tol) e->mqls++, e->tp += y[i];
    e->precision = e->mqls ? (double)e->tp / (double)e->mqls : NAN;
    e->recall = won ? (double)e->tp / (double)won : NAN;
    e->ap = ap_of(r, y, n, won);
    e->npr = 0;
    long tp = 0;
    for (size_t i = 0; i < n && won;) {
        size_t j = i;
        while (j < n && r[j].s == r[i].s) tp += y[r[j++].i];
        e->pr_recall[e->npr] = (double)tp / (double)won;
        e->pr_precision[e->npr++] = (double)tp / (double)j;
        i = j;
    }
    free(r);
    return 0;
}

static void eval_fini(suggest_eval *e) {
    free(e->pr_recall);
    free(e->pr_precision);
}

/* ---------------------------- Features ---------------------------- */

typedef struct timed_lead {
    int64_t created;
    uint32_t lead;
} timed_lead;

static int cmp_lead(const void *a, const void *b) {
    const timed_lead *x = a, *y = b;
    if (x->created != y->created) return x->created < y->created ? -1 : 1;
    return (x->lead > y->lead) - (x->lead < y->lead);
}

/* LEAD (n dataset indices) in created_at order, ties in leads-file order. */
static int by_created(const dataset *ds, uint32_t *lead, size_t n, util_err *err) {
    timed_lead *tl = util_malloc(n * sizeof *tl + 1);
    if (!tl) return util_enomem(err);
    for (size_t i = 0; i < n; i++) tl[i] = (timed_lead){ds->created[lead[i]], lead[i]};
    qsort(tl, n, sizeof *tl, cmp_lead);
    for (size_t i = 0; i < n; i++) lead[i] = tl[i].lead;
    free(tl);
    return 0;
}

static double horizon(const scenario *sc, const char **from) {
    if (sc->has_horizon) return *from = "[tune] horizon_days", sc->horizon_days;
    if (sc->has_maturity && sc->maturity_days > 0)
        return *from = "[evaluation] maturity_days", sc->maturity_days;
    *from = "the default";
    return 90;
}

static double type_points(const scenario *sc, const char *type, double *limit) {
    *limit = INFINITY;
    for (size_t i = 0; i < sc->nlimits; i++)
        if (strcmp(sc->limits[i].type, type) == 0) *limit = sc->limits[i].vals[0];
    for (size_t i = 0; i < sc->nbehaviour; i++)
        if (strcmp(sc->behaviour[i].type, type) == 0) return sc->behaviour[i].vals[0];
    return 0;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(((const suggest_feature *)a)->name, ((const suggest_feature *)b)->name);
}

/* The feature list: every event type of the data by name, then each fit
 * section's lines in file order and its default, or its per-unit value. */
static int list_features(work *w, util_err *err) {
    const dataset *ds = w->ds;
    const scenario *sc = w->sc;
    size_t m = ds->types.n;
    for (size_t s = 0; s < sc->nfits; s++)
        m += sc->fits[s].has_per_unit ? 1 : sc->fits[s].nlines + 1;
    tune_suggest *t = w->t;
    if (!(t->f = util_calloc(m + 1, sizeof *t->f))) return util_enomem(err);
    size_t k = 0;
    for (size_t ty = 0; ty < ds->types.n; ty++) {
        suggest_feature *f = &t->f[k++];
        f->kind = SUGGEST_EVENT;
        f->name = strtab_str(&ds->types, ty);
        f->value = "";
        double lim;
        f->current = type_points(sc, f->name, &lim);
    }
    /* event types by name, bytewise (names are distinct): the order does
     * not depend on the files' */
    qsort(t->f, k, sizeof *t->f, cmp_name);
    for (size_t s = 0; s < sc->nfits; s++) {
        const scenario_fit *sf = &sc->fits[s];
        size_t nl = sf->has_per_unit ? 0 : sf->nlines;
        for (size_t l = 0; l <= nl; l++) {
            suggest_feature *f = &t->f[k++];
            f->kind = SUGGEST_FIT;
            f->name = sf->column;
            f->per_unit = sf->has_per_unit;
            if (sf->has_per_unit) {
                f->value = "per_unit";
                f->current = sf->per_unit;
                f->line = sf->per_unit_line;
            } else if (l < nl) {
                f->value = sf->lines[l].key;
                f->current = sf->lines[l].points;
                f->line = sf->lines[l].line;
            } else {
                f->value = "default";
                f->current = sf->has_default ? sf->def : 0;
            }
        }
    }
    t->nf = w->m = m;
    return 0;
}

/* Column of each event type (by type id) in the sorted feature list. */
static int type_columns(const work *w, size_t **out, util_err *err) {
    const dataset *ds = w->ds;
    size_t *c = util_malloc(ds->types.n * sizeof *c + 1);
    if (!c) return util_enomem(err);
    for (size_t k = 0; k < ds->types.n; k++) {
        long ty = strtab_find(&ds->types, w->t->f[k].name, strlen(w->t->f[k].name));
        c[ty] = k;
    }
    *out = c;
    return 0;
}

/* Which line of SF attribute value TEXT matches (SPEC 5.2: the first in
 * file order), nlines for none (the default). */
static size_t fit_line_of(const scenario_fit *sf, const char *text) {
    double v;
    int numeric = text[0] != '\0' && util_parse_double(text, &v) == 0;
    if (text[0] == '\0') return sf->nlines;
    for (size_t l = 0; l < sf->nlines; l++) {
        const scenario_fitline *fl = &sf->lines[l];
        if (fl->kind == SCENARIO_FIT_VALUE ? strcmp(fl->value, text) == 0
                                           : numeric && (!fl->has_lo || v >= fl->lo) &&
                                                 (!fl->has_hi || v < fl->hi))
            return l;
    }
    return sf->nlines;
}

/* The fit features of every lead into w->x, from column K0 on. */
static int fit_features(work *w, size_t k0, util_err *err) {
    const dataset *ds = w->ds;
    size_t k = k0;
    for (size_t s = 0; s < w->sc->nfits; s++) {
        const scenario_fit *sf = &w->sc->fits[s];
        long a = dataset_attr_find(ds, sf->column);
        if (a < 0) /* replay_run has refused it already */
            return util_errf(err, UTIL_EDATA, "%s:%ld: [fit %s]: the leads file has no column '%s'",
                             w->sc->path, sf->line, sf->column, sf->column);
        const dataset_attr *at = &ds->attrs[a];
        double *val = util_malloc(at->values.n * sizeof *val + 1);
        if (!val) return util_enomem(err);
        for (size_t v = 0; v < at->values.n; v++) {
            const char *text = strtab_str(&at->values, v);
            double x;
            if (sf->has_per_unit)
                val[v] = text[0] && util_parse_double(text, &x) == 0 && fabs(x) <= 1e15 ? x : 0;
            else
                val[v] = (double)fit_line_of(sf, text);
        }
        for (size_t i = 0; i < w->n; i++) {
            double v = val[at->code[w->lead[i]]];
            if (sf->has_per_unit) w->x[i * w->m + k] = v;
            else w->x[i * w->m + k + (size_t)v] = 1;
        }
        free(val);
        k += sf->has_per_unit ? 1 : sf->nlines + 1;
    }
    return 0;
}

/* Counts per type in each lead's first horizon, and the current scores. */
static int build_rows(work *w, const compiled *cp, util_err *err) {
    const dataset *ds = w->ds;
    cohort c;
    cohort_init(&c, ds, w->sc);
    size_t *tc = NULL;
    if (type_columns(w, &tc, err) < 0) return -1;
    double *pts = util_malloc(ds->types.n * sizeof *pts + 1);
    double *lim = util_malloc(ds->types.n * sizeof *lim + 1);
    if (!pts || !lim) {
        free(tc), free(pts), free(lim);
        return util_enomem(err);
    }
    for (size_t ty = 0; ty < ds->types.n; ty++)
        pts[ty] = type_points(w->sc, strtab_str(&ds->types, ty), &lim[ty]);
    int64_t h = (int64_t)llround(w->t->horizon_days * (double)TSTAMP_USEC_PER_DAY);
    for (size_t i = 0; i < w->n; i++) {
        size_t li = w->lead[i];
        int64_t cutoff, created = ds->created[li];
        w->y[i] = cohort_outcome(&c, li, &cutoff) == DATASET_WON;
        if (created <= INT64_MAX - h && created + h < cutoff) cutoff = created + h;
        cohort_span sp = cohort_events(ds, li, created, cutoff);
        double *row = w->x + i * w->m;
        for (size_t e = sp.first; e < sp.end; e++) row[tc[ds->ev_type[e]]] += 1;
        double beh = 0;
        for (size_t ty = 0; ty < ds->types.n; ty++) {
            double u = pts[ty] * row[tc[ty]];
            beh += u > lim[ty] ? lim[ty] : u < -lim[ty] ? -lim[ty] : u;
        }
        w->cur[i] = cp->fit[li] + beh;
    }
    free(tc), free(pts), free(lim);
    return fit_features(w, ds->types.n, err);
}

/* ---------------------------- The model ---------------------------- */

/* Which features are estimated; their training mean and spread, and the
 * standardised training matrix. */
static int standardise(work *w, util_err *err) {
    tune_suggest *t = w->t;
    if (!(w->col = util_malloc(w->m * sizeof *w->col + 1)) ||
        !(w->mean = util_malloc(w->m * sizeof *w->mean + 1)) ||
        !(w->sd = util_malloc(w->m * sizeof *w->sd + 1)))
        return util_enomem(err);
    w->q = 0;
    for (size_t k = 0; k < w->m; k++) {
        suggest_feature *f = &t->f[k];
        double s = 0, ss = 0;
        long with = 0;
        for (size_t i = 0; i < w->ntrain; i++) {
            double v = w->x[i * w->m + k];
            with += v != 0;
            s += v;
        }
        double mean = s / (double)w->ntrain;
        for (size_t i = 0; i < w->ntrain; i++) {
            double d = w->x[i * w->m + k] - mean;
            ss += d * d;
        }
        double sd = sqrt(ss / (double)w->ntrain);
        f->leads_with = with;
        f->coef = f->se = f->scaled = f->sign_share = NAN;
        f->suggested = f->current;
        if (with < SUGGEST_MIN_LEADS) f->status = SUGGEST_FEW;
        else if (!(sd > 1e-12 * (1 + fabs(mean)))) f->status = SUGGEST_CONSTANT;
        else {
            f->status = SUGGEST_OK;
            w->mean[w->q] = mean;
            w->sd[w->q] = sd;
            w->col[w->q++] = k;
        }
    }
    if (w->q == 0)
        return util_errf(err, UTIL_EDATA,
                         "%s: no feature can be estimated: every event type and fit value is "
                         "had by fewer than %d training leads, or by all of them alike",
                         w->sc->path, SUGGEST_MIN_LEADS);
    if (!(w->z = util_malloc(w->ntrain * w->q * sizeof *w->z + 1))) return util_enomem(err);
    for (size_t i = 0; i < w->ntrain; i++)
        for (size_t j = 0; j < w->q; j++)
            w->z[i * w->q + j] = (w->x[i * w->m + w->col[j]] - w->mean[j]) / w->sd[j];
    return 0;
}

/* One thread's share of the fits: tasks k, k + nthreads, ... */
typedef struct fit_job {
    work *w;
    int boot;        /* 0: the folds (task = fold); 1: resamples */
    size_t ntasks;
    int k, nthreads;
    unsigned long seed;
    int failed;
    util_err err;
} fit_job;

static size_t fold_of(const work *w, size_t i) { return i * SUGGEST_FOLDS / w->ntrain; }

/* Task TASK of job J: fold TASK's path over every penalty, strongest
 * first, each fit starting from the previous one; or resample TASK,
 * starting from the full fit. Each start depends on the task alone, so
 * any thread computes the same. */
static int one_task(fit_job *j, size_t task, double *wt, logit_fit *f, gsl_rng *r) {
    work *w = j->w;
    logit_data d = {w->z, w->y, wt, w->ntrain, w->q};
    if (!j->boot) {
        size_t fold = task;
        for (size_t i = 0; i < w->ntrain; i++) wt[i] = fold_of(w, i) != fold;
        for (int li = SUGGEST_NLAMBDA - 1; li >= 0; li--) {
            if (logit_fit_run(&d, w->lambda[li], f, li < SUGGEST_NLAMBDA - 1, &j->err) < 0)
                return -1;
            double loss = 0;
            for (size_t i = 0; i < w->ntrain; i++)
                if (fold_of(w, i) == fold)
                    loss += logit_loss(logit_eta(f, w->z + i * w->q), w->y[i]);
            w->fold_loss[(size_t)li * SUGGEST_FOLDS + fold] = loss;
        }
        return 0;
    }
    /* resample b: its own generator, so any thread draws the same leads */
    gsl_rng_set(r, j->seed * 1000003ul + task + 1);
    memset(wt, 0, w->ntrain * sizeof *wt);
    for (size_t i = 0; i < w->ntrain; i++) wt[gsl_rng_uniform_int(r, w->ntrain)] += 1;
    f->b0 = w->full.b0;
    memcpy(f->beta, w->full.beta, w->q * sizeof *f->beta);
    if (logit_fit_run(&d, w->t->lambda, f, 1, &j->err) < 0) return -1;
    for (size_t c = 0; c < w->q; c++)
        w->sign[task * w->q + c] = (int8_t)((f->beta[c] > 0) - (f->beta[c] < 0));
    return 0;
}

static void *fit_thread(void *arg) {
    fit_job *j = arg;
    double *wt = util_malloc(j->w->ntrain * sizeof *wt + 1);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    logit_fit f;
    if (!wt || !r || logit_fit_init(&f, j->w->q, &j->err) < 0) {
        free(wt);
        if (r) gsl_rng_free(r);
        j->failed = 1;
        util_enomem(&j->err);
        return NULL;
    }
    for (size_t task = (size_t)j->k; task < j->ntasks && !j->failed; task += (size_t)j->nthreads) {
        if (one_task(j, task, wt, &f, r) < 0) j->failed = 1;
        if (!j->boot || !j->w->progress) continue;
        long done = __atomic_add_fetch(&j->w->done, 1, __ATOMIC_RELAXED);
        if (done % 10 == 0 || (size_t)done == j->ntasks) /* one fprintf: whole lines */
            fprintf(stderr, "\rleadsim: tune: %ld of %zu resamples refitted%s", done, j->ntasks,
                    (size_t)done == j->ntasks ? "\n" : "");
    }
    logit_fit_fini(&f);
    gsl_rng_free(r);
    free(wt);
    return NULL;
}

static int run_fits(work *w, int boot, size_t ntasks, int threads, unsigned long seed,
                    util_err *err) {
    if (threads < 1) threads = 1;
    if ((size_t)threads > ntasks) threads = ntasks ? (int)ntasks : 1;
    fit_job *jobs = util_calloc((size_t)threads, sizeof *jobs);
    if (!jobs) return util_enomem(err);
    for (int k = 0; k < threads; k++)
        jobs[k] = (fit_job){.w = w, .boot = boot, .ntasks = ntasks, .k = k, .nthreads = threads,
                            .seed = seed};
    util_parallel(fit_thread, jobs, sizeof *jobs, threads);
    int rc = 0;
    for (int k = 0; k < threads && rc == 0; k++)
        if (jobs[k].failed) {
            *err = jobs[k].err;
            rc = -1;
        }
    free(jobs);
    return rc;
}

/* The penalty with the lowest held-out log-loss (ties: the stronger). */
static int choose_lambda(work *w, int threads, util_err *err) {
    tune_suggest *t = w->t;
    for (int k = 0; k < SUGGEST_NLAMBDA; k++) t->lambdas[k] = w->lambda[k] = pow(10, -2 + 0.5 * k);
    if (!(w->fold_loss = util_calloc(SUGGEST_NLAMBDA * SUGGEST_FOLDS, sizeof *w->fold_loss)))
        return util_enomem(err);
    if (run_fits(w, 0, SUGGEST_FOLDS, threads, 0, err) < 0) return -1;
    int best = 0;
    for (int k = 0; k < SUGGEST_NLAMBDA; k++) {
        double s = 0;
        for (int f = 0; f < SUGGEST_FOLDS; f++) s += w->fold_loss[k * SUGGEST_FOLDS + f];
        t->cv_loss[k] = s / (double)w->ntrain;
        if (t->cv_loss[k] <= t->cv_loss[best]) best = k;
    }
    t->lambda = w->lambda[best];
    return 0;
}

/* The fit at the chosen penalty, back on the features' own scale. */
static int final_fit(work *w, util_err *err) {
    tune_suggest *t = w->t;
    logit_data d = {w->z, w->y, NULL, w->ntrain, w->q};
    if (logit_fit_init(&w->full, w->q, err) < 0 || logit_fit_run(&d, t->lambda, &w->full, 0, err) < 0)
        return -1;
    t->b0 = w->full.b0;
    for (size_t j = 0; j < w->q; j++) {
        suggest_feature *f = &t->f[w->col[j]];
        f->coef = w->full.beta[j] / w->sd[j];
        f->se = w->full.se[j] / w->sd[j];
        t->b0 -= f->coef * w->mean[j];
    }
    return 0;
}

static int bootstrap(work *w, const tune_suggest_opts *o, util_err *err) {
    tune_suggest *t = w->t;
    t->nboot = (int)o->bootstrap;
    if (t->nboot <= 0) return 0;
    if (!(w->sign = util_malloc((size_t)t->nboot * w->q + 1))) return util_enomem(err);
    if (run_fits(w, 1, (size_t)t->nboot, o->threads, o->seed, err) < 0) return -1;
    for (size_t j = 0; j < w->q; j++) {
        suggest_feature *f = &t->f[w->col[j]];
        int s = (f->coef > 0) - (f->coef < 0);
        long same = 0;
        for (int b = 0; b < t->nboot; b++) same += w->sign[(size_t)b * w->q + j] == s;
        f->sign_share = s ? (double)same / t->nboot : NAN;
    }
    return 0;
}

/* S: the suggested scores S * a + K (a from the estimated coefficients, K
 * the kept points of the others) get the current scores' spread over the
 * training leads. */
static void scale(work *w) {
    tune_suggest *t = w->t;
    double sa = 0, sk = 0, sc = 0, saa = 0, skk = 0, sak = 0, scc = 0, n = (double)w->ntrain;
    for (size_t i = 0; i < w->ntrain; i++) {
        const double *row = w->x + i * w->m;
        double a = 0, k = 0;
        for (size_t c = 0; c < w->m; c++) {
            if (row[c] == 0) continue;
            if (t->f[c].status == SUGGEST_OK) a += t->f[c].coef * row[c];
            else k += t->f[c].current * row[c];
        }
        sa += a, sk += k, sc += w->cur[i];
        saa += a * a, skk += k * k, sak += a * k, scc += w->cur[i] * w->cur[i];
    }
    double va = saa / n - (sa / n) * (sa / n), vk = skk / n - (sk / n) * (sk / n);
    double cak = sak / n - (sa / n) * (sk / n), vc = scc / n - (sc / n) * (sc / n);
    if (va < 0) va = 0;
    if (vc < 0) vc = 0;
    t->sd_current = sqrt(vc);
    t->S_default = !(t->sd_current > 1e-12) || !(va > 0);
    if (t->S_default) {
        t->S = 20 / log(2);
    } else {
        double disc = cak * cak - va * (vk - vc);
        t->S = disc >= 0 ? (-cak + sqrt(disc)) / va : 0;
        if (!(t->S > 0)) t->S = sqrt(vc / va);
    }
    for (size_t c = 0; c < w->m; c++) {
        suggest_feature *f = &t->f[c];
        if (f->status != SUGGEST_OK) continue;
        f->scaled = f->coef * t->S;
        f->suggested = round(f->scaled) + 0.0; /* never -0 */
    }
}

/* How many test leads the current definition hands off: replayed as `run`
 * does (every counted event, fast track, rules, decay) at the scenario's
 * threshold (and fit threshold); t->definition_tp of them won. -1 on memory. */
static long definition_mqls(work *w) {
    tune_suggest *t = w->t;
    const replay *r = t->rp;
    uint8_t *test = util_calloc(w->ds->nleads + 1, 1);
    if (!test) return -1;
    for (size_t i = w->ntrain; i < w->n; i++) test[w->lead[i]] = 1;
    long n = 0;
    t->definition_tp = 0;
    for (size_t i = 0; i < r->n; i++)
        if (test[r->lead[i]] && replay_mql_time(r, i, t->threshold, t->fit_threshold) != TSTAMP_NONE)
            n++, t->definition_tp += r->won[i];
    free(test);
    return t->definition_mqls = n;
}

/* The test part scored three ways, current points and suggested points
 * rounded and not, each at the threshold that hands off as many test leads
 * as the current definition (equal workload). */
static int holdout(work *w, util_err *err) {
    tune_suggest *t = w->t;
    size_t nt = w->n - w->ntrain, m = w->m;
    double *s = util_malloc(nt * sizeof *s + 1), *u = util_malloc(nt * sizeof *u + 1);
    const uint8_t *y = w->y + w->ntrain;
    if (!s || !u) {
        free(s), free(u);
        return util_enomem(err);
    }
    for (size_t i = 0; i < nt; i++) {
        const double *row = w->x + (w->ntrain + i) * m;
        double a = 0, b = 0;
        for (size_t c = 0; c < m; c++) {
            if (row[c] == 0) continue;
            a += t->f[c].suggested * row[c];
            b += (t->f[c].status == SUGGEST_OK ? t->f[c].scaled : t->f[c].current) * row[c];
        }
        s[i] = a, u[i] = b;
    }
    int rc = -1;
    long want = definition_mqls(w);
    if (want < 0) {
        util_enomem(err);
        goto done;
    }
    if (evaluate(w->cur + w->ntrain, y, nt, 0, 0, want, &t->current, err) < 0 ||
        evaluate(s, y, nt, 0, 0, want, &t->suggested, err) < 0 ||
        evaluate(u, y, nt, 0, 0, want, &t->unrounded, err) < 0)
        goto done;
    rc = 0;
done:
    free(s);
    free(u);
    return rc;
}

/* ---------------------------- The whole ---------------------------- */

static void work_fini(work *w) {
    free(w->lead);
    free(w->y);
    free(w->x);
    free(w->cur);
    free(w->col);
    free(w->mean);
    free(w->sd);
    free(w->z);
    free(w->fold_loss);
    free(w->sign);
    logit_fit_fini(&w->full);
}

/* The cohort in created_at order, its split and its won leads. */
static int select_cohort(work *w, util_err *err) {
    const dataset *ds = w->ds;
    tune_suggest *t = w->t;
    cohort c;
    cohort_init(&c, ds, w->sc);
    if (!(w->lead = util_malloc(ds->nleads * sizeof *w->lead + 1))) return util_enomem(err);
    w->n = cohort_select(&c, w->lead);
    if (by_created(ds, w->lead, w->n, err) < 0) return -1;
    t->n = w->n;
    t->ntrain = w->ntrain = w->n * 7 / 10;
    t->ntest = w->n - w->ntrain;
    for (size_t i = 0; i < w->n; i++) {
        int64_t cutoff;
        int won = cohort_outcome(&c, w->lead[i], &cutoff) == DATASET_WON;
        t->won += won;
        if (i < w->ntrain) t->won_train += won;
        else t->won_test += won;
    }
    if (t->won < SUGGEST_MIN_WON) {
        if (t->won == 0)
            return util_errf(err, UTIL_EDATA,
                             "%s: the cohort has no won lead (of %zu leads); suggested weights "
                             "need at least %d won leads to fit a model",
                             w->sc->path, w->n, SUGGEST_MIN_WON);
        return util_errf(err, UTIL_EDATA,
                         "%s: the cohort has %ld won lead%s (of %zu leads); suggested weights "
                         "need at least %d won leads to fit a model",
                         w->sc->path, t->won, t->won == 1 ? "" : "s", w->n, SUGGEST_MIN_WON);
    }
    t->split_at = ds->created[w->lead[w->ntrain]];
    return 0;
}

int tune_suggest_run(const dataset *ds, const scenario *sc, const tune_suggest_opts *o,
                     tune_suggest **out, util_err *err) {
    tune_suggest *t = util_calloc(1, sizeof *t);
    if (!t) return util_enomem(err);
    work w;
    memset(&w, 0, sizeof w);
    w.ds = ds, w.sc = sc, w.t = t, w.progress = o->progress;
    compiled cp;
    memset(&cp, 0, sizeof cp);
    t->sc = sc;
    t->horizon_days = horizon(sc, &t->horizon_from);
    t->threshold = tune_suggest_threshold(sc->thresholds, sc->nthresholds);
    t->fit_threshold =
        sc->fit_thresholds ? tune_suggest_threshold(sc->fit_thresholds, sc->nfit_thresholds) : NAN;
    if (sc->nthresholds > 1)
        snprintf(t->notes[t->nnotes++], sizeof t->notes[0],
                 "The scenario lists %zu thresholds: the middle one is taken as the current "
                 "definition.", sc->nthresholds);
    if (ds->snapshot)
        snprintf(t->notes[t->nnotes++], sizeof t->notes[0],
                 "The dataset has no timestamps: the split follows the leads file's order, and "
                 "every event counts.");
    if (replay_run(ds, sc, o->threads, &t->rp, err) < 0 || compiled_init(&cp, ds, sc, err) < 0 ||
        select_cohort(&w, err) < 0 || list_features(&w, err) < 0)
        goto fail;
    if (!(w.x = util_calloc(w.n * w.m + 1, sizeof *w.x)) || !(w.y = util_malloc(w.n + 1)) ||
        !(w.cur = util_malloc(w.n * sizeof *w.cur + 1))) {
        util_enomem(err);
        goto fail;
    }
    if (build_rows(&w, &cp, err) < 0 || standardise(&w, err) < 0 ||
        choose_lambda(&w, o->threads, err) < 0 || final_fit(&w, err) < 0 ||
        bootstrap(&w, o, err) < 0)
        goto fail;
    scale(&w);
    if (holdout(&w, err) < 0) goto fail;
    compiled_fini(&cp);
    work_fini(&w);
    *out = t;
    return 0;
fail:
    compiled_fini(&cp);
    work_fini(&w);
    tune_suggest_free(t);
    return -1;
}

void tune_suggest_free(tune_suggest *t) {
    if (!t) return;
    free(t->f);
    eval_fini(&t->current);
    eval_fini(&t->suggested);
    eval_fini(&t->unrounded);
    replay_free(t->rp);
    free(t);
}
