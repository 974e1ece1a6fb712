/* tune_counts.c - a candidate grid evaluated from one replay: the counts and sequence methods.
 *
 * What does not depend on the weights comes from one replay: the cohort, fit
 * points, and which leads fast track or a rule qualifies (those are MQLs at
 * every threshold, and no row of a sweep comes from them). For the other
 * leads, "eligible" (they have a best score), only the best score moves with
 * the weights.
 *
 * Where the best score can be. Without decay a score moves only at events of
 * a type with points, and a group of simultaneous events with no type that
 * has negative points in any vector cannot lower it. So a lead's best score
 * over its candidate times is its score at its last candidate time, or just
 * before a group holding an event of a type with negative points. Those
 * states are the lead's checkpoints: usually one.
 *
 * Exactness. Without decay the replay computes scores in whole units of
 * 10^-k (decimal.h) and writes each as the nearest double to its decimal,
 * so the order of the additions does not matter. Here k is the most decimal
 * places of the fit and of every value of the grid: at least each vector's
 * own k, and the same decimal in finer units is the same double. When the
 * bounds decimal_fits asks hold for the largest values of the grid, they
 * hold for every vector and each vector's replay is exact too; otherwise
 * the methods decline (some vector's replay would round in doubles) and the
 * grid is replayed vector by vector. The counts method: a checkpoint is a
 * vector of event counts, B an integer dot product in 32-bit lanes (no BLAS
 * needed: a few types vary, and integer lanes are exact and fast), and leads
 * with the same fit and checkpoints are merged into one profile with
 * multiplicities. When sums could leave 32 bits (about 2^30 units), the
 * sequence method adds each lead's events in 64-bit units instead, for many
 * vectors at once.
 *
 * Thresholds. A sweep's rows are the distinct best scores of eligible leads;
 * at each, the MQLs are the fast leads and the eligible leads at or above it.
 * Per vector, best scores are counted in a histogram over (fit value,
 * integer B) when that is small (no sort), otherwise sorted; then the
 * distinct values are walked upward with sweep's objective and tie rules.
 * The amounts of the won leads handed off at the pick are summed exactly
 * (util_fsum), as sweep does, from whichever side of the threshold has fewer
 * won leads.
 *
 * Vectors are evaluated in blocks ("lanes") so that one pass over the leads
 * serves many vectors, with memory per thread bounded (BLOCK_BYTES for
 * histograms, SCORE_BYTES for the scores of a sorted block). */
#include "tune_counts.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cohort.h"
#include "radix.h"
#include "tstamp.h"

#define LANES_MAX 64
#define CELLS_MAX ((size_t)1 << 20)
#define BLOCK_BYTES ((size_t)1 << 20)
#define SCORE_BYTES ((size_t)64 << 20)
#define EXACT_BOUND ((int64_t)1 << 30)
#define CHECK 0xFFFFFFFFu /* sequence method: read the score here */

/* An event type that scores: in [behaviour], in the data, not zero in every vector. */
typedef struct stype {
    size_t beh;        /* index in sc->behaviour */
    int j;             /* index among the grid's varying types, -1 when fixed */
    int lim;           /* index among the limited scoring types, [limits] order; -1 none */
    double L;          /* its limit */
    int neg;           /* negative in some vector */
} stype;

typedef struct level {
    double v;          /* a distinct best score */
    long all, won;     /* eligible leads whose best score it is */
} level;

typedef struct fast {
    const dataset *ds;
    const replay *r;
    const scenario *sc;
    const tune_grid *g;
    const objective_spec *obj; /* the objective, as sweep_run sets it */
    long won;          /* won cohort leads */
    tune_row *rows;    /* the result: one per vector */
    cohort co;         /* the replay's cohort: each lead's cutoff */
    size_t V;          /* varying types of the tune_grid */

    size_t ns, nlim;
    stype *st;
    long *csat;        /* per limited type: a count past which its sum is clamped in every vector */
    int32_t *tmap;     /* dataset type -> stype, or -1 */
    int any_neg;
    int *sgn;          /* per varying type: +1 all values >= 0, -1 all <= 0, 0 mixed */

    size_t ne;         /* eligible leads */
    uint32_t *eci;     /* their cohort indices */
    long fast_all, fast_won, elig_won;
    util_fsum amt_fast, amt_all; /* won amounts: fast leads; fast and eligible leads */
    long maxcount;     /* most scoring events any eligible lead has */

    /* Units: eligible leads with the same inputs merged: profiles (counts
     * method) or programs (sequence method). */
    size_t U;
    uint32_t *mall, *mwon;   /* multiplicities */
    size_t nwu;              /* units holding won leads */
    uint32_t *wu;            /* those units */
    size_t *wa_off;          /* amounts of their won leads: [wa_off[k], wa_off[k+1]) */
    double *wa;

    /* Units: every score is a whole number of units of 10^-k. */
    int k;
    int64_t **su;      /* per scoring type: its values in units */
    int64_t *slu;      /* per scoring type: its limit in units, -1 without one */

    /* Counts method. */
    int counts;
    int32_t **vws;     /* per varying type: its values in units (NULL when it does not score) */
    int32_t *vls;      /* per varying type: its limit in units, or -1 without one */
    double *fitv;      /* distinct fit values of eligible leads, ascending */
    int64_t *fitu;     /* the same in units */
    size_t G;
    size_t *poff;      /* profile p: pdata[poff[p] .. poff[p+1]) = g, ncp, ncp * (C0, V counts) */
    int32_t *pdata;
    int64_t Bmin;
    size_t R;          /* Bmax - Bmin + 1 */
    int hist;          /* thresholds from a histogram over G x R cells */

    /* Sequence method. */
    size_t *prog_off;  /* unit u's program: prog[prog_off[u] .. prog_off[u+1]), its fit first */
    uint32_t *prog;
    int64_t *ufit;     /* fit of each unit, in units */

    size_t lanes;      /* vectors per block */
    size_t nblocks;
    long next;         /* next block to take (atomic) */
} fast;

static void fast_fini(fast *f) {
    free(f->rows);
    free(f->st);
    free(f->csat);
    free(f->tmap);
    free(f->sgn);
    free(f->eci);
    free(f->mall);
    free(f->mwon);
    free(f->wu);
    free(f->wa_off);
    free(f->wa);
    if (f->vws)
        for (size_t j = 0; j < f->V; j++) free(f->vws[j]);
    free(f->vws);
    free(f->vls);
    free(f->fitv);
    free(f->fitu);
    if (f->su)
        for (size_t t = 0; t < f->ns; t++) free(f->su[t]);
    free(f->su);
    free(f->slu);
    free(f->poff);
    free(f->pdata);
    free(f->prog_off);
    free(f->prog);
    free(f->ufit);
}

int tune_counts_applies(const dataset *ds, const scenario *sc, char *why, size_t nwhy) {
    if (sc->half_life_days > 0 && !ds->snapshot) {
        snprintf(why, nwhy, "the scenario has decay, so scores fade between events");
        return 0;
    }
    if (sc->fit_thresholds) {
        snprintf(why, nwhy, "the scenario is in two-axis mode (fit_threshold is set)");
        return 0;
    }
    if (sc->objective == SCENARIO_OBJ_CAPACITY) {
        snprintf(why, nwhy, "the capacity objective needs every threshold's weekly hand-offs");
        return 0;
    }
    return 1;
}

