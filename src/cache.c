/* cache.c - writing, validating and mapping the columnar cache.
 *
 * Layout: a fixed header, then sections one after the other, each a 64-bit
 * byte length followed by its bytes padded to 64 bytes, so every array
 * starts aligned and can be used in place from the mapping. The sections
 * come in a fixed order (see store_all / map_all); the reader checks every
 * length against the file before using it.
 *
 * The checksum covers everything after the header; it is a multiply-xorshift
 * over 64-bit words, fast enough that checking it costs a small fraction of
 * parsing the CSV it replaces. */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "outdir.h"
#include "tstamp.h"

#define CACHE_MAGIC "LEADSIMC"
/* Bumped whenever loading would give another result from the same files
 * (2: UTF-8 checked, negative and huge amounts dropped; 3: sql_at, and the
 * dataset.ini joins, placeholders and skipped rows), so that no cache
 * made by an older leadsim is trusted. */
#define CACHE_VERSION 3u
#define CACHE_ALIGN 64
#define CACHE_PROBE 65536 /* bytes hashed at each end of a source file */
/* Rows of one file a cache may claim: far beyond any file, and small
 * enough that every problem count of three such files sums in a long. */
#define CACHE_MAX_ROWS (INT64_MAX / 32)

_Static_assert(sizeof(size_t) == 8, "the cache stores size_t arrays as 64-bit words");
_Static_assert(sizeof(double) == 8 && sizeof(int64_t) == 8, "8-byte numbers");

typedef struct header {
    char magic[8];
    uint32_t version;
    uint32_t endian;   /* 0x01020304 as written */
    uint64_t file_size;
    uint64_t checksum; /* of bytes [sizeof header, file_size) */
    uint64_t reserved[4];
} header;

/* ---------------------------- Hashing ---------------------------- */

static uint64_t mix(uint64_t h, uint64_t w) {
    h ^= w;
    h *= 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return h;
}

/* Hash of n bytes; n need not be a multiple of 8. */
static uint64_t hash_bytes(uint64_t h, const unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = mix(h, w);
    }
    uint64_t w = 0;
    if (i < n) {
        memcpy(&w, p + i, n - i);
        h = mix(h, w ^ ((uint64_t)(n - i) << 56));
    }
    return mix(h, n);
}

/* The checksum of everything after the header, word by word as the writer
 * computes it while writing. */
uint64_t cache_checksum(const unsigned char *base, size_t len) {
    if (len < sizeof(header)) return 0;
    const unsigned char *p = base + sizeof(header);
    size_t n = len - sizeof(header), i = 0;
    uint64_t h = 0x5eed, x;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, p + i, 8);
        h = mix(h, x);
    }
    if (i < n) {
        x = 0;
        memcpy(&x, p + i, n - i);
        h = mix(h, x);
    }
    return mix(h, n);
}

/* ---------------------------- Where ---------------------------- */

static int cache_dir(char *out, size_t n) {
    const char *d = getenv("LEADSIM_CACHE_DIR");
    if (d && *d) return snprintf(out, n, "%s", d) < (int)n ? 0 : -1;
    if (d) return -1; /* set but empty: no cache */
    const char *x = getenv("XDG_CACHE_HOME");
    if (x && *x) return snprintf(out, n, "%s/leadsim", x) < (int)n ? 0 : -1;
    const char *home = getenv("HOME");
    if (home && *home) return snprintf(out, n, "%s/.cache/leadsim", home) < (int)n ? 0 : -1;
    return -1;
}

/* The key: the path as given (messages name files that way) and where it
 * really is (the same spelling elsewhere is another dataset). */
static int make_key(const char *path, char *key, size_t n) {
    char real[PATH_MAX];
    if (!realpath(path, real)) return -1;
    char cwd[PATH_MAX] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) return -1;
    int k = snprintf(key, n, "%s|%s|%s", path, real, cwd);
    return k > 0 && (size_t)k < n ? 0 : -1;
}

