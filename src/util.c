/* util.c - errors, checked allocation, strict number parsing and text buffers.
 *
 * Small helpers that every module uses. Nothing here exits or aborts: an
 * allocation that fails returns NULL and the caller reports UTIL_EINTERNAL. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int util_errf(util_err *err, int code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int util_enomem(util_err *err) {
    return util_errf(err, UTIL_EINTERNAL, "out of memory");
}

/* ---------------------------- Allocation ---------------------------- */

#ifdef LEADSIM_FAILALLOC
/* Fault injection, compiled into test builds only (make build/failalloc/leadsim):
 * every call of util_malloc, util_calloc and util_reallocarray (so also
 * util_strdup, util_grow and the CSV parser's buffer) is numbered from 1, in
 * every thread. LEADSIM_FAIL_ALLOC=N makes call N, and only it, fail;
 * LEADSIM_ALLOC_COUNT=1 prints "leadsim: allocations: COUNT" on stderr at
 * exit, so that a test can fail each call of a run in turn. With
 * LEADSIM_FAIL_ALLOC_STACK=1 the failing call prints where it was made (in
 * a sanitizer build), to find the code that mishandled it. */
#include <stdatomic.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

static atomic_ulong alloc_calls;
static unsigned long alloc_fail_at; /* 0: none fails */

static void alloc_report(void) {
    fprintf(stderr, "leadsim: allocations: %lu\n", atomic_load(&alloc_calls));
}

/* Before main, so before any thread or allocation. */
__attribute__((constructor)) static void alloc_setup(void) {
    const char *n = getenv("LEADSIM_FAIL_ALLOC");
    if (n) alloc_fail_at = strtoul(n, NULL, 10);
    const char *c = getenv("LEADSIM_ALLOC_COUNT");
    if (c && *c && strcmp(c, "0") != 0) atexit(alloc_report);
}

static int alloc_fails(void) {
    if (atomic_fetch_add(&alloc_calls, 1) + 1 != alloc_fail_at) return 0;
#ifdef __SANITIZE_ADDRESS__
    if (getenv("LEADSIM_FAIL_ALLOC_STACK")) {
        fprintf(stderr, "leadsim: allocation %lu fails here:\n", alloc_fail_at);
        __sanitizer_print_stack_trace();
    }
#endif
    return 1;
}
#else
#define alloc_fails() 0
#endif

void *util_malloc(size_t n) {
    if (alloc_fails()) return NULL;
    return malloc(n ? n : 1);
}

void *util_calloc(size_t count, size_t size) {
    if (alloc_fails()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *util_reallocarray(void *p, size_t count, size_t size) {
    if (alloc_fails()) return NULL;
    if (size && count > SIZE_MAX / size) return NULL;
    size_t n = count * size;
    return realloc(p, n ? n : 1);
}

char *util_strndup(const char *s, size_t n) {
    char *d = util_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *util_strdup(const char *s) { return util_strndup(s, strlen(s)); }

void util_free(void *p) { free(p); }

int util_grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    void *np = util_reallocarray(*p, ncap, size);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

/* ---------------------------- Numbers ---------------------------- */

static int is_blank(int c) { return c == ' ' || c == '\t'; }

int util_parse_double(const char *s, double *out) {
    while (is_blank((unsigned char)*s)) s++;
    if (*s == '\0') return -1;
    /* strtod accepts "nan", "inf" and hex floats; none of them is a number a
     * user means in a scenario or a data cell. */
    for (const char *p = s; *p; p++)
        if ((*p >= 'a' && *p <= 'z' && *p != 'e') || (*p >= 'A' && *p <= 'Z' && *p != 'E'))
            return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v)) return -1;
    while (is_blank((unsigned char)*end)) end++;
    if (*end != '\0') return -1;
    *out = v;
    return 0;
}

int util_parse_long(const char *s, long *out) {
    while (is_blank((unsigned char)*s)) s++;
    if (*s == '\0') return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno == ERANGE) return -1;
    while (is_blank((unsigned char)*end)) end++;
    if (*end != '\0') return -1;
    *out = v;
    return 0;
}

