/* dataset.h - a dataset in memory (SPEC 3): leads, events and outcomes as flat columns.
 *
 * Ids, event types and attribute values are interned once, and events are
 * parallel arrays sorted by lead then time, with per-lead offsets: nothing
 * on the replay path touches a string again. The CSV loader (csvload.h) and
 * the cache (cache.h) fill this struct; load.h is how the verbs get one.
 *
 * Problems are sorted into classes: fatal ones (malformed CSV, a missing
 * column, a bad timestamp, a duplicate lead id, an unknown status, outcome
 * values of a dataset.ini that match no row) stop a run
 * at once with "FILE:LINE: what"; counted ones are kept with their first
 * examples for the data-quality report. With collect_all (the check command)
 * loading goes on past fatal row problems so that all of them are listed. */
#ifndef LEADSIM_DATASET_H
#define LEADSIM_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "strtab.h"
#include "util.h"

enum { DATASET_OPEN = 0, DATASET_WON = 1, DATASET_LOST = 2 };

/* Data-quality classes, fatal ones first. */
enum {
    DATASET_DQ_FILE,             /* fatal: unreadable, malformed CSV, missing column, no header */
    DATASET_DQ_BAD_TIME,         /* fatal: unparsable created_at, timestamp or closed_at */
    DATASET_DQ_DUP_LEAD,         /* fatal: duplicate lead_id in the leads file */
    DATASET_DQ_EMPTY_LEAD,       /* fatal: empty lead_id in the leads file */
    DATASET_DQ_BAD_STATUS,       /* fatal: status not won/lost/open */
    DATASET_DQ_NO_MATCH,         /* fatal: dataset.ini won_values or lost_values that
                                  * match no row of the won flag's column */
    DATASET_DQ_NFATAL,
    DATASET_DQ_EVENT_UNKNOWN = DATASET_DQ_NFATAL, /* events for unknown leads (skipped) */
    DATASET_DQ_OUTCOME_UNKNOWN,  /* outcomes for unknown leads (skipped) */
    DATASET_DQ_EVENT_EARLY,      /* events before the lead's created_at (ignored) */
    DATASET_DQ_WON_NO_CLOSE,     /* won leads without closed_at (all events count) */
    DATASET_DQ_DUP_OUTCOME,      /* duplicate outcome rows (the last wins) */
    DATASET_DQ_EMPTY_EVENT,      /* events with an empty event type (ignored) */
    DATASET_DQ_BAD_AMOUNT,       /* amounts that are not numbers, negative or over
                                  * DATASET_MAX_AMOUNT (taken as no amount) */
    DATASET_DQ_CLOSE_EARLY,      /* closed before the lead was created (cannot qualify) */
    DATASET_DQ_SQL_EARLY,        /* sql_at before the lead's created_at (ignored, SPEC 5.7) */
    DATASET_DQ_SKIPPED,          /* rows left out by a dataset.ini skip_if_empty */
    DATASET_DQ_JOIN_MISS,        /* leads with no row in a dataset.ini [join] file */
    DATASET_DQ_COUNT
};

#define DATASET_DQ_EXAMPLES 5

/* Most attribute columns a leads file may have (more is an error naming the
 * header line; a dataset.ini can list the ones to keep). */
#define DATASET_MAX_ATTRS 100000

/* Largest amount taken as a deal's value (a thousand trillion): sums over
 * any number of leads stay finite. */
#define DATASET_MAX_AMOUNT 1e15

typedef struct dataset_dq {
    long count;
    int nexamples;
    char *examples[DATASET_DQ_EXAMPLES]; /* "FILE:LINE: detail" */
} dataset_dq;

/* Short description of a class, e.g. "events for unknown leads (skipped)". */
const char *dataset_dq_label(int cls);

/* An attribute column of the leads file, dictionary-encoded. */
typedef struct dataset_attr {
    char *name;
    strtab values;  /* distinct cell texts (trimmed) */
    uint32_t *code; /* per lead: index into values */
} dataset_attr;

typedef struct dataset {
    char *leads_path, *events_path, *outcomes_path; /* as read; NULL when absent */
    char *ini_path;                                 /* the dataset.ini used, or NULL */
    /* Files whose appearance or change would change this dataset: the
     * dataset.ini that is or would be read, and the events and outcomes
     * files the layout names (whether or not they exist). */
    char *ini_candidate, *events_candidate, *outcomes_candidate;
    void *map;      /* when loaded from the cache: its memory map (arrays point into it) */
    size_t map_len;
    int snapshot;   /* no timestamps at all: every time is 0 */
    int uncached;   /* read files the cache does not watch (dataset.ini joins): never cached */
    int has_events, has_amount;

    size_t nleads;
    strtab ids;        /* lead ids; index = lead index */
    int64_t *created;  /* created_at, microseconds UTC */
    uint8_t *status;   /* DATASET_OPEN/WON/LOST */
    int64_t *closed;   /* closed_at, or TSTAMP_NONE */
    double *amount;    /* amount, or NaN when none */
    int has_sql;       /* an sql_at column was read (SPEC 5.7) */
    int64_t *sql_at;   /* per lead: sql_at, or TSTAMP_NONE (none, or before created_at);
                        * NULL unless has_sql */

    size_t nattrs;
    dataset_attr *attrs;
    /* The won flag's column ([leads] won of a dataset.ini), name NULL when
     * there is none: each lead's cell, and what each distinct cell was
     * read as (stage_status[value]: DATASET_OPEN/WON/LOST). */
    dataset_attr stage;
    uint8_t *stage_status;

    /* Events of lead i are [ev_off[i], ev_off[i+1]), sorted by time. */
    size_t nevents;
    size_t *ev_off;
    int64_t *ev_time;
    uint16_t *ev_type;
    strtab types;      /* event type names; index = type id */

    int64_t max_time;  /* latest timestamp anywhere, TSTAMP_NONE if none */
    long nrows_events, nrows_outcomes;

    dataset_dq dq[DATASET_DQ_COUNT];
} dataset;

/* A dataset with no leads, empty string tables and no timestamp yet, for a
 * loader to fill; NULL when memory runs out. Free it with dataset_free. */
dataset *dataset_alloc(void);
/* Free DS and everything it holds or maps; accepts NULL. */
void dataset_free(dataset *ds);

/* Give back the memory of the event arrays (ev_time, ev_type) once every
 * replay is done, on NTHREADS threads: they are most of a dataset's size
 * and nothing after the replay reads them. Counts and everything else stay. */
void dataset_release_events(dataset *ds, int nthreads);

/* Number of fatal problems recorded (collect_all mode). */
long dataset_fatal_count(const dataset *ds);
/* Index of an attribute column by name, or -1. */
long dataset_attr_find(const dataset *ds, const char *name);

#endif
