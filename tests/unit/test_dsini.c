/* test_dsini.c - unit tests for dsini: a dataset's layout from its dataset.ini, or the defaults.
 *
 * Each test writes a dataset.ini (no CSV file is needed: dsini reads none)
 * into a fresh folder, reads the layout and checks the roles it names, or
 * the exact error message ("INI:LINE: what"). */
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

#include "dataset.h"
#include "dsini.h"
#include "util.h"

/* ---------- Helpers ---------- */

/* The layout of DIR with dataset.ini TEXT (none when NULL); must succeed. */
static void read_ok(const char *dir, const char *text, dsini *L) {
    if (text) tmpdir_put(dir, "dataset.ini", text);
    util_err err = {0, ""};
    if (dsini_read(dir, L, &err) < 0) fail_msg("dsini_read: %s", err.msg);
}

/* dataset.ini TEXT in DIR is refused with CODE and "DIR/dataset.ini" + REL. */
static void read_fails(const char *dir, const char *text, int code, const char *rel) {
    tmpdir_put(dir, "dataset.ini", text);
    dsini L;
    util_err err = {0, ""};
    assert_int_equal(dsini_read(dir, &L, &err), -1);
    dsini_fini(&L);
    assert_int_equal(err.code, code);
    char want[800];
    snprintf(want, sizeof want, "%s/dataset.ini%s", dir, rel);
    assert_string_equal(err.msg, want);
}

/* ---------- Defaults ---------- */

static void test_defaults_without_ini(void **state) {
    const char *dir = *state;
    dsini L;
    read_ok(dir, NULL, &L);
    assert_null(L.ini);
    assert_string_equal(L.dir, dir);
    assert_string_equal(L.leads_file, "leads.csv");
    assert_string_equal(L.events_file, "events.csv");
    assert_string_equal(L.outcomes_file, "outcomes.csv");
    assert_false(L.events_explicit);
    assert_false(L.outcomes_explicit);
    assert_string_equal(L.l_id, "lead_id");
    assert_string_equal(L.l_created, "created_at");
    assert_null(L.l_won);
    assert_null(L.l_closed);
    assert_null(L.l_amount);
    assert_string_equal(L.e_lead, "lead_id");
    assert_string_equal(L.e_time, "timestamp");
    assert_string_equal(L.e_type, "event");
    assert_string_equal(L.e_value, "value");
    assert_string_equal(L.o_lead, "lead_id");
    assert_string_equal(L.o_status, "status");
    assert_string_equal(L.o_closed, "closed_at");
    assert_string_equal(L.o_amount, "amount");
    assert_int_equal(L.fixed_status, -1);
    assert_false(L.attributes_set);
    assert_false(L.created_none);
    dsini_fini(&L);
}

/* An empty dataset.ini is read (and watched) but changes no default. */
static void test_empty_ini_keeps_defaults(void **state) {
    const char *dir = *state;
    dsini L;
    read_ok(dir, "", &L);
    char want[600];
    snprintf(want, sizeof want, "%s/dataset.ini", dir);
    assert_string_equal(L.ini, want);
    assert_string_equal(L.l_id, "lead_id");
    assert_string_equal(L.outcomes_file, "outcomes.csv");
    assert_string_equal(L.o_status, "status");
    dsini_fini(&L);
}

/* A dataset.ini given itself: its folder is the dataset's, and dir is
 * relative to it. */
static void test_ini_file_and_dir(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "my.ini", "[dataset]\ndir = export\n[leads]\nfile = contacts.csv\n");
    char ini[600], want[700];
    snprintf(ini, sizeof ini, "%s/my.ini", dir);
    dsini L;
    util_err err = {0, ""};
    if (dsini_read(ini, &L, &err) < 0) fail_msg("dsini_read: %s", err.msg);
    assert_string_equal(L.ini, ini);
    snprintf(want, sizeof want, "%s/export", dir);
    assert_string_equal(L.dir, want);
    char *p = dsini_path(&L, L.leads_file);
    snprintf(want, sizeof want, "%s/export/contacts.csv", dir);
    assert_string_equal(p, want);
    free(p);
    p = dsini_path(&L, "/abs/leads.csv");
    assert_string_equal(p, "/abs/leads.csv");
    free(p);
    dsini_fini(&L);
}

static void test_no_such_dataset(void **state) {
    char p[600];
    snprintf(p, sizeof p, "%s/nothing", (const char *)*state);
    dsini L;
    util_err err = {0, ""};
    assert_int_equal(dsini_read(p, &L, &err), -1);
    dsini_fini(&L);
    assert_int_equal(err.code, UTIL_EIO);
    char want[700];
    snprintf(want, sizeof want, "%s: no such dataset folder or dataset.ini", p);
    assert_string_equal(err.msg, want);
}

