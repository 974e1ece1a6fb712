/* inifile.h - INI files through inih, with exact line numbers and no silent cuts.
 *
 * inih's handler does not receive line numbers and its packaged build cuts
 * lines at 200 bytes. inifile feeds inih through its own line reader, so every
 * callback knows the line it came from, and a line longer than inih can hold
 * is an error instead of being split into two. */
#ifndef LEADSIM_INIFILE_H
#define LEADSIM_INIFILE_H

#include "util.h"

/* Longest line (without its line end) that inih can read whole. */
#define INIFILE_MAX_LINE 196

typedef struct inifile_cb {
    /* A [section] header; may be NULL. Return 0, or -1 with err set. */
    int (*section)(void *ctx, const char *section, long line, util_err *err);
    /* A key = value pair (value already stripped of inline comments). */
    int (*pair)(void *ctx, const char *section, const char *key, const char *value, long line,
                util_err *err);
} inifile_cb;

/* Parse PATH (a regular file of at most 16 MiB, read whole before parsing).
 * Errors stop at the first one: UTIL_EIO when the file cannot be read, is
 * not a regular file or changes while it is read (see fileio.h); UTIL_EDATA
 * naming PATH:LINE for a syntax error, an overlong line, a NUL byte, bytes
 * that are not UTF-8, or an error from a callback. Returns 0 or -1. */
int inifile_parse(const char *path, const inifile_cb *cb, void *ctx, util_err *err);

#endif
