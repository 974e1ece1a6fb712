/* fileio.h - opening input files safely, noticing when they change, writing bytes completely.
 *
 * Every file leadsim reads (datasets, scenarios, dataset.ini) is opened
 * through fileio_open_input, which refuses what is not a regular file before
 * a single byte is read: a folder, a FIFO (whose open or read would wait for
 * a writer forever), a device or a socket. After reading, fileio_check_same
 * compares what was read with the size the file had when it was opened and
 * has now, so a file that grows or is truncated while being read (an export
 * still being copied) is an error instead of half a dataset.
 *
 * Only plain POSIX calls (open, read, write, fstat, close) are used, so the
 * I/O fault tests can make any of them fail (tests/faultshim.c). */
#ifndef LEADSIM_FILEIO_H
#define LEADSIM_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "util.h"

/* Open PATH for reading. Returns the descriptor (blocking, close-on-exec)
 * with *st filled from fstat, or -1 with err (UTIL_EIO):
 *   "PATH: cannot read: <strerror>"
 *   "PATH: cannot read: it is a folder, not a file"
 *   "PATH: cannot read: not a regular file (a FIFO, socket or device)" */
int fileio_open_input(const char *path, struct stat *st, util_err *err);

/* After reading NREAD bytes of fd up to end of file: 0 when the file still
 * has the size and modification time it had at open (*at_open) and NREAD is
 * that size; otherwise -1 with err (UTIL_EIO):
 *   "PATH: cannot read: the file changed while it was read (N bytes when
 *    opened, M now); read it again once it is complete" */
int fileio_check_same(const char *path, int fd, const struct stat *at_open, uint64_t nread,
                      util_err *err);

/* The error for a file that has grown past its size at open while being
 * read (the reader stops there rather than follow a file that keeps
 * growing). Returns -1. */
int fileio_grew(const char *path, const struct stat *at_open, util_err *err);

/* Read all of PATH (a regular file of at most max bytes) into a malloc'd,
 * NUL-terminated buffer: *data, *len. Errors as fileio_open_input and
 * fileio_check_same, "PATH: cannot read: <strerror>" for a failed read, and
 * UTIL_EDATA "PATH: N bytes; a file of this kind holds at most MAX bytes"
 * when it is larger than max. */
int fileio_read_all(const char *path, size_t max, char **data, size_t *len, util_err *err);

/* Write all n bytes to fd, retrying short writes and EINTR. Returns 0, or
 * the errno of the failed write (never 0 on failure). */
int fileio_write_all(int fd, const char *data, size_t n);

#endif
