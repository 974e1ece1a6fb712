/* decimal.h - scores as a person computes them: numbers as written, in scaled integer units.
 *
 * A score is a sum of the scenario's decimal numbers (points, limits, fit
 * points, per_unit times a data value, max), and a threshold is a decimal
 * number too. Added in binary doubles, 0.02 * 501 + 26 is
 * 36.019999999999996 and misses `threshold = 36.02`. So, without decay,
 * scores are computed exactly: every number is an integer count of units of
 * 10^-k, k the most decimal places any of them has as written (at most
 * DECIMAL_MAX_PLACES; a number with more is rounded to that many), and a
 * score of u units is the double nearest to u / 10^k, the very double the
 * text of that decimal parses to. Comparisons with thresholds and the
 * distinct values of a sweep are then those of the decimals.
 *
 * With decay, scores are not decimal numbers. They are computed in doubles
 * and rounded to the nearest 10^-9 point (decimal_snap) before anything
 * compares them or lists them, so that a lead exactly at the threshold on
 * paper reaches it. The same rounding is the fallback where units would not
 * stay exact (decimal_fits false: scores beyond about 10^15 units).
 *
 * "As written" is read from the doubles: the shortest digits that read back
 * as a double (dconv.h) are the digits written for any number written with
 * at most 15 significant digits. */
#ifndef LEADSIM_DECIMAL_H
#define LEADSIM_DECIMAL_H

#include <math.h>
#include <stdint.h>

/* Most decimal places units can have: 10^-9 points. */
#define DECIMAL_MAX_PLACES 9

/* Largest magnitude, in units, of any sum scores are made of: below it every
 * sum of units is exact in int64 and in a double, and a double that holds a
 * decimal with at most DECIMAL_MAX_PLACES places can be turned back into its
 * units by rounding. */
#define DECIMAL_EXACT_UNITS 1125899906842624.0 /* 2^50 */

/* Decimal places of V as written (its shortest round-trip digits): 0 for
 * whole numbers, 2 for 36.02. Numbers with more than DECIMAL_MAX_PLACES
 * places give DECIMAL_MAX_PLACES + 1. Cannot fail. */
int decimal_places(double v);

/* V in units of 10^-K (0 <= K <= DECIMAL_MAX_PLACES), from its digits as
 * written, rounded half away from zero when V has more than K places.
 * Returns 0, or -1 when the units would exceed 2^62 in magnitude. */
int decimal_units(double v, int k, int64_t *out);

/* A * B in units of 10^-K, from the digits of both as written (exact, then
 * rounded as decimal_units rounds). Returns 0, or -1 when the units would
 * exceed 2^62 in magnitude; then *OUT is INT64_MAX or -INT64_MAX with the
 * product's sign, so that a caller capping it (min with a max) still can. */
int decimal_product_units(double a, double b, int k, int64_t *out);

/* 10^K as a double, 0 <= K <= DECIMAL_MAX_PLACES. */
extern const double decimal_scale10[DECIMAL_MAX_PLACES + 1];
static inline double decimal_scale(int k) { return decimal_scale10[k]; }

/* U units of 10^-K as the nearest double (|U| <= 2^53: the division of two
 * exact doubles is correctly rounded). Inline: the replay calls it for every
 * record. */
static inline double decimal_value(int64_t u, int k) {
    return k ? (double)u / decimal_scale10[k] : (double)u;
}

/* Can scores be computed exactly in units of 10^-K when every fit is at most
 * FIT_ABS points in magnitude, every event is worth at most POINTS_ABS and no
 * lead has more than EVENTS events? (Every partial sum then stays below
 * DECIMAL_EXACT_UNITS.) Monotone in every argument: what holds for the
 * largest values of a grid holds for each of its vectors. */
int decimal_fits(double fit_abs, double points_abs, long events, int k);

/* The tolerance for scores that are not decimal (decay, or the fallback):
 * V rounded to the nearest 10^-9 (ties to even), as the nearest double to
 * that decimal. Magnitudes of 2^53 * 10^-9 (about 9e6) or more, where
 * doubles are already coarser than 10^-9, are returned as they are.
 * Monotone: a maximum taken before or after rounding is the same. */
#define DECIMAL_SNAP_LIMIT 9007199254740992.0 /* 2^53 units of 1e-9 */
static inline double decimal_snap(double v) {
    double x = v * 1e9;
    if (!(fabs(x) < DECIMAL_SNAP_LIMIT)) return v; /* doubles are coarser already */
    return (double)llrint(x) / 1e9;
}

#endif
