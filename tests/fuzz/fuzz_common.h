/* fuzz_common.h - what every libFuzzer harness of leadsim shares.
 *
 * A private temporary folder that lives as long as the fuzzing process (made
 * once, reused by every input, removed at exit), writing files into it, and
 * the checks that several targets make: that a failure carries one of the
 * documented exit codes and a message, and that a loaded dataset keeps the
 * invariants the replay relies on (indices inside their arrays, strings
 * terminated, events grouped by lead).
 *
 * A failed check prints what was wrong and calls abort(): that is how a
 * harness tells libFuzzer it found a bug, which then saves the input.
 * Static functions only, so each harness is one translation unit. Include
 * it first: it asks for the POSIX and GNU declarations it needs. */
#ifndef LEADSIM_FUZZ_COMMON_H
#define LEADSIM_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"
#include "strtab.h"
#include "tstamp.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---------- Failing ---------- */

static inline void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void fz_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz check failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* ---------- The temporary folder ---------- */

static char fz_dir_path[256];

static inline int fz_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static inline void fz_rm_tree(const char *path) { nftw(path, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS); }

static inline void fz_cleanup(void) {
    if (fz_dir_path[0]) fz_rm_tree(fz_dir_path);
}

/* The process's own folder, made on first use and removed at exit. */
static inline const char *fz_dir(void) {
    if (fz_dir_path[0]) return fz_dir_path;
    const char *tmp = getenv("TMPDIR");
    snprintf(fz_dir_path, sizeof fz_dir_path, "%s/leadsim_fuzz_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fz_dir_path)) fz_fail("mkdtemp %s: %s", fz_dir_path, strerror(errno));
    atexit(fz_cleanup);
    return fz_dir_path;
}

/* DIR/NAME into out. */
static inline void fz_path(char *out, size_t n, const char *dir, const char *name) {
    if ((size_t)snprintf(out, n, "%s/%s", dir, name) >= n) fz_fail("path too long: %s/%s", dir, name);
}

/* Replace the file at path with exactly data[0..size). */
static inline void fz_write(const char *path, const void *data, size_t size) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fz_fail("open %s: %s", path, strerror(errno));
    const char *p = data;
    while (size) {
        ssize_t k = write(fd, p, size);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) fz_fail("write %s: %s", path, strerror(errno));
        p += k;
        size -= (size_t)k;
    }
    if (close(fd) != 0) fz_fail("close %s: %s", path, strerror(errno));
}

static inline void fz_write_str(const char *path, const char *text) { fz_write(path, text, strlen(text)); }

/* The input as a NUL-terminated string in a heap block of exactly its size,
 * so that ASan sees any read past the end. NULL when it holds a NUL byte
 * (text parsers are handed C strings: a NUL cannot reach them). */
