/* cmd_merge.c - `leadsim merge`: the parts of `tune --shard I/N` joined into one run's files.
 *
 * Reads each folder's tune-part.txt, checks that they are the N shards of
 * one run (tune_part.c), reads the scenario and the dataset they name
 * (checking both are what the parts were made from), and writes
 * tune-grid.csv and tune.md with out_tune.c, as `leadsim tune` without
 * --shard would: the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "out_tune.h"
#include "outdir.h"
#include "scenario.h"
#include "tune.h"
#include "tune_grid.h"
#include "tune_part.h"

/* The scenario and dataset of the checked parts P, into *SC and *DS (and the
 * data path the parts name). */
static int load_run(const cli *c, const tune_part *p, scenario **sc, dataset **ds,
                    const char **path, util_err *err) {
    const tune_part_id *id = &p[0].id;
    uint64_t h;
    if (scenario_load(id->scenario_path, sc, err) < 0 ||
        tune_part_file_hash(id->scenario_path, &h, err) < 0)
        return -1;
    if (h != id->scenario_hash)
        return util_errf(err, UTIL_EDATA, "%s has changed since the parts were made (%s): run "
                         "the shards again", id->scenario_path, p[0].dir);
    cli cc = *c;
    cc.data = id->data_path;
    cc.objective = id->objective[0] ? id->objective : NULL;
    if (cli_data_path(&cc, *sc, path, err) < 0 || cli_load(&cc, *path, ds, err) < 0) return -1;
    *path = id->data_path;
    return 0;
}

int cmd_merge(const cli *c, util_err *err) {
    if (c->nargs < 1)
        return util_errf(err, UTIL_EUSAGE, "merge needs the folders of the parts (tune --shard I/N)");
    if (!c->out) return util_errf(err, UTIL_EUSAGE, "merge needs --out DIR for the joined results");
    size_t np = (size_t)c->nargs;
    tune_part *p = util_calloc(np, sizeof *p);
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
    const char *path = NULL;
    if (!p) return util_enomem(err);
    for (size_t k = 0; k < np; k++)
        if (tune_part_read(c->args[k], &p[k], err) < 0) goto done;
    if (tune_part_check(p, np, err) < 0 || load_run(c, p, &sc, &ds, &path, err) < 0 ||
        tune_grid_init(&g, sc, err) < 0)
        goto done;
    if (g.nvec != p[0].id.nall) {
        util_errf(err, UTIL_EDATA, "%s: its grid has %zu vectors, the parts' %zu", sc->path, g.nvec,
                  p[0].id.nall);
        goto done;
    }
    if (tune_part_assemble(ds, sc, &g, p, np, c->threads, &t, err) < 0) goto done;
    if (outdir_open(&o, c->out, err) < 0) goto done;
    o.threads = c->threads;
    out_tune_csv(&b, t);
    if (outdir_take_buf(&o, "", "tune-grid.csv", &b, err) < 0) goto done;
    out_tune_md(&b, t, ds, path);
    if (outdir_take_buf(&o, "", "tune.md", &b, err) < 0) goto done;
    if (outdir_commit(&o, NULL, err) < 0) goto done;
    if (!c->quiet) {
        out_tune_terminal(&b, t);
        util_buf_printf(&b, "Results: %s/tune.md (every vector: tune-grid.csv), from %zu parts\n",
                        c->out, np);
        if (b.failed) {
            util_enomem(err);
            goto done;
        }
        fputs(b.data, stdout);
    }
    rc = 0;
done:
    for (size_t k = 0; k < np; k++) tune_part_fini(&p[k]);
    free(p);
    util_buf_fini(&b);
    tune_free(t);
    tune_grid_fini(&g);
    dataset_free(ds);
    scenario_free(sc);
    outdir_close(&o);
    return rc;
}
