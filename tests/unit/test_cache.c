/* test_cache.c - unit tests for cache_load on damaged and forged cache files.
 *
 * Each test writes a tiny dataset into a fresh mkdtemp folder, loads it once
 * (which writes its cache into the folder's own LEADSIM_CACHE_DIR), then
 * rewrites the cache file and checks what cache_load makes of it: 0 (used)
 * or 1 (rejected, so the caller rebuilds it from the CSV files).
 *
 * A forged file is made from the valid one by splitting it into its
 * sections, changing some, and writing the header's size and checksum
 * again, as cache.c computes them: the reader must then rely on its own
 * checks of every count and index, not on the checksum. Staleness and
 * corruption seen from the command line are tested in tests/test_cache.sh. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "cache.h"
#include "dataset.h"
#include "load.h"
#include "tstamp.h"
#include "util.h"

/* ---------- Building and forging cache files ---------- */

#define HEADER_SIZE 64
#define MAX_SECTIONS 128

static int setup(void **state) {
    if (tmpdir_setup(state) < 0) return -1;
    char p[600];
    snprintf(p, sizeof p, "%s/cache", (const char *)*state);
    setenv("LEADSIM_CACHE_DIR", p, 1);
    return 0;
}

static int teardown(void **state) {
    unsetenv("LEADSIM_CACHE_DIR");
    return tmpdir_teardown(state);
}

/* A dataset of 4 leads and 5 events, loaded once so that its cache exists;
 * the cache file's name goes to file. */
static void make_cached(const char *dir, char *file, size_t n) {
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,industry\na,2025-01-06,software\nb,2025-01-07,retail\n"
                          "c,2025-01-08,\nd,2025-01-09,software\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\nb,2025-01-08,pdf\n"
                           "a,2025-01-09,demo\nc,2025-01-09,web\na,2025-01-08,web\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,won,2025-02-01\nb,lost,2025-02-02\n");
    load_opts o = {0};
    util_err err = {0};
    dataset *ds = NULL;
    assert_int_equal(load_dataset(dir, &o, &ds, &err), 0);
    dataset_free(ds);
    assert_int_equal(cache_file(dir, file, n), 0);
    assert_int_equal(access(file, R_OK), 0);
}

/* The cache file, split into its sections (cache.c: each a 64-bit length
 * after padding that aligns its bytes to 64, then the bytes). */
typedef struct image {
    unsigned char header[HEADER_SIZE];
    unsigned char *sec[MAX_SECTIONS];
    size_t len[MAX_SECTIONS];
    size_t n;
} image;

static void image_read(image *im, const char *file) {
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 16];
    size_t size = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(size > HEADER_SIZE && size < sizeof buf); /* the small dataset's cache */
    memcpy(im->header, buf, HEADER_SIZE);
    im->n = 0;
    size_t at = HEADER_SIZE;
    while (at < size) {
        at += (64 - (at + 8) % 64) % 64;
        uint64_t n;
        memcpy(&n, buf + at, 8);
        at += 8;
        assert_true(n <= size - at && im->n < MAX_SECTIONS);
        im->sec[im->n] = malloc(n ? n : 1);
        memcpy(im->sec[im->n], buf + at, n);
        im->len[im->n++] = n;
        at += n;
    }
}

static void image_free(image *im) {
    for (size_t i = 0; i < im->n; i++) free(im->sec[i]);
}

static uint64_t mix(uint64_t h, uint64_t w) {
    h ^= w;
    h *= 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return h;
}

/* Write the sections back, with the header's file size and checksum made
 * right for the new contents. */
