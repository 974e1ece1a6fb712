/* compiled.c - compiling a scenario against a dataset's interned event types and attribute columns.
 *
 * Every event type of the data that the scenario names gets a slot saying
 * what it does (points, a limit, fast track, rule terms), and every
 * attribute value its fit points, so that the replay's per-event loop works
 * on small integer-indexed arrays only. A type the scenario names but the
 * data lacks is not an error: it is noted (a reader should know that a rule
 * can never fire) and left out. */
#include "compiled.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "suggest.h"
#include "tstamp.h"

void compiled_fini(compiled *p) {
    if (!p) return;
    free(p->slot_of);
    free(p->slots);
    free(p->limit);
    for (size_t i = 0; i < p->nrules; i++) free(p->rules[i].terms);
    free(p->rules);
    free(p->fit);
    free(p->ufit);
    free(p->ulimit);
    p->slot_of = NULL;
    p->slots = NULL;
    p->limit = NULL;
    p->rules = NULL;
    p->fit = NULL;
    p->ufit = NULL;
    p->ulimit = NULL;
    p->nrules = 0;
}

static void add_note(compiled *p, const char *fmt, const char *a) {
    if (p->nnotes >= (int)(sizeof p->notes / sizeof p->notes[0])) return;
    snprintf(p->notes[p->nnotes++], sizeof p->notes[0], fmt, a);
}

/* The slot of dataset type TYPE, made when it has none; -1 on memory. */
static int slot_for(compiled *p, long type, size_t *cap) {
    if (p->slot_of[type] >= 0) return p->slot_of[type];
    if (util_grow((void **)&p->slots, cap, p->nslots + 1, sizeof *p->slots) < 0) return -1;
    p->slots[p->nslots] = (compiled_slot){0, 0, -1, 0, 0};
    p->slot_of[type] = (int16_t)p->nslots;
    return (int)p->nslots++;
}

/* ---------------------------- Event types ---------------------------- */

static int compile_behaviour(compiled *p, const scenario *sc, size_t *cap, util_err *err) {
    const dataset *ds = p->ds;
    /* There are at most 65536 types; slots fit int16 only up to 32767, which
     * is far more than a scenario can name in lines of 200 characters. */
    for (size_t i = 0; i < sc->nbehaviour; i++) {
        const scenario_points *b = &sc->behaviour[i];
        if (b->nvals != 1)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: [behaviour] %s: a list or range of points is a candidate "
                             "grid: `leadsim tune` evaluates it; give one value to replay it",
                             sc->path, b->line, b->type);
        long t = strtab_find(&ds->types, b->type, strlen(b->type));
        if (t < 0) {
            add_note(p, "event type '%s' in [behaviour] does not occur in the data", b->type);
            continue;
        }
        if (b->vals[0] == 0) continue;
        int s = slot_for(p, t, cap);
        if (s < 0) return util_enomem(err);
        p->slots[s].points = b->vals[0];
    }
    return 0;
}

static int compile_limits(compiled *p, const scenario *sc, util_err *err) {
    const dataset *ds = p->ds;
    size_t lcap = 0;
    for (size_t i = 0; i < sc->nlimits; i++) {
        const scenario_points *l = &sc->limits[i];
        if (l->nvals != 1)
            return util_errf(err, UTIL_EDATA, "%s:%ld: [limits] %s: give one value", sc->path,
                             l->line, l->type);
        long t = strtab_find(&ds->types, l->type, strlen(l->type));
        if (t < 0 || p->slot_of[t] < 0) continue; /* a limit on a type that scores nothing */
        compiled_slot *s = &p->slots[p->slot_of[t]];
        if (util_grow((void **)&p->limit, &lcap, p->nlimited + 1, sizeof *p->limit) < 0)
            return util_enomem(err);
        p->limit[p->nlimited] = l->vals[0];
        s->limited = (int)p->nlimited++;
    }
    return 0;
}