int cache_file(const char *path, char *out, size_t n) {
    char dir[PATH_MAX], key[3 * PATH_MAX + 8];
    if (cache_dir(dir, sizeof dir) < 0 || make_key(path, key, sizeof key) < 0) return -1;
    uint64_t h = hash_bytes(0x1234567ULL, (const unsigned char *)key, strlen(key));
    return snprintf(out, n, "%s/%016llx.lsc", dir, (unsigned long long)h) < (int)n ? 0 : -1;
}

/* ---------------------------- Source files ---------------------------- */

typedef struct src_stat {
    uint64_t exists, size, mtime_s, mtime_ns, h_first, h_last;
} src_stat;

/* 0, or -1 when the file cannot be read, -2 when memory runs out. */
static int probe(const char *path, src_stat *st) {
    memset(st, 0, sizeof *st);
    if (!path || !*path) return 0;
    struct stat sb;
    if (stat(path, &sb) < 0) {
        /* A dangling link is not an absent file (loading it is an error):
         * such a source cannot vouch for a cache. */
        if (errno != ENOENT || lstat(path, &sb) == 0) return -1;
        return 0;
    }
    st->exists = 1;
    st->size = (uint64_t)sb.st_size;
    st->mtime_s = (uint64_t)sb.st_mtim.tv_sec;
    st->mtime_ns = (uint64_t)sb.st_mtim.tv_nsec;
    if (!S_ISREG(sb.st_mode)) return 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    unsigned char *buf = util_malloc(CACHE_PROBE);
    if (!buf) {
        close(fd);
        return -2;
    }
    ssize_t k = pread(fd, buf, CACHE_PROBE, 0);
    st->h_first = k < 0 ? 0 : hash_bytes(1, buf, (size_t)k);
    off_t at = sb.st_size > CACHE_PROBE ? sb.st_size - CACHE_PROBE : 0;
    k = pread(fd, buf, CACHE_PROBE, at);
    st->h_last = k < 0 ? 0 : hash_bytes(2, buf, (size_t)k);
    free(buf);
    close(fd);
    return 0;
}

/* ---------------------------- Writing ---------------------------- */

typedef struct writer {
    FILE *fp;
    uint64_t h;       /* checksum so far, of whole 8-byte words */
    unsigned char tail[8];
    size_t ntail;
    uint64_t written; /* bytes after the header */
    int failed;
} writer;

static void w_bytes(writer *w, const void *p, size_t n) {
    if (w->failed || n == 0) return;
    if (fwrite(p, 1, n, w->fp) != n) {
        w->failed = 1;
        return;
    }
    const unsigned char *c = p;
    w->written += n;
    while (n) {
        if (w->ntail == 0 && n >= 8) {
            size_t k = n & ~(size_t)7;
            for (size_t i = 0; i < k; i += 8) {
                uint64_t x;
                memcpy(&x, c + i, 8);
                w->h = mix(w->h, x);
            }
            c += k;
            n -= k;
            continue;
        }
        w->tail[w->ntail++] = *c++;
        n--;
        if (w->ntail == 8) {
            uint64_t x;
            memcpy(&x, w->tail, 8);
            w->h = mix(w->h, x);
            w->ntail = 0;
        }
    }
}

/* One section: padding, so that its bytes start aligned after the 64-bit
 * length that precedes them; the length; the bytes. */
static void w_section(writer *w, const void *p, size_t n) {
    static const unsigned char zero[CACHE_ALIGN];
    size_t at = (size_t)(sizeof(header) + w->written);
    w_bytes(w, zero, (CACHE_ALIGN - (at + 8) % CACHE_ALIGN) % CACHE_ALIGN);
    uint64_t len = n;
    w_bytes(w, &len, sizeof len);
    w_bytes(w, p, n);
}

static void w_str(writer *w, const char *s) { w_section(w, s ? s : "", s ? strlen(s) + 1 : 1); }

static void w_strtab(writer *w, const strtab *t) {
    uint64_t n = t->n;
    w_section(w, &n, sizeof n);
    w_section(w, t->arena, t->alen);
    w_section(w, t->off, t->n * sizeof *t->off);
    w_section(w, t->hash, t->n * sizeof *t->hash);
}

