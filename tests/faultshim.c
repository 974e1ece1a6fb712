/* faultshim.c - I/O fault injection for the tests: makes one system call fail on a chosen path.
 *
 * Loaded with LD_PRELOAD into leadsim by tests/test_io.sh. The tests run as
 * root, for whom permission bits stop nothing, and no test machine lets us
 * fill a disk or break a device on demand; this library makes the calls
 * leadsim uses fail exactly as the kernel would, on any machine, as any
 * user. It wraps open, read, write, fsync, close, rename, link and flock.
 *
 * LEADSIM_FAULT=CALL:PATTERN:WHAT[:NTH]
 *   CALL     open | read | write | fsync | close | rename | link | flock
 *   PATTERN  a substring of the path the call is about (for read, write,
 *            fsync and close: the path the descriptor was opened with; for
 *            rename: either name; for link: the existing file), or '*'
 *   WHAT     an errno name (EACCES, EIO, ENOSPC, EROFS, EDQUOT, EFBIG,
 *            EISDIR, ENOENT, EPERM, EXDEV, EWOULDBLOCK); or, for read only,
 *            'grow' (after the first read, append a line to the file) or
 *            'shrink' (after the first read, cut the file to half its size)
 *   NTH      only the NTH matching call fails (1 = the first); NTH+ makes
 *            the NTH and every later one fail; without it, every matching
 *            call does
 *
 * A malformed setting stops the program with status 99, so a typo in a
 * test cannot pass for a fault that was handled. The library removes
 * LD_PRELOAD from the environment at load, so programs leadsim starts
 * (gnuplot) run without it.
 *
 * Test code only: not part of leadsim. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { C_NONE, C_OPEN, C_READ, C_WRITE, C_FSYNC, C_CLOSE, C_RENAME, C_LINK, C_FLOCK };

static struct {
    int call;
    char pattern[512];
    int err;     /* errno to fail with, or 0 for grow / shrink */
    int grow, shrink;
    long nth;    /* 0 = every match */
    int from_nth; /* NTH+: the NTH and every later match */
    long seen;   /* matching calls so far */
    int done;    /* grow / shrink happened */
} F;

#define MAXFD 4096
static char *fd_path[MAXFD];

static const struct {
    const char *name;
    int value;
} errnos[] = {{"EACCES", EACCES}, {"EIO", EIO},       {"ENOSPC", ENOSPC}, {"EROFS", EROFS},
              {"EDQUOT", EDQUOT}, {"EFBIG", EFBIG},   {"EISDIR", EISDIR}, {"ENOENT", ENOENT},
              {"EPERM", EPERM},   {"EXDEV", EXDEV},   {"EWOULDBLOCK", EWOULDBLOCK}};

static void die(const char *why) {
    fprintf(stderr, "faultshim: LEADSIM_FAULT: %s\n", why);
    _exit(99);
}

__attribute__((constructor)) static void setup(void) {
    unsetenv("LD_PRELOAD");
    const char *spec = getenv("LEADSIM_FAULT");
    if (!spec || !*spec) return;
    char buf[700];
    if (strlen(spec) >= sizeof buf) die("too long");
    strcpy(buf, spec);
    char *call = buf, *pat = strchr(call, ':');
    if (!pat) die("expected CALL:PATTERN:WHAT[:NTH]");
    *pat++ = '\0';
    char *what = strchr(pat, ':');
    if (!what) die("expected CALL:PATTERN:WHAT[:NTH]");
    *what++ = '\0';
    char *nth = strchr(what, ':');
    if (nth) *nth++ = '\0';
    static const char *calls[] = {"", "open", "read", "write", "fsync", "close", "rename", "link", "flock"};
    for (int i = 1; i < (int)(sizeof calls / sizeof *calls); i++)
        if (strcmp(call, calls[i]) == 0) F.call = i;
    if (!F.call) die("unknown CALL");
    if (strlen(pat) >= sizeof F.pattern) die("PATTERN too long");
    strcpy(F.pattern, pat);
    if (strcmp(what, "grow") == 0 && F.call == C_READ) F.grow = 1;
    else if (strcmp(what, "shrink") == 0 && F.call == C_READ) F.shrink = 1;
    else {
        for (size_t i = 0; i < sizeof errnos / sizeof *errnos; i++)
            if (strcmp(what, errnos[i].name) == 0) F.err = errnos[i].value;
        if (!F.err) die("unknown WHAT");
    }
    if (nth) {
        char *end;
        F.nth = strtol(nth, &end, 10);
        if (*end == '+') F.from_nth = 1, end++;
        if (*end || F.nth < 1) die("NTH must be a whole number from 1, optionally followed by +");
    }
}