static int compile_fast_track(compiled *p, const scenario *sc, size_t *cap, util_err *err) {
    const dataset *ds = p->ds;
    for (size_t i = 0; i < sc->nfast_track; i++) {
        long t = strtab_find(&ds->types, sc->fast_track[i], strlen(sc->fast_track[i]));
        if (t < 0) {
            add_note(p, "fast_track type '%s' does not occur in the data", sc->fast_track[i]);
            continue;
        }
        int s = slot_for(p, t, cap);
        if (s < 0) return util_enomem(err);
        p->slots[s].fast = 1;
        p->any_rule_or_fast = 1;
    }
    return 0;
}

static int compile_rules(compiled *p, const scenario *sc, size_t *cap, util_err *err) {
    const dataset *ds = p->ds;
    if (sc->nrules && !(p->rules = util_calloc(sc->nrules, sizeof *p->rules)))
        return util_enomem(err);
    for (size_t i = 0; i < sc->nrules; i++) {
        const scenario_rule *sr = &sc->rules[i];
        compiled_rule *rr = &p->rules[p->nrules];
        int possible = 1;
        if (!(rr->terms = util_calloc(sr->nterms, sizeof *rr->terms))) return util_enomem(err);
        rr->nterms = sr->nterms;
        rr->windowed = sr->has_within;
        rr->window = llround(sr->within_days * (double)TSTAMP_USEC_PER_DAY);
        p->nrules++; /* owned from here on, whatever happens next */
        for (size_t k = 0; k < sr->nterms; k++) {
            long t = strtab_find(&ds->types, sr->terms[k].type, strlen(sr->terms[k].type));
            rr->terms[k].n = sr->terms[k].n;
            if (t < 0) {
                possible = 0;
                add_note(p, "rule type '%s' does not occur in the data: the rule never fires",
                         sr->terms[k].type);
                continue;
            }
            rr->terms[k].type = (uint16_t)t;
            rr->terms[k].present = 1;
            int s = slot_for(p, t, cap);
            if (s < 0) return util_enomem(err);
            p->slots[s].nterms++;
        }
        if (!possible) { /* keep the rule out of the loop: it can never fire */
            free(rr->terms);
            memset(rr, 0, sizeof *rr);
            p->nrules--;
        } else {
            p->any_rule_or_fast = 1;
        }
    }
    return 0;
}

/* ---------------------------- Fit ---------------------------- */

/* Where the points of an attribute value come from. */
enum { FIT_DEFAULT = -1, FIT_MAX = -2, FIT_PRODUCT = -3 };

/* What one attribute value of a [fit] section scores. */
typedef struct fitval {
    double points;  /* as a double (SPEC 5.2) */
    int src;        /* a line's index, or FIT_DEFAULT, FIT_MAX, FIT_PRODUCT (per_unit * x,
                     * uncapped: its decimal is that product's) */
    double x;       /* the value, when a product */
    int too_big;    /* a per-unit value beyond COMPILED_MAX_UNIT_POINTS: scored as missing */
} fitval;

/* Points of attribute value TEXT in section SF (SPEC 5.2): per unit, or
 * the first matching line, or the default. */
static fitval fit_value(const scenario_fit *sf, const char *text) {
    double x;
    int numeric = text[0] != '\0' && util_parse_double(text, &x) == 0;
    double def = sf->has_default ? sf->def : 0;
    fitval fv = {def, FIT_DEFAULT, 0, 0};
    if (sf->has_per_unit) {
        if (!numeric) return fv;
        double p = sf->per_unit * x;
        /* 1e300 visits is not a count: scored as a value that is not a
         * number, and said so, instead of an infinite score. */
        if (!(fabs(sf->has_max && p > sf->max ? sf->max : p) <= COMPILED_MAX_UNIT_POINTS)) {
            fv.too_big = 1;
            return fv;
        }
        if (sf->has_max && p > sf->max) fv = (fitval){sf->max, FIT_MAX, 0, 0};
        else fv = (fitval){p, FIT_PRODUCT, x, 0};
        return fv;
    }
    if (text[0] == '\0') return fv; /* missing: default */
    for (size_t k = 0; k < sf->nlines; k++) {
        const scenario_fitline *fl = &sf->lines[k];
        int match;
        if (fl->kind == SCENARIO_FIT_VALUE)
            match = sf->nocase ? fold_equal(fl->value, strlen(fl->value), text, strlen(text))
                               : strcmp(fl->value, text) == 0;
        else
            match = numeric && (!fl->has_lo || x >= fl->lo) && (!fl->has_hi || x < fl->hi);
        if (match) {
            fv.points = fl->points;
            fv.src = (int)k;
            return fv;
        }
    }
    return fv;
}

