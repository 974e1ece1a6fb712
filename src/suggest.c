/* suggest.c - the closest known name to one that was not found (see suggest.h).
 *
 * For the "did you mean" of unknown commands, options, scenario keys and
 * sections, and of event types and fit values that the data does not have.
 * Not for matching: nothing here decides what a name means, it only helps
 * a reader see a typo. */
#include "suggest.h"

#include <string.h>

static unsigned char fold(char c) {
    unsigned char u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? (unsigned char)(u - 'A' + 'a') : u;
}

size_t suggest_distance(const char *a, size_t na, const char *b, size_t nb, size_t cap) {
    if (na > SUGGEST_MAX_LEN || nb > SUGGEST_MAX_LEN) return cap + 1;
    if ((na > nb ? na - nb : nb - na) > cap) return cap + 1;
    /* Three rows of the dynamic programme: the one before the previous is
     * what a swap of two neighbours looks back to. */
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= nb; j++) prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = fold(a[i - 1]) != fold(b[j - 1]);
            size_t d = prev[j - 1] + cost;
            if (prev[j] + 1 < d) d = prev[j] + 1;
            if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
            if (d < row_min) row_min = d;
        }
        if (row_min > cap) return cap + 1; /* every later row is at least as far */
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] > cap ? cap + 1 : prev[nb];
}

void suggest_init(suggest *s, const char *name) {
    s->name = name;
    s->len = strlen(name);
    s->limit = s->len / 3 > 1 ? s->len / 3 : 1;
    s->best = NULL;
    s->best_len = 0;
    s->best_dist = s->limit + 1;
}

void suggest_offer(suggest *s, const char *cand, size_t len) {
    if (len == s->len && memcmp(cand, s->name, len) == 0) return;
    /* Only a strictly closer candidate replaces the one kept. */
    if (s->best && s->best_dist == 0) return;
    size_t cap = s->best ? s->best_dist - 1 : s->limit;
    size_t d = suggest_distance(s->name, s->len, cand, len, cap);
    if (d <= cap) {
        s->best = cand;
        s->best_len = len;
        s->best_dist = d;
    }
}

const char *suggest_best(const suggest *s, size_t *len) {
    if (len) *len = s->best ? s->best_len : 0;
    return s->best;
}

const char *suggest_closest(const char *name, const char *const *cands, size_t n) {
    suggest s;
    suggest_init(&s, name);
    for (size_t i = 0; i < n; i++) suggest_offer(&s, cands[i], strlen(cands[i]));
    return suggest_best(&s, NULL);
}
