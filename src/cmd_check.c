/* cmd_check.c - `leadsim check`: every problem of a dataset, all at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dataset.h"
#include "dsini.h"
#include "leaks.h"
#include "load.h"

/* Where the outcomes came from, after "N event rows, ": rows of an outcomes
 * file, or the won flag of the leads file (0 outcome rows would read as
 * none), or nowhere. The layout is read again (the dataset does not keep
 * it), before anything is printed: it read once, so only memory or I/O can
 * fail it now, and that is an error like any other. */
static int outcomes_text(const char *path, const dataset *ds, char *out, size_t n,
                         util_err *err) {
    dsini L;
    if (dsini_read(path, &L, err) < 0) {
        dsini_fini(&L);
        return -1;
    }
    if (L.l_won)
        snprintf(out, n, "outcomes from column '%s' of %s", L.l_won, ds->leads_path);
    else if (!ds->outcomes_path)
        snprintf(out, n, "no outcomes file (every lead is open)");
    else
        snprintf(out, n, "%ld outcome rows", ds->nrows_outcomes);
    dsini_fini(&L);
    return 0;
}

/* How many leads are won, lost and open as the files say (no scenario:
 * no until to cut them off), then the stage values of a won flag. */
static void print_outcomes(const dataset *ds) {
    long n[3] = {0, 0, 0};
    for (size_t i = 0; i < ds->nleads; i++) n[ds->status[i] <= DATASET_LOST ? ds->status[i] : 0]++;
    printf("Outcomes: %ld won, %ld lost, %ld open.\n", n[DATASET_WON], n[DATASET_LOST],
           n[DATASET_OPEN]);
    const dataset_attr *st = &ds->stage;
    if (!st->name) return;
    static const char *names[] = {"open", "won", "lost"};
    printf("Read from column '%s' (value: leads, read as):\n", st->name);
    for (size_t v = 0; v < st->values.n && v < 30; v++) {
        long k = 0;
        for (size_t i = 0; i < ds->nleads; i++) k += st->code[i] == v;
        const char *t = strtab_str(&st->values, v);
        printf("  '%s': %ld, %s\n", t, k, names[ds->stage_status[v] <= DATASET_LOST ? ds->stage_status[v] : 0]);
    }
    if (st->values.n > 30) printf("  ... and %zu more values\n", st->values.n - 30);
}

/* Attribute values whose leads are almost all won or not won (leaks.h). */
static int print_leaks(const dataset *ds, util_err *err) {
    uint8_t *won = util_malloc(ds->nleads + 1);
    if (!won) return util_enomem(err);
    for (size_t i = 0; i < ds->nleads; i++) won[i] = ds->status[i] == DATASET_WON;
    leaks lk;
    int rc = leaks_find(ds, NULL, won, ds->nleads, &lk, err);
    free(won);
    if (rc < 0 || lk.n == 0) return rc;
    printf("\nPossible leaks (at least %d leads, won rate within 1%% of 0 or 1; all leads: "
           "%.0f%% won). If such a field is filled in after contact, it gives the outcome away: "
           "do not score it.\n", LEAKS_MIN_LEADS, 100.0 * (double)lk.won / (double)lk.leads);
    for (size_t k = 0; k < lk.n && k < LEAKS_MAX_SHOWN; k++) {
        const leaks_item *it = &lk.item[k];
        const dataset_attr *at = &ds->attrs[it->attr];
        const char *v = strtab_str(&at->values, it->value);
        printf("  %s = %s: %ld leads, %.0f%% won\n", at->name, *v ? v : "(empty)", it->leads,
               100.0 * (double)it->won / (double)it->leads);
    }
    if (lk.n > LEAKS_MAX_SHOWN) printf("  ... and %zu more\n", lk.n - LEAKS_MAX_SHOWN);
    return 0;
}

int cmd_check(const cli *c, util_err *err) {
    if (c->nargs != 1)
        return util_errf(err, UTIL_EUSAGE, "check needs exactly one dataset folder or dataset.ini");
    const char *path = c->args[0];
    load_opts o = {.strict = c->strict, .collect_all = 1, .progress = !c->quiet && isatty(2)};
    dataset *ds = NULL;
    if (load_dataset(path, &o, &ds, err) < 0) return -1;
    long fatal = dataset_fatal_count(ds), counted = 0;
    for (int k = DATASET_DQ_NFATAL; k < DATASET_DQ_COUNT; k++) counted += ds->dq[k].count;
    char outcomes[10000]; /* a path and a column name */
    if (outcomes_text(path, ds, outcomes, sizeof outcomes, err) < 0) {
        dataset_free(ds);
        return -1;
    }
    printf("%s: %zu leads, %ld event rows, %s%s\n", path, ds->nleads, ds->nrows_events, outcomes,
           ds->snapshot ? " (snapshot: no timestamps)" : "");
    print_outcomes(ds);
    if (print_leaks(ds, err) < 0) {
        dataset_free(ds);
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        int lo = pass ? DATASET_DQ_NFATAL : 0, hi = pass ? DATASET_DQ_COUNT : DATASET_DQ_NFATAL;
        long total = pass ? counted : fatal;
        if (!total) continue;
        printf("\n%s\n", pass ? "Counted problems (the rows are skipped or ignored as shown; "
                                "--strict makes them fatal):"
                              : "Problems that stop a run:");
        for (int k = lo; k < hi; k++) {
            const dataset_dq *q = &ds->dq[k];
            if (!q->count) continue;
            printf("  %s: %ld\n", dataset_dq_label(k), q->count);
            for (int i = 0; i < q->nexamples; i++) printf("    %s\n", q->examples[i]);
            if (q->count > q->nexamples) printf("    ... and %ld more\n", q->count - q->nexamples);
        }
    }
    /* rows left out by skip_if_empty were left out on purpose: --strict keeps them so */
    long strict_counted = counted - ds->dq[DATASET_DQ_SKIPPED].count;
    int bad = fatal > 0 || (c->strict && strict_counted > 0);
    if (!fatal && !counted) printf("\nNo problems found.\n");
    dataset_free(ds);
    if (bad)
    {
        long k = fatal + (c->strict ? strict_counted : 0);
        return util_errf(err, UTIL_EDATA, "%s: %ld problem%s that stop%s a run", path, k,
                         k == 1 ? "" : "s", k == 1 ? "s" : "");
    }
    return 0;
}
