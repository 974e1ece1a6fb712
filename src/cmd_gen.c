/* cmd_gen.c - `leadsim gen`: write a synthetic dataset. */
#include <stdio.h>

#include "cli.h"
#include "gen.h"

int cmd_gen(const cli *c, util_err *err) {
    if (!c->out) return util_errf(err, UTIL_EUSAGE, "gen needs --out DIR");
    if (c->nargs) return util_errf(err, UTIL_EUSAGE, "gen takes no arguments besides options");
    gen_opts o = {.leads = c->has_leads ? c->leads : 10000, .seed = c->seed};
    if (gen_write(c->out, &o, err) < 0) return -1;
    if (!c->quiet)
        printf("Wrote %ld leads to %s (leads.csv, events.csv, outcomes.csv, README.txt); seed %lu\n",
               o.leads, c->out, o.seed);
    return 0;
}
