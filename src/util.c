/* util.c - errors, checked allocation, strict number parsing and text buffers.
 *
 * Small helpers that every module uses. Nothing here exits or aborts: an
 * allocation that fails returns NULL and the caller reports UTIL_EINTERNAL. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "dconv.h"

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

/* ---------------------------- Text ---------------------------- */

size_t util_utf8_check(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* Lead byte: how many continuation bytes, and the allowed range of
         * the first one (which rules out overlongs, surrogates and > U+10FFFF). */
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else return i;
        if (i + k >= n) return i; /* cut short by the end */
        if (p[i + 1] < lo || p[i + 1] > hi) return i;
        for (size_t j = 2; j <= k; j++)
            if ((p[i + j] & 0xC0) != 0x80) return i;
        i += k + 1;
    }
    return n;
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

char *util_path_tidy(char *p) {
    if (!*p) return p;
    int abs = p[0] == '/';
    char *w = p + abs; /* where the next component is written */
    size_t kept = 0;   /* components written that a ".." may remove */
    const char *r = p + abs;
    while (*r) {
        while (*r == '/') r++;
        const char *e = r;
        while (*e && *e != '/') e++;
        size_t n = (size_t)(e - r);
        int more = *e != '\0'; /* read now: the "/" written below may land on the end */
        if (n == 0 || (n == 1 && r[0] == '.')) {
            /* nothing, or "." */
        } else if (n == 2 && r[0] == '.' && r[1] == '.') {
            if (kept) {
                /* back over the last component and its "/" */
                w--;
                while (w > p + abs && w[-1] != '/') w--;
                kept--;
            } else if (!abs) {
                memmove(w, "../", 3);
                w += 3;
            }
        } else {
            memmove(w, r, n);
            w += n;
            *w++ = '/';
            kept++;
        }
        if (!more) break;
        r = e;
    }
    if (w > p + abs) w--; /* the last "/" */
    *w = '\0';
    if (!*p) strcpy(p, "."); /* P was not empty: there is room */
    return p;
}

/* Decimal digits of v into the end of a buffer that ends at `end`; returns
 * where they start. */
static char *ulong_digits(char *end, unsigned long long v) {
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

size_t util_fmt_long(char *buf, long long v) {
    char t[24], *end = t + sizeof t;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char *p = ulong_digits(end, u);
    if (v < 0) *--p = '-';
    size_t len = (size_t)(end - p);
    memcpy(buf, p, len);
    buf[len] = '\0';
    return len;
}

/* The text of a finite v that is not a whole number below 1e15, into out
 * (at least 32 bytes); returns its length. What "%.*g" prints at the least
 * precision that reads back as v, laid out from the shortest digits:
 * |v| = 0.D x 10^point. %g writes an exponent when the decimal exponent
 * X = point - 1 is below -4 or at least the precision; the precision is
 * raised to the integer digits of numbers below 1e17, so a number a
 * spreadsheet shows plainly (1520.5, not 1.5205e+03) never gets one. */
static size_t fmt_shortest(char *out, double v) {
    char d[DCONV_DIGITS];
    int point, len = dconv_shortest(v, d, sizeof d, &point);
    int X = point - 1;
    double a = fabs(v);
    if (a >= 1 && a < 1e17 && len < point) {
        /* a whole number from 1e15 on with fewer significant digits than
         * integer digits: print every digit of it, as %g does */
        return (size_t)snprintf(out, 32, "%.*g", point, v);
    }
    char *o = out;
    if (v < 0) *o++ = '-';
    if (X < -4 || X >= len) {
        *o++ = d[0];
        if (len > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)len - 1);
            o += len - 1;
        }
        int e = X < 0 ? -X : X;
        *o++ = 'e';
        *o++ = X < 0 ? '-' : '+';
        if (e < 10) *o++ = '0';
        char t[8], *end = t + sizeof t, *p = ulong_digits(end, (unsigned long long)e);
        memcpy(o, p, (size_t)(end - p));
        o += end - p;
    } else if (point <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -point; i++) *o++ = '0';
        memcpy(o, d, (size_t)len);
        o += len;
    } else if (point >= len) {
        memcpy(o, d, (size_t)len);
        o += len;
        for (int i = len; i < point; i++) *o++ = '0';
    } else {
        memcpy(o, d, (size_t)point);
        o += point;
        *o++ = '.';
        memcpy(o, d + point, (size_t)(len - point));
        o += len - point;
    }
    *o = '\0';
    return (size_t)(o - out);
}

size_t util_fmt_double(char *buf, size_t n, double v) {
    char t[48];
    size_t len;
    if (v == 0) v = 0; /* no "-0" in output */
    if (fabs(v) < 1e15 && v == (double)(long long)v)
        len = util_fmt_long(t, (long long)v); /* counts, most thresholds */
    else if (!isfinite(v))
        len = (size_t)snprintf(t, sizeof t, "%g", v);
    else
        len = fmt_shortest(t, v);
    if (n == 0) return len;
    size_t k = len < n ? len : n - 1;
    memcpy(buf, t, k);
    buf[k] = '\0';
    return len;
}

void util_timing(const char *what) {
    static struct timespec last;
    static int on = -1;
    if (on < 0) on = getenv("LEADSIM_TIMING") != NULL;
    if (!on) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (what)
        fprintf(stderr, "leadsim: timing: %s in %.6f s\n", what,
                (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9);
    last = now;
}

/* ---------------------------- Threads ---------------------------- */

void util_parallel(void *(*fn)(void *), void *ctx, size_t size, int n) {
    pthread_t th[UTIL_MAX_THREADS];
    int started[UTIL_MAX_THREADS] = {0};
    for (int k = 1; k < n && k < UTIL_MAX_THREADS; k++)
        started[k] = pthread_create(&th[k], NULL, fn, (char *)ctx + (size_t)k * size) == 0;
    fn(ctx);
    for (int k = 1; k < n; k++) {
        if (k < UTIL_MAX_THREADS && started[k]) pthread_join(th[k], NULL);
        else fn((char *)ctx + (size_t)k * size);
    }
}

void util_prefault(void *p, size_t len) {
#ifdef MADV_POPULATE_WRITE
    uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t b = ((uintptr_t)p + len) & ~(uintptr_t)4095;
    if (b > a) (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)len;
#endif
}

typedef struct release_part {
    uintptr_t a, b;
} release_part;

static void *release_run(void *arg) {
    const release_part *r = arg;
    if (r->b > r->a) (void)madvise((void *)r->a, r->b - r->a, MADV_DONTNEED);
    return NULL;
}

void util_release(void *p, size_t len, int nthreads) {
    uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t b = ((uintptr_t)p + len) & ~(uintptr_t)4095;
    if (!p || b <= a || nthreads < 2) return; /* free() alone is as fast */
    if (nthreads > UTIL_MAX_THREADS) nthreads = UTIL_MAX_THREADS;
    release_part part[UTIL_MAX_THREADS];
    uintptr_t step = ((b - a) / (uintptr_t)nthreads + 4095) & ~(uintptr_t)4095;
    for (int k = 0; k < nthreads; k++) {
        uintptr_t lo = a + step * (uintptr_t)k, hi = lo + step;
        part[k] = (release_part){lo < b ? lo : b, hi < b ? hi : b};
    }
    util_parallel(release_run, part, sizeof *part, nthreads);
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

void util_fsum_merge(util_fsum *s, const util_fsum *src) {
    for (int i = 0; i < src->n; i++) util_fsum_add(s, src->p[i]);
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

void util_buf_long(util_buf *b, long long v) {
    char t[24];
    util_buf_append(b, t, util_fmt_long(t, v));
}

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
