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
#include "suggest.h"
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
    "  tune    SCENARIO.ini                      suggested weights from the data; or a weight grid searched\n"
    "  review  SCENARIO.ini [--period M]         period-by-period review with an out-of-time backtest\n"
    "  plan    SCENARIO.ini --revenue GOAL       leads needed for a revenue goal, with intervals\n"
    "  merge   PART_DIR... --out DIR             join the parts of `tune --shard I/N` into one run's files\n"
    "  check   DATASET                           validate a dataset and report every problem found\n"
    "  gen     --out DIR [--leads N] [--seed S]  write a synthetic dataset with known behaviour\n"
    "  cache   clear --data DIR                  remove the columnar cache of a dataset\n"
    "  help    [COMMAND]                         this text, or a command's help\n"
    "\n"
    "Options:\n"
    "  --data DIR      use this dataset (a folder, or a dataset.ini) instead of the scenario's\n"
    "  --out DIR       where results go (default results/<scenario name>/)\n"
    "  --strict        data problems that are normally counted and skipped are fatal\n"
    "  --no-cache      read the CSV files even when a columnar cache is valid, and write none\n"
    "  --threads N     worker threads (results do not depend on it; default 1)\n"
    "  --seed S        random seed (gen, sweep's and tune's bootstrap, plan's draws; default 1)\n"
    "  --bootstrap N   sweep: bootstrap resamples for the intervals (default 1000; 0 = none);\n"
    "                  tune: for the suggested signs' stability (default 200)\n"
    "  --period M      review: months per period, 1, 2, 3, 4, 6 or 12 (default 6)\n"
    "  --objective O   sweep, tune, plan: pick under O instead of the scenario's [tune] objective\n"
    "  --no-plots      write tables only\n"
    "  --quiet         print nothing but errors\n"
    "  --help          this text, or a command's help with COMMAND --help or help COMMAND\n"
    "  --version       print the version\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 65 bad input data or scenario,\n"
    "70 internal error, 74 I/O error.\n";

/* What sweep and tune say about the objective, word for word the same. */
#define HELP_OBJECTIVES \
    "Objectives ([tune] objective, or --objective, which overrides it):\n" \
    "  f1                            the best F1 (the default)\n" \
    "  fbeta:B                       the best F-beta; B > 1 weighs recall more\n" \
    "  precision_at_least:P          the highest recall with precision at least P\n" \
    "  recall_at_least:R             the fewest hand-offs with recall at least R\n" \
    "  capacity                      the highest recall whose busiest weeks (the\n" \
    "                                90th percentile) fit the [sales] capacity\n" \
    "  value:WON_VALUE,HANDOFF_COST  the most WON_VALUE per won deal handed off,\n" \
    "                                less HANDOFF_COST per hand-off\n"

static const char *help_run =
    "usage: leadsim run SCENARIO.ini [SCENARIO.ini ...] [--data DIR] [--out DIR] [--strict]\n"
    "                   [--no-cache] [--threads N] [--no-plots] [--quiet]\n"
    "\n"
    "Replays each scenario on its dataset at each of its thresholds and writes, to\n"
    "results/<name>/ or to --out:\n"
    "  summary.csv   one row per threshold: counts, precision, recall, F1, lift\n"
    "  summary.md    the same table in words, with the data-quality section\n"
    "  scores.csv    each lead's score\n"
    "  weekly.csv    hand-offs per week (not for a dataset without timestamps)\n"
    "  report.html   one page with every table and plot\n"
    "  plots/        the plots as SVG and PNG (not with --no-plots)\n"
    "With several scenarios each gets its own folder, and the side-by-side\n"
    "comparison (summary.csv, summary.md, report.html, plots/) goes to\n"
    "results/compare/ (or to the --out folder, with the scenarios in subfolders).\n";

static const char *help_sweep =
    "usage: leadsim sweep SCENARIO.ini [--data DIR] [--out DIR] [--objective O]\n"
    "                     [--bootstrap N] [--seed S] [--threads N] [--strict]\n"
    "                     [--no-cache] [--no-plots] [--quiet]\n"
    "\n"
    "Evaluates every threshold at which some lead changes class, from one replay,\n"
    "recommends one under the objective, and writes, to results/<name>/ or --out:\n"
    "  sweep.csv         one row per threshold (per threshold and fit threshold in\n"
    "                    two-axis mode): counts, precision, recall, weekly workload,\n"
    "                    bootstrap 90% intervals, the objective\n"
    "  sweep.md          the recommendation, its runner-up and how stable the pick\n"
    "                    is, with a readable table\n"
    "  sweep-weekly.csv  hand-offs per week at the recommended threshold\n"
    "  sweep.html        one page with the recommendation, tables and plots\n"
    "  plots/            sweep-*.svg and .png (not with --no-plots)\n"
    "\n"
    HELP_OBJECTIVES
    "\n"
    "--bootstrap N: the intervals and the stability of the pick come from N\n"
    "resamples of the leads (default 1000; 0 = none), reproducible with --seed S.\n";

