/* test_dataset.c - unit tests for load_dataset: layouts, dataset.ini, data quality, snapshots.
 *
 * Each test writes a tiny dataset into a fresh mkdtemp folder, loads it and
 * checks the flat columns, the data-quality counts with their exact example
 * messages ("FILE:LINE: detail", SPEC 3), and what is fatal. The folder is
 * removed by the teardown. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
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

#include "dataset.h"
#include "load.h"
#include "tstamp.h"
#include "util.h"

/* ---------- Helpers ---------- */

static void rm_file(const char *dir, const char *name) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(unlink(p), 0);
}

static dataset *load_with(const char *path, int strict, int collect_all) {
    load_opts o = {.strict = strict, .collect_all = collect_all};
    util_err err = {0};
    dataset *ds = NULL;
    if (load_dataset(path, &o, &ds, &err) < 0) fail_msg("load_dataset %s: %s", path, err.msg);
    assert_non_null(ds);
    return ds;
}

static dataset *load(const char *path) { return load_with(path, 0, 0); }

/* Load that must fail with code and exactly the message "DIR/" + msg_rel. */
static void load_fails(const char *dir, int strict, int code, const char *msg_rel) {
    load_opts o = {.strict = strict};
    util_err err = {0};
    dataset *ds = NULL;
    assert_int_equal(load_dataset(dir, &o, &ds, &err), -1);
    assert_null(ds);
    assert_int_equal(err.code, code);
    char want[1024];
    snprintf(want, sizeof want, "%s/%s", dir, msg_rel);
    assert_string_equal(err.msg, want);
}

static int64_t ts(const char *s) {
    int64_t t;
    if (tstamp_parse(s, strlen(s), &t) < 0) fail_msg("bad test timestamp %s", s);
    return t;
}

static long lead(const dataset *ds, const char *id) {
    long i = strtab_find(&ds->ids, id, strlen(id));
    if (i < 0) fail_msg("no lead %s", id);
    return i;
}

static const char *attr_of(const dataset *ds, const char *col, const char *id) {
    long a = dataset_attr_find(ds, col);
    assert_true(a >= 0);
    return strtab_str(&ds->attrs[a].values, ds->attrs[a].code[lead(ds, id)]);
}

/* The k-th example of class cls, with the dataset folder prefix removed. */
static void check_example(const dataset *ds, const char *dir, int cls, int k, const char *rel) {
    assert_true(k < ds->dq[cls].nexamples);
    char want[1024];
    snprintf(want, sizeof want, "%s/%s", dir, rel);
    assert_string_equal(ds->dq[cls].examples[k], want);
}

/* ---------- Default layout ---------- */

static void test_leads_only(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at,industry,size\n"
        "a,2025-01-06,software, 10 \n"
        " b ,2025-01-07 12:30,\"  retail \",\n"
        "c,2025-01-05T08:00:00+02:00,software,200\n");
    dataset *ds = load(dir);
    char want[512];
    snprintf(want, sizeof want, "%s/leads.csv", dir);
    assert_string_equal(ds->leads_path, want);
    assert_null(ds->events_path);
    assert_null(ds->outcomes_path);
    assert_null(ds->ini_path);
    assert_int_equal(ds->snapshot, 0);
    assert_int_equal(ds->has_events, 0);
    assert_int_equal(ds->has_amount, 0);
    assert_int_equal(ds->nleads, 3);
    assert_int_equal(ds->nevents, 0);
    for (size_t i = 0; i <= ds->nleads; i++) assert_int_equal(ds->ev_off[i], 0);
    /* ids trimmed, in file order */
    assert_int_equal(lead(ds, "a"), 0);
    assert_int_equal(lead(ds, "b"), 1);
    assert_int_equal(lead(ds, "c"), 2);
    assert_true(ds->created[0] == ts("2025-01-06"));
    assert_true(ds->created[1] == ts("2025-01-07 12:30"));
    assert_true(ds->created[2] == ts("2025-01-05 06:00")); /* offset converted to UTC */
    for (size_t i = 0; i < ds->nleads; i++) {
        assert_int_equal(ds->status[i], DATASET_OPEN); /* no outcomes file: open */
        assert_true(ds->closed[i] == TSTAMP_NONE);
        assert_true(isnan(ds->amount[i]));
    }
    /* every column without a role is an attribute, cells trimmed */
    assert_int_equal(ds->nattrs, 2);
    assert_string_equal(ds->attrs[0].name, "industry");
    assert_string_equal(ds->attrs[1].name, "size");
    assert_int_equal(dataset_attr_find(ds, "created_at"), -1);
    assert_int_equal(dataset_attr_find(ds, "lead_id"), -1);
    assert_int_equal(dataset_attr_find(ds, "Industry"), -1);
    assert_string_equal(attr_of(ds, "industry", "a"), "software");
    assert_string_equal(attr_of(ds, "industry", "b"), "retail");
    assert_string_equal(attr_of(ds, "size", "a"), "10");
    assert_string_equal(attr_of(ds, "size", "b"), "");
    assert_int_equal(ds->attrs[0].values.n, 2); /* dictionary: software, retail */
    assert_true(ds->max_time == ts("2025-01-07 12:30"));
    for (int c = 0; c < DATASET_DQ_COUNT; c++) assert_int_equal(ds->dq[c].count, 0);
    dataset_free(ds);
}

