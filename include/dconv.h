/* dconv.h - shortest round-trip decimal digits of a double (see src/dconv.cc). */
#ifndef LEADSIM_DCONV_H
#define LEADSIM_DCONV_H

#ifdef __cplusplus
extern "C" {
#endif

/* Digits of |v| (finite, non-zero) into digits[0..cap), NUL-terminated, as
 * few as read back as v; |v| = 0.DIGITS x 10^*point. Returns the number of
 * digits. cap must be at least DCONV_DIGITS. Cannot fail. */
#define DCONV_DIGITS 18
int dconv_shortest(double v, char *digits, int cap, int *point);

#ifdef __cplusplus
}
#endif

#endif