static void image_write_sealed(const image *im, const char *file) {
    size_t cap = HEADER_SIZE;
    for (size_t i = 0; i < im->n; i++) cap += 64 + 8 + im->len[i];
    unsigned char *buf = malloc(cap);
    assert_non_null(buf);
    size_t at = HEADER_SIZE;
    memcpy(buf, im->header, HEADER_SIZE);
    for (size_t i = 0; i < im->n; i++) {
        size_t pad = (64 - (at + 8) % 64) % 64;
        assert_true(at + pad + 8 + im->len[i] <= cap);
        memset(buf + at, 0, pad);
        at += pad;
        uint64_t n = im->len[i];
        memcpy(buf + at, &n, 8);
        memcpy(buf + at + 8, im->sec[i], im->len[i]);
        at += 8 + im->len[i];
    }
    size_t body = at - HEADER_SIZE, i = 0;
    uint64_t h = 0x5eed, x;
    for (; i + 8 <= body; i += 8) {
        memcpy(&x, buf + HEADER_SIZE + i, 8);
        h = mix(h, x);
    }
    if (i < body) {
        x = 0;
        memcpy(&x, buf + HEADER_SIZE + i, body - i);
        h = mix(h, x);
    }
    h = mix(h, body);
    uint64_t size = at;
    memcpy(buf + 16, &size, 8); /* header: magic, version, endian, file_size, checksum */
    memcpy(buf + 24, &h, 8);
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, at, f), at);
    assert_int_equal(fclose(f), 0);
    free(buf);
}

/* Replace section i by n bytes of p (NULL: zeros). */
static void image_set(image *im, size_t i, const void *p, size_t n) {
    free(im->sec[i]);
    im->sec[i] = calloc(n ? n : 1, 1);
    assert_non_null(im->sec[i]);
    if (p) memcpy(im->sec[i], p, n);
    im->len[i] = n;
}

/* Insert n bytes of p as a new section before section i. */
static void image_insert(image *im, size_t i, const void *p, size_t n) {
    assert_true(i <= im->n && im->n < MAX_SECTIONS);
    memmove(im->sec + i + 1, im->sec + i, (im->n - i) * sizeof *im->sec);
    memmove(im->len + i + 1, im->len + i, (im->n - i) * sizeof *im->len);
    im->n++;
    im->sec[i] = NULL;
    image_set(im, i, p, n);
}

static int load_cache(const char *dir) {
    util_err err = {0};
    dataset *ds = NULL;
    int rc = cache_load(dir, 0, &ds, &err);
    if (rc == 0) {
        assert_non_null(ds);
        dataset_free(ds);
    } else {
        assert_null(ds);
    }
    return rc;
}

/* Sections from the end of the file: ..., ev_off, ev_time, ev_type, then
 * the event types' table (count, arena, offsets, hashes). Section 9 holds
 * the counts: nleads, nevents, nattrs, ..., has_sql (11 words) */
#define SEC_COUNTS 9
#define SEC_EV_OFF(im) ((im)->n - 7)
#define SEC_EV_TIME(im) ((im)->n - 6)
#define SEC_EV_TYPE(im) ((im)->n - 5)
/* After the counts, the four file paths, then per data-quality class its
 * count and number of examples, each followed by that many example strings
 * (none in the small dataset). */
#define SEC_DQ (SEC_COUNTS + 5)
/* After them the lead ids' table (4 sections), then the leads' arrays. */
#define SEC_CREATED (SEC_DQ + DATASET_DQ_COUNT + 4)
#define SEC_CLOSED (SEC_CREATED + 2)
#define SEC_AMOUNT (SEC_CREATED + 3)

/* ---------- Tests ---------- */

static void test_resealed_copy_is_used(void **state) {
    const char *dir = *state;
    char file[PATH_MAX + 64];
    make_cached(dir, file, sizeof file);
    assert_int_equal(load_cache(dir), 0);
    image im;
    image_read(&im, file);
    uint64_t counts[11];
    assert_int_equal(im.len[SEC_COUNTS], sizeof counts);
    memcpy(counts, im.sec[SEC_COUNTS], sizeof counts);
    assert_int_equal(counts[0], 4); /* the layout this file assumes */
    assert_int_equal(counts[1], 5);
    assert_int_equal(im.len[SEC_EV_OFF(&im)], 5 * 8);
    assert_int_equal(im.len[SEC_EV_TYPE(&im)], 5 * 2);
    image_write_sealed(&im, file); /* the same bytes */
    assert_int_equal(load_cache(dir), 0);
    image_free(&im);
}

static void test_damaged_byte_is_rejected(void **state) {
    const char *dir = *state;
    char file[PATH_MAX + 64];
    make_cached(dir, file, sizeof file);
    FILE *f = fopen(file, "r+b");
    assert_non_null(f);
    fseek(f, -3, SEEK_END);
    int c = fgetc(f);
    fseek(f, -3, SEEK_END);
    fputc(c ^ 0x20, f);
    fclose(f);
    assert_int_equal(load_cache(dir), 1);
}