static void test_default_files(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "created_at,lead_id\n2025-01-06,a\n2025-01-06,b\n2025-01-06,c\n2025-01-06,d\n");
    tmpdir_put(dir, "events.csv",
        "event,lead_id,value,timestamp,extra\n"
        "web,a,,2025-01-07,x\n"
        "pdf,a,3,2025-01-08,y\n"
        "web,c,,2025-01-09,z\n");
    tmpdir_put(dir, "outcomes.csv",
        "lead_id,status,closed_at,amount,owner\n"
        "a,Won,2025-02-01,1500.5,x\n"
        "b,LOST,2025-02-02,,y\n"
        "c, open ,,,z\n");
    dataset *ds = load(dir);
    assert_non_null(ds->events_path);
    assert_non_null(ds->outcomes_path);
    assert_int_equal(ds->has_events, 1);
    assert_int_equal(ds->has_amount, 1);
    assert_int_equal(ds->nrows_events, 3);
    assert_int_equal(ds->nrows_outcomes, 3);
    long a = lead(ds, "a"), b = lead(ds, "b"), c = lead(ds, "c"), d = lead(ds, "d");
    assert_int_equal(ds->status[a], DATASET_WON);
    assert_int_equal(ds->status[b], DATASET_LOST);
    assert_int_equal(ds->status[c], DATASET_OPEN);
    assert_int_equal(ds->status[d], DATASET_OPEN); /* no row: open */
    assert_true(ds->closed[a] == ts("2025-02-01"));
    assert_true(ds->closed[b] == ts("2025-02-02"));
    assert_true(ds->closed[c] == TSTAMP_NONE);
    assert_true(ds->amount[a] == 1500.5);
    assert_true(isnan(ds->amount[b]));
    assert_int_equal(ds->nevents, 3);
    assert_int_equal(ds->types.n, 2);
    assert_int_equal(ds->ev_off[a + 1] - ds->ev_off[a], 2);
    assert_int_equal(ds->ev_off[c + 1] - ds->ev_off[c], 1);
    assert_int_equal(ds->ev_off[d + 1] - ds->ev_off[d], 0);
    assert_string_equal(strtab_str(&ds->types, ds->ev_type[ds->ev_off[a]]), "web");
    assert_string_equal(strtab_str(&ds->types, ds->ev_type[ds->ev_off[a] + 1]), "pdf");
    assert_true(ds->max_time == ts("2025-02-02"));
    dataset_free(ds);
}

/* ---------- dataset.ini ---------- */

static void test_ini_mapping(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "dataset.ini",
        "; a CRM export\n"
        "[leads]\n"
        "file = contacts.csv\n"
        "lead_id = Contact ID\n"
        "created_at = Create Date\n"
        "won = Converted\n"
        "won_values = yes, Y\n"
        "lost_values = no\n"
        "closed_at = Close Date\n"
        "amount = Deal Value\n"
        "attributes = Industry\n"
        "[events]\n"
        "file = activity.csv\n"
        "lead_id = contact\n"
        "timestamp = when\n"
        "event = what\n");
    tmpdir_put(dir, "contacts.csv",
        "\xEF\xBB\xBF\"Contact ID\",Create Date,Industry,Converted,Close Date,Deal Value,Notes\r\n"
        "A-1,2025-01-06,software,yes,2025-02-01,100,\"a, b\"\r\n"
        "A-2,2025-01-06,retail,no,2025-02-02,,\"two\r\nlines\"\r\n"
        "A-3,2025-01-06,retail,maybe,,,\r\n"
        "A-4,2025-01-06,retail,y,2025-02-03,7,");
    tmpdir_put(dir, "activity.csv", "what,when,contact\nWeb Visit,2025-01-07,A-1\nWeb Visit,2025-01-08,A-3\n");
    dataset *ds = load(dir);
    char want[512];
    snprintf(want, sizeof want, "%s/dataset.ini", dir);
    assert_string_equal(ds->ini_path, want);
    snprintf(want, sizeof want, "%s/contacts.csv", dir);
    assert_string_equal(ds->leads_path, want);
    assert_null(ds->outcomes_path); /* outcomes come from the won flag */
    assert_int_equal(ds->nleads, 4);
    assert_int_equal(ds->status[lead(ds, "A-1")], DATASET_WON);
    assert_int_equal(ds->status[lead(ds, "A-2")], DATASET_LOST);
    assert_int_equal(ds->status[lead(ds, "A-3")], DATASET_OPEN); /* neither list */
    assert_int_equal(ds->status[lead(ds, "A-4")], DATASET_WON);  /* Y, any case */
    assert_true(ds->closed[lead(ds, "A-2")] == ts("2025-02-02"));
    assert_true(ds->amount[lead(ds, "A-1")] == 100);
    assert_true(ds->amount[lead(ds, "A-4")] == 7);
    assert_int_equal(ds->has_amount, 1);
    /* only the listed attribute; Notes is not one */
    assert_int_equal(ds->nattrs, 1);
    assert_string_equal(ds->attrs[0].name, "Industry");
    assert_int_equal(ds->nevents, 2);
    assert_string_equal(strtab_str(&ds->types, 0), "Web Visit");
    assert_true(ds->max_time == ts("2025-02-03"));
    dataset_free(ds);
}