/* The most decimal places of section SF's own numbers (lines, default,
 * max), whether a value uses them or not: they are few, its values may be
 * many. */
static int section_places(const scenario_fit *sf) {
    int n = sf->has_default ? decimal_places(sf->def) : 0, d;
    if (sf->has_max && (d = decimal_places(sf->max)) > n) n = d;
    for (size_t k = 0; k < sf->nlines; k++)
        if ((d = decimal_places(sf->lines[k].points)) > n) n = d;
    return n;
}

/* The units of section SF's own numbers: lu[k] for line k, *def and *max;
 * 0, or -1 when one is beyond units. */
static int section_units(const scenario_fit *sf, int k, int64_t *lu, int64_t *def, int64_t *max) {
    int rc = 0;
    *def = *max = 0;
    if (sf->has_default) rc |= decimal_units(sf->def, k, def);
    if (sf->has_max) rc |= decimal_units(sf->max, k, max);
    for (size_t i = 0; i < sf->nlines; i++) rc |= decimal_units(sf->lines[i].points, k, &lu[i]);
    return rc < 0 ? -1 : 0;
}

/* The column of section SF, or -1 with err. */
static long fit_column(const compiled *p, const scenario *sc, const scenario_fit *sf,
                       util_err *err) {
    long a = dataset_attr_find(p->ds, sf->column);
    if (a >= 0) return a;
    suggest sg;
    suggest_init(&sg, sf->column);
    for (size_t k = 0; k < p->ds->nattrs; k++)
        suggest_offer(&sg, p->ds->attrs[k].name, strlen(p->ds->attrs[k].name));
    size_t nl = 0;
    const char *near = suggest_best(&sg, &nl);
    util_errf(err, UTIL_EDATA, "%s:%ld: [fit %s]: the leads file has no column '%s'%s%.*s%s",
              sc->path, sf->line, sf->column, sf->column, near ? "; did you mean '" : "",
              near ? (int)(nl > 100 ? 100 : nl) : 0, near ? near : "", near ? "'?" : "");
    return -1;
}

/* Pass one over section SF's values: what each scores into a new *OUT
 * (one per value of its column), the most decimal places they need and the
 * largest magnitude they score (into p->units), and a note on values too
 * big to score. */
static int fit_survey(compiled *p, const scenario *sc, const scenario_fit *sf, fitval **out,
                      util_err *err) {
    long a = fit_column(p, sc, sf, err);
    if (a < 0) return -1;
    const dataset_attr *at = &p->ds->attrs[a];
    if (!(*out = util_malloc(at->values.n * sizeof **out + 1))) return util_enomem(err);
    size_t too_big = 0;
    const char *first_big = NULL;
    double most = 0;
    int places = section_places(sf), pu = sf->has_per_unit ? decimal_places(sf->per_unit) : 0;
    for (size_t v = 0; v < at->values.n; v++) {
        const char *text = strtab_str(&at->values, v);
        fitval fv = (*out)[v] = fit_value(sf, text);
        if (fv.too_big && !too_big++) first_big = text;
        int d = fv.src == FIT_PRODUCT ? pu + decimal_places(fv.x) : 0;
        if (d > places) places = d > DECIMAL_MAX_PLACES ? DECIMAL_MAX_PLACES + 1 : d;
        if (fabs(fv.points) > most) most = fabs(fv.points);
    }
    if (places > p->units.fit_places) p->units.fit_places = places;
    p->units.fit_abs += most;
    if (too_big) {
        char note[300];
        snprintf(note, sizeof note,
                 "[fit %.60s]: %zu value%s (first '%.40s') would score more than 1e15 points "
                 "and %s scored as missing",
                 sf->column, too_big, too_big == 1 ? "" : "s", first_big,
                 too_big == 1 ? "is" : "are");
        add_note(p, "%s", note);
    }
    return 0;
}

