/* load.h - loading a dataset: from its columnar cache when that is valid, else from its CSV files.
 *
 * The one entry point the verbs load data through. It tries the cache
 * (cache.h), reads the CSV files (csvload.h) when there is no usable one,
 * and stores the cache after a clean CSV load. The cache and the CSV loader
 * do not know each other: this is where they meet. */
#ifndef LEADSIM_LOAD_H
#define LEADSIM_LOAD_H

#include "dataset.h"
#include "util.h"

typedef struct load_opts {
    int strict;      /* counted problems are fatal */
    int collect_all; /* check: go on past fatal row problems and count them all */
    int progress;    /* print a progress line on stderr (the caller checks it is a terminal) */
    int no_cache;    /* neither read nor write the columnar cache */
} load_opts;

/* Load the dataset at PATH: a folder (with or without a dataset.ini) or a
 * dataset.ini file; OPTS may be NULL (all zero). The cache is neither read
 * nor written with collect_all or no_cache, and written only after a CSV
 * load without fatal problems; a cache that cannot be written changes
 * nothing but the next load's time. With LEADSIM_TIMING set, says on stderr
 * where the data came from and how long it took.
 *
 * Returns 0 and *out; or -1 with err (UTIL_EDATA for bad content, UTIL_EIO
 * for unreadable files, UTIL_EINTERNAL for memory). With collect_all, fatal
 * row problems are only counted in (*out)->dq, and the return is -1 only for
 * problems that leave nothing to report. */
int load_dataset(const char *path, const load_opts *opts, dataset **out, util_err *err);

#endif