/* `won = COLUMN` without won_values: 1, yes, true, y and won mean won. */
static void test_ini_won_flag_defaults(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "dataset.ini", "[leads]\nwon = converted\n");
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at,converted\n"
        "a,2025-01-06,1\nb,2025-01-06,0\nc,2025-01-06,yes\nd,2025-01-06,no\n"
        "e,2025-01-06,TRUE\nf,2025-01-06,Won\ng,2025-01-06,\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status\nb,won\n"); /* ignored: outcomes come from the flag */
    dataset *ds = load(dir);
    const char *won = "acef";
    for (char c = 'a'; c <= 'g'; c++) {
        char id[2] = {c, '\0'};
        long i = lead(ds, id);
        int expect = strchr(won, c) ? DATASET_WON : DATASET_OPEN;
        if (ds->status[i] != expect) fail_msg("lead %s: status %d, expected %d", id, ds->status[i], expect);
    }
    assert_null(ds->outcomes_path);
    /* won leads without closed_at are counted, on the leads file */
    assert_int_equal(ds->dq[DATASET_DQ_WON_NO_CLOSE].count, 4);
    check_example(ds, dir, DATASET_DQ_WON_NO_CLOSE, 0, "leads.csv:2: won lead 'a' has no closed_at");
    dataset_free(ds);
}

/* Load that must fail with UTIL_EDATA and FMT, every %s in it the folder. */
static void load_fails_dir(const char *dir, const char *fmt) {
    load_opts o = {0};
    util_err err = {0};
    dataset *ds = NULL;
    assert_int_equal(load_dataset(dir, &o, &ds, &err), -1);
    assert_null(ds);
    assert_int_equal(err.code, UTIL_EDATA);
    char want[1024];
    snprintf(want, sizeof want, fmt, dir, dir);
    assert_string_equal(err.msg, want);
}

/* won_values and lost_values given in dataset.ini must each match a row;
 * the message lists the column's first distinct cells as they appear. */
static void test_ini_won_values_match_nothing(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "dataset.ini", "[leads]\nwon = stage\nwon_values = Closed Won\n");
    tmpdir_put(dir, "leads.csv",
        "lead_id,created_at,stage\n"
        "a,2025-01-06,Won\nb,2025-01-06,Lost\nc,2025-01-06,Won\nd,2025-01-06,\n");
    load_fails_dir(dir,
               "%s/dataset.ini:3: won_values (Closed Won) match no row of %s/leads.csv: its "
               "column 'stage' has 'Won', 'Lost', '' (its distinct values, in order of first "
               "appearance)");
}

static void test_ini_lost_values_match_nothing(void **state) {
    const char *dir = *state;
    /* more than ten distinct cells: the first ten, and "and more" */
    char leads[2000] = "lead_id,created_at,stage\n";
    for (int i = 0; i < 14; i++) {
        char row[80];
        snprintf(row, sizeof row, "l%d,2025-01-06,s%d\n", i, i % 12);
        strcat(leads, row);
    }
    strcat(leads, "w,2025-01-06,won\n");
    tmpdir_put(dir, "leads.csv", leads);
    tmpdir_put(dir, "dataset.ini", "[leads]\nwon = stage\nlost_values = gone, lost\n");
    load_fails_dir(dir,
               "%s/dataset.ini:3: lost_values (gone, lost) match no row of %s/leads.csv: its "
               "column 'stage' has 's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9' "
               "and more (its first ten distinct values, in order of first appearance)");
    /* check lists both, as problems that stop a run, and writes no cache */
    tmpdir_put(dir, "dataset.ini",
               "[leads]\nwon = stage\nwon_values = yes\nlost_values = no\n");
    dataset *ds = load_with(dir, 0, 1);
    assert_int_equal(ds->dq[DATASET_DQ_NO_MATCH].count, 2);
    assert_int_equal(dataset_fatal_count(ds), 2);
    dataset_free(ds);
}

