/* csvload.h - the CSV loader: a dataset's leads, events and outcomes files read into a dataset.
 *
 * Reads the files the layout names (dsini.h), interns ids, event types and
 * attribute values once, and leaves events as parallel arrays sorted by
 * lead then time, with per-lead offsets. Problems are sorted into the
 * classes of dataset.h: fatal ones stop the load at once with "FILE:LINE:
 * what"; counted ones are kept with their first examples for the
 * data-quality report. Knows nothing of the cache (load.h puts the two
 * together). */
#ifndef LEADSIM_CSVLOAD_H
#define LEADSIM_CSVLOAD_H

#include "dataset.h"
#include "util.h"

typedef struct csvload_opts {
    int strict;      /* counted problems are fatal */
    int collect_all; /* check: go on past fatal row problems and count them all */
    int progress;    /* print a progress line on stderr (the caller checks it is a terminal) */
} csvload_opts;

/* Read the dataset at PATH (a folder, with or without a dataset.ini, or a
 * dataset.ini file). Returns 0 and *out; or -1 with err (UTIL_EDATA for bad
 * content, UTIL_EIO for unreadable files, UTIL_EINTERNAL for memory) and
 * *out untouched. With collect_all, fatal row problems are only counted in
 * (*out)->dq, and the return is -1 only for problems that leave nothing to
 * report. */
int csvload_read(const char *path, const csvload_opts *opts, dataset **out, util_err *err);

#endif