static void store_all(writer *w, const char *key, const dataset *ds, const src_stat *src,
                      char *const *srcpath) {
    w_str(w, key);
    for (int i = 0; i < 4; i++) {
        w_str(w, srcpath[i]);
        w_section(w, &src[i], sizeof src[i]);
    }
    uint64_t sc[11] = {ds->nleads, ds->nevents, ds->nattrs, (uint64_t)ds->snapshot,
                       (uint64_t)ds->has_events, (uint64_t)ds->has_amount, (uint64_t)ds->max_time,
                       (uint64_t)ds->nrows_events, (uint64_t)ds->nrows_outcomes, DATASET_DQ_COUNT,
                       (uint64_t)ds->has_sql};
    w_section(w, sc, sizeof sc);
    w_str(w, ds->leads_path);
    w_str(w, ds->events_path);
    w_str(w, ds->outcomes_path);
    w_str(w, ds->ini_path);
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        int64_t q[2] = {ds->dq[c].count, ds->dq[c].nexamples};
        w_section(w, q, sizeof q);
        for (int i = 0; i < ds->dq[c].nexamples; i++) w_str(w, ds->dq[c].examples[i]);
    }
    w_strtab(w, &ds->ids);
    w_section(w, ds->created, ds->nleads * sizeof *ds->created);
    w_section(w, ds->status, ds->nleads * sizeof *ds->status);
    w_section(w, ds->closed, ds->nleads * sizeof *ds->closed);
    w_section(w, ds->amount, ds->nleads * sizeof *ds->amount);
    w_section(w, ds->sql_at, ds->has_sql ? ds->nleads * sizeof *ds->sql_at : 0);
    for (size_t a = 0; a < ds->nattrs; a++) {
        w_str(w, ds->attrs[a].name);
        w_strtab(w, &ds->attrs[a].values);
        w_section(w, ds->attrs[a].code, ds->nleads * sizeof *ds->attrs[a].code);
    }
    w_str(w, ds->stage.name);
    if (ds->stage.name) {
        w_strtab(w, &ds->stage.values);
        w_section(w, ds->stage.code, ds->nleads * sizeof *ds->stage.code);
        w_section(w, ds->stage_status, ds->stage.values.n);
    }
    w_section(w, ds->ev_off, (ds->nleads + 1) * sizeof *ds->ev_off);
    w_section(w, ds->ev_time, ds->nevents * sizeof *ds->ev_time);
    w_section(w, ds->ev_type, ds->nevents * sizeof *ds->ev_type);
    w_strtab(w, &ds->types);
}

static int source_paths(const dataset *ds, char **p) {
    p[0] = ds->ini_candidate;
    p[1] = ds->leads_path;
    p[2] = ds->events_candidate;
    p[3] = ds->outcomes_candidate;
    return 0;
}

int cache_store(const char *path, const dataset *ds, util_err *err) {
    char file[PATH_MAX + 64], dir[PATH_MAX], key[3 * PATH_MAX + 8];
    if (cache_file(path, file, sizeof file) < 0 || cache_dir(dir, sizeof dir) < 0 ||
        make_key(path, key, sizeof key) < 0)
        return 0; /* no cache folder: nothing to do */
    char *srcpath[4];
    source_paths(ds, srcpath);
    src_stat src[4];
    for (int i = 0; i < 4; i++) {
        int rc = probe(srcpath[i], &src[i]);
        if (rc == -2) return util_enomem(err);
        if (rc < 0) return 0;
    }
    if (outdir_mkdirs(dir, err) < 0) return -1;
    char tmp[PATH_MAX + 80];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", file, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp) return util_errf(err, UTIL_EIO, "%s: cannot write: %s", tmp, strerror(errno));
    header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, 8);
    h.version = CACHE_VERSION;
    h.endian = 0x01020304u;
    writer w = {.fp = fp, .h = 0x5eed};
    if (fwrite(&h, sizeof h, 1, fp) != 1) w.failed = 1;
    store_all(&w, key, ds, src, srcpath);
    if (w.ntail) { /* the last partial word, as the reader hashes it */
        uint64_t x = 0;
        memcpy(&x, w.tail, w.ntail);
        w.h = mix(w.h, x);
    }
    h.file_size = sizeof h + w.written;
    h.checksum = mix(w.h, w.written);
    if (!w.failed && (fseek(fp, 0, SEEK_SET) != 0 || fwrite(&h, sizeof h, 1, fp) != 1)) w.failed = 1;
    if (fclose(fp) != 0) w.failed = 1;
    if (w.failed || rename(tmp, file) < 0) {
        unlink(tmp);
        return util_errf(err, UTIL_EIO, "%s: cannot write the cache", file);
    }
    return 0;
}

