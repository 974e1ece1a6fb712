/* cmd_gen.c - `leadsim gen`: write a synthetic dataset. */
#include <stdio.h>

#include "cli.h"
#include "gen.h"
#include "outdir.h"

int cmd_gen(const cli *c, util_err *err) {
    if (!c->out) return util_errf(err, UTIL_EUSAGE, "gen needs --out DIR");
    if (c->nargs) return util_errf(err, UTIL_EUSAGE, "gen takes no arguments besides options");
    gen_opts o = {.leads = c->has_leads ? c->leads : 10000, .seed = c->seed};
    /* The folder is locked like a run's results: two gens into one folder
     * would otherwise leave the leads of one beside the events of the other. */
    outdir lock;
    int rc = outdir_open(&lock, c->out, err);
    if (rc == 0) rc = gen_write(c->out, &o, err);
    if (rc == 0) rc = outdir_commit(&lock, NULL, err); /* nothing staged: keeps the folder */
    outdir_close(&lock);
    if (rc < 0) return -1;
    if (!c->quiet)
        printf("Wrote %ld leads to %s (leads.csv, events.csv, outcomes.csv, README.txt); seed %lu\n",
               o.leads, c->out, o.seed);
    return 0;
}
