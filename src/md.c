/* md.c - Markdown text, numbers and table cells for every report.
 *
 * Only the pieces: the sections and tables of each report are its writer's
 * (out_run.c and the other out_*.c). */
#include "md.h"

#include <math.h>

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
