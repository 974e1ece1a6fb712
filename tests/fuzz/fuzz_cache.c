/* fuzz_cache.c - libFuzzer harness for the columnar cache reader (cache_load).
 *
 * A small dataset is loaded once, which writes its cache; every input then
 * replaces the cache file and cache_load reads it. Input layout: one mode
 * byte, then the cache file's bytes. Mode bit 0 "seals" the file: the
 * harness writes the right size and checksum into its header, as a
 * deliberately forged or a buggy writer's file would have, so that the
 * fuzzer gets past the checksum to the section reader. Bit 1 loads with
 * --strict (the dataset has one counted problem, so its cache must not be
 * used then). Seeds: the valid cache in each mode (FUZZ_CACHE_SEEDS=DIR
 * makes the harness write them, see tests/fuzz/seeds.sh).
 *
 * The cache records the dataset's path and its files' sizes and times, so
 * the dataset lives in a fixed folder (/tmp/leadsim_fuzz_cache_data, or
 * $FUZZ_CACHE_DATA) with fixed contents and modification times: then the
 * corpus and the reproducers in tests/fuzz/regress/cache stay valid from one
 * run, checkout or machine to the next. The cache folder is private to the
 * process.
 *
 * Asserts, besides no crash, no leak and no sanitizer report:
 * - the reader either rejects the file (returns 1: the caller rebuilds it
 *   from the CSV files) or returns a dataset; -1 only for out of memory;
 * - an unsealed file that is accepted gives exactly the dataset the CSV
 *   files give (a corrupted cache is never trusted); the valid file is
 *   accepted;
 * - a sealed file that is accepted still gives a dataset that holds what
 *   the replay relies on (fz_check_dataset), whatever else it says. */
#include "fuzz_common.h"

#include "cache.h"
#include "load.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char data_dir[300], cache_path[400];
static dataset *ref;        /* the dataset from the CSV files */
static uint8_t *valid;      /* the valid cache file */
static size_t valid_len;
static int ref_counted;     /* ref has counted problems */

#define HEADER_SIZE 64      /* cache.c: magic, version, endian, size, checksum, reserved */
#define OFF_FILE_SIZE 16
#define OFF_CHECKSUM 24
#define FIXED_MTIME 1735689600 /* 2025-01-01 00:00:00 UTC */

static void seal(uint8_t *file, size_t len) {
    if (len < HEADER_SIZE) return;
    uint64_t size = len, sum = cache_checksum(file, len);
    memcpy(file + OFF_FILE_SIZE, &size, 8);
    memcpy(file + OFF_CHECKSUM, &sum, 8);
}

/* name in data_dir holds exactly text, with the fixed modification time:
 * written (to a temporary file renamed into place) only when it does not. */
static void put_fixed(const char *name, const char *text) {
    char p[400], tmp[420];
    fz_path(p, sizeof p, data_dir, name);
    size_t n = strlen(text);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n &&
        st.st_mtim.tv_sec == FIXED_MTIME && st.st_mtim.tv_nsec == 0) {
        FILE *f = fopen(p, "rb");
        char *have = malloc(n + 1);
        int same = f && have && fread(have, 1, n + 1, f) == n && memcmp(have, text, n) == 0;
        free(have);
        if (f) fclose(f);
        if (same) return;
    }
    snprintf(tmp, sizeof tmp, "%s.%ld", p, (long)getpid());
    fz_write_str(tmp, text);
    struct timespec times[2] = {{FIXED_MTIME, 0}, {FIXED_MTIME, 0}};
    if (utimensat(AT_FDCWD, tmp, times, 0) != 0 || rename(tmp, p) != 0)
        fz_fail("cannot set up %s: %s", p, strerror(errno));
}

