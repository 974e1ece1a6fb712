/* fuzz_holidays.c - libFuzzer harness for the holiday date parsers (bizcal_parse_list, bizcal_parse_lines).
 *
 * The input is given to both parsers: as the value of `holidays =` (a C
 * string; skipped when it holds a NUL byte, which no INI line can carry)
 * and as the bytes of a holidays_file.
 *
 * Asserts, besides no crash, no leak and no sanitizer report:
 * - a rejected input has a reason (and, for a file, a line number within
 *   the input's lines), and parsing it again gives the same answer;
 * - every accepted day is a real date of the years 0001-9999: written back
 *   as YYYY-MM-DD it parses to the same day;
 * - after bizcal_sort_days the days strictly increase and none is lost;
 * - a calendar made from them closes on each of them, and the business
 *   days over their whole span are the weekdays minus the weekday holidays. */
#include "fuzz_common.h"

#include "bizcal.h"

/* Weekday of a day number, 0 = Monday (1970-01-01 was a Thursday). */
static int weekday(int64_t day) {
    int64_t r = (day + 3) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

static void check_days(int64_t *days, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        tstamp_format_date(days[i] * TSTAMP_USEC_PER_DAY, buf, sizeof buf);
        int64_t again;
        if (bizcal_parse_date(buf, strlen(buf), &again) != 0 || again != days[i])
            fz_fail("day %lld written as '%s' does not read back", (long long)days[i], buf);
    }
    size_t m = n;
    bizcal_sort_days(days, &m);
    if (n && !m) fz_fail("sorting lost every day");
    for (size_t i = 1; i < m; i++)
        if (days[i] <= days[i - 1]) fz_fail("days not strictly increasing after sorting");
    bizcal *bc = NULL;
    util_err err = {0, ""};
    if (bizcal_alloc(9 * 60, 17 * 60, 0, days, m, &bc, &err) != 0) fz_fail("bizcal_alloc: %s", err.msg);
    long weekdays_hol = 0;
    for (size_t i = 0; i < m; i++) {
        if (bizcal_is_business_day(bc, days[i])) fz_fail("a holiday is a business day");
        weekdays_hol += weekday(days[i]) < 5;
    }
    if (m) {
        /* Weekdays in [a, b) counted one day at a time, over at most a few
         * years so that a huge span stays fast. */
        int64_t a = days[0], b = days[m - 1] + 1;
        if (b - a <= 4000) {
            long wd = 0;
            for (int64_t d = a; d < b; d++) wd += weekday(d) < 5;
            if (bizcal_business_days(bc, a, b) != wd - weekdays_hol)
                fz_fail("business days over the span: %lld, expected %ld",
                        (long long)bizcal_business_days(bc, a, b), wd - weekdays_hol);
        }
    }
    bizcal_free(bc);
}

static void run_list(const uint8_t *data, size_t size) {
    char *text = fz_cstr(data, size);
    if (!text) return;
    int64_t *days = NULL, *again = NULL;
    size_t n = 0, cap = 0, n2 = 0, cap2 = 0;
    char why[160] = "", why2[160] = "";
    int rc = bizcal_parse_list(text, &days, &n, &cap, why, sizeof why);
    int rc2 = bizcal_parse_list(text, &again, &n2, &cap2, why2, sizeof why2);
    if (rc != rc2 || strcmp(why, why2) != 0) fz_fail("two parses of one list differ");
    if (rc != 0) {
        if (rc != -1) fz_fail("bizcal_parse_list returned %d", rc);
        if (!why[0]) fz_fail("list rejected without a reason");
    } else {
        if (n == 0) fz_fail("list accepted without a date");
        if (n != n2 || memcmp(days, again, n * sizeof *days) != 0) fz_fail("two parses differ");
        check_days(days, n);
    }
    free(days);
    free(again);
    free(text);
}

static void run_lines(const uint8_t *data, size_t size) {
    /* A copy of exactly its size, so that ASan sees any read past the end. */
    char *s = malloc(size ? size : 1);
    if (!s) fz_fail("out of memory");
    if (size) memcpy(s, data, size);
    int64_t *days = NULL;
    size_t n = 0, cap = 0;
    long line = 0;
    char why[160] = "";
    int rc = bizcal_parse_lines(s, size, &days, &n, &cap, &line, why, sizeof why);
    if (rc != 0) {
        if (rc != -1) fz_fail("bizcal_parse_lines returned %d", rc);
        if (!why[0]) fz_fail("file rejected without a reason");
        long lines = 1;
        for (size_t i = 0; i < size; i++) lines += s[i] == '\n';
        if (line < 1 || line > lines) fz_fail("bad line %ld of %ld", line, lines);
        if (fz_printed_null(why)) fz_fail("a NULL string was printed: %s", why);
    } else {
        check_days(days, n);
    }
    free(days);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_note_input(data, size);
    run_list(data, size);
    run_lines(data, size);
    return 0;
}
