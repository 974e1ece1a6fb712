/* dconv.cc - the shortest digits that read back as a given double.
 *
 * A thin C entry point into Google's double-conversion library (Debian's
 * libdouble-conversion), which finds them with Grisu3 and falls back to exact
 * big-number arithmetic when Grisu3 cannot decide. printf-based searches for
 * the shortest precision cost a multi-precision conversion per try and
 * dominated the writing of large sweeps. Layout (%g style) stays in util.c. */
#include <double-conversion/double-to-string.h>

#include "dconv.h"

extern "C" int dconv_shortest(double v, char *digits, int cap, int *point) {
    using double_conversion::DoubleToStringConverter;
    bool negative;
    int len = 0;
    DoubleToStringConverter::DoubleToAscii(v, DoubleToStringConverter::SHORTEST, 0, digits, cap,
                                           &negative, &len, point);
    return len;
}
