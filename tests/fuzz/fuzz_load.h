/* fuzz_load.h - the body shared by the dataset loader harnesses.
 *
 * A harness includes this after defining FUZZ_FILE (the name the input is
 * written to in the dataset folder). The folder is made once per process
 * with small valid files around the fuzzed one: the three default files,
 * plus the differently named exports (contacts.csv, activity.csv, deals.csv)
 * that a dataset.ini may map. Each input replaces FUZZ_FILE and the folder
 * is loaded as `run` loads it (cache off) and as `check` does (every problem
 * collected), and with --strict when there were counted problems.
 *
 * Asserts, besides no crash, no leak and no sanitizer report:
 * - a failure has a documented exit code and a message; a content problem
 *   names the file it is in (the message starts with the folder);
 * - a loaded dataset keeps the invariants replay relies on (fz_check_dataset);
 * - `check` agrees with `run`: where run loads, check loads the very same
 *   dataset and problems; where run stops, check stops too or reports a
 *   problem that stops a run;
 * - --strict stops exactly at the first counted problem, with its message. */
#include "fuzz_common.h"

#include "load.h"

#ifndef FUZZ_FILE
#error "define FUZZ_FILE before including fuzz_load.h"
#endif

static const char *fix_leads =
    "lead_id,created_at,industry,employees\n"
    "a,2025-01-06,software,10\n"
    "b,2025-01-07 12:30,retail,200\n"
    "c,2025-01-08T08:00:00+02:00,,\n";
static const char *fix_events =
    "lead_id,timestamp,event,value\n"
    "a,2025-01-07,web,\n"
    "b,2025-01-08,pdf,3\n"
    "a,2025-01-09,demo,\n"
    "c,2025-01-09,web,\n";
static const char *fix_outcomes =
    "lead_id,status,closed_at,amount\n"
    "a,won,2025-02-01,1500\n"
    "b,lost,2025-02-02,\n";
static const char *fix_contacts =
    "\xEF\xBB\xBF\"Contact ID\",Create Date,Industry,converted,Close Date,Deal Value\n"
    "A-1,2025-01-06,software,yes,2025-02-01,1000.5\n"
    "A-2,2025-01-06,\"retail, online\",no,,\n"
    "A-3,2025-01-06,software,yes,2025-02-01,500\n";
static const char *fix_activity =
    "contact,activity type,channel,when\n"
    "A-1,Web Visit,organic,2025-01-08 10:00\n"
    "A-2,Web Visit,\"paid, search\",2025-01-07\n"
    "A-4,Web Visit,x,2025-01-09\n";
static const char *fix_deals =
    "lead,won_date,value\n"
    "a,2025-01-15,100\n"
    "b,2025-01-15,200\n";

/* Joined files: accounts keyed on the leads' industry, owners keyed on an
 * account's owner (a join keyed on a joined attribute). */
static const char *fix_accounts =
    "industry,segment,owner\n"
    "software,smb,ann\n"
    "retail,enterprise,bob\n";
static const char *fix_owners =
    "owner,team\n"
    "ann,east\n"
    "bob,N/A\n";

static char data_dir[300], fuzz_path[350];

static void make_folder(void) {
    const char *d = fz_dir();
    fz_path(data_dir, sizeof data_dir, d, "data");
    if (mkdir(data_dir, 0755) != 0) fz_fail("mkdir %s: %s", data_dir, strerror(errno));
    struct {
        const char *name, *text;
    } files[] = {{"leads.csv", fix_leads},       {"events.csv", fix_events},
                 {"outcomes.csv", fix_outcomes}, {"contacts.csv", fix_contacts},
                 {"activity.csv", fix_activity}, {"deals.csv", fix_deals},
                 {"accounts.csv", fix_accounts}, {"owners.csv", fix_owners}};
    char p[400];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        fz_path(p, sizeof p, data_dir, files[i].name);
        fz_write_str(p, files[i].text);
    }
    fz_path(fuzz_path, sizeof fuzz_path, data_dir, FUZZ_FILE);
}

