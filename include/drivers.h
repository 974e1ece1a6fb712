/* drivers.h - which behaviours go with wins: per event type, the share of won and of not-won cohort leads that had it.
 *
 * For each event type of the dataset, how many of the replay's won cohort
 * leads, and how many of its not-won ones, had at least one counted event
 * of that type (counted as cohort.h says: created_at <= time < cutoff).
 * A reader compares the two shares to see which behaviours come before a
 * win; nothing here is a model or a test of significance.
 *
 * Must run before dataset_release_events: it reads the event columns. */
#ifndef LEADSIM_DRIVERS_H
#define LEADSIM_DRIVERS_H

#include <stddef.h>

#include "dataset.h"
#include "replay.h"
#include "scenario.h"
#include "util.h"

typedef struct drivers_type {
    size_t type;        /* event type id of the dataset (ds->types) */
    long won_with;      /* won cohort leads with at least one counted event of it */
    long other_with;    /* not-won cohort leads with at least one */
} drivers_type;

typedef struct drivers {
    drivers_type *t;    /* one per event type that some cohort lead has; by the ratio of
                         * won share to not-won share, highest first, then type id */
    size_t n;
    long won, other;    /* won and not-won cohort leads */
} drivers;

/* Count, over replay R of scenario SC on DS, the leads having each event
 * type. Returns 0, or -1 with err (memory). Time O(counted events + types
 * log types); memory O(types). */
int drivers_run(const dataset *ds, const scenario *sc, const replay *r, drivers **out,
                util_err *err);
void drivers_free(drivers *d);

#endif
