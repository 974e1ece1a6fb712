/* dconv.cc - the shortest digits that read back as a given double.
 *
 * A thin C entry point into the Dragonbox algorithm as Debian's libfmt ships
 * it (fmt::detail::dragonbox::to_decimal, compiled into libfmt.so): the
 * shortest decimal significand and exponent that round-trip, the closest one
 * to the value when several are as short. printf-based searches for the
 * shortest precision cost a multi-precision conversion per try; Grisu3 with
 * a big-number fallback (double-conversion) cost 2.4 times Dragonbox here.
 * Writing the digits of sweeps of millions of numbers is what this is for.
 * Layout (%g style) stays in util.c. */
#include <fmt/format.h>

#include <cstdint>
#include <cstring>

#include "dconv.h"

static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

extern "C" int dconv_shortest(double v, char *digits, int cap, int *point) {
    /* to_decimal never throws; it is noexcept */
    auto dec = fmt::detail::dragonbox::to_decimal(v < 0 ? -v : v);
    std::uint64_t s = dec.significand;
    int e = dec.exponent;
    while (s != 0 && s % 10 == 0) { /* fmt trims these already; cheap to be sure */
        s /= 10;
        e++;
    }
    char t[24], *p = t + sizeof t;
    while (s >= 100) {
        unsigned r = (unsigned)(s % 100);
        s /= 100;
        p -= 2;
        std::memcpy(p, pairs + 2 * r, 2);
    }
    if (s >= 10) {
        p -= 2;
        std::memcpy(p, pairs + 2 * s, 2);
    } else {
        *--p = (char)('0' + s);
    }
    int n = (int)(t + sizeof t - p);
    if (n > cap - 1) n = cap - 1; /* 17 digits at most: cap is DCONV_DIGITS */
    std::memcpy(digits, p, (size_t)n);
    digits[n] = '\0';
    *point = e + (int)(t + sizeof t - p);
    return n;
}
