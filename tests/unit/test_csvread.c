/* test_csvread.c - unit tests for csvread: RFC 4180 reading, line numbers, errors, cell writing.
 *
 * Each test writes a small file under /tmp, reads it back and compares a
 * rendering of every delivered row ("LINE[field|field]") or the exact error
 * message. The block-boundary tests build files just over 1 MiB so that the
 * interesting bytes straddle the reader's block edge. */
#include <errno.h>
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

#include "csvread.h"
#include "util.h"

#define BLOCK ((size_t)1 << 20)

/* ---------- Helpers ---------- */

typedef struct collect {
    util_buf out;    /* rendering of the recorded rows */
    long rows;       /* rows delivered, filler included */
    long stop_after; /* stop (return -1) when this many rows were delivered; 0 = never */
    int skip_filler; /* do not record rows whose first field is "f" */
} collect;

static void render(util_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            util_buf_puts(b, "\\n");
        else if (s[i] == '\r')
            util_buf_puts(b, "\\r");
        else
            util_buf_append(b, s + i, 1);
    }
}

static int on_row(void *ctx, const csvread_row *row, util_err *err)
{
    collect *c = ctx;
    c->rows++;
    assert_true(row->nfields >= 1);
    for (size_t i = 0; i < row->nfields; i++) {
        /* Copies are NUL-terminated and hold no NUL of their own. */
        assert_int_equal(strlen(row->fields[i]), row->lens[i]);
    }
    if (!(c->skip_filler && strcmp(row->fields[0], "f") == 0)) {
        if (c->out.len)
            util_buf_puts(&c->out, " ");
        util_buf_printf(&c->out, "%ld[", row->line);
        for (size_t i = 0; i < row->nfields; i++) {
            if (i)
                util_buf_puts(&c->out, "|");
            render(&c->out, row->fields[i], row->lens[i]);
        }
        util_buf_puts(&c->out, "]");
    }
    if (c->stop_after && c->rows >= c->stop_after)
        return util_errf(err, UTIL_EDATA, "stopped after %ld rows", c->rows);
    return 0;
}

/* A temporary file holding data[0..n); path receives its name. */
static void write_tmp(char path[64], const char *data, size_t n)
{
    strcpy(path, "/tmp/test_csvread_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(fd, data + done, n - done);
        assert_true(k > 0);
        done += (size_t)k;
    }
    assert_int_equal(close(fd), 0);
}

/* Read data as a file; *rc gets csvread_file's status. Returns the rendering
 * (caller frees), with err filled when *rc is -1. */
static char *read_data(const char *data, size_t n, long stop_after, int *rc, util_err *err,
                       char path[64])
{
    collect c;
    memset(&c, 0, sizeof c);
    util_buf_init(&c.out);
    util_buf_puts(&c.out, "");
    c.stop_after = stop_after;
    write_tmp(path, data, n);
    memset(err, 0, sizeof *err);
    *rc = csvread_file(path, on_row, &c, err);
    unlink(path);
    assert_false(c.out.failed);
    return c.out.data;
}

/* The file must read without error and render exactly as want. */
static void expect_rows(const char *data, size_t n, const char *want)
{
    util_err err;
    char path[64];
    int rc;
    char *got = read_data(data, n, 0, &rc, &err, path);
    if (rc != 0)
        fail_msg("unexpected error: %s", err.msg);
    assert_string_equal(got, want);
    free(got);
}
#define EXPECT_ROWS(lit, want) expect_rows(lit, sizeof(lit) - 1, want)

/* The file must fail with code and "PATH" + suffix, after delivering rows. */
static void expect_error(const char *data, size_t n, int code, const char *suffix,
                         const char *rows)
{
    util_err err;
    char path[64], want[1024];
    int rc;
    char *got = read_data(data, n, 0, &rc, &err, path);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, code);
    snprintf(want, sizeof want, "%s%s", path, suffix);
    assert_string_equal(err.msg, want);
    assert_string_equal(got, rows);
    free(got);
}
#define EXPECT_ERROR(lit, code, suffix, rows) expect_error(lit, sizeof(lit) - 1, code, suffix, rows)

/* ---------- Well-formed input ---------- */

