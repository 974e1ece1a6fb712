/* outdir.c - staged output files renamed into place at the end of a run, under a lock.
 *
 * Files are written with plain open/write/fsync/close (every failure is
 * seen, and the I/O fault tests can inject any of them). The commit keeps a
 * hard link to every file it replaces, so that a rename failing half-way can
 * be undone, and the folder lock keeps two runs from committing into the
 * same folder at once. */
#define _GNU_SOURCE /* sync_file_range */
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

/* ---------------------------- Folders ---------------------------- */

/* mkdir -p; each folder created is recorded in o->made when o is given. */
static int mkdirs(outdir *o, const char *path, util_err *err) {
    if (*path == '\0') return util_errf(err, UTIL_EIO, "an empty path is not a folder");
    char *p = util_strdup(path);
    if (!p) return util_enomem(err);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            int made = mkdir(p, 0777) == 0;
            if (!made && errno != EEXIST) {
                int e = errno;
                util_errf(err, UTIL_EIO, "%s: cannot create folder: %s", p, strerror(e));
                free(p);
                return -1;
            }
            struct stat st;
            if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
                util_errf(err, UTIL_EIO, "%s: exists and is not a folder", p);
                free(p);
                return -1;
            }
            if (made && o) {
                char *d = util_strdup(p);
                if (!d || util_grow((void **)&o->made, &o->cap_made, o->nmade + 1, sizeof *o->made) < 0) {
                    free(d);
                    free(p);
                    return util_enomem(err);
                }
                o->made[o->nmade++] = d;
            }
            *s = c;
            if (c == '\0') break;
        }
    }
    free(p);
    return 0;
}

int outdir_mkdirs(const char *path, util_err *err) { return mkdirs(NULL, path, err); }

/* Free v[0..n) and v. */
static void free_all(char **v, size_t n) {
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

static char *join(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    char *s = util_malloc(na + nb + 2);
    if (!s) return NULL;
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

static int mkdirs_parent(outdir *o, const char *path, util_err *err) {
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    char *d = util_strndup(path, (size_t)(slash - path));
    if (!d) return util_enomem(err);
    int rc = mkdirs(o, d, err);
    free(d);
    return rc;
}

/* ---------------------------- The lock ---------------------------- */

/* Lock DIR through DIR/OUTDIR_LOCK. The holder removes the file when it is
 * done, so after locking, the file must still be the one at that path: if
 * it was removed (or replaced) between our open and our lock, start again
 * with the new one, or two runs would each hold a lock on another file. */
static int lock_dir(outdir *o, const char *dir, util_err *err) {
    char *path = join(dir, OUTDIR_LOCK);
    if (!path || util_grow((void **)&o->locks, &o->cap_locks, o->nlocks + 1, sizeof *o->locks) < 0) {
        free(path);
        return util_enomem(err);
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            int e = errno;
            free(path);
            return util_errf(err, UTIL_EIO, "%s: cannot write: %s", dir, strerror(e));
        }
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
            int e = errno;
            close(fd);
            free(path);
            if (e == EWOULDBLOCK)
                return util_errf(err, UTIL_EIO,
                                 "%s: another leadsim run is writing to this folder; try again "
                                 "when it has finished",
                                 dir);
            return util_errf(err, UTIL_EIO, "%s: cannot lock: %s", dir, strerror(e));
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_dev == now.st_dev &&
            held.st_ino == now.st_ino) {
            o->locks[o->nlocks++] = (outdir_lock){fd, path};
            return 0;
        }
        close(fd);
    }
    free(path);
    return util_errf(err, UTIL_EIO, "%s: cannot lock: its lock file keeps changing", dir);
}

int outdir_open(outdir *o, const char *base, util_err *err) {
    memset(o, 0, sizeof *o);
    if (!(o->base = util_strdup(base))) return util_enomem(err);
    if (mkdirs(o, base, err) < 0) return -1;
    return lock_dir(o, base, err);
}

int outdir_lock_sub(outdir *o, const char *sub, util_err *err) {
    char *d = join(o->base, sub);
    if (!d) return util_enomem(err);
    int rc = mkdirs(o, d, err);
    if (rc == 0) rc = lock_dir(o, d, err);
    free(d);
    return rc;
}

/* ---------------------------- Staging ---------------------------- */