static const char *help_tune =
    "usage: leadsim tune SCENARIO.ini [--data DIR] [--out DIR] [--objective O]\n"
    "                    [--bootstrap N] [--seed S] [--threads N] [--strict] [--no-cache]\n"
    "                    [--no-plots] [--quiet] [--shard I/N]\n"
    "\n"
    "Without a grid: suggested weights. A regularised logistic regression of won on\n"
    "each cohort lead's event counts (per type, first [tune] horizon_days, default\n"
    "maturity_days, else 90) and its [fit] values, fitted on the earliest 70% of the\n"
    "cohort, turned into points on the scenario's scale and compared with the current\n"
    "points on the latest 30% at equal workload. Writes, to results/<name>/ or --out:\n"
    "  tune-suggest.csv  per event type and fit value: current and suggested points,\n"
    "                    coefficient and standard error\n"
    "  tune-holdout.csv  current and suggested weights on the test part\n"
    "  tune.md, tune.html, plots/suggest-*  the suggestion in words and the lines to paste\n"
    "--bootstrap N: resamples for the stability of each sign (default 200; 0 = none).\n"
    "\n"
    "With a grid: a list or range of points for some types in [behaviour]\n"
    "(webinar = 5..20 step 5) makes one weight vector per combination. For each\n"
    "vector it finds what sweep would: every threshold at which some lead changes\n"
    "class, and the threshold recommended under the objective. Writes:\n"
    "  tune-grid.csv  one row per vector: its weights and the recommended row\n"
    "  tune.md        the best vectors, and the [behaviour] lines to replay the best\n"
    "\n"
    HELP_OBJECTIVES
    "  sla:P                         refused with a grid (exit 65): it needs every\n"
    "                                vector's follow-up queue; run sweep under sla:P\n"
    "                                on each vector instead\n"
    "\n"
    "A grid draws no bootstrap resamples: run sweep on the best vector for its\n"
    "intervals. In single-axis mode and for objectives other than capacity, one\n"
    "replay serves every vector (with decay, each lead's events are walked once\n"
    "per block of vectors); otherwise each vector is replayed.\n"
    "\n"
    "--shard I/N: only vectors I, I + N, I + 2N, ... (the I-th of N parts, to run\n"
    "side by side or on other machines); writes tune-part.txt instead, and\n"
    "`leadsim merge` joins the N parts into the files of one whole run.\n";

static const char *help_merge =
    "usage: leadsim merge PART_DIR... --out DIR [--data DIR] [--quiet]\n"
    "\n"
    "Joins the parts that `leadsim tune SCENARIO --shard I/N` wrote (one folder\n"
    "each, every I from 1 to N) into DIR: tune-grid.csv and tune.md, the same\n"
    "bytes as one run of tune without --shard, and the best vector. It reads the\n"
    "scenario and the dataset the parts name (--data: this one instead) and\n"
    "refuses parts that overlap, miss a shard, or come from another scenario, grid\n"
    "or dataset (exit 65).\n";

static const char *help_review =
    "usage: leadsim review SCENARIO.ini [--period M] [--data DIR] [--out DIR]\n"
    "                      [--objective O] [--bootstrap N] [--seed S] [--threads N]\n"
    "                      [--strict] [--no-cache] [--no-plots] [--quiet]\n"
    "\n"
    "The definition review: splits the cohort into calendar periods of M months\n"
    "(1, 2, 3, 4, 6 or 12; default 6: January to June, July to December) by\n"
    "created_at and evaluates each as a cohort of its own. With maturity_days W\n"
    "every lead gets the same outcome window: won only when closed within W days\n"
    "of created_at. Writes, to results/<name>/ or --out:\n"
    "  review.csv           one row per period and threshold: the contract columns,\n"
    "                       the period's best threshold, the backtest and the PSI\n"
    "  review-features.csv  per period, event type, fit value and attribute value:\n"
    "                       share, won rates, lift and Fisher's p against the period\n"
    "                       before\n"
    "  review.md            the review in words: does the definition hold, what\n"
    "                       drifted, would the threshold have held, what to change\n"
    "  review.html          one page with the review, tables and plots\n"
    "  plots/               review-*.svg and .png (not with --no-plots)\n"
    "\n"
    "--bootstrap N draws N resamples of each period for bands around precision\n"
    "and recall (default 0: none), reproducible with --seed S.\n";

