/* cache.h - the columnar cache: a loaded dataset saved as one memory-mappable file.
 *
 * Parsing CSV is most of a run's time on large data. After a clean first
 * load the dataset's arrays are written to one file in the user's cache
 * folder; later loads map that file and use the arrays where they lie.
 *
 * A cache is used only when everything checks: its format version, its
 * whole-file checksum, the path it was made for, and for every source file
 * (the CSV files and the dataset.ini, and files whose appearance would change
 * the layout) the same existence, size, modification time and content hash of
 * the first and last 64 KiB. Indices that address memory are bounds-checked
 * too. Anything else means the cache is stale, truncated or foreign: it is
 * ignored and rebuilt, never trusted.
 *
 * Where: $LEADSIM_CACHE_DIR, else $XDG_CACHE_HOME/leadsim, else
 * $HOME/.cache/leadsim. No folder, no cache (loading works the same). */
#ifndef LEADSIM_CACHE_H
#define LEADSIM_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "util.h"

/* The cache file for dataset PATH (as the user gave it) into out. Returns 0,
 * or -1 when there is no cache folder. */
int cache_file(const char *path, char *out, size_t n);

/* Load dataset PATH from its cache. With STRICT (--strict) a cache holding
 * counted problems is not used: only reading the files can tell which one
 * comes first. Returns 0 with *out set; 1 when there is no usable cache
 * (missing, stale, truncated, foreign: the caller loads the CSV files); -1
 * with err only for a failure that loading could not fix (out of memory). */
int cache_load(const char *path, int strict, dataset **out, util_err *err);

/* Write ds, loaded from PATH, to the cache (a temporary file renamed into
 * place). Returns 0, or -1 with err: UTIL_EIO when the cache cannot be
 * written, which never matters to the run that loaded the data (the cache
 * is only a speed-up); UTIL_EINTERNAL when memory runs out, which stops the
 * run like any other allocation failure. */
int cache_store(const char *path, const dataset *ds, util_err *err);

/* The checksum a cache file of LEN bytes at BASE carries in its header: of
 * every byte after the header (0 for a file shorter than one). For the
 * fuzzing harness, which seals the files it forges so that the fuzzer gets
 * past this check to the section reader. Cannot fail. */
uint64_t cache_checksum(const unsigned char *base, size_t len);

/* Remove the cache of dataset PATH. Returns 0 (also when there was none), or
 * -1 with err (UTIL_EIO). */
int cache_clear(const char *path, util_err *err);

#endif