static int ensure_stage(outdir *o, util_err *err) {
    if (!o->stage) {
        char *tmpl = join(o->base, ".leadsim-stage-XXXXXX");
        if (!tmpl) return util_enomem(err);
        if (!mkdtemp(tmpl)) {
            util_errf(err, UTIL_EIO, "%s: cannot write: %s", o->base, strerror(errno));
            free(tmpl);
            return -1;
        }
        o->stage = tmpl;
    }
    return 0;
}

static int add_rel(outdir *o, const char *rel, util_err *err) {
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->rel[i], rel) == 0) return 0;
    if (util_grow((void **)&o->rel, &o->cap, o->n + 1, sizeof *o->rel) < 0 ||
        !(o->rel[o->n] = util_strdup(rel)))
        return util_enomem(err);
    o->n++;
    return 0;
}

int outdir_path(outdir *o, const char *rel, char **path, util_err *err) {
    *path = NULL;
    if (ensure_stage(o, err) < 0) return -1;
    /* registered first: a folder made for it goes with the staging folder */
    if (add_rel(o, rel, err) < 0) return -1;
    char *p = join(o->stage, rel);
    if (!p) return util_enomem(err);
    if (mkdirs_parent(NULL, p, err) < 0) {
        free(p);
        return -1;
    }
    *path = p;
    return 0;
}

int outdir_file_open(outdir *o, const char *rel, outdir_file *f, util_err *err) {
    *f = (outdir_file){.fd = -1};
    /* Registered before it exists, so that whatever fails later, the file
     * is removed with the staging folder (a name without a file drops out). */
    if (ensure_stage(o, err) < 0 || add_rel(o, rel, err) < 0) return -1;
    if (!(f->rel = util_strdup(rel)) || !(f->path = join(o->stage, rel))) {
        free(f->rel);
        f->rel = NULL;
        return util_enomem(err);
    }
    if (mkdirs_parent(NULL, f->path, err) < 0) {
        free(f->rel);
        free(f->path);
        f->rel = f->path = NULL;
        return -1;
    }
    f->fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (f->fd < 0) f->err = errno;
    return 0;
}

int outdir_file_put(outdir_file *f, const char *data, size_t len) {
    if (f->err) return -1;
    if ((f->err = fileio_write_all(f->fd, data, len)) != 0) return -1;
    off_t before = f->done;
    f->done += (off_t)len;
#ifdef SYNC_FILE_RANGE_WRITE
    /* Every 8 MiB, start writing the file out without waiting: the sync at
     * the close then has little left to wait for. */
    if ((before >> 23) != (f->done >> 23)) sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)before;
#endif
    return 0;
}

int outdir_file_close(outdir *o, outdir_file *f, util_err *err) {
    if (!f->path) return -1; /* never opened */
    int e = f->err;
    if (f->fd >= 0) {
        /* A full disk or a failing device may only tell at fsync or close. */
        if (!e && fsync(f->fd) < 0 && errno != EINVAL) e = errno;
        if (close(f->fd) < 0 && !e && errno != EINTR) e = errno;
    }
    int rc = 0;
    if (e) {
        unlink(f->path);
        rc = util_errf(err, UTIL_EIO, "%s/%s: cannot write: %s", o->base, f->rel, strerror(e));
    }
    free(f->rel);
    free(f->path);
    *f = (outdir_file){.fd = -1};
    return rc;
}

int outdir_write(outdir *o, const char *rel, const char *data, size_t len, util_err *err) {
    outdir_file f;
    if (outdir_file_open(o, rel, &f, err) < 0) return -1;
    outdir_file_put(&f, data, len);
    return outdir_file_close(o, &f, err);
}

int outdir_take_buf(outdir *o, const char *prefix, const char *name, util_buf *b, util_err *err) {
    int rc;
    char rel[512];
    if (b->failed) rc = util_enomem(err);
    else if (snprintf(rel, sizeof rel, "%s%s", prefix, name) >= (int)sizeof rel)
        rc = util_errf(err, UTIL_EIO, "%s%s: name too long", prefix, name);
    else rc = outdir_write(o, rel, b->data ? b->data : "", b->len, err);
    util_buf_fini(b);
    return rc;
}

/* ---------------------------- Commit ---------------------------- */

/* Copy the file at from to a new file at to (for a backup where hard links
 * are not supported). 0 or an errno. */
static int copy_file(const char *from, const char *to) {
    struct stat st;
    int in = fileio_open_input(from, &st, NULL);
    if (in < 0) return EIO;
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777);
    if (out < 0) {
        int e = errno;
        close(in);
        return e;
    }
    char buf[65536];
    int e = 0;
    for (;;) {
        ssize_t k = read(in, buf, sizeof buf);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) e = errno;
        if (k <= 0 || (e = fileio_write_all(out, buf, (size_t)k)) != 0) break;
    }
    if (close(out) < 0 && !e) e = errno;
    close(in);
    return e;
}

