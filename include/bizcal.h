/* bizcal.h - business time: opening hours in a fixed local offset, holidays, follow-up slots.
 *
 * The calendar of SPEC 5.5 and 5.11. Business hours are [open, close) of
 * local time, local = UTC + a fixed offset (no daylight saving), Monday to
 * Friday, except holidays (local dates). On it:
 *   - bizcal_length(a, b), B(a, b) of the SPEC: the part of [a, b) inside
 *     business hours, in O(log holidays);
 *   - the follow-up slots: C a business day, slot k of a day at
 *     open + k * H / C local time exactly (H the length of the business
 *     day), from a first slot day on without end.
 *
 * Instants are int64 microseconds UTC (tstamp.h); days are day numbers,
 * days since 1970-01-01 of the local calendar (day d of local time starts at
 * UTC instant d * TSTAMP_USEC_PER_DAY - offset).
 *
 * Exactness: H is a whole number of microseconds (minutes in the scenario),
 * but H / C need not be, so a slot instant is held as a fraction with
 * denominator C: us + rem / C microseconds, 0 <= rem < C. Every comparison
 * of a slot with an instant and every length to a slot is computed from
 * that fraction in integers (128-bit where k * H or (t - open) * C can pass
 * 2^63), so no rounding ever moves a slot across an instant or a week
 * boundary. Only the final length in hours is rounded, once (see
 * bizcal_slot_wait_hours).
 *
 * Not for: parsing the scenario (scenario.c; the date-list parsers here are
 * what it reads the dates with), the queue itself (queue.c), time zones
 * with DST. */
#ifndef LEADSIM_BIZCAL_H
#define LEADSIM_BIZCAL_H

#include <stddef.h>
#include <stdint.h>

#include "tstamp.h"
#include "util.h"

#define BIZCAL_USEC_PER_HOUR (INT64_C(3600) * TSTAMP_USEC_PER_SEC)

/* The calendar. Read-only once made; any number of threads may share one. */
typedef struct bizcal {
    int64_t open_us, close_us; /* local time of day, 0 <= open < close <= 24:00 */
    int64_t day_us;            /* H = close - open */
    int64_t offset_us;         /* local = UTC + offset */
    int64_t *hol;              /* holidays on Monday..Friday, sorted, distinct (local days) */
    size_t nhol;
} bizcal;

/* Make a calendar: business hours [open_min, close_min) in minutes after
 * local midnight (0 <= open_min < close_min <= 1440), offset_min minutes
 * east of UTC (|offset_min| <= 1440), and holidays as local day numbers in
 * any order, repeats and weekend dates allowed (they change nothing).
 * Returns 0 and *out, or -1 with err (UTIL_EDATA for values out of range,
 * UTIL_EINTERNAL when memory runs out). O(h log h). */
int bizcal_alloc(int open_min, int close_min, int offset_min, const int64_t *holidays,
                 size_t nholidays, bizcal **out, util_err *err);
void bizcal_free(bizcal *bc);

/* The local day number of UTC instant t. */
int64_t bizcal_local_day(const bizcal *bc, int64_t t);

/* Nonzero when local day `day` is Monday..Friday and not a holiday. O(log h). */
int bizcal_is_business_day(const bizcal *bc, int64_t day);

/* The first business day >= day. O(log h + the holidays skipped). */
int64_t bizcal_next_business_day(const bizcal *bc, int64_t day);

/* Business days in [a, b) (0 when b <= a). O(log h). */
int64_t bizcal_business_days(const bizcal *bc, int64_t a, int64_t b);

/* B(a, b) of SPEC 5.5: microseconds of [a, b) inside business hours, for
 * UTC instants a <= b (0 when b <= a). Exact; O(log h). */
int64_t bizcal_length(const bizcal *bc, int64_t a, int64_t b);

/* B(a, b) in hours: bizcal_length / 3600e6, correctly rounded. */
double bizcal_hours(const bizcal *bc, int64_t a, int64_t b);

/* ---------- Follow-up slots ---------- */

/* One slot: slot k of local business day `day`, at UTC instant
 * us + rem / per_day microseconds (0 <= rem < per_day). */
typedef struct bizcal_slot {
    int64_t day, k;
    int64_t us, rem;
} bizcal_slot;

/* The slots of one queue: per_day of them each business day, from
 * first_day (a business day) on. A plain value; refers to bc. */
