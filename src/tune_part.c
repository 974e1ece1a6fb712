/* tune_part.c - tune-part.txt: one shard of a grid written and read back, and the shards joined into one tune.
 *
 * The format is lines of `key value`, then one `row` line per vector of the
 * shard, in its order:
 *
 *   row VECTOR HAS T F TP FP TP_AMOUNT OBJECTIVE THRESHOLDS
 *
 * VECTOR is 1-based in the whole grid; doubles are C99 hexadecimal floats
 * (%a), which read back to the same bits, so the rows an unsplit run would
 * hold are rebuilt exactly and written by out_tune.c's own code. A part
 * names its run (tune_part.h); tune_part_check refuses a set of parts that
 * is not one run's N shards, each once. */
#include "tune_part.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "tstamp.h"

#define PART_MAX_BYTES ((size_t)1 << 30)

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ULL;
    return h;
}

int tune_part_file_hash(const char *path, uint64_t *h, util_err *err) {
    char *data = NULL;
    size_t len = 0;
    if (fileio_read_all(path, PART_MAX_BYTES, &data, &len, err) < 0) return -1;
    *h = fnv(14695981039346656037ULL, data, len);
    free(data);
    return 0;
}

uint64_t tune_part_data_hash(const dataset *ds, const replay *r) {
    uint64_t h = 14695981039346656037ULL;
    uint64_t v[] = {ds->nleads, ds->nevents, r->n, (uint64_t)r->nwon, (uint64_t)r->counted_events,
                    (uint64_t)r->until, (uint64_t)r->timed};
    h = fnv(h, v, sizeof v);
    h = fnv(h, &r->won_amount, sizeof r->won_amount);
    for (size_t i = 0; i < r->n; i++) {
        h = fnv(h, &r->lead[i], sizeof r->lead[i]);
        h = fnv(h, &r->won[i], 1);
    }
    return h;
}

/* ---------------------------- Writing ---------------------------- */

void tune_part_write(util_buf *b, const tune *t, const tune_grid *g, const tune_part_id *id) {
    util_buf_printf(b, "# leadsim tune part: shard %zu of %zu of a candidate grid, for leadsim merge\n",
                    g->first + 1, g->stride);
    util_buf_printf(b, "format 1\n");
    util_buf_printf(b, "scenario_path %s\n", id->scenario_path);
    util_buf_printf(b, "scenario_hash %016" PRIx64 "\n", id->scenario_hash);
    util_buf_printf(b, "objective %s\n", id->objective);
    util_buf_printf(b, "data_path %s\n", id->data_path);
    util_buf_printf(b, "data_hash %016" PRIx64 "\n", id->data_hash);
    util_buf_printf(b, "vectors %zu\n", g->nall);
    util_buf_printf(b, "shard %zu %zu\n", g->first + 1, g->stride);
    util_buf_printf(b, "method %d %d\n", t->method, t->histogram);
    util_buf_printf(b, "why %s\n", t->why);
    for (size_t v = 0; v < g->nvec; v++) {
        const tune_row *w = &t->rows[v];
        util_buf_printf(b, "row %zu %d %a %a %ld %ld %a %a %ld\n", g->first + v * g->stride + 1,
                        w->has, w->T, w->F, w->tp, w->fp, w->tp_amount, w->objective,
                        w->nthresholds);
    }
}

/* ---------------------------- Reading ---------------------------- */

void tune_part_fini(tune_part *p) {
    free(p->vec);
    free(p->rows);
    p->vec = NULL;
    p->rows = NULL;
}

/* The text after "KEY " on LINE into OUT (size N); 0, or -1 when LINE is
 * not that key or the value does not fit. */
static int value_of(const char *line, const char *key, char *out, size_t n) {
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ' ') return -1;
    size_t len = strlen(line + k + 1);
    if (len >= n) return -1;
    memcpy(out, line + k + 1, len + 1);
    return 0;
}

static int parse_row(const char *v, tune_part *p) {
    tune_row w;
    size_t vec;
    char T[64], F[64], a[64], o[64];
    int used = 0;
    memset(&w, 0, sizeof w);
    if (sscanf(v, "%zu %d %63s %63s %ld %ld %63s %63s %ld%n", &vec, &w.has, T, F, &w.tp, &w.fp, a,
               o, &w.nthresholds, &used) != 9 || v[used] != '\0' || vec < 1 ||
        vec > p->id.nall || (w.has != 0 && w.has != 1))
        return -1;
    char *end;
    double *d[] = {&w.T, &w.F, &w.tp_amount, &w.objective};
    const char *s[] = {T, F, a, o};
    for (int k = 0; k < 4; k++) {
        errno = 0;
        *d[k] = strtod(s[k], &end);
        if (*end || errno == EINVAL) return -1;
    }
    if (p->nrows >= p->id.nall) return -1;
    p->vec[p->nrows] = vec - 1;
    p->rows[p->nrows++] = w;
    return 0;
}