/* ---------------------------- Reading ---------------------------- */

/* With LEADSIM_CACHE_TRACE set, say on stderr what happened and why. */
static void trace(const char *file, const char *what) {
    if (getenv("LEADSIM_CACHE_TRACE")) fprintf(stderr, "leadsim: cache %s: %s\n", file, what);
}

typedef struct reader {
    const unsigned char *base;
    size_t len, at;
    int bad;
} reader;

/* The next section; NULL (and bad set) when it does not fit the file. */
static const void *r_section(reader *r, size_t *n) {
    size_t pad = (CACHE_ALIGN - (r->at + 8) % CACHE_ALIGN) % CACHE_ALIGN;
    if (r->bad || r->at + pad + 8 > r->len) {
        r->bad = 1;
        return NULL;
    }
    r->at += pad;
    uint64_t len;
    memcpy(&len, r->base + r->at, 8);
    r->at += 8;
    if (len > r->len - r->at) {
        r->bad = 1;
        return NULL;
    }
    const void *p = r->base + r->at;
    r->at += len;
    *n = len;
    return p;
}

/* A section that must hold exactly n bytes. */
static const void *r_exact(reader *r, size_t n) {
    size_t got;
    const void *p = r_section(r, &got);
    if (!p || got != n) {
        r->bad = 1;
        return NULL;
    }
    return p;
}

/* A NUL-terminated string section. */
static const char *r_str(reader *r) {
    size_t n;
    const char *s = r_section(r, &n);
    if (!s || n == 0 || s[n - 1] != '\0' || memchr(s, '\0', n) != s + n - 1) {
        r->bad = 1;
        return NULL;
    }
    return s;
}

/* A string table whose arrays stay in the mapping. */
static int r_strtab(reader *r, strtab *t) {
    memset(t, 0, sizeof *t);
    const uint64_t *n = r_exact(r, 8);
    if (!n || *n > UINT32_MAX) return -1;
    size_t alen = 0;
    const char *arena = r_section(r, &alen);
    const size_t *off = r_exact(r, *n * sizeof(size_t));
    const uint32_t *hash = r_exact(r, *n * sizeof(uint32_t));
    if (r->bad || (*n && (alen == 0 || arena[alen - 1] != '\0'))) return -1;
    for (uint64_t i = 0; i < *n; i++)
        if (off[i] >= alen) return -1;
    t->arena = (char *)arena;
    t->alen = alen;
    t->off = (size_t *)off;
    t->hash = (uint32_t *)hash;
    t->n = *n;
    return 0;
}

/* 1 when the file is as it was, 0 when not, -1 when memory runs out. */
static int same_source(const char *path, const src_stat *want) {
    src_stat now;
    int rc = probe(*path ? path : NULL, &now);
    if (rc < 0) return rc == -2 ? -1 : 0;
    return memcmp(&now, want, sizeof now) == 0;
}

static int time_ok(int64_t t) {
    return t >= TSTAMP_PARSE_MIN && t <= TSTAMP_PARSE_MAX;
}

/* The sections below each fill part of ds from the mapping, in file order.
 * Each returns 0; -1 when anything is off (the cache is not used); -2 when
 * memory runs out. */

/* The key and the four source files: a cache for another dataset, or one
 * whose sources changed, is not read further. */