/* Pass two: add the points of section SF (FVS: what each value scores) to
 * every lead's fit, as doubles and (while p->units.fit_exact holds) in units
 * of 10^-k. */
static int fit_section(compiled *p, const scenario_fit *sf, const fitval *fvs, util_err *err) {
    const dataset *ds = p->ds;
    const dataset_attr *at = &ds->attrs[dataset_attr_find(ds, sf->column)];
    double *pts = util_malloc(at->values.n * sizeof *pts + 1);
    int64_t *units = util_malloc(at->values.n * sizeof *units + 1);
    int64_t *lu = util_malloc(sf->nlines * sizeof *lu + 1);
    if (!pts || !units || !lu) {
        free(pts);
        free(units);
        free(lu);
        return util_enomem(err);
    }
    int k = p->units.k;
    int64_t udef, umax;
    if (p->units.fit_exact && section_units(sf, k, lu, &udef, &umax) < 0) p->units.fit_exact = 0;
    for (size_t v = 0; v < at->values.n; v++) {
        fitval fv = fvs[v];
        pts[v] = fv.points;
        units[v] = 0;
        if (!p->units.fit_exact) continue;
        if (fv.src >= 0) units[v] = lu[fv.src];
        else if (fv.src == FIT_DEFAULT) units[v] = udef;
        else if (fv.src == FIT_MAX) units[v] = umax;
        else if (decimal_product_units(sf->per_unit, fv.x, k, &units[v]) < 0 &&
                 !(sf->has_max && units[v] > umax))
            p->units.fit_exact = 0;
        /* the product and the max compared as the decimals they are: a
         * product whose double fell just below max may still be above it */
        if (fv.src == FIT_PRODUCT && sf->has_max && units[v] > umax) units[v] = umax;
    }
    free(lu);
    for (size_t i = 0; i < ds->nleads; i++) p->fit[i] += pts[at->code[i]];
    if (p->units.fit_exact)
        for (size_t i = 0; i < ds->nleads; i++) p->ufit[i] += units[at->code[i]];
    free(pts);
    free(units);
    return 0;
}

/* ---------------------------- Units ---------------------------- */

/* k, and every point and limit in units (p->units, slots, ulimit); says
 * whether scores can be exact. The fit survey must have run. Points of 0
 * (fast-track and rule types) take no part: they add nothing. */
static int plan_units(compiled *p, util_err *err) {
    compiled_units *u = &p->units;
    const dataset *ds = p->ds;
    int k = u->fit_places, ok = 1;
    double points_abs = 0;
    for (size_t s = 0; s < p->nslots; s++) {
        const compiled_slot *sl = &p->slots[s];
        if (sl->points == 0) continue;
        int d = decimal_places(sl->points);
        if (d > k) k = d;
        if (sl->limited >= 0 && (d = decimal_places(p->limit[sl->limited])) > k) k = d;
        if (fabs(sl->points) > points_abs) points_abs = fabs(sl->points);
    }
    u->k = k = k > DECIMAL_MAX_PLACES ? DECIMAL_MAX_PLACES : k;
    for (size_t i = 0; i < ds->nleads; i++) {
        long n = (long)(ds->ev_off[i + 1] - ds->ev_off[i]);
        if (n > u->max_events) u->max_events = n;
    }
    if (p->nlimited && !(p->ulimit = util_calloc(p->nlimited, sizeof *p->ulimit)))
        return util_enomem(err);
    for (size_t s = 0; s < p->nslots; s++) {
        compiled_slot *sl = &p->slots[s];
        if (decimal_units(sl->points, k, &sl->units) < 0) ok = 0;
        if (sl->limited >= 0 && decimal_units(p->limit[sl->limited], k, &p->ulimit[sl->limited]) < 0)
            ok = 0;
    }
    /* the fit is exact when its largest magnitude is: then so is every sum
     * of its sections */
    u->fit_exact = decimal_fits(u->fit_abs, 0, 0, k);
    u->exact = ok && !p->decay && decimal_fits(u->fit_abs, points_abs, u->max_events, k);
    return 0;
}

