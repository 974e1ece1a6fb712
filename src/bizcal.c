/* bizcal.c - business time: opening hours in a fixed local offset, holidays, follow-up slots.
 *
 * Everything is counted from one function, the business microseconds
 * before an instant: G(t) = H * (business days before t's local day) + the
 * part of t's own day already open. B(a, b) = G(b) - G(a). Business days
 * before a day are weekdays before it (arithmetic on weeks) minus the
 * weekday holidays before it (a binary search in the sorted holiday array),
 * so every length costs O(log h) whatever the distance.
 *
 * A slot's offset in its day, k * H / C, is kept as the exact fraction
 * q + r / C (see bizcal.h); products that can pass 2^63 (k * H, (t - open)
 * * C with C up to 10^12) are formed in unsigned/signed 128-bit integers.
 *
 * Not for: the queue (queue.c) or reading scenario files (scenario.c). */
#include "bizcal.h"

#include <stdlib.h>
#include <string.h>

#define DAY TSTAMP_USEC_PER_DAY
#define USEC_PER_MIN (INT64_C(60) * TSTAMP_USEC_PER_SEC)

typedef __int128 i128;

/* ---------- Days and weekdays ---------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 0 = Monday .. 6 = Sunday. Day 0 (1970-01-01) was a Thursday. */
static int weekday(int64_t day)
{
    int64_t r = (day + 3) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

/* Weekdays in [origin, day), origin the Monday 1969-12-29; only
 * differences of it mean anything. */
static int64_t weekdays_before(int64_t day)
{
    int64_t x = day + 3;
    int64_t w = floor_div(x, 7);
    int64_t r = x - 7 * w;
    return 5 * w + (r < 5 ? r : 5);
}

/* Index of the first holiday >= day. */
static size_t hol_lower(const bizcal *bc, int64_t day)
{
    size_t lo = 0, hi = bc->nhol;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bc->hol[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Business days in [origin, day): only differences of it mean anything. */
static int64_t bdays_before(const bizcal *bc, int64_t day)
{
    return weekdays_before(day) - (int64_t)hol_lower(bc, day);
}

int64_t bizcal_local_day(const bizcal *bc, int64_t t)
{
    return floor_div(t + bc->offset_us, DAY);
}

int bizcal_is_business_day(const bizcal *bc, int64_t day)
{
    if (weekday(day) >= 5)
        return 0;
    size_t i = hol_lower(bc, day);
    return !(i < bc->nhol && bc->hol[i] == day);
}

int64_t bizcal_next_business_day(const bizcal *bc, int64_t day)
{
    size_t i = hol_lower(bc, day);
    for (;;) {
        int wd = weekday(day);
        if (wd >= 5) {
            day += 7 - wd;
            continue;
        }
        while (i < bc->nhol && bc->hol[i] < day)
            i++;
        if (i < bc->nhol && bc->hol[i] == day) {
            day++;
            continue;
        }
        return day;
    }
}

int64_t bizcal_business_days(const bizcal *bc, int64_t a, int64_t b)
{
    return b <= a ? 0 : bdays_before(bc, b) - bdays_before(bc, a);
}

/* ---------- Lengths ---------- */

/* UTC instant of local day `day`'s opening. */
static int64_t open_at(const bizcal *bc, int64_t day)
{
    return day * DAY + bc->open_us - bc->offset_us;
}

/* G(t): business microseconds in [origin, t). */
static int64_t business_before(const bizcal *bc, int64_t t)
{
    int64_t day = bizcal_local_day(bc, t);
    int64_t g = bc->day_us * bdays_before(bc, day);
    if (bizcal_is_business_day(bc, day)) {
        int64_t part = t - open_at(bc, day);
        if (part > bc->day_us)
            part = bc->day_us;
        if (part > 0)
            g += part;
    }
    return g;
}

int64_t bizcal_length(const bizcal *bc, int64_t a, int64_t b)
{
    return b <= a ? 0 : business_before(bc, b) - business_before(bc, a);
}

double bizcal_hours(const bizcal *bc, int64_t a, int64_t b)
{
    /* Both operands are exact doubles (below 2^53), so one division rounds
     * correctly. */
    return (double)bizcal_length(bc, a, b) / (double)BIZCAL_USEC_PER_HOUR;
}

/* ---------- Making and freeing ---------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void bizcal_sort_days(int64_t *days, size_t *n)
{
    if (*n == 0)
        return;
    qsort(days, *n, sizeof *days, cmp_i64);
    size_t m = 1;
    for (size_t i = 1; i < *n; i++)
        if (days[i] != days[m - 1])
            days[m++] = days[i];
    *n = m;
}

int bizcal_alloc(int open_min, int close_min, int offset_min, const int64_t *holidays,
                 size_t nholidays, bizcal **out, util_err *err)
{
    if (!(open_min >= 0 && open_min < close_min && close_min <= 1440))
        return util_errf(err, UTIL_EDATA, "business hours %d-%d minutes: need 0 <= open < close <= 24:00",
                         open_min, close_min);
    if (offset_min < -1440 || offset_min > 1440)
        return util_errf(err, UTIL_EDATA, "utc offset of %d minutes is beyond a day", offset_min);
    bizcal *bc = util_calloc(1, sizeof *bc);
    if (!bc)
        return util_enomem(err);
    bc->open_us = open_min * USEC_PER_MIN;
    bc->close_us = close_min * USEC_PER_MIN;
    bc->day_us = bc->close_us - bc->open_us;
    bc->offset_us = offset_min * USEC_PER_MIN;
    if (nholidays) {
        bc->hol = util_reallocarray(NULL, nholidays, sizeof *bc->hol);
        if (!bc->hol) {
            free(bc);
            return util_enomem(err);
        }
        /* Weekend holidays change nothing: keeping only weekday ones makes
         * "business days before" a plain count. */
        for (size_t i = 0; i < nholidays; i++)
            if (weekday(holidays[i]) < 5)
                bc->hol[bc->nhol++] = holidays[i];
        bizcal_sort_days(bc->hol, &bc->nhol);
    }
    *out = bc;
    return 0;
}

void bizcal_free(bizcal *bc)
{
    if (!bc)
        return;
    free(bc->hol);
    free(bc);
}

/* ---------- Slots ---------- */

bizcal_plan bizcal_plan_make(const bizcal *bc, int64_t per_day, int64_t t0)
{
    bizcal_plan p = {bc, per_day, bizcal_next_business_day(bc, bizcal_local_day(bc, t0))};
    return p;
}

bizcal_slot bizcal_slot_of(const bizcal_plan *p, int64_t day, int64_t k)
{
    i128 prod = (i128)k * p->bc->day_us;
    bizcal_slot s = {day, k, open_at(p->bc, day) + (int64_t)(prod / p->per_day),
                     (int64_t)(prod % p->per_day)};
    return s;
}

/* The smallest k with open + k * H / C >= t on the day opening at base (may
 * be per_day or more: none left that day). */
static int64_t first_k(const bizcal_plan *p, int64_t base, int64_t t)
{
    if (t <= base)
        return 0;
    i128 num = (i128)(t - base) * p->per_day;
    i128 h = p->bc->day_us;
    i128 k = (num + h - 1) / h;
    return k > p->per_day ? p->per_day : (int64_t)k;
}

bizcal_slot bizcal_slot_first_at_or_after(const bizcal_plan *p, int64_t t)
{
    int64_t day = bizcal_local_day(p->bc, t);
    if (day < p->first_day)
        return bizcal_slot_of(p, p->first_day, 0);
    if (bizcal_is_business_day(p->bc, day)) {
        int64_t k = first_k(p, open_at(p->bc, day), t);
        if (k < p->per_day)
            return bizcal_slot_of(p, day, k);
    }
    return bizcal_slot_of(p, bizcal_next_business_day(p->bc, day + 1), 0);
}

int64_t bizcal_slots_before(const bizcal_plan *p, int64_t x)
{
    int64_t day = bizcal_local_day(p->bc, x);
    if (day < p->first_day)
        return 0;
    int64_t n = bizcal_business_days(p->bc, p->first_day, day) * p->per_day;
    /* Slots k of x's own day with open + k * H / C < x: k < first_k. */
    if (bizcal_is_business_day(p->bc, day))
        n += first_k(p, open_at(p->bc, day), x);
    return n;
}

double bizcal_slot_wait_hours(const bizcal_plan *p, int64_t t, const bizcal_slot *s)
{
    const bizcal *bc = p->bc;
    /* G(slot) = H * bdays_before(day) + (us - open) + rem / C, exactly. */
    int64_t whole = bc->day_us * bdays_before(bc, s->day) + (s->us - open_at(bc, s->day))
        - business_before(bc, t);
    if (s->rem == 0)
        return (double)whole / (double)BIZCAL_USEC_PER_HOUR;
    i128 num = (i128)whole * p->per_day + s->rem;
    i128 den = (i128)p->per_day * BIZCAL_USEC_PER_HOUR;
    const i128 exact = (i128)1 << 53;
    if (num < exact && num > -exact && den < exact)
        return (double)num / (double)den;
    return (double)((long double)num / (long double)den);
}

/* ---------- The cursor ---------- */

/* The first business day >= day, moving the cursor's holiday index along
 * (it only moves forward, so a walk costs the holidays it crosses). */
static int64_t cursor_business_day(bizcal_cursor *c, int64_t day)
{
    const bizcal *bc = c->p->bc;
    for (;;) {
        int wd = weekday(day);
        if (wd >= 5) {
            day += 7 - wd;
            continue;
        }
        while (c->hidx < bc->nhol && bc->hol[c->hidx] < day)
            c->hidx++;
        if (c->hidx < bc->nhol && bc->hol[c->hidx] == day) {
            day++;
            continue;
        }
        return day;
    }
}

void bizcal_cursor_init(bizcal_cursor *c, const bizcal_plan *p)
{
    c->p = p;
    c->hidx = hol_lower(p->bc, p->first_day);
    c->cur = bizcal_slot_of(p, p->first_day, 0);
}

void bizcal_cursor_next(bizcal_cursor *c)
{
    if (c->cur.k + 1 < c->p->per_day)
        c->cur = bizcal_slot_of(c->p, c->cur.day, c->cur.k + 1);
    else
        c->cur = bizcal_slot_of(c->p, cursor_business_day(c, c->cur.day + 1), 0);
}

void bizcal_cursor_seek(bizcal_cursor *c, int64_t t)
{
    if (bizcal_slot_at_or_after(&c->cur, t))
        return;
    /* The current slot is before t, so t's local day is the slot's or later. */
    const bizcal_plan *p = c->p;
    int64_t day = bizcal_local_day(p->bc, t);
    int64_t k = 0;
    if (day > c->cur.day) {
        int64_t bday = cursor_business_day(c, day);
        if (bday == day)
            k = first_k(p, open_at(p->bc, day), t);
        day = bday;
    } else {
        k = first_k(p, open_at(p->bc, day), t);
    }
    if (k >= p->per_day) {
        day = cursor_business_day(c, day + 1);
        k = 0;
    }
    c->cur = bizcal_slot_of(p, day, k);
}

/* ---------- Date lists ---------- */

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

int bizcal_parse_date(const char *s, size_t n, int64_t *day)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    int64_t t;
    /* Exactly ten characters: tstamp_parse then accepts only YYYY-MM-DD of
     * a real date, and its result is that date's midnight. */
    if (n != 10 || memchr(s, '\0', n) || tstamp_parse(s, n, &t) < 0)
        return -1;
    *day = t / DAY;
    return 0;
}