static void test_basic(void **state)
{
    (void)state;
    EXPECT_ROWS("id,name\n1,alice\n2,bob\n", "1[id|name] 2[1|alice] 3[2|bob]");
    EXPECT_ROWS("x\n1\n2\n", "1[x] 2[1] 3[2]");
    EXPECT_ROWS("a,b,c\n,,\n1,,3\n", "1[a|b|c] 2[||] 3[1||3]");
}

static void test_quoted_fields(void **state)
{
    (void)state;
    EXPECT_ROWS("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"\"\n4,\"\"\"\"\n",
                "1[id|text] 2[1|a, b] 3[2|say \"hi\"] 4[3|] 5[4|\"]");
    EXPECT_ROWS("\"id\",\"na,me\"\n\"1\",x\n", "1[id|na,me] 2[1|x]");
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    EXPECT_ROWS("id,text\n1,\"line1\nline2\nline3\"\n2,x\n3,\"a\r\nb\"\n4,y\n",
                "1[id|text] 2[1|line1\\nline2\\nline3] 5[2|x] 6[3|a\\r\\nb] 8[4|y]");
    /* A quoted field may hold blank lines; they are data, not skipped. */
    EXPECT_ROWS("a,b\n1,\"x\n\n  \ny\"\n2,z\n", "1[a|b] 2[1|x\\n\\n  \\ny] 6[2|z]");
    /* A multi-line field first in its row. */
    EXPECT_ROWS("a,b\n\"p\nq\",1\n\"r\",2\n", "1[a|b] 2[p\\nq|1] 4[r|2]");
}

static void test_crlf(void **state)
{
    (void)state;
    EXPECT_ROWS("a,b\r\n1,2\r\n\r\n3,\"x\"\r\n", "1[a|b] 2[1|2] 4[3|x]");
    /* A lone CR ends a line too (old Mac exports). */
    EXPECT_ROWS("a,b\r1,2\r\r3,4\r", "1[a|b] 2[1|2] 4[3|4]");
    EXPECT_ROWS("a,b\r1,\"x\ry\"\r2,z", "1[a|b] 2[1|x\\ry] 4[2|z]");
}

static void test_bom(void **state)
{
    (void)state;
    EXPECT_ROWS("\xEF\xBB\xBFid,x\n1,2\n", "1[id|x] 2[1|2]");
    EXPECT_ROWS("\xEF\xBB\xBF\n\nid,x\n1,2\n", "3[id|x] 4[1|2]");
    /* Only at the very start: elsewhere the bytes are data. */
    EXPECT_ROWS("id,x\n\xEF\xBB\xBF" "1,2\n", "1[id|x] 2[\xEF\xBB\xBF" "1|2]");
    EXPECT_ROWS("\xEF\xBB\xBF", "");
    /* Two bytes of a BOM are a cut-short UTF-8 sequence, not a BOM. */
    EXPECT_ERROR("\xEF\xBB", UTIL_EDATA,
                 ":1: invalid UTF-8 (byte 0xEF in field 1); save the file as UTF-8", "");
}

static void test_no_final_newline(void **state)
{
    (void)state;
    EXPECT_ROWS("a,b\n1,2", "1[a|b] 2[1|2]");
    EXPECT_ROWS("a,b\n1,\"x\"", "1[a|b] 2[1|x]");
    EXPECT_ROWS("a,b\n1,", "1[a|b] 2[1|]");
    EXPECT_ROWS("a", "1[a]");
    EXPECT_ROWS("a,b\n1,2\n   ", "1[a|b] 2[1|2]");
}

static void test_blank_lines(void **state)
{
    (void)state;
    EXPECT_ROWS("\n\na,b\n\n  \n\t\n1,2\n\n", "3[a|b] 7[1|2]");
    EXPECT_ROWS("a,b\r\n \t \r\n\r\n1,2\r\n", "1[a|b] 4[1|2]");
    /* Even with one column, an empty line is blank, not an empty field. */
    EXPECT_ROWS("x\n\n1\n", "1[x] 3[1]");
}

static void test_spaces(void **state)
{
    (void)state;
    /* Blanks around a field are dropped; inside quotes they are data. */
    EXPECT_ROWS("a,b\n x , y \n", "1[a|b] 2[x|y]");
    EXPECT_ROWS("a,b\n\t\" x \" ,\t\"y\"\t\n", "1[a|b] 2[ x |y]");
    EXPECT_ROWS("a,b\n1,\"x\" \n", "1[a|b] 2[1|x]");
    EXPECT_ROWS("a,b\n1 2 , 3 4\n", "1[a|b] 2[1 2|3 4]");
    EXPECT_ROWS("a,b\n  ,\n", "1[a|b] 2[|]");
}

