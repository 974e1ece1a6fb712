/* stats.h - the review's statistics: Fisher's exact test, type-7 quantiles, PSI, Benjamini-Hochberg.
 *
 * Plain numbers in, plain numbers out; no allocation except where said.
 * The probabilities come from GSL (gsl_sf_lnchoose), not from factorials
 * written here. Not for: deciding what to compare (review.c) or writing it. */
#ifndef LEADSIM_STATS_H
#define LEADSIM_STATS_H

#include <stddef.h>

/* Two-sided Fisher exact test of the 2x2 table [[a, b], [c, d]] (counts
 * >= 0): the sum of the probabilities, under the hypergeometric law of the
 * table's margins, of every table no more likely than the observed one (a
 * relative tolerance of 1e-7, as R's fisher.test). A zero margin gives 1.
 * Time O(min(a + b, a + c)). */
double stats_fisher(long a, long b, long c, long d);

/* R's type-7 quantile P (0 <= P <= 1) of the N >= 1 values of SORTED
 * (ascending). */
double stats_quantile7(const double *sorted, size_t n, double p);

/* R's type-7 quantile NUM / DEN (0 <= NUM <= DEN, DEN > 0) of the N >= 1
 * values of SORTED, with h = (N - 1) NUM / DEN split in integers and the
 * value x[lo] + (h - lo) (x[lo + 1] - x[lo]): exactly x[lo] when h is whole
 * or the two neighbours are equal, so that a value equal to a decile is
 * never put on the other side of it by rounding (PSI's bins, SPEC 5.11). */
double stats_quantile7_frac(const double *sorted, size_t n, long num, long den);

/* The bin of X among NQ ascending edges Q: bin i holds Q[i-1] < X <= Q[i]
 * (Q[-1] = -inf, Q[NQ] = +inf), so NQ + 1 bins. */
size_t stats_bin(const double *q, size_t nq, double x);

/* Population stability index of the counts A (actual, total NA) against
 * E (expected, total NE) over NBINS bins: sum (a - e) ln(a / e) over the
 * shares, an empty share counted as 0.0001. NaN when NA or NE is 0. */
double stats_psi(const long *a, long na, const long *e, long ne, size_t nbins);

/* Benjamini-Hochberg at false discovery rate Q over the N p-values P (NaN
 * ones take no part): REJECT[i] = 1 for the discoveries, else 0. Returns
 * the number of discoveries, or -1 when memory runs out. */
long stats_bh(const double *p, size_t n, double q, int *reject);

#endif
