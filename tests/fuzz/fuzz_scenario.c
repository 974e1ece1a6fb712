/* fuzz_scenario.c - libFuzzer harness for the scenario parser (scenario_load).
 *
 * The input is written as scenario.ini in a private temporary folder (the
 * same file for every input) and loaded, then freed.
 *
 * Asserts, besides no crash, no leak and no sanitizer report:
 * - a failure is UTIL_EDATA with a message that starts with the file's path
 *   (FILE:LINE), or another documented exit code with a message (a bad
 *   line of a holidays_file names that file instead, so an input naming
 *   one is only held to the documented codes);
 * - a success holds only what the format allows: a usable name, at least one
 *   threshold, finite numbers everywhere, rules with terms, ranges with
 *   LO < HI, business hours with start before end, from before to, whole
 *   numbers of reps and follow-ups, holidays sorted and each once. */
#include "fuzz_common.h"

#include <math.h>

#include "scenario.h"

static char ini_path[300];

static void check_numbers(const double *v, size_t n, const char *what) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) fz_fail("%s: value %zu is not finite", what, i);
}

static void check_points(const scenario_points *p, size_t n, const char *what) {
    for (size_t i = 0; i < n; i++) {
        if (!p[i].type || p[i].nvals == 0) fz_fail("%s: entry %zu is empty", what, i);
        check_numbers(p[i].vals, p[i].nvals, what);
        for (size_t j = 0; j < i; j++)
            if (strcmp(p[i].type, p[j].type) == 0) fz_fail("%s: '%s' twice", what, p[i].type);
    }
}

static void check_scenario(const scenario *sc) {
    if (!sc->name || !scenario_name_ok(sc->name)) fz_fail("unusable name");
    if (strcmp(sc->path, ini_path) != 0) fz_fail("path '%s' is not the file read", sc->path);
    if (sc->nthresholds == 0 || !sc->thresholds) fz_fail("no threshold");
    check_numbers(sc->thresholds, sc->nthresholds, "threshold");
    check_numbers(sc->fit_thresholds, sc->nfit_thresholds, "fit_threshold");
    if (!sc->fit_thresholds != !sc->nfit_thresholds) fz_fail("fit thresholds half set");
    check_points(sc->behaviour, sc->nbehaviour, "[behaviour]");
    check_points(sc->limits, sc->nlimits, "[limits]");
    for (size_t i = 0; i < sc->nlimits; i++)
        for (size_t j = 0; j < sc->limits[i].nvals; j++)
            if (sc->limits[i].vals[j] < 0) fz_fail("negative limit");
    if (!(sc->half_life_days >= 0 && sc->half_life_days <= 1e6)) fz_fail("half life out of range");
    for (size_t i = 0; i < sc->nfits; i++) {
        const scenario_fit *f = &sc->fits[i];
        if (!f->column || !f->column[0]) fz_fail("fit section without a column");
        if ((f->has_per_unit || f->has_max) && f->nlines) fz_fail("fit mixes per_unit and lines");
        if (f->has_max && !f->has_per_unit) fz_fail("fit max without per_unit");
        for (size_t j = 0; j < f->nlines; j++) {
            const scenario_fitline *l = &f->lines[j];
            if (!isfinite(l->points)) fz_fail("fit points not finite");
            if (l->kind == SCENARIO_FIT_VALUE && !l->value) fz_fail("fit value line without text");
            if (l->kind == SCENARIO_FIT_RANGE && l->has_lo && l->has_hi && !(l->lo < l->hi))
                fz_fail("empty fit range");
        }
    }
    for (size_t i = 0; i < sc->nfast_track; i++)
        if (!sc->fast_track[i] || !sc->fast_track[i][0]) fz_fail("empty fast track type");
    for (size_t i = 0; i < sc->nrules; i++) {
        const scenario_rule *r = &sc->rules[i];
        if (r->nterms == 0) fz_fail("rule without terms");
        for (size_t k = 0; k < r->nterms; k++)
            if (!r->terms[k].type[0] || r->terms[k].n < 1 || r->terms[k].n > 1000000)
                fz_fail("bad rule term");
        if (r->has_within && !(r->within_days > 0 && isfinite(r->within_days)))
            fz_fail("bad rule window");
    }
    if (sc->has_sales) {
        if (!(sc->reps >= 1) || !(sc->followups_per_rep_per_day > 0) || !(sc->sla_business_hours > 0))
            fz_fail("sales figures out of range");
        if (!(sc->bh_start_min >= 0 && sc->bh_start_min < sc->bh_end_min && sc->bh_end_min <= 24 * 60))
            fz_fail("business hours %d-%d", sc->bh_start_min, sc->bh_end_min);
        if (sc->has_recycle && !(sc->recycle_after_days > 0)) fz_fail("recycle_after_days <= 0");
    }
    if (sc->utc_offset_min < -14 * 60 || sc->utc_offset_min > 14 * 60) fz_fail("utc offset out of range");
    if (sc->has_from && sc->has_to && !(sc->from < sc->to)) fz_fail("from not before to");
    if (sc->has_maturity && !(sc->maturity_days >= 0 && sc->maturity_days <= 36500))
        fz_fail("maturity out of range");
    if (sc->objective == SCENARIO_OBJ_CAPACITY && !sc->has_sales) fz_fail("capacity without sales");
    if (sc->objective == SCENARIO_OBJ_SLA && !(sc->has_sales && sc->obj_a > 0 && sc->obj_a <= 1))
        fz_fail("sla:P without sales or with P = %g", sc->obj_a);
    if (sc->has_sales && (sc->reps != floor(sc->reps) || sc->reps < 1 ||
                          sc->followups_per_rep_per_day != floor(sc->followups_per_rep_per_day) ||
                          sc->followups_per_rep_per_day < 1))
        fz_fail("reps %g and follow-ups %g are not whole numbers from 1", sc->reps,
                sc->followups_per_rep_per_day);
    for (size_t i = 1; i < sc->nholidays; i++)
        if (sc->holidays[i] <= sc->holidays[i - 1]) fz_fail("holidays not sorted or repeated");
    if (!isfinite(sc->obj_a) || !isfinite(sc->obj_b)) fz_fail("objective argument not finite");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!ini_path[0]) fz_path(ini_path, sizeof ini_path, fz_dir(), "scenario.ini");
    fz_note_input(data, size);
    fz_write(ini_path, data, size);
    scenario *sc = NULL;
    util_err err = {0, ""};
    int rc = scenario_load(ini_path, &sc, &err);
    if (rc == 0) {
        check_scenario(sc);
        scenario_free(sc);
    } else {
        if (rc != -1 || sc) fz_fail("scenario_load returned %d", rc);
        fz_check_err(&err, memmem(data, size, "holidays_file", 13) ? NULL : ini_path);
    }
    return 0;
}