/* ---------------------------- Preparation ---------------------------- */

/* The counted events of cohort lead ci (SPEC 5.1), as the replay counts them. */
static cohort_span lead_events(const fast *f, size_t ci) {
    size_t li = f->r->lead[ci];
    int64_t cut;
    cohort_outcome(&f->co, li, &cut);
    return cohort_events(f->ds, li, f->r->created[ci], cut);
}

static int find_vary(const tune_grid *g, size_t k) {
    for (size_t j = 0; j < g->nvary; j++)
        if (g->vary[j] == k) return (int)j;
    return -1;
}

/* The scoring types: in [behaviour], in the data, not zero in every vector. */
static int scoring_types(fast *f, util_err *err) {
    const dataset *ds = f->ds;
    const scenario *sc = f->sc;
    if (!(f->st = util_calloc(sc->nbehaviour + 1, sizeof *f->st)) ||
        !(f->tmap = util_malloc((ds->types.n + 1) * sizeof *f->tmap)) ||
        !(f->sgn = util_calloc(f->V + 1, sizeof *f->sgn)))
        return util_enomem(err);
    for (size_t i = 0; i < ds->types.n; i++) f->tmap[i] = -1;
    for (size_t k = 0; k < sc->nbehaviour; k++) {
        const scenario_points *p = &sc->behaviour[k];
        long t = strtab_find(&ds->types, p->type, strlen(p->type));
        int nonzero = 0, neg = 0;
        for (size_t i = 0; i < p->nvals; i++) nonzero |= p->vals[i] != 0, neg |= p->vals[i] < 0;
        int j = find_vary(f->g, k);
        if (j >= 0) {
            int pos = 1, nonpos = 1;
            for (size_t i = 0; i < p->nvals; i++) pos &= p->vals[i] >= 0, nonpos &= p->vals[i] <= 0;
            f->sgn[j] = pos ? 1 : nonpos ? -1 : 0;
        }
        if (t < 0 || !nonzero) continue;
        f->st[f->ns] = (stype){.beh = k, .j = j, .lim = -1, .neg = neg};
        f->tmap[t] = (int32_t)f->ns++;
        f->any_neg |= neg;
    }
    /* Limits in [limits] order, as replay orders its clamped sums. */
    for (size_t i = 0; i < sc->nlimits; i++) {
        long t = strtab_find(&ds->types, sc->limits[i].type, strlen(sc->limits[i].type));
        if (t < 0 || f->tmap[t] < 0) continue;
        stype *s = &f->st[f->tmap[t]];
        s->lim = (int)f->nlim;
        s->L = sc->limits[i].vals[0];
        f->nlim++;
    }
    return 0;
}

/* The eligible leads (neither fast nor without a candidate time) and the
 * totals every vector shares. */
static int eligible_leads(fast *f, util_err *err) {
    const replay *r = f->r;
    size_t n = r->n;
    if (!(f->eci = util_malloc(n * sizeof *f->eci + 1))) return util_enomem(err);
    util_fsum_init(&f->amt_fast);
    util_fsum_init(&f->amt_all);
    for (size_t ci = 0; ci < n; ci++) {
        int won = r->won[ci];
        double a = r->amount[ci];
        if (r->fast[ci] != TSTAMP_NONE) {
            f->fast_all++;
            if (won) {
                f->fast_won++;
                if (!isnan(a)) util_fsum_add(&f->amt_fast, a), util_fsum_add(&f->amt_all, a);
            }
            continue;
        }
        if (r->st_off[ci] == r->st_off[ci + 1]) continue; /* no time to be scored */
        f->eci[f->ne++] = (uint32_t)ci;
        if (won) {
            f->elig_won++;
            if (!isnan(a)) util_fsum_add(&f->amt_all, a);
        }
    }
    return 0;
}

/* The most scoring events of any eligible lead, and where each limited
 * type saturates. Needs the units (grid_units). */
static int saturation(fast *f, util_err *err) {
    const dataset *ds = f->ds;
    const scenario *sc = f->sc;
    /* The most scoring events of any eligible lead bounds every partial sum. */
    for (size_t k = 0; k < f->ne; k++) {
        cohort_span span = lead_events(f, f->eci[k]);
        long c = 0;
        for (size_t e = span.first; e < span.end; e++) c += f->tmap[ds->ev_type[e]] >= 0;
        if (c > f->maxcount) f->maxcount = c;
    }
    /* Saturation of each limited type: the first count at which every
     * value's sum reaches the limit. */
    if (!(f->csat = util_malloc((f->nlim + 1) * sizeof *f->csat))) return util_enomem(err);
    for (size_t s = 0; s < f->ns; s++) {
        const stype *t = &f->st[s];
        if (t->lim < 0) continue;
        const scenario_points *p = &sc->behaviour[t->beh];
        int64_t L = f->slu[s];
        long sat = 0;
        for (size_t i = 0; i < p->nvals; i++) {
            int64_t w = f->su[s][i], u = 0;
            if (w == 0) continue;
            long c = 0;
            while (c < f->maxcount && (u < 0 ? -u : u) < L) u += w, c++;
            if (c > sat) sat = c;
        }
        f->csat[t->lim] = sat;
    }
    return 0;
}

/* What every vector shares, but the units. */
static int prepare(fast *f, util_err *err) {
    f->V = f->g->nvary;
    cohort_init(&f->co, f->ds, f->sc);
    if (scoring_types(f, err) < 0 || eligible_leads(f, err) < 0) return -1;
    return 0;
}

/* A fit of the replay (the nearest double to a decimal) in units of
 * 10^-f->k: 0, or -1 when it is not a whole number of them. */
static int fit_units(const fast *f, double fit, int64_t *u) {
    *u = llround(fit * decimal_scale(f->k));
    return decimal_value(*u, f->k) == fit ? 0 : -1;
}

/* The grid's units (see Exactness): f->k, and every scoring type's values
 * and limit in units. Returns 1 when every vector's replay is exact in them
 * (the methods apply), 0 when some is not, -1 on memory. */
static int grid_units(fast *f) {
    const scenario *sc = f->sc;
    const compiled_units *ru = &f->r->units;
    int k = ru->fit_places;
    double points_abs = 0;
    for (size_t s = 0; s < f->ns; s++) {
        const scenario_points *p = &sc->behaviour[f->st[s].beh];
        for (size_t i = 0; i < p->nvals; i++) {
            int d = decimal_places(p->vals[i]);
            if (d > k) k = d;
            if (fabs(p->vals[i]) > points_abs) points_abs = fabs(p->vals[i]);
        }
        int d = f->st[s].lim >= 0 ? decimal_places(f->st[s].L) : 0;
        if (d > k) k = d;
    }
    f->k = k > DECIMAL_MAX_PLACES ? DECIMAL_MAX_PLACES : k;
    if (!ru->fit_exact || !decimal_fits(ru->fit_abs, points_abs, ru->max_events, f->k)) return 0;
    if (!(f->su = util_calloc(f->ns + 1, sizeof *f->su)) ||
        !(f->slu = util_malloc((f->ns + 1) * sizeof *f->slu)))
        return -1;
    for (size_t s = 0; s < f->ns; s++) {
        const scenario_points *p = &sc->behaviour[f->st[s].beh];
        if (!(f->su[s] = util_malloc(p->nvals * sizeof **f->su))) return -1;
        for (size_t i = 0; i < p->nvals; i++)
            if (decimal_units(p->vals[i], f->k, &f->su[s][i]) < 0) return 0;
        f->slu[s] = -1;
        if (f->st[s].lim >= 0 && decimal_units(f->st[s].L, f->k, &f->slu[s]) < 0) return 0;
    }
    for (size_t e = 0; e < f->ne; e++) { /* the fits are whole units (they are, when exact) */
        int64_t u;
        if (fit_units(f, f->r->fit[f->eci[e]], &u) < 0) return 0;
    }
    return 1;
}

