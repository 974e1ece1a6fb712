/* drivers.c - per event type, how many won and not-won cohort leads had one.
 *
 * One pass over each cohort lead's counted events, marking the types seen
 * with the lead's index so that each type counts once per lead. Not for
 * scoring (replay.c) nor for writing (the out_*.c writers). */
#include "drivers.h"

#include <stdint.h>
#include <stdlib.h>

#include "cohort.h"

/* By the ratio of the won share to the not-won share, highest first: with
 * the same denominators for every type, won_a / other_a against won_b /
 * other_b, cross-multiplied (a type no not-won lead has comes first). */
static int by_share(const drivers_type *a, const drivers_type *b) {
    double x = (double)a->won_with * (double)b->other_with;
    double y = (double)b->won_with * (double)a->other_with;
    if (x != y) return x > y ? -1 : 1;
    if (a->won_with != b->won_with) return a->won_with > b->won_with ? -1 : 1;
    if (a->other_with != b->other_with) return a->other_with < b->other_with ? -1 : 1;
    return a->type < b->type ? -1 : a->type > b->type;
}

/* Insertion sort: a dataset has tens of event types. */
static void sort_types(drivers *d) {
    for (size_t i = 1; i < d->n; i++) {
        drivers_type x = d->t[i];
        size_t j = i;
        while (j > 0 && by_share(&x, &d->t[j - 1]) < 0) d->t[j] = d->t[j - 1], j--;
        d->t[j] = x;
    }
}

int drivers_run(const dataset *ds, const scenario *sc, const replay *r, drivers **out,
                util_err *err) {
    *out = NULL;
    size_t nt = ds->types.n;
    drivers *d = util_calloc(1, sizeof *d);
    long *won_with = util_calloc(nt ? nt : 1, sizeof *won_with);
    long *other_with = util_calloc(nt ? nt : 1, sizeof *other_with);
    size_t *last = util_calloc(nt ? nt : 1, sizeof *last); /* lead index + 1 that last had it */
    if (!d || !won_with || !other_with || !last) goto oom;
    cohort c;
    cohort_init(&c, ds, sc);
    for (size_t i = 0; i < r->n; i++) {
        size_t li = r->lead[i];
        int64_t cutoff;
        (void)cohort_outcome(&c, li, &cutoff);
        cohort_span sp = cohort_events(ds, li, r->created[i], cutoff);
        if (r->won[i]) d->won++;
        else d->other++;
        for (size_t e = sp.first; e < sp.end; e++) {
            size_t t = ds->ev_type[e];
            if (t >= nt || last[t] == i + 1) continue;
            last[t] = i + 1;
            if (r->won[i]) won_with[t]++;
            else other_with[t]++;
        }
    }
    size_t n = 0;
    for (size_t t = 0; t < nt; t++) n += won_with[t] + other_with[t] > 0;
    if (!(d->t = util_calloc(n ? n : 1, sizeof *d->t))) goto oom;
    for (size_t t = 0; t < nt; t++)
        if (won_with[t] + other_with[t] > 0)
            d->t[d->n++] = (drivers_type){.type = t, .won_with = won_with[t], .other_with = other_with[t]};
    sort_types(d);
    free(won_with);
    free(other_with);
    free(last);
    *out = d;
    return 0;
oom:
    free(won_with);
    free(other_with);
    free(last);
    drivers_free(d);
    return util_enomem(err);
}

void drivers_free(drivers *d) {
    if (!d) return;
    free(d->t);
    free(d);
}