/* The default won values, an explicit list that matches, and a leads file
 * without rows are no error: a dataset may have no won lead. */
static void test_ini_won_values_may_match(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "dataset.ini", "[leads]\nwon = converted\n");
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,converted\na,2025-01-06,0\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->status[0], DATASET_OPEN);
    dataset_free(ds);
    tmpdir_put(dir, "dataset.ini", "[leads]\nwon = converted\nwon_values = \n");
    ds = load(dir); /* an empty list is the default */
    dataset_free(ds);
    tmpdir_put(dir, "dataset.ini",
               "[leads]\nwon = converted\nwon_values = 2, 0\nlost_values = x, 0\n");
    ds = load(dir); /* one cell matching both lists: won, and each list matched */
    assert_int_equal(ds->status[0], DATASET_WON);
    dataset_free(ds);
    tmpdir_put(dir, "leads.csv", "lead_id,created_at,converted\n");
    tmpdir_put(dir, "dataset.ini", "[leads]\nwon = converted\nwon_values = Closed Won\n");
    ds = load(dir);
    assert_int_equal(ds->nleads, 0);
    dataset_free(ds);
}

/* An outcomes file that lists won deals only; loading through the ini's own path. */
static void test_ini_fixed_status(void **state) {
    const char *dir = *state;
    char sub[512], ini[600];
    snprintf(sub, sizeof sub, "%s/conf", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    tmpdir_put(sub, "my.ini",
        "[dataset]\n"
        "dir = ..\n"
        "[leads]\n"
        "file = mql.csv\n"
        "lead_id = mql_id\n"
        "created_at = first_contact\n"
        "[events]\n"
        "file = none\n"
        "[outcomes]\n"
        "file = deals.csv\n"
        "lead_id = mql_id\n"
        "fixed_status = won\n"
        "closed_at = won_date\n"
        "amount = none\n");
    tmpdir_put(dir, "mql.csv", "mql_id,first_contact,origin\nm1,2025-01-06,paid\nm2,2025-01-07,organic\nm3,2025-01-08,\n");
    tmpdir_put(dir, "deals.csv", "mql_id,won_date,declared_revenue\nm2,2025-03-01,500\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\nm1,2025-01-07,x\n"); /* not used: file = none */
    snprintf(ini, sizeof ini, "%s/my.ini", sub);
    dataset *ds = load(ini);
    assert_string_equal(ds->ini_path, ini);
    assert_null(ds->events_path);
    assert_int_equal(ds->has_events, 0);
    assert_int_equal(ds->nevents, 0);
    assert_int_equal(ds->has_amount, 0); /* amount = none */
    assert_int_equal(ds->status[lead(ds, "m1")], DATASET_OPEN);
    assert_int_equal(ds->status[lead(ds, "m2")], DATASET_WON);
    assert_int_equal(ds->status[lead(ds, "m3")], DATASET_OPEN);
    assert_true(ds->closed[lead(ds, "m2")] == ts("2025-03-01"));
    assert_true(isnan(ds->amount[lead(ds, "m2")]));
    assert_int_equal(ds->nattrs, 1);
    assert_string_equal(ds->attrs[0].name, "origin");
    assert_true(ds->max_time == ts("2025-03-01"));
    dataset_free(ds);
}

static void test_ini_errors(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\n");
    tmpdir_put(dir, "dataset.ini", "[leads]\nlead_idx = id\n");
    load_fails(dir, 0, UTIL_EDATA,
               "dataset.ini:2: unknown key 'lead_idx' in [leads]; did you mean lead_id?");
    tmpdir_put(dir, "dataset.ini", "[lead]\n");
    load_fails(dir, 0, UTIL_EDATA,
               "dataset.ini:1: unknown section [lead] (expected [dataset], [leads], [events], "
               "[outcomes] or [join NAME]); did you mean [leads]?");
    tmpdir_put(dir, "dataset.ini", "[outcomes]\nfixed_status = maybe\n");
    load_fails(dir, 0, UTIL_EDATA, "dataset.ini:2: fixed_status must be won, lost or open");
    tmpdir_put(dir, "dataset.ini", "[leads]\ncreated_at = Created\n");
    load_fails(dir, 0, UTIL_EDATA,
               "leads.csv:1: missing required column 'Created' (created_at; the header has: "
               "lead_id, created_at)");
    tmpdir_put(dir, "dataset.ini", "[events]\nfile = nothere.csv\n");
    load_opts o = {0};
    util_err err = {0};
    dataset *ds = NULL;
    assert_int_equal(load_dataset(dir, &o, &ds, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_non_null(strstr(err.msg, "nothere.csv"));
}

/* ---------- Data quality ---------- */

static void test_dq_counted(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\nb,2025-01-06\nc,2025-01-06\nd,2025-01-06\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\n"
        "a,2025-01-07,web\n"
        "zz,2025-01-07,web\n"   /* line 3: unknown lead */
        "a,2025-01-05,web\n"    /* line 4: before created_at */
        "b,2025-01-08,  \n"     /* line 5: empty event type */
        "a,2025-01-06,web\n");  /* exactly at created_at: fine */
    tmpdir_put(dir, "outcomes.csv",
        "lead_id,status,closed_at,amount\n"
        "a,won,2025-02-01,100\n"
        "b,won,,200\n"           /* line 3: won without closed_at */
        "qq,lost,2025-02-01,\n"  /* line 4: unknown lead */
        "a,won,2025-02-03,lots\n" /* line 5: duplicate of line 2, and a bad amount */
        "c,lost,2025-01-01,\n"); /* line 6: closed before created */
    dataset *ds = load(dir);
    assert_int_equal(ds->dq[DATASET_DQ_EVENT_UNKNOWN].count, 1);
    check_example(ds, dir, DATASET_DQ_EVENT_UNKNOWN, 0, "events.csv:3: event for unknown lead 'zz'");
    assert_int_equal(ds->dq[DATASET_DQ_EVENT_EARLY].count, 1);
    check_example(ds, dir, DATASET_DQ_EVENT_EARLY, 0,
                  "events.csv:4: event at 2025-01-05 00:00:00 is before lead 'a' was created "
                  "(2025-01-06 00:00:00)");
    assert_int_equal(ds->dq[DATASET_DQ_EMPTY_EVENT].count, 1);
    check_example(ds, dir, DATASET_DQ_EMPTY_EVENT, 0, "events.csv:5: empty event type");
    assert_int_equal(ds->dq[DATASET_DQ_OUTCOME_UNKNOWN].count, 1);
    check_example(ds, dir, DATASET_DQ_OUTCOME_UNKNOWN, 0, "outcomes.csv:4: outcome for unknown lead 'qq'");
    assert_int_equal(ds->dq[DATASET_DQ_DUP_OUTCOME].count, 1);
    check_example(ds, dir, DATASET_DQ_DUP_OUTCOME, 0,
                  "outcomes.csv:5: second outcome row for lead 'a' (first on line 2; the last wins)");
    assert_int_equal(ds->dq[DATASET_DQ_BAD_AMOUNT].count, 1);
    check_example(ds, dir, DATASET_DQ_BAD_AMOUNT, 0, "outcomes.csv:5: amount 'lots' is not a number");
    assert_int_equal(ds->dq[DATASET_DQ_WON_NO_CLOSE].count, 1);
    check_example(ds, dir, DATASET_DQ_WON_NO_CLOSE, 0, "outcomes.csv:3: won lead 'b' has no closed_at");
    assert_int_equal(ds->dq[DATASET_DQ_CLOSE_EARLY].count, 1);
    check_example(ds, dir, DATASET_DQ_CLOSE_EARLY, 0,
                  "outcomes.csv:6: lead 'c' closed at 2025-01-01 00:00:00, before it was created "
                  "(2025-01-06 00:00:00)");
    for (int c = 0; c < DATASET_DQ_NFATAL; c++) assert_int_equal(ds->dq[c].count, 0);
    assert_int_equal(dataset_fatal_count(ds), 0);
    /* what was kept: the last outcome row of a wins (whole row); only a's two good events */
    long a = lead(ds, "a");
    assert_true(ds->closed[a] == ts("2025-02-03"));
    assert_true(isnan(ds->amount[a]));
    assert_int_equal(ds->nevents, 2);
    assert_int_equal(ds->nrows_events, 5);
    assert_int_equal(ds->nrows_outcomes, 5);
    assert_int_equal(ds->ev_off[a + 1] - ds->ev_off[a], 2);
    assert_true(ds->ev_time[ds->ev_off[a]] == ts("2025-01-06"));
    assert_true(ds->ev_time[ds->ev_off[a] + 1] == ts("2025-01-07"));
    dataset_free(ds);
}

static void test_dq_examples_capped(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\n");
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "lead_id,timestamp,event\n");
    for (int i = 0; i < 8; i++) util_buf_printf(&b, "x%d,2025-01-07,web\n", i);
    util_buf_append(&b, "", 1);
    tmpdir_put(dir, "events.csv", b.data);
    util_buf_fini(&b);
    dataset *ds = load(dir);
    assert_int_equal(ds->dq[DATASET_DQ_EVENT_UNKNOWN].count, 8);
    assert_int_equal(ds->dq[DATASET_DQ_EVENT_UNKNOWN].nexamples, DATASET_DQ_EXAMPLES);
    for (int k = 0; k < DATASET_DQ_EXAMPLES; k++) {
        char rel[100];
        snprintf(rel, sizeof rel, "events.csv:%d: event for unknown lead 'x%d'", k + 2, k);
        check_example(ds, dir, DATASET_DQ_EVENT_UNKNOWN, k, rel);
    }
    dataset_free(ds);
}

static void test_strict(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\nzz,2025-01-07,web\n");
    load_fails(dir, 1, UTIL_EDATA, "events.csv:3: event for unknown lead 'zz' (fatal with --strict)");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,won,\n");
    load_fails(dir, 1, UTIL_EDATA, "outcomes.csv:2: won lead 'a' has no closed_at (fatal with --strict)");
    /* the same data loads without --strict */
    dataset *ds = load(dir);
    assert_int_equal(ds->dq[DATASET_DQ_WON_NO_CLOSE].count, 1);
    dataset_free(ds);
}

static void test_fatal(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\nb,2025-01-06\na,2025-01-07\n");
    load_fails(dir, 0, UTIL_EDATA, "leads.csv:4: duplicate lead_id 'a'");
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\nb,06/01/2025\n");
    load_fails(dir, 0, UTIL_EDATA, "leads.csv:3: created_at '06/01/2025' is not a timestamp");
    tmpdir_put(dir, "leads.csv", "id,created_at\na,2025-01-06\n");
    load_fails(dir, 0, UTIL_EDATA,
               "leads.csv:1: missing required column 'lead_id' (lead id; the header has: id, "
               "created_at)");
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,closed-won,2025-02-01\n");
    load_fails(dir, 0, UTIL_EDATA,
               "outcomes.csv:2: unknown status 'closed-won' (expected won, lost or open)");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,won,2025-02-30\n");
    load_fails(dir, 0, UTIL_EDATA, "outcomes.csv:2: closed_at '2025-02-30' is not a timestamp");
    rm_file(dir, "outcomes.csv");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\na,yesterday,web\n");
    load_fails(dir, 0, UTIL_EDATA, "events.csv:3: timestamp 'yesterday' is not a timestamp");
}

/* check mode: fatal row problems are counted and loading goes on. */
static void test_collect_all(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\na,2025-01-06\nb,soon\nc,2025-01-06\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\nc,done,2025-02-01\na,won,2025-02-01\n");
    dataset *ds = load_with(dir, 0, 1);
    assert_int_equal(ds->dq[DATASET_DQ_DUP_LEAD].count, 1);
    assert_int_equal(ds->dq[DATASET_DQ_BAD_TIME].count, 1);
    assert_int_equal(ds->dq[DATASET_DQ_BAD_STATUS].count, 1);
    check_example(ds, dir, DATASET_DQ_DUP_LEAD, 0, "leads.csv:3: duplicate lead_id 'a'");
    check_example(ds, dir, DATASET_DQ_BAD_STATUS, 0,
                  "outcomes.csv:2: unknown status 'done' (expected won, lost or open)");
    assert_int_equal(dataset_fatal_count(ds), 3);
    assert_int_equal(ds->nleads, 2); /* a, c */
    assert_int_equal(ds->status[lead(ds, "a")], DATASET_WON);
    dataset_free(ds);
}

/* ---------- Snapshots ---------- */

static void test_snapshot(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,industry\na,software\nb,retail\n");
    tmpdir_put(dir, "events.csv", "lead_id,event\nb,web\na,pdf\nb,web\n");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status\na,won\nb,Lost\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->snapshot, 1);
    assert_true(ds->max_time == 0);
    assert_int_equal(ds->nleads, 2);
    assert_true(ds->created[0] == 0 && ds->created[1] == 0);
    assert_int_equal(ds->nevents, 3);
    for (size_t k = 0; k < ds->nevents; k++) assert_true(ds->ev_time[k] == 0);
    long a = lead(ds, "a"), b = lead(ds, "b");
    assert_int_equal(ds->ev_off[a + 1] - ds->ev_off[a], 1);
    assert_int_equal(ds->ev_off[b + 1] - ds->ev_off[b], 2);
    assert_int_equal(ds->status[a], DATASET_WON);
    assert_int_equal(ds->status[b], DATASET_LOST);
    /* no closed_at is expected in a snapshot: not counted as a problem */
    assert_int_equal(ds->dq[DATASET_DQ_WON_NO_CLOSE].count, 0);
    assert_int_equal(ds->nattrs, 1);
    dataset_free(ds);
}

