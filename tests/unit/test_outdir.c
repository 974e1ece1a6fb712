/* test_outdir.c - unit tests for outdir: staging, commit, nested paths, abandon.
 *
 * SPEC 7 wants results written atomically: a run that fails leaves the
 * previous results intact and no half-written file. These tests work in a
 * fresh mkdtemp folder each, look at what is on disk after every step and
 * remove the folder at the end. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
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

#include "outdir.h"
#include "util.h"

/* ---------- Helpers ---------- */

static char *path2(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* Contents of DIR/REL, or NULL when it does not exist. Caller frees. */
static char *slurp(const char *dir, const char *rel) {
    char *p = path2(dir, rel);
    FILE *f = fopen(p, "rb");
    free(p);
    if (!f) return NULL;
    util_buf b;
    util_buf_init(&b);
    char chunk[512];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) util_buf_append(&b, chunk, k);
    fclose(f);
    util_buf_append(&b, "", 1);
    return b.data;
}

static void put(const char *dir, const char *rel, const char *text) {
    char *p = path2(dir, rel);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

/* Number of entries of every kind below dir (recursively), dir itself excluded. */
static long n_entries;
static int count_one(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void)p, (void)st, (void)flag;
    if (ftw->level > 0) n_entries++;
    return 0;
}
static long count_below(const char *dir) {
    n_entries = 0;
    nftw(dir, count_one, 16, FTW_PHYS);
    return n_entries;
}

/* Name of the staging folder inside base, or "" when there is none. */
static void find_stage(const char *base, char *out, size_t n) {
    out[0] = '\0';
    DIR *d = opendir(base);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, ".leadsim-stage-", 15) == 0) snprintf(out, n, "%s", e->d_name);
    closedir(d);
}

static void wr(outdir *o, const char *rel, const char *text) {
    util_err err = {0};
    if (outdir_write(o, rel, text, strlen(text), &err) < 0) fail_msg("outdir_write %s: %s", rel, err.msg);
}

/* ---------- Tests ---------- */

/* A folder in the way of the second file: the first must not be moved
 * either, so the earlier results stay exactly as they were. */
