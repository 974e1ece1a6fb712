/* csvread.c - streaming RFC 4180 reader on libcsv, with exact row line numbers.
 *
 * libcsv tokenizes but does not say where a row starts, and it silently drops
 * blank lines, so line numbers cannot be counted from its callbacks. We split
 * each 1 MiB block into physical lines ourselves and feed libcsv one line at a
 * time: when a non-blank line is fed while no row is open, that line is where
 * the next row starts; rows only ever end at a line end. Blank lines between
 * rows are never fed at all. Field bytes are copied into one arena that is
 * reused for every row, so a warm reader does not allocate.
 *
 * Not a general CSV library: the delimiter and quote are fixed (',' and '"')
 * and the file must be a regular file (fileio_open_input checks it). */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

#define BLOCK_SIZE ((size_t)1 << 20)
/* libcsv grows its field buffer linearly by this much; 128 (its default)
 * makes long fields quadratic. */
#define FIELD_BLOCK ((size_t)64 << 10)

typedef struct reader {
    const char *path;
    csvread_fn fn;
    void *ctx;
    util_err *err;
    struct csv_parser parser;

    long line;        /* physical line being fed */
    long row_line;    /* line on which the open row started */
    int between_rows; /* no row is open: the next non-blank line starts one */
    int stopped;      /* err is filled (or fn asked to stop): ignore libcsv's remaining callbacks */
    int have_header;
    size_t header_n;

    /* The open row: field i is text + sum(lens[j] + 1, j < i). */
    size_t nfields, lens_cap, fields_cap;
    size_t extra; /* fields of the open row past the header's count (not stored) */
    int utf8;     /* every block so far was whole UTF-8: fields need no check */
    size_t *lens;
    char **fields;
    char *text;
    size_t text_len, text_cap;
} reader;

/* ---------- libcsv memory ---------- */

/* libcsv grows its field buffer through these, so its allocations are
 * leadsim's like any other (and fail in the fault-injection build). When
 * growing fails libcsv retries with half the increment, down to one byte;
 * a parse that has run out of memory cannot usefully go on, so once one
 * request fails the others of that parse fail too and the reader reports
 * out of memory at once. Per thread, in case two files are read at once. */
static _Thread_local int csv_nomem;

static void *csv_realloc(void *p, size_t n)
{
    if (csv_nomem)
        return NULL;
    void *q = util_reallocarray(p, n, 1);
    if (!q)
        csv_nomem = 1;
    return q;
}

/* ---------- libcsv callbacks ---------- */

/* Physical line of byte `at` of a field that ends on the line being fed:
 * that line minus the line ends after `at` inside the field. */
static long line_of(const reader *r, const char *s, size_t at, size_t len)
{
    long breaks = 0;
    for (size_t i = at; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
            breaks++;
    return r->line - breaks;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stopped)
        return;
    /* Fields past the header's count are only counted: the row is an error
     * anyway, and a line of a million commas must not cost a million slots. */
    if (r->have_header && r->nfields + r->extra >= r->header_n) {
        r->extra++;
        return;
    }
    size_t bad = s && !r->utf8 ? util_utf8_check(s, len) : len;
    if (bad < len) {
        r->stopped = 1;
        util_errf(r->err, UTIL_EDATA,
                  "%s:%ld: invalid UTF-8 (byte 0x%02X in field %zu); save the file as UTF-8",
                  r->path, line_of(r, s, bad, len), ((const unsigned char *)s)[bad],
                  r->nfields + 1);
        return;
    }
    size_t need = r->text_len + len + 1;
    if (need < len || (need > r->text_cap && util_grow((void **)&r->text, &r->text_cap, need, 1))
        || (r->nfields >= r->lens_cap
            && util_grow((void **)&r->lens, &r->lens_cap, r->nfields + 1, sizeof *r->lens))) {
        r->stopped = 1;
        util_enomem(r->err);
        return;
    }
    /* CSV_APPEND_NULL makes s[len] a NUL, so it is copied along. */
    if (s)
        memcpy(r->text + r->text_len, s, len + 1);
    else
        r->text[r->text_len] = '\0';
    r->lens[r->nfields++] = len;
    r->text_len = need;
}

