/* test_tune_suggest.c - unit tests for tune_suggest: average precision and equal workload by hand, the planted truth of the sample, threads.
 *
 * The hand cases are small enough to count on paper. The planted case is
 * the generated dataset of datasets/sample (3,000 leads, seed 7), whose
 * README lists what drives a win: the fit must rank the features so, and
 * the suggestion must beat the current points out of time. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "gen.h"
#include "load.h"
#include "scenario.h"
#include "tmpdir.h"
#include "tune_suggest.h"

/* Scores 3, 2, 2, 1 with won 1, 0, 1, 0: at 3 recall 1/2 at precision 1,
 * at 2 recall 2/2 at precision 2/3, so AP = 1/2 * 1 + 1/2 * 2/3 = 5/6. */
static void test_ap(void **state) {
    (void)state;
    static const double s[] = {2, 3, 1, 2};
    static const uint8_t y[] = {1, 1, 0, 0};
    assert_true(fabs(tune_suggest_ap(s, y, 4) - 5.0 / 6) < 1e-15);
    static const uint8_t none[] = {0, 0, 0, 0};
    assert_true(isnan(tune_suggest_ap(s, none, 4)));
    /* a perfect ranking */
    static const uint8_t top[] = {0, 1, 0, 0};
    assert_true(tune_suggest_ap(s, top, 4) == 1);
}

/* Scores 5, 4, 4, 3, 1: at 5 one lead is handed off, at 4 three, at 3
 * four, at 1 five. */
static void test_equal_workload(void **state) {
    (void)state;
    static const double s[] = {4, 1, 5, 3, 4};
    assert_true(tune_suggest_equal_workload(s, 5, 1) == 5);
    assert_true(tune_suggest_equal_workload(s, 5, 2) == 5); /* 1 or 3: a tie, the fewer */
    assert_true(tune_suggest_equal_workload(s, 5, 3) == 4);
    assert_true(tune_suggest_equal_workload(s, 5, 4) == 3);
    assert_true(tune_suggest_equal_workload(s, 5, 5) == 1);
    assert_true(tune_suggest_equal_workload(s, 5, 9) == 1);
    assert_true(tune_suggest_equal_workload(s, 5, 0) == 6); /* above every score */
}

static void test_threshold(void **state) {
    (void)state;
    static const double t[] = {40, 60, 80, 100};
    assert_true(tune_suggest_threshold(t, 1) == 40);
    assert_true(tune_suggest_threshold(t, 2) == 40);
    assert_true(tune_suggest_threshold(t, 3) == 60);
    assert_true(tune_suggest_threshold(t, 4) == 60);
}

static const char *SCN =
    "[scenario]\nname = t\ndata = .\n"
    "[behaviour]\nemail_open = 1\nemail_click = 3\nwebinar = 10\nwhitepaper_download = 10\n"
    "case_study_view = 8\npricing_page_view = 15\nunsubscribe = -30\n"
    "[fit job_role]\nc_level = 10\nvp = 10\nmanager = 5\nindividual = 0\nstudent = 0\n"
    "[fit employees]\n..10 = 0\n10..50 = 0\n50..200 = 5\n200..1000 = 10\n1000..5000 = 10\n"
    "5000.. = 10\n"
    "[mql]\nthreshold = 40, 60, 80\n[evaluation]\nmaturity_days = 90\n";

static const suggest_feature *find(const tune_suggest *t, const char *name, const char *value) {
    for (size_t k = 0; k < t->nf; k++)
        if (strcmp(t->f[k].name, name) == 0 && strcmp(t->f[k].value, value) == 0) return &t->f[k];
    fail_msg("no feature %s %s", name, value);
    return NULL;
}

static void load(const char *dir, const char *text, scenario **sc, dataset **ds) {
    util_err err = {0, ""};
    tmpdir_put(dir, "scenario.ini", text);
    char p[600];
    snprintf(p, sizeof p, "%s/scenario.ini", dir);
    if (scenario_load(p, sc, &err) < 0) fail_msg("scenario_load: %s", err.msg);
    if (load_dataset(dir, NULL, ds, &err) < 0) fail_msg("load_dataset: %s", err.msg);
}

