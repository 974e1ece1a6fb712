/* md.c - Markdown text, numbers and table cells for every report.
 *
 * Only the pieces: the sections and tables of each report are its writer's
 * (out_run.c and the other out_*.c). */
#include "md.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void md_text(util_buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '|': util_buf_puts(b, "\\|"); break;
        case '\\': util_buf_puts(b, "\\\\"); break;
        case '`': util_buf_puts(b, "\\`"); break;
        case '*': util_buf_puts(b, "\\*"); break;
        case '_': util_buf_puts(b, "\\_"); break;
        case '<': util_buf_puts(b, "&lt;"); break;
        case '>': util_buf_puts(b, "&gt;"); break;
        case '&': util_buf_puts(b, "&amp;"); break;
        case '[': util_buf_puts(b, "\\["); break;
        case ']': util_buf_puts(b, "\\]"); break;
        case '\n': case '\r': util_buf_puts(b, " "); break;
        default: util_buf_append(b, s, 1);
        }
    }
}

void md_num(util_buf *b, double v, int digits) {
    if (isnan(v)) {
        util_buf_puts(b, "–");
        return;
    }
    util_buf_printf(b, "%.*f", digits, v);
}

void md_exact(util_buf *b, double v) {
    char t[40];
    util_fmt_double(t, sizeof t, v);
    util_buf_puts(b, t);
}

void md_cell(util_buf *b, const char *s) {
    util_buf_puts(b, " ");
    util_buf_puts(b, s);
    util_buf_puts(b, " |");
}

void md_cell_text(util_buf *b, const char *s) {
    util_buf_puts(b, " ");
    md_text(b, s);
    util_buf_puts(b, " |");
}

void md_cell_num(util_buf *b, double v, int digits) {
    util_buf_puts(b, " ");
    md_num(b, v, digits);
    util_buf_puts(b, " |");
}

void md_cell_exact(util_buf *b, double v) {
    util_buf_puts(b, " ");
    md_exact(b, v);
    util_buf_puts(b, " |");
}

void md_cell_long(util_buf *b, long v) { util_buf_printf(b, " %ld |", v); }

void md_rule(util_buf *b, size_t n, const char *align) {
    for (size_t i = 0; i < n; i++) {
        util_buf_puts(b, align);
        util_buf_puts(b, "|");
    }
}

/* ---------------------------- Numbers for reading ---------------------------- */

void md_thr_fmt(char *buf, size_t n, double v, int sig) {
    if (isnan(v)) {
        snprintf(buf, n, "–");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, v > 0 ? "∞" : "-∞");
        return;
    }
    int mag = v == 0 ? 0 : (int)floor(log10(fabs(v)));
    int dec = sig - 1 - mag;
    if (dec < 0) dec = 0;
    if (dec > 17) dec = 17;
    snprintf(buf, n, "%.*f", dec, v);
    if (strchr(buf, '.')) {
        size_t k = strlen(buf);
        while (k > 0 && buf[k - 1] == '0') buf[--k] = 0;
        if (k > 0 && buf[k - 1] == '.') buf[--k] = 0;
    }
    if (strcmp(buf, "-0") == 0) snprintf(buf, n, "0");
}

int md_thr_sig(const double *v, size_t n) {
    for (int sig = MD_THR_SIG; sig < 17; sig++) {
        int clash = 0;
        for (size_t i = 0; i < n && !clash; i++)
            for (size_t j = i + 1; j < n && !clash; j++) {
                if (v[i] == v[j]) continue;
                char a[64], c[64];
                md_thr_fmt(a, sizeof a, v[i], sig);
                md_thr_fmt(c, sizeof c, v[j], sig);
                clash = strcmp(a, c) == 0;
            }
        if (!clash) return sig;
    }
    return 17;
}

void md_thr(util_buf *b, double v, int sig) {
    char t[64];
    md_thr_fmt(t, sizeof t, v, sig);
    util_buf_puts(b, t);
}

void md_ratio(util_buf *b, double v) { md_num(b, v, 3); }

void md_week(util_buf *b, double v) { md_num(b, v, 1); }

void md_count(util_buf *b, long v) {
    char t[32];
    int k = snprintf(t, sizeof t, "%ld", v < 0 ? -v : v);
    if (v < 0) util_buf_puts(b, "-");
    for (int i = 0; i < k; i++) {
        if (i && (k - i) % 3 == 0) util_buf_puts(b, ",");
        util_buf_append(b, t + i, 1);
    }
}

void md_pct(util_buf *b, double share) {
    if (isnan(share)) util_buf_puts(b, "–");
    else if (share > 0 && share < 0.005) util_buf_puts(b, "<1%");
    else if (share < 1 && share > 0.995) util_buf_puts(b, ">99%");
    else util_buf_printf(b, "%.0f%%", 100 * share);
}

void md_cell_thr(util_buf *b, double v, int sig) {
    util_buf_puts(b, " ");
    md_thr(b, v, sig);
    util_buf_puts(b, " |");
}

void md_cell_ratio(util_buf *b, double v) { md_cell_num(b, v, 3); }

void md_cell_week(util_buf *b, double v) { md_cell_num(b, v, 1); }