static void test_empty_files(void **state)
{
    (void)state;
    EXPECT_ROWS("", "");
    EXPECT_ROWS("\n\n\r\n  \n", "");
}

/* ---------- Errors ---------- */

static void test_field_count(void **state)
{
    (void)state;
    EXPECT_ERROR("a,b\n1,2\n1,2,3\n", UTIL_EDATA, ":3: malformed CSV: expected 2 fields, found 3",
                 "1[a|b] 2[1|2]");
    EXPECT_ERROR("a,b,c\n1,2\n", UTIL_EDATA, ":2: malformed CSV: expected 3 fields, found 2",
                 "1[a|b|c]");
    /* The line is where the row starts, after multi-line fields and blanks. */
    EXPECT_ERROR("a,b\n1,\"x\ny\"\n\n\n2,\"p\nq\",3\n", UTIL_EDATA,
                 ":6: malformed CSV: expected 2 fields, found 3", "1[a|b] 2[1|x\\ny]");
}

static void test_parse_errors(void **state)
{
    (void)state;
    EXPECT_ERROR("a,b\n1,x\"y\n", UTIL_EDATA, ":2: malformed CSV: stray quote in an unquoted field",
                 "1[a|b]");
    EXPECT_ERROR("a,b\n1,\"x\"y\n", UTIL_EDATA, ":2: malformed CSV: text after a closing quote",
                 "1[a|b]");
    EXPECT_ERROR("a,b\n1,\"x\" y\n", UTIL_EDATA, ":2: malformed CSV: text after a closing quote",
                 "1[a|b]");
    EXPECT_ERROR("a,b\n1,\"x\" \"y\"\n", UTIL_EDATA,
                 ":2: malformed CSV: text after a closing quote", "1[a|b]");
    EXPECT_ERROR("a,b\n1,a \"x\"\n", UTIL_EDATA,
                 ":2: malformed CSV: stray quote in an unquoted field", "1[a|b]");
    EXPECT_ERROR("\"a\"\"\"b,c\n", UTIL_EDATA, ":1: malformed CSV: text after a closing quote", "");
    /* The line of the offending character, inside a multi-line row. */
    EXPECT_ERROR("a,b\n1,\"x\ny\"z\n", UTIL_EDATA, ":3: malformed CSV: text after a closing quote",
                 "1[a|b]");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    EXPECT_ERROR("a,b\n1,2\n3,\"abc\ndef\n", UTIL_EDATA,
                 ":3: malformed CSV: quoted field not closed before end of file", "1[a|b] 2[1|2]");
    EXPECT_ERROR("a,b\n\n3,\"abc", UTIL_EDATA,
                 ":3: malformed CSV: quoted field not closed before end of file", "1[a|b]");
    EXPECT_ERROR("\"a", UTIL_EDATA, ":1: malformed CSV: quoted field not closed before end of file",
                 "");
}

static void test_nul_byte(void **state)
{
    (void)state;
    EXPECT_ERROR("a,b\n1,x\0y\n", UTIL_EDATA, ":2: NUL byte in a field", "1[a|b]");
    EXPECT_ERROR("a,b\n1,\"x\n\0\"\n", UTIL_EDATA, ":3: NUL byte in a field", "1[a|b]");
    EXPECT_ERROR("\0", UTIL_EDATA, ":1: NUL byte in a field", "");
    /* Errors are reported in file order: what precedes the NUL comes first. */
    EXPECT_ERROR("a,b\n\"x\"y,\0\n", UTIL_EDATA, ":2: malformed CSV: text after a closing quote",
                 "1[a|b]");
    EXPECT_ERROR("a,b\n1,\"x\n\n\"y\0\n", UTIL_EDATA, ":4: malformed CSV: text after a closing quote",
                 "1[a|b]");
    EXPECT_ERROR("a,b\n1,\"x\n\n\"\0\n", UTIL_EDATA, ":4: NUL byte in a field", "1[a|b]");
}

