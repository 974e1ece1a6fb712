/* test_fileio.c - unit tests for fileio: what may be opened as input, change detection, writes.
 *
 * Each test works on files under /tmp named after the process and removes
 * them. Faults of the machine (failing reads and writes) are tested end to
 * end in tests/test_io.sh; these cover the decisions fileio makes itself. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"
#include "util.h"

static void tmp_name(char *buf, size_t n, const char *what) {
    snprintf(buf, n, "/tmp/test_fileio_%d_%s", (int)getpid(), what);
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_open_kinds(void **state) {
    (void)state;
    char file[128], fifo[128], want[300];
    util_err err;
    struct stat st;
    tmp_name(file, sizeof file, "file");
    put(file, "abc");
    int fd = fileio_open_input(file, &st, &err);
    assert_true(fd >= 0);
    assert_int_equal(st.st_size, 3);
    /* the descriptor is blocking, as every reader expects */
    assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    close(fd);
    unlink(file);

    assert_int_equal(fileio_open_input(file, &st, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory", file);
    assert_string_equal(err.msg, want);

    assert_int_equal(fileio_open_input("/tmp", &st, &err), -1);
    assert_string_equal(err.msg, "/tmp: cannot read: it is a folder, not a file");

    /* a FIFO without a writer: refused at once, not waited on */
    tmp_name(fifo, sizeof fifo, "fifo");
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(fileio_open_input(fifo, &st, &err), -1);
    unlink(fifo);
    assert_int_equal(err.code, UTIL_EIO);
    snprintf(want, sizeof want, "%s: cannot read: not a regular file (a FIFO, socket or device)", fifo);
    assert_string_equal(err.msg, want);

    assert_int_equal(fileio_open_input("/dev/zero", &st, &err), -1);
    assert_string_equal(err.msg, "/dev/zero: cannot read: not a regular file (a FIFO, socket or device)");
    /* err may be NULL when only the outcome matters */
    assert_int_equal(fileio_open_input("/dev/zero", &st, NULL), -1);
}

static void test_read_all(void **state) {
    (void)state;
    char file[128], want[300];
    util_err err;
    char *data;
    size_t len;
    tmp_name(file, sizeof file, "all");
    put(file, "line 1\nline 2\n");
    assert_int_equal(fileio_read_all(file, 100, &data, &len, &err), 0);
    assert_int_equal(len, 14);
    assert_string_equal(data, "line 1\nline 2\n");
    free(data);

    assert_int_equal(fileio_read_all(file, 10, &data, &len, &err), -1);
    assert_null(data);
    assert_int_equal(err.code, UTIL_EDATA);
    snprintf(want, sizeof want, "%s: 14 bytes; a file of this kind holds at most 10", file);
    assert_string_equal(err.msg, want);

    put(file, "");
    assert_int_equal(fileio_read_all(file, 10, &data, &len, &err), 0);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
    unlink(file);
}

/* What was read is compared with the size and time at open. */
static void test_check_same(void **state) {
    (void)state;
    char file[128], want[400];
    util_err err;
    struct stat st;
    tmp_name(file, sizeof file, "same");
    put(file, "0123456789");
    int fd = fileio_open_input(file, &st, &err);
    assert_true(fd >= 0);
    assert_int_equal(fileio_check_same(file, fd, &st, 10, &err), 0);
    /* fewer bytes read than the file had */
    assert_int_equal(fileio_check_same(file, fd, &st, 4, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    /* the file grew after it was opened */
    FILE *f = fopen(file, "ab");
    assert_non_null(f);
    fputs("more", f);
    fclose(f);
    assert_int_equal(fileio_check_same(file, fd, &st, 10, &err), -1);
    snprintf(want, sizeof want,
             "%s: cannot read: the file changed while it was read (10 bytes when opened, 14 "
             "now); read it again once it is complete",
             file);
    assert_string_equal(err.msg, want);
    assert_int_equal(fileio_grew(file, &st, &err), -1);
    assert_string_equal(err.msg, want);
    close(fd);

    /* rewritten in place to the same size: the time tells */
    put(file, "0123456789");
    fd = fileio_open_input(file, &st, &err);
    assert_true(fd >= 0);
    struct timespec later[2] = {{0, UTIME_OMIT}, {st.st_mtim.tv_sec + 5, 0}};
    assert_int_equal(utimensat(AT_FDCWD, file, later, 0), 0);
    assert_int_equal(fileio_check_same(file, fd, &st, 10, &err), -1);
    close(fd);
    unlink(file);
}

static void test_write_all(void **state) {
    (void)state;
    char file[128];
    tmp_name(file, sizeof file, "write");
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(fileio_write_all(fd, "hello", 5), 0);
    assert_int_equal(fileio_write_all(fd, "", 0), 0);
    close(fd);
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_size, 5);
    /* a read-only descriptor: the errno comes back */
    fd = open(file, O_RDONLY);
    assert_int_equal(fileio_write_all(fd, "x", 1), EBADF);
    close(fd);
    unlink(file);
    /* a full device */
    fd = open("/dev/full", O_WRONLY);
    if (fd >= 0) {
        assert_int_equal(fileio_write_all(fd, "x", 1), ENOSPC);
        close(fd);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_kinds),
        cmocka_unit_test(test_read_all),
        cmocka_unit_test(test_check_same),
        cmocka_unit_test(test_write_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
