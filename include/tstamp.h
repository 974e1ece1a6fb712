/* tstamp.h - timestamps as int64 microseconds since 1970-01-01T00:00:00Z.
 *
 * Parsing of the timestamp forms accepted in datasets (SPEC section 3),
 * conversion from civil dates, formatting, and ISO week starts. Everything is
 * UTC on the proleptic Gregorian calendar; there are no time zones beyond the
 * fixed offsets written in the input, and no leap seconds. Parsing is written
 * for speed (tens of millions of calls per run): no libc time functions. */
#ifndef LEADSIM_TSTAMP_H
#define LEADSIM_TSTAMP_H

#include <stddef.h>
#include <stdint.h>

#define TSTAMP_NONE INT64_MIN /* "no timestamp" */
#define TSTAMP_USEC_PER_SEC INT64_C(1000000)
#define TSTAMP_USEC_PER_DAY INT64_C(86400000000)
/* Every timestamp tstamp_parse returns lies in [TSTAMP_PARSE_MIN,
 * TSTAMP_PARSE_MAX]: 0001-01-01 and 10000-01-01 (days -719162 and 2932897
 * from 1970-01-01), widened by a day for the offsets. */
#define TSTAMP_PARSE_MIN (INT64_C(-719163) * TSTAMP_USEC_PER_DAY)
#define TSTAMP_PARSE_MAX (INT64_C(2932898) * TSTAMP_USEC_PER_DAY)

/* Parse s[0..len) (need not be NUL-terminated) into *out. Accepted, after
 * ignoring leading and trailing spaces and tabs:
 *   YYYY-MM-DD                      (00:00:00 UTC of that date)
 *   YYYY-MM-DD{ |T}HH:MM
 *   YYYY-MM-DD{ |T}HH:MM:SS[.f...]  (1 or more digits; beyond 6 truncated)
 * and after any of the timed forms an optional "Z" or "+HH:MM" / "-HH:MM",
 * which is subtracted to give UTC. Fields are validated strictly (year
 * 0001-9999, real calendar days, hour 00-23, minute and second 00-59).
 * Returns 0, or -1 (and *out untouched) when s is not a valid timestamp.
 * O(len), no allocation. */
int tstamp_parse(const char *s, size_t len, int64_t *out);

/* The UTC timestamp of a civil date and time. No validation: fields out of
 * their usual range carry over, so month 13 is January of the next year,
 * day 0 is the last day of the previous month and hour 24 is the next day
 * (handy for "N months later"). Cannot fail for years within +-200000. */
int64_t tstamp_from_civil(int y, int mon, int d, int h, int mi, int sec);

/* Write t as "YYYY-MM-DD HH:MM:SS", followed by ".ffffff" only when t is not
 * a whole second, into buf of n bytes (always NUL-terminated when n > 0;
 * 27 bytes are enough for years 0-9999). TSTAMP_NONE is written as "". */
void tstamp_format(int64_t t, char *buf, size_t n);

/* Write the UTC date of t as "YYYY-MM-DD" (11 bytes are enough for years
 * 0-9999). TSTAMP_NONE is written as "". */
void tstamp_format_date(int64_t t, char *buf, size_t n);

/* Monday 00:00:00 UTC of the ISO week containing t (the latest Monday
 * midnight <= t, correct before 1970 too). TSTAMP_NONE, or a t so far in the
 * past that its week start is not representable, gives TSTAMP_NONE. */
int64_t tstamp_week_start(int64_t t);

#endif