static void test_utf8(void **state)
{
    (void)state;
    /* Well-formed: 2, 3 and 4-byte sequences, the largest code point. */
    EXPECT_ROWS("a,b\ncaf\xC3\xA9,\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\n",
                "1[a|b] 2[caf\xC3\xA9|\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF]");
    /* Latin-1, a lone continuation byte, an overlong '/', a surrogate, a
     * code point above U+10FFFF, a sequence cut short by the field's end. */
    EXPECT_ERROR("a,b\n1,caf\xE9\n", UTIL_EDATA,
                 ":2: invalid UTF-8 (byte 0xE9 in field 2); save the file as UTF-8", "1[a|b]");
    EXPECT_ERROR("a,b\n\x80,1\n", UTIL_EDATA,
                 ":2: invalid UTF-8 (byte 0x80 in field 1); save the file as UTF-8", "1[a|b]");
    EXPECT_ERROR("a,b\n\xC0\xAF,1\n", UTIL_EDATA,
                 ":2: invalid UTF-8 (byte 0xC0 in field 1); save the file as UTF-8", "1[a|b]");
    EXPECT_ERROR("a,b\n\xED\xA0\x80,1\n", UTIL_EDATA,
                 ":2: invalid UTF-8 (byte 0xED in field 1); save the file as UTF-8", "1[a|b]");
    EXPECT_ERROR("a,b\n\xF4\x90\x80\x80,1\n", UTIL_EDATA,
                 ":2: invalid UTF-8 (byte 0xF4 in field 1); save the file as UTF-8", "1[a|b]");
    EXPECT_ERROR("a,b\n1,\xE2\x82\n", UTIL_EDATA,
                 ":2: invalid UTF-8 (byte 0xE2 in field 2); save the file as UTF-8", "1[a|b]");
    /* In a quoted field over several lines: the line of the byte itself. */
    EXPECT_ERROR("a,b\n1,\"x\ny\xFF\nz\"\n", UTIL_EDATA,
                 ":3: invalid UTF-8 (byte 0xFF in field 2); save the file as UTF-8", "1[a|b]");
    /* In the header. */
    EXPECT_ERROR("a,\xFE\n", UTIL_EDATA,
                 ":1: invalid UTF-8 (byte 0xFE in field 2); save the file as UTF-8", "");
}

/* A row far wider than the header is reported with its exact count. */
static void test_many_extra_fields(void **state)
{
    (void)state;
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "a,b\n1");
    for (int i = 0; i < 100000; i++) util_buf_puts(&b, ",x");
    util_buf_puts(&b, "\n");
    assert_false(b.failed);
    expect_error(b.data, b.len, UTIL_EDATA, ":2: malformed CSV: expected 2 fields, found 100001",
                 "1[a|b]");
    util_buf_fini(&b);
}