/* Can the counts method's 32-bit lanes hold every partial sum? */
static int counts_fit(const fast *f) {
    int64_t maxabs = 0, maxlim = 0;
    for (size_t s = 0; s < f->ns; s++) {
        const scenario_points *p = &f->sc->behaviour[f->st[s].beh];
        for (size_t i = 0; i < p->nvals; i++) {
            int64_t a = f->su[s][i] < 0 ? -f->su[s][i] : f->su[s][i];
            if (a > maxabs) maxabs = a;
        }
        if (f->slu[s] > maxlim) maxlim = f->slu[s];
    }
    double bound = (double)maxabs * (double)(f->maxcount + 1);
    return bound < (double)EXACT_BOUND && maxlim < EXACT_BOUND;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The won leads of every unit, with their amounts: units with won leads in
 * wu, their amounts in wa[wa_off[k] .. wa_off[k+1]). uof maps eligible
 * leads to units; mwon must be filled. */
static int won_units(fast *f, const uint32_t *uof) {
    const replay *r = f->r;
    size_t nw = 0;
    uint32_t *wpos = NULL;
    size_t *fill = NULL;
    for (size_t u = 0; u < f->U; u++) nw += f->mwon[u] > 0;
    if (!(f->wu = util_malloc((nw + 1) * sizeof *f->wu)) ||
        !(f->wa_off = util_calloc(nw + 2, sizeof *f->wa_off)) ||
        !(f->wa = util_malloc(((size_t)f->elig_won + 1) * sizeof *f->wa)) ||
        !(wpos = util_malloc((f->U + 1) * sizeof *wpos)) ||
        !(fill = util_malloc((nw + 1) * sizeof *fill))) {
        free(wpos);
        return -1;
    }
    for (size_t u = 0; u < f->U; u++) {
        wpos[u] = UINT32_MAX;
        if (!f->mwon[u]) continue;
        wpos[u] = (uint32_t)f->nwu;
        f->wu[f->nwu] = (uint32_t)u;
        f->wa_off[f->nwu + 1] = f->wa_off[f->nwu] + f->mwon[u];
        f->nwu++;
    }
    for (size_t w = 0; w < f->nwu; w++) fill[w] = f->wa_off[w];
    for (size_t k = 0; k < f->ne; k++) {
        size_t ci = f->eci[k];
        if (r->won[ci]) f->wa[fill[wpos[uof[k]]]++] = r->amount[ci];
    }
    free(wpos);
    free(fill);
    return 0;
}

/* ---------------------------- Counts method: profiles ---------------------------- */

static inline int32_t clamp32(int32_t x, int32_t L) {
    return L < 0 ? x : x > L ? L : x < -L ? -L : x;
}

/* Points of varying type j at value index i for c events, scaled. */
static inline int32_t vterm(const fast *f, size_t j, size_t i, int32_t c) {
    return clamp32(f->vws[j][i] * c, f->vls[j]);
}

/* Is checkpoint a (C0, V counts) no better than b in every vector? */
static int dominated(const fast *f, const int32_t *a, const int32_t *b) {
    if (a[0] > b[0]) return 0;
    for (size_t j = 0; j < f->V; j++) {
        int32_t x = a[1 + j], y = b[1 + j];
        if (f->sgn[j] > 0 ? x > y : f->sgn[j] < 0 ? x < y : x != y) return 0;
    }
    return 1;
}

static int cmp_cp(const int32_t *x, const int32_t *y, size_t width) {
    for (size_t i = 0; i < width; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* Sort m checkpoints of width W in place (m is small: insertion sort). */
static void sort_cps(int32_t *cps, size_t m, size_t W, int32_t *tmp) {
    for (size_t a = 1; a < m; a++) {
        memcpy(tmp, cps + a * W, W * sizeof *tmp);
        size_t b = a;
        while (b > 0 && cmp_cp(cps + (b - 1) * W, tmp, W) > 0) {
            memcpy(cps + b * W, cps + (b - 1) * W, W * sizeof *tmp);
            b--;
        }
        memcpy(cps + b * W, tmp, W * sizeof *tmp);
    }
}

static uint64_t hash_rec(const int32_t *p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint32_t)p[i];
        h *= 1099511628211ULL;
        h ^= h >> 29;
    }
    return h;
}

/* Append k values to the growable array *a of *n (capacity *cap). Returns 0, or -1 on memory. */
static int push32(int32_t **a, size_t *n, size_t *cap, const int32_t *src, size_t k) {
    if (util_grow((void **)a, cap, *n + k, sizeof **a) < 0) return -1;
    memcpy(*a + *n, src, k * sizeof *src);
    *n += k;
    return 0;
}

/* Append the checkpoint of state cnt (counts per scoring type): C0, the
 * fixed types' points, then the counts of the varying types. */
static int emit_cp(const fast *f, const int32_t *cnt, const int32_t *fws, const int32_t *fls,
                   int32_t **cps, size_t *cap, size_t *ncp) {
    size_t W = 1 + f->V;
    if (util_grow((void **)cps, cap, (*ncp + 1) * W, sizeof **cps) < 0) return -1;
    int32_t *cp = *cps + *ncp * W;
    cp[0] = 0;
    for (size_t j = 0; j < f->V; j++) cp[1 + j] = 0;
    for (size_t s = 0; s < f->ns; s++) {
        if (!cnt[s]) continue;
        if (f->st[s].j < 0) {
            cp[0] += clamp32(fws[s] * cnt[s], fls[s]);
        } else {
            /* past saturation a count changes nothing: capped, equal leads merge */
            int32_t c = cnt[s];
            if (f->st[s].lim >= 0 && c > f->csat[f->st[s].lim]) c = (int32_t)f->csat[f->st[s].lim];
            cp[1 + f->st[s].j] = c;
        }
    }
    (*ncp)++;
    return 0;
}

/* Scratch of the profile builder, for one lead at a time. */
typedef struct pscratch {
    int32_t *fws, *fls;   /* per scoring type: its one scaled value (fixed types), scaled limit */
    int32_t *cnt, *snap;  /* per scoring type: counts now, and before the current group */
    int32_t *cps;         /* the lead's checkpoints, W each */
    size_t cpcap;
    uint8_t *drop;
    size_t dropcap;
    int32_t *rec;         /* 2 + W: the record's head, then room for one checkpoint */
} pscratch;

static void pscratch_fini(pscratch *ps) {
    free(ps->fws);
    free(ps->fls);
    free(ps->cnt);
    free(ps->snap);
    free(ps->cps);
    free(ps->drop);
    free(ps->rec);
}

/* Scaled weights: per varying type its values (f->vws, f->vls); per fixed
 * type its one value (ps->fws); every limit (ps->fls). */
static int scaled_weights(fast *f, pscratch *ps) {
    const scenario *sc = f->sc;
    size_t V = f->V;
    if (!(f->vws = util_calloc(V + 1, sizeof *f->vws)) ||
        !(f->vls = util_malloc((V + 1) * sizeof *f->vls)) ||
        !(ps->fws = util_calloc(f->ns + 1, sizeof *ps->fws)) ||
        !(ps->fls = util_malloc((f->ns + 1) * sizeof *ps->fls)))
        return -1;
    for (size_t j = 0; j < V; j++) f->vls[j] = -1;
    for (size_t s = 0; s < f->ns; s++) {
        const stype *t = &f->st[s];
        const scenario_points *p = &sc->behaviour[t->beh];
        int32_t ls = (int32_t)f->slu[s]; /* -1 without a limit; counts_fit bounds them */
        ps->fls[s] = ls;
        if (t->j < 0) {
            ps->fws[s] = (int32_t)f->su[s][0];
            continue;
        }
        if (!(f->vws[t->j] = util_malloc(p->nvals * sizeof **f->vws))) return -1;
        for (size_t i = 0; i < p->nvals; i++) f->vws[t->j][i] = (int32_t)f->su[s][i];
        f->vls[t->j] = ls;
    }
    return 0;
}

/* The distinct fit values of the eligible leads, ascending (f->fitv, f->G),
 * and in units (f->fitu). */
static int fit_groups(fast *f) {
    const replay *r = f->r;
    if (!(f->fitv = util_malloc((f->ne + 1) * sizeof *f->fitv)) ||
        !(f->fitu = util_malloc((f->ne + 1) * sizeof *f->fitu)))
        return -1;
    for (size_t k = 0; k < f->ne; k++) f->fitv[k] = r->fit[f->eci[k]];
    qsort(f->fitv, f->ne, sizeof *f->fitv, cmp_double);
    for (size_t k = 0; k < f->ne; k++)
        if (f->G == 0 || f->fitv[k] != f->fitv[f->G - 1]) f->fitv[f->G++] = f->fitv[k];
    for (size_t g = 0; g < f->G; g++) fit_units(f, f->fitv[g], &f->fitu[g]); /* whole: grid_units */
    return 0;
}

/* Eligible lead k's record, appended to data: its fit group, the number m
 * of its checkpoints, then the m checkpoints (those no other one beats in
 * every vector), sorted so that equal leads give equal records. */
static int lead_record(const fast *f, size_t k, pscratch *ps, int32_t **data, size_t *ndata,
                       size_t *dcap) {
    const dataset *ds = f->ds;
    const replay *r = f->r;
    size_t W = 1 + f->V; /* a checkpoint: C0 then V counts */
    size_t ci = f->eci[k];
    int32_t *cnt = ps->cnt, *snap = ps->snap;
    cohort_span span = lead_events(f, ci);
    size_t ncp = 0;
    for (size_t s = 0; s < f->ns; s++) cnt[s] = 0;
    int64_t cur = r->created[ci];
    int have_prev = 0, flagged = 0;
    for (size_t e = span.first; e < span.end; e++) {
        int64_t tm = ds->ev_time[e];
        int32_t s = f->tmap[ds->ev_type[e]];
        if (s < 0) continue;
        if (tm != cur) { /* a new group: the state before it is a candidate */
            if (f->any_neg) memcpy(snap, cnt, f->ns * sizeof *cnt);
            have_prev = 1;
            flagged = 0;
            cur = tm;
        }
        if (f->st[s].neg && have_prev && !flagged) {
            if (emit_cp(f, snap, ps->fws, ps->fls, &ps->cps, &ps->cpcap, &ncp) < 0) return -1;
            flagged = 1;
        }
        cnt[s]++;
    }
    if (emit_cp(f, cnt, ps->fws, ps->fls, &ps->cps, &ps->cpcap, &ncp) < 0) return -1;
    /* Drop checkpoints that another one beats in every vector, then sort. */
    int32_t *cps = ps->cps;
    if (util_grow((void **)&ps->drop, &ps->dropcap, ncp, 1) < 0) return -1;
    for (size_t a = 0; a < ncp; a++) {
        ps->drop[a] = 0;
        for (size_t b = 0; b < ncp && !ps->drop[a]; b++) {
            if (a == b || !dominated(f, cps + a * W, cps + b * W)) continue;
            /* of two equal checkpoints keep the later one */
            ps->drop[a] = !dominated(f, cps + b * W, cps + a * W) || b > a;
        }
    }
    size_t m = 0;
    for (size_t a = 0; a < ncp; a++) {
        if (ps->drop[a]) continue;
        if (m != a) memmove(cps + m * W, cps + a * W, W * sizeof *cps);
        m++;
    }
    sort_cps(cps, m, W, ps->rec + 2);
    double fit = r->fit[ci];
    size_t lo = 0, hi = f->G;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->fitv[mid] < fit) lo = mid + 1;
        else hi = mid;
    }
    ps->rec[0] = (int32_t)lo;
    ps->rec[1] = (int32_t)m;
    if (push32(data, ndata, dcap, ps->rec, 2) < 0 || push32(data, ndata, dcap, cps, m * W) < 0)
        return -1;
    return 0;
}

