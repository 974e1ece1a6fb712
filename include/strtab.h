/* strtab.h - string interning: each distinct string stored once, named by a dense index.
 *
 * Lead ids, event types and attribute values are interned at load time so
 * that everything after loading works on integer indices. Lookups are O(1)
 * expected (open addressing, linear probing); strings live in one arena. */
#ifndef LEADSIM_STRTAB_H
#define LEADSIM_STRTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct strtab {
    char *arena;      /* NUL-terminated strings, back to back */
    size_t alen, acap;
    size_t *off;      /* index -> offset in arena */
    uint32_t *hash;   /* index -> hash of the string */
    size_t n, cap;
    uint32_t *slots;  /* index + 1, or 0 for an empty slot */
    size_t nslots;    /* a power of two */
} strtab;

void strtab_init(strtab *t);
void strtab_fini(strtab *t);
/* Index of s[0..len), adding it when new (*added set to 1 then, else 0).
 * Returns the index, or -1 when memory runs out. */
long strtab_intern(strtab *t, const char *s, size_t len, int *added);
/* Index of s[0..len), or -1 when absent. */
long strtab_find(const strtab *t, const char *s, size_t len);
/* Rebuild the lookup slots from off[] and hash[] (after those arrays were
 * filled from elsewhere, e.g. a cache). Returns 0, or -1 on memory. */
int strtab_reindex(strtab *t);
static inline const char *strtab_str(const strtab *t, size_t i) { return t->arena + t->off[i]; }
static inline size_t strtab_len(const strtab *t, size_t i) {
    return (i + 1 < t->n ? t->off[i + 1] : t->alen) - t->off[i] - 1;
}

#endif