static void test_cannot_read(void **state)
{
    (void)state;
    util_err err;
    collect c;
    memset(&c, 0, sizeof c);

    const char *missing = "/tmp/test_csvread_no_such_dir/none.csv";
    assert_int_equal(csvread_file(missing, on_row, &c, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_string_equal(err.msg,
                        "/tmp/test_csvread_no_such_dir/none.csv: cannot read: No such file or directory");

    assert_int_equal(csvread_file("/tmp", on_row, &c, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_string_equal(err.msg, "/tmp: cannot read: it is a folder, not a file");

    /* A FIFO is refused before it is opened for reading in a way that would
     * wait for a writer. */
    char fifo[64];
    snprintf(fifo, sizeof fifo, "/tmp/test_csvread_fifo_%d", (int)getpid());
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(csvread_file(fifo, on_row, &c, &err), -1);
    unlink(fifo);
    assert_int_equal(err.code, UTIL_EIO);
    char want_fifo[200];
    snprintf(want_fifo, sizeof want_fifo,
             "%s: cannot read: not a regular file (a FIFO, socket or device)", fifo);
    assert_string_equal(err.msg, want_fifo);
    assert_int_equal(csvread_file("/dev/null", on_row, &c, &err), -1);
    assert_string_equal(err.msg, "/dev/null: cannot read: not a regular file (a FIFO, socket or device)");

    /* Permissions do not stop root, so only test them as another user. */
    if (geteuid() != 0) {
        char path[64];
        write_tmp(path, "a\n", 2);
        assert_int_equal(chmod(path, 0), 0);
        assert_int_equal(csvread_file(path, on_row, &c, &err), -1);
        unlink(path);
        assert_int_equal(err.code, UTIL_EIO);
        char want[128];
        snprintf(want, sizeof want, "%s: cannot read: %s", path, strerror(EACCES));
        assert_string_equal(err.msg, want);
    }
    assert_int_equal(c.rows, 0);
}

static void test_callback_stops(void **state)
{
    (void)state;
    const char data[] = "a,b\n1,2\n3,4\n5,6\n";
    util_err err;
    char path[64];
    int rc;
    char *got = read_data(data, sizeof data - 1, 2, &rc, &err, path);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, UTIL_EDATA);
    assert_string_equal(err.msg, "stopped after 2 rows");
    assert_string_equal(got, "1[a|b] 2[1|2]");
    free(got);

    /* Stopping on the header; and on the row delivered at end of file. */
    got = read_data(data, sizeof data - 1, 1, &rc, &err, path);
    assert_int_equal(rc, -1);
    assert_string_equal(got, "1[a|b]");
    free(got);
    got = read_data("a\n1", 3, 2, &rc, &err, path);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "stopped after 2 rows");
    assert_string_equal(got, "1[a] 2[1]");
    free(got);
}

/* ---------- Block boundaries ---------- */

/* Build a header "f,text" and filler rows "f,xxx" so that tail starts at byte
 * offset `at`, read it, and compare the rows of the tail with want, in which
 * "@K" stands for the line number K lines after the tail's first line. */
static void expect_at_offset(size_t at, const char *tail, size_t tail_n, const char *want)
{
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "f,text\n");
    long line = 2;
    while (at - b.len > 200) {
        util_buf_puts(&b, "f,");
        for (int i = 0; i < 97; i++)
            util_buf_append(&b, "x", 1);
        util_buf_puts(&b, "\n");
        line++;
    }
    util_buf_puts(&b, "f,");
    while (b.len < at - 1)
        util_buf_append(&b, "y", 1);
    util_buf_puts(&b, "\n");
    line++;
    assert_int_equal(b.len, at);
    util_buf_append(&b, tail, tail_n);
    assert_false(b.failed);

    util_buf w;
    util_buf_init(&w);
    util_buf_puts(&w, "");
    long tail_rows = 0;
    for (const char *p = want; *p; p++) {
        if (*p == '@' && p[1] >= '0' && p[1] <= '9') {
            util_buf_printf(&w, "%ld", line + (p[1] - '0'));
            p++;
        } else {
            tail_rows += *p == '[';
            util_buf_append(&w, p, 1);
        }
    }

    collect c;
    memset(&c, 0, sizeof c);
    util_buf_init(&c.out);
    util_buf_puts(&c.out, "");
    c.skip_filler = 1;
    char path[64];
    util_err err;
    write_tmp(path, b.data, b.len);
    int rc = csvread_file(path, on_row, &c, &err);
    unlink(path);
    if (rc != 0)
        fail_msg("unexpected error: %s", err.msg);
    assert_string_equal(c.out.data, w.data);
    assert_int_equal(c.rows, line - 1 + tail_rows); /* header and fillers included */
    util_buf_fini(&c.out);
    util_buf_fini(&w);
    util_buf_fini(&b);
}
#define AT(at, lit, want) expect_at_offset(at, lit, sizeof(lit) - 1, want)

static void test_block_boundary(void **state)
{
    (void)state;
    /* An unquoted field split by the block edge. */
    AT(BLOCK - 3, "12,abcdef\n13,z\n", "@0[12|abcdef] @1[13|z]");
    /* A quoted multi-line field straddling it. */
    AT(BLOCK - 4, "7,\"hello\nworld\"\n8,z\n", "@0[7|hello\\nworld] @2[8|z]");
    AT(BLOCK - 9, "7,\"hello\nworld\"\n8,z\n", "@0[7|hello\\nworld] @2[8|z]");
    /* A doubled quote split between its two quotes. */
    AT(BLOCK - 4, "7,\"\"\"q\"\n8,z\n", "@0[7|\"q] @1[8|z]");
    /* CRLF split between CR and LF, as a row end and inside a quoted field. */
    AT(BLOCK - 4, "9,x\r\n10,y\r\n11,w\r\n", "@0[9|x] @1[10|y] @2[11|w]");
    AT(BLOCK - 6, "11,\"a\r\nb\"\r\n12,c\r\n", "@0[11|a\\r\\nb] @2[12|c]");
    /* A lone CR at the very end of a block. */
    AT(BLOCK - 4, "9,x\r10,y\r", "@0[9|x] @1[10|y]");
    AT(BLOCK - 6, "11,\"a\rb\"\r12,c\r", "@0[11|a\\rb] @2[12|c]");
    /* A blank line of spaces split by the edge; and spaces that turn out to
     * start a row. */
    AT(BLOCK - 3, "   \n5,z\n", "@1[5|z]");
    AT(BLOCK - 3, "   \r\n5,z\n", "@1[5|z]");
    AT(BLOCK - 2, "  x,y\n5,z\n", "@0[x|y] @1[5|z]");
    AT(BLOCK - 2, "  \"x \n y\" ,y\n5,z\n", "@0[x \\n y|y] @2[5|z]");
    AT(BLOCK - 2, " \t", "");
    /* The edge right after a row end, and on a blank line. */
    AT(BLOCK, "1,a\n2,b\n", "@0[1|a] @1[2|b]");
    AT(BLOCK - 1, "\n1,a\n", "@1[1|a]");
    AT(BLOCK - 1, "\r\n1,a\n", "@1[1|a]");
    /* A two-byte character cut by the edge is still one character. */
    AT(BLOCK - 6, "1,caf\xC3\xA9\n2,z\n", "@0[1|caf\xC3\xA9] @1[2|z]");
    AT(BLOCK - 3, "1,\xE2\x82\xAC\xF0\x9F\x98\x80\n", "@0[1|\xE2\x82\xAC\xF0\x9F\x98\x80]");
}

/* Bytes that are not UTF-8 after a first block of clean text, and after a
 * block that ended inside a character: found, with their exact line. */
static void test_utf8_after_first_block(void **state)
{
    (void)state;
    for (int cut = 0; cut < 2; cut++) {
        util_buf b;
        util_buf_init(&b);
        util_buf_puts(&b, "id,text\n");
        long line = 2;
        while (b.len < BLOCK - 40) {
            util_buf_puts(&b, "1,\"two\nlines\"\n");
            line += 2;
        }
        if (cut) {
            while (b.len < BLOCK - 3) {
                util_buf_puts(&b, "\n");
                line++;
            }
            util_buf_puts(&b, "1,\xC3\xA9\n"); /* the edge falls inside \xC3\xA9 */
            line++;
        }
        while (b.len < BLOCK + 1000) {
            util_buf_puts(&b, "2,ok\n");
            line++;
        }
        util_buf_puts(&b, "3,\"caf\n\xE9\"\n");
        line++;
        char path[64], want[160];
        util_err err;
        collect c;
        memset(&c, 0, sizeof c);
        util_buf_init(&c.out);
        c.skip_filler = 1;
        write_tmp(path, b.data, b.len);
        assert_int_equal(csvread_file(path, on_row, &c, &err), -1);
        unlink(path);
        snprintf(want, sizeof want,
                 "%s:%ld: invalid UTF-8 (byte 0xE9 in field 2); save the file as UTF-8", path, line);
        assert_string_equal(err.msg, want);
        util_buf_fini(&c.out);
        util_buf_fini(&b);
    }
}

static void test_block_boundary_errors(void **state)
{
    (void)state;
    /* Line numbers of errors after the first block stay exact. */
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "id,text\n");
    long line = 2;
    while (b.len < BLOCK + 1000) {
        util_buf_puts(&b, "1,\"two\nlines\"\n");
        line += 2;
    }
    util_buf_puts(&b, "1,2,3\n");
    char path[64], want[128];
    util_err err;
    collect c;
    memset(&c, 0, sizeof c);
    util_buf_init(&c.out);
    c.skip_filler = 1;
    write_tmp(path, b.data, b.len);
    assert_int_equal(csvread_file(path, on_row, &c, &err), -1);
    unlink(path);
    snprintf(want, sizeof want, "%s:%ld: malformed CSV: expected 2 fields, found 3", path, line);
    assert_string_equal(err.msg, want);
    assert_int_equal(c.rows, 1 + (line - 2) / 2);
    util_buf_fini(&c.out);
    util_buf_fini(&b);
}

