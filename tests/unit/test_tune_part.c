/* test_tune_part.c - unit tests for tune_part: a shard written and read back to the bit, and the checks on a set of parts.
 *
 * A part of a made-up tune (rows with NaN, negative zero, the largest
 * amounts and tiny objectives) is written with tune_part_write, read with
 * tune_part_read and compared field by field, bit for bit. Then
 * tune_part_check on sets of parts: every shard once passes; one twice,
 * one missing, another scenario, objective, dataset or split is refused
 * with its message; and tune_part_read refuses files that are not parts
 * (cut short, a row of another shard, a foreign line). And tune_grid_shard's
 * vectors. The folder is removed by the teardown. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "tune.h"
#include "tune_grid.h"
#include "tune_part.h"
#include "util.h"

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Shard I of N of a 7-vector grid, written into DIR/NAME with run id ID. */
static void write_shard(const char *dir, const char *name, size_t i, size_t n,
                        const tune_part_id *id) {
    tune_grid g;
    memset(&g, 0, sizeof g);
    g.nall = 7;
    g.first = i - 1;
    g.stride = n;
    g.nvec = (g.nall - g.first + n - 1) / n;
    tune t;
    memset(&t, 0, sizeof t);
    tune_row rows[7];
    for (size_t v = 0; v < g.nvec; v++) {
        size_t k = g.first + v * n;
        rows[v] = (tune_row){.has = k % 3 != 0, .T = 0.1 * (double)k - 0.3, .F = NAN,
                             .tp = (long)k, .fp = (long)(2 * k), .tp_amount = k == 4 ? -0.0 : 1e300 / (double)(k + 1),
                             .objective = 1e-300 * (double)k, .nthresholds = (long)(10 + k)};
    }
    t.rows = rows;
    t.method = TUNE_DECAY;
    t.histogram = 1;
    snprintf(t.why, sizeof t.why, "the scenario has decay: walked");
    util_buf b;
    util_buf_init(&b);
    tune_part_write(&b, &t, &g, id);
    assert_false(b.failed);
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
    assert_int_equal(system(cmd), 0);
    tmpdir_put(path, TUNE_PART_FILE, b.data);
    util_buf_fini(&b);
}

static tune_part_id run_id(void) {
    tune_part_id id;
    memset(&id, 0, sizeof id);
    snprintf(id.scenario_path, sizeof id.scenario_path, "grid.ini");
    id.scenario_hash = 0x0123456789abcdefULL;
    snprintf(id.data_path, sizeof id.data_path, "data");
    id.data_hash = 42;
    id.nall = 7;
    return id;
}

static void test_round_trip(void **state) {
    const char *dir = *state;
    tune_part_id id = run_id();
    write_shard(dir, "p2", 2, 3, &id);
    char d[256];
    snprintf(d, sizeof d, "%s/p2", dir);
    tune_part p;
    util_err err = {0, ""};
    if (tune_part_read(d, &p, &err) < 0) fail_msg("%s", err.msg);
    assert_int_equal(p.shard_i, 2);
    assert_int_equal(p.shard_n, 3);
    assert_int_equal(p.nrows, 2); /* vectors 2 and 5 */
    assert_int_equal(p.method, TUNE_DECAY);
    assert_int_equal(p.histogram, 1);
    assert_string_equal(p.why, "the scenario has decay: walked");
    assert_string_equal(p.id.scenario_path, "grid.ini");
    assert_true(p.id.scenario_hash == id.scenario_hash && p.id.data_hash == 42);
    assert_string_equal(p.id.objective, "");
    for (size_t j = 0; j < p.nrows; j++) {
        size_t k = 1 + 3 * j;
        const tune_row *w = &p.rows[j];
        assert_int_equal(p.vec[j], k);
        assert_int_equal(w->has, k % 3 != 0);
        assert_true(same_bits(w->T, 0.1 * (double)k - 0.3));
        assert_true(isnan(w->F));
        assert_true(same_bits(w->tp_amount, k == 4 ? -0.0 : 1e300 / (double)(k + 1)));
        assert_true(same_bits(w->objective, 1e-300 * (double)k));
        assert_int_equal(w->tp, (long)k);
        assert_int_equal(w->nthresholds, (long)(10 + k));
    }
    tune_part_fini(&p);
}

/* Read parts NAMES and check them; the message of the refusal, or "" when they pass. */
static void check_set(const char *dir, const char *const *names, size_t n, const char *want) {
    tune_part p[4];
    util_err err = {0, ""};
    for (size_t k = 0; k < n; k++) {
        char d[256];
        snprintf(d, sizeof d, "%s/%s", dir, names[k]);
        if (tune_part_read(d, &p[k], &err) < 0) fail_msg("%s", err.msg);
    }
    int rc = tune_part_check(p, n, &err);
    if (!*want) {
        if (rc < 0) fail_msg("refused: %s", err.msg);
    } else {
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, UTIL_EDATA);
        if (!strstr(err.msg, want)) fail_msg("message '%s' lacks '%s'", err.msg, want);
    }
    for (size_t k = 0; k < n; k++) tune_part_fini(&p[k]);
}