static void make_dataset(void) {
    const char *fixed = getenv("FUZZ_CACHE_DATA");
    snprintf(data_dir, sizeof data_dir, "%s", fixed && *fixed ? fixed : "/tmp/leadsim_fuzz_cache_data");
    if (mkdir(data_dir, 0755) != 0 && errno != EEXIST) fz_fail("mkdir %s: %s", data_dir, strerror(errno));
    struct stat st;
    if (lstat(data_dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
        fz_fail("%s is not a folder of this user: remove it or set FUZZ_CACHE_DATA", data_dir);
    put_fixed("leads.csv",
              "lead_id,created_at,industry,employees\n"
              "a,2025-01-06,software,10\n"
              "b,2025-01-07 12:30,retail,200\n"
              "c,2025-01-08T08:00:00+02:00,,\n"
              "d,2025-01-09,software,\n");
    put_fixed("events.csv",
              "lead_id,timestamp,event\n"
              "a,2025-01-07,web\n"
              "b,2025-01-08,pdf\n"
              "a,2025-01-09,demo\n"
              "x,2025-01-09,web\n" /* unknown lead: one counted problem */
              "c,2025-01-09,web\n"
              "a,2025-01-08,web\n");
    put_fixed("outcomes.csv",
              "lead_id,status,closed_at,amount\n"
              "a,won,2025-02-01,1500\n"
              "b,lost,2025-02-02,\n");
    char ini[400];
    fz_path(ini, sizeof ini, data_dir, "dataset.ini");
    if (unlink(ini) != 0 && errno != ENOENT) fz_fail("cannot remove %s", ini);
}

static void write_seeds(const char *dir) {
    char p[600];
    uint8_t *f = malloc(valid_len + 1);
    if (!f) fz_fail("out of memory");
    memcpy(f + 1, valid, valid_len);
    f[0] = 0;
    snprintf(p, sizeof p, "%s/valid", dir);
    fz_write(p, f, valid_len + 1);
    f[0] = 1;
    snprintf(p, sizeof p, "%s/valid-sealed", dir);
    fz_write(p, f, valid_len + 1);
    f[0] = 2;
    snprintf(p, sizeof p, "%s/valid-strict", dir);
    fz_write(p, f, valid_len + 1);
    free(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    make_dataset();
    char cdir[400];
    fz_path(cdir, sizeof cdir, fz_dir(), "cache");
    setenv("LEADSIM_CACHE_DIR", cdir, 1);
    unsetenv("LEADSIM_CACHE_TRACE");
    if (cache_file(data_dir, cache_path, sizeof cache_path) != 0) fz_fail("no cache file name");

    util_err err = {0, ""};
    load_opts no_cache = {.no_cache = 1}, with_cache = {0};
    dataset *ds = NULL;
    if (load_dataset(data_dir, &no_cache, &ref, &err) != 0) fz_fail("reference load: %s", err.msg);
    for (int c = DATASET_DQ_NFATAL; c < DATASET_DQ_COUNT; c++) ref_counted += ref->dq[c].count > 0;
    if (load_dataset(data_dir, &with_cache, &ds, &err) != 0) fz_fail("first load: %s", err.msg);
    dataset_free(ds);

    FILE *f = fopen(cache_path, "rb");
    if (!f) fz_fail("the first load wrote no cache at %s", cache_path);
    fseek(f, 0, SEEK_END);
    valid_len = (size_t)ftell(f);
    rewind(f);
    valid = malloc(valid_len);
    if (!valid || fread(valid, 1, valid_len, f) != valid_len) fz_fail("cannot read %s", cache_path);
    fclose(f);
    uint64_t sum;
    memcpy(&sum, valid + OFF_CHECKSUM, 8);
    if (valid_len < HEADER_SIZE || cache_checksum(valid, valid_len) != sum)
        fz_fail("the first load's cache does not carry its own checksum");

    const char *seeds = getenv("FUZZ_CACHE_SEEDS");
    if (seeds && *seeds) write_seeds(seeds);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    fz_note_input(data, size);
    int sealed = data[0] & 1, strict = (data[0] >> 1) & 1;
    size_t len = size - 1;
    uint8_t *file = malloc(len ? len : 1);
    if (!file) fz_fail("out of memory");
    memcpy(file, data + 1, len);
    if (sealed) seal(file, len);
    int is_valid = len == valid_len && memcmp(file, valid, len) == 0;
    fz_write(cache_path, file, len);
    free(file);

    dataset *ds = NULL;
    util_err err = {0, ""};
    int rc = cache_load(data_dir, strict, &ds, &err);
    if (rc == -1) {
        if (err.code != UTIL_EINTERNAL) fz_fail("cache_load failed with %d: %s", err.code, err.msg);
        return 0;
    }
    if (rc == 1) {
        if (ds) fz_fail("a rejected cache left a dataset");
        if (is_valid && !(strict && ref_counted)) fz_fail("the valid cache was rejected");
        return 0;
    }
    if (rc != 0) fz_fail("cache_load returned %d", rc);
    if (strict && ref_counted && is_valid) fz_fail("cache used with --strict on counted problems");
    fz_check_dataset(ds, 0);
    if (!sealed || is_valid) fz_same_dataset(ds, ref, "accepted cache against the CSV files");
    dataset_release_events(ds, 1);
    dataset_free(ds);
    return 0;
}
