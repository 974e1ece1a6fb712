/* suggest.h - the closest known name to one that was not found, for "did you mean".
 *
 * A name is close to another when their edit distance (optimal string
 * alignment: insertions, deletions, substitutions and swaps of two
 * neighbouring bytes, each costing 1), compared without regard to ASCII case,
 * is at most max(1, len/3), len being the length in bytes of the name not
 * found. Far names are never suggested: a wrong guess misleads more than no
 * guess. Bytes are compared, not characters: a non-ASCII letter counts as
 * its UTF-8 bytes. */
#ifndef LEADSIM_SUGGEST_H
#define LEADSIM_SUGGEST_H

#include <stddef.h>

/* Names longer than this are never close to anything (the distance is
 * computed on the stack). */
#define SUGGEST_MAX_LEN 256

/* The search for the closest of candidates offered one at a time. */
typedef struct suggest {
    const char *name; /* the name not found */
    size_t len;
    size_t limit;     /* largest distance accepted */
    const char *best; /* the closest so far, or NULL */
    size_t best_len, best_dist;
} suggest;

/* Start a search for names close to NAME (kept by pointer, not copied). */
void suggest_init(suggest *s, const char *name);
/* Offer candidate CAND[0..len) (kept by pointer). A candidate equal to the
 * name, byte for byte, is not a suggestion and is passed over; among
 * equally close ones the first offered is kept. Cost O(len * s->len) for a
 * candidate whose length is within the limit of the name's, O(1) otherwise. */
void suggest_offer(suggest *s, const char *cand, size_t len);
/* The closest candidate offered, its length in *len (when len is not NULL);
 * NULL when none was close enough. */
const char *suggest_best(const suggest *s, size_t *len);

/* The closest of the N names in CANDS to NAME, or NULL: suggest_offer on
 * each in turn. */
const char *suggest_closest(const char *name, const char *const *cands, size_t n);

/* The distance between A[0..na) and B[0..nb), without regard to ASCII case;
 * any value above CAP is returned as CAP + 1 (so that far pairs cost less),
 * as is any pair with a string longer than SUGGEST_MAX_LEN. */
size_t suggest_distance(const char *a, size_t na, const char *b, size_t nb, size_t cap);

#endif