/* The fit of every lead (SPEC 5.2): surveyed, planned, then summed. */
static int compile_fit(compiled *p, const scenario *sc, util_err *err) {
    const dataset *ds = p->ds;
    fitval **fvs = util_calloc(sc->nfits + 1, sizeof *fvs);
    int rc = -1;
    if (!fvs) return util_enomem(err);
    for (size_t f = 0; f < sc->nfits; f++)
        if (fit_survey(p, sc, &sc->fits[f], &fvs[f], err) < 0) goto done;
    if (plan_units(p, err) < 0) goto done;
    if (!(p->fit = util_calloc(ds->nleads + 1, sizeof *p->fit)) ||
        (p->units.fit_exact && !(p->ufit = util_calloc(ds->nleads + 1, sizeof *p->ufit)))) {
        util_enomem(err);
        goto done;
    }
    for (size_t f = 0; f < sc->nfits; f++)
        if (fit_section(p, &sc->fits[f], fvs[f], err) < 0) goto done;
    rc = 0;
done:
    for (size_t f = 0; f < sc->nfits; f++) free(fvs[f]);
    free(fvs);
    if (rc < 0) return -1;
    if (!p->units.fit_exact) { /* a value beyond units: the doubles, rounded */
        free(p->ufit);
        p->ufit = NULL;
        p->units.exact = 0;
        for (size_t i = 0; i < ds->nleads; i++) p->fit[i] = decimal_snap(p->fit[i]);
    } else {
        for (size_t i = 0; i < ds->nleads; i++) p->fit[i] = decimal_value(p->ufit[i], p->units.k);
    }
    return 0;
}

/* ---------------------------- The whole ---------------------------- */

int compiled_init(compiled *p, const dataset *ds, const scenario *sc, util_err *err) {
    memset(p, 0, sizeof *p);
    p->ds = ds;
    p->ntypes = ds->types.n;
    p->two_axis = sc->fit_thresholds != NULL;
    p->decay = sc->half_life_days > 0 && !ds->snapshot;
    p->half_life_us = sc->half_life_days * (double)TSTAMP_USEC_PER_DAY;
    size_t cap = 0;
    if (!(p->slot_of = util_malloc((p->ntypes + 1) * sizeof *p->slot_of))) return util_enomem(err);
    for (size_t i = 0; i < p->ntypes; i++) p->slot_of[i] = -1;
    /* In this order: the notes come out in it, and limits need the slots
     * of the types with points. */
    if (compile_behaviour(p, sc, &cap, err) < 0 || compile_limits(p, sc, err) < 0 ||
        compile_fast_track(p, sc, &cap, err) < 0 || compile_rules(p, sc, &cap, err) < 0)
        return -1;
    return compile_fit(p, sc, err);
}

/* ---------------------------- Names the data lacks ---------------------------- */

/* One name found, and where it was found among them (to keep the order of
 * the names of one line: qsort is not stable). */
typedef struct absent_item {
    compiled_absent a;
    size_t order;
} absent_item;

typedef struct absent_list {
    absent_item *it;
    size_t n, cap;
    int failed;
} absent_list;