/* created_at = none in dataset.ini also makes a snapshot. */
static void test_snapshot_by_ini(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "dataset.ini", "[leads]\ncreated_at = none\n[outcomes]\nclosed_at = none\n");
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\n"); /* the column is then an attribute */
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,won,2025-02-01\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->snapshot, 1);
    assert_true(ds->created[0] == 0);
    assert_true(ds->closed[0] == TSTAMP_NONE);
    assert_int_equal(ds->status[0], DATASET_WON);
    dataset_free(ds);
}

/* created_at given twice, none then a column: the last one wins, whole.
 * (It once left the dataset a snapshot that still read created_at, so the
 * events, without times, all fell before their leads were created.) */
static void test_created_at_none_then_named(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "dataset.ini", "[leads]\ncreated_at = none\ncreated_at = signup\n");
    tmpdir_put(dir, "leads.csv", "lead_id,signup\na,2025-01-06\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->snapshot, 0);
    assert_true(ds->created[0] == ts("2025-01-06"));
    assert_true(ds->max_time == ts("2025-01-06"));
    dataset_free(ds);

    tmpdir_put(dir, "dataset.ini", "[leads]\ncreated_at = signup\ncreated_at = none\n");
    ds = load(dir);
    assert_int_equal(ds->snapshot, 1);
    assert_true(ds->created[0] == 0);
    dataset_free(ds);
}