static const char *help_plan =
    "usage: leadsim plan SCENARIO.ini (--revenue GOAL | --deals N) [--from D --to E]\n"
    "                    [--draws N] [--seed S] [--data DIR] [--out DIR] [--objective O]\n"
    "                    [--threads N] [--strict] [--no-cache] [--no-plots] [--quiet]\n"
    "\n"
    "How many new leads a revenue goal (or N won deals) needs under the scenario's\n"
    "definition: its one threshold, or the sweep's pick under the objective when\n"
    "threshold is a list or a range. From the cohort's lead to MQL and MQL to won\n"
    "rates and its won deals' amounts, a Monte Carlo of --draws N draws (default\n"
    "10000, reproducible with --seed S) gives the leads, MQLs and won deals needed\n"
    "as a median, 80% and 95% intervals and the number that reaches the goal with\n"
    "80% and 95% probability. With a period [D, E) (dates YYYY-MM-DD) it says by\n"
    "when leads must arrive to close by E, given how long won deals took to close.\n"
    "Writes, to results/<name>/ or --out:\n"
    "  plan.csv         leads, mqls, deals, lag_days: point,median,lo80,hi80,lo95,\n"
    "                   hi95,p80,p95\n"
    "  plan-curve.csv   the probability of reaching the goal against the leads\n"
    "  plan-months.csv  per month of the period, the share of its deals closing by E\n"
    "  plan.md          the plan in words, with the funnel it comes from\n"
    "  plan.html        one page with the plan and its plots\n"
    "  plots/           plan-*.svg and .png (not with --no-plots)\n";

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
    "Reads a dataset folder (or a dataset.ini) and lists on standard output every\n"
    "problem found, all at once, with counts and the first lines where each occurs;\n"
    "it writes no file. Exits 65 when a problem would stop a run (with --strict,\n"
    "any problem), 0 otherwise.\n";

static const char *help_gen =
    "usage: leadsim gen --out DIR [--leads N] [--seed S]\n"
    "\n"
    "Writes a synthetic dataset to DIR (leads.csv, events.csv, outcomes.csv, README.txt)\n"
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

/* "unknown option '--strcit'; did you mean --strict?": the closest of NAMES
 * (each shown after PREFIX) when one is close enough (suggest.h). */
static int unknown_name(const char *kind, const char *given, const char *bare,
                        const char *const *names, size_t n, const char *prefix) {
    const char *near = suggest_closest(bare, names, n);
    fprintf(stderr, "leadsim: unknown %s '%s'", kind, given);
    if (near) fprintf(stderr, "; did you mean %s%s?", prefix, near);
    fprintf(stderr, "\n(leadsim --help lists commands and options)\n");
    return UTIL_EUSAGE;
}

static const char *const option_names[] = {
    "help", "version", "no-plots", "quiet", "strict", "no-cache", "data",
    "out",  "threads", "seed",     "leads", "bootstrap", "objective",
    "period", "revenue", "deals", "from", "to", "draws", "shard"};

typedef struct verb {
    const char *name;
    int (*fn)(const cli *, util_err *);
    const char *const *help;
} verb;

static const verb verbs[] = {
    {"run", cmd_run, &help_run},       {"sweep", cmd_sweep, &help_sweep},
    {"tune", cmd_tune, &help_tune},    {"check", cmd_check, &help_check},
    {"gen", cmd_gen, &help_gen},       {"cache", cmd_cache, &help_cache},
    {"review", cmd_review, &help_review},
    {"plan", cmd_plan, &help_plan},
    {"merge", cmd_merge, &help_merge},
    {"help", NULL, &usage_text},
};
#define NVERBS (sizeof verbs / sizeof *verbs)

/* The verb called NAME, or NULL after saying that there is none. */
static const verb *find_verb(const char *name) {
    const char *names[NVERBS];
    for (size_t i = 0; i < NVERBS; i++) {
        if (strcmp(name, verbs[i].name) == 0) return &verbs[i];
        names[i] = verbs[i].name;
    }
    unknown_name("command", name, name, names, NVERBS, "");
    return NULL;
}

/* --objective is read as [tune] objective is; it is applied to each
 * scenario once loaded (cli.c). */
static int check_objective(const char *text) {
    scenario probe;
    memset(&probe, 0, sizeof probe);
    char why[512];
    int rc = scenario_set_objective(&probe, text, why, sizeof why);
    free(probe.objective_text);
    if (rc == -2) {
        fprintf(stderr, "leadsim: out of memory\n");
        return UTIL_EINTERNAL;
    }
    if (rc < 0) return usage_error("--objective %s", why);
    return 0;
}