/* One line of a part (NUL-terminated, no newline); LN counts the lines. */
static int part_line(tune_part *p, char *line, long ln, int *seen, const char *path,
                     util_err *err) {
    char v[1100];
    if (line[0] == '#' || line[0] == '\0') return 0;
    int ok = 1;
    if (value_of(line, "format", v, sizeof v) == 0) ok = strcmp(v, "1") == 0, seen[0] = 1;
    else if (value_of(line, "scenario_path", p->id.scenario_path, sizeof p->id.scenario_path) == 0)
        seen[1] = 1;
    else if (value_of(line, "scenario_hash", v, sizeof v) == 0)
        ok = sscanf(v, "%" SCNx64, &p->id.scenario_hash) == 1, seen[2] = 1;
    else if (strcmp(line, "objective") == 0) p->id.objective[0] = '\0';
    else if (value_of(line, "objective", p->id.objective, sizeof p->id.objective) == 0) ok = 1;
    else if (value_of(line, "data_path", p->id.data_path, sizeof p->id.data_path) == 0) seen[3] = 1;
    else if (value_of(line, "data_hash", v, sizeof v) == 0)
        ok = sscanf(v, "%" SCNx64, &p->id.data_hash) == 1, seen[4] = 1;
    else if (value_of(line, "vectors", v, sizeof v) == 0) {
        ok = !seen[5] && sscanf(v, "%zu", &p->id.nall) == 1 && p->id.nall >= 1 &&
             p->id.nall <= TUNE_GRID_MAX_VECTORS;
        seen[5] = 1;
        if (ok && (!(p->vec = util_malloc(p->id.nall * sizeof *p->vec)) ||
                   !(p->rows = util_malloc(p->id.nall * sizeof *p->rows))))
            return util_enomem(err);
    } else if (value_of(line, "shard", v, sizeof v) == 0)
        ok = sscanf(v, "%zu %zu", &p->shard_i, &p->shard_n) == 2 && p->shard_i >= 1 &&
             p->shard_i <= p->shard_n, seen[6] = 1;
    else if (value_of(line, "method", v, sizeof v) == 0)
        ok = sscanf(v, "%d %d", &p->method, &p->histogram) == 2, seen[7] = 1;
    else if (value_of(line, "why", p->why, sizeof p->why) == 0) seen[8] = 1;
    else if (value_of(line, "row", v, sizeof v) == 0) ok = seen[5] && parse_row(v, p) == 0;
    else ok = 0;
    if (!ok)
        return util_errf(err, UTIL_EDATA, "%s:%ld: not a line of a tune part: '%.60s'", path, ln,
                         line);
    return 0;
}

int tune_part_read(const char *dir, tune_part *p, util_err *err) {
    memset(p, 0, sizeof *p);
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, TUNE_PART_FILE);
    char *data = NULL;
    size_t len = 0;
    if (fileio_read_all(path, PART_MAX_BYTES, &data, &len, err) < 0) return -1;
    int seen[9] = {0}, rc = 0;
    long ln = 0;
    for (char *line = data; rc == 0 && line < data + len;) {
        char *nl = memchr(line, '\n', (size_t)(data + len - line));
        if (!nl) {
            rc = util_errf(err, UTIL_EDATA, "%s:%ld: the part ends inside a line (cut short?)",
                           path, ln + 1);
            break;
        }
        *nl = '\0';
        rc = part_line(p, line, ++ln, seen, path, err);
        line = nl + 1;
    }
    free(data);
    if (rc < 0) return -1;
    static const char *names[] = {"format", "scenario_path", "scenario_hash", "data_path",
                                  "data_hash", "vectors", "shard", "method", "why"};
    for (int k = 0; k < 9; k++)
        if (!seen[k])
            return util_errf(err, UTIL_EDATA, "%s: not a tune part: no '%s' line", path, names[k]);
    size_t want = p->shard_i <= p->id.nall ? (p->id.nall - p->shard_i + p->shard_n) / p->shard_n : 0;
    for (size_t k = 0; k < p->nrows; k++)
        if (p->vec[k] != p->shard_i - 1 + k * p->shard_n)
            return util_errf(err, UTIL_EDATA, "%s: row %zu is vector %zu, not shard %zu/%zu's",
                             path, k + 1, p->vec[k] + 1, p->shard_i, p->shard_n);
    if (p->nrows != want)
        return util_errf(err, UTIL_EDATA, "%s: %zu rows, and shard %zu/%zu of %zu vectors has %zu "
                         "(cut short?)", path, p->nrows, p->shard_i, p->shard_n, p->id.nall, want);
    return 0;
}

