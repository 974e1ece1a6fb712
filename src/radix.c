/* radix.c - the one radix sort: stable LSD passes over 64-bit keys, alone or with an index.
 *
 * Each pass sorts by one 11-bit digit, from the lowest. With several threads,
 * each counts the digits of its slice, the counts give every (thread, digit)
 * its place, and each thread scatters its slice in order: so the output is
 * the one stable order whatever the threads. One thread needs no recount:
 * the first step's counts of every digit are its places. Passes whose digit
 * is the same for every key are skipped (scores rarely use all 64 bits).
 *
 * Not for: NaN keys (radix.h), or sorting records wider than a key and an
 * index (sort indices, then gather). */
#include "radix.h"

#include <stdlib.h>

#include "util.h"

#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)
#define RADIX_PASSES 6 /* 6 * 11 >= 64 */

/* One thread's slice [lo, hi) of a sort. */
typedef struct slice {
    uint64_t *src, *dst;
    uint32_t *isrc, *idst;  /* the payload, or NULL */
    size_t lo, hi;
    int shift;
    size_t *place;          /* this pass's write positions: count, or all[pass] */
    size_t count[RADIX_SIZE];
    size_t all[RADIX_PASSES][RADIX_SIZE]; /* first step: every digit's counts */
} slice;

struct radix_ws {
    int nth;
    slice part[];
};

radix_ws *radix_ws_alloc(int nthreads) {
    int nth = nthreads < 1 ? 1 : nthreads > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : nthreads;
    radix_ws *ws = util_calloc(1, sizeof *ws + (size_t)nth * sizeof(slice));
    if (ws) ws->nth = nth;
    return ws;
}

void radix_ws_free(radix_ws *ws) { free(ws); }

static void *count_all(void *arg) {
    slice *c = arg;
    memset(c->all, 0, sizeof c->all);
    for (size_t i = c->lo; i < c->hi; i++) {
        uint64_t k = c->src[i];
        for (int d = 0; d < RADIX_PASSES; d++)
            c->all[d][(k >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
    }
    return NULL;
}

static void *count_pass(void *arg) {
    slice *c = arg;
    memset(c->count, 0, sizeof c->count);
    for (size_t i = c->lo; i < c->hi; i++) c->count[(c->src[i] >> c->shift) & (RADIX_SIZE - 1)]++;
    return NULL;
}

/* Two loops rather than a test per key: the keys-only one is the sweep's. */
static void *scatter(void *arg) {
    slice *c = arg;
    size_t *place = c->place;
    int shift = c->shift;
    if (!c->isrc) {
        for (size_t i = c->lo; i < c->hi; i++) {
            uint64_t k = c->src[i];
            c->dst[place[(k >> shift) & (RADIX_SIZE - 1)]++] = k;
        }
        return NULL;
    }
    for (size_t i = c->lo; i < c->hi; i++) {
        uint64_t k = c->src[i];
        size_t d = place[(k >> shift) & (RADIX_SIZE - 1)]++;
        c->dst[d] = k;
        c->idst[d] = c->isrc[i];
    }
    return NULL;
}

/* Does every key have the same digit in pass d? */
static int trivial(const slice *part, int nth, int d, size_t n) {
    for (size_t b = 0; b < RADIX_SIZE; b++) {
        size_t sum = 0;
        for (int t = 0; t < nth; t++) sum += part[t].all[d][b];
        if (sum) return sum == n;
    }
    return 1;
}

/* The passes over v (and iv, when not NULL) on part[0..nth); *v and *iv
 * end up pointing at the arrays that hold the result. */
static void sort_parts(uint64_t **v, uint64_t **tmp, uint32_t **iv, uint32_t **itmp, size_t n,
                       slice *part, int nth) {
    for (int t = 0; t < nth; t++) {
        part[t].src = *v;
        part[t].lo = n * (size_t)t / (size_t)nth;
        part[t].hi = n * (size_t)(t + 1) / (size_t)nth;
    }
    util_parallel(count_all, part, sizeof *part, nth);
    for (int d = 0; d < RADIX_PASSES; d++) {
        if (trivial(part, nth, d, n)) continue;
        for (int t = 0; t < nth; t++) {
            part[t].src = *v;
            part[t].dst = *tmp;
            part[t].isrc = *iv;
            part[t].idst = *itmp;
            part[t].shift = d * RADIX_BITS;
            part[t].place = nth == 1 ? part[t].all[d] : part[t].count;
        }
        if (nth > 1) util_parallel(count_pass, part, sizeof *part, nth);
        size_t at = 0;
        for (size_t b = 0; b < RADIX_SIZE; b++)
            for (int t = 0; t < nth; t++) {
                size_t c = part[t].place[b];
                part[t].place[b] = at;
                at += c;
            }
        util_parallel(scatter, part, sizeof *part, nth);
        uint64_t *x = *v;
        *v = *tmp;
        *tmp = x;
        uint32_t *y = *iv;
        *iv = *itmp;
        *itmp = y;
    }
}

uint64_t *radix_sort(uint64_t *v, uint64_t *tmp, size_t n, radix_ws *ws) {
    uint32_t *none = NULL, *none2 = NULL;
    sort_parts(&v, &tmp, &none, &none2, n, ws->part, ws->nth);
    return v;
}

void radix_sort_idx(uint64_t *key, uint32_t *idx, uint64_t *k2, uint32_t *i2, size_t n) {
    static __thread slice one;
    uint64_t *k = key;
    uint32_t *i = idx;
    sort_parts(&k, &k2, &i, &i2, n, &one, 1);
    if (k != key) {
        memcpy(key, k, n * sizeof *key);
        memcpy(idx, i, n * sizeof *idx);
    }
}
