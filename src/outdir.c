/* outdir.c - staged output files renamed into place at the end of a run. */
#include "outdir.h"

#include <errno.h>
#include <limits.h>
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

/* A name is registered before its file or folders exist, so that
 * outdir_close finds everything a failed run leaves in the staging folder. */
int outdir_path(outdir *o, const char *rel, char **path, util_err *err) {
    *path = NULL;
    if (ensure_stage(o, err) < 0) return -1;
    char *p = join(o->stage, rel);
    if (!p) return util_enomem(err);
    if (add_rel(o, rel, err) < 0 || mkdirs_parent(p, err) < 0) {
        free(p);
        return -1;
    }
    *path = p;
    return 0;
}

int outdir_write(outdir *o, const char *rel, const char *data, size_t len, util_err *err) {
    if (ensure_stage(o, err) < 0) return -1;
    char *path = join(o->stage, rel);
    if (!path) return util_enomem(err);
    if (add_rel(o, rel, err) < 0 || mkdirs_parent(path, err) < 0) {
        free(path);
        return -1;
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        util_errf(err, UTIL_EIO, "%s: cannot write: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    size_t w = len ? fwrite(data, 1, len, fp) : 0;
    int bad = w != len;
    int e = errno;
    if (fflush(fp) != 0) bad = 1, e = errno;
    if (fsync(fileno(fp)) != 0 && errno != EINVAL) bad = 1, e = errno;
    if (fclose(fp) != 0) bad = 1, e = errno;
    if (bad) {
        util_errf(err, UTIL_EIO, "%s: cannot write: %s", path, strerror(e ? e : EIO));
        unlink(path);
        free(path);
        return -1;
    }
    free(path);
    return 0;
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

/* Free the first n strings of v, then v. */
static void free_strs(char **v, size_t n) {
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

int outdir_commit(outdir *o, const char *const *stale, util_err *err) {
    /* Every path is made before the first file moves: once renaming has
     * begun, running out of memory must not stop it halfway. */
    size_t nstale = 0, n = o->n, nold = 0;
    while (stale && stale[nstale]) nstale++;
    int rc = -1;
    char **from = util_calloc(n + 1, sizeof *from), **to = util_calloc(n + 1, sizeof *to);
    char **old = util_calloc(nstale + 1, sizeof *old);
    if (!from || !to || !old) goto nomem;
    for (size_t i = 0; i < n; i++)
        if (!(from[i] = join(o->stage, o->rel[i])) || !(to[i] = join(o->base, o->rel[i])))
            goto nomem;
    /* Names registered whose file was never written drop out. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (lstat(from[i], &st) == 0) {
            o->rel[k] = o->rel[i], from[k] = from[i], to[k] = to[i];
            k++;
        } else {
            free(o->rel[i]), free(from[i]), free(to[i]);
        }
    }
    for (size_t i = k; i < n; i++) from[i] = to[i] = NULL;
    o->n = k;
    /* Files of this kind of run that are not staged this time go. */
    for (size_t q = 0; q < nstale; q++) {
        int staged = 0;
        for (size_t i = 0; i < o->n && !staged; i++) staged = strcmp(o->rel[i], stale[q]) == 0;
        if (staged) continue;
        if (!(old[nold] = join(o->base, stale[q]))) goto nomem;
        nold++;
    }
    /* First pass: every destination must be creatable and not a folder. */
    for (size_t i = 0; i < o->n; i++) {
        int r = mkdirs_parent(to[i], err);
        struct stat st;
        if (r == 0 && lstat(to[i], &st) == 0 && S_ISDIR(st.st_mode))
            r = util_errf(err, UTIL_EIO, "%s: cannot write: a folder is in the way", to[i]);
        if (r == 0 && access(to[i], F_OK) == 0 && access(to[i], W_OK) < 0 && errno == EROFS)
            r = util_errf(err, UTIL_EIO, "%s: cannot write: %s", to[i], strerror(errno));
        if (r < 0) goto done;
    }
    for (size_t i = 0; i < o->n; i++)
        if (rename(from[i], to[i]) < 0) {
            util_errf(err, UTIL_EIO, "%s: cannot write: %s", to[i], strerror(errno));
            goto done;
        }
    for (size_t q = 0; q < nold; q++) unlink(old[q]); /* absent is fine */
    rc = 0;
    goto done;
nomem:
    util_enomem(err);
done:
    free_strs(from, n);
    free_strs(to, n);
    free_strs(old, nold);
    return rc;
}

/* Remove a staged tree: files we staged and the folders they created. It
 * allocates nothing, so that it works when memory has run out. */
static void remove_tree(const char *dir, char **rel, size_t n) {
    char p[PATH_MAX];
    size_t nd = strlen(dir);
    for (size_t i = 0; i < n; i++) {
        if (snprintf(p, sizeof p, "%s/%s", dir, rel[i]) >= (int)sizeof p) continue;
        unlink(p);
        /* remove emptied parents up to the stage folder */
        for (char *s = strrchr(p, '/'); s && (size_t)(s - p) > nd; s = strrchr(p, '/')) {
            *s = '\0';
            rmdir(p);
        }
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
