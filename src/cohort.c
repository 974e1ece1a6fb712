/* cohort.c - who is in the cohort (SPEC 5.1): the observation window of a scenario on a dataset.
 *
 * The per-lead rules (the cutoff, the counted events) are inline in
 * cohort.h; this file holds the window and the selection of the leads in
 * it. */
#include "cohort.h"

#include <math.h>
#include <string.h>

void cohort_init(cohort *c, const dataset *ds, const scenario *sc) {
    memset(c, 0, sizeof *c);
    c->ds = ds;
    c->timed = !ds->snapshot;
    c->until = sc->has_until ? sc->until : ds->max_time;
    if (c->until == TSTAMP_NONE) c->until = 0; /* no timestamp anywhere: nothing to end */
    c->has_from = sc->has_from;
    c->has_to = sc->has_to;
    c->from = sc->from;
    c->to = sc->to;
    c->mature_by = INT64_MAX;
    if (sc->has_maturity)
        c->mature_by = c->until - llround(sc->maturity_days * (double)TSTAMP_USEC_PER_DAY);
    c->window_ignored = ds->snapshot &&
                        (sc->has_from || sc->has_to || sc->has_until || sc->has_maturity);
}

int cohort_has(const cohort *c, size_t li) {
    if (!c->timed) return 1;
    int64_t t = c->ds->created[li];
    if (c->has_from && t < c->from) return 0;
    if (c->has_to && t >= c->to) return 0;
    return t <= c->mature_by;
}

size_t cohort_select(const cohort *c, uint32_t *lead) {
    size_t n = 0;
    for (size_t i = 0; i < c->ds->nleads; i++)
        if (cohort_has(c, i)) lead[n++] = (uint32_t)i;
    return n;
}
