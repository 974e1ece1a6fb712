/* test_out_run.c - unit tests for out_run and out_scn: run's tables, weekly.csv, the Data section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "out_run.h"
#include "out_scn.h"
#include "tstamp.h"

/* One hand-made scenario: its name starts with '-' (a formula to a
 * spreadsheet) and has an underscore (emphasis in Markdown). */
typedef struct fixture {
    scenario sc;
    dataset ds;
    replay rp;
    metrics_row rows[2];
    long weekly[2];
    out_scn s;
} fixture;

static void make(fixture *f, int timed) {
    memset(f, 0, sizeof *f);
    f->sc.name = "-x_1";
    f->sc.description = "a|b\n**c**";
    f->ds.nleads = 10;
    f->ds.nevents = 30;
    f->ds.nrows_events = 31;
    f->ds.nrows_outcomes = 4;
    static char outcomes[] = "outcomes.csv";
    f->ds.outcomes_path = outcomes;
    f->ds.dq[DATASET_DQ_BAD_STATUS].count = 2;
    f->ds.dq[DATASET_DQ_BAD_STATUS].nexamples = 1;
    static char example[] = "leads.csv:3: <b>|";
    f->ds.dq[DATASET_DQ_BAD_STATUS].examples[0] = example;
    static int64_t created[10]; /* all at 0, as is until: one week */
    static uint32_t lead[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    static uint8_t status[10] = {1, 1, 1, 1, 2, 2, 0, 0, 0, 0}; /* 4 won, 2 lost, 4 open */
    static int64_t closed[10] = {INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN,
                                 INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN};
    f->ds.created = created;
    f->ds.status = status;
    f->ds.closed = closed;
    f->rp.lead = lead;
    f->rp.created = created;
    f->rp.n = 10;
    f->rp.nwon = 4;
    f->rp.counted_events = 25;
    f->rp.has_amount = 1;
    f->rp.timed = timed;
    f->rp.until = 0;
    f->weekly[0] = 3;
    f->weekly[1] = 2;
    f->rows[0] = (metrics_row){.threshold = 5, .leads = 10, .won = 4, .mqls = 5, .tp = 3, .fp = 2,
                               .fn = 1, .tn = 4, .precision = 0.6, .recall = 0.75,
                               .f1 = 2.0 / 3, .mql_rate = 0.5, .lift = 1.5,
                               .revenue_recall = NAN, .median_days = 2.5, .weekly_mean = 2.5,
                               .weekly_p90 = 3, .weekly_max = 3,
                               .first_week = INT64_C(19723) * TSTAMP_USEC_PER_DAY, .nweeks = 2,
                               .weekly = f->weekly};
    f->rows[1] = (metrics_row){.threshold = 1e9, .leads = 10, .won = 4, .tn = 6, .fn = 4,
                               .precision = NAN, .recall = 0, .f1 = NAN, .mql_rate = 0,
                               .lift = NAN, .revenue_recall = NAN, .median_days = NAN,
                               .weekly_mean = NAN, .weekly_p90 = NAN, .weekly_max = NAN};
    f->s = (out_scn){.sc = &f->sc, .ds = &f->ds, .rp = &f->rp, .data_path = "data/`x`",
                     .rows = f->rows, .nrows = 2};
}

static void test_summary_csv(void **state) {
    (void)state;
    fixture f;
    make(&f, 1);
    util_buf b;
    util_buf_init(&b);
    out_run_csv(&b, &f.s, 1);
    assert_string_equal(b.data,
                        "scenario,threshold,fit_threshold,leads,won,mqls,tp,fp,fn,tn,precision,"
                        "recall,f1,mql_rate,lift,revenue_recall,median_days_to_mql,handoff_weeks,"
                        "weekly_mean,weekly_p90,weekly_max\n"
                        "'-x_1,5,,10,4,5,3,2,1,4,0.6,0.75,0.6666666666666666,0.5,1.5,,2.5,2,2.5,3,3\n"
                        "'-x_1,1000000000,,10,4,0,0,0,4,6,,0,,0,,,,,,,\n");
    util_buf_fini(&b);
}

static void test_weekly_csv(void **state) {
    (void)state;
    fixture f;
    make(&f, 1);
    util_buf b;
    util_buf_init(&b);
    assert_int_equal(out_scn_weekly_csv(&b, &f.s), 0);
    assert_string_equal(b.data, "week_start,handoffs,threshold\n2024-01-01,3,5\n2024-01-08,2,5\n");
    util_buf_fini(&b);
    util_buf_init(&b);
    f.s.nrows = 1;
    assert_int_equal(out_scn_weekly_csv(&b, &f.s), 0);
    assert_string_equal(b.data, "week_start,handoffs\n2024-01-01,3\n2024-01-08,2\n");
    util_buf_fini(&b);
    make(&f, 0); /* a snapshot has no weeks */
    util_buf_init(&b);
    assert_int_equal(out_scn_weekly_csv(&b, &f.s), 1);
    assert_int_equal(b.len, 0);
    util_buf_fini(&b);
}

static void test_summary_md(void **state) {
    (void)state;
    fixture f;
    make(&f, 0);
    util_buf b;
    util_buf_init(&b);
    out_run_md(&b, &f.s, 1);
    const char *md = b.data;
    assert_non_null(strstr(md, "# leadsim: -x\\_1\n\na\\|b \\*\\*c\\*\\*\n\n## Results\n\n"));
    assert_non_null(strstr(md, "- Outcomes of the cohort's leads: 4 won, 2 lost, 4 open.\n"));
    assert_non_null(strstr(md, "| scenario | threshold | leads | won | mqls | tp | fp | fn | tn |"
                               " precision | recall | f1 | mql_rate | lift | revenue_recall |\n"
                               "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
                               "| -x\\_1 | 5 | 10 | 4 | 5 | 3 | 2 | 1 | 4 | 0.600 | 0.750 |"
                               " 0.667 | 0.500 | 1.50 | – |\n"
                               "| -x\\_1 | 1000000000 | 10 | 4 | 0 | 0 | 0 | 4 | 6 | – | 0.000 |"
                               " – | 0.000 | – | – |\n"));
    assert_non_null(strstr(md, "## Data\n\n- Dataset: `data/\\`x\\``: 10 leads, 30 events kept of "
                               "31 rows, 4 outcome rows.\n- Snapshot dataset"));
    assert_non_null(strstr(md, "### Data quality\n\n| problem | count | first examples |\n"
                               "|---|--:|---|\n| "));
    assert_non_null(strstr(md, " | 2 | leads.csv:3: &lt;b&gt;\\| |\n"));
    assert_null(strstr(md, "median days")); /* no time, no time columns */
    util_buf_fini(&b);
}

static void test_comparison_md(void **state) {
    (void)state;
    fixture f[2];
    make(&f[0], 1);
    make(&f[1], 1);
    f[1].sc.name = "other";
    f[1].rp.two_axis = 1;
    f[1].rows[0].two_axis = 1;
    f[1].rows[0].fit_threshold = 0.5;
    out_scn s[2] = {f[0].s, f[1].s};
    util_buf b;
    util_buf_init(&b);
    out_run_md(&b, s, 2);
    const char *md = b.data;
    assert_non_null(strstr(md, "# leadsim: comparison of -x\\_1 and other\n\n## Side by side\n\n"
                               "| | -x\\_1 @ 5 | -x\\_1 @ 1000000000 | other @ 5/0.5 |"
                               " other @ 1000000000 |\n|---|--:|--:|--:|--:|\n"
                               "| hand-offs (mqls) | 5 | 0 | 5 | 0 |\n"
                               "| won deals caught (tp) | 3 of 4 | 0 of 4 | 3 of 4 | 0 of 4 |\n"));
    /* one scenario is two-axis: the column is there, empty for the others */
    assert_non_null(strstr(md, "| -x\\_1 | 5 |  | 10 |"));
    assert_non_null(strstr(md, "| other | 5 | 0.5 | 10 |"));
    assert_non_null(strstr(md, " | 2.5 | 2.5 | 3.0 | 3 |\n"));
    assert_non_null(strstr(md, "## Data: other\n\n"));
    util_buf_fini(&b);
}

static void test_terminal(void **state) {
    (void)state;
    fixture f;
    make(&f, 1);
    util_buf b;
    util_buf_init(&b);
    out_run_terminal(&b, &f.s, 1);
    assert_string_equal(b.data,
                        "scenario              threshold     mqls      won precision   recall       f1   per week\n"
                        "-x_1                          5        5        4     0.600    0.750    0.667        2.5\n"
                        "-x_1                 1000000000        0        4         -    0.000        -          -\n");
    util_buf_fini(&b);
}

static void test_scores_csv(void **state) {
    (void)state;
    fixture f;
    make(&f, 1);
    strtab_init(&f.ds.ids);
    int added;
    assert_true(strtab_intern(&f.ds.ids, "=cmd", 4, &added) >= 0);
    assert_true(strtab_intern(&f.ds.ids, "b,2", 3, &added) >= 0);
    uint32_t lead[2] = {0, 1};
    uint8_t won[2] = {1, 0};
    double fit[2] = {-0.0, 2.5};
    int64_t fast[2] = {TSTAMP_NONE, 5};
    size_t off[3] = {0, 2, 2};
    double val[2] = {1, 7.25};
    f.rp.n = 2;
    f.rp.lead = lead, f.rp.won = won, f.rp.fit = fit, f.rp.fast = fast;
    f.rp.st_off = off, f.rp.st_val = val;
    util_buf b;
    util_buf_init(&b);
    out_run_scores_csv(&b, &f.rp, &f.ds);
    assert_string_equal(b.data, "lead_id,fit,best_score,won,fast\n'=cmd,0,7.25,1,0\n\"b,2\",2.5,,0,1\n");
    util_buf_fini(&b);
    strtab_fini(&f.ds.ids);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_csv),
        cmocka_unit_test(test_weekly_csv),
        cmocka_unit_test(test_summary_md),
        cmocka_unit_test(test_comparison_md),
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_scores_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
