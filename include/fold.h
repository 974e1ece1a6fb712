/* fold.h - comparing text without regard to case: Unicode simple case folding for the scripts CRM exports mostly hold.
 *
 * Covered: ASCII; Latin-1 Supplement and Latin Extended-A (À-Þ, Ā-ž, Ÿ, µ,
 * ſ); Greek (Α-Ω, accented capitals, final sigma); Cyrillic (А-Я, Ѐ-Џ and
 * the paired letters of U+0460-U+052F). Other characters compare as they
 * are (ß is not ss: simple folding maps one character to one). Input is
 * UTF-8; a byte that does not start a well-formed sequence compares as
 * itself. */
#ifndef LEADSIM_FOLD_H
#define LEADSIM_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* The simple case folding of code point C (C itself when it has none or is
 * outside the scripts covered). */
uint32_t fold_cp(uint32_t c);

/* Whether A[0..na) and B[0..nb) are equal after folding each character. */
int fold_equal(const char *a, size_t na, const char *b, size_t nb);

#endif
