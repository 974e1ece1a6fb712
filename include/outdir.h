/* outdir.h - all-or-nothing output: files are staged, then renamed into place.
 *
 * A run writes every result file into a staging folder inside the output
 * folder and renames them into place only when all were written, so a run
 * that fails leaves the previous results intact and no half-written file.
 * A rename that fails half-way is rolled back: the files already moved are
 * put back as they were.
 *
 * From outdir_open to outdir_close the output folder is locked (flock on
 * OUTDIR_LOCK inside it), so a second run writing to the same folder fails
 * at once instead of mixing its files with the first one's. The lock file
 * is removed at close; one left by a run that was killed is harmless (the
 * lock went with the process) and is reused. */
#ifndef LEADSIM_OUTDIR_H
#define LEADSIM_OUTDIR_H

#include <pthread.h>
#include <sys/types.h>

#include "util.h"

#define OUTDIR_LOCK ".leadsim.lock"

typedef struct outdir_lock {
    int fd;     /* holds the flock */
    char *path; /* the lock file */
} outdir_lock;

typedef struct outdir {
    char *base;   /* the output folder */
    char *stage;  /* its staging folder, NULL until the first file */
    char **rel;   /* staged files, relative to base */
    size_t n, cap;
    outdir_lock *locks; /* the output folder's lock first, then outdir_lock_sub's */
    size_t nlocks, cap_locks;
    char **made;  /* folders this run created, in creation order */
    size_t nmade, cap_made;
    int committed;
    int threads;  /* threads the run may use; from 2 on, the previous
                   * versions are removed on one of them after the commit */
    pthread_t reaper;
    int reaping;  /* reaper runs; outdir_close joins it */
    char **reap;  /* handed to the reaper: files, their count, their folder */
    size_t nreap;
    char *reap_dir;
} outdir;

/* Prepare output under BASE (created with its parents when missing) and
 * lock it. Errors (UTIL_EIO): "BASE: exists and is not a folder", "BASE:
 * cannot create folder: ...", "BASE: cannot write: <strerror>" (the lock
 * file cannot be created), and for a folder another run holds:
 * "BASE: another leadsim run is writing to this folder; try again when it
 * has finished". */
int outdir_open(outdir *o, const char *base, util_err *err);
/* Also lock the folder BASE/SUB (created when missing), for a run whose
 * files go to a folder that a run of its own could also write to (each
 * scenario's folder in a comparison). Same errors as outdir_open. */
int outdir_lock_sub(outdir *o, const char *sub, util_err *err);
/* Stage REL (may contain '/') with the bytes of data. Errors name the
 * destination: "BASE/REL: cannot write: <strerror>". */
int outdir_write(outdir *o, const char *rel, const char *data, size_t len, util_err *err);
/* A staged file written piece by piece (a large sweep.csv need not be held
 * in memory): outdir_file_open creates REL, outdir_file_put appends (the
 * first failure is kept, later puts do nothing), and outdir_file_close syncs
 * and closes it, always, and stages it, or reports the first failure as
 * outdir_write does. */
typedef struct outdir_file {
    int fd;
    int err;      /* errno of the first failed write, 0 while all is well */
    off_t done;   /* bytes written */
    char *rel, *path;
} outdir_file;
int outdir_file_open(outdir *o, const char *rel, outdir_file *f, util_err *err);
int outdir_file_put(outdir_file *f, const char *data, size_t len);
int outdir_file_close(outdir *o, outdir_file *f, util_err *err);
/* Stage the bytes of b as PREFIX + NAME (prefix may be ""), and empty b
 * (util_buf_fini) whatever happens. A buffer whose allocation failed is an
 * out-of-memory error. */
int outdir_take_buf(outdir *o, const char *prefix, const char *name, util_buf *b, util_err *err);

/* The staged path for REL, for a program that writes the file itself (its
 * folders are created); *path is malloc'd. REL is committed with the rest
 * only if the file exists by then. */
int outdir_path(outdir *o, const char *rel, char **path, util_err *err);
/* Move every staged file into place. Every destination is checked (and its
 * folders created) and every file it replaces kept aside (a hard link in
 * the staging folder) before the first rename; if a rename still fails,
 * the files already moved are put back and the error names the file that
 * failed: either everything is replaced or nothing is (should putting back
 * fail too, the error also names each such file and where its previous
 * version was left). STALE names files
 * (relative to base, NULL-terminated list, may be NULL) that belong to this
 * kind of run: those not staged this time are removed after the renames, so
 * no file from an earlier run stays next to results it does not belong to. */
int outdir_commit(outdir *o, const char *const *stale, util_err *err);
/* Remove the staging folder and what is in it, and, when nothing was
 * committed, the folders this run created (those still empty); release the
 * locks and remove their files; free o. Safe after commit, and twice. */
void outdir_close(outdir *o);

/* Create PATH and its parents (like mkdir -p). */
int outdir_mkdirs(const char *path, util_err *err);

#endif
