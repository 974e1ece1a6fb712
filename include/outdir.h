/* outdir.h - all-or-nothing output: files are staged, then renamed into place.
 *
 * A run writes every result file into a staging folder inside the output
 * folder and renames them into place only when all were written, so a run
 * that fails leaves the previous results intact and no half-written file. */
#ifndef LEADSIM_OUTDIR_H
#define LEADSIM_OUTDIR_H

#include <stdio.h>

#include "util.h"

typedef struct outdir {
    char *base;   /* the output folder */
    char *stage;  /* its staging folder, NULL until the first file */
    char **rel;   /* staged files, relative to base */
    size_t n, cap;
} outdir;

/* Prepare output under BASE (created with its parents when missing). */
int outdir_open(outdir *o, const char *base, util_err *err);
/* Stage REL (may contain '/') with the bytes of b. */
int outdir_write(outdir *o, const char *rel, const char *data, size_t len, util_err *err);
/* Stage REL written piece by piece: outdir_file_open gives its stream;
 * outdir_file_close checks that every write went through, syncs and closes
 * it (always), and stages it. */
int outdir_file_open(outdir *o, const char *rel, FILE **fp, util_err *err);
int outdir_file_close(outdir *o, const char *rel, FILE *fp, util_err *err);
/* Write data[0..len) to such a stream (0, or -1 when the write failed),
 * starting the disk writes of a large file early. */
int outdir_file_put(FILE *fp, const char *data, size_t len);
/* Stage the bytes of b as PREFIX + NAME (prefix may be ""), and empty b
 * (util_buf_fini) whatever happens. A buffer whose allocation failed is an
 * out-of-memory error. */
int outdir_take_buf(outdir *o, const char *prefix, const char *name, util_buf *b, util_err *err);

/* The staged path for REL, for a program that writes the file itself (its
 * folders are created); *path is malloc'd. REL is committed with the rest
 * only if the file exists by then. */
int outdir_path(outdir *o, const char *rel, char **path, util_err *err);
/* Move every staged file into place. Every destination is checked (and its
 * folders created) before the first rename, so the usual failures (a folder
 * or a file in the way, no permission) change nothing. STALE names files
 * (relative to base, NULL-terminated list, may be NULL) that belong to this
 * kind of run: those not staged this time are removed, so no file from an
 * earlier run stays next to results it does not belong to. */
int outdir_commit(outdir *o, const char *const *stale, util_err *err);
/* Remove the staging folder and what is in it; free o. Safe after commit. */
void outdir_close(outdir *o);

/* Create PATH and its parents (like mkdir -p). */
int outdir_mkdirs(const char *path, util_err *err);

#endif
