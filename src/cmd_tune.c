/* cmd_tune.c - `leadsim tune`: evaluate a candidate grid of weight vectors.
 *
 * Checks the grid before loading any data, evaluates every vector (tune.c)
 * and writes tune-grid.csv and tune.md (out_tune.c), staged and renamed like every
 * result. A scenario without a grid gets suggested weights instead
 * (cmd_tune_suggest.c, SPEC 5.10). A grid under sla:P is refused (exit 65). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dataset.h"
#include "out_tune.h"
#include "outdir.h"
#include "scenario.h"
#include "tune.h"
#include "tune_grid.h"
#include "tune_part.h"

/* LEADSIM_TUNE_METHOD forces a method, so tests can check them against one
 * another: sequence, replay, or sort (counts, sorting instead of a histogram). */
static int forced_method(tune_opts *o, util_err *err) {
    const char *m = getenv("LEADSIM_TUNE_METHOD");
    o->force = -1;
    if (!m || !*m) return 0;
    if (strcmp(m, "sequence") == 0) o->force = TUNE_SEQUENCE;
    else if (strcmp(m, "replay") == 0) o->force = TUNE_REPLAY;
    else if (strcmp(m, "sort") == 0) o->force_sort = 1;
    else
        return util_errf(err, UTIL_EUSAGE,
                         "LEADSIM_TUNE_METHOD is '%s'; it takes sequence, replay or sort", m);
    return 0;
}

/* --shard I/N: shard G's rows as tune-part.txt in O, and a line saying so. */
static int write_part(const cli *c, outdir *o, util_buf *b, const tune *t, const tune_grid *g,
                      const dataset *ds, const char *path, const char *base, util_err *err) {
    tune_part_id id;
    memset(&id, 0, sizeof id);
    snprintf(id.scenario_path, sizeof id.scenario_path, "%s", c->args[0]);
    snprintf(id.objective, sizeof id.objective, "%s", c->objective ? c->objective : "");
    snprintf(id.data_path, sizeof id.data_path, "%s", path);
    id.data_hash = tune_part_data_hash(ds, t->rp);
    if (tune_part_file_hash(c->args[0], &id.scenario_hash, err) < 0) return -1;
    tune_part_write(b, t, g, &id);
    if (outdir_take_buf(o, "", TUNE_PART_FILE, b, err) < 0 || outdir_commit(o, NULL, err) < 0)
        return -1;
    if (!c->quiet)
        printf("Part %ld of %ld: %zu of %zu weight vectors, in %s/%s (join the parts with "
               "leadsim merge)\n", c->shard_i, c->shard_n, g->nvec, g->nall, base, TUNE_PART_FILE);
    return 0;
}

/* sla:P over a grid is refused before any data is read: each vector's
 * rows would need their follow-up queue, a replay per row per vector, and
 * tune's one-replay methods count hand-offs, not waits. */
static int refuse_sla(const cli *c, const scenario *sc, util_err *err) {
    if (sc->objective != SCENARIO_OBJ_SLA) return 0;
    const char *what = c->objective ? "--objective sla:P" : "objective sla:P";
    return util_errf(err, UTIL_EDATA,
                     "%s:%ld: tune does not take %s over a weight grid (the SLA needs every "
                     "threshold's follow-up queue replayed for every vector); run sweep with "
                     "sla:P on each vector's [behaviour] lines, or tune under another "
                     "objective (capacity, for instance)",
                     sc->path, c->objective || sc->objective_line <= 0 ? 1 : sc->objective_line,
                     what);
}

int cmd_tune(const cli *c, util_err *err) {
    if (c->nargs != 1) return util_errf(err, UTIL_EUSAGE, "tune needs exactly one scenario file");
    scenario *sc = NULL;
    dataset *ds = NULL;
    tune *t = NULL;
    tune_grid g;
    memset(&g, 0, sizeof g);
    outdir o;
    memset(&o, 0, sizeof o);
    util_buf b;
    util_buf_init(&b);
    int rc = -1;
    tune_opts to = {.threads = c->threads, .progress = !c->quiet && isatty(2)};
    if (forced_method(&to, err) < 0) goto done;
    if (scenario_load(c->args[0], &sc, err) < 0) goto done;
    if (tune_grid_init(&g, sc, err) < 0) {
        if (err->code != UTIL_EUSAGE) goto done;
        /* no grid: suggested weights (SPEC 5.10), cmd_tune_suggest.c */
        if (c->shard_n)
            rc = util_errf(err, UTIL_EUSAGE,
                           "%s: --shard splits a weight grid, and this scenario has none (a "
                           "list or range of points in [behaviour]); without one, tune "
                           "suggests weights in a single run",
                           sc->path);
        else
            rc = cmd_tune_suggest(c, sc, err);
        goto done;
    }
    if (c->shard_n && tune_grid_shard(&g, (size_t)c->shard_i, (size_t)c->shard_n, err) < 0)
        goto done;
    const char *path;
    if (cli_data_path(c, sc, &path, err) < 0 || refuse_sla(c, sc, err) < 0 ||
        cli_load(c, path, &ds, err) < 0 ||
        cli_check_names(c, sc, ds, err) < 0)
        goto done;
    if (tune_run(ds, sc, &g, &to, &t, err) < 0) goto done;

    char base[4096];
    if (c->out) snprintf(base, sizeof base, "%s", c->out);
    else snprintf(base, sizeof base, "results/%s", sc->name);
    if (outdir_open(&o, base, err) < 0) goto done;
    o.threads = c->threads;
    if (c->shard_n) { /* a part for `leadsim merge` (tune_part.h) */
        rc = write_part(c, &o, &b, t, &g, ds, path, base, err);
        goto done;
    }
    out_tune_csv(&b, t);
    if (outdir_take_buf(&o, "", "tune-grid.csv", &b, err) < 0) goto done;
    out_tune_md(&b, t, ds, path);
    if (outdir_take_buf(&o, "", "tune.md", &b, err) < 0) goto done;
    if (outdir_commit(&o, NULL, err) < 0) goto done;
    if (!c->quiet) {
        out_tune_terminal(&b, t);
        util_buf_printf(&b, "Results: %s/tune.md (every vector: tune-grid.csv)\n", base);
        if (b.failed) {
            util_enomem(err);
            goto done;
        }
        fputs(b.data, stdout);
    }
    rc = 0;
done:
    util_buf_fini(&b);
    tune_free(t);
    tune_grid_fini(&g);
    dataset_free(ds);
    scenario_free(sc);
    outdir_close(&o); /* last: the previous results may still be going */
    return rc;
}