/* Times in some files but not in the leads file: an error, not a half snapshot. */
static void test_snapshot_mixed(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,industry\na,software\n");
    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\n");
    load_fails(dir, 0, UTIL_EDATA,
               "events.csv:1: events have timestamps but the leads file has no 'created_at' column");
    rm_file(dir, "events.csv");
    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,won,2025-02-01\n");
    load_fails(dir, 0, UTIL_EDATA,
               "outcomes.csv:1: outcomes have closed_at but the leads file has no 'created_at' "
               "column");
    /* and the other way round (this message once named the column '(null)') */
    rm_file(dir, "outcomes.csv");
    tmpdir_put(dir, "leads.csv", "lead_id,signup\na,2025-01-06\n");
    tmpdir_put(dir, "events.csv", "lead_id,event\na,web\n");
    tmpdir_put(dir, "dataset.ini", "[leads]\ncreated_at = signup\n[events]\ntimestamp = none\n");
    load_fails(dir, 0, UTIL_EDATA,
               "events.csv:1: events have no timestamps (timestamp = none) but the leads file has "
               "a 'signup' column");
}

/* ---------- Event order and max_time ---------- */

static void test_event_sorting(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-01\nb,2025-01-01\nc,2025-01-01\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\n"
        "c,2025-01-09,c9\n"
        "a,2025-01-05,a5\n"
        "b,2025-01-03,b3\n"
        "a,2025-01-02,a2\n"
        "c,2025-01-04,c4\n"
        "a,2025-01-08,a8\n"
        "a,2025-01-02 00:00:01,a2s\n"
        "c,2025-01-01,c1\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->nevents, 8);
    static const char *want[3][4] = {{"a2", "a2s", "a5", "a8"}, {"b3"}, {"c1", "c4", "c9"}};
    static const size_t nwant[3] = {4, 1, 3};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ds->ev_off[i + 1] - ds->ev_off[i], nwant[i]);
        for (size_t k = 0; k < nwant[i]; k++) {
            size_t e = ds->ev_off[i] + k;
            const char *ty = strtab_str(&ds->types, ds->ev_type[e]);
            assert_string_equal(ty, want[i][k]); /* each type stays with its own time */
            if (k) assert_true(ds->ev_time[e - 1] <= ds->ev_time[e]);
        }
    }
    assert_true(ds->ev_time[ds->ev_off[0] + 1] == ts("2025-01-02 00:00:01"));
    assert_int_equal(ds->ev_off[3], 8);
    dataset_free(ds);
}

