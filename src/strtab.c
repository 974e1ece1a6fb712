/* strtab.c - string interning with open addressing.
 *
 * Written by hand: none of the chosen dependencies offers a hash table, and
 * this one is small and tuned for the load path (millions of lead id lookups
 * while reading events). */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void strtab_init(strtab *t) { memset(t, 0, sizeof *t); }

void strtab_fini(strtab *t) {
    if (!t) return;
    free(t->arena);
    free(t->off);
    free(t->hash);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* FNV-1a, finished with a multiply-xorshift so that linear probing on the
 * low bits does not cluster on ids that differ only in their last digits. */
static uint32_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return (uint32_t)h;
}

static int rehash(strtab *t, size_t nslots) {
    uint32_t *slots = util_calloc(nslots, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t s = t->hash[i] & (nslots - 1);
        while (slots[s]) s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

int strtab_reindex(strtab *t) {
    size_t ns = 64;
    while (ns < t->n * 2 + 2) ns *= 2;
    return rehash(t, ns);
}

long strtab_find(const strtab *t, const char *s, size_t len) {
    if (!t->nslots) return -1;
    uint32_t h = hash_bytes(s, len);
    for (size_t i = h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
        uint32_t v = t->slots[i];
        if (!v) return -1;
        size_t k = v - 1;
        if (t->hash[k] == h) {
            const char *c = t->arena + t->off[k];
            if (memcmp(c, s, len) == 0 && c[len] == '\0') return (long)k;
        }
    }
}

long strtab_intern(strtab *t, const char *s, size_t len, int *added) {
    if (added) *added = 0;
    long found = strtab_find(t, s, len);
    if (found >= 0) return found;
    if (t->n >= UINT32_MAX - 1) return -1;
    if ((t->n + 1) * 2 > t->nslots && rehash(t, t->nslots ? t->nslots * 2 : 64) < 0) return -1;
    if (util_grow((void **)&t->arena, &t->acap, t->alen + len + 1, 1) < 0) return -1;
    if (t->n + 1 > t->cap) {
        size_t cap = t->cap;
        if (util_grow((void **)&t->off, &cap, t->n + 1, sizeof *t->off) < 0) return -1;
        cap = t->cap;
        if (util_grow((void **)&t->hash, &cap, t->n + 1, sizeof *t->hash) < 0) return -1;
        t->cap = cap;
    }
    uint32_t h = hash_bytes(s, len);
    memcpy(t->arena + t->alen, s, len);
    t->arena[t->alen + len] = '\0';
    t->off[t->n] = t->alen;
    t->hash[t->n] = h;
    t->alen += len + 1;
    size_t i = h & (t->nslots - 1);
    while (t->slots[i]) i = (i + 1) & (t->nslots - 1);
    t->slots[i] = (uint32_t)(t->n + 1);
    if (added) *added = 1;
    return (long)t->n++;
}
