/* util.h - errors, memory, number parsing and output helpers shared by every module.
 *
 * Every fallible function in leadsim returns an int status (0 on success, -1 on
 * failure) and fills a util_err with a message that already names FILE:LINE
 * when the problem is in a file. Only main() turns an error into an exit. */
#ifndef LEADSIM_UTIL_H
#define LEADSIM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (sysexits.h values). */
#define UTIL_OK 0
#define UTIL_EUSAGE 2     /* bad command line */
#define UTIL_EDATA 65     /* bad input data or scenario */
#define UTIL_EINTERNAL 70 /* internal error, out of memory included */
#define UTIL_EIO 74       /* cannot read or write a file */

typedef struct util_err {
    int code;       /* one of the UTIL_E* statuses */
    char msg[1024]; /* complete message, e.g. "data/leads.csv:12: duplicate lead_id 'x'" */
} util_err;

/* Set err (when not NULL) and return -1, so callers can write
 * `return util_errf(err, UTIL_EDATA, "%s:%ld: ...", ...);`. */
int util_errf(util_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The standard out-of-memory error; returns -1. */
int util_enomem(util_err *err);

/* Allocation wrappers: NULL on failure (never abort). util_reallocarray checks
 * the multiplication for overflow. Every heap allocation of leadsim's own
 * code goes through them, so that a test build (-DLEADSIM_FAILALLOC, see
 * util.c) can make any one of them fail. */
void *util_malloc(size_t n);
void *util_calloc(size_t count, size_t size);
void *util_reallocarray(void *p, size_t count, size_t size);
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);
void util_free(void *p);

/* Growable array of `cap` elements of `size` bytes: make room for `need`
 * elements. Returns 0, or -1 with *p unchanged when memory runs out. */
int util_grow(void **p, size_t *cap, size_t need, size_t size);

/* Strict number parsing of a whole string (leading/trailing blanks allowed):
 * 0 on success, -1 when empty, not a number, not finite or out of range. */
int util_parse_double(const char *s, double *out);
int util_parse_long(const char *s, long *out);

/* Offset of the first byte of s[0..n) that does not belong to a well-formed
 * UTF-8 sequence (overlong forms, surrogates and code points above U+10FFFF
 * are not well-formed), or n when all of it is UTF-8. ASCII runs cost one
 * test per 8 bytes. */
size_t util_utf8_check(const char *s, size_t n);

/* Trim ASCII blanks in place; returns s. */
char *util_trim(char *s);

/* Tidy path P in place, as text only (no file is looked at, no link
 * followed): "x//y" and "x/./y" become "x/y", "a/b/../c" becomes "a/c", a
 * trailing "/" goes; leading ".." stay, "/.." is "/", and what is left of
 * nothing is ".". The result is never longer; returns P. It names the same
 * file as P only where no folder it steps back out of is a symbolic link:
 * check before using it for anything but display. */
char *util_path_tidy(char *p);

/* Shortest "%.*g" text that reads back as the same double (at most 17
 * digits), cut to fit n bytes like snprintf; returns the full text's length
 * (at most 24). */
size_t util_fmt_double(char *buf, size_t n, double v);
/* Decimal text of v into buf (at least 21 bytes); returns its length. */
size_t util_fmt_long(char *buf, long long v);

/* An exactly rounded running sum (Shewchuk's algorithm, as Python's
 * math.fsum): the value is the correctly rounded sum of everything added,
 * whatever the order, so totals built in different orders agree to the bit. */
typedef struct util_fsum {
    double p[80]; /* non-overlapping partials; a double sum never needs more than ~40 */
    int n;
} util_fsum;
void util_fsum_init(util_fsum *s);
void util_fsum_add(util_fsum *s, double x);
double util_fsum_value(const util_fsum *s);
/* Add everything src holds to s: s then holds the exact sum of both, so
 * sums built in parts (one per thread) and merged are the sum built whole. */
void util_fsum_merge(util_fsum *s, const util_fsum *src);

/* Run fn(ctx + k * size) for k in [0, n): k > 0 on threads of their own,
 * k = 0 on the calling thread. A thread that cannot start (or beyond
 * UTIL_MAX_THREADS) is run on the calling thread after the others, so the
 * work is always done and a result built from the n parts never depends on
 * how many threads ran. Cannot fail. */
#define UTIL_MAX_THREADS 64
void util_parallel(void *(*fn)(void *), void *ctx, size_t size, int n);

/* Make the pages of fresh memory [p, p + len) at once (whole pages inside
 * it only): one call costs about half of what a fault per page does when a
 * thread then writes them all. A hint: nothing changes when the system
 * cannot. */
void util_prefault(void *p, size_t len);

/* Give the pages of [p, p + len) back to the system (whole pages inside it
 * only) on NTHREADS threads, just before the block is freed: most of the
 * cost of freeing hundreds of megabytes is the kernel's, page by page, and
 * this part of it runs side by side. The contents are lost. Cannot fail. */
void util_release(void *p, size_t len, int nthreads);

/* With LEADSIM_TIMING set in the environment, print to stderr how long the
 * phase named WHAT took since the previous call (the first call, with WHAT
 * NULL, starts the clock). For benchmarks; prints nothing otherwise. */
void util_timing(const char *what);

/* A growable byte buffer for building output text. */
typedef struct util_buf {
    char *data;
    size_t len, cap;
    int failed; /* set once an allocation failed; further appends are ignored */
} util_buf;
void util_buf_init(util_buf *b);
void util_buf_fini(util_buf *b);
void util_buf_append(util_buf *b, const char *s, size_t n);
void util_buf_puts(util_buf *b, const char *s);
void util_buf_printf(util_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append the decimal text of v. */
void util_buf_long(util_buf *b, long long v);

#endif