/* ---------------------------- Joining ---------------------------- */

int tune_part_check(const tune_part *p, size_t np, util_err *err) {
    const tune_part *a = &p[0];
    for (size_t k = 1; k < np; k++) {
        const tune_part *b = &p[k];
        const char *what = NULL;
        if (strcmp(a->id.scenario_path, b->id.scenario_path) != 0 ||
            a->id.scenario_hash != b->id.scenario_hash || a->id.nall != b->id.nall)
            what = "different scenarios";
        else if (strcmp(a->id.objective, b->id.objective) != 0)
            what = "different --objective";
        else if (strcmp(a->id.data_path, b->id.data_path) != 0 || a->id.data_hash != b->id.data_hash)
            what = "different data";
        else if (a->shard_n != b->shard_n)
            what = "different splits";
        else if (a->method != b->method || a->histogram != b->histogram || strcmp(a->why, b->why))
            what = "different builds of leadsim (not the same method)";
        if (what)
            return util_errf(err, UTIL_EDATA,
                             "%s/%s: not a part of the same run as %s/%s: %s (%s on %s, not %s on "
                             "%s)", b->dir, TUNE_PART_FILE, a->dir, TUNE_PART_FILE, what,
                             b->id.scenario_path, b->id.data_path, a->id.scenario_path,
                             a->id.data_path);
    }
    size_t n = a->shard_n;
    const tune_part **by = util_calloc(n + 1, sizeof *by);
    if (!by) return util_enomem(err);
    int rc = 0;
    for (size_t k = 0; k < np && rc == 0; k++) {
        size_t i = p[k].shard_i;
        if (by[i])
            rc = util_errf(err, UTIL_EDATA, "%s/%s: shard %zu/%zu again (%s/%s is it too): give "
                           "each part once", p[k].dir, TUNE_PART_FILE, i, n, by[i]->dir,
                           TUNE_PART_FILE);
        by[i] = &p[k];
    }
    if (rc == 0) {
        char miss[200] = "";
        size_t nmiss = 0, at = 0;
        for (size_t i = 1; i <= n; i++) {
            if (by[i]) continue;
            if (nmiss++ < 8)
                at += (size_t)snprintf(miss + at, sizeof miss - at, "%s%zu", nmiss > 1 ? ", " : "", i);
        }
        if (nmiss)
            rc = util_errf(err, UTIL_EDATA, "shard%s %s%s of %zu %s missing; merge needs every part "
                           "of the run", nmiss > 1 ? "s" : "", miss, nmiss > 8 ? ", ..." : "", n,
                           nmiss > 1 ? "are" : "is");
    }
    free(by);
    return rc;
}

int tune_part_assemble(const dataset *ds, const scenario *sc, const tune_grid *g,
                       const tune_part *p, size_t np, int threads, tune **out, util_err *err) {
    tune *t = util_calloc(1, sizeof *t);
    tune_grid_view gv;
    memset(&gv, 0, sizeof gv);
    if (!t || !(t->rows = util_calloc(g->nvec, sizeof *t->rows))) {
        tune_free(t);
        return util_enomem(err);
    }
    t->g = g;
    t->sc = sc;
    if (tune_grid_view_init(&gv, g, err) < 0 || replay_run(ds, &gv.sc, threads, &t->rp, err) < 0)
        goto fail;
    const replay *r = t->rp;
    if (tune_part_data_hash(ds, r) != p[0].id.data_hash) {
        util_errf(err, UTIL_EDATA, "%s: not the data the parts were made from (%s): its leads, "
                  "events or outcomes differ", p[0].id.data_path, p[0].dir);
        goto fail;
    }
    /* as tune_run sets them */
    t->leads = (long)r->n;
    t->won = r->nwon;
    t->won_amount = r->won_amount;
    t->two_axis = r->two_axis;
    for (size_t i = 0; i < r->n; i++) t->fast += r->fast[i] != TSTAMP_NONE;
    objective_init(&t->obj, sc, r->timed);
    t->method = p[0].method;
    t->histogram = p[0].histogram;
    snprintf(t->why, sizeof t->why, "%s", p[0].why);
    for (size_t k = 0; k < np; k++)
        for (size_t j = 0; j < p[k].nrows; j++) t->rows[p[k].vec[j]] = p[k].rows[j];
    tune_grid_view_fini(&gv);
    *out = t;
    return 0;
fail:
    tune_grid_view_fini(&gv);
    tune_free(t);
    return -1;
}