char *util_trim(char *s) {
    char *b = s;
    while (is_blank((unsigned char)*b) || *b == '\r' || *b == '\n') b++;
    size_t n = strlen(b);
    while (n && (is_blank((unsigned char)b[n - 1]) || b[n - 1] == '\r' || b[n - 1] == '\n')) n--;
    memmove(s, b, n);
    s[n] = '\0';
    return s;
}

static int reads_back(char *buf, size_t n, int prec, double v) {
    snprintf(buf, n, "%.*g", prec, v);
    return strtod(buf, NULL) == v;
}

void util_fmt_double(char *buf, size_t n, double v) {
    if (v == 0) v = 0; /* no "-0" in output */
    /* Whole numbers (counts, most thresholds) print as integers. */
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(buf, n, "%lld", (long long)v);
        return;
    }
    /* Ratios mostly need 16 or 17 digits: try those first. If p digits read
     * back as v, so do p + 1, so below 15 a binary search finds the least. */
    int lo;
    if (!reads_back(buf, n, 15, v)) {
        lo = reads_back(buf, n, 16, v) ? 16 : 17;
    } else {
        int a = 1, b = 15;
        while (a < b) {
            int mid = (a + b) / 2;
            if (reads_back(buf, n, mid, v)) b = mid;
            else a = mid + 1;
        }
        lo = a;
    }
    /* %g writes an exponent when the integer part has more digits than the
     * precision (1520.5 at 2 digits is 1.5e+03): never for a number a
     * spreadsheet shows plainly. */
    double a = fabs(v);
    if (a >= 1 && a < 1e17) {
        int digits = (int)floor(log10(a)) + 1;
        if (lo < digits) lo = digits;
    }
    snprintf(buf, n, "%.*g", lo, v);
}

/* ---------------------------- Exact sums ---------------------------- */

void util_fsum_init(util_fsum *s) { s->n = 0; }

void util_fsum_add(util_fsum *s, double x) {
    int i = 0;
    for (int j = 0; j < s->n; j++) {
        double y = s->p[j];
        if (fabs(x) < fabs(y)) {
            double t = x;
            x = y;
            y = t;
        }
        double hi = x + y;
        double lo = y - (hi - x);
        if (lo != 0.0) s->p[i++] = lo;
        x = hi;
    }
    if (i < (int)(sizeof s->p / sizeof s->p[0])) s->p[i++] = x;
    s->n = i;
}

double util_fsum_value(const util_fsum *s) {
    /* Python's fsum: add the partials from the largest down, then correct
     * the last rounding so that halfway cases round as the exact sum does. */
    int n = s->n;
    if (n == 0) return 0.0;
    double hi = s->p[--n], lo = 0;
    while (n > 0) {
        double x = hi, y = s->p[--n];
        hi = x + y;
        double yr = hi - x;
        lo = y - yr;
        if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0 && s->p[n - 1] < 0) || (lo > 0 && s->p[n - 1] > 0))) {
        double y = lo * 2, x = hi + y, yr = x - hi;
        if (y == yr) hi = x;
    }
    return hi;
}

/* ---------------------------- Buffers ---------------------------- */

void util_buf_init(util_buf *b) { memset(b, 0, sizeof *b); }

void util_buf_fini(util_buf *b) {
    if (!b) return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

void util_buf_append(util_buf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (util_grow((void **)&b->data, &b->cap, b->len + n + 1, 1) < 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void util_buf_puts(util_buf *b, const char *s) { util_buf_append(b, s, strlen(s)); }

void util_buf_printf(util_buf *b, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        util_buf_append(b, small, (size_t)n);
        return;
    }
    char *big = util_malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    util_buf_append(b, big, (size_t)n);
    free(big);
}