static void test_checks(void **state) {
    const char *dir = *state;
    tune_part_id id = run_id();
    write_shard(dir, "a1", 1, 2, &id);
    write_shard(dir, "a2", 2, 2, &id);
    write_shard(dir, "t1", 1, 3, &id);
    tune_part_id other = id;
    other.scenario_hash ^= 1;
    write_shard(dir, "s2", 2, 2, &other);
    other = id;
    other.data_hash = 43;
    write_shard(dir, "d2", 2, 2, &other);
    other = id;
    snprintf(other.objective, sizeof other.objective, "recall_at_least:0.5");
    write_shard(dir, "o2", 2, 2, &other);
    check_set(dir, (const char *[]){"a2", "a1"}, 2, "");
    check_set(dir, (const char *[]){"a1", "a2", "a1"}, 3, "a1/tune-part.txt: shard 1/2 again");
    check_set(dir, (const char *[]){"a2"}, 1, "shard 1 of 2 is missing");
    check_set(dir, (const char *[]){"a1", "s2"}, 2, "different scenarios");
    check_set(dir, (const char *[]){"a1", "d2"}, 2, "different data");
    check_set(dir, (const char *[]){"a1", "o2"}, 2, "different --objective");
    check_set(dir, (const char *[]){"a1", "t1"}, 2, "different splits");
}

static void expect_bad(const char *dir, const char *name, const char *text, const char *want) {
    char d[256];
    snprintf(d, sizeof d, "%s/%s", dir, name);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", d);
    assert_int_equal(system(cmd), 0);
    tmpdir_put(d, TUNE_PART_FILE, text);
    tune_part p;
    util_err err = {0, ""};
    assert_int_equal(tune_part_read(d, &p, &err), -1);
    assert_int_equal(err.code, UTIL_EDATA);
    if (!strstr(err.msg, want)) fail_msg("message '%s' lacks '%s'", err.msg, want);
    tune_part_fini(&p);
}

static void test_not_parts(void **state) {
    const char *dir = *state;
    const char *head = "format 1\nscenario_path s.ini\nscenario_hash 1\nobjective \ndata_path d\n"
                       "data_hash 2\nvectors 3\nshard 1 2\nmethod 0 0\nwhy w\n";
    char t[1000];
    snprintf(t, sizeof t, "%srow 1 1 0x1p+0 nan 1 1 0x0p+0 0x1p-1 3\n", head);
    expect_bad(dir, "short", t, "1 rows, and shard 1/2 of 3 vectors has 2");
    snprintf(t, sizeof t, "%srow 2 1 0x1p+0 nan 1 1 0x0p+0 0x1p-1 3\n", head);
    expect_bad(dir, "other", t, "row 1 is vector 2, not shard 1/2's");
    snprintf(t, sizeof t, "%sbogus line\n", head);
    expect_bad(dir, "foreign", t, ":11: not a line of a tune part");
    expect_bad(dir, "cut", "format 1\nscenario_pa", ":2: the part ends inside a line");
    expect_bad(dir, "empty", "format 1\n", "no 'scenario_path' line");
    /* no file at all: an I/O error */
    tune_part p;
    util_err err = {0, ""};
    char d[256];
    snprintf(d, sizeof d, "%s/none", dir);
    assert_int_equal(tune_part_read(d, &p, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    tune_part_fini(&p);
}

/* tune_grid_shard: vectors I, I + N, ... of the whole grid, 1-based. */
static void test_grid_shard(void **state) {
    (void)state;
    scenario sc;
    memset(&sc, 0, sizeof sc);
    double a[] = {1, 2, 3}, b[] = {10, 20};
    scenario_points pts[2] = {{"a", a, 3, 1}, {"b", b, 2, 2}};
    sc.behaviour = pts;
    sc.nbehaviour = 2;
    sc.path = "g.ini";
    tune_grid g;
    util_err err = {0, ""};
    assert_int_equal(tune_grid_init(&g, &sc, &err), 0);
    assert_int_equal(g.nvec, 6);
    assert_int_equal(tune_grid_shard(&g, 2, 4, &err), 0);
    assert_int_equal(g.nvec, 2); /* whole-grid vectors 2 and 6 */
    assert_true(tune_grid_weight(&g, 0, 0) == 1 && tune_grid_weight(&g, 0, 1) == 20);
    assert_true(tune_grid_weight(&g, 1, 0) == 3 && tune_grid_weight(&g, 1, 1) == 20);
    tune_grid_fini(&g);
    assert_int_equal(tune_grid_init(&g, &sc, &err), 0);
    assert_int_equal(tune_grid_shard(&g, 7, 7, &err), -1);
    assert_int_equal(err.code, UTIL_EUSAGE);
    assert_non_null(strstr(err.msg, "has 6 weight vectors, so that shard would have none"));
    tune_grid_fini(&g);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_round_trip),
        T(test_checks),
        T(test_not_parts),
        T(test_grid_shard),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
