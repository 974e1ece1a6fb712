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
    p->slot_of = NULL;
    p->slots = NULL;
    p->limit = NULL;
    p->rules = NULL;
    p->fit = NULL;
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
    p->slots[p->nslots] = (compiled_slot){0, -1, 0, 0};
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

/* Points of attribute value TEXT in section SF (SPEC 5.2): per unit, or
 * the first matching line, or the default. *TOO_BIG is set when a per-unit
 * value would score beyond COMPILED_MAX_UNIT_POINTS (then: the default). */
static double fit_value(const scenario_fit *sf, const char *text, int *too_big) {
    double x;
    int numeric = text[0] != '\0' && util_parse_double(text, &x) == 0;
    double def = sf->has_default ? sf->def : 0;
    *too_big = 0;
    if (sf->has_per_unit) {
        if (!numeric) return def;
        double p = sf->per_unit * x;
        if (sf->has_max && p > sf->max) p = sf->max;
        /* 1e300 visits is not a count: scored as a value that is not a
         * number, and said so, instead of an infinite score. */
        if (!(fabs(p) <= COMPILED_MAX_UNIT_POINTS)) {
            *too_big = 1;
            return def;
        }
        return p;
    }
    if (text[0] == '\0') return def; /* missing: default */
    for (size_t k = 0; k < sf->nlines; k++) {
        const scenario_fitline *fl = &sf->lines[k];
        int match;
        if (fl->kind == SCENARIO_FIT_VALUE)
            match = strcmp(fl->value, text) == 0;
        else
            match = numeric && (!fl->has_lo || x >= fl->lo) && (!fl->has_hi || x < fl->hi);
        if (match) return fl->points;
    }
    return def;
}

/* Add the points of [fit] section SF to every lead's fit. */
static int fit_section(compiled *p, const scenario *sc, const scenario_fit *sf, util_err *err) {
    const dataset *ds = p->ds;
    long a = dataset_attr_find(ds, sf->column);
    if (a < 0)
        return util_errf(err, UTIL_EDATA, "%s:%ld: [fit %s]: the leads file has no column '%s'",
                         sc->path, sf->line, sf->column, sf->column);
    const dataset_attr *at = &ds->attrs[a];
    double *pts = util_malloc(at->values.n * sizeof *pts);
    if (!pts) return util_enomem(err);
    size_t too_big = 0;
    const char *first_big = NULL;
    for (size_t v = 0; v < at->values.n; v++) {
        const char *text = strtab_str(&at->values, v);
        int big;
        pts[v] = fit_value(sf, text, &big);
        if (big && !too_big++) first_big = text;
    }
    for (size_t i = 0; i < ds->nleads; i++) p->fit[i] += pts[at->code[i]];
    free(pts);
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
    if (!(p->fit = util_calloc(ds->nleads + 1, sizeof *p->fit))) return util_enomem(err);
    for (size_t f = 0; f < sc->nfits; f++)
        if (fit_section(p, sc, &sc->fits[f], err) < 0) return -1;
    return 0;
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

static void absent_fit(absent_list *l, const dataset *ds, const scenario_fit *sf) {
    long col = dataset_attr_find(ds, sf->column);
    if (col < 0) return;
    const strtab *vals = &ds->attrs[col].values;
    for (size_t k = 0; k < sf->nlines && !l->failed; k++) {
        const scenario_fitline *fl = &sf->lines[k];
        if (fl->kind == SCENARIO_FIT_VALUE && strtab_find(vals, fl->value, strlen(fl->value)) < 0)
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
