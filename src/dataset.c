/* dataset.c - a dataset in memory: its data-quality classes, lookups, and its memory.
 *
 * The data model every room shares (the CSV loader and the cache fill it,
 * the replay, sweep and writers read it). Not for loading: csvload.c reads
 * CSV files into a dataset, cache.c maps one from the cache, load.c chooses. */
#include "dataset.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tstamp.h"

/* ---------------------------- Data-quality classes ---------------------------- */

static const char *dq_labels[DATASET_DQ_COUNT] = {
    [DATASET_DQ_FILE] = "unreadable or malformed files",
    [DATASET_DQ_BAD_TIME] = "timestamps that do not parse",
    [DATASET_DQ_DUP_LEAD] = "duplicate lead_id in the leads file",
    [DATASET_DQ_EMPTY_LEAD] = "empty lead_id in the leads file",
    [DATASET_DQ_BAD_STATUS] = "unknown outcome status",
    [DATASET_DQ_NO_MATCH] = "won_values or lost_values that match no row",
    [DATASET_DQ_EVENT_UNKNOWN] = "events for unknown leads (skipped)",
    [DATASET_DQ_OUTCOME_UNKNOWN] = "outcomes for unknown leads (skipped)",
    [DATASET_DQ_EVENT_EARLY] = "events before the lead's created_at (ignored)",
    [DATASET_DQ_WON_NO_CLOSE] = "won leads without closed_at (all of their events count)",
    [DATASET_DQ_DUP_OUTCOME] = "duplicate outcome rows (the last wins)",
    [DATASET_DQ_EMPTY_EVENT] = "events with an empty event type (ignored)",
    [DATASET_DQ_BAD_AMOUNT] = "amounts that are not numbers, negative or over 1e15 (taken as no amount)",
    [DATASET_DQ_CLOSE_EARLY] = "leads closed before they were created (cannot qualify)",
    [DATASET_DQ_SQL_EARLY] = "sql_at before the lead's created_at (ignored)",
    [DATASET_DQ_SKIPPED] = "rows left out because a skip_if_empty column is empty (not fatal with --strict)",
    [DATASET_DQ_JOIN_MISS] = "leads with no matching row in a joined file (empty attributes)",
};

const char *dataset_dq_label(int cls) {
    return cls >= 0 && cls < DATASET_DQ_COUNT ? dq_labels[cls] : "?";
}

long dataset_fatal_count(const dataset *ds) {
    long n = 0;
    for (int i = 0; i < DATASET_DQ_NFATAL; i++) n += ds->dq[i].count;
    return n;
}

long dataset_attr_find(const dataset *ds, const char *name) {
    for (size_t i = 0; i < ds->nattrs; i++)
        if (strcmp(ds->attrs[i].name, name) == 0) return (long)i;
    return -1;
}

dataset *dataset_alloc(void) {
    dataset *ds = util_calloc(1, sizeof *ds);
    if (!ds) return NULL;
    strtab_init(&ds->ids);
    strtab_init(&ds->types);
    ds->max_time = TSTAMP_NONE;
    return ds;
}

/* ---------------------------- Memory ---------------------------- */

/* MADV_DONTNEED on the whole pages inside [p, p + n). */
static void drop_pages(void *p, size_t n) {
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0 || !p || n == 0) return;
    uintptr_t a = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~((uintptr_t)pg - 1);
    if (b > a) madvise((void *)a, b - a, MADV_DONTNEED);
}

void dataset_release_events(dataset *ds, int nthreads) {
    if (!ds) return;
    if (ds->map) { /* file-backed: the pages simply leave memory */
        drop_pages(ds->ev_time, ds->nevents * sizeof *ds->ev_time);
        drop_pages(ds->ev_type, ds->nevents * sizeof *ds->ev_type);
        return;
    }
    util_release(ds->ev_time, ds->nevents * sizeof *ds->ev_time, nthreads);
    util_release(ds->ev_type, ds->nevents * sizeof *ds->ev_type, nthreads);
    free(ds->ev_time);
    free(ds->ev_type);
    ds->ev_time = NULL;
    ds->ev_type = NULL;
}

void dataset_free(dataset *ds) {
    if (!ds) return;
    free(ds->leads_path);
    free(ds->events_path);
    free(ds->outcomes_path);
    free(ds->ini_path);
    free(ds->ini_candidate);
    free(ds->events_candidate);
    free(ds->outcomes_candidate);
    for (int c = 0; c < DATASET_DQ_COUNT; c++)
        for (int i = 0; i < ds->dq[c].nexamples; i++) free(ds->dq[c].examples[i]);
    if (ds->map) {
        /* the arrays live in the cache's mapping; only these were allocated */
        free(ds->types.slots);
        free(ds->ids.slots);
        for (size_t i = 0; ds->attrs && i < ds->nattrs; i++) {
            free(ds->attrs[i].name);
            free(ds->attrs[i].values.slots);
        }
        free(ds->attrs);
        free(ds->stage.name);
        free(ds->stage.values.slots);
        munmap(ds->map, ds->map_len);
        free(ds);
        return;
    }
    strtab_fini(&ds->ids);
    strtab_fini(&ds->types);
    free(ds->created);
    free(ds->status);
    free(ds->closed);
    free(ds->amount);
    free(ds->sql_at);
    for (size_t i = 0; i < ds->nattrs; i++) {
        free(ds->attrs[i].name);
        strtab_fini(&ds->attrs[i].values);
        free(ds->attrs[i].code);
    }
    free(ds->attrs);
    free(ds->stage.name);
    strtab_fini(&ds->stage.values);
    free(ds->stage.code);
    free(ds->stage_status);
    free(ds->ev_off);
    free(ds->ev_time);
    free(ds->ev_type);
    free(ds);
}
