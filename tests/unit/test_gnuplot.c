/* test_gnuplot.c - unit tests for gnuplot: gnuplot string quoting, finding gnuplot, safe rendering. */
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

#include "gnuplot.h"
#include "util.h"

static void quoted(const char *in, const char *want) {
    util_buf b;
    util_buf_init(&b);
    gnuplot_quote(&b, in);
    assert_string_equal(b.data, want);
    util_buf_fini(&b);
}

static void test_quote(void **state) {
    (void)state;
    quoted("plain", "'plain'");
    quoted("it's", "'it''s'");
    quoted("a\nb\tc\r", "'a b c '");
    /* backquotes, @macros, backslashes and double quotes stay literal inside
     * single quotes: gnuplot substitutes nothing there */
    quoted("`touch x` @m \\n \"q\"", "'`touch x` @m \\n \"q\"'");
    quoted("'; system('rm -rf /'); '", "'''; system(''rm -rf /''); '''");
}

static void test_missing_gnuplot(void **state) {
    (void)state;
    gnuplot_env env;
    char why[300];
    setenv("LEADSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
    assert_int_equal(gnuplot_find(&env, why, sizeof why), -1);
    assert_non_null(strstr(why, "plots were skipped: gnuplot is not installed"));
    setenv("LEADSIM_GNUPLOT", "", 1);
    assert_int_equal(gnuplot_find(&env, why, sizeof why), -1);
    unsetenv("LEADSIM_GNUPLOT");
}

/* A hostile title through a real gnuplot draws a plot and runs nothing. */
static void test_hostile_title(void **state) {
    (void)state;
    gnuplot_env env;
    char why[300];
    setenv("LEADSIM_PLOTS", "plots", 1);
    if (gnuplot_find(&env, why, sizeof why) < 0) {
        /* no gnuplot on this machine: counted as skipped, never as passed */
        printf("skipped: %s\n", why);
        unsetenv("LEADSIM_PLOTS");
        skip();
    }
    char dir[] = "/tmp/test_plot_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char data[256], base[256], pwn1[256], pwn2[256], title[1200];
    snprintf(data, sizeof data, "%s/d.csv", dir);
    snprintf(base, sizeof base, "%s/out", dir);
    snprintf(pwn1, sizeof pwn1, "%s/PWNED1", dir);
    snprintf(pwn2, sizeof pwn2, "%s/PWNED2", dir);
    FILE *fp = fopen(data, "w");
    assert_non_null(fp);
    fputs("0.1,0.5\n0.5,0.3\n0.9,0.2\n", fp);
    fclose(fp);
    snprintf(title, sizeof title, "x'; system('touch %s'); print '`touch %s` @title_text\n^{up}_{down}",
             pwn1, pwn2);
    const char *vars[] = {"datafile", data, "title_text", title, "names", "a", "style", "lines",
                          "rec_recall", "", "rec_precision", "", "rec_label", "", "labels", "",
                          NULL};
    util_err err = {0, ""};
    int rc = gnuplot_render(&env, "pr", vars, base, &err);
    if (rc < 0) print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    struct stat st;
    char svg[300], png[300];
    snprintf(svg, sizeof svg, "%s.svg", base);
    snprintf(png, sizeof png, "%s.png", base);
    assert_int_equal(stat(svg, &st), 0);
    assert_true(st.st_size > 0);
    assert_int_equal(stat(png, &st), 0);
    assert_int_not_equal(stat(pwn1, &st), 0);
    assert_int_not_equal(stat(pwn2, &st), 0);
    /* the title is in the picture as text */
    fp = fopen(svg, "r");
    assert_non_null(fp);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    assert_non_null(strstr(buf, "system("));
    unlink(svg);
    unlink(png);
    unlink(data);
    rmdir(dir);
    unsetenv("LEADSIM_PLOTS");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_missing_gnuplot),
        cmocka_unit_test(test_hostile_title),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