/* Events already grouped by lead and in time order keep their order; equal
 * times stay together. */
static void test_event_sorted_input(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-01\nb,2025-01-01\n");
    tmpdir_put(dir, "events.csv",
        "lead_id,timestamp,event\na,2025-01-02,x\na,2025-01-02,y\na,2025-01-03,z\nb,2025-01-01,w\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->ev_off[1], 3);
    assert_int_equal(ds->ev_off[2], 4);
    assert_string_equal(strtab_str(&ds->types, ds->ev_type[2]), "z");
    assert_string_equal(strtab_str(&ds->types, ds->ev_type[3]), "w");
    dataset_free(ds);
}

/* max_time: the latest timestamp in any row of any file, rows skipped later included. */
static void test_max_time(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv", "lead_id,created_at\na,2025-01-06\nb,2025-01-10\n");
    dataset *ds = load(dir);
    assert_true(ds->max_time == ts("2025-01-10"));
    dataset_free(ds);

    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\nzz,2025-03-01 10:00,web\n");
    ds = load(dir);
    assert_true(ds->max_time == ts("2025-03-01 10:00")); /* an unknown lead's event */
    dataset_free(ds);

    tmpdir_put(dir, "events.csv", "lead_id,timestamp,event\na,2025-01-07,web\nb,2025-03-02,\n");
    ds = load(dir);
    assert_true(ds->max_time == ts("2025-03-02")); /* an event with an empty type */
    dataset_free(ds);

    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\nqq,lost,2025-04-01T00:30:00+01:00\n");
    ds = load(dir);
    assert_true(ds->max_time == ts("2025-03-31 23:30")); /* an unknown lead's closed_at, in UTC */
    dataset_free(ds);

    tmpdir_put(dir, "outcomes.csv", "lead_id,status,closed_at\na,open,2025-05-01\na,lost,2025-02-01\n");
    ds = load(dir);
    assert_true(ds->max_time == ts("2025-05-01")); /* a row overwritten by a later one */
    dataset_free(ds);
}

static void test_labels_and_free(void **state) {
    (void)state;
    assert_string_equal(dataset_dq_label(DATASET_DQ_EVENT_UNKNOWN), "events for unknown leads (skipped)");
    assert_string_equal(dataset_dq_label(DATASET_DQ_DUP_OUTCOME), "duplicate outcome rows (the last wins)");
    assert_string_equal(dataset_dq_label(-1), "?");
    assert_string_equal(dataset_dq_label(DATASET_DQ_COUNT), "?");
    for (int c = 0; c < DATASET_DQ_COUNT; c++) assert_true(strlen(dataset_dq_label(c)) > 3);
    dataset_free(NULL);
}

static void test_missing_folder(void **state) {
    const char *dir = *state;
    char p[600];
    snprintf(p, sizeof p, "%s/nope", dir);
    load_opts o = {0};
    util_err err = {0};
    dataset *ds = NULL;
    assert_int_equal(load_dataset(p, &o, &ds, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    char want[700];
    snprintf(want, sizeof want, "%s: no such dataset folder or dataset.ini", p);
    assert_string_equal(err.msg, want);
}

/* won_values, lost_values and missing_values compare with case folding
 * beyond ASCII; skip_if_empty and a join keep what they are given. */
static void test_crm_keys(void **state) {
    const char *dir = *state;
    tmpdir_put(dir, "leads.csv",
               "id,created,Stage,Account,Note\n"
               "a,2025-01-01,GAGNÉE,Acme,Sélectionner\n"
               "b,2025-01-02,perdue,Globex,x\n"
               "c,,gagnée,Acme,x\n"
               "d,2025-01-04,ouverte,Nobody,x\n");
    tmpdir_put(dir, "accounts.csv", "Account,Region\nAcme,EU\nGlobex,SÉLECTIONNER\n");
    tmpdir_put(dir, "dataset.ini",
               "[dataset]\nmissing_values = sélectionner\n[leads]\nlead_id = id\n"
               "created_at = created\nwon = Stage\nwon_values = Gagnée\nlost_values = PERDUE\n"
               "skip_if_empty = created_at\n[events]\nfile = none\n"
               "[join accounts]\nfile = accounts.csv\nkey = Account\nattributes = Region\n");
    dataset *ds = load(dir);
    assert_int_equal(ds->nleads, 3); /* c has no created date: left out */
    assert_int_equal(ds->dq[DATASET_DQ_SKIPPED].count, 1);
    assert_int_equal(ds->status[0], DATASET_WON);
    assert_int_equal(ds->status[1], DATASET_LOST);
    assert_int_equal(ds->status[2], DATASET_OPEN);
    long note = dataset_attr_find(ds, "Note"), region = dataset_attr_find(ds, "Region");
    assert_true(note >= 0 && region >= 0);
    assert_string_equal(strtab_str(&ds->attrs[note].values, ds->attrs[note].code[0]), "");
    assert_string_equal(strtab_str(&ds->attrs[region].values, ds->attrs[region].code[0]), "EU");
    assert_string_equal(strtab_str(&ds->attrs[region].values, ds->attrs[region].code[1]), "");
    assert_string_equal(strtab_str(&ds->attrs[region].values, ds->attrs[region].code[2]), "");
    assert_int_equal(ds->dq[DATASET_DQ_JOIN_MISS].count, 1); /* d: Nobody */
    assert_true(ds->uncached);
    assert_string_equal(ds->stage.name, "Stage");
    dataset_free(ds);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_leads_only),          T(test_default_files),
        T(test_ini_mapping),         T(test_ini_won_flag_defaults),
        T(test_ini_fixed_status),    T(test_ini_errors),
        T(test_ini_won_values_match_nothing), T(test_ini_lost_values_match_nothing),
        T(test_ini_won_values_may_match),
        T(test_dq_counted),          T(test_dq_examples_capped),
        T(test_strict),              T(test_fatal),
        T(test_collect_all),         T(test_snapshot),
        T(test_snapshot_by_ini),     T(test_snapshot_mixed),
        T(test_created_at_none_then_named),
        T(test_event_sorting),       T(test_event_sorted_input),
        T(test_max_time),            T(test_labels_and_free),
        T(test_missing_folder),
        T(test_crm_keys),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
