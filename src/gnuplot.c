/* gnuplot.c - finding gnuplot and running it on a template, without a shell.
 *
 * Only the running: the data each plot needs, and which template draws it,
 * belong to the plot writer. */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int executable(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int gnuplot_find(gnuplot_env *env, char *why, size_t nwhy) {
    env->gnuplot[0] = env->templates[0] = '\0';
    const char *over = getenv("LEADSIM_GNUPLOT");
    if (over) {
        if (*over && executable(over)) snprintf(env->gnuplot, sizeof env->gnuplot, "%s", over);
    } else {
        const char *path = getenv("PATH");
        char dir[4096];
        while (path && *path && !env->gnuplot[0]) {
            size_t n = strcspn(path, ":");
            if (n && n < sizeof dir - 16) {
                memcpy(dir, path, n);
                dir[n] = '\0';
                char cand[4200];
                snprintf(cand, sizeof cand, "%s/gnuplot", dir);
                if (executable(cand)) snprintf(env->gnuplot, sizeof env->gnuplot, "%s", cand);
            }
            path += n + (path[n] == ':');
        }
    }
    if (!env->gnuplot[0]) {
        snprintf(why, nwhy, "plots were skipped: gnuplot is not installed (on Debian: "
                            "apt-get install gnuplot-nox, or run make deps)");
        return -1;
    }
    const char *t = getenv("LEADSIM_PLOTS");
    if (t && is_dir(t)) {
        snprintf(env->templates, sizeof env->templates, "%s", t);
    } else {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            exe[n] = '\0';
            char *slash = strrchr(exe, '/');
            if (slash) *slash = '\0';
            /* build/leadsim and build/asan/leadsim: plots/ is one or two up */
            const char *ups[] = {"/../plots", "/../../plots"};
            for (int k = 0; k < 2 && !env->templates[0]; k++) {
                char cand[PATH_MAX + 16];
                snprintf(cand, sizeof cand, "%s%s", exe, ups[k]);
                if (is_dir(cand)) snprintf(env->templates, sizeof env->templates, "%s", cand);
            }
        }
        if (!env->templates[0] && is_dir("plots")) snprintf(env->templates, sizeof env->templates, "plots");
    }
    if (!env->templates[0]) {
        snprintf(why, nwhy, "plots were skipped: the plot templates (plots/*.gp) were not found; "
                            "set LEADSIM_PLOTS to their folder");
        return -1;
    }
    return 0;
}

void gnuplot_quote(util_buf *b, const char *s) {
    util_buf_puts(b, "'");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'') util_buf_puts(b, "''");
        else if (c < 0x20 || c == 0x7f) util_buf_puts(b, " ");
        else util_buf_append(b, s, 1);
    }
    util_buf_puts(b, "'");
}

/* Run gnuplot once; its messages go to errfile. Returns its exit status,
 * or -1 when it could not be started. */
static int run_gnuplot(const char *prog, const char *setup, const char *script, const char *errfile) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int er = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in >= 0) dup2(in, 0);
        if (er >= 0) dup2(er, 2), dup2(er, 1);
        char *argv[] = {(char *)prog, "-e", (char *)setup, (char *)script, NULL};
        execv(prog, argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int gnuplot_render(const gnuplot_env *env, const char *name, const char *const *vars,
                   const char *outbase, util_err *err) {
    char script[8300], errfile[8300];
    snprintf(script, sizeof script, "%s/%s.gp", env->templates, name);
    snprintf(errfile, sizeof errfile, "%s.log", outbase);
    static const char *fmts[] = {"svg", "png"};
    for (int f = 0; f < 2; f++) {
        util_buf b;
        util_buf_init(&b);
        char out[8300];
        snprintf(out, sizeof out, "%s.%s", outbase, fmts[f]);
        util_buf_printf(&b, "fmt='%s'; outfile=", fmts[f]);
        gnuplot_quote(&b, out);
        util_buf_puts(&b, "; tdir=");
        gnuplot_quote(&b, env->templates);
        for (size_t k = 0; vars && vars[k]; k += 2) {
            util_buf_printf(&b, "; %s=", vars[k]);
            gnuplot_quote(&b, vars[k + 1] ? vars[k + 1] : "");
        }
        if (b.failed) {
            util_buf_fini(&b);
            unlink(errfile); /* from the first format's run */
            return util_enomem(err);
        }
        int rc = run_gnuplot(env->gnuplot, b.data, script, errfile);
        util_buf_fini(&b);
        struct stat st;
        if (rc != 0 || stat(out, &st) != 0 || st.st_size == 0) {
            char first[300] = "";
            FILE *fp = fopen(errfile, "r");
            if (fp) {
                /* the first line that says something */
                while (fgets(first, sizeof first, fp) && strspn(first, " \t\r\n^") == strlen(first)) {
                }
                fclose(fp);
            }
            first[strcspn(first, "\r\n")] = '\0';
            unlink(errfile);
            return util_errf(err, UTIL_EINTERNAL, "%s: gnuplot failed (status %d)%s%s", script, rc,
                             first[0] ? ": " : "", first);
        }
    }
    unlink(errfile);
    return 0;
}
