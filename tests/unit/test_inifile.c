/* test_inifile.c - unit tests for inifile: the line each callback is given, and what is refused.
 *
 * Each test writes a small INI file into a fresh folder, parses it with
 * callbacks that record every section header and pair as "LINE [section]"
 * or "LINE section.key=value", and compares that record, or the exact error
 * message ("PATH:LINE: what"), with what inifile.h promises. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "inifile.h"
#include "util.h"

/* ---------- Helpers ---------- */

typedef struct record {
    util_buf out;
    const char *stop_key; /* a pair with this key fails with "stop at LINE" */
} record;

static int on_section(void *ctx, const char *section, long line, util_err *err) {
    record *r = ctx;
    util_buf_printf(&r->out, "%ld [%s]\n", line, section);
    if (strcmp(section, "refused") == 0)
        return util_errf(err, UTIL_EDATA, "section refused at %ld", line);
    return 0;
}

static int on_pair(void *ctx, const char *section, const char *key, const char *value, long line,
                   util_err *err) {
    record *r = ctx;
    util_buf_printf(&r->out, "%ld %s.%s=%s\n", line, section, key, value);
    if (r->stop_key && strcmp(key, r->stop_key) == 0)
        return util_errf(err, UTIL_EDATA, "stop at %ld", line);
    return 0;
}

/* Parse TEXT (LEN bytes, NUL bytes allowed) written to DIR/t.ini; returns
 * the record (to be freed) and fills rc and err. */
static char *parse_n(const char *dir, const char *text, size_t len, const char *stop_key, int *rc,
                     util_err *err) {
    char path[600];
    snprintf(path, sizeof path, "%s/t.ini", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    record r = {.stop_key = stop_key};
    util_buf_init(&r.out);
    inifile_cb cb = {.section = on_section, .pair = on_pair};
    *rc = inifile_parse(path, &cb, &r, err);
    util_buf_puts(&r.out, "");
    assert_false(r.out.failed);
    char *s = util_strdup(r.out.data ? r.out.data : "");
    util_buf_fini(&r.out);
    return s;
}

/* TEXT parses and gives exactly WANT. */
static void parses_to(const char *dir, const char *text, const char *want) {
    util_err err = {0, ""};
    int rc;
    char *got = parse_n(dir, text, strlen(text), NULL, &rc, &err);
    if (rc != 0) fail_msg("parse failed: %s", err.msg);
    assert_string_equal(got, want);
    free(got);
}

/* TEXT (LEN bytes) is refused with CODE and the message "DIR/t.ini" + REL. */
static void refused_n(const char *dir, const char *text, size_t len, int code, const char *rel) {
    util_err err = {0, ""};
    int rc;
    free(parse_n(dir, text, len, NULL, &rc, &err));
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, code);
    char want[800];
    snprintf(want, sizeof want, "%s/t.ini%s", dir, rel);
    assert_string_equal(err.msg, want);
}

static void refused(const char *dir, const char *text, int code, const char *rel) {
    refused_n(dir, text, strlen(text), code, rel);
}

/* ---------- Line numbers and sections ---------- */

static void test_line_numbers(void **state) {
    parses_to(*state,
              "; a comment\n"
              "# another\n"
              "\n"
              "[a]\n"
              "k = v\n"
              "\n"
              "[b]\n"
              "x = 1\n"
              "y = 2\n",
              "4 [a]\n5 a.k=v\n7 [b]\n8 b.x=1\n9 b.y=2\n");
}

/* inih says nothing about a section without keys: inifile still reports it. */
static void test_empty_sections_reported(void **state) {
    parses_to(*state, "[first]\n[second]\nk = v\n[last]\n",
              "1 [first]\n2 [second]\n3 second.k=v\n4 [last]\n");
}

static void test_key_outside_a_section(void **state) {
    parses_to(*state, "top = 1\n[s]\nk = 2\n", "1 .top=1\n2 [s]\n3 s.k=2\n");
}

/* Blanks around and inside the brackets are trimmed off the section name. */
static void test_section_name_trimmed(void **state) {
    parses_to(*state, "  [ mql ]  \nk = v\n", "1 [mql]\n2 mql.k=v\n");
}

/* inih skips any isspace byte before a header, a form feed included: the
 * header must be reported as a section, or its keys would land in the
 * previous one. */
static void test_form_feed_before_header(void **state) {
    parses_to(*state, "[a]\nk = 1\n\f[b]\nk = 2\n", "1 [a]\n2 a.k=1\n3 [b]\n4 b.k=2\n");
}

/* CRLF line ends and a byte order mark on the first line change nothing. */
static void test_crlf_and_bom(void **state) {
    parses_to(*state, "\xEF\xBB\xBF[a]\r\nk = v\r\nz = w\r\n", "1 [a]\n2 a.k=v\n3 a.z=w\n");
}