static void test_commit_checks_before_renaming(void **state) {
    const char *tmp = *state;
    outdir o;
    util_err err = {0};
    put(tmp, "a.csv", "old a\n");
    char *blocker = path2(tmp, "b.csv");
    assert_int_equal(mkdir(blocker, 0777), 0);
    assert_int_equal(outdir_open(&o, tmp, &err), 0);
    wr(&o, "a.csv", "new a\n");
    wr(&o, "b.csv", "new b\n");
    assert_int_equal(outdir_commit(&o, NULL, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_non_null(strstr(err.msg, "b.csv: cannot write: a folder is in the way"));
    outdir_close(&o);
    char *a = slurp(tmp, "a.csv");
    assert_string_equal(a, "old a\n");
    free(a);
    char stage[256];
    find_stage(tmp, stage, sizeof stage);
    assert_string_equal(stage, "");
    rmdir(blocker);
    free(blocker);
}

/* Files of this kind of run that were not written this time are removed. */
static void test_commit_removes_stale(void **state) {
    const char *tmp = *state;
    outdir o;
    util_err err = {0};
    put(tmp, "weekly.csv", "from an earlier run\n");
    put(tmp, "keep.txt", "not ours\n");
    assert_int_equal(outdir_open(&o, tmp, &err), 0);
    wr(&o, "summary.csv", "x\n");
    const char *stale[] = {"weekly.csv", "summary.csv", NULL};
    assert_int_equal(outdir_commit(&o, stale, &err), 0);
    outdir_close(&o);
    char *w = slurp(tmp, "weekly.csv"), *k = slurp(tmp, "keep.txt"), *sm = slurp(tmp, "summary.csv");
    assert_null(w);
    assert_string_equal(k, "not ours\n");
    assert_string_equal(sm, "x\n");
    free(k);
    free(sm);
}

static void test_stage_then_commit(void **state) {
    const char *tmp = *state;
    char *base = path2(tmp, "results/run1"); /* parents do not exist yet */
    outdir o;
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), 0);
    struct stat st;
    assert_int_equal(stat(base, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* nothing staged before the first write; only the lock is there */
    assert_int_equal(count_below(base), 1);
    char *lock = path2(base, OUTDIR_LOCK);
    assert_int_equal(stat(lock, &st), 0);

    wr(&o, "summary.csv", "a,b\n1,2\n");
    wr(&o, "summary.md", "# x\n");
    /* staged, not in place */
    char *s = slurp(base, "summary.csv");
    assert_null(s);
    char stage[256];
    find_stage(base, stage, sizeof stage);
    assert_true(stage[0] != '\0');

    assert_int_equal(outdir_commit(&o, NULL, &err), 0);
    s = slurp(base, "summary.csv");
    assert_non_null(s);
    assert_string_equal(s, "a,b\n1,2\n");
    free(s);
    s = slurp(base, "summary.md");
    assert_string_equal(s, "# x\n");
    free(s);

    outdir_close(&o);
    find_stage(base, stage, sizeof stage);
    assert_string_equal(stage, ""); /* staging folder gone */
    assert_int_equal(count_below(base), 2);
    assert_int_equal(stat(lock, &st), -1); /* and the lock file */
    free(lock);
    free(base);
}

/* A second writer to a locked folder fails at once, with a message that
 * says why; once the first is closed the folder can be locked again. */
static void test_lock(void **state) {
    const char *base = *state;
    outdir a, b;
    util_err err = {0};
    assert_int_equal(outdir_open(&a, base, &err), 0);
    assert_int_equal(outdir_open(&b, base, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    char want[600];
    snprintf(want, sizeof want,
             "%s: another leadsim run is writing to this folder; try again when it has finished",
             base);
    assert_string_equal(err.msg, want);
    outdir_close(&b);
    /* the failed attempt must not have released or removed a's lock */
    char *lock = path2(base, OUTDIR_LOCK);
    struct stat st;
    assert_int_equal(stat(lock, &st), 0);
    memset(&err, 0, sizeof err);
    assert_int_equal(outdir_open(&b, base, &err), -1);
    outdir_close(&b);
    /* a sub-folder lock conflicts with a run writing to that sub-folder */
    assert_int_equal(outdir_lock_sub(&a, "scn", &err), 0);
    char *sub = path2(base, "scn");
    assert_int_equal(outdir_open(&b, sub, &err), -1);
    outdir_close(&b);
    outdir_close(&a);
    assert_int_equal(stat(lock, &st), -1);
    /* nothing was committed: the sub-folder a created is gone again */
    assert_int_equal(stat(sub, &st), -1);
    assert_int_equal(outdir_open(&b, base, &err), 0);
    outdir_close(&b);
    assert_int_equal(count_below(base), 0);
    free(sub);
    free(lock);
}

/* A failed run into a new folder leaves no folder behind. */
static void test_failed_run_removes_its_folders(void **state) {
    const char *tmp = *state;
    char *base = path2(tmp, "new/deeper");
    outdir o;
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), 0);
    wr(&o, "plots/a.svg", "<svg/>");
    outdir_close(&o);
    assert_int_equal(count_below(tmp), 0);
    free(base);
}

static void test_nested_paths(void **state) {
    const char *base = *state;
    outdir o;
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), 0);
    wr(&o, "plots/trade-off.svg", "<svg/>");
    wr(&o, "plots/trade-off.png", "PNG");
    wr(&o, "cmp-a/deeper/still/summary.csv", "x\n");
    wr(&o, "top.csv", "");
    assert_int_equal(outdir_commit(&o, NULL, &err), 0);
    outdir_close(&o);

    char *s = slurp(base, "plots/trade-off.svg");
    assert_string_equal(s, "<svg/>");
    free(s);
    s = slurp(base, "plots/trade-off.png");
    assert_string_equal(s, "PNG");
    free(s);
    s = slurp(base, "cmp-a/deeper/still/summary.csv");
    assert_string_equal(s, "x\n");
    free(s);
    s = slurp(base, "top.csv"); /* an empty file is a file */
    assert_string_equal(s, "");
    free(s);
    char stage[256];
    find_stage(base, stage, sizeof stage);
    assert_string_equal(stage, "");
    /* plots/ + 2 files, cmp-a/ deeper/ still/ + 1 file, top.csv */
    assert_int_equal(count_below(base), 3 + 4 + 1);
}