static inline char *fz_cstr(const uint8_t *data, size_t size) {
    if (memchr(data, '\0', size)) return NULL;
    char *s = malloc(size + 1);
    if (!s) fz_fail("out of memory");
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* ---------- Errors ---------- */

/* Whether the input under test holds the text "null" itself: a message that
 * quotes it inside its own parentheses or after a quote of "(" from the input
 * then shows "(null)" with no NULL string printed (a header "lea(null" gives
 * "(the header has: lea(null)"). Set by fz_note_input for each input. */
static int fz_input_says_null;

static inline void fz_note_input(const uint8_t *data, size_t size) {
    fz_input_says_null = memmem(data, size, "null", 4) != NULL;
}

static inline int fz_printed_null(const char *msg) {
    return !fz_input_says_null && strstr(msg, "(null)") != NULL;
}

/* A call that returned -1 must have filled err with a documented exit code
 * and a message, with no NULL string printed as "(null)" (see
 * fz_note_input); a problem with file content must name the file (the
 * message starts with prefix). */
static inline void fz_check_err(const util_err *err, const char *prefix) {
    if (err->code != UTIL_EDATA && err->code != UTIL_EINTERNAL && err->code != UTIL_EIO)
        fz_fail("error code %d is not a documented exit status (message: %s)", err->code, err->msg);
    if (!memchr(err->msg, '\0', sizeof err->msg) || err->msg[0] == '\0')
        fz_fail("error %d without a message", err->code);
    if (err->code == UTIL_EDATA && prefix && strncmp(err->msg, prefix, strlen(prefix)) != 0)
        fz_fail("message does not name the file %s: %s", prefix, err->msg);
    if (fz_printed_null(err->msg)) fz_fail("a NULL string was printed: %s", err->msg);
}

/* ---------- Dataset invariants ---------- */

/* Every string of t is terminated inside the arena; with unique, each one
 * is found again at its own index. */
static inline void fz_check_strtab(const strtab *t, int unique, const char *what) {
    for (size_t i = 0; i < t->n; i++) {
        if (t->off[i] >= t->alen) fz_fail("%s: string %zu starts outside its arena", what, i);
        const char *s = strtab_str(t, i);
        size_t len = strnlen(s, t->alen - t->off[i]);
        if (len == t->alen - t->off[i]) fz_fail("%s: string %zu is not terminated", what, i);
        if (unique && strtab_find(t, s, len) != (long)i)
            fz_fail("%s: string %zu '%s' is not found at its index", what, i, s);
    }
}

/* What replay, sweep and the reports rely on, whatever the input was:
 * indexes inside their arrays, terminated strings, times in the parser's
 * range (years 0001-9999), each lead's events in time order from its
 * created_at on, amounts that are none or 0 to 1e15. from_csv: the dataset
 * was read from CSV files, which also promises unique ids and interned
 * values. */
static inline void fz_check_dataset(const dataset *ds, int from_csv) {
    if (!ds) fz_fail("success without a dataset");
    if (!ds->leads_path) fz_fail("no leads path");
    if (ds->ids.n != ds->nleads) fz_fail("%zu ids for %zu leads", ds->ids.n, ds->nleads);
    fz_check_strtab(&ds->ids, from_csv, "lead ids");
    fz_check_strtab(&ds->types, from_csv, "event types");
    if (ds->types.n > (size_t)UINT16_MAX + 1) fz_fail("%zu event types", ds->types.n);
    for (size_t i = 0; i < ds->nleads; i++) {
        if (ds->status[i] > DATASET_LOST) fz_fail("lead %zu has status %d", i, ds->status[i]);
        if (ds->snapshot && from_csv && ds->created[i] != 0)
            fz_fail("snapshot lead %zu has a created_at", i);
        if (ds->created[i] < TSTAMP_PARSE_MIN || ds->created[i] > TSTAMP_PARSE_MAX ||
            (ds->closed[i] != TSTAMP_NONE &&
             (ds->closed[i] < TSTAMP_PARSE_MIN || ds->closed[i] > TSTAMP_PARSE_MAX)))
            fz_fail("lead %zu has a time outside the years 0001-9999", i);
        if (!isnan(ds->amount[i]) && !(ds->amount[i] >= 0 && ds->amount[i] <= DATASET_MAX_AMOUNT))
            fz_fail("lead %zu has amount %g", i, ds->amount[i]);
    }
    for (size_t a = 0; a < ds->nattrs; a++) {
        const dataset_attr *at = &ds->attrs[a];
        if (!at->name) fz_fail("attribute %zu has no name", a);
        fz_check_strtab(&at->values, from_csv, at->name);
        for (size_t i = 0; i < ds->nleads; i++)
            if (at->code[i] >= at->values.n)
                fz_fail("attribute %s: lead %zu has code %u of %zu", at->name, i, at->code[i],
                        at->values.n);
    }
    if (!ds->ev_off) fz_fail("no event offsets");
    if (ds->ev_off[0] != 0 || ds->ev_off[ds->nleads] != ds->nevents)
        fz_fail("event offsets do not span the %zu events", ds->nevents);
    for (size_t i = 0; i < ds->nleads; i++) {
        if (ds->ev_off[i + 1] < ds->ev_off[i]) fz_fail("event offsets go back at lead %zu", i);
        for (size_t e = ds->ev_off[i]; e < ds->ev_off[i + 1]; e++) {
            if (ds->ev_type[e] >= ds->types.n) fz_fail("event %zu has type %u", e, ds->ev_type[e]);
            if (ds->ev_time[e] > TSTAMP_PARSE_MAX) fz_fail("event %zu is after the year 9999", e);
            if (e > ds->ev_off[i] && ds->ev_time[e] < ds->ev_time[e - 1])
                fz_fail("events of lead %zu are not in time order", i);
            if (ds->ev_time[e] < ds->created[i]) fz_fail("event %zu before its lead was created", e);
        }
    }
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        const dataset_dq *q = &ds->dq[c];
        if (q->nexamples < 0 || q->nexamples > DATASET_DQ_EXAMPLES || q->nexamples > q->count)
            fz_fail("class %d: %d examples of %ld", c, q->nexamples, q->count);
        for (int k = 0; k < q->nexamples; k++) {
            if (!q->examples[k] || !q->examples[k][0]) fz_fail("class %d: empty example", c);
            if (fz_printed_null(q->examples[k])) fz_fail("a NULL string was printed: %s", q->examples[k]);
        }
    }
}

