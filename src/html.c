/* html.c - report.html: the one-page HTML report, from leadsim's own Markdown.
 *
 * A small converter turns the subset of Markdown that leadsim itself writes
 * (headings, paragraphs, lists, pipe tables, **bold**, `code`, backslash
 * escapes, <br> in table cells) into HTML. It is not a general Markdown
 * renderer and needs not be: input text reaches the Markdown already escaped
 * by md_text, so the only tags on the page are the ones written here. */
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

void html_escape(util_buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': util_buf_puts(b, "&amp;"); break;
        case '<': util_buf_puts(b, "&lt;"); break;
        case '>': util_buf_puts(b, "&gt;"); break;
        case '"': util_buf_puts(b, "&quot;"); break;
        case '\'': util_buf_puts(b, "&#39;"); break;
        default: util_buf_append(b, s, 1);
        }
    }
}

/* Inline Markdown of one line (or cell) to HTML. Entities written by
 * md_text pass through; a bare '<' can only be our own "<br>". */
static void inline_md(util_buf *b, const char *s, size_t n) {
    int bold = 0, code = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n && strchr("\\|`*_[]", s[i + 1])) {
            util_buf_append(b, &s[++i], 1);
        } else if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            util_buf_puts(b, bold ? "</strong>" : "<strong>");
            bold = !bold;
            i++;
        } else if (c == '`') {
            util_buf_puts(b, code ? "</code>" : "<code>");
            code = !code;
        } else if (c == '<') {
            if (n - i >= 4 && strncmp(s + i, "<br>", 4) == 0) {
                util_buf_puts(b, "<br>");
                i += 3;
            } else {
                util_buf_puts(b, "&lt;");
            }
        } else if (c == '>') {
            util_buf_puts(b, "&gt;");
        } else if (c == '"') {
            util_buf_puts(b, "&quot;");
        } else {
            util_buf_append(b, &c, 1);
        }
    }
    if (code) util_buf_puts(b, "</code>");
    if (bold) util_buf_puts(b, "</strong>");
}

/* Cells of a pipe-table line, split on unescaped '|'. */
static size_t split_cells(const char *s, size_t n, const char **cell, size_t *len, size_t max) {
    size_t k = 0, i = 0;
    while (i < n && (s[i] == ' ')) i++;
    if (i < n && s[i] == '|') i++;
    size_t start = i;
    for (; i <= n && k < max; i++) {
        if (i == n || (s[i] == '|' && (i == 0 || s[i - 1] != '\\'))) {
            if (i == n && start >= n) break;
            size_t a = start, z = i;
            while (a < z && s[a] == ' ') a++;
            while (z > a && s[z - 1] == ' ') z--;
            if (!(i == n && a == z)) {
                cell[k] = s + a;
                len[k] = z - a;
                k++;
            }
            start = i + 1;
        }
    }
    return k;
}

static void base64(util_buf *b, const unsigned char *d, size_t n) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                     (i + 2 < n ? d[i + 2] : 0);
        q[0] = tab[v >> 18 & 63];
        q[1] = tab[v >> 12 & 63];
        q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        util_buf_append(b, q, 4);
    }
}

static int plots_section(util_buf *b, const out_plots *c, util_err *err) {
    if (!c || c->nitems == 0) return 0;
    util_buf_puts(b, "<h2>Plots</h2>\n");
    for (int i = 0; i < c->nitems; i++) {
        const out_plots_item *it = &c->items[i];
        FILE *fp = fopen(it->svg_path, "rb");
        if (!fp) return util_errf(err, UTIL_EIO, "%s: cannot read the plot", it->svg_path);
        util_buf svg;
        util_buf_init(&svg);
        char chunk[65536];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) util_buf_append(&svg, chunk, k);
        int bad = ferror(fp), nomem = svg.failed;
        fclose(fp);
        if (bad || nomem) {
            util_buf_fini(&svg);
            if (nomem) return util_enomem(err);
            return util_errf(err, UTIL_EIO, "%s: cannot read the plot", it->svg_path);
        }
        util_buf_puts(b, "<figure><img alt=\"");
        html_escape(b, it->caption);
        util_buf_puts(b, "\" src=\"data:image/svg+xml;base64,");
        base64(b, (const unsigned char *)svg.data, svg.len);
        util_buf_puts(b, "\"><figcaption>");
        html_escape(b, it->caption);
        const char *base = strrchr(it->rel, '/');
        util_buf_printf(b, " <span class=\"file\">(%s.svg, .png)</span></figcaption></figure>\n",
                        base ? base + 1 : it->rel);
        util_buf_fini(&svg);
    }
    return 0;
}

static const char *style =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1100px;"
    "margin:2em auto;padding:0 1em;color:#1a1a1a;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:2px solid #ddd;"
    "padding-bottom:.2em}h3{margin-top:1.2em}"
    "table{border-collapse:collapse;font-size:.86em;margin:.6em 0;display:block;overflow-x:auto}"
    "th,td{border:1px solid #ccc;padding:.25em .5em}th{background:#f2f2f2}"
    "td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}td.c,th.c{text-align:center}"
    "tr:nth-child(even) td{background:#fafafa}"
    "figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}"
    "figcaption{font-size:.9em;color:#444}.file{color:#777}"
    ".note{background:#fff6dd;border-left:4px solid #e0a800;padding:.5em .8em}"
    "footer{margin-top:2em;font-size:.8em;color:#777}code{background:#f4f4f4;padding:0 .2em}";