/* 2^63 events need 2^66 bytes of times and 2^64 bytes of types: both wrap
 * to 0, so empty sections once passed the size checks, and checking each
 * event's type then read on past the end of the mapping (with 65536 event
 * types every 16-bit value passes that check, so nothing stopped it). */
static void test_forged_event_count_is_rejected(void **state) {
    const char *dir = *state;
    char file[PATH_MAX + 64];
    make_cached(dir, file, sizeof file);
    image im;
    image_read(&im, file);
    uint64_t ne = UINT64_C(1) << 63, *counts = (uint64_t *)im.sec[SEC_COUNTS];
    counts[1] = ne;
    uint64_t *off = (uint64_t *)im.sec[SEC_EV_OFF(&im)];
    off[4] = ne;
    image_set(&im, SEC_EV_TIME(&im), NULL, 0);
    image_set(&im, SEC_EV_TYPE(&im), NULL, 0);
    uint64_t ntypes = 65536;
    image_set(&im, im.n - 4, &ntypes, 8);
    image_set(&im, im.n - 3, "a", 2);
    image_set(&im, im.n - 2, NULL, ntypes * 8); /* every type is "a" */
    image_set(&im, im.n - 1, NULL, ntypes * 4);
    image_write_sealed(&im, file);
    assert_int_equal(load_cache(dir), 1);
    image_free(&im);
}

/* A fresh cache whose count of events for unknown leads is set to count,
 * with example (NULL: none) as its one example. */
static void forge_dq(const char *dir, int64_t count, const char *example) {
    char file[PATH_MAX + 64];
    make_cached(dir, file, sizeof file);
    image im;
    image_read(&im, file);
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        assert_int_equal(im.len[SEC_DQ + c], 16); /* the layout this test assumes */
        assert_int_equal(((int64_t *)im.sec[SEC_DQ + c])[1], 0);
    }
    int64_t q[2] = {count, example != NULL};
    image_set(&im, SEC_DQ + DATASET_DQ_EVENT_UNKNOWN, q, sizeof q);
    if (example) image_insert(&im, SEC_DQ + DATASET_DQ_EVENT_UNKNOWN + 1, example, strlen(example) + 1);
    image_write_sealed(&im, file);
    image_free(&im);
}

/* An example is accepted under a count of 1, refused under a count of 0,
 * where the report would show an example of a problem it says never
 * happened. */
static void test_example_under_its_count_is_used(void **state) {
    const char *dir = *state, *e = "events.csv:9: lead zz is not in leads.csv";
    forge_dq(dir, 1, e);
    util_err err = {0};
    dataset *ds = NULL;
    assert_int_equal(cache_load(dir, 0, &ds, &err), 0);
    assert_int_equal(ds->dq[DATASET_DQ_EVENT_UNKNOWN].count, 1);
    assert_int_equal(ds->dq[DATASET_DQ_EVENT_UNKNOWN].nexamples, 1);
    assert_string_equal(ds->dq[DATASET_DQ_EVENT_UNKNOWN].examples[0], e);
    dataset_free(ds);
}

static void test_example_over_its_count_is_rejected(void **state) {
    forge_dq(*state, 0, "events.csv:9: lead zz is not in leads.csv");
    assert_int_equal(load_cache(*state), 1);
}

/* Each problem is counted once per row at most: 4 leads, 5 event rows and
 * 2 outcome rows allow 11 of a kind. Counts near 2^63 once overflowed the
 * sum of the warnings (found by the cache fuzz target). */
static void test_problem_count_is_bounded_by_rows(void **state) {
    const char *dir = *state;
    forge_dq(dir, 11, NULL);
    assert_int_equal(load_cache(dir), 0);
    forge_dq(dir, 12, NULL);
    assert_int_equal(load_cache(dir), 1);
    forge_dq(dir, INT64_MAX / 4, NULL);
    assert_int_equal(load_cache(dir), 1);
}

/* A row count is bounded by its file's size (a row takes a byte at least):
 * `check` prints these counts, so a forged one must not be shown. */