/* ---------- Comparing datasets ---------- */

static inline int fz_same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static inline int fz_same_bits(const void *a, const void *b, size_t n) {
    return n == 0 || (a && b && memcmp(a, b, n) == 0);
}

/* Do a and b hold the same dataset (strings compared as text, doubles bit
 * for bit)? what names them in the failure. */
static inline void fz_same_dataset(const dataset *a, const dataset *b, const char *what) {
#define FZ_SAME(cond, part) \
    do { \
        if (!(cond)) fz_fail("%s: %s differs", what, part); \
    } while (0)
    FZ_SAME(fz_same_str(a->leads_path, b->leads_path), "leads_path");
    FZ_SAME(fz_same_str(a->events_path, b->events_path), "events_path");
    FZ_SAME(fz_same_str(a->outcomes_path, b->outcomes_path), "outcomes_path");
    FZ_SAME(fz_same_str(a->ini_path, b->ini_path), "ini_path");
    FZ_SAME(fz_same_str(a->ini_candidate, b->ini_candidate), "ini_candidate");
    FZ_SAME(fz_same_str(a->events_candidate, b->events_candidate), "events_candidate");
    FZ_SAME(fz_same_str(a->outcomes_candidate, b->outcomes_candidate), "outcomes_candidate");
    FZ_SAME(a->snapshot == b->snapshot && a->has_events == b->has_events &&
                a->has_amount == b->has_amount, "flags");
    FZ_SAME(a->max_time == b->max_time, "max_time");
    FZ_SAME(a->nrows_events == b->nrows_events && a->nrows_outcomes == b->nrows_outcomes, "row counts");
    for (int c = 0; c < DATASET_DQ_COUNT; c++) {
        FZ_SAME(a->dq[c].count == b->dq[c].count && a->dq[c].nexamples == b->dq[c].nexamples,
                dataset_dq_label(c));
        for (int k = 0; k < a->dq[c].nexamples; k++)
            FZ_SAME(fz_same_str(a->dq[c].examples[k], b->dq[c].examples[k]), dataset_dq_label(c));
    }
    size_t n = a->nleads;
    FZ_SAME(n == b->nleads, "nleads");
    FZ_SAME(a->ids.n == b->ids.n, "ids");
    for (size_t i = 0; i < a->ids.n; i++)
        FZ_SAME(strcmp(strtab_str(&a->ids, i), strtab_str(&b->ids, i)) == 0, "ids");
    FZ_SAME(fz_same_bits(a->created, b->created, n * sizeof *a->created), "created");
    FZ_SAME(fz_same_bits(a->status, b->status, n * sizeof *a->status), "status");
    FZ_SAME(fz_same_bits(a->closed, b->closed, n * sizeof *a->closed), "closed");
    FZ_SAME(fz_same_bits(a->amount, b->amount, n * sizeof *a->amount), "amount");
    FZ_SAME(a->nattrs == b->nattrs, "nattrs");
    for (size_t k = 0; k < a->nattrs; k++) {
        const dataset_attr *x = &a->attrs[k], *y = &b->attrs[k];
        FZ_SAME(strcmp(x->name, y->name) == 0, "attribute names");
        FZ_SAME(x->values.n == y->values.n, "attribute values");
        for (size_t i = 0; i < x->values.n; i++)
            FZ_SAME(strcmp(strtab_str(&x->values, i), strtab_str(&y->values, i)) == 0, "attribute values");
        FZ_SAME(fz_same_bits(x->code, y->code, n * sizeof *x->code), "attribute codes");
    }
    FZ_SAME(a->nevents == b->nevents, "nevents");
    FZ_SAME(fz_same_bits(a->ev_off, b->ev_off, (n + 1) * sizeof *a->ev_off), "ev_off");
    FZ_SAME(fz_same_bits(a->ev_time, b->ev_time, a->nevents * sizeof *a->ev_time), "ev_time");
    FZ_SAME(a->types.n == b->types.n, "types");
    for (size_t i = 0; i < a->types.n; i++)
        FZ_SAME(strcmp(strtab_str(&a->types, i), strtab_str(&b->types, i)) == 0, "types");
    FZ_SAME(fz_same_bits(a->ev_type, b->ev_type, a->nevents * sizeof *a->ev_type), "ev_type");
#undef FZ_SAME
}

#endif
