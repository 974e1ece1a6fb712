/* tstamp.c - parsing, formatting and calendar arithmetic for UTC timestamps.
 *
 * Every timestamp in a dataset goes through tstamp_parse, so it is a
 * hand-written scanner over fixed positions with integer calendar arithmetic
 * (Howard Hinnant's days_from_civil / civil_from_days), instead of sscanf,
 * strptime or timegm, which are locale- and time-zone-aware and an order of
 * magnitude slower. Not for time zones, DST or leap seconds: the data carries
 * explicit offsets or is UTC. */
#include "tstamp.h"

#include <stdio.h>

#define USEC_PER_MIN (60 * TSTAMP_USEC_PER_SEC)
#define USEC_PER_HOUR (3600 * TSTAMP_USEC_PER_SEC)

/* ---------- Calendar arithmetic ---------- */

/* Days from 1970-01-01 to y-m-d. m must be 1..12; d is used linearly, so
 * d outside 1..31 simply moves the result by that many days. */
static int64_t days_from_civil(int64_t y, int m, int64_t d)
{
    y -= m <= 2;
    /* Eras of 400 years start on March 1st, so leap days fall at the end. */
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Floor division of t by one day, so instants before 1970 fall on the day
 * they belong to; *usec gets the non-negative remainder. */
static int64_t split_day(int64_t t, int64_t *usec)
{
    int64_t q = t / TSTAMP_USEC_PER_DAY, r = t % TSTAMP_USEC_PER_DAY;
    if (r < 0) {
        q--;
        r += TSTAMP_USEC_PER_DAY;
    }
    *usec = r;
    return q;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int64_t tstamp_from_civil(int y, int mon, int d, int h, int mi, int sec)
{
    /* Normalise the month with floor semantics so that mon = 0 or 13 carry
     * into the neighbouring years. */
    int64_t yy = y, mm = (int64_t)mon - 1;
    int64_t carry = mm >= 0 ? mm / 12 : -((11 - mm) / 12);
    yy += carry;
    mm -= carry * 12;
    int64_t days = days_from_civil(yy, (int)mm + 1, d);
    return days * TSTAMP_USEC_PER_DAY + (int64_t)h * USEC_PER_HOUR + (int64_t)mi * USEC_PER_MIN
        + (int64_t)sec * TSTAMP_USEC_PER_SEC;
}

/* ---------- Parsing ---------- */

static inline int is_digit(unsigned char c)
{
    return (unsigned)(c - '0') <= 9u;
}

/* Exactly two digits at p (the caller has checked that they are in range). */
static inline int two_digits(const unsigned char *p, int *v)
{
    if (!is_digit(p[0]) || !is_digit(p[1]))
        return -1;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return 0;
}

/* "HH:MM" at p with hour 00-23 and minute 00-59, as used by both the time
 * of day and the offset. */
static int parse_hhmm(const unsigned char *p, int *h, int *mi)
{
    if (two_digits(p, h) || p[2] != ':' || two_digits(p + 3, mi))
        return -1;
    return *h <= 23 && *mi <= 59 ? 0 : -1;
}

int tstamp_parse(const char *s, size_t len, int64_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;

    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t n = (size_t)(end - p);

    /* YYYY-MM-DD */
    if (n < 10 || p[4] != '-' || p[7] != '-')
        return -1;
    int y, mon, d;
    {
        int hi, lo;
        if (two_digits(p, &hi) || two_digits(p + 2, &lo))
            return -1;
        y = hi * 100 + lo;
    }
    if (two_digits(p + 5, &mon) || two_digits(p + 8, &d))
        return -1;
    if (y < 1 || mon < 1 || mon > 12 || d < 1 || d > days_in_month(y, mon))
        return -1;
    int64_t t = days_from_civil(y, mon, d) * TSTAMP_USEC_PER_DAY;
    if (n == 10) {
        *out = t;
        return 0;
    }

    /* [ T]HH:MM */
    p += 10;
    if (n < 16 || (*p != ' ' && *p != 'T'))
        return -1;
    int h, mi;
    if (parse_hhmm(p + 1, &h, &mi))
        return -1;
    t += h * USEC_PER_HOUR + mi * USEC_PER_MIN;
    p += 6;

    /* [:SS[.fraction]] */
    if (p < end && *p == ':') {
        int sec;
        if (end - p < 3 || two_digits(p + 1, &sec) || sec > 59)
            return -1;
        t += sec * TSTAMP_USEC_PER_SEC;
        p += 3;
        if (p < end && *p == '.') {
            p++;
            if (p == end || !is_digit(*p))
                return -1;
            int64_t frac = 0;
            int ndig = 0;
            for (; p < end && is_digit(*p); p++) {
                if (ndig < 6) {
                    frac = frac * 10 + (*p - '0');
                    ndig++;
                }
            }
            for (; ndig < 6; ndig++)
                frac *= 10;
            t += frac;
        }
    }

    /* [Z|+HH:MM|-HH:MM] */
    if (p < end) {
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (end - p < 6 || parse_hhmm(p + 1, &oh, &om))
                return -1;
            int64_t off = oh * USEC_PER_HOUR + om * USEC_PER_MIN;
            t += *p == '+' ? -off : off;
            p += 6;
        } else {
            return -1;
        }
    }
    if (p != end)
        return -1;
    *out = t;
    return 0;
}

/* ---------- Formatting and weeks ---------- */

void tstamp_format(int64_t t, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (t == TSTAMP_NONE) {
        buf[0] = '\0';
        return;
    }
    int64_t usec, y;
    int m, d;
    civil_from_days(split_day(t, &usec), &y, &m, &d);
    int64_t secs = usec / TSTAMP_USEC_PER_SEC, frac = usec % TSTAMP_USEC_PER_SEC;
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), sec = (int)(secs % 60);
    if (frac)
        snprintf(buf, n, "%04lld-%02d-%02d %02d:%02d:%02d.%06lld", (long long)y, m, d, h, mi,
                 sec, (long long)frac);
    else
        snprintf(buf, n, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y, m, d, h, mi, sec);
}

void tstamp_format_date(int64_t t, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (t == TSTAMP_NONE) {
        buf[0] = '\0';
        return;
    }
    int64_t usec, y;
    int m, d;
    civil_from_days(split_day(t, &usec), &y, &m, &d);
    snprintf(buf, n, "%04lld-%02d-%02d", (long long)y, m, d);
}

int64_t tstamp_week_start(int64_t t)
{
    if (t == TSTAMP_NONE)
        return TSTAMP_NONE;
    int64_t usec;
    int64_t days = split_day(t, &usec);
    /* Day 0 (1970-01-01) was a Thursday: 3 days after a Monday. */
    int64_t wd = (days + 3) % 7;
    if (wd < 0)
        wd += 7;
    days -= wd;
    if (days < INT64_MIN / TSTAMP_USEC_PER_DAY)
        return TSTAMP_NONE;
    return days * TSTAMP_USEC_PER_DAY;
}