static int parse_count(const char *s, long lo, long hi, long *out) {
    long v;
    if (util_parse_long(s, &v) < 0 || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* --shard I/N: 1 <= I <= N <= 1,000,000. */
static int parse_shard(const char *s, cli *c) {
    const char *slash = strchr(s, '/');
    char a[32];
    long i, n;
    if (!slash || (size_t)(slash - s) >= sizeof a) goto bad;
    memcpy(a, s, (size_t)(slash - s));
    a[slash - s] = '\0';
    if (parse_count(a, 1, 1000000L, &i) < 0 || parse_count(slash + 1, 1, 1000000L, &n) < 0 || i > n)
        goto bad;
    c->shard_i = i;
    c->shard_n = n;
    return 0;
bad:
    return usage_error("--shard takes I/N, the I-th of N parts (1 <= I <= N <= 1000000), not '%s'", s);
}

/* Option A with its value NEXT (non-NULL) into C. Returns 0, or the exit
 * status of a usage error already printed. */
static int value_option(cli *c, const char *a, const char *next) {
    long v;
    if (*next == '\0') return usage_error("%s needs a non-empty value", a);
    if (strcmp(a, "--data") == 0) {
        c->data = next;
    } else if (strcmp(a, "--out") == 0) {
        c->out = next;
    } else if (strcmp(a, "--shard") == 0) {
        return parse_shard(next, c);
    } else if (strcmp(a, "--objective") == 0) {
        c->objective = next;
        return check_objective(next);
    } else if (strcmp(a, "--threads") == 0) {
        if (parse_count(next, 1, 256, &v) < 0)
            return usage_error("--threads takes a whole number from 1 to 256, not '%s'", next);
        c->threads = (int)v;
    } else if (strcmp(a, "--seed") == 0) {
        if (parse_count(next, 0, 4294967295L, &v) < 0)
            return usage_error("--seed takes a whole number from 0 to 4294967295, not '%s'", next);
        c->seed = (unsigned long)v;
        c->has_seed = 1;
    } else if (strcmp(a, "--period") == 0) {
        if (parse_count(next, 1, 12, &v) < 0 || 12 % v != 0)
            return usage_error("--period takes months per period: 1, 2, 3, 4, 6 or 12, not '%s'",
                               next);
        c->period = v;
        c->has_period = 1;
    } else if (strcmp(a, "--bootstrap") == 0) {
        if (parse_count(next, 0, 1000000L, &v) < 0)
            return usage_error("--bootstrap takes a whole number from 0 to 1000000, not '%s'", next);
        c->bootstrap = v;
        c->has_bootstrap = 1;
    } else {
        if (parse_count(next, 1, 1000000000L, &v) < 0)
            return usage_error("--leads takes a whole number from 1 to 1000000000, not '%s'", next);
        c->leads = v;
        c->has_leads = 1;
    }
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
        } else if (strcmp(a, "--revenue") == 0 || strcmp(a, "--deals") == 0 ||
                   strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0 ||
                   strcmp(a, "--draws") == 0) {
            /* plan's options: cmd_plan reads them and says what is wrong */
            if (!next) {
                rc = usage_error("%s needs a value", a);
                goto done;
            }
            i++;
            if (strcmp(a, "--revenue") == 0) c.revenue = next;
            else if (strcmp(a, "--deals") == 0) c.deals = next;
            else if (strcmp(a, "--from") == 0) c.from = next;
            else if (strcmp(a, "--to") == 0) c.to = next;
            else c.draws = next;
        } else if (strcmp(a, "--data") == 0 || strcmp(a, "--out") == 0 ||
                   strcmp(a, "--threads") == 0 || strcmp(a, "--seed") == 0 ||
                   strcmp(a, "--leads") == 0 || strcmp(a, "--bootstrap") == 0 ||
                   strcmp(a, "--objective") == 0 || strcmp(a, "--period") == 0 ||
                   strcmp(a, "--shard") == 0) {
            if (!next) {
                rc = usage_error("%s needs a value", a);
                goto done;
            }
            i++;
            if ((rc = value_option(&c, a, next)) != 0) goto done;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = unknown_name("option", a, a + (a[1] == '-' ? 2 : 1), option_names,
                              sizeof option_names / sizeof *option_names, "--");
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
    const verb *v = find_verb(c.verb);
    if (!v) {
        rc = UTIL_EUSAGE;
        goto done;
    }
    if (!v->fn) { /* leadsim help [COMMAND] */
        if (c.nargs > 1) {
            rc = usage_error("%s takes at most one command", "help");
            goto done;
        }
        if (c.nargs == 1 && !(v = find_verb(c.args[0]))) {
            rc = UTIL_EUSAGE;
            goto done;
        }
        help = 1;
    }
    if (help) {
        fputs(*v->help, stdout);
        goto done;
    }
    util_err err = {0, ""};
    if (v->fn(&c, &err) < 0) {
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