/* Equal records merged into profiles (open addressing on their hash):
 * f->U profiles, their multiplicities, their records compacted into
 * f->pdata / f->poff; uof maps each eligible lead to its profile. */
static int merge_records(fast *f, const int32_t *data, const size_t *lead_off, uint32_t *uof) {
    size_t nslots = 16;
    while (nslots < 2 * f->ne + 2) nslots *= 2;
    uint32_t *slot = util_malloc(nslots * sizeof *slot);
    uint32_t *first = util_malloc((f->ne + 1) * sizeof *first); /* profile -> its first lead */
    if (!slot || !first || !(f->mall = util_calloc(f->ne + 1, sizeof *f->mall)) ||
        !(f->mwon = util_calloc(f->ne + 1, sizeof *f->mwon)) ||
        !(f->poff = util_malloc((f->ne + 2) * sizeof *f->poff))) {
        free(slot);
        free(first);
        return -1;
    }
    for (size_t i = 0; i < nslots; i++) slot[i] = UINT32_MAX;
    size_t P = 0;
    for (size_t k = 0; k < f->ne; k++) {
        const int32_t *p = data + lead_off[k];
        size_t len = lead_off[k + 1] - lead_off[k];
        size_t h = (size_t)hash_rec(p, len) & (nslots - 1);
        for (;;) {
            uint32_t u = slot[h];
            if (u == UINT32_MAX) {
                slot[h] = (uint32_t)P;
                first[P] = (uint32_t)k;
                uof[k] = (uint32_t)P++;
                break;
            }
            size_t k2 = first[u];
            if (lead_off[k2 + 1] - lead_off[k2] == len &&
                memcmp(data + lead_off[k2], p, len * sizeof *p) == 0) {
                uof[k] = u;
                break;
            }
            h = (h + 1) & (nslots - 1);
        }
        f->mall[uof[k]]++;
        if (f->r->won[f->eci[k]]) f->mwon[uof[k]]++;
    }
    free(slot);
    f->U = P;
    /* Compact the profiles' records. */
    size_t total = 0;
    for (size_t p = 0; p < P; p++) total += lead_off[first[p] + 1] - lead_off[first[p]];
    if (!(f->pdata = util_malloc((total + 1) * sizeof *f->pdata))) {
        free(first);
        return -1;
    }
    total = 0;
    for (size_t p = 0; p < P; p++) {
        size_t len = lead_off[first[p] + 1] - lead_off[first[p]];
        f->poff[p] = total;
        memcpy(f->pdata + total, data + lead_off[first[p]], len * sizeof *data);
        total += len;
    }
    f->poff[P] = total;
    free(first);
    return 0;
}

