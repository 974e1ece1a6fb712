/* radix.h - the one radix sort: stable LSD passes over 64-bit keys, alone or with an index.
 *
 * Doubles are sorted as integers through radix_key(), which maps them to
 * unsigned keys in the same order; radix_value() maps a key back. Two sorts
 * share one implementation (11-bit digits, 6 passes, a pass skipped when
 * every key has the same digit there):
 *   radix_sort      keys alone, on the threads of a workspace (the sweep's
 *                   thresholds, up to a million of them);
 *   radix_sort_idx  keys each with a uint32 payload, on the calling thread
 *                   (the counts method of tune, one lane of scores at a time).
 * Both are stable, so equal keys keep their input order, and the result does
 * not depend on the number of threads. Not for NaN: its key has no place in
 * the order of numbers. */
#ifndef LEADSIM_RADIX_H
#define LEADSIM_RADIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The key of v (not NaN): radix_key(a) < radix_key(b) exactly when a < b,
 * and -0 has the key of +0 (as == treats them). Inline: it runs once per
 * element in the loops that fill the keys. */
static inline uint64_t radix_key(double v) {
    uint64_t u;
    v += 0.0; /* -0 + 0 is +0; every other value is unchanged */
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u ^ (UINT64_C(1) << 63);
}

/* The double whose key is KEY: radix_value(radix_key(v)) == v, bit for bit
 * except that -0 comes back as +0. */
static inline double radix_value(uint64_t key) {
    uint64_t u = key >> 63 ? key ^ (UINT64_C(1) << 63) : ~key;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* What radix_sort needs per thread: about 112 KB of digit counts each. */
typedef struct radix_ws radix_ws;

/* A workspace for sorts on NTHREADS threads (below 1: one). Returns NULL
 * when memory runs out. */
radix_ws *radix_ws_alloc(int nthreads);
void radix_ws_free(radix_ws *ws);

/* Sort v[0..n) ascending on the workspace's threads, a slice each however
 * small n is; tmp holds n more keys.
 * Returns the array that holds the result, v or tmp; the other is scratch.
 * Time O(n) per pass, memory none beyond the workspace. Cannot fail. */
uint64_t *radix_sort(uint64_t *v, uint64_t *tmp, size_t n, radix_ws *ws);

/* Sort key[0..n) ascending, each idx[i] moving with its key[i]; k2 and i2
 * hold n more of each. The result is in key and idx. Runs on the calling
 * thread, its counts in a thread-local table, so threads may sort at the
 * same time. Cannot fail. */
void radix_sort_idx(uint64_t *key, uint32_t *idx, uint64_t *k2, uint32_t *i2, size_t n);

#endif