static void test_row_count_is_bounded_by_file_size(void **state) {
    const char *dir = *state;
    char file[PATH_MAX + 64], events[600];
    struct stat st;
    snprintf(events, sizeof events, "%s/events.csv", dir);
    for (int i = 0; i < 3; i++) {
        make_cached(dir, file, sizeof file);
        assert_int_equal(stat(events, &st), 0);
        image im;
        image_read(&im, file);
        uint64_t *counts = (uint64_t *)im.sec[SEC_COUNTS];
        assert_int_equal(counts[7], 5); /* nrows_events */
        counts[7] = i == 0 ? (uint64_t)st.st_size : i == 1 ? (uint64_t)st.st_size + 1 : UINT64_MAX;
        image_write_sealed(&im, file);
        image_free(&im);
        assert_int_equal(load_cache(dir), i == 0 ? 0 : 1);
    }
}

/* Element k of an 8-byte array section (a lead's created, closed or
 * amount, or an event's time: sec -1) set to the 8 bytes of v; 0 when the
 * cache was then used, 1 when it was refused. */
static int forge_number(const char *dir, int sec, size_t k, const void *v) {
    char file[PATH_MAX + 64];
    make_cached(dir, file, sizeof file);
    image im;
    image_read(&im, file);
    size_t s = sec < 0 ? SEC_EV_TIME(&im) : (size_t)sec;
    assert_int_equal(im.len[s], (sec < 0 ? 5 : 4) * 8);
    memcpy(im.sec[s] + k * 8, v, 8);
    image_write_sealed(&im, file);
    image_free(&im);
    return load_cache(dir);
}

static int64_t day(int d) {
    return tstamp_from_civil(2025, 1, d, 0, 0, 0);
}

/* A time or amount that no CSV load gives is refused: a year beyond 9999
 * would overflow the replay's arithmetic, an infinite or negative amount
 * would make revenue recall infinite or negative, and events out of time
 * order or before their lead was created would mislead its searches. The
 * bounds themselves, and "no time" where it may stand, are used. The leads
 * are a..d, created on January 6..9; events 0..2 are a's (7th, 8th, 9th),
 * 3 is b's (8th), 4 is c's (9th); d has none. */
static void test_numbers_out_of_range_are_rejected(void **state) {
    const char *dir = *state;
    const int64_t lo = TSTAMP_PARSE_MIN, hi = TSTAMP_PARSE_MAX, none = TSTAMP_NONE;
    const struct {
        int sec;       /* -1: the events' times */
        size_t k;      /* which lead or event */
        int64_t t;
        int refused;
    } cases[] = {
        {SEC_CREATED, 3, lo, 0},     {SEC_CREATED, 3, hi, 0},     {SEC_CREATED, 3, lo - 1, 1},
        {SEC_CREATED, 3, hi + 1, 1}, {SEC_CREATED, 3, INT64_MAX, 1}, {SEC_CREATED, 3, none, 1},
        {SEC_CLOSED, 2, lo, 0},      {SEC_CLOSED, 2, hi, 0},      {SEC_CLOSED, 2, none, 0},
        {SEC_CLOSED, 2, lo - 1, 1},  {SEC_CLOSED, 2, hi + 1, 1},  {SEC_CLOSED, 2, INT64_MAX, 1},
        {-1, 4, day(8), 0},          /* at c's created_at */
        {-1, 4, hi, 0},              {-1, 4, hi + 1, 1},          {-1, 4, INT64_MAX, 1},
        {-1, 4, none, 1},            {-1, 4, day(8) - 1, 1},      /* before c was created */
        {-1, 1, day(9), 0},          /* a's 8th moved to the 9th */
        {-1, 1, day(10), 1},         /* after a's next event */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = forge_number(dir, cases[i].sec, cases[i].k, &cases[i].t);
        if (got != cases[i].refused) fail_msg("case %zu: %s", i, got ? "refused" : "used");
    }
    const double amounts[] = {0.0, DATASET_MAX_AMOUNT, NAN, -1.0, INFINITY, 1.5e15};
    for (size_t a = 0; a < 6; a++)
        assert_int_equal(forge_number(dir, SEC_AMOUNT, 2, &amounts[a]), a < 3 ? 0 : 1);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_resealed_copy_is_used),
        T(test_damaged_byte_is_rejected),
        T(test_forged_event_count_is_rejected),
        T(test_example_under_its_count_is_used),
        T(test_example_over_its_count_is_rejected),
        T(test_problem_count_is_bounded_by_rows),
        T(test_row_count_is_bounded_by_file_size),
        T(test_numbers_out_of_range_are_rejected),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
