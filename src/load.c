/* load.c - loading a dataset: the cache first, else the CSV files, then the cache stored.
 *
 * The only place that knows both the cache (cache.c) and the CSV loader
 * (csvload.c); neither knows the other. Loading goes one way: cache, CSV,
 * store. */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cache.h"
#include "csvload.h"

/* Read the CSV files, and write the cache when the load is clean. */
static int from_files(const char *path, const load_opts *opts, dataset **out, util_err *err) {
    csvload_opts co = {.strict = opts->strict, .collect_all = opts->collect_all,
                       .progress = opts->progress};
    dataset *ds = NULL;
    if (csvload_read(path, &co, &ds, err) < 0) return -1;
    if (!opts->collect_all && !opts->no_cache && !ds->uncached && dataset_fatal_count(ds) == 0) {
        /* A cache that cannot be written costs nothing but time. Memory
         * running out is not a cache problem: the run stops there, as it
         * would at the next allocation. */
        util_err cerr = {0, ""};
        if (cache_store(path, ds, &cerr) < 0 && cerr.code == UTIL_EINTERNAL) {
            *err = cerr;
            dataset_free(ds);
            return -1;
        }
    }
    *out = ds;
    return 0;
}

int load_dataset(const char *path, const load_opts *opts, dataset **out, util_err *err) {
    static const load_opts defaults = {0, 0, 0, 0};
    if (!opts) opts = &defaults;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = 1;
    const char *from = "the CSV files";
    if (!opts->collect_all && !opts->no_cache) {
        rc = cache_load(path, opts->strict, out, err);
        from = "the cache";
    }
    if (rc > 0) {
        rc = from_files(path, opts, out, err);
        from = "the CSV files";
    }
    /* LEADSIM_TIMING=1: how long loading took, for benchmarks */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0 && getenv("LEADSIM_TIMING"))
        fprintf(stderr, "leadsim: timing: loaded %s from %s in %.6f s\n", path, from,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return rc;
}
