/* main.c - leadsim's command line: parse options, dispatch to a verb, exit.
 *
 * The only place that exits. Options may come anywhere after the verb;
 * numbers are parsed strictly; errors go to stderr, help to stdout. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "version.h"

static const char *usage_text =
    "usage: leadsim COMMAND [options]\n"
    "\n"
    "Replays lead history under candidate MQL definitions and reports precision,\n"
    "recall and sales workload.\n"
    "\n"
    "Commands:\n"
    "  run     SCENARIO.ini [SCENARIO.ini ...]   replay each scenario; compare them side by side\n"
    "  sweep   SCENARIO.ini                      all thresholds at once: trade-off and a recommendation\n"
    "  tune    SCENARIO.ini                      candidate weight grids: each vector's sweep and best threshold\n"
    "  check   DATASET                           validate a dataset and report every problem found\n"
    "  gen     --out DIR [--leads N] [--seed S]  write a synthetic dataset with known behaviour\n"
    "  cache   clear --data DIR                  remove the columnar cache of a dataset\n"
    "\n"
    "Options:\n"
    "  --data DIR      use this dataset (a folder, or a dataset.ini) instead of the scenario's\n"
    "  --out DIR       where results go (default results/<scenario name>/)\n"
    "  --strict        data problems that are normally counted and skipped are fatal\n"
    "  --no-cache      read the CSV files even when a columnar cache is valid, and write none\n"
    "  --threads N     worker threads (results do not depend on it; default 1)\n"
    "  --seed S        random seed (gen, sweep's bootstrap; default 1)\n"
    "  --bootstrap N   sweep: bootstrap resamples for the intervals (default 1000; 0 = none)\n"
    "  --no-plots      write tables only\n"
    "  --quiet         print nothing but errors\n"
    "  --help          this text, or a command's help with COMMAND --help\n"
    "  --version       print the version\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 65 bad input data or scenario,\n"
    "70 internal error, 74 I/O error.\n";

static const char *help_run =
    "usage: leadsim run SCENARIO.ini [SCENARIO.ini ...] [--data DIR] [--out DIR] [--strict]\n"
    "                   [--threads N] [--no-plots] [--quiet]\n"
    "\n"
    "Replays each scenario on its dataset and writes summary.csv, summary.md and\n"
    "weekly.csv (one row per threshold) to results/<name>/, or to --out. With several\n"
    "scenarios each gets its own folder and a side-by-side comparison is written to\n"
    "results/compare/ (or to the --out folder, with the scenarios in subfolders).\n";

static const char *help_sweep =
    "usage: leadsim sweep SCENARIO.ini [--data DIR] [--out DIR] [--bootstrap N] [--seed S]\n"
    "                     [--threads N] [--strict] [--quiet]\n"
    "\n"
    "Evaluates every threshold at which some lead changes class, from one replay,\n"
    "and writes sweep.csv (one row per threshold, or per threshold and fit threshold\n"
    "in two-axis mode: counts, precision, recall, weekly workload, bootstrap 90%\n"
    "intervals, objective), sweep.md (the recommendation under [tune] objective, its\n"
    "runner-up and how stable the pick is, with a readable table) and sweep-weekly.csv\n"
    "at the recommended threshold, to results/<name>/ or --out. The intervals come from\n"
    "N bootstrap resamples of the leads (default 1000), reproducible with --seed.\n";

static const char *help_tune =
    "usage: leadsim tune SCENARIO.ini [--data DIR] [--out DIR] [--threads N] [--strict]\n"
    "                    [--quiet]\n"
    "\n"
    "Evaluates a candidate grid of weights: a list or range of points for some types\n"
    "in [behaviour] (webinar = 5..20 step 5) makes one weight vector per combination.\n"
    "For each vector it finds what sweep would: every threshold at which some lead\n"
    "changes class, and the threshold recommended under [tune] objective. Writes\n"
    "tune-grid.csv (one row per vector: its weights and the recommended row) and\n"
    "tune.md (the best vectors, and the [behaviour] lines to replay the best one) to\n"
    "results/<name>/ or --out. Without decay, in single-axis mode and for objectives\n"
    "other than capacity, one replay serves every vector; otherwise each vector is\n"
    "replayed. Weight suggestions from a fitted model are not built yet: a scenario\n"
    "without a grid is refused.\n";

static const char *help_cache =
    "usage: leadsim cache clear --data DIR\n"
    "\n"
    "After a first clean load, run and sweep keep a binary columnar copy of the\n"
    "dataset in $LEADSIM_CACHE_DIR (else $XDG_CACHE_HOME/leadsim or ~/.cache/leadsim)\n"
    "and map it on later loads. It is checked against the source files (size, time\n"
    "and content at both ends) and rebuilt when anything differs. This removes it.\n";

static const char *help_check =
    "usage: leadsim check DATASET [--strict]\n"
    "\n"
    "Reads a dataset folder (or a dataset.ini) and lists every problem found, all\n"
    "at once, with counts and the first lines where each occurs. Exits 65 when a\n"
    "problem would stop a run (with --strict, any problem), 0 otherwise.\n";

static const char *help_gen =
    "usage: leadsim gen --out DIR [--leads N] [--seed S]\n"
    "\n"
    "Writes a synthetic dataset (leads.csv, events.csv, outcomes.csv, README.txt)\n"
    "with fit attributes, event streams driven by a hidden buying intent, weekly and\n"
    "seasonal rhythm, won/lost/open outcomes with amounts, and drift between the\n"
    "half-years of 2025. The same seed and size give the same bytes. Default 10000\n"
    "leads, seed 1.\n";

static int usage_error(const char *fmt, const char *a) {
    fprintf(stderr, "leadsim: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, "\n(leadsim --help lists commands and options)\n");
    return UTIL_EUSAGE;
}

static int parse_count(const char *s, long lo, long hi, long *out) {
    long v;
    if (util_parse_long(s, &v) < 0 || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv) {
    gsl_set_error_handler_off();
    cli c;
    memset(&c, 0, sizeof c);
    c.threads = 1;
    c.seed = 1;
    const char **args = util_calloc((size_t)argc + 1, sizeof *args);
    if (!args) {
        fprintf(stderr, "leadsim: out of memory\n");
        return UTIL_EINTERNAL;
    }
    c.args = args;
    int help = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help = 1;
        } else if (strcmp(a, "--version") == 0) {
            printf("leadsim %s\n", LEADSIM_VERSION);
            goto done;
        } else if (strcmp(a, "--no-plots") == 0) {
            c.no_plots = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c.quiet = 1;
        } else if (strcmp(a, "--strict") == 0) {
            c.strict = 1;
        } else if (strcmp(a, "--no-cache") == 0) {
            c.no_cache = 1;
        } else if (strcmp(a, "--data") == 0 || strcmp(a, "--out") == 0 ||
                   strcmp(a, "--threads") == 0 || strcmp(a, "--seed") == 0 ||
                   strcmp(a, "--leads") == 0 || strcmp(a, "--bootstrap") == 0) {
            if (!next) {
                rc = usage_error("%s needs a value", a);
                goto done;
            }
            i++;
            long v;
            if (*next == '\0') {
                rc = usage_error("%s needs a non-empty value", a);
                goto done;
            }
            if (strcmp(a, "--data") == 0) c.data = next;
            else if (strcmp(a, "--out") == 0) c.out = next;
            else if (strcmp(a, "--threads") == 0) {
                if (parse_count(next, 1, 256, &v) < 0) {
                    rc = usage_error("--threads takes a whole number from 1 to 256, not '%s'", next);
                    goto done;
                }
                c.threads = (int)v;
            } else if (strcmp(a, "--seed") == 0) {
                if (parse_count(next, 0, 4294967295L, &v) < 0) {
                    rc = usage_error("--seed takes a whole number from 0 to 4294967295, not '%s'", next);
                    goto done;
                }
                c.seed = (unsigned long)v;
                c.has_seed = 1;
            } else if (strcmp(a, "--bootstrap") == 0) {
                if (parse_count(next, 0, 1000000L, &v) < 0) {
                    rc = usage_error("--bootstrap takes a whole number from 0 to 1000000, not '%s'", next);
                    goto done;
                }
                c.bootstrap = v;
                c.has_bootstrap = 1;
            } else {
                if (parse_count(next, 1, 1000000000L, &v) < 0) {
                    rc = usage_error("--leads takes a whole number from 1 to 1000000000, not '%s'", next);
                    goto done;
                }
                c.leads = v;
                c.has_leads = 1;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = usage_error("unknown option '%s'", a);
            goto done;
        } else if (!c.verb) {
            c.verb = a;
        } else {
            args[c.nargs++] = a;
        }
    }
    if (!c.verb) {
        if (help) {
            fputs(usage_text, stdout);
            goto done;
        }
        fputs(usage_text, stderr);
        rc = UTIL_EUSAGE;
        goto done;
    }
    int (*fn)(const cli *, util_err *) = NULL;
    const char *help_text = NULL;
    if (strcmp(c.verb, "run") == 0) fn = cmd_run, help_text = help_run;
    else if (strcmp(c.verb, "check") == 0) fn = cmd_check, help_text = help_check;
    else if (strcmp(c.verb, "sweep") == 0) fn = cmd_sweep, help_text = help_sweep;
    else if (strcmp(c.verb, "tune") == 0) fn = cmd_tune, help_text = help_tune;
    else if (strcmp(c.verb, "cache") == 0) fn = cmd_cache, help_text = help_cache;
    else if (strcmp(c.verb, "gen") == 0) fn = cmd_gen, help_text = help_gen;
    else {
        rc = usage_error("unknown command '%s'", c.verb);
        goto done;
    }
    if (help) {
        fputs(help_text, stdout);
        goto done;
    }
    util_err err = {0, ""};
    if (fn(&c, &err) < 0) {
        rc = err.code ? err.code : UTIL_EINTERNAL;
        /* Messages about a place in a file start with that file, so editors
         * and terminals can jump to it; the others name the program. */
        if (rc == UTIL_EUSAGE) fprintf(stderr, "leadsim: %s\n(leadsim %s --help shows its usage)\n", err.msg, c.verb);
        else if (strchr(err.msg, ':') && rc != UTIL_EINTERNAL) fprintf(stderr, "%s\n", err.msg);
        else fprintf(stderr, "leadsim: %s\n", err.msg);
    }
done:
    util_timing("memory freed");
    free(args);
    /* Output that did not reach its file (stdout on a full disk, as with
     * > /dev/full) is an I/O error, not a success. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno ? errno : EIO;
        fprintf(stderr, "leadsim: standard output: cannot write: %s\n", strerror(e));
        if (rc == 0) rc = UTIL_EIO;
    }
    return rc;
}
