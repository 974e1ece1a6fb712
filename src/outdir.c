/* outdir.c - staged output files renamed into place at the end of a run. */
#define _GNU_SOURCE /* sync_file_range */
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outdir_mkdirs(const char *path, util_err *err) {
    if (*path == '\0') return util_errf(err, UTIL_EIO, "an empty path is not a folder");
    char *p = util_strdup(path);
    if (!p) return util_enomem(err);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) < 0 && errno != EEXIST) {
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
            *s = c;
            if (c == '\0') break;
        }
    }
    free(p);
    return 0;
}

int outdir_open(outdir *o, const char *base, util_err *err) {
    memset(o, 0, sizeof *o);
    if (!(o->base = util_strdup(base))) return util_enomem(err);
    return outdir_mkdirs(base, err);
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

static int mkdirs_parent(const char *path, util_err *err) {
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    char *d = util_strndup(path, (size_t)(slash - path));
    if (!d) return util_enomem(err);
    int rc = outdir_mkdirs(d, err);
    free(d);
    return rc;
}

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
    char *p = join(o->stage, rel);
    if (!p) return util_enomem(err);
    if (mkdirs_parent(p, err) < 0 || add_rel(o, rel, err) < 0) {
        free(p);
        return -1;
    }
    *path = p;
    return 0;
}

int outdir_file_open(outdir *o, const char *rel, FILE **fp, util_err *err) {
    *fp = NULL;
    if (ensure_stage(o, err) < 0) return -1;
    char *path = join(o->stage, rel);
    if (!path) return util_enomem(err);
    int rc = mkdirs_parent(path, err);
    if (rc == 0 && !(*fp = fopen(path, "wb")))
        rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", path, strerror(errno));
    free(path);
    return rc;
}

int outdir_file_put(FILE *fp, const char *data, size_t len) {
    off_t before = ftello(fp);
    if (fwrite(data, 1, len, fp) != len) return -1;
#ifdef SYNC_FILE_RANGE_WRITE
    /* Every 8 MiB, start writing the file out without waiting: the sync at
     * the close then has little left to wait for. */
    off_t after = ftello(fp);
    if (before >= 0 && after >= 0 && (before >> 23) != (after >> 23) && fflush(fp) == 0)
        sync_file_range(fileno(fp), 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)before;
#endif
    return 0;
}

int outdir_file_close(outdir *o, const char *rel, FILE *fp, util_err *err) {
    int bad = ferror(fp) != 0;
    int e = errno;
    if (fflush(fp) != 0) bad = 1, e = errno;
    if (fsync(fileno(fp)) != 0 && errno != EINVAL) bad = 1, e = errno;
    if (fclose(fp) != 0) bad = 1, e = errno;
    char *path = join(o->stage, rel);
    if (!path) return util_enomem(err);
    if (bad) {
        util_errf(err, UTIL_EIO, "%s: cannot write: %s", path, strerror(e ? e : EIO));
        unlink(path);
        free(path);
        return -1;
    }
    free(path);
    return add_rel(o, rel, err);
}

int outdir_write(outdir *o, const char *rel, const char *data, size_t len, util_err *err) {
    FILE *fp;
    if (outdir_file_open(o, rel, &fp, err) < 0) return -1;
    if (len) fwrite(data, 1, len, fp);
    return outdir_file_close(o, rel, fp, err);
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

int outdir_commit(outdir *o, const char *const *stale, util_err *err) {
    /* Names registered by outdir_path whose file was never written drop out. */
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) {
        char *from = join(o->stage, o->rel[i]);
        if (!from) return util_enomem(err);
        struct stat st;
        int there = lstat(from, &st) == 0;
        free(from);
        if (there) o->rel[k++] = o->rel[i];
        else free(o->rel[i]);
    }
    o->n = k;
    /* First pass: every destination must be creatable and not a folder. */
    for (size_t i = 0; i < o->n; i++) {
        char *to = join(o->base, o->rel[i]);
        if (!to) return util_enomem(err);
        int rc = mkdirs_parent(to, err);
        struct stat st;
        if (rc == 0 && lstat(to, &st) == 0 && S_ISDIR(st.st_mode))
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: a folder is in the way", to);
        if (rc == 0 && access(to, F_OK) == 0 && access(to, W_OK) < 0 && errno == EROFS)
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", to, strerror(errno));
        free(to);
        if (rc < 0) return -1;
    }
    for (size_t i = 0; i < o->n; i++) {
        char *from = join(o->stage, o->rel[i]);
        char *to = join(o->base, o->rel[i]);
        int rc = 0;
        if (!from || !to) rc = util_enomem(err);
        else if (rename(from, to) < 0)
            rc = util_errf(err, UTIL_EIO, "%s: cannot write: %s", to, strerror(errno));
        free(from);
        free(to);
        if (rc < 0) return -1;
    }
    for (size_t q = 0; stale && stale[q]; q++) {
        int staged = 0;
        for (size_t i = 0; i < o->n && !staged; i++) staged = strcmp(o->rel[i], stale[q]) == 0;
        if (staged) continue;
        char *p = join(o->base, stale[q]);
        if (!p) return util_enomem(err);
        unlink(p); /* absent is fine */
        free(p);
    }
    return 0;
}

/* Remove a staged tree: files we staged and the folders they created. */
static void remove_tree(const char *dir, char **rel, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char *p = join(dir, rel[i]);
        if (!p) continue;
        unlink(p);
        /* remove emptied parents up to the stage folder */
        for (char *s = strrchr(p, '/'); s && (size_t)(s - p) > strlen(dir); s = strrchr(p, '/')) {
            *s = '\0';
            rmdir(p);
        }
        free(p);
    }
    rmdir(dir);
}

void outdir_close(outdir *o) {
    if (!o) return;
    if (o->stage) remove_tree(o->stage, o->rel, o->n);
    for (size_t i = 0; i < o->n; i++) free(o->rel[i]);
    free(o->rel);
    free(o->stage);
    free(o->base);
    memset(o, 0, sizeof *o);
}