static int matches(int call, const char *a, const char *b) {
    if (F.call != call) return 0;
    int hit = strcmp(F.pattern, "*") == 0 || (a && strstr(a, F.pattern)) || (b && strstr(b, F.pattern));
    if (!hit) return 0;
    long k = __atomic_add_fetch(&F.seen, 1, __ATOMIC_SEQ_CST);
    return F.nth == 0 || k == F.nth || (F.from_nth && k > F.nth);
}

static const char *path_of(int fd) { return fd >= 0 && fd < MAXFD ? fd_path[fd] : NULL; }

static void remember(int fd, const char *path) {
    if (fd < 0 || fd >= MAXFD) return;
    free(fd_path[fd]);
    fd_path[fd] = path ? strdup(path) : NULL;
}

#define REAL(name, type) \
    static type real_##name; \
    if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

/* ---------- open ---------- */

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef int (*fd_fn)(int);
typedef int (*paths_fn)(const char *, const char *);
typedef int (*flock_fn)(int, int);

static int do_open(const char *sym, int dirfd, const char *path, int flags, mode_t mode) {
    if (matches(C_OPEN, path, NULL)) {
        errno = F.err;
        return -1;
    }
    int fd;
    if (dirfd == -1) {
        open_fn f = (open_fn)dlsym(RTLD_NEXT, sym);
        fd = f(path, flags, mode);
    } else {
        openat_fn f = (openat_fn)dlsym(RTLD_NEXT, sym);
        fd = f(dirfd, path, flags, mode);
    }
    if (fd >= 0) remember(fd, path);
    return fd;
}

static mode_t mode_arg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open("open", -1, path, flags, m);
}

int open64(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open("open64", -1, path, flags, m);
}

int openat(int dirfd, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open("openat", dirfd, path, flags, m);
}

int __open_2(const char *path, int flags) { return do_open("open", -1, path, flags, 0); }
int __open64_2(const char *path, int flags) { return do_open("open64", -1, path, flags, 0); }

/* ---------- read, write, fsync, close ---------- */

static void change_file(const char *path) {
    REAL(open, open_fn);
    if (F.grow) {
        int fd = real_open(path, O_WRONLY | O_APPEND);
        static const char line[] = "L1,2025-01-09 12:00,webinar\n";
        if (fd < 0 || write(fd, line, sizeof line - 1) != (ssize_t)(sizeof line - 1)) die("grow failed");
        close(fd);
    } else {
        struct stat st;
        if (stat(path, &st) < 0 || truncate(path, st.st_size / 2) < 0) die("shrink failed");
    }
}

ssize_t read(int fd, void *buf, size_t n) {
    REAL(read, read_fn);
    const char *p = path_of(fd);
    if (F.call == C_READ && (F.grow || F.shrink)) {
        ssize_t k = real_read(fd, buf, n);
        if (k > 0 && !F.done && p && strstr(p, F.pattern)) {
            F.done = 1;
            change_file(p);
        }
        return k;
    }
    if (matches(C_READ, p, NULL)) {
        errno = F.err;
        return -1;
    }
    return real_read(fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen) {
    (void)buflen;
    return read(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write, write_fn);
    if (matches(C_WRITE, path_of(fd), NULL)) {
        errno = F.err;
        return -1;
    }
    return real_write(fd, buf, n);
}

int fsync(int fd) {
    REAL(fsync, fd_fn);
    if (matches(C_FSYNC, path_of(fd), NULL)) {
        errno = F.err;
        return -1;
    }
    return real_fsync(fd);
}

int close(int fd) {
    REAL(close, fd_fn);
    int fail = matches(C_CLOSE, path_of(fd), NULL);
    remember(fd, NULL);
    int rc = real_close(fd); /* a failing close still releases the descriptor */
    if (fail) {
        errno = F.err;
        return -1;
    }
    return rc;
}

/* ---------- rename, link, flock ---------- */

int rename(const char *from, const char *to) {
    REAL(rename, paths_fn);
    if (matches(C_RENAME, from, to)) {
        errno = F.err;
        return -1;
    }
    return real_rename(from, to);
}

int link(const char *from, const char *to) {
    REAL(link, paths_fn);
    if (matches(C_LINK, from, NULL)) {
        errno = F.err;
        return -1;
    }
    return real_link(from, to);
}

int flock(int fd, int op) {
    REAL(flock, flock_fn);
    if (matches(C_FLOCK, path_of(fd), NULL)) {
        errno = F.err;
        return -1;
    }
    return real_flock(fd, op);
}
