/* leaks.h - attribute values that give the outcome away: a field filled in after contact (a loss reason, a deal owner set on won deals only).
 *
 * A value is flagged when at least LEAKS_MIN_LEADS leads have it and their
 * won rate is within 1% of 0 or of 1, while the won rate of all the leads
 * looked at lies between 5% and 95% (a dataset that is almost all won or
 * all lost makes every value look like that). Such a value is no accident
 * at that support: scoring it would make the definition look far better on
 * history than it can be on new leads, whose field is still empty. An
 * empty cell is a value too ("(empty)"): a field filled in only for lost
 * deals leaves it empty on every won one. Numbers only; out_scn.c and
 * cmd_check.c say it in words. */
#ifndef LEADSIM_LEAKS_H
#define LEADSIM_LEAKS_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "util.h"

#define LEAKS_MIN_LEADS 50
#define LEAKS_MAX_SHOWN 10

typedef struct leaks_item {
    size_t attr;     /* index into ds->attrs */
    uint32_t value;  /* code in that attribute's values */
    long leads, won;
} leaks_item;

typedef struct leaks {
    long leads, won;  /* of the leads looked at (won: 0 when fewer than LEAKS_MIN_LEADS) */
    size_t n;         /* items found (at most LEAKS_MAX_SHOWN are kept) */
    leaks_item item[LEAKS_MAX_SHOWN];
} leaks;

/* The flagged values of DS over N leads: LEAD[i] the dataset index of each
 * (NULL: leads 0 .. N-1), WON[i] whether it is won. Items in attribute
 * then value order; OUT->n counts them all. Returns 0, or -1 (memory).
 * Time O(N * attributes + values). */
int leaks_find(const dataset *ds, const uint32_t *lead, const uint8_t *won, size_t n, leaks *out,
               util_err *err);

#endif