static void on_row(int c, void *data)
{
    reader *r = data;
    (void)c;
    if (r->stopped)
        return;
    size_t n = r->nfields;
    if (r->extra) {
        r->stopped = 1;
        util_errf(r->err, UTIL_EDATA, "%s:%ld: malformed CSV: expected %zu fields, found %zu",
                  r->path, r->row_line, r->header_n, n + r->extra);
        return;
    }
    if (n > r->fields_cap
        && util_grow((void **)&r->fields, &r->fields_cap, n, sizeof *r->fields)) {
        r->stopped = 1;
        util_enomem(r->err);
        return;
    }
    char *t = r->text;
    for (size_t i = 0; i < n; i++) {
        r->fields[i] = t;
        t += r->lens[i] + 1;
    }
    if (!r->have_header) {
        r->have_header = 1;
        r->header_n = n;
    } else if (n != r->header_n) {
        r->stopped = 1;
        util_errf(r->err, UTIL_EDATA, "%s:%ld: malformed CSV: expected %zu fields, found %zu",
                  r->path, r->row_line, r->header_n, n);
        return;
    }
    csvread_row row = {n, r->fields, r->lens, r->row_line};
    if (r->fn(r->ctx, &row, r->err) != 0)
        r->stopped = 1;
    r->nfields = 0;
    r->text_len = 0;
    r->between_rows = 1;
}

/* ---------- Feeding lines ---------- */

static int feed(reader *r, const char *s, size_t n)
{
    size_t done = csv_parse(&r->parser, s, n, on_field, on_row, r);
    if (r->stopped)
        return -1;
    if (done == n)
        return 0;
    switch (csv_error(&r->parser)) {
    case CSV_EPARSE:
        /* Strict mode rejects exactly two things: a quote inside an unquoted
         * field, and anything but blanks, a comma, a line end or a second
         * quote after a closing quote. The parser's `quoted` member (public
         * in csv.h) tells which one happened. */
        return util_errf(r->err, UTIL_EDATA, "%s:%ld: malformed CSV: %s", r->path, r->line,
                         r->parser.quoted ? "text after a closing quote"
                                          : "stray quote in an unquoted field");
    case CSV_ETOOBIG:
        return util_errf(r->err, UTIL_EDATA, "%s:%ld: malformed CSV: field too large", r->path,
                         r->line);
    default:
        return util_enomem(r->err);
    }
}

static int is_blank_char(char c)
{
    return c == ' ' || c == '\t';
}

/* Feed one physical line s[0..n). `ended` says whether it includes its line
 * end (LF, CRLF or CR); if not, the rest of the line comes with the next
 * block, and a line that is blank so far is still undecided. Blanks at the
 * start of a row are skipped by libcsv anyway, so they need not be fed. */
static int feed_line(reader *r, const char *s, size_t n, int ended)
{
    if (r->between_rows) {
        size_t i = 0;
        while (i < n && is_blank_char(s[i]))
            i++;
        size_t rest = n - i;
        if (rest == 0 || (ended && (rest == 1 || (rest == 2 && s[i] == '\r'))))
            return 0;
        r->between_rows = 0;
        r->row_line = r->line;
        s += i;
        n = rest;
    }
    return feed(r, s, n);
}

/* Read up to n bytes, retrying short reads, so that only the last block of a
 * file is short. Returns the count, or -1 with errno set. */