typedef struct bizcal_plan {
    const bizcal *bc;
    int64_t per_day;   /* C = reps * followups_per_rep_per_day, >= 1 */
    int64_t first_day; /* the first slot day */
} bizcal_plan;

/* The plan of a queue whose earliest hand-off is at t0 (SPEC 5.11): the
 * first slot day is t0's local date if it is a business day, else the next
 * business day, taken whole (its slots before t0 exist, and count in their
 * week). per_day must be >= 1. */
bizcal_plan bizcal_plan_make(const bizcal *bc, int64_t per_day, int64_t t0);

/* Slot k (0 <= k < per_day) of business day `day`. O(1). */
bizcal_slot bizcal_slot_of(const bizcal_plan *p, int64_t day, int64_t k);

/* Slot comparisons with an instant t, exact. */
static inline int bizcal_slot_at_or_after(const bizcal_slot *s, int64_t t)
{
    return s->us >= t;
}
static inline int bizcal_slot_after(const bizcal_slot *s, int64_t t)
{
    return s->us > t || (s->us == t && s->rem > 0);
}

/* The earliest slot of the plan at or after t (never before the first slot
 * day). O(log h + the holidays skipped). */
bizcal_slot bizcal_slot_first_at_or_after(const bizcal_plan *p, int64_t t);

/* Number of slots of the plan before instant x (x exclusive), counted from
 * the first slot day: the slots of a week [w, w + 7 days) are
 * before(w + 7 days) - before(w). O(log h). */
int64_t bizcal_slots_before(const bizcal_plan *p, int64_t x);

/* B(t, slot) in hours, for t <= the slot's instant: the exact length
 * (a fraction with denominator per_day) rounded once to the nearest double
 * (correctly rounded whenever numerator and denominator stay below 2^53,
 * which holds for any wait under about 285 years / per_day; above that it
 * is within one unit in the last place). O(log h). */
double bizcal_slot_wait_hours(const bizcal_plan *p, int64_t t, const bizcal_slot *s);

/* A cursor over the slots of a plan, in time order, without end. It only
 * moves forward; all its steps together cost O(days crossed + holidays
 * crossed), so a queue walks its slots in time linear in its length. */
typedef struct bizcal_cursor {
    const bizcal_plan *p;
    bizcal_slot cur; /* the slot the cursor is on */
    size_t hidx;     /* first holiday >= cur.day */
} bizcal_cursor;

/* Put c on the first slot of p (slot 0 of the first slot day). */
void bizcal_cursor_init(bizcal_cursor *c, const bizcal_plan *p);
/* Move to the next slot. */
void bizcal_cursor_next(bizcal_cursor *c);
/* Move to the earliest slot at or after t, unless the current one already
 * is at or after t (then stay). */
void bizcal_cursor_seek(bizcal_cursor *c, int64_t t);

/* ---------- Date lists ---------- */

/* Parse one date "YYYY-MM-DD" (blanks around it allowed; a real calendar
 * date of years 0001-9999) of s[0..n) into a day number. Returns 0, or -1. */
int bizcal_parse_date(const char *s, size_t n, int64_t *day);

/* Parse "2025-12-25, 2026-01-01" (the value of `holidays`; items separated
 * by commas, blanks around them allowed, no empty item) and append the day
 * numbers to *days (a growable array of *cap). Returns 0; -1 with a short
 * reason in why (quoting the bad item) when an item is not a date or the
 * list is empty or has an empty item; -2 when memory runs out. */
int bizcal_parse_list(const char *text, int64_t **days, size_t *n, size_t *cap, char *why,
                      size_t nwhy);

/* Parse the text of a holidays file, s[0..len) (need not be NUL-terminated;
 * may hold NUL bytes): one YYYY-MM-DD a line, lines ending in LF or CRLF,
 * `#` starts a comment, blank lines skipped. Appends to *days like
 * bizcal_parse_list. Returns 0; -1 with the 1-based line number in *line
 * and a reason in why; -2 when memory runs out. */
int bizcal_parse_lines(const char *s, size_t len, int64_t **days, size_t *n, size_t *cap,
                       long *line, char *why, size_t nwhy);

/* Sort days[0..*n) and drop repeats. */
void bizcal_sort_days(int64_t *days, size_t *n);

#endif
