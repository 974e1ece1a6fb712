/* decimal.c - numbers as written turned into scaled integer units, and back into the nearest double.
 *
 * A double's shortest round-trip digits (dconv.h) give it as m * 10^e with
 * m an integer of at most 17 digits; units of 10^-k are then m * 10^(e+k),
 * exact or rounded half away from zero. Products of two such numbers are
 * formed in 128-bit integers (two 17-digit significands fit), so per_unit
 * times a data value is exact before it is rounded to units. Not here: which
 * numbers a score is made of and which k a scenario needs (compiled.c). */
#include "decimal.h"

#include <math.h>

#include "dconv.h"

#define UNITS_LIMIT ((int64_t)1 << 62)

const double decimal_scale10[DECIMAL_MAX_PLACES + 1] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                                        1e5, 1e6, 1e7, 1e8, 1e9};

/* V (finite) as M * 10^E from its shortest digits; 0 is 0 * 10^0. */
static void split(double v, int64_t *m, int *e) {
    if (v == 0 || !isfinite(v)) {
        *m = 0;
        *e = 0;
        return;
    }
    char d[DCONV_DIGITS];
    int point, n = dconv_shortest(v, d, sizeof d, &point);
    int64_t x = 0;
    for (int i = 0; i < n; i++) x = x * 10 + (d[i] - '0');
    *m = v < 0 ? -x : x;
    *e = point - n;
}

int decimal_places(double v) {
    int64_t m;
    int e;
    split(v, &m, &e);
    if (e >= 0) return 0;
    return -e > DECIMAL_MAX_PLACES ? DECIMAL_MAX_PLACES + 1 : -e;
}

/* P * 10^S, rounded half away from zero when S < 0; saturated beyond
 * UNITS_LIMIT. Returns 0, or -1 when saturated. */
static int scale_units(__int128 p, int s, int64_t *out) {
    int neg = p < 0;
    unsigned __int128 a = neg ? (unsigned __int128)(-p) : (unsigned __int128)p;
    if (s < 0) {
        if (-s > 38) { /* 10^38 > every product of two 17-digit significands */
            a = 0;
        } else {
            unsigned __int128 d = 1;
            for (int i = 0; i < -s; i++) d *= 10;
            unsigned __int128 q = a / d, r = a % d;
            a = q + (r >= d - r); /* half away from zero */
        }
    } else {
        for (int i = 0; i < s && a <= (unsigned __int128)UNITS_LIMIT; i++) a *= 10;
    }
    if (a > (unsigned __int128)UNITS_LIMIT) {
        *out = neg ? -INT64_MAX : INT64_MAX;
        return -1;
    }
    *out = neg ? -(int64_t)a : (int64_t)a;
    return 0;
}

int decimal_units(double v, int k, int64_t *out) {
    int64_t m;
    int e;
    split(v, &m, &e);
    return scale_units(m, e + k, out);
}

int decimal_product_units(double a, double b, int k, int64_t *out) {
    int64_t ma, mb;
    int ea, eb;
    split(a, &ma, &ea);
    split(b, &mb, &eb);
    return scale_units((__int128)ma * mb, ea + eb + k, out);
}

int decimal_fits(double fit_abs, double points_abs, long events, int k) {
    double bound = (fit_abs + points_abs * (double)events) * decimal_scale10[k];
    return bound < DECIMAL_EXACT_UNITS; /* false for NaN */
}