/* A failed run: files staged, then closed without commit. Nothing new lands,
 * the previous results are untouched, and no staging folder is left. */
static void test_close_without_commit(void **state) {
    const char *base = *state;
    put(base, "summary.csv", "old results\n");
    outdir o;
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), 0);
    wr(&o, "summary.csv", "new results\n");
    wr(&o, "plots/x/y.svg", "<svg/>");
    wr(&o, "weekly.csv", "week_start,handoffs\n");
    outdir_close(&o);

    char *s = slurp(base, "summary.csv");
    assert_string_equal(s, "old results\n");
    free(s);
    assert_null(slurp(base, "weekly.csv"));
    assert_null(slurp(base, "plots/x/y.svg"));
    assert_int_equal(count_below(base), 1); /* only the old summary.csv */
}

/* Commit replaces an existing file as a whole (rename), leaving other
 * earlier files alone. */
static void test_commit_replaces(void **state) {
    const char *base = *state;
    put(base, "summary.csv", "old\n");
    put(base, "keep.txt", "mine\n");
    outdir o;
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), 0);
    wr(&o, "summary.csv", "new\n");
    assert_int_equal(outdir_commit(&o, NULL, &err), 0);
    outdir_close(&o);
    char *s = slurp(base, "summary.csv");
    assert_string_equal(s, "new\n");
    free(s);
    s = slurp(base, "keep.txt");
    assert_string_equal(s, "mine\n");
    free(s);
    assert_int_equal(count_below(base), 2);
}

static void test_close_is_safe(void **state) {
    const char *base = *state;
    outdir_close(NULL);
    outdir o;
    memset(&o, 0, sizeof o);
    outdir_close(&o); /* never opened */
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), 0);
    outdir_close(&o); /* opened, nothing written */
    outdir_close(&o); /* twice */
    assert_int_equal(count_below(base), 0);
    assert_int_equal(outdir_open(&o, base, &err), 0);
    assert_int_equal(outdir_commit(&o, NULL, &err), 0); /* nothing to commit */
    outdir_close(&o);
    assert_int_equal(count_below(base), 0);
}

static void test_base_is_a_file(void **state) {
    const char *tmp = *state;
    put(tmp, "plain", "x");
    char *base = path2(tmp, "plain");
    outdir o;
    util_err err = {0};
    assert_int_equal(outdir_open(&o, base, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    char want[600];
    snprintf(want, sizeof want, "%s: exists and is not a folder", base);
    assert_string_equal(err.msg, want);
    outdir_close(&o);
    /* a parent that is a file: the message names the parent */
    char *below = path2(base, "sub/deeper");
    memset(&err, 0, sizeof err);
    assert_int_equal(outdir_open(&o, below, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_string_equal(err.msg, want);
    outdir_close(&o);
    free(below);
    free(base);
}

static void test_mkdirs(void **state) {
    const char *tmp = *state;
    char *p = path2(tmp, "a/b/c/d");
    util_err err = {0};
    assert_int_equal(outdir_mkdirs(p, &err), 0);
    assert_int_equal(outdir_mkdirs(p, &err), 0); /* existing: fine */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    char *q = path2(tmp, "a/b/"); /* a trailing slash */
    assert_int_equal(outdir_mkdirs(q, &err), 0);
    free(q);
    free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stage_then_commit, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_lock, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_failed_run_removes_its_folders, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_commit_checks_before_renaming, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_commit_removes_stale, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_nested_paths, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_close_without_commit, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_commit_replaces, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_close_is_safe, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_base_is_a_file, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_mkdirs, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
