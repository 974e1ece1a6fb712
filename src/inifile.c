/* inifile.c - INI parsing through inih with line numbers and overlong-line errors.
 *
 * inih reads through a reader function we give it; counting the lines that
 * reader hands out tells every callback its line. The reader also refuses a
 * line that would not fit inih's fixed buffer, because inih would otherwise
 * parse the remainder as a separate line and silently change the meaning. */
#include "inifile.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* Largest INI file read: far more than any scenario, small enough that a
 * wrong path (a dataset dump given as the scenario) is refused at once. */
#define MAX_FILE ((size_t)16 << 20)

typedef struct reader {
    const char *text; /* the whole file, read at once */
    size_t len, at;   /* its length, and where the next line starts */
    const char *path;
    long line;        /* line number of the line last handed to inih */
    int too_long;     /* set when a line exceeded the limit */
    int nul;          /* set when a line holds a NUL byte */
    long bad_utf8;    /* offset in the line of a byte that is not UTF-8, + 1 */
    unsigned bad_byte;
    const inifile_cb *cb;
    void *ctx;
    util_err *err;
    int failed;       /* a callback reported an error (err is set) */
    int bad_header;   /* a '[' line without its ']' */
    char section[256];
} reader;

/* Called by inih for each line; fills str with at most num-1 bytes. */
static char *read_line(char *str, int num, void *stream) {
    reader *r = stream;
    if (r->failed || r->too_long || r->nul || r->bad_utf8) return NULL;
    if (r->at >= r->len) return NULL;
    const char *line = r->text + r->at;
    const char *nl = memchr(line, '\n', r->len - r->at);
    size_t n = nl ? (size_t)(nl - line) : r->len - r->at;
    r->at += n + (nl != NULL);
    if (n && line[n - 1] == '\r') n--;
    r->line++;
    /* inih works on C strings: a NUL would silently end the line there. */
    if (memchr(line, '\0', n)) {
        r->nul = 1;
        return NULL;
    }
    size_t bad = util_utf8_check(line, n);
    if (bad < n) {
        r->bad_utf8 = (long)bad + 1;
        r->bad_byte = (unsigned char)line[bad];
        return NULL;
    }
    if (n > INIFILE_MAX_LINE || n + 2 > (size_t)num) {
        r->too_long = 1;
        return NULL;
    }
    memcpy(str, line, n);
    str[n] = '\n';
    str[n + 1] = '\0';

    /* Section headers are reported here, because inih tells a handler
     * nothing about a section that holds no keys. Leading blanks are
     * skipped as inih skips them (isspace): a header after a form feed is a
     * section to inih, so it must be one here too. */
    const char *p = str;
    while (isspace((unsigned char)*p)) p++;
    if (r->line == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    if (*p == '[') {
        const char *end = strchr(p, ']');
        if (!end) {
            r->bad_header = 1;
            return NULL;
        }
        if (end) {
            size_t len = (size_t)(end - p - 1);
            if (len >= sizeof r->section) len = sizeof r->section - 1;
            memcpy(r->section, p + 1, len);
            r->section[len] = '\0';
            util_trim(r->section);
            if (r->cb->section && r->cb->section(r->ctx, r->section, r->line, r->err) < 0) {
                r->failed = 1;
                return NULL;
            }
        }
    }
    /* inih splits a pair at the first '=' or ':'. A ':' is common in
     * values a key may name (a web:organic source, a 10:00 time), so when
     * a line has '=' the ':' before it is hidden and restored in on_pair. */
    if (*p != ';' && *p != '#' && *p != '[') {
        char *eq = strchr(str, '=');
        for (char *q = str; eq && q < eq; q++)
            if (*q == ':') *q = '\x1f';
    }
    return str;
}

/* Strip a '#' comment preceded by blank space: inih only knows ';' inline. */
static void strip_hash_comment(char *v) {
    for (char *p = v; *p; p++) {
        if (*p == '#' && (p == v || p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            break;
        }
    }
    util_trim(v);
}

static int on_pair(void *user, const char *section, const char *name, const char *value) {
    reader *r = user;
    if (r->failed) return 0;
    char buf[INIFILE_MAX_LINE + 8], key[INIFILE_MAX_LINE + 8];
    snprintf(buf, sizeof buf, "%s", value ? value : "");
    strip_hash_comment(buf);
    snprintf(key, sizeof key, "%s", name);
    for (char *q = key; *q; q++)
        if (*q == '\x1f') *q = ':';
    (void)section; /* inih keeps blanks inside [ mql ]; r->section is trimmed */
    if (r->cb->pair(r->ctx, r->section, key, buf, r->line, r->err) < 0) {
        r->failed = 1;
        return 0;
    }
    return 1;
}

int inifile_parse(const char *path, const inifile_cb *cb, void *ctx, util_err *err) {
    char *text;
    size_t len;
    if (fileio_read_all(path, MAX_FILE, &text, &len, err) < 0) return -1;
    /* Indented lines would otherwise be glued to the previous value. */
    ini_allow_multiline = false;
    reader r = {.text = text, .len = len, .path = path, .cb = cb, .ctx = ctx, .err = err};
    int rc = ini_parse_stream(read_line, &r, on_pair, &r);
    free(text);
    if (r.failed) return -1;
    if (r.nul) return util_errf(err, UTIL_EDATA, "%s:%ld: NUL byte in the line", path, r.line);
    if (r.bad_utf8)
        return util_errf(err, UTIL_EDATA, "%s:%ld: invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
                         path, r.line, r.bad_byte);
    if (r.bad_header)
        return util_errf(err, UTIL_EDATA, "%s:%ld: section header without its closing ']'", path,
                         r.line);
    if (r.too_long)
        return util_errf(err, UTIL_EDATA, "%s:%ld: line longer than %d characters", path, r.line,
                         INIFILE_MAX_LINE);
    if (rc > 0)
        return util_errf(err, UTIL_EDATA, "%s:%d: not a [section] or key = value line", path, rc);
    if (rc < 0) return util_errf(err, UTIL_EINTERNAL, "%s: INI reader failed", path);
    return 0;
}
