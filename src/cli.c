/* cli.c - what the verbs that replay a scenario share about the command line.
 *
 * What the command line changes in a scenario once loaded (--objective),
 * which dataset it is replayed on, and loading that dataset with the
 * options given (--strict, --no-cache, the progress line on a terminal). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiled.h"
#include "load.h"

/* --objective in place of [tune] objective, read by the same rules. */
static int apply_objective(const cli *c, scenario *sc, util_err *err) {
    if (!c->objective) return 0;
    char why[512];
    int rc = scenario_set_objective(sc, c->objective, why, sizeof why);
    if (rc == -2) return util_enomem(err);
    /* main checked the text already; what is left depends on the scenario */
    if (rc < 0) return util_errf(err, UTIL_EUSAGE, "--objective %s", why);
    /* what the scenario's own end checks say of its [tune] objective */
    if ((sc->objective == SCENARIO_OBJ_CAPACITY || sc->objective == SCENARIO_OBJ_SLA) &&
        !sc->has_sales)
        return util_errf(err, UTIL_EDATA,
                         "%s:1: --objective %s needs a [sales] section in the scenario",
                         sc->path, sc->objective == SCENARIO_OBJ_SLA ? "sla:P" : "capacity");
    if (sc->objective == SCENARIO_OBJ_SLA && !sc->has_sla)
        return util_errf(err, UTIL_EDATA,
                         "%s:1: --objective sla:P needs sla_business_hours in [sales]", sc->path);
    return 0;
}

/* The data line joined to the scenario's folder reads "scenarios/../x";
 * "x" is shown instead when it is the same folder (it is not when a folder
 * stepped out of is a symbolic link). */
static void tidy_data_path(char *path) {
    char t[8192]; /* no allocation: a path too long for it is shown as it is */
    size_t n = strlen(path);
    if (n >= sizeof t) return;
    memcpy(t, path, n + 1);
    util_path_tidy(t);
    struct stat a, b;
    if (strcmp(t, path) != 0 && stat(path, &a) == 0 && stat(t, &b) == 0 &&
        a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        memcpy(path, t, strlen(t) + 1); /* never longer */
}

int cli_data_path(const cli *c, scenario *sc, const char **path, util_err *err) {
    if (apply_objective(c, sc, err) < 0) return -1;
    if (!c->data && sc->data) tidy_data_path(sc->data);
    *path = c->data ? c->data : sc->data;
    if (!*path)
        return util_errf(err, UTIL_EDATA,
                         "%s:1: no dataset: set data in [scenario] or pass --data DIR", sc->path);
    return 0;
}

/* ---------------------------- Names the data lacks ---------------------------- */

/* One line per name on stderr, whatever --quiet says: a scoring line that
 * can never apply is a warning, as data problems are. */
typedef struct absent_ctx {
    const scenario *sc;
    int has_events; /* the dataset has events at all */
} absent_ctx;

static void say_absent(void *ctx, const compiled_absent *a) {
    const absent_ctx *x = ctx;
    const scenario *sc = x->sc;
    int ds_has_events = x->has_events;
    if (a->column)
        fprintf(stderr, "%s:%ld: [fit %s] %s: no lead has this value", sc->path, a->line,
                a->column, a->name);
    else
        fprintf(stderr, "%s:%ld: %s: no event has this type%s", sc->path, a->line, a->name,
                ds_has_events ? "" : " (the dataset has no events)");
    if (a->near) fprintf(stderr, "; did you mean %.*s?", (int)a->near_len, a->near);
    fputc('\n', stderr);
}

int cli_check_names(const cli *c, const scenario *sc, const dataset *ds, util_err *err) {
    absent_ctx x = {sc, ds->nevents > 0};
    long n = compiled_absent_names(ds, sc, say_absent, &x);
    if (n < 0) return util_enomem(err);
    if (n > 0 && c->strict)
        return util_errf(err, UTIL_EDATA,
                         "%s: the data lacks %ld name%s of the scenario (fatal with --strict)",
                         sc->path, n, n == 1 ? "" : "s");
    return 0;
}

int cli_load(const cli *c, const char *path, dataset **ds, util_err *err) {
    load_opts o = {.strict = c->strict, .progress = !c->quiet && isatty(2),
                   .no_cache = c->no_cache};
    return load_dataset(path, &o, ds, err);
}