/* An indented line is a pair of its own, not glued to the value above. */
static void test_indented_line_not_continued(void **state) {
    parses_to(*state, "[a]\nk = v\n  more = x\n", "1 [a]\n2 a.k=v\n3 a.more=x\n");
}

/* ---------- Values and comments ---------- */

static void test_comments(void **state) {
    parses_to(*state,
              "[a]\n"
              "semi = v ; a comment\n"
              "hash = v # a comment\n"
              "glued = v#not a comment\n"
              "; k = skipped\n"
              "# k = skipped\n"
              "empty =\n",
              "1 [a]\n2 a.semi=v\n3 a.hash=v\n4 a.glued=v#not a comment\n7 a.empty=\n");
}

/* A ':' before the '=' belongs to the key (web:organic); without '=', a ':'
 * separates key and value as inih has it. */
static void test_colon_in_key(void **state) {
    parses_to(*state, "[w]\nweb:organic = 2\nat: 10:00\n", "1 [w]\n2 w.web:organic=2\n3 w.at=10:00\n");
}

/* ---------- What is refused ---------- */

/* The longest line inih holds whole is accepted; one byte more is an error
 * naming its line, never two lines. The CR of a CRLF does not count. */
static void test_overlong_line(void **state) {
    char text[600], line[INIFILE_MAX_LINE + 2];
    memset(line, 'x', sizeof line);
    memcpy(line, "k = ", 4);
    line[INIFILE_MAX_LINE] = '\0';
    snprintf(text, sizeof text, "[a]\n%s\r\n", line);
    util_err err = {0, ""};
    int rc;
    char *got = parse_n(*state, text, strlen(text), NULL, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(got, "2 a.k=xxx"));
    assert_int_equal(strlen(got), strlen("1 [a]\n2 a.k=\n") + INIFILE_MAX_LINE - 4);
    free(got);

    line[INIFILE_MAX_LINE] = 'x';
    line[INIFILE_MAX_LINE + 1] = '\0';
    snprintf(text, sizeof text, "[a]\n%s\nnext = 1\n", line);
    char rel[64];
    snprintf(rel, sizeof rel, ":2: line longer than %d characters", INIFILE_MAX_LINE);
    refused(*state, text, UTIL_EDATA, rel);
}

static void test_syntax_error(void **state) {
    refused(*state, "[a]\nk = v\ngarbage\n", UTIL_EDATA, ":3: not a [section] or key = value line");
}

static void test_unclosed_header(void **state) {
    refused(*state, "k = v\n[a\n", UTIL_EDATA, ":2: section header without its closing ']'");
}

static void test_nul_byte(void **state) {
    refused_n(*state, "[a]\nk = a\0b\n", 12, UTIL_EDATA, ":2: NUL byte in the line");
}

static void test_invalid_utf8(void **state) {
    refused(*state, "[a]\nk = \xFF\n", UTIL_EDATA,
            ":2: invalid UTF-8 (byte 0xFF); save the file as UTF-8");
}

/* A callback's error is the parse's error, and nothing after it is read. */
static void test_callback_error_stops(void **state) {
    util_err err = {0, ""};
    int rc;
    const char *text = "[a]\nk = 1\nstop = 2\nafter = 3\n";
    char *got = parse_n(*state, text, strlen(text), "stop", &rc, &err);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "stop at 3");
    assert_string_equal(got, "1 [a]\n2 a.k=1\n3 a.stop=2\n");
    free(got);

    text = "[refused]\nk = 1\n";
    got = parse_n(*state, text, strlen(text), NULL, &rc, &err);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "section refused at 1");
    assert_string_equal(got, "1 [refused]\n");
    free(got);
}

static void test_unreadable(void **state) {
    char path[600];
    snprintf(path, sizeof path, "%s/missing.ini", (const char *)*state);
    inifile_cb cb = {.section = on_section, .pair = on_pair};
    record r = {0};
    util_buf_init(&r.out);
    util_err err = {0, ""};
    assert_int_equal(inifile_parse(path, &cb, &r, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_int_equal(inifile_parse(*state, &cb, &r, &err), -1); /* a folder */
    assert_int_equal(err.code, UTIL_EIO);
    assert_int_equal(r.out.len, 0);
    util_buf_fini(&r.out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tmpdir_setup, tmpdir_teardown)
        T(test_line_numbers),
        T(test_empty_sections_reported),
        T(test_key_outside_a_section),
        T(test_section_name_trimmed),
        T(test_form_feed_before_header),
        T(test_crlf_and_bom),
        T(test_indented_line_not_continued),
        T(test_comments),
        T(test_colon_in_key),
        T(test_overlong_line),
        T(test_syntax_error),
        T(test_unclosed_header),
        T(test_nul_byte),
        T(test_invalid_utf8),
        T(test_callback_error_stops),
        T(test_unreadable),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
