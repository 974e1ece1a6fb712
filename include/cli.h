/* cli.h - the parsed command line, and the verbs main() dispatches to.
 *
 * Each verb lives in its own src/cmd_<verb>.c, returns 0 on success or -1
 * with err set (err->code is the exit status), and never exits itself. */
#ifndef LEADSIM_CLI_H
#define LEADSIM_CLI_H

#include "dataset.h"
#include "scenario.h"
#include "util.h"

typedef struct cli {
    const char *verb;
    const char *data;   /* --data DIR */
    const char *out;    /* --out DIR */
    int no_plots;       /* --no-plots */
    int quiet;          /* --quiet */
    int strict;         /* --strict: counted data problems are fatal */
    int no_cache;       /* --no-cache: neither read nor write the columnar cache */
    int threads;        /* --threads N (default 1) */
    int has_seed;
    unsigned long seed; /* --seed S */
    long leads;         /* gen --leads N */
    int has_leads;
    long bootstrap;     /* sweep --bootstrap N */
    int has_bootstrap;
    long period;        /* review --period M (months: 1, 2, 3, 4, 6 or 12) */
    int has_period;
    const char *objective; /* --objective O: replaces [tune] objective (already checked) */
    /* plan's options, as given: cmd_plan reads and checks them */
    const char *revenue, *deals, *from, *to, *draws;
    long shard_i, shard_n; /* tune --shard I/N: every N-th vector from the I-th (0/0: none) */
    const char **args;  /* positional arguments after the verb */
    int nargs;
} cli;

/* The command line applied to scenario SC just loaded, and the dataset folder
 * it is replayed on. --objective replaces its [tune] objective (an error
 * naming the scenario when that objective needs a section SC lacks). The
 * folder is --data, else SC's data line, shown without the "x/../" that
 * joining it to the scenario's folder leaves (when the shorter path names
 * the same folder); an error naming the scenario when there is neither. */
int cli_data_path(const cli *c, scenario *sc, const char **path, util_err *err);
/* Load the dataset at PATH with the command line's options. */
int cli_load(const cli *c, const char *path, dataset **ds, util_err *err);
/* Name on stderr every event type and fit value of SC that DS lacks
 * ("FILE:LINE: webniar: no event has this type; did you mean webinar?"), one
 * line each, --quiet or not; with --strict any is an error (UTIL_EDATA).
 * Called once per scenario, after its dataset is loaded. */
int cli_check_names(const cli *c, const scenario *sc, const dataset *ds, util_err *err);

int cmd_run(const cli *c, util_err *err);
int cmd_check(const cli *c, util_err *err);
int cmd_gen(const cli *c, util_err *err);
int cmd_sweep(const cli *c, util_err *err);
int cmd_cache(const cli *c, util_err *err);
int cmd_tune(const cli *c, util_err *err);
int cmd_review(const cli *c, util_err *err);
/* tune on a scenario without a grid (SC loaded, and freed by the caller). */
int cmd_tune_suggest(const cli *c, scenario *sc, util_err *err);
int cmd_plan(const cli *c, util_err *err);
int cmd_merge(const cli *c, util_err *err);

#endif