static void test_planted(void **state) {
    const char *dir = *state;
    util_err err = {0, ""};
    gen_opts go = {.leads = 3000, .seed = 7};
    if (gen_write(dir, &go, &err) < 0) fail_msg("gen_write: %s", err.msg);
    scenario *sc;
    dataset *ds;
    load(dir, SCN, &sc, &ds);
    tune_suggest *a, *b;
    tune_suggest_opts o1 = {.threads = 1, .seed = 1, .bootstrap = 40};
    tune_suggest_opts o3 = {.threads = 3, .seed = 1, .bootstrap = 40};
    if (tune_suggest_run(ds, sc, &o1, &a, &err) < 0) fail_msg("run: %s", err.msg);
    if (tune_suggest_run(ds, sc, &o3, &b, &err) < 0) fail_msg("run: %s", err.msg);
    /* the split, the scale and the current threshold */
    assert_int_equal(a->ntrain, a->n * 7 / 10);
    assert_true(a->threshold == 60);
    assert_true(a->S > 0 && !a->S_default);
    /* what the sample's README planted */
    double email = find(a, "email_open", "")->coef;
    assert_true(find(a, "pricing_page_view", "")->coef > email);
    assert_true(find(a, "case_study_view", "")->coef > email);
    assert_true(find(a, "unsubscribe", "")->coef < 0);
    assert_true(find(a, "job_role", "student")->coef < find(a, "job_role", "vp")->coef);
    assert_true(find(a, "employees", "..10")->coef < find(a, "employees", "200..1000")->coef);
    assert_true(find(a, "employees", "..10")->coef < find(a, "employees", "1000..5000")->coef);
    /* better out of time, at equal workload */
    assert_true(a->suggested.ap > a->current.ap);
    assert_true(a->suggested.tp > a->current.tp);
    assert_true(a->definition_mqls > 0 && a->definition_tp <= a->won_test);
    assert_true(labs(a->current.mqls - a->definition_mqls) <= a->definition_mqls / 20);
    assert_true(labs(a->suggested.mqls - a->definition_mqls) <= a->definition_mqls / 20);
    /* points are round(coef * S) */
    for (size_t k = 0; k < a->nf; k++)
        if (a->f[k].status == SUGGEST_OK) assert_true(a->f[k].suggested == round(a->f[k].coef * a->S));
    /* the same bits on three threads */
    assert_int_equal(a->nf, b->nf);
    for (size_t k = 0; k < a->nf; k++) {
        assert_memory_equal(&a->f[k].coef, &b->f[k].coef, sizeof(double));
        assert_memory_equal(&a->f[k].sign_share, &b->f[k].sign_share, sizeof(double));
    }
    assert_memory_equal(&a->suggested.ap, &b->suggested.ap, sizeof(double));
    tune_suggest_free(a);
    tune_suggest_free(b);
    dataset_free(ds);
    scenario_free(sc);
}

/* 19 won leads: refused, saying how many. */
static void test_few_won(void **state) {
    const char *dir = *state;
    char leads[4096] = "lead_id,created_at\n", outs[4096] = "lead_id,status,closed_at\n";
    for (int i = 0; i < 30; i++) {
        char line[80];
        snprintf(line, sizeof line, "L%d,2025-01-%02d\n", i, i % 28 + 1);
        strcat(leads, line);
        snprintf(line, sizeof line, "L%d,%s,2025-03-01\n", i, i < 19 ? "won" : "lost");
        strcat(outs, line);
    }
    tmpdir_put(dir, "leads.csv", leads);
    tmpdir_put(dir, "outcomes.csv", outs);
    scenario *sc;
    dataset *ds;
    load(dir, "[scenario]\nname = t\n[mql]\nthreshold = 1\n", &sc, &ds);
    tune_suggest *t = NULL;
    util_err err = {0, ""};
    tune_suggest_opts o = {.threads = 1, .seed = 1, .bootstrap = 0};
    assert_int_equal(tune_suggest_run(ds, sc, &o, &t, &err), -1);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_non_null(strstr(err.msg, "the cohort has 19 won leads (of 30 leads)"));
    dataset_free(ds);
    scenario_free(sc);
}

int main(void) {
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ap),
        cmocka_unit_test(test_equal_workload),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test_setup_teardown(test_planted, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_few_won, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