/* A pipe table whose header line is p[0..n) (NEXT is the line after it):
 * the alignment row, then body rows while lines start with '|'. Returns
 * the first line after the table. */
static const char *table(util_buf *b, const char *p, size_t n, const char *next) {
    const char *cell[64];
    size_t len[64];
    char align[64];
    const char *q = next;
    const char *qe = strchr(q, '\n');
    size_t qn = qe ? (size_t)(qe - q) : strlen(q);
    size_t na = split_cells(q, qn, cell, len, 64);
    for (size_t k = 0; k < 64; k++) align[k] = 'l';
    for (size_t k = 0; k < na; k++) {
        int left = len[k] && cell[k][0] == ':', right = len[k] && cell[k][len[k] - 1] == ':';
        align[k] = left && right ? 'c' : right ? 'r' : 'l';
    }
    util_buf_puts(b, "<table>\n<thead><tr>");
    size_t nh = split_cells(p, n, cell, len, 64);
    for (size_t k = 0; k < nh; k++) {
        util_buf_printf(b, "<th class=\"%c\">", align[k]);
        inline_md(b, cell[k], len[k]);
        util_buf_puts(b, "</th>");
    }
    util_buf_puts(b, "</tr></thead>\n<tbody>\n");
    next = qe ? qe + 1 : q + qn;
    while (*next == '|') {
        const char *re = strchr(next, '\n');
        size_t rn = re ? (size_t)(re - next) : strlen(next);
        size_t nc = split_cells(next, rn, cell, len, 64);
        util_buf_puts(b, "<tr>");
        for (size_t k = 0; k < nc; k++) {
            util_buf_printf(b, "<td class=\"%c\">", align[k]);
            inline_md(b, cell[k], len[k]);
            util_buf_puts(b, "</td>");
        }
        util_buf_puts(b, "</tr>\n");
        next = re ? re + 1 : next + rn;
    }
    util_buf_puts(b, "</tbody>\n</table>\n");
    return next;
}

/* Everything before the first line of the Markdown: the head, the style,
 * and the note when there is one. */
static void page_head(util_buf *b, const char *title, const char *note) {
    util_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "img-src data:; style-src 'unsafe-inline'\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    html_escape(b, title);
    util_buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
    if (note && *note) {
        util_buf_puts(b, "<p class=\"note\">");
        html_escape(b, note);
        util_buf_puts(b, "</p>\n");
    }
}

int html_page(util_buf *b, const char *title, const char *md, const out_plots *c,
              const char *note, util_err *err) {
    page_head(b, title, note);
    const char *p = md;
    int in_list = 0, in_para = 0, plots_done = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *next = e ? e + 1 : p + n;
        int is_table = n > 0 && p[0] == '|';
        int is_item = n > 1 && p[0] == '-' && p[1] == ' ';
        int is_head = n > 0 && p[0] == '#';
        if (in_para && (n == 0 || is_table || is_item || is_head)) {
            util_buf_puts(b, "</p>\n");
            in_para = 0;
        }
        if (in_list && !is_item) {
            util_buf_puts(b, "</ul>\n");
            in_list = 0;
        }
        if (is_head) {
            int lvl = 0;
            while ((size_t)lvl < n && p[lvl] == '#') lvl++;
            if (lvl == 2 && !plots_done && n >= 7 && strncmp(p, "## Data", 7) == 0) {
                if (plots_section(b, c, err) < 0) return -1;
                plots_done = 1;
            }
            util_buf_printf(b, "<h%d>", lvl);
            inline_md(b, p + lvl + 1, n > (size_t)lvl + 1 ? n - (size_t)lvl - 1 : 0);
            util_buf_printf(b, "</h%d>\n", lvl);
        } else if (is_table) {
            next = table(b, p, n, next);
        } else if (is_item) {
            if (!in_list) util_buf_puts(b, "<ul>\n");
            in_list = 1;
            util_buf_puts(b, "<li>");
            inline_md(b, p + 2, n - 2);
            util_buf_puts(b, "</li>\n");
        } else if (n > 0) {
            if (!in_para) util_buf_puts(b, "<p>");
            else util_buf_puts(b, " ");
            in_para = 1;
            inline_md(b, p, n);
        }
        p = next;
    }
    if (in_para) util_buf_puts(b, "</p>\n");
    if (in_list) util_buf_puts(b, "</ul>\n");
    if (!plots_done && plots_section(b, c, err) < 0) return -1;
    util_buf_printf(b, "<footer>Written by leadsim %s. Every number on this page is also in the "
                       "CSV files next to it.</footer>\n</body>\n</html>\n",
                    LEADSIM_VERSION);
    return b->failed ? util_enomem(err) : 0;
}