static int push_day(int64_t **days, size_t *n, size_t *cap, int64_t d)
{
    if (util_grow((void **)days, cap, *n + 1, sizeof **days) < 0)
        return -1;
    (*days)[(*n)++] = d;
    return 0;
}

/* "'TEXT' is not a date (YYYY-MM-DD)", quoting at most 40 bytes of s[0..n)
 * trimmed, with bytes that are not printable ASCII shown as '?'. */
static void not_a_date(const char *s, size_t n, char *why, size_t nwhy)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    char q[44];
    size_t m = n < 40 ? n : 40;
    for (size_t i = 0; i < m; i++)
        q[i] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
    q[m] = '\0';
    snprintf(why, nwhy, "'%s%s' is not a date (YYYY-MM-DD)", q, n > m ? "..." : "");
}

int bizcal_parse_list(const char *text, int64_t **days, size_t *n, size_t *cap, char *why,
                      size_t nwhy)
{
    const char *p = text;
    size_t items = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        size_t a = 0, b = len;
        while (a < b && is_blank(p[a]))
            a++;
        while (b > a && is_blank(p[b - 1]))
            b--;
        if (a == b) {
            if (comma || items) {
                snprintf(why, nwhy, "empty item in the list");
                return -1;
            }
            snprintf(why, nwhy, "a date is required (YYYY-MM-DD)");
            return -1;
        }
        int64_t d;
        if (bizcal_parse_date(p + a, b - a, &d) < 0) {
            not_a_date(p + a, b - a, why, nwhy);
            return -1;
        }
        if (push_day(days, n, cap, d) < 0) {
            snprintf(why, nwhy, "out of memory");
            return -2;
        }
        items++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int bizcal_parse_lines(const char *s, size_t len, int64_t **days, size_t *n, size_t *cap,
                       long *line, char *why, size_t nwhy)
{
    size_t i = 0;
    for (long ln = 1; i < len; ln++) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t e = end;
        if (e > i && s[e - 1] == '\r')
            e--;
        const char *hash = memchr(s + i, '#', e - i);
        if (hash)
            e = (size_t)(hash - s);
        size_t a = i;
        while (a < e && is_blank(s[a]))
            a++;
        while (e > a && is_blank(s[e - 1]))
            e--;
        if (e > a) {
            int64_t d;
            if (bizcal_parse_date(s + a, e - a, &d) < 0) {
                *line = ln;
                not_a_date(s + a, e - a, why, nwhy);
                return -1;
            }
            if (push_day(days, n, cap, d) < 0) {
                *line = ln;
                snprintf(why, nwhy, "out of memory");
                return -2;
            }
        }
        i = end + 1;
    }
    return 0;
}
