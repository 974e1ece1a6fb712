/* test_out_review.c - unit tests for out_review: the two CSV files and the words' key sentences.
 *
 * A review built by hand (two periods, one threshold, an event type whose
 * name starts with '=', an attribute value and a value of a default line):
 * undefined ratios are empty fields, never nan; the first period has no
 * backtest, no p-value and no PSI (the baseline); input
 * text is formula-safe in CSV and escaped in Markdown; a discovery is named
 * with its lifts and p-value, and none is said plainly; the default line's
 * breakdown is not a row of review-features.csv and is named as its own
 * family. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out_review.h"
#include "review.h"
#include "scenario.h"
#include "tstamp.h"
#include "util.h"

typedef struct fixture {
    review r;
    review_period p[2];
    metrics_row rows[2];
    review_pick own[2];
    review_feature feat[4];
    review_fstat fs[8];
    double scores[2][2];
    scenario sc;
    double thr;
} fixture;

/* DRIFTED: 0 nothing stands out, 1 the event type, 2 the breakdown's value too. */
static void build(fixture *f, int drifted) {
    memset(f, 0, sizeof *f);
    f->thr = 10;
    f->sc.name = "t";
    f->sc.thresholds = &f->thr;
    f->sc.nthresholds = 1;
    f->sc.objective = SCENARIO_OBJ_F1;
    f->r.months = 6;
    f->r.np = 2;
    f->r.nrows = 1;
    f->r.p = f->p;
    f->r.until = tstamp_from_civil(2025, 6, 1, 0, 0, 0);
    f->r.lag_p90 = NAN;
    for (int k = 0; k < 2; k++) {
        review_period *pp = &f->p[k];
        pp->start = tstamp_from_civil(2024, 1 + 6 * k, 1, 0, 0, 0);
        pp->end = tstamp_from_civil(2024 + k, k ? 1 : 7, 1, 0, 0, 0);
        pp->complete = 1;
        pp->leads = 10;
        pp->won = k ? 0 : 2; /* the second period has no won lead */
        pp->rows = &f->rows[k];
        pp->own = &f->own[k];
        pp->scores = f->scores[k];
        pp->nscores = 2;
        pp->psi = k ? 0.5 : NAN;
        for (int q = 0; q < 4; q++) pp->band[q] = NAN;
        metrics_row *m = &f->rows[k];
        m->threshold = 10;
        m->fit_threshold = NAN;
        m->leads = 10;
        m->won = pp->won;
        m->mqls = 4;
        m->tp = k ? 0 : 2;
        m->fp = m->mqls - m->tp;
        m->fn = 0;
        m->tn = 10 - m->mqls;
        m->precision = (double)m->tp / 4;
        m->recall = k ? NAN : 1;
        m->f1 = k ? NAN : 2 * 0.5 / 1.5;
        m->mql_rate = 0.4;
        m->lift = k ? NAN : 2.5;
        m->revenue_recall = NAN;
        pp->best = (review_pick){.has = 1, .T = 10, .F = NAN, .tp = m->tp, .fp = m->fp,
                                 .objective = k ? 0 : 2.0 / 3};
        f->own[k] = pp->best;
    }
    f->p[1].backtest = (review_pick){.has = 1, .T = 10, .F = NAN, .objective = 0};
    f->feat[0] = (review_feature){REVIEW_EVENT, "=cmd", NULL};
    f->feat[1] = (review_feature){REVIEW_ATTR, "industry", "(empty)"};
    f->feat[2] = (review_feature){REVIEW_DEFAULT, "industry", "retail"};
    f->feat[3] = (review_feature){REVIEW_FIT, "industry", "default"};
    f->r.feat = f->feat;
    f->r.nfeat = 4;
    f->r.fs = f->fs;
    f->fs[0] = (review_fstat){4, 2, NAN, 0};
    f->fs[1] = (review_fstat){0, 0, NAN, 0};
    f->fs[2] = (review_fstat){3, 0, NAN, 0};
    f->fs[3] = (review_fstat){6, 1, NAN, 0};
    f->fs[4] = (review_fstat){5, 0, 0.01, drifted > 0};
    f->fs[5] = (review_fstat){0, 0, 1, 0};
    f->fs[6] = (review_fstat){2, 0, 0.02, drifted > 1};
    f->fs[7] = (review_fstat){7, 0, 0.03, drifted > 1};
    f->r.ntests = 3;
    f->r.ndrifted = (drifted > 0) + (drifted > 1);
    f->r.nbtests = 1;
    f->r.nbdrifted = drifted > 1;
}

