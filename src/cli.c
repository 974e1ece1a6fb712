/* cli.c - what the verbs that replay a scenario share about the command line.
 *
 * Which dataset a scenario is replayed on, and loading it with the options
 * given (--strict, --no-cache, the progress line on a terminal). */
#include "cli.h"

#include <unistd.h>

#include "load.h"

int cli_data_path(const cli *c, const scenario *sc, const char **path, util_err *err) {
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