static int check_big(void *ctx, const csvread_row *row, util_err *err)
{
    (void)err;
    long *n = ctx;
    if (++*n == 2) {
        assert_int_equal(row->line, 2);
        assert_int_equal(row->lens[0], 1);
        assert_int_equal(row->lens[1], 3 * BLOCK / 2 + 1);
        assert_int_equal(row->fields[1][0], 'a');
        assert_int_equal(row->fields[1][1000], '"');
        assert_int_equal(row->fields[1][row->lens[1] - 1], 'b');
    } else if (*n == 3) {
        assert_int_equal(row->line, 3 + 1);
        assert_string_equal(row->fields[0], "2");
    }
    return 0;
}

/* A single field larger than a block, with a quote and a line break in it. */
static void test_field_larger_than_block(void **state)
{
    (void)state;
    size_t n = 3 * BLOCK / 2;
    char *data = malloc(n + 64);
    assert_non_null(data);
    size_t len = 0;
    memcpy(data, "k,v\n1,\"", 7);
    len = 7;
    memset(data + len, 'a', n);
    data[len + 1000] = '"';
    data[len + 1001] = '"';
    len += n;
    memcpy(data + len, "\nb\"\n2,c\n", 8);
    len += 8;
    char path[64];
    write_tmp(path, data, len);
    free(data);
    long rows = 0;
    util_err err;
    int rc = csvread_file(path, check_big, &rows, &err);
    unlink(path);
    if (rc != 0)
        fail_msg("unexpected error: %s", err.msg);
    assert_int_equal(rows, 3);
}