static void review_csv(void **state) {
    (void)state;
    fixture f;
    build(&f, 0);
    util_buf b;
    util_buf_init(&b);
    out_review_csv(&b, &f.r, &f.sc);
    const char *want =
        "period_start,period_end,complete,scenario,threshold,fit_threshold,leads,won,mqls,tp,fp,"
        "fn,tn,precision,recall,f1,mql_rate,lift,revenue_recall,best_threshold,"
        "backtest_threshold,backtest_objective,best_objective,regret,psi\n"
        "2024-01-01,2024-07-01,1,t,10,,10,2,4,2,2,0,6,0.5,1,0.6666666666666666,0.4,2.5,,10,,,"
        "0.6666666666666666,,\n"
        "2024-07-01,2025-01-01,1,t,10,,10,0,4,0,4,0,6,0,,,0.4,,,10,10,0,0,0,0.5\n";
    assert_string_equal(b.data, want);
    util_buf_fini(&b);
}

static void features_csv(void **state) {
    (void)state;
    fixture f;
    build(&f, 0);
    util_buf b;
    util_buf_init(&b);
    out_review_features_csv(&b, &f.r);
    const char *want =
        "period_start,kind,name,value,leads_with,share,won_rate_with,won_rate_without,lift,"
        "p_value\n"
        "2024-01-01,event,'=cmd,,4,0.4,0.5,0,2.5,\n"
        "2024-01-01,attribute,industry,(empty),0,0,,0.2,,\n"
        "2024-01-01,fit,industry,default,6,0.6,0.16666666666666666,0.25,0.8333333333333333,\n"
        "2024-07-01,event,'=cmd,,5,0.5,0,0,,0.01\n"
        "2024-07-01,attribute,industry,(empty),0,0,,0,,1\n"
        "2024-07-01,fit,industry,default,7,0.7,0,0,,0.03\n";
    assert_string_equal(b.data, want);
    util_buf_fini(&b);
}

static void words(void **state) {
    (void)state;
    fixture f;
    build(&f, 1);
    util_buf b;
    util_buf_init(&b);
    assert_int_equal(out_review_md(&b, &f.r, &f.sc, "d", 0), 0);
    assert_non_null(strstr(b.data, "**1 change stands out**"));
    assert_non_null(strstr(b.data, "- **=cmd**: lift 2.5 → – (p = 0.01, 2024-01 → 2024-07)"));
    assert_non_null(strstr(b.data, "The last period has no won lead"));
    assert_non_null(strstr(b.data, "**No fixed outcome window:**"));
    /* the second period's best catches no won deal: F1 is 0 at every threshold */
    assert_non_null(strstr(b.data, "No threshold catches a won deal in 2024-07: the objective"));
    util_buf_fini(&b);
    build(&f, 0);
    util_buf_init(&b);
    assert_int_equal(out_review_md(&b, &f.r, &f.sc, "d", 0), 0);
    assert_non_null(strstr(b.data, "**no change stands out**"));
    assert_null(strstr(b.data, "nan"));
    assert_null(strstr(b.data, "retail"));
    util_buf_fini(&b);
    /* a value of the default line that stands out is named, in its own family */
    build(&f, 2);
    util_buf_init(&b);
    assert_int_equal(out_review_md(&b, &f.r, &f.sc, "d", 0), 0);
    assert_non_null(strstr(b.data, "**3 changes stand out** (1 of them in the breakdown of a "
                                   "`default` line)"));
    /* what moved the default row: its value that stood out */
    assert_non_null(strstr(b.data, "- **industry = default**: lift 0.8 → – (p = 0.03, 2024-01 → "
                                   "2024-07): its won rate moved; of its values **retail** moved "
                                   "most (lift 0.0 → –, not scored yet)\n"));
    assert_non_null(strstr(b.data, "- **industry = retail** (in default, not scored yet): "
                                   "lift 0.0 → – (p = 0.02"));
    assert_non_null(strstr(b.data, "1 more comparison, not in `review-features.csv`"));
    util_buf_fini(&b);
    util_buf_init(&b);
    assert_int_equal(out_review_stdout(&b, &f.r, &f.sc, "o"), 0);
    assert_non_null(strstr(b.data, "Drift (2 of 3 comparisons stand out; 1 of 1 among the "
                                   "values in a default line):"));
    assert_non_null(strstr(b.data, "  industry = default: lift 0.8 -> – (p = 0.03): its won rate "
                                   "moved; retail moved most: lift 0.0 -> –, not scored yet\n"));
    assert_non_null(strstr(b.data, "  industry = retail (in default, not scored yet): lift"));
    util_buf_fini(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(review_csv),
        cmocka_unit_test(features_csv),
        cmocka_unit_test(words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