/* Keep the file at `to` as bak, so that it can be put back. */
static int keep_aside(const char *to, const char *bak) {
    if (link(to, bak) == 0) return 0;
    int e = errno;
    if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EMLINK || e == EXDEV)
        return copy_file(to, bak);
    return e;
}

/* Remove the kept-aside previous versions bak[0..n) (NULL entries are
 * none) and their folder, and free all of it. */
static void reap(char **bak, size_t n, char *dir) {
    for (size_t i = 0; bak && i < n; i++) {
        if (bak[i]) unlink(bak[i]);
        free(bak[i]);
    }
    free(bak);
    if (dir) rmdir(dir);
    free(dir);
}

static void *reap_run(void *arg) {
    outdir *o = arg;
    reap(o->reap, o->nreap, o->reap_dir);
    return NULL;
}

/* Sync a folder so that renames into it survive a crash; best effort (not
 * every file system can sync a folder). */
static void sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

/* DIR/REL for each of n names, into a new array; NULL when memory ran out. */
static char **join_all(const char *dir, char *const *rel, size_t n) {
    char **v = util_calloc(n + 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        if (!(v[i] = join(dir, rel[i]))) {
            free_all(v, i);
            return NULL;
        }
    return v;
}

int outdir_commit(outdir *o, const char *const *stale, util_err *err) {
    char p[PATH_MAX];
    /* Names registered whose file was never written drop out. */
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) {
        struct stat st;
        int there = snprintf(p, sizeof p, "%s/%s", o->stage, o->rel[i]) < (int)sizeof p &&
                    lstat(p, &st) == 0;
        if (there) o->rel[k++] = o->rel[i];
        else free(o->rel[i]);
    }
    o->n = k;
    /* Every path the commit needs, before anything in place changes: once
     * the renames start nothing is allocated, so running out of memory
     * cannot leave the folder half old, half new. */
    size_t nstale = 0, nst = 0;
    while (stale && stale[nstale]) nstale++;
    int some = o->n > 0; /* with nothing staged there may be no staging folder */
    char **from = some ? join_all(o->stage, o->rel, o->n) : NULL;
    char **to = some ? join_all(o->base, o->rel, o->n) : NULL;
    char **bak = util_calloc(o->n + 1, sizeof *bak);
    char **gone = util_calloc(nstale + 1, sizeof *gone);
    char *prev = some ? join(o->stage, ".prev") : NULL;
    int rc = 0;
    size_t moved = 0;
    if ((some && (!from || !to || !prev)) || !bak || !gone) {
        rc = util_enomem(err);
        goto cleanup;
    }
    for (size_t q = 0; q < nstale; q++) {
        int staged = 0;
        for (size_t i = 0; i < o->n && !staged; i++) staged = strcmp(o->rel[i], stale[q]) == 0;
        if (!staged && !(gone[nst++] = join(o->base, stale[q]))) {
            rc = util_enomem(err);
            goto cleanup;
        }
    }
    for (size_t i = 0; i < o->n; i++) {
        struct stat st;
        if (lstat(to[i], &st) == 0) {
            char name[32];
            snprintf(name, sizeof name, "%zu", i);
            if (!(bak[i] = join(prev, name))) {
                rc = util_enomem(err);
                goto cleanup;
            }
        }
    }
    /* First pass: every destination must be creatable and not a folder. */
    for (size_t i = 0; i < o->n && rc == 0; i++) {
        rc = mkdirs_parent(o, to[i], err);
        struct stat st;
        if (rc == 0 && lstat(to[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: a folder is in the way", to[i]);
        if (rc == 0 && access(to[i], F_OK) == 0 && access(to[i], W_OK) < 0 && errno == EROFS)
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", to[i], strerror(errno));
    }
    if (rc < 0) goto cleanup;
    /* Second pass: keep aside every file that will be replaced, as
     * STAGE/.prev/<i>. Nothing in place has changed if this fails. */
    if (some && mkdir(prev, 0700) < 0) {
        rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", o->base, strerror(errno));
        goto cleanup;
    }
    for (size_t i = 0; i < o->n && rc == 0; i++) {
        int e = bak[i] ? keep_aside(to[i], bak[i]) : 0;
        if (e) {
            free(bak[i]);
            bak[i] = NULL;
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", to[i], strerror(e));
        }
    }
    /* Third pass: the renames; a failure puts back what was moved. */
    for (; rc == 0 && moved < o->n; moved++)
        if (rename(from[moved], to[moved]) < 0) {
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", to[moved], strerror(errno));
            break; /* moved: the files renamed so far */
        }
    if (rc < 0) {
        for (size_t j = moved; j-- > 0;) {
            int back = bak[j] ? rename(bak[j], to[j]) : unlink(to[j]);
            if (back < 0) {
                /* Say so: the folder is not as it was, which file differs,
                 * and where its previous version is kept (not removed). */
                int e = errno;
                size_t l = strlen(err->msg);
                if (bak[j])
                    snprintf(err->msg + l, sizeof err->msg - l,
                             "; %s could not be put back (its previous version is %s): %s", to[j],
                             bak[j], strerror(e));
                else
                    snprintf(err->msg + l, sizeof err->msg - l, "; %s could not be removed: %s",
                             to[j], strerror(e));
            }
            free(bak[j]); /* put back, or kept where the message says */
            bak[j] = NULL;
        }
        goto cleanup;
    }
    /* The folders' entries on disk, each folder once in a row. */
    const char *synced = NULL;
    size_t synced_len = 0;
    for (size_t i = 0; i < o->n; i++) {
        const char *slash = strrchr(to[i], '/');
        size_t len = slash ? (size_t)(slash - to[i]) : 0;
        if (!slash || len >= sizeof p) continue;
        if (synced && synced_len == len && memcmp(synced, to[i], len) == 0) continue;
        memcpy(p, to[i], len);
        p[len] = '\0';
        sync_dir(p);
        synced = to[i];
        synced_len = len;
    }
    o->committed = 1;
    for (size_t q = 0; q < nst; q++) unlink(gone[q]); /* absent is fine */
cleanup:
    /* The previous versions go last. Removing a large file is slow on most
     * file systems (ext4 frees its blocks at once), so with threads to
     * spare they are removed on one of them while the run frees its memory;
     * outdir_close waits for it. */
    if (rc == 0 && o->threads > 1 && prev) {
        o->reap = bak;
        o->nreap = o->n;
        o->reap_dir = prev;
        if (pthread_create(&o->reaper, NULL, reap_run, o) == 0) {
            o->reaping = 1; /* the reaper owns them now */
            bak = NULL;
            prev = NULL;
        } else {
            o->reap = NULL;
            o->reap_dir = NULL;
        }
    }
    reap(bak, o->n, prev);
    prev = NULL;
    free_all(from, o->n);
    free_all(to, o->n);
    free_all(gone, nst);
    return rc < 0 ? -1 : 0;
}

/* ---------------------------- Close ---------------------------- */

/* Remove a staged tree: files we staged and the folders they created. */
/* No allocation here: it runs when memory may have run out, and a file it
 * could not name would keep the staging folder. */
static void remove_tree(const char *dir, char **rel, size_t n) {
    char p[PATH_MAX];
    size_t dl = strlen(dir);
    for (size_t i = 0; i < n; i++) {
        if (snprintf(p, sizeof p, "%s/%s", dir, rel[i]) >= (int)sizeof p) continue;
        unlink(p);
        /* remove emptied parents up to the stage folder */
        for (char *s = strrchr(p, '/'); s && (size_t)(s - p) > dl; s = strrchr(p, '/')) {
            *s = '\0';
            rmdir(p);
        }
    }
    rmdir(dir);
}

void outdir_close(outdir *o) {
    if (!o) return;
    if (o->reaping) pthread_join(o->reaper, NULL); /* it freed what it was given */
    if (o->stage) remove_tree(o->stage, o->rel, o->n);
    /* Locks last, innermost first: the folders stay ours until the end.
     * The file goes while it is still locked, so no other run can lock it
     * after we let go (it checks that its lock file is still in place). */
    for (size_t i = o->nlocks; i-- > 0;) {
        unlink(o->locks[i].path);
        close(o->locks[i].fd);
        free(o->locks[i].path);
    }
    /* A failed run leaves no folder of its own behind (only empty ones go). */
    for (size_t i = o->nmade; i-- > 0;) {
        if (!o->committed) rmdir(o->made[i]);
        free(o->made[i]);
    }
    for (size_t i = 0; i < o->n; i++) free(o->rel[i]);
    free(o->rel);
    free(o->locks);
    free(o->made);
    free(o->stage);
    free(o->base);
    memset(o, 0, sizeof *o);
}