/* ---------- Writing cells ---------- */

static void expect_cell(const char *s, int from_input, const char *want)
{
    util_buf b;
    util_buf_init(&b);
    util_buf_puts(&b, "");
    assert_int_equal(csvread_write_field(&b, s, strlen(s), from_input), 0);
    assert_false(b.failed);
    assert_string_equal(b.data, want);
    util_buf_fini(&b);
}

static void test_write_field(void **state)
{
    (void)state;
    expect_cell("", 1, "");
    expect_cell("plain text", 1, "plain text");
    expect_cell(" spaced ", 0, " spaced ");
    expect_cell("a,b", 0, "\"a,b\"");
    expect_cell("say \"hi\"", 0, "\"say \"\"hi\"\"\"");
    expect_cell("\"", 0, "\"\"\"\"");
    expect_cell("two\nlines", 0, "\"two\nlines\"");
    expect_cell("cr\rhere", 0, "\"cr\rhere\"");
    expect_cell("it's", 1, "it's");
    expect_cell("a=b", 1, "a=b");
    expect_cell("3.5", 1, "3.5");

    /* Formula prefixes, only for text from the input. */
    expect_cell("=SUM(A1:A9)", 1, "'=SUM(A1:A9)");
    expect_cell("=SUM(A1:A9)", 0, "=SUM(A1:A9)");
    expect_cell("+1", 1, "'+1");
    expect_cell("-5", 1, "'-5");
    expect_cell("-5", 0, "-5");
    expect_cell("@cmd", 1, "'@cmd");
    expect_cell("=", 1, "'=");
    expect_cell("=1,2", 1, "\"'=1,2\"");
    expect_cell("=HYPERLINK(\"http://x\")", 1, "\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect_cell("-\n", 1, "\"'-\n\"");

    /* Cells append: a whole row. */
    util_buf b;
    util_buf_init(&b);
    csvread_write_field(&b, "x", 1, 1);
    util_buf_puts(&b, ",");
    csvread_write_field(&b, "a,\"b\"", 5, 1);
    util_buf_puts(&b, ",");
    csvread_write_field(&b, "@y", 2, 1);
    assert_string_equal(b.data, "x,\"a,\"\"b\"\"\",'@y");
    /* Round trip through the reader. */
    util_buf_puts(&b, "\n");
    util_err err;
    char path[64];
    int rc;
    char *got = read_data(b.data, b.len, 0, &rc, &err, path);
    assert_int_equal(rc, 0);
    assert_string_equal(got, "1[x|a,\"b\"|'@y]");
    free(got);
    util_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_field_count),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_many_extra_fields),
        cmocka_unit_test(test_cannot_read),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_block_boundary),
        cmocka_unit_test(test_block_boundary_errors),
        cmocka_unit_test(test_utf8_after_first_block),
        cmocka_unit_test(test_field_larger_than_block),
        cmocka_unit_test(test_write_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
