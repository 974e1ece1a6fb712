/* stats.c - the review's statistics: Fisher's exact test, type-7 quantiles, PSI, Benjamini-Hochberg.
 *
 * Each function is the textbook definition, written so that an independent
 * implementation gets the same numbers: Fisher's two-sided p as R's
 * fisher.test computes it (probabilities normalised over every table of the
 * margins, the observed one's times 1 + 1e-7 as the bound), quantiles as
 * GSL's (R type 7), PSI's deciles from an exact split of (n - 1) p. */
#include "stats.h"

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "util.h"

/* log P(X = x) for the hypergeometric law of a 2x2 table with row sums R1,
 * R2 and first column sum C1 (without the common denominator). */
static double log_table(long x, long r1, long r2, long c1) {
    return gsl_sf_lnchoose((unsigned)r1, (unsigned)x) +
           gsl_sf_lnchoose((unsigned)r2, (unsigned)(c1 - x));
}

double stats_fisher(long a, long b, long c, long d) {
    long r1 = a + b, r2 = c + d, c1 = a + c, c2 = b + d;
    if (r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0) return 1.0;
    long lo = c1 - r2 > 0 ? c1 - r2 : 0, hi = r1 < c1 ? r1 : c1;
    /* The largest log-probability first, so that exp() never underflows
     * where it matters; then the normalised sum. */
    double lmax = -INFINITY;
    for (long x = lo; x <= hi; x++) {
        double l = log_table(x, r1, r2, c1);
        if (l > lmax) lmax = l;
    }
    double dobs = exp(log_table(a, r1, r2, c1) - lmax), bound = dobs * (1 + 1e-7);
    double all = 0, tail = 0;
    for (long x = lo; x <= hi; x++) {
        double v = exp(log_table(x, r1, r2, c1) - lmax);
        all += v;
        if (v <= bound) tail += v;
    }
    double p = tail / all;
    return p > 1 ? 1 : p < 0 ? 0 : p;
}

double stats_quantile7(const double *sorted, size_t n, double p) {
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

double stats_quantile7_frac(const double *sorted, size_t n, long num, long den) {
    long long t = (long long)(n - 1) * num; /* h = t / den */
    size_t lo = (size_t)(t / den);
    long rem = (long)(t % den);
    if (rem == 0 || lo + 1 >= n) return sorted[lo];
    double a = sorted[lo], b = sorted[lo + 1];
    return a == b ? a : a + (double)rem / (double)den * (b - a);
}

size_t stats_bin(const double *q, size_t nq, double x) {
    size_t lo = 0, hi = nq; /* the number of edges below x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

double stats_psi(const long *a, long na, const long *e, long ne, size_t nbins) {
    if (na <= 0 || ne <= 0) return NAN;
    double s = 0;
    for (size_t i = 0; i < nbins; i++) {
        double sa = (double)a[i] / (double)na, se = (double)e[i] / (double)ne;
        if (a[i] == 0) sa = 0.0001;
        if (e[i] == 0) se = 0.0001;
        s += (sa - se) * log(sa / se);
    }
    return s;
}

typedef struct pidx {
    double p;
    size_t i;
} pidx;

static int by_p(const void *x, const void *y) {
    const pidx *a = x, *b = y;
    if (a->p != b->p) return a->p < b->p ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

long stats_bh(const double *p, size_t n, double q, int *reject) {
    pidx *v = util_malloc(n * sizeof *v + 1);
    if (!v) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        reject[i] = 0;
        if (!isnan(p[i])) v[m++] = (pidx){p[i], i};
    }
    qsort(v, m, sizeof *v, by_p);
    /* the largest rank k with p_(k) <= k q / m; every p up to it is a discovery */
    size_t k = 0;
    for (size_t r = m; r > 0; r--)
        if (v[r - 1].p <= (double)r * q / (double)m) {
            k = r;
            break;
        }
    for (size_t r = 0; r < k; r++) reject[v[r].i] = 1;
    free(v);
    return (long)k;
}