/* The range of B over every profile and vector, and whether a histogram
 * over (fit group, B) is small enough to use. */
static void score_range(fast *f) {
    const scenario *sc = f->sc;
    size_t V = f->V, W = 1 + V;
    int64_t bmin = INT64_MAX, bmax = INT64_MIN;
    for (size_t p = 0; p < f->U; p++) {
        const int32_t *rp = f->pdata + f->poff[p];
        size_t ncp = (size_t)rp[1];
        int64_t plo = INT64_MIN, phi = INT64_MIN;
        for (size_t c = 0; c < ncp; c++) {
            const int32_t *cp = rp + 2 + c * W;
            int64_t lo = cp[0], hi = cp[0];
            for (size_t j = 0; j < V; j++) {
                if (!cp[1 + j]) continue;
                const scenario_points *pv = &sc->behaviour[f->g->vary[j]];
                int32_t mn = INT32_MAX, mx = INT32_MIN;
                for (size_t i = 0; i < pv->nvals; i++) {
                    int32_t x = vterm(f, j, i, cp[1 + j]);
                    if (x < mn) mn = x;
                    if (x > mx) mx = x;
                }
                lo += mn;
                hi += mx;
            }
            if (lo > plo) plo = lo;
            if (hi > phi) phi = hi;
        }
        if (plo < bmin) bmin = plo;
        if (phi > bmax) bmax = phi;
    }
    if (f->U == 0) bmin = bmax = 0;
    f->Bmin = bmin;
    f->R = (size_t)(bmax - bmin + 1);
    f->hist = f->G > 0 && f->R <= CELLS_MAX && f->G * f->R <= CELLS_MAX;
}

/* Each eligible lead's checkpoints as counts; equal leads merged into profiles. */
static int build_profiles(fast *f, util_err *err) {
    size_t W = 1 + f->V;
    int rc = -1;
    pscratch ps;
    memset(&ps, 0, sizeof ps);
    int32_t *data = NULL;
    size_t ndata = 0, dcap = 0;
    size_t *lead_off = NULL;
    uint32_t *uof = NULL;
    if (scaled_weights(f, &ps) < 0 || fit_groups(f) < 0) goto done;
    if (!(ps.cnt = util_calloc(f->ns + 1, sizeof *ps.cnt)) ||
        !(ps.snap = util_calloc(f->ns + 1, sizeof *ps.snap)) ||
        !(ps.rec = util_malloc((2 + W) * sizeof *ps.rec)) ||
        !(lead_off = util_malloc((f->ne + 1) * sizeof *lead_off)))
        goto done;
    /* Pass 1: every lead's record into data. */
    for (size_t k = 0; k < f->ne; k++) {
        lead_off[k] = ndata;
        if (lead_record(f, k, &ps, &data, &ndata, &dcap) < 0) goto done;
    }
    lead_off[f->ne] = ndata;
    /* Pass 2: equal records merged. */
    if (!(uof = util_malloc((f->ne + 1) * sizeof *uof)) || merge_records(f, data, lead_off, uof) < 0 ||
        won_units(f, uof) < 0)
        goto done;
    score_range(f);
    rc = 0;
done:
    if (rc < 0) util_enomem(err);
    pscratch_fini(&ps);
    free(data);
    free(lead_off);
    free(uof);
    return rc;
}

/* ---------------------------- Sequence method: programs ---------------------------- */

/* A unit's program: the codes of its unlimited scoring events in time
 * order; CHECK where its score must be read, followed by the count of each
 * limited type so far ([limits] order, capped at saturation). A limited
 * type's sum holds only its own points, so its count is all it depends on.
 *
 * Eligible lead k's key into buf (room for its longest program): its fit
 * in the first two words, then its program. LC is scratch of f->nlim
 * counts. Returns the key's length in words. */
static size_t lead_program(const fast *f, size_t k, uint32_t *buf, long *lc) {
    const dataset *ds = f->ds;
    size_t ci = f->eci[k];
    cohort_span span = lead_events(f, ci);
    double fit = f->r->fit[ci];
    memcpy(buf, &fit, sizeof fit); /* the first two words: the fit, part of the key */
    size_t m = 2;
    for (size_t q = 0; q < f->nlim; q++) lc[q] = 0;
    int64_t cur = f->r->created[ci]; /* events at created_at form the first group: no state before it */
    for (size_t e = span.first; e < span.end; e++) {
        int64_t tm = ds->ev_time[e];
        int32_t s = f->tmap[ds->ev_type[e]];
        if (s < 0) continue;
        if (tm != cur && f->any_neg) {
            /* A new group: the state before it is a checkpoint when the
             * group holds a type with negative points. */
            int neg = 0;
            for (size_t x = e; x < span.end && ds->ev_time[x] == tm && !neg; x++)
                neg = f->tmap[ds->ev_type[x]] >= 0 && f->st[f->tmap[ds->ev_type[x]]].neg;
            if (neg) {
                buf[m++] = CHECK;
                for (size_t q = 0; q < f->nlim; q++) buf[m++] = (uint32_t)lc[q];
            }
        }
        cur = tm;
        int q = f->st[s].lim;
        if (q >= 0) {
            if (lc[q] < f->csat[q]) lc[q]++;
        } else {
            buf[m++] = (uint32_t)s;
        }
    }
    buf[m++] = CHECK;
    for (size_t q = 0; q < f->nlim; q++) buf[m++] = (uint32_t)lc[q];
    return m;
}

/* Each eligible lead's program; leads with the same fit and program merged into units. */
static int build_programs(fast *f, util_err *err) {
    const replay *r = f->r;
    size_t n = 0, cap = 0, nslots = 16, lcap = 0;
    int rc = -1;
    uint32_t *buf = NULL, *slot = NULL, *uof = NULL;
    long *lc = util_calloc(f->nlim + 1, sizeof *lc);
    while (nslots < 2 * f->ne + 2) nslots *= 2;
    if (!lc || !(slot = util_malloc(nslots * sizeof *slot)) ||
        !(uof = util_malloc((f->ne + 1) * sizeof *uof)) ||
        !(f->prog_off = util_malloc((f->ne + 2) * sizeof *f->prog_off)) ||
        !(f->ufit = util_malloc((f->ne + 1) * sizeof *f->ufit)) ||
        !(f->mall = util_calloc(f->ne + 1, sizeof *f->mall)) ||
        !(f->mwon = util_calloc(f->ne + 1, sizeof *f->mwon)))
        goto nomem;
    for (size_t i = 0; i < nslots; i++) slot[i] = UINT32_MAX;
    for (size_t k = 0; k < f->ne; k++) {
        size_t ci = f->eci[k];
        /* at most: each event, and a CHECK with its counts before each one and at the end */
        size_t need = ((size_t)f->maxcount + 1) * (f->nlim + 2) + 2;
        if (util_grow((void **)&buf, &lcap, need, sizeof *buf) < 0) goto nomem;
        size_t m = lead_program(f, k, buf, lc);
        int64_t fit;
        fit_units(f, r->fit[ci], &fit); /* whole: grid_units checked */
        /* the same fit and program as an earlier lead: the same unit */
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < m; i++) {
            h ^= buf[i];
            h *= 1099511628211ULL;
            h ^= h >> 29;
        }
        size_t at = (size_t)h & (nslots - 1);
        for (;;) {
            uint32_t u = slot[at];
            if (u == UINT32_MAX) {
                if (util_grow((void **)&f->prog, &cap, n + m, sizeof *f->prog) < 0) goto nomem;
                memcpy(f->prog + n, buf, m * sizeof *buf);
                f->prog_off[f->U] = n;
                n += m;
                f->ufit[f->U] = fit;
                slot[at] = (uint32_t)f->U;
                uof[k] = (uint32_t)f->U++;
                f->prog_off[f->U] = n;
                break;
            }
            if (f->prog_off[u + 1] - f->prog_off[u] == m &&
                memcmp(f->prog + f->prog_off[u], buf, m * sizeof *buf) == 0) {
                uof[k] = u;
                break;
            }
            at = (at + 1) & (nslots - 1);
        }
        f->mall[uof[k]]++;
        f->mwon[uof[k]] += r->won[ci];
    }
    if (won_units(f, uof) < 0) goto nomem;
    rc = 0;
    goto done;
