/* csvread.h - streaming RFC 4180 CSV reader (on libcsv) and CSV cell writer.
 *
 * csvread_file hands every row of a file to a callback, with the exact line on
 * which the row starts, so loaders can name FILE:LINE in their messages. It
 * reads in 1 MiB blocks and never holds the whole file. It knows nothing about
 * columns or types: that is the loaders' job. */
#ifndef LEADSIM_CSVREAD_H
#define LEADSIM_CSVREAD_H

#include <stddef.h>

#include "util.h"

typedef struct csvread_row {
    size_t nfields;
    char **fields; /* NUL-terminated copies, valid only until the callback returns */
    size_t *lens;  /* byte length of each field */
    long line;     /* physical line (1-based) on which the row STARTS; the header is normally line 1 */
} csvread_row;

/* Called for every row, header first. Return 0 to go on; -1 to stop (the
 * callback has filled err). */
typedef int (*csvread_fn)(void *ctx, const csvread_row *row, util_err *err);

/* Read the whole file at path, calling fn(ctx, row, err) for each row.
 *
 * Accepted: quoted fields with embedded commas, doubled quotes and line
 * breaks; LF, CRLF or lone CR line ends; a UTF-8 byte order mark at the very
 * start (stripped); a missing final line end. Lines holding only spaces and
 * tabs between rows are blank and skipped. Spaces and tabs around a field,
 * outside its quotes, are dropped (libcsv's rule, and what every loader
 * wants): the line <  a , "b c" ,d> gives the fields <a>, <b c> and <d>.
 * Inside quotes every byte is kept. A field's line ends are kept as they
 * are in the file (CRLF stays CRLF).
 *
 * The file must be a regular file (a folder, FIFO or device is refused
 * before anything is read) and must keep its size and modification time
 * while it is read. Every field must be UTF-8.
 *
 * Returns 0, or -1 with err filled:
 *   UTIL_EIO       "PATH: cannot read: <strerror>",
 *                  "PATH: cannot read: it is a folder, not a file",
 *                  "PATH: cannot read: not a regular file (a FIFO, socket or device)",
 *                  "PATH: cannot read: the file changed while it was read (...)"
 *   UTIL_EDATA     "PATH:LINE: malformed CSV: expected N fields, found M"
 *                  (N from the header row; LINE is where the row starts),
 *                  "PATH:LINE: malformed CSV: stray quote in an unquoted field",
 *                  "PATH:LINE: malformed CSV: text after a closing quote"
 *                  (LINE is where the offending character is),
 *                  "PATH:LINE: malformed CSV: quoted field not closed before
 *                  end of file" (LINE is where that row starts),
 *                  "PATH:LINE: NUL byte in a field" (LINE is where the NUL is),
 *                  "PATH:LINE: invalid UTF-8 (byte 0xNN in field K); save the
 *                  file as UTF-8" (LINE is where that byte is),
 *                  "PATH:LINE: malformed CSV: field too large" (over SIZE_MAX),
 *   UTIL_EINTERNAL out of memory,
 * or -1 with whatever fn put in err when fn returned -1 (reading stops at
 * once). An empty file delivers no rows and returns 0.
 * Memory: O(longest row + 1 MiB); no allocation per row once warm. Fields
 * of a row beyond the header's count are counted, not stored. */
int csvread_file(const char *path, csvread_fn fn, void *ctx, util_err *err);

/* Append s[0..n) to b as one CSV cell: enclosed in double quotes, inner
 * quotes doubled, when it holds a comma, a double quote, CR or LF. When
 * from_input is nonzero (text that came from a dataset or scenario) and s
 * starts with '=', '+', '-' or '@', a single quote is put before it so that
 * spreadsheets show it as text instead of running it as a formula. Always
 * returns 0; an allocation failure is recorded in b->failed like every
 * util_buf append. */
int csvread_write_field(util_buf *b, const char *s, size_t n, int from_input);

#endif
