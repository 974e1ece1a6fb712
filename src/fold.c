/* fold.c - Unicode simple case folding for Latin, Greek and Cyrillic, and comparing UTF-8 text with it.
 *
 * A small table of ranges instead of the whole of CaseFolding.txt: the
 * scripts of the CRM exports leadsim reads, each rule checked against
 * Unicode's CaseFolding.txt (status C and S). Not for sorting or for
 * changing text that is written out: values are compared, never rewritten. */
#include "fold.h"

uint32_t fold_cp(uint32_t c) {
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c == 0xB5) return 0x3BC;                                  /* micro sign -> mu */
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;        /* À-Þ, not × */
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149) return c; /* İ ı ĸ ŉ: no simple fold */
        if (c == 0x178) return 0xFF;                               /* Ÿ */
        if (c == 0x17F) return 's';                                /* long s */
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c & 1 ? c + 1 : c;
        return c & 1 ? c : c + 1;                                  /* Ā/ā .. pairs, even = capital */
    }
    if (c >= 0x386 && c <= 0x3FF) {
        if (c == 0x386) return 0x3AC;
        if (c >= 0x388 && c <= 0x38A) return c + 37;
        if (c == 0x38C) return 0x3CC;
        if (c == 0x38E || c == 0x38F) return c + 63;
        if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
        if (c == 0x3C2) return 0x3C3;                              /* final sigma */
        return c;
    }
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
        return c & 1 ? c : c + 1;
    if (c == 0x4C0) return 0x4CF;
    if (c >= 0x4C1 && c <= 0x4CE) return c & 1 ? c + 1 : c;
    return c;
}

/* The code point at s[*i..n) (a lone or malformed byte stands for itself),
 * and *i moved past it. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i) {
    uint32_t c = s[*i];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len <= 1 || *i + len > n) {
        (*i)++;
        return len == 1 ? c : 0x110000 + c; /* malformed: never equal to a character */
    }
    uint32_t v = c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return 0x110000 + c;
        }
        v = (v << 6) | (s[*i + k] & 0x3F);
    }
    *i += len;
    return v;
}

int fold_equal(const char *a, size_t na, const char *b, size_t nb) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t i = 0, j = 0;
    while (i < na && j < nb)
        if (fold_cp(next_cp(x, na, &i)) != fold_cp(next_cp(y, nb, &j))) return 0;
    return i == na && j == nb;
}