/* Counted problems that --strict makes fatal (rows left out by
 * skip_if_empty are left out on purpose, and stay so). */
static long counted_problems(const dataset *ds) {
    long n = 0;
    for (int c = DATASET_DQ_NFATAL; c < DATASET_DQ_COUNT; c++)
        if (c != DATASET_DQ_SKIPPED) n += ds->dq[c].count;
    return n;
}

/* --strict on a dataset whose normal load (ds) had counted problems. */
static void check_strict(const dataset *ds, const char *prefix) {
    load_opts o = {.strict = 1, .no_cache = 1};
    dataset *st = NULL;
    util_err err = {0, ""};
    if (load_dataset(data_dir, &o, &st, &err) == 0) fz_fail("--strict loaded data with counted problems");
    if (st) fz_fail("failed --strict load left a dataset");
    fz_check_err(&err, prefix);
    if (err.code == UTIL_EINTERNAL) return;
    static const char suffix[] = " (fatal with --strict)";
    size_t n = strlen(err.msg), k = sizeof suffix - 1;
    if (err.code != UTIL_EDATA || n < k || strcmp(err.msg + n - k, suffix) != 0)
        fz_fail("--strict stopped with '%s'", err.msg);
    for (int c = DATASET_DQ_NFATAL; c < DATASET_DQ_COUNT; c++)
        if (ds->dq[c].nexamples && strncmp(ds->dq[c].examples[0], err.msg, n - k) == 0 &&
            ds->dq[c].examples[0][n - k] == '\0')
            return;
    fz_fail("--strict stopped with '%s', which is no class's first problem", err.msg);
}

/* Inputs that must not reach the loader: see fuzz_input_ok in the harness. */
static int fuzz_input_ok(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!fuzz_input_ok(data, size)) return 0;
    fz_note_input(data, size);
    if (!data_dir[0]) make_folder();
#ifdef FUZZ_PREFIX
    /* the harness's fixed start of the file, then the input */
    size_t np = sizeof FUZZ_PREFIX - 1;
    char *whole = malloc(np + size + 1);
    if (!whole) fz_fail("out of memory");
    memcpy(whole, FUZZ_PREFIX, np);
    if (size) memcpy(whole + np, data, size);
    fz_write(fuzz_path, whole, np + size);
    free(whole);
#else
    fz_write(fuzz_path, data, size);
#endif
    char prefix[320];
    snprintf(prefix, sizeof prefix, "%s/", data_dir);

    /* as run and sweep load it */
    load_opts o_run = {.no_cache = 1};
    dataset *ds = NULL;
    util_err err = {0, ""};
    int rc = load_dataset(data_dir, &o_run, &ds, &err);
    if (rc == 0) {
        fz_check_dataset(ds, 1);
        if (dataset_fatal_count(ds)) fz_fail("run loaded data with a fatal problem");
    } else {
        if (rc != -1 || ds) fz_fail("load_dataset returned %d", rc);
        fz_check_err(&err, prefix);
    }

    /* as check loads it */
    load_opts o_check = {.collect_all = 1};
    dataset *all = NULL;
    util_err err_all = {0, ""};
    int rc_all = load_dataset(data_dir, &o_check, &all, &err_all);
    if (rc_all == 0) {
        fz_check_dataset(all, 1);
        if (rc == 0) fz_same_dataset(ds, all, "check against run");
        else if (err.code != UTIL_EINTERNAL && dataset_fatal_count(all) == 0)
            fz_fail("run stops (%s) but check finds no problem that stops a run", err.msg);
    } else {
        if (rc_all != -1 || all) fz_fail("load_dataset (check) returned %d", rc_all);
        fz_check_err(&err_all, prefix);
        if (rc == 0 && err_all.code != UTIL_EINTERNAL)
            fz_fail("check fails (%s) where run loads", err_all.msg);
    }
    dataset_free(all);

    if (rc == 0 && counted_problems(ds)) check_strict(ds, prefix);
    dataset_free(ds);
    return 0;
}
