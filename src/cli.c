/* cli.c - what the verbs that replay a scenario share about the command line.
 *
 * What the command line changes in a scenario once loaded (--objective),
 * which dataset it is replayed on, and loading that dataset with the
 * options given (--strict, --no-cache, the progress line on a terminal). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"

/* --objective in place of [tune] objective, read by the same rules. */
static int apply_objective(const cli *c, scenario *sc, util_err *err) {
    if (!c->objective) return 0;
    char why[512];
    int rc = scenario_set_objective(sc, c->objective, why, sizeof why);
    if (rc == -2) return util_enomem(err);
    /* main checked the text already; what is left depends on the scenario */
    if (rc < 0) return util_errf(err, UTIL_EUSAGE, "--objective %s", why);
    if (sc->objective == SCENARIO_OBJ_CAPACITY && !sc->has_sales)
        return util_errf(err, UTIL_EDATA,
                         "%s:1: --objective capacity needs a [sales] section in the scenario",
                         sc->path);
    return 0;
}

/* The data line joined to the scenario's folder reads "scenarios/../x";
 * "x" is shown instead when it is the same folder (it is not when a folder
 * stepped out of is a symbolic link). */
static void tidy_data_path(char *path) {
    char *t = util_strdup(path);
    if (!t) return; /* only the display suffers */
    util_path_tidy(t);
    struct stat a, b;
    if (strcmp(t, path) != 0 && stat(path, &a) == 0 && stat(t, &b) == 0 &&
        a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        strcpy(path, t); /* never longer */
    free(t);
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

int cli_load(const cli *c, const char *path, dataset **ds, util_err *err) {
    load_opts o = {.strict = c->strict, .progress = !c->quiet && isatty(2),
                   .no_cache = c->no_cache};
    return load_dataset(path, &o, ds, err);
}