nomem:
    util_enomem(err);
done:
    free(lc);
    free(buf);
    free(slot);
    free(uof);
    return rc;
}

/* ---------------------------- Per block ---------------------------- */

/* Scratch of one worker. */
typedef struct worker {
    fast *f;
    size_t nl;           /* lanes of the current block */
    size_t v0;
    uint32_t *dig;       /* V * LANES_MAX: value index of each varying type per lane */
    int *inner, *outer;  /* scoring varying types whose value changes within the block, or not */
    size_t ninner, nouter;
    int32_t *acc, *best; /* LANES_MAX each */
    uint32_t *hist;      /* counts method, histogram: lanes * cells * 2 */
    double *score;       /* sorted methods: lanes * U */
    int64_t *lin;        /* sequence method: lanes */
    int64_t *wl;         /* sequence method: ns * lanes weights, in units */
    int64_t **limtab;    /* sequence method: per limited type, (csat + 1) * lanes clamped sums */
    level *lv;           /* distinct scores of one vector */
    size_t lvcap;
    uint64_t *key, *key2;
    uint32_t *idx, *idx2;
    double T[LANES_MAX];
    int has[LANES_MAX], above[LANES_MAX];
    util_fsum amt[LANES_MAX];
    int failed;
} worker;

static void block_digits(worker *w, size_t v0, size_t nl) {
    fast *f = w->f;
    w->v0 = v0;
    w->nl = nl;
    w->ninner = w->nouter = 0;
    for (size_t j = 0; j < f->V; j++) {
        uint32_t *d = w->dig + j * LANES_MAX;
        int varies = 0;
        for (size_t l = 0; l < nl; l++) {
            d[l] = (uint32_t)tune_grid_digit(f->g, v0 + l, j);
            varies |= d[l] != d[0];
        }
        /* a type that does not score has no weights and no counts: skip it */
        if (!f->vws || !f->vws[j]) continue;
        if (varies) w->inner[w->ninner++] = (int)j;
        else w->outer[w->nouter++] = (int)j;
    }
}

/* Best integer score of profile record rp in every lane, into w->best. */
static void profile_best(worker *w, const int32_t *rp) {
    const fast *f = w->f;
    size_t W = 1 + f->V, nl = w->nl, ncp = (size_t)rp[1];
    int32_t *acc = w->acc, *best = w->best;
    for (size_t c = 0; c < ncp; c++) {
        const int32_t *cp = rp + 2 + c * W;
        int32_t pre = cp[0];
        for (size_t i = 0; i < w->nouter; i++) {
            size_t j = (size_t)w->outer[i];
            if (cp[1 + j]) pre += vterm(f, j, w->dig[j * LANES_MAX], cp[1 + j]);
        }
        for (size_t l = 0; l < nl; l++) acc[l] = pre;
        for (size_t i = 0; i < w->ninner; i++) {
            size_t j = (size_t)w->inner[i];
            int32_t k = cp[1 + j];
            if (!k) continue;
            const int32_t *ws = f->vws[j];
            const uint32_t *d = w->dig + j * LANES_MAX;
            int32_t L = f->vls[j];
            if (L < 0) {
                for (size_t l = 0; l < nl; l++) acc[l] += ws[d[l]] * k;
            } else {
                for (size_t l = 0; l < nl; l++) {
                    int32_t x = ws[d[l]] * k;
                    acc[l] += x > L ? L : x < -L ? -L : x;
                }
            }
        }
        if (c == 0) {
            for (size_t l = 0; l < nl; l++) best[l] = acc[l];
        } else {
            for (size_t l = 0; l < nl; l++) best[l] = acc[l] > best[l] ? acc[l] : best[l];
        }
    }
}

/* Best scores of unit u (a program) in every lane, into w->score[l * U + u]. */
static void program_best(worker *w, size_t u) {
    const fast *f = w->f;
    size_t nl = w->nl, U = f->U, nlim = f->nlim;
    int64_t fit = f->ufit[u];
    int64_t *lin = w->lin, *wl = w->wl;
    int64_t best[LANES_MAX];
    for (size_t l = 0; l < nl; l++) lin[l] = 0, best[l] = INT64_MIN;
    for (size_t e = f->prog_off[u] + 2; e < f->prog_off[u + 1]; e++) {
        uint32_t code = f->prog[e];
        if (code == CHECK) {
            /* replay's score: fit, lin, then each clamped sum */
            const uint32_t *c = f->prog + e + 1;
            for (size_t l = 0; l < nl; l++) {
                int64_t v = fit + lin[l];
                for (size_t m = 0; m < nlim; m++) v += w->limtab[m][c[m] * nl + l];
                if (v > best[l]) best[l] = v;
            }
            e += nlim;
            continue;
        }
        const int64_t *ws = wl + (size_t)code * nl;
        for (size_t l = 0; l < nl; l++) lin[l] += ws[l];
    }
    for (size_t l = 0; l < nl; l++) w->score[l * U + u] = decimal_value(best[l], f->k);
}

static int grow_levels(worker *w, size_t n) {
    if (n <= w->lvcap) return 0;
    level *p = util_reallocarray(w->lv, n, sizeof *p);
    if (!p) return -1;
    w->lv = p;
    w->lvcap = n;
    return 0;
}

static int cmp_level(const void *a, const void *b) {
    double x = ((const level *)a)->v, y = ((const level *)b)->v;
    return (x > y) - (x < y);
}

/* Levels of lane l from its histogram (and empty the histogram). */
static size_t levels_from_hist(worker *w, size_t l) {
    const fast *f = w->f;
    size_t cells = f->G * f->R, n = 0;
    uint32_t *h = w->hist + l * cells * 2;
    for (size_t g = 0; g < f->G; g++) {
        for (size_t b = 0; b < f->R; b++) {
            uint32_t *c = h + (g * f->R + b) * 2;
            if (!c[0]) continue;
            double v = decimal_value(f->fitu[g] + (int64_t)b + f->Bmin, f->k);
            w->lv[n++] = (level){v, (long)c[0], (long)c[1]};
            c[0] = c[1] = 0;
        }
    }
    if (f->G > 1) qsort(w->lv, n, sizeof *w->lv, cmp_level);
    /* merge equal values (fit + B may be the same sum for different cells) */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && w->lv[m - 1].v == w->lv[i].v) {
            w->lv[m - 1].all += w->lv[i].all;
            w->lv[m - 1].won += w->lv[i].won;
        } else {
            w->lv[m++] = w->lv[i];
        }
    }
    return m;
}