static int map_sources(reader *r, const char *key, const char **srcp, const src_stat **src,
                       const char **why) {
    const char *k = r_str(r);
    *why = "foreign (made for another dataset)";
    if (!k || strcmp(k, key) != 0) return -1;
    for (int i = 0; i < 4; i++) {
        srcp[i] = r_str(r);
        const src_stat *st = src[i] = r_exact(r, sizeof(src_stat));
        *why = "stale (a source file changed, appeared or went away)";
        if (!srcp[i] || !st) return -1;
        int same = same_source(srcp[i], st);
        if (same < 0) return -2;
        if (!same) return -1;
    }
    return 0;
}

/* The counts and flags; *rows is how many rows the three files have at most. */
static int map_counts(reader *r, dataset *ds, const src_stat *const *src, uint64_t *rows) {
    const uint64_t *sc = r_exact(r, 11 * sizeof(uint64_t));
    /* An event count whose arrays could not fit in the file would make the
     * byte sizes below wrap around (2^63 events "need" 0 bytes). */
    if (!sc || sc[9] != DATASET_DQ_COUNT || sc[0] > UINT32_MAX || sc[1] > r->len / 8 ||
        sc[2] > DATASET_MAX_ATTRS || sc[10] > 1)
        return -1;
    /* Each row takes at least a byte of its file (whose size same_source
     * has just checked), and each problem is counted once per row at most:
     * so the row counts and the problem counts below have bounds, whose sum
     * over all problems cannot overflow. */
    if (sc[7] > src[2]->size || sc[8] > src[3]->size || sc[7] > CACHE_MAX_ROWS ||
        sc[8] > CACHE_MAX_ROWS)
        return -1;
    *rows = sc[0] + sc[7] + sc[8];
    ds->nleads = sc[0];
    ds->nevents = sc[1];
    ds->nattrs = sc[2];
    ds->snapshot = (int)sc[3];
    ds->has_events = (int)sc[4];
    ds->has_amount = (int)sc[5];
    ds->max_time = (int64_t)sc[6];
    ds->nrows_events = (long)sc[7];
    ds->nrows_outcomes = (long)sc[8];
    ds->has_sql = (int)sc[10];
    return 0;
}

/* The files the dataset was read from, and those the cache watches. */
static int map_paths(reader *r, dataset *ds, const char *const *srcp) {
    const char *lp = r_str(r), *ep = r_str(r), *op = r_str(r), *ip = r_str(r);
    if (r->bad) return -1;
    if (!(ds->leads_path = util_strdup(lp))) return -2;
    if (*ep && !(ds->events_path = util_strdup(ep))) return -2;
    if (*op && !(ds->outcomes_path = util_strdup(op))) return -2;
    if (*ip && !(ds->ini_path = util_strdup(ip))) return -2;
    if (!(ds->ini_candidate = util_strdup(srcp[0])) || !(ds->events_candidate = util_strdup(srcp[2])) ||
        !(ds->outcomes_candidate = util_strdup(srcp[3])))
        return -2;
    return 0;
}

/* The data-quality counts and examples. */
static int map_dq(reader *r, dataset *ds, uint64_t rows, int strict, const char **why) {
    long warnings = 0;
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        const int64_t *q = r_exact(r, 2 * sizeof(int64_t));
        /* more examples than problems is a forged or corrupt cache, whose
         * data-quality section would report them under a count of 0 */
        if (!q || q[0] < 0 || (uint64_t)q[0] > rows || q[1] < 0 || q[1] > DATASET_DQ_EXAMPLES ||
            q[1] > q[0])
            return -1;
        ds->dq[c].count = (long)q[0];
        if (c >= DATASET_DQ_NFATAL) warnings += ds->dq[c].count;
        else if (q[0]) return -1; /* never cached with fatal problems */
        for (int i = 0; i < q[1]; i++) {
            const char *e = r_str(r);
            if (!e) return -1;
            if (!(ds->dq[c].examples[i] = util_strdup(e))) return -2;
            ds->dq[c].nexamples = i + 1;
        }
    }
    /* --strict must stop on the first problem in file order, which only
     * reading the files can tell */
    if (strict && warnings) {
        *why = "not used with --strict on data with counted problems";
        return -1;
    }
    return 0;
}

