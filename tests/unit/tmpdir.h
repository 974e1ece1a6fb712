/* tmpdir.h - a fresh folder per unit test, for the tests that write files.
 *
 * tmpdir_setup and tmpdir_teardown are cmocka setup and teardown functions:
 * the test's state is the folder's path, removed with all it holds
 * afterwards. tmpdir_put writes a small file into it. Test code only. */
#ifndef LEADSIM_TMPDIR_H
#define LEADSIM_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline int tmpdir_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

/* Remove DIR and everything below it; a missing one is fine. */
static inline void tmpdir_rm(const char *dir) { nftw(dir, tmpdir_rm_one, 16, FTW_DEPTH | FTW_PHYS); }

static inline int tmpdir_setup(void **state) {
    char *d = strdup("/tmp/leadsim_unit_XXXXXX");
    if (!d || !mkdtemp(d)) {
        free(d);
        return -1;
    }
    *state = d;
    return 0;
}

static inline int tmpdir_teardown(void **state) {
    tmpdir_rm(*state);
    free(*state);
    return 0;
}

/* DIR/NAME holds exactly TEXT (created or replaced); fails the test when it
 * cannot be written. */
static inline void tmpdir_put(const char *dir, const char *name, const char *text) {
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#endif