/* Levels of lane l from its scores, by sorting. */
static size_t levels_from_scores(worker *w, size_t l) {
    const fast *f = w->f;
    const double *sc = w->score + l * f->U;
    for (size_t u = 0; u < f->U; u++) {
        w->key[u] = radix_key(sc[u]);
        w->idx[u] = (uint32_t)u;
    }
    radix_sort_idx(w->key, w->idx, w->key2, w->idx2, f->U);
    size_t m = 0;
    for (size_t i = 0; i < f->U; i++) {
        uint32_t u = w->idx[i];
        if (m && w->key[i] == w->key[i - 1]) {
            w->lv[m - 1].all += f->mall[u];
            w->lv[m - 1].won += f->mwon[u];
        } else {
            w->lv[m++] = (level){sc[u], (long)f->mall[u], (long)f->mwon[u]};
        }
    }
    return m;
}

/* The sweep's pick over the distinct levels of one vector. */
static void pick_levels(const fast *f, worker *w, size_t l, size_t n, tune_row *row) {
    long below_all = 0, below_won = 0;
    long best = -1, bmq = 0, btp = 0;
    double bv = NAN, bT = NAN;
    long elig_all = (long)f->ne;
    for (size_t j = 0; j < n; j++) {
        const level *x = &w->lv[j];
        long tp = f->fast_won + f->elig_won - below_won;
        long mq = f->fast_all + elig_all - below_all;
        double val = objective_value(f->obj, tp, mq - tp, f->won, NAN);
        if (!isnan(val) && (best < 0 || objective_better(val, mq, x->v, NAN, bv, bmq, bT, NAN))) {
            best = (long)j;
            bv = val;
            bmq = mq;
            bT = x->v;
            btp = tp;
        }
        below_all += x->all;
        below_won += x->won;
    }
    memset(row, 0, sizeof *row);
    row->nthresholds = (long)n;
    row->T = row->F = row->objective = row->tp_amount = NAN;
    w->has[l] = best >= 0;
    if (best < 0) return;
    row->has = 1;
    row->T = bT;
    row->tp = btp;
    row->fp = bmq - btp;
    row->objective = bv;
    w->T[l] = bT;
    /* Sum the amounts from the side of T with fewer won leads. */
    long above = btp - f->fast_won;
    w->above[l] = above <= f->elig_won - above;
    w->amt[l] = w->above[l] ? f->amt_fast : f->amt_all;
}

/* Amounts of the won leads at or above each lane's pick. */
static void block_amounts(worker *w, int from_scores) {
    fast *f = w->f;
    size_t nl = w->nl;
    int any = 0;
    for (size_t l = 0; l < nl; l++) any |= w->has[l];
    if (!any) return;
    for (size_t k = 0; k < f->nwu; k++) {
        uint32_t u = f->wu[k];
        double b[LANES_MAX];
        if (from_scores) {
            for (size_t l = 0; l < nl; l++) b[l] = w->score[l * f->U + u];
        } else {
            const int32_t *rp = f->pdata + f->poff[u];
            profile_best(w, rp);
            int64_t fit = f->fitu[rp[0]];
            for (size_t l = 0; l < nl; l++) b[l] = decimal_value(fit + w->best[l], f->k);
        }
        for (size_t l = 0; l < nl; l++) {
            if (!w->has[l]) continue;
            int at = b[l] >= w->T[l];
            if (w->above[l] != at) continue;
            for (size_t a = f->wa_off[k]; a < f->wa_off[k + 1]; a++)
                if (!isnan(f->wa[a])) util_fsum_add(&w->amt[l], at ? f->wa[a] : -f->wa[a]);
        }
    }
}

static void run_block(worker *w, size_t v0, size_t nl) {
    fast *f = w->f;
    tune_row *rows = f->rows + v0;
    block_digits(w, v0, nl);
    if (f->counts && f->hist) {
        size_t cells = f->G * f->R;
        for (size_t p = 0; p < f->U; p++) {
            const int32_t *rp = f->pdata + f->poff[p];
            profile_best(w, rp);
            uint32_t ma = f->mall[p], mw = f->mwon[p];
            int64_t base = (int64_t)rp[0] * (int64_t)f->R - f->Bmin;
            for (size_t l = 0; l < nl; l++) {
                uint32_t *c = w->hist + (l * cells + (size_t)(base + w->best[l])) * 2;
                c[0] += ma;
                c[1] += mw;
            }
        }
        for (size_t l = 0; l < nl; l++) pick_levels(f, w, l, levels_from_hist(w, l), &rows[l]);
        block_amounts(w, 0);
    } else {
        if (f->counts) {
            for (size_t p = 0; p < f->U; p++) {
                const int32_t *rp = f->pdata + f->poff[p];
                profile_best(w, rp);
                int64_t fit = f->fitu[rp[0]];
                for (size_t l = 0; l < nl; l++)
                    w->score[l * f->U + p] = decimal_value(fit + w->best[l], f->k);
            }
        } else {
            for (size_t s = 0; s < f->ns; s++) {
                const stype *t = &f->st[s];
                const int64_t *vals = f->su[s];
                int64_t *ws = w->wl + s * nl;
                for (size_t l = 0; l < nl; l++) ws[l] = t->j < 0 ? vals[0] : vals[w->dig[(size_t)t->j * LANES_MAX + l]];
                if (t->lim < 0) continue;
                /* the clamped sum of c events */
                int64_t *tab = w->limtab[t->lim], L = f->slu[s];
                for (size_t l = 0; l < nl; l++) {
                    int64_t u = 0;
                    for (long c = 0; c <= f->csat[t->lim]; c++) {
                        if (c) u += ws[l];
                        tab[(size_t)c * nl + l] = u > L ? L : u < -L ? -L : u;
                    }
                }
            }
            for (size_t u = 0; u < f->U; u++) program_best(w, u);
        }
        for (size_t l = 0; l < nl; l++) pick_levels(f, w, l, levels_from_scores(w, l), &rows[l]);
        block_amounts(w, 1);
    }
    for (size_t l = 0; l < nl; l++)
        if (w->has[l]) rows[l].tp_amount = util_fsum_value(&w->amt[l]);
}

