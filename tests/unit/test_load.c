/* test_load.c - unit tests for load: the cache first, else the CSV files, then the cache stored.
 *
 * Each test writes a tiny dataset and points LEADSIM_CACHE_DIR at a cache
 * folder beside it. A dataset that comes from the cache is a mapping of the
 * cache file (ds->map set); one read from the CSV files is not: that tells
 * which way each load went. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "cache.h"
#include "dataset.h"
#include "load.h"
#include "util.h"

/* ---------- Helpers ---------- */

/* The folder holds data/ (the dataset) and cache/ (LEADSIM_CACHE_DIR). */
static int setup(void **state) {
    if (tmpdir_setup(state) < 0) return -1;
    char p[600];
    snprintf(p, sizeof p, "%s/data", (const char *)*state);
    if (mkdir(p, 0755) < 0) return -1;
    snprintf(p, sizeof p, "%s/cache", (const char *)*state);
    return setenv("LEADSIM_CACHE_DIR", p, 1);
}

static int teardown(void **state) {
    unsetenv("LEADSIM_CACHE_DIR");
    return tmpdir_teardown(state);
}

static const char *data_dir(void **state) {
    static char p[400];
    snprintf(p, sizeof p, "%s/data", (const char *)*state);
    return p;
}

/* A clean dataset; with WARN, one event for an unknown lead (a counted
 * problem) too. */
static void put_data(const char *dir, int warn) {
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,industry\na,2025-01-06,software\nb,2025-01-07,retail\n");
    tmpdir_put(dir, "events.csv", warn ? "lead_id,timestamp,event\na,2025-01-08,web\nzz,2025-01-08,web\n"
                                       : "lead_id,timestamp,event\na,2025-01-08,web\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at,amount\na,won,2025-02-01,100\n");
}

static int cache_exists(const char *dir) {
    char file[1200];
    assert_int_equal(cache_file(dir, file, sizeof file), 0);
    return access(file, F_OK) == 0;
}

/* Load DIR with OPTS; must succeed. Returns whether it came from the cache. */
static int load_from_cache(const char *dir, const load_opts *opts) {
    dataset *ds = NULL;
    util_err err = {0, ""};
    if (load_dataset(dir, opts, &ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
    assert_non_null(ds);
    assert_int_equal(ds->nleads, 2);
    int cached = ds->map != NULL;
    dataset_free(ds);
    return cached;
}

/* ---------- Tests ---------- */

/* The first load reads the CSV files and stores the cache; the next one
 * maps the cache instead of reading the files. */
static void test_csv_then_cache(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 0);
    assert_false(cache_exists(dir));
    assert_false(load_from_cache(dir, NULL));
    assert_true(cache_exists(dir));
    assert_true(load_from_cache(dir, NULL));
    assert_true(load_from_cache(dir, NULL));
}

/* A changed source file makes the cache stale: the CSV files are read and
 * the cache stored again. */
static void test_stale_cache_rebuilt(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 0);
    assert_false(load_from_cache(dir, NULL));
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,industry\na,2025-01-06,software\nb,2025-01-09,retail\n");
    assert_false(load_from_cache(dir, NULL));
    assert_true(load_from_cache(dir, NULL));
}

/* --no-cache neither reads nor writes the cache. */
static void test_no_cache(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 0);
    load_opts o = {.no_cache = 1};
    assert_false(load_from_cache(dir, &o));
    assert_false(cache_exists(dir));
    assert_false(load_from_cache(dir, NULL));
    assert_false(load_from_cache(dir, &o));
}

/* check (collect_all) always reads the files, and stores nothing. */
static void test_check_reads_the_files(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 0);
    load_opts o = {.collect_all = 1};
    assert_false(load_from_cache(dir, &o));
    assert_false(cache_exists(dir));
    assert_false(load_from_cache(dir, NULL));
    assert_false(load_from_cache(dir, &o));
}

/* Counted problems are cached, but --strict reads the files, which alone
 * tell the first problem in file order, and stops there. */
static void test_strict_reads_the_files(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 1);
    assert_false(load_from_cache(dir, NULL));
    assert_true(load_from_cache(dir, NULL));
    load_opts o = {.strict = 1};
    dataset *ds = NULL;
    util_err err = {0, ""};
    assert_int_equal(load_dataset(dir, &o, &ds, &err), -1);
    assert_null(ds);
    assert_int_equal(err.code, UTIL_EDATA);
    char want[800];
    snprintf(want, sizeof want, "%s/events.csv:3: event for unknown lead 'zz' (fatal with --strict)", dir);
    assert_string_equal(err.msg, want);
}

/* A load that fails stores no cache. */
static void test_failed_load_stores_nothing(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 0);
    tmpdir_put(dir, "outcomes.csv", "lead_id,status\na,maybe\n");
    dataset *ds = NULL;
    util_err err = {0, ""};
    assert_int_equal(load_dataset(dir, NULL, &ds, &err), -1);
    assert_null(ds);
    assert_false(cache_exists(dir));
}

/* Without a cache folder every load reads the files, and works the same. */
static void test_no_cache_folder(void **state) {
    const char *dir = data_dir(state);
    put_data(dir, 0);
    setenv("LEADSIM_CACHE_DIR", "", 1);
    assert_false(load_from_cache(dir, NULL));
    assert_false(load_from_cache(dir, NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_csv_then_cache),
        T(test_stale_cache_rebuilt),
        T(test_no_cache),
        T(test_check_reads_the_files),
        T(test_strict_reads_the_files),
        T(test_failed_load_stores_nothing),
        T(test_no_cache_folder),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