/* The leads' ids and columns. */
static int map_leads(reader *r, dataset *ds) {
    size_t n = ds->nleads;
    if (r_strtab(r, &ds->ids) < 0 || ds->ids.n != n) return -1;
    ds->created = (int64_t *)r_exact(r, n * 8);
    ds->status = (uint8_t *)r_exact(r, n);
    ds->closed = (int64_t *)r_exact(r, n * 8);
    ds->amount = (double *)r_exact(r, n * 8);
    ds->sql_at = (int64_t *)r_exact(r, ds->has_sql ? n * 8 : 0);
    if (r->bad) return -1;
    if (!ds->has_sql) ds->sql_at = NULL;
    /* Numbers a CSV load can give, no other: a time outside the parser's
     * range would overflow the replay's arithmetic, an infinite or negative
     * amount would make revenue recall infinite or negative. */
    if (ds->max_time != TSTAMP_NONE && !time_ok(ds->max_time)) return -1;
    for (size_t i = 0; i < n; i++)
        if (ds->status[i] > DATASET_LOST || !time_ok(ds->created[i]) ||
            (ds->closed[i] != TSTAMP_NONE && !time_ok(ds->closed[i])) ||
            (ds->sql_at && ds->sql_at[i] != TSTAMP_NONE &&
             (!time_ok(ds->sql_at[i]) || ds->sql_at[i] < ds->created[i])) ||
            !(isnan(ds->amount[i]) || (ds->amount[i] >= 0 && ds->amount[i] <= DATASET_MAX_AMOUNT)))
            return -1;
    return 0;
}

/* The attribute columns, every code inside its table. */
static int map_attrs(reader *r, dataset *ds) {
    size_t n = ds->nleads;
    if (!(ds->attrs = util_calloc(ds->nattrs + 1, sizeof *ds->attrs))) return -2;
    for (size_t a = 0; a < ds->nattrs; a++) {
        dataset_attr *at = &ds->attrs[a];
        const char *name = r_str(r);
        if (!name || !(at->name = util_strdup(name))) return r->bad ? -1 : -2;
        if (r_strtab(r, &at->values) < 0) return -1;
        at->code = (uint32_t *)r_exact(r, n * 4);
        if (!at->code) return -1;
        for (size_t i = 0; i < n; i++)
            if (at->code[i] >= at->values.n) return -1;
    }
    return 0;
}

/* The won flag's cells, when there is one, every code and status valid. */
static int map_stage(reader *r, dataset *ds) {
    const char *name = r_str(r);
    if (!name) return -1;
    if (!*name) return 0;
    if (!(ds->stage.name = util_strdup(name))) return -2;
    if (r_strtab(r, &ds->stage.values) < 0) return -1;
    ds->stage.code = (uint32_t *)r_exact(r, ds->nleads * 4);
    ds->stage_status = (uint8_t *)r_exact(r, ds->stage.values.n);
    if (r->bad) return -1;
    for (size_t i = 0; i < ds->nleads; i++)
        if (ds->stage.code[i] >= ds->stage.values.n) return -1;
    for (size_t v = 0; v < ds->stage.values.n; v++)
        if (ds->stage_status[v] > DATASET_LOST) return -1;
    return 0;
}

/* The events and their type names. */
static int map_events(reader *r, dataset *ds) {
    size_t n = ds->nleads, ne = ds->nevents;
    ds->ev_off = (size_t *)r_exact(r, (n + 1) * 8);
    ds->ev_time = (int64_t *)r_exact(r, ne * 8);
    ds->ev_type = (uint16_t *)r_exact(r, ne * 2);
    if (r->bad || ds->ev_off[0] != 0 || ds->ev_off[n] != ne) return -1;
    for (size_t i = 0; i < n; i++)
        if (ds->ev_off[i + 1] < ds->ev_off[i]) return -1;
    if (r_strtab(r, &ds->types) < 0) return -1;
    /* each lead's events in time order from its created_at on, as a load
     * leaves them (the replay's searches rely on the order) */
    for (size_t i = 0; i < n; i++)
        for (size_t e = ds->ev_off[i]; e < ds->ev_off[i + 1]; e++)
            if (ds->ev_type[e] >= ds->types.n || ds->ev_time[e] > TSTAMP_PARSE_MAX ||
                ds->ev_time[e] < (e > ds->ev_off[i] ? ds->ev_time[e - 1] : ds->created[i]))
                return -1;
    return 0;
}