static void *work(void *arg) {
    worker *w = arg;
    fast *f = w->f;
    size_t V = f->V ? f->V : 1;
    size_t lv = f->counts && f->hist ? f->G * f->R : f->U;
    if (!(w->dig = util_malloc(V * LANES_MAX * sizeof *w->dig)) ||
        !(w->inner = util_malloc(V * sizeof *w->inner)) ||
        !(w->outer = util_malloc(V * sizeof *w->outer)) ||
        !(w->acc = util_malloc(LANES_MAX * sizeof *w->acc)) ||
        !(w->best = util_malloc(LANES_MAX * sizeof *w->best)) || grow_levels(w, lv + 1) < 0) {
        w->failed = 1;
        return NULL;
    }
    if (f->counts && f->hist) {
        if (!(w->hist = util_calloc(f->lanes * f->G * f->R * 2, sizeof *w->hist))) w->failed = 1;
    } else {
        if (!(w->score = util_malloc(f->lanes * f->U * sizeof *w->score + 1)) ||
            !(w->key = util_malloc(f->U * sizeof *w->key + 1)) ||
            !(w->key2 = util_malloc(f->U * sizeof *w->key2 + 1)) ||
            !(w->idx = util_malloc(f->U * sizeof *w->idx + 1)) ||
            !(w->idx2 = util_malloc(f->U * sizeof *w->idx2 + 1)))
            w->failed = 1;
        if (!f->counts &&
            (!(w->lin = util_malloc(LANES_MAX * sizeof *w->lin)) ||
             !(w->wl = util_malloc((f->ns + 1) * LANES_MAX * sizeof *w->wl)) ||
             !(w->limtab = util_calloc(f->nlim + 1, sizeof *w->limtab))))
            w->failed = 1;
        for (size_t m = 0; !f->counts && !w->failed && m < f->nlim; m++)
            if (!(w->limtab[m] = util_malloc(((size_t)f->csat[m] + 1) * LANES_MAX * sizeof **w->limtab)))
                w->failed = 1;
    }
    if (w->failed) return NULL;
    size_t nvec = f->g->nvec;
    for (;;) {
        long b = __atomic_fetch_add(&f->next, 1, __ATOMIC_RELAXED);
        if ((size_t)b >= f->nblocks) break;
        size_t v0 = (size_t)b * f->lanes;
        size_t nl = nvec - v0 < f->lanes ? nvec - v0 : f->lanes;
        run_block(w, v0, nl);
    }
    return NULL;
}

static void worker_fini(worker *w) {
    free(w->dig);
    free(w->inner);
    free(w->outer);
    free(w->acc);
    free(w->best);
    free(w->hist);
    free(w->score);
    free(w->lin);
    for (size_t m = 0; w->limtab && m < w->f->nlim; m++) free(w->limtab[m]);
    free(w->limtab);
    free(w->wl);
    free(w->lv);
    free(w->key);
    free(w->key2);
    free(w->idx);
    free(w->idx2);
}

/* Vectors per block: as many as the memory bound allows, up to LANES_MAX,
 * in whole runs of the last varying types where possible (their other
 * types then stay fixed within a block and are added once per checkpoint). */
static size_t block_lanes(const fast *f, int threads) {
    size_t per = f->counts && f->hist ? f->G * f->R * 2 * sizeof(uint32_t) : f->U * sizeof(double);
    size_t budget = f->counts && f->hist ? BLOCK_BYTES : SCORE_BYTES;
    size_t lanes = per ? budget / per : LANES_MAX;
    if (lanes > LANES_MAX) lanes = LANES_MAX;
    if (lanes < 1) lanes = 1;
    size_t nvec = f->g->nvec;
    /* enough blocks for every thread */
    while (lanes > 1 && (nvec + lanes - 1) / lanes < (size_t)threads * 2) lanes /= 2;
    size_t run = 1;
    for (size_t j = f->V; j-- > 0;) {
        size_t m = run * f->sc->behaviour[f->g->vary[j]].nvals;
        if (m > lanes) break;
        run = m;
    }
    return lanes / run * run;
}

/* Start the workers on the blocks and wait for them. Returns 0, or -1 with err. */
static int run_workers(fast *f, int threads, util_err *err) {
    int nth = threads < 1 ? 1 : threads, rc = -1;
    if ((size_t)nth > f->nblocks) nth = (int)f->nblocks;
    worker *w = util_calloc((size_t)nth, sizeof *w);
    pthread_t *th = util_calloc((size_t)nth, sizeof *th);
    if (!w || !th) {
        util_enomem(err);
        goto done;
    }
    for (int k = 0; k < nth; k++) w[k].f = f;
    int started = 0;
    for (int k = 1; k < nth; k++, started++)
        if (pthread_create(&th[k], NULL, work, &w[k]) != 0) break;
    work(&w[0]);
    for (int k = 1; k <= started; k++) pthread_join(th[k], NULL);
    if (started < nth - 1) {
        util_errf(err, UTIL_EINTERNAL, "cannot start threads");
        goto done;
    }
    for (int k = 0; k < nth; k++)
        if (w[k].failed) {
            util_enomem(err);
            goto done;
        }
    if (f->next < (long)f->nblocks) { /* every worker failed before taking a block */
        util_enomem(err);
        goto done;
    }
    rc = 0;
done:
    for (int k = 0; w && k < nth; k++) worker_fini(&w[k]);
    free(w);
    free(th);
    return rc;
}

/* The counts method's profiles, or the sequence method's programs; says
 * which (and why) in OUT. */
static int build_units(fast *f, const tune_counts_opts *o, tune_counts_result *out,
                       util_err *err) {
    f->counts = !o->force_sequence && counts_fit(f);
    if (f->counts) {
        if (build_profiles(f, err) < 0) return -1;
        if (o->force_sort) f->hist = 0;
        out->histogram = f->hist;
        snprintf(out->why, sizeof out->why,
                 "no decay, and points that add up exactly: %zu scored leads as %zu profiles",
                 f->ne, f->U);
        return 0;
    }
    if (build_programs(f, err) < 0) return -1;
    out->sequence = 1;
    snprintf(out->why, sizeof out->why,
             "no decay, and points that add up exactly, but beyond 32-bit sums%s: %zu scored "
             "leads as %zu programs", o->force_sequence ? " (forced)" : "", f->ne, f->U);
    return 0;
}

int tune_counts_run(const dataset *ds, const replay *r, const tune_grid *g, const objective_spec *obj,
                    const tune_counts_opts *o, tune_counts_result *out, util_err *err) {
    fast f;
    memset(&f, 0, sizeof f);
    memset(out, 0, sizeof *out);
    f.ds = ds;
    f.r = r;
    f.sc = g->sc;
    f.g = g;
    f.obj = obj;
    f.won = r->nwon;
    int nth = o->threads < 1 ? 1 : o->threads;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!(f.rows = util_calloc(g->nvec, sizeof *f.rows))) {
        util_enomem(err);
        goto fail;
    }
    if (prepare(&f, err) < 0) goto fail;
    int ok = grid_units(&f);
    if (ok < 0) {
        util_enomem(err);
        goto fail;
    }
    if (!ok) { /* some vector's replay rounds in doubles: only replaying it gives its row */
        fast_fini(&f);
        memset(out, 0, sizeof *out);
        out->declined = 1;
        snprintf(out->why, sizeof out->why,
                 "scores too large to add up exactly in units of 10^-%d points", f.k);
        return 0;
    }
    if (saturation(&f, err) < 0 || build_units(&f, o, out, err) < 0) goto fail;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (getenv("LEADSIM_TIMING"))
        fprintf(stderr, "leadsim: timing: tune: %zu eligible leads as %zu units, prepared in %.6f s\n",
                f.ne, f.U, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    f.lanes = block_lanes(&f, nth);
    f.nblocks = (g->nvec + f.lanes - 1) / f.lanes;
    if (run_workers(&f, nth, err) < 0) goto fail;
    out->rows = f.rows;
    f.rows = NULL;
    fast_fini(&f);
    return 0;
fail:
    fast_fini(&f);
    memset(out, 0, sizeof *out);
    return -1;
}

void tune_counts_fini(tune_counts_result *res) {
    if (!res) return;
    free(res->rows);
    res->rows = NULL;
}