/* Only a clear "no such file" is absence: a dangling link is there. */
static void test_exists(void **state) {
    const char *dir = *state;
    char p[600], q[600];
    snprintf(p, sizeof p, "%s/absent.csv", dir);
    assert_false(dsini_exists(p));
    snprintf(q, sizeof q, "%s/link.csv", dir);
    assert_int_equal(symlink(p, q), 0);
    assert_true(dsini_exists(q));
    assert_true(dsini_exists(dir));
}

/* ---------- Keys ---------- */

static void test_mapping(void **state) {
    dsini L;
    read_ok(*state,
            "[leads]\nfile = contacts.csv\nlead_id = Contact ID\ncreated_at = Create Date\n"
            "attributes = industry, , size\n"
            "[events]\nfile = activity.csv\nlead_id = contact\ntimestamp = when\nvalue = none\n"
            "[outcomes]\nfile = none\n",
            &L);
    assert_string_equal(L.leads_file, "contacts.csv");
    assert_string_equal(L.l_id, "Contact ID");
    assert_string_equal(L.l_created, "Create Date");
    assert_true(L.attributes_set);
    assert_int_equal(L.nattributes, 2);
    assert_string_equal(L.attributes[0], "industry");
    assert_string_equal(L.attributes[1], "size");
    assert_string_equal(L.events_file, "activity.csv");
    assert_true(L.events_explicit);
    assert_string_equal(L.e_lead, "contact");
    assert_string_equal(L.e_time, "when");
    assert_null(L.e_value);
    assert_null(L.outcomes_file);
    assert_true(L.outcomes_explicit);
    dsini_fini(&L);
}

static void test_unknown_key(void **state) {
    read_fails(*state, "[leads]\nlead_id = id\ncolour = red\n", UTIL_EDATA,
               ":3: unknown key 'colour' in [leads]");
    read_fails(*state, "top = 1\n", UTIL_EDATA, ":1: unknown key 'top' in []");
    /* the closest key of the section, when one is close */
    read_fails(*state, "[leads]\nlead_id = id\nwon_value = Won\n", UTIL_EDATA,
               ":3: unknown key 'won_value' in [leads]; did you mean won_values?");
    read_fails(*state, "[outcomes]\nstatsu = s\n", UTIL_EDATA,
               ":2: unknown key 'statsu' in [outcomes]; did you mean status?");
    read_fails(*state, "[dataset]\nfile = x\n", UTIL_EDATA, ":2: unknown key 'file' in [dataset]");
    read_fails(*state, "file = x\n", UTIL_EDATA, ":1: unknown key 'file' in []");
}

static void test_unknown_section(void **state) {
    read_fails(*state, "[leads]\n\n[deals]\n", UTIL_EDATA,
               ":3: unknown section [deals] (expected [dataset], [leads], [events], [outcomes] "
               "or [join NAME])");
    read_fails(*state, "[Events]\n", UTIL_EDATA,
               ":1: unknown section [Events] (expected [dataset], [leads], [events], "
               "[outcomes] or [join NAME]); did you mean [events]?");
}

/* A key given twice: the last one wins, created_at = none included. */
static void test_key_given_twice(void **state) {
    dsini L;
    read_ok(*state, "[leads]\nlead_id = a\nlead_id = b\ncreated_at = none\ncreated_at = made\n", &L);
    assert_string_equal(L.l_id, "b");
    assert_string_equal(L.l_created, "made");
    assert_false(L.created_none);
    dsini_fini(&L);
    read_ok(*state, "[leads]\ncreated_at = made\ncreated_at = none\n", &L);
    assert_null(L.l_created);
    assert_true(L.created_none);
    dsini_fini(&L);
}

static void test_required_roles(void **state) {
    read_fails(*state, "[leads]\nfile = none\n", UTIL_EDATA, ":2: the leads file is required");
    read_fails(*state, "[leads]\nlead_id = none\n", UTIL_EDATA, ":2: [leads] lead_id needs a column name");
    read_fails(*state, "[events]\nevent =\n", UTIL_EDATA, ":2: [events] event needs a column name");
    read_fails(*state, "[dataset]\ndir =\n", UTIL_EDATA, ":2: dir needs a folder");
}

/* ---------- Where outcomes come from ---------- */

/* A won flag in the leads file: the default outcomes file is dropped and
 * the default won values apply. */
static void test_won_flag(void **state) {
    dsini L;
    read_ok(*state, "[leads]\nwon = converted\n", &L);
    assert_string_equal(L.l_won, "converted");
    assert_null(L.outcomes_file);
    assert_int_equal(L.nwon, 5);
    const char *want[] = {"1", "yes", "true", "y", "won"};
    for (size_t i = 0; i < 5; i++) assert_string_equal(L.won_values[i], want[i]);
    assert_int_equal(L.line_won, 2);
    dsini_fini(&L);
    read_ok(*state, "[leads]\nwon = stage\nwon_values = Closed Won\nlost_values = Closed Lost, Dead\n", &L);
    assert_int_equal(L.nwon, 1);
    assert_string_equal(L.won_values[0], "Closed Won");
    assert_int_equal(L.nlost, 2);
    assert_string_equal(L.lost_values[1], "Dead");
    dsini_fini(&L);
}