/* Fill ds from the mapping; 0, -1 when anything is off (*why says what),
 * -2 when memory runs out. */
static int map_all(reader *r, const char *key, dataset *ds, int strict, const char **why) {
    const char *srcp[4];
    const src_stat *src[4];
    uint64_t rows = 0;
    int rc = map_sources(r, key, srcp, src, why);
    if (rc < 0) return rc;
    *why = "invalid contents";
    if ((rc = map_counts(r, ds, src, &rows)) < 0 || (rc = map_paths(r, ds, srcp)) < 0 ||
        (rc = map_dq(r, ds, rows, strict, why)) < 0)
        return rc;
    *why = "invalid contents";
    if ((rc = map_leads(r, ds)) < 0 || (rc = map_attrs(r, ds)) < 0 || (rc = map_stage(r, ds)) < 0 ||
        (rc = map_events(r, ds)) < 0)
        return rc;
    if (r->at != r->len) return -1;
    /* the lookup slots are not stored: rebuilt so that every table works
     * exactly as after a CSV load */
    if (strtab_reindex(&ds->types) < 0 || strtab_reindex(&ds->ids) < 0) return -2;
    for (size_t a = 0; a < ds->nattrs; a++)
        if (strtab_reindex(&ds->attrs[a].values) < 0) return -2;
    if (ds->stage.name && strtab_reindex(&ds->stage.values) < 0) return -2;
    return 0;
}

int cache_load(const char *path, int strict, dataset **out, util_err *err) {
    char file[PATH_MAX + 64], key[3 * PATH_MAX + 8];
    if (cache_file(path, file, sizeof file) < 0 || make_key(path, key, sizeof key) < 0) return 1;
    /* Opened like every input: something other than a regular file there
     * (a FIFO would wait for a writer) is no cache. */
    struct stat sb;
    int fd = fileio_open_input(file, &sb, NULL);
    if (fd < 0) {
        trace(file, "none yet");
        return 1;
    }
    if ((size_t)sb.st_size < sizeof(header)) {
        close(fd);
        trace(file, "truncated");
        return 1;
    }
    size_t len = (size_t)sb.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return 1;
    const header *h = map;
    if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->version != CACHE_VERSION ||
        h->endian != 0x01020304u || h->file_size != len ||
        cache_checksum(map, len) != h->checksum) {
        const char *why = memcmp(h->magic, CACHE_MAGIC, 8) != 0 ? "not a leadsim cache"
                          : h->version != CACHE_VERSION          ? "another format version"
                          : h->file_size != len                  ? "truncated"
                                                                 : "checksum mismatch (corrupted)";
        munmap(map, len); /* h points into it: the reason is chosen first */
        trace(file, why);
        return 1;
    }
    /* The checksum touched every page; most (ids, unused attributes) are not
     * needed again. Dropping them keeps resident memory to what is used:
     * pages read later come back from the page cache. */
    madvise(map, len, MADV_DONTNEED);
    dataset *ds = dataset_alloc();
    if (!ds) {
        munmap(map, len);
        return util_enomem(err);
    }
    ds->map = map;
    ds->map_len = len;
    reader r = {.base = map, .len = len, .at = sizeof(header)};
    const char *why = "";
    int rc = map_all(&r, key, ds, strict, &why);
    if (rc < 0) {
        dataset_free(ds);
        if (rc == -2) return util_enomem(err);
        trace(file, why);
        return 1;
    }
    trace(file, "used");
    *out = ds;
    return 0;
}

int cache_clear(const char *path, util_err *err) {
    char file[PATH_MAX + 64];
    if (cache_file(path, file, sizeof file) < 0) return 0;
    if (unlink(file) < 0 && errno != ENOENT)
        return util_errf(err, UTIL_EIO, "%s: cannot remove: %s", file, strerror(errno));
    return 0;
}
