/* fuzz_tstamp.c - libFuzzer harness for the timestamp parser (tstamp_parse).
 *
 * The input's bytes are the cell text, exactly as a CSV field or a scenario
 * value would hand them over (length given, NUL bytes included, in a heap
 * block of exactly that size so that ASan sees any read past its end).
 *
 * Asserts, besides no crash and no sanitizer report:
 * - a rejected text leaves the output untouched;
 * - an accepted one lies between 0001-01-01 minus the largest offset and
 *   9999-12-31 23:59:59.999999 plus it;
 * - blanks around the text change nothing;
 * - tstamp_format of the value parses back to the same value (inside years
 *   1 to 9999), and its week start is a Monday midnight at most 7 days
 *   earlier. */
#include "fuzz_common.h"

#define MAX_OFFSET (23 * 3600 * TSTAMP_USEC_PER_SEC + 59 * 60 * TSTAMP_USEC_PER_SEC)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = malloc(size + 2);
    if (!s) fz_fail("out of memory");
    memcpy(s + 1, data, size);
    const int64_t untouched = INT64_C(0x5a5a5a5a5a5a5a5a);
    int64_t t = untouched;
    /* s + 1 holds exactly the input; s[0] and s[size + 1] are blanks for the
     * padded parse below, outside [s + 1, s + 1 + size). */
    char *exact = malloc(size ? size : 1);
    if (!exact) fz_fail("out of memory");
    memcpy(exact, data, size);
    int rc = tstamp_parse(exact, size, &t);
    free(exact);
    if (rc != 0 && rc != -1) fz_fail("tstamp_parse returned %d", rc);
    if (rc < 0 && t != untouched) fz_fail("a rejected timestamp changed the output");

    s[0] = ' ';
    s[size + 1] = '\t';
    int64_t t2 = untouched;
    int rc2 = tstamp_parse(s, size + 2, &t2);
    free(s);
    if (rc2 != rc || (rc == 0 && t2 != t)) fz_fail("blanks around the text changed the result");
    if (rc < 0) return 0;

    const int64_t lo = tstamp_from_civil(1, 1, 1, 0, 0, 0);
    const int64_t hi = tstamp_from_civil(10000, 1, 1, 0, 0, 0); /* exclusive */
    if (t < lo - MAX_OFFSET || t >= hi + MAX_OFFSET)
        fz_fail("accepted timestamp %lld is out of range", (long long)t);
    if (t >= lo && t < hi) {
        char buf[40];
        tstamp_format(t, buf, sizeof buf);
        int64_t back;
        if (tstamp_parse(buf, strlen(buf), &back) != 0 || back != t)
            fz_fail("'%s' does not read back as %lld", buf, (long long)t);
        tstamp_format_date(t, buf, sizeof buf);
        if (strlen(buf) != 10) fz_fail("date '%s' is not YYYY-MM-DD", buf);
    }
    int64_t w = tstamp_week_start(t);
    if (w == TSTAMP_NONE || w > t || t - w >= 7 * TSTAMP_USEC_PER_DAY || w % TSTAMP_USEC_PER_DAY != 0)
        fz_fail("week start %lld of %lld is wrong", (long long)w, (long long)t);
    int64_t day = w / TSTAMP_USEC_PER_DAY; /* 1970-01-05 was a Monday */
    if ((((day - 4) % 7) + 7) % 7 != 0) fz_fail("week start %lld is not a Monday", (long long)w);
    return 0;
}
