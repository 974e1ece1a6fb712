/* fileio.c - input files opened only when regular, checked for change; complete writes.
 *
 * A FIFO must be opened with O_NONBLOCK: a plain open for reading waits
 * until some process opens it for writing, which may be never. The type is
 * taken from fstat on the opened descriptor, not from a stat of the path
 * beforehand, so nothing can be swapped in between the check and the read. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fileio_open_input(const char *path, struct stat *st, util_err *err) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return util_errf(err, UTIL_EIO, "%s: cannot read: %s", path, strerror(errno));
    const char *why = NULL;
    int e = 0;
    if (fstat(fd, st) < 0) e = errno;
    else if (S_ISDIR(st->st_mode)) why = "it is a folder, not a file";
    else if (!S_ISREG(st->st_mode)) why = "not a regular file (a FIFO, socket or device)";
    else {
        /* Reads of a regular file never return EAGAIN, but a blocking
         * descriptor is what every reader expects. */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) e = errno;
    }
    if (e || why) {
        close(fd);
        if (why) return util_errf(err, UTIL_EIO, "%s: cannot read: %s", path, why);
        return util_errf(err, UTIL_EIO, "%s: cannot read: %s", path, strerror(e));
    }
    return fd;
}

static int changed(const char *path, const struct stat *at_open, long long now, util_err *err) {
    return util_errf(err, UTIL_EIO,
                     "%s: cannot read: the file changed while it was read (%lld bytes when "
                     "opened, %lld now); read it again once it is complete",
                     path, (long long)at_open->st_size, now);
}

int fileio_check_same(const char *path, int fd, const struct stat *at_open, uint64_t nread,
                      util_err *err) {
    struct stat now;
    if (fstat(fd, &now) < 0)
        return util_errf(err, UTIL_EIO, "%s: cannot read: %s", path, strerror(errno));
    /* Same size is not enough: a file rewritten in place to the same length
     * has another modification time. */
    if (nread != (uint64_t)at_open->st_size || now.st_size != at_open->st_size ||
        now.st_mtim.tv_sec != at_open->st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != at_open->st_mtim.tv_nsec)
        return changed(path, at_open, (long long)now.st_size, err);
    return 0;
}

int fileio_grew(const char *path, const struct stat *at_open, util_err *err) {
    struct stat now;
    long long size = (long long)at_open->st_size + 1;
    if (stat(path, &now) == 0 && now.st_size > at_open->st_size) size = (long long)now.st_size;
    return changed(path, at_open, size, err);
}

int fileio_read_all(const char *path, size_t max, char **data, size_t *len, util_err *err) {
    *data = NULL;
    *len = 0;
    struct stat st;
    int fd = fileio_open_input(path, &st, err);
    if (fd < 0) return -1;
    if ((uint64_t)st.st_size > (uint64_t)max) {
        close(fd);
        return util_errf(err, UTIL_EDATA, "%s: %lld bytes; a file of this kind holds at most %zu",
                         path, (long long)st.st_size, max);
    }
    /* One byte more than the size at open: reading it means the file grew. */
    size_t cap = (size_t)st.st_size + 1;
    char *buf = util_malloc(cap + 1);
    if (!buf) {
        close(fd);
        return util_enomem(err);
    }
    size_t got = 0;
    int rc = 0;
    while (got < cap) {
        ssize_t k = read(fd, buf + got, cap - got);
        if (k < 0) {
            if (errno == EINTR) continue;
            rc = util_errf(err, UTIL_EIO, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
        if (k == 0) break;
        got += (size_t)k;
    }
    if (rc == 0 && got > (size_t)st.st_size) rc = fileio_grew(path, &st, err);
    if (rc == 0) rc = fileio_check_same(path, fd, &st, got, err);
    close(fd);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

int fileio_write_all(int fd, const char *data, size_t n) {
    while (n > 0) {
        ssize_t k = write(fd, data, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return errno ? errno : EIO;
        }
        if (k == 0) return EIO; /* write(2) of n > 0 bytes never returns 0 on a file */
        data += k;
        n -= (size_t)k;
    }
    return 0;
}