static ssize_t read_full(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static const char *find(const char *p, const char *end, char c)
{
    const char *q = memchr(p, c, (size_t)(end - p));
    return q ? q : end;
}

/* Parse the whole file. The bytes read are counted against the size the
 * file had when it was opened (*st): a file that grows or shrinks while it
 * is read is an I/O error, never half a dataset. */
static int read_all(reader *r, int fd, const struct stat *st, char *block)
{
    int first = 1;
    uint64_t total = 0;
    /* The previous block ended with CR: if this one starts with LF, that LF
     * is the second half of a CRLF line end that was already counted. */
    int cr_at_end = 0;

    for (;;) {
        ssize_t nread = read_full(fd, block, BLOCK_SIZE);
        if (nread < 0)
            return util_errf(r->err, UTIL_EIO, "%s: cannot read: %s", r->path, strerror(errno));
        if (nread == 0)
            break;
        total += (uint64_t)nread;
        if (total > (uint64_t)st->st_size)
            return fileio_grew(r->path, st, r->err);
        /* One pass over the block (8 bytes at a time while it is ASCII)
         * spares every field its own UTF-8 check: separators are ASCII, so
         * the fields of well-formed text are well-formed. From the first
         * block that is not (bad bytes, or a character cut by the block's
         * end) on, each field is checked and a bad one named exactly. */
        if (r->utf8 && util_utf8_check(block, (size_t)nread) != (size_t)nread)
            r->utf8 = 0;
        const char *p = block, *end = block + nread;
        if (first) {
            first = 0;
            if (nread >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3;
        }
        if (cr_at_end) {
            cr_at_end = 0;
            if (p < end && *p == '\n') {
                if (!r->between_rows && feed(r, p, 1))
                    return -1;
                p++;
            }
        }
        /* Next NUL, LF and CR at or after p (end when none): each is searched
         * again only once p has passed it, so a block costs one scan per
         * character class whatever mix of line ends it has. */
        const char *nul = find(p, end, '\0');
        const char *nl = find(p, end, '\n');
        const char *cr = find(p, end, '\r');

        while (p < end) {
            if (nl < p)
                nl = find(p, end, '\n');
            if (cr < p)
                cr = find(p, end, '\r');
            const char *lend = end;
            int ended = 1;
            if (cr < nl) {
                if (cr + 1 == end) {
                    cr_at_end = 1;
                } else if (cr[1] == '\n') {
                    lend = cr + 2;
                } else {
                    lend = cr + 1; /* a CR alone ends a line too (old Mac files) */
                }
            } else if (nl < end) {
                lend = nl + 1;
            } else {
                ended = 0;
            }
            if (nul < lend) {
                /* Errors come in file order: whatever precedes the NUL on
                 * its line is parsed first, wherever the block edges fall. */
                if (feed_line(r, p, (size_t)(nul - p), 0))
                    return -1;
                return util_errf(r->err, UTIL_EDATA, "%s:%ld: NUL byte in a field", r->path,
                                 r->line);
            }
            if (feed_line(r, p, (size_t)(lend - p), ended))
                return -1;
            if (ended)
                r->line++;
            p = lend;
        }
    }

    if (fileio_check_same(r->path, fd, st, total, r->err) < 0)
        return -1;
    if (csv_fini(&r->parser, on_field, on_row, r) != 0)
        return util_errf(r->err, UTIL_EDATA,
                         "%s:%ld: malformed CSV: quoted field not closed before end of file",
                         r->path, r->row_line);
    return r->stopped ? -1 : 0;
}

/* ---------- Public API ---------- */

int csvread_file(const char *path, csvread_fn fn, void *ctx, util_err *err)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.fn = fn;
    r.ctx = ctx;
    r.err = err;
    r.line = 1;
    r.row_line = 1;
    r.between_rows = 1;
    r.utf8 = 1;

    struct stat st;
    int fd = fileio_open_input(path, &st, err);
    if (fd < 0)
        return -1;
    char *block = util_malloc(BLOCK_SIZE);
    if (!block) {
        close(fd);
        return util_enomem(err);
    }
    int rc;
    if (csv_init(&r.parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        rc = util_errf(err, UTIL_EINTERNAL, "%s: cannot start the CSV parser", path);
    } else {
        csv_set_blk_size(&r.parser, FIELD_BLOCK);
        csv_set_realloc_func(&r.parser, csv_realloc);
        csv_set_free_func(&r.parser, util_free);
        csv_nomem = 0;
        rc = read_all(&r, fd, &st, block);
        csv_free(&r.parser);
    }
    close(fd);
    util_free(block);
    util_free(r.lens);
    util_free(r.fields);
    util_free(r.text);
    return rc;
}

int csvread_write_field(util_buf *b, const char *s, size_t n, int from_input)
{
    int formula = from_input && n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    int quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = 1;
            break;
        }
    }
    if (!quote) {
        if (formula)
            util_buf_append(b, "'", 1);
        util_buf_append(b, s, n);
        return 0;
    }
    util_buf_append(b, formula ? "\"'" : "\"", formula ? 2 : 1);
    /* Copy runs up to and including each quote, then add the doubling one. */
    const char *p = s, *end = s + n;
    const char *q;
    while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
        util_buf_append(b, p, (size_t)(q - p) + 1);
        util_buf_append(b, "\"", 1);
        p = q + 1;
    }
    util_buf_append(b, p, (size_t)(end - p));
    util_buf_append(b, "\"", 1);
    return 0;
}