static void absent_add(absent_list *l, compiled_absent a) {
    if (util_grow((void **)&l->it, &l->cap, l->n + 1, sizeof *l->it) < 0) {
        l->failed = 1;
        return;
    }
    l->it[l->n] = (absent_item){a, l->n};
    l->n++;
}

/* Type NAME at LINE, unless the data has it or it is listed already. */
static void absent_type(absent_list *l, const dataset *ds, const char *name, long line) {
    if (l->failed || strtab_find(&ds->types, name, strlen(name)) >= 0) return;
    for (size_t i = 0; i < l->n; i++)
        if (!l->it[i].a.column && strcmp(l->it[i].a.name, name) == 0) {
            if (line < l->it[i].a.line) l->it[i].a.line = line;
            return;
        }
    absent_add(l, (compiled_absent){.name = name, .line = line});
}

/* Whether column values VALS hold V (after case folding when NOCASE). */
static int has_value(const strtab *vals, const char *v, int nocase) {
    size_t n = strlen(v);
    if (strtab_find(vals, v, n) >= 0) return 1;
    for (size_t k = 0; nocase && k < vals->n; k++)
        if (fold_equal(v, n, strtab_str(vals, k), strtab_len(vals, k))) return 1;
    return 0;
}

static void absent_fit(absent_list *l, const dataset *ds, const scenario_fit *sf) {
    long col = dataset_attr_find(ds, sf->column);
    if (col < 0) return;
    const strtab *vals = &ds->attrs[col].values;
    for (size_t k = 0; k < sf->nlines && !l->failed; k++) {
        const scenario_fitline *fl = &sf->lines[k];
        if (fl->kind == SCENARIO_FIT_VALUE && !has_value(vals, fl->value, sf->nocase))
            absent_add(l, (compiled_absent){.name = fl->value, .column = sf->column,
                                            .line = fl->line});
    }
}

/* The closest name of TAB to A's, when TAB is small enough to look through. */
static void closest(compiled_absent *a, const strtab *tab) {
    if (tab->n > COMPILED_SUGGEST_MAX) return;
    suggest s;
    suggest_init(&s, a->name);
    for (size_t i = 0; i < tab->n; i++) suggest_offer(&s, strtab_str(tab, i), strtab_len(tab, i));
    a->near = suggest_best(&s, &a->near_len);
}

static int by_line(const void *x, const void *y) {
    const absent_item *a = x, *b = y;
    if (a->a.line != b->a.line) return (a->a.line > b->a.line) - (a->a.line < b->a.line);
    return (a->order > b->order) - (a->order < b->order);
}

long compiled_absent_names(const dataset *ds, const scenario *sc, compiled_absent_fn fn,
                           void *ctx) {
    absent_list l = {0};
    for (size_t i = 0; i < sc->nbehaviour; i++)
        absent_type(&l, ds, sc->behaviour[i].type, sc->behaviour[i].line);
    for (size_t i = 0; i < sc->nlimits; i++)
        absent_type(&l, ds, sc->limits[i].type, sc->limits[i].line);
    for (size_t i = 0; i < sc->nfast_track; i++)
        absent_type(&l, ds, sc->fast_track[i], sc->fast_track_line);
    for (size_t i = 0; i < sc->nrules; i++)
        for (size_t k = 0; k < sc->rules[i].nterms; k++)
            absent_type(&l, ds, sc->rules[i].terms[k].type, sc->rules[i].line);
    for (size_t f = 0; f < sc->nfits; f++) absent_fit(&l, ds, &sc->fits[f]);
    if (l.failed) {
        free(l.it);
        return -1;
    }
    if (l.n > 1) qsort(l.it, l.n, sizeof *l.it, by_line);
    for (size_t i = 0; i < l.n; i++) {
        compiled_absent *a = &l.it[i].a;
        if (a->column) closest(a, &ds->attrs[dataset_attr_find(ds, a->column)].values);
        else closest(a, &ds->types);
        fn(ctx, a);
    }
    free(l.it);
    return (long)l.n;
}