static void test_won_flag_and_outcomes_file(void **state) {
    read_fails(*state, "[leads]\nwon = converted\n[outcomes]\nfile = deals.csv\n", UTIL_EDATA,
               ":4: outcomes come either from [leads] won (line 2) or from an outcomes file, "
               "not both");
    /* [outcomes] file = none says there is no file: the flag is the only source */
    dsini L;
    read_ok(*state, "[leads]\nwon = converted\n[outcomes]\nfile = none\n", &L);
    assert_null(L.outcomes_file);
    dsini_fini(&L);
}

/* The message names the first key of [outcomes] (line 1 without one). */
static void test_outcomes_status(void **state) {
    read_fails(*state, "[leads]\n\n[outcomes]\nstatus = none\n", UTIL_EDATA,
               ":4: [outcomes] needs a status column or fixed_status");
    read_fails(*state, "[outcomes]\nfixed_status = maybe\n", UTIL_EDATA,
               ":2: fixed_status must be won, lost or open");
    dsini L;
    read_ok(*state, "[outcomes]\nfile = deals.csv\nclosed_at = won_date\nfixed_status = Won\n", &L);
    assert_int_equal(L.fixed_status, DATASET_WON);
    assert_null(L.o_status);
    assert_string_equal(L.o_closed, "won_date");
    assert_int_equal(L.line_fixed, 4);
    dsini_fini(&L);
}

/* ---------- Joins, placeholders, rows to skip, sql_at ---------- */

static void test_joins(void **state) {
    dsini L;
    read_ok(*state,
            "[leads]\nlead_id = id\nsql_at = SQL Date\n[dataset]\nmissing_values = Select, N/A\n"
            "[join accounts]\nfile = accounts.csv\nkey = Account Name\n"
            "attributes = Region, Owner\nmissing_values = -\n"
            "[join owners]\nfile = owners.csv\nkey = Owner\non = Owner\nattributes = Team\n"
            "[leads]\nskip_if_empty = created_at, Region\n",
            &L);
    assert_int_equal(L.njoins, 2);
    assert_string_equal(L.joins[0].name, "accounts");
    assert_string_equal(L.joins[0].file, "accounts.csv");
    assert_string_equal(L.joins[0].key, "Account Name");
    assert_null(L.joins[0].on);
    assert_int_equal(L.joins[0].nattributes, 2);
    assert_string_equal(L.joins[0].attributes[1], "Owner");
    assert_int_equal(L.joins[0].nmissing, 1);
    assert_string_equal(L.joins[1].on, "Owner");
    assert_int_equal(L.joins[1].line, 11);
    size_t n;
    char **m = dsini_missing(&L, DSINI_EVENTS, &n);
    assert_int_equal(n, 2);
    assert_string_equal(m[1], "N/A");
    assert_int_equal(L.nskip[DSINI_LEADS], 2);
    assert_string_equal(L.skip[DSINI_LEADS][1], "Region");
    assert_string_equal(L.l_sql, "SQL Date");
    assert_null(L.o_sql); /* a leads column: the outcomes file's is not read */
    dsini_fini(&L);
}

static void test_join_errors(void **state) {
    read_fails(*state, "[leads]\nlead_id = id\n[join]\n", UTIL_EDATA,
               ":3: [join] needs a name: [join NAME]");
    read_fails(*state, "[leads]\nlead_id = id\n[join a]\nfile = x.csv\nattributes = b\n",
               UTIL_EDATA,
               ":3: [join a] needs key (file, key and attributes are required; on defaults to "
               "the key's name)");
    read_fails(*state, "[leads]\nlead_id = id\n[join a]\nfile = x\nkey = k\nattributes = b\n[join a]\n",
               UTIL_EDATA, ":7: a second [join a] (the first is on line 3)");
    read_fails(*state, "[leads]\nlead_id = id\n[join a]\nkeys = k\n", UTIL_EDATA,
               ":4: unknown key 'keys' in [join a]; did you mean key?");
    read_fails(*state, "[join a]\nfile =\n", UTIL_EDATA, ":2: [join a] file needs a value");
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
        T(test_defaults_without_ini),
        T(test_empty_ini_keeps_defaults),
        T(test_ini_file_and_dir),
        T(test_no_such_dataset),
        T(test_exists),
        T(test_mapping),
        T(test_unknown_key),
        T(test_unknown_section),
        T(test_key_given_twice),
        T(test_required_roles),
        T(test_won_flag),
        T(test_joins),
        T(test_join_errors),
        T(test_won_flag_and_outcomes_file),
        T(test_outcomes_status),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
