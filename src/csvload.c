/* csvload.c - reading a dataset's CSV files into flat columns (SPEC 3).
 *
 * Order matters: the leads file first (ids, created_at, attributes), then
 * the dataset.ini joins (each adds attributes, so that a later one may be
 * keyed on them), then events (which need each lead's created_at to ignore
 * early events), then outcomes. Every row first has its placeholder cells
 * (missing_values) made empty and is left out when a skip_if_empty column
 * is empty. A folder without a leads file or dataset.ini gets a hint built
 * from the CSV files it holds. Where each role lives (files, columns, an outcome flag in the
 * leads file) comes from the layout (dsini.c). Not for the cache: load.c
 * decides whether the CSV files are read at all, and stores what this
 * gives. */
#include "csvload.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>

#include "csvread.h"
#include "dsini.h"
#include "fold.h"
#include "suggest.h"
#include "tstamp.h"

/* ---------------------------- Loader state ---------------------------- */

/* Distinct cells of a won flag named when its values match no row. */
#define FLAG_SHOWN 10

typedef struct loader {
    dataset *ds;
    dsini *L;
    const csvload_opts *opts;
    util_err *err;
    const char *path; /* the file being read */
    int header_done;
    size_t nfields;
    /* column indices of the current file, -1 when absent */
    long c_id, c_time, c_type, c_status, c_closed, c_amount, c_won, c_sql;
    long *attr_col; /* leads: column of each attribute */
    size_t cap_leads;
    /* events while reading */
    uint32_t *ev_lead;
    size_t cap_ev;
    int64_t *ev_time;
    uint16_t *ev_type;
    int sorted; /* events arrived grouped by lead, in time order */
    long *oc_line; /* per lead: line of its outcome row, 0 = none */
    int stopped; /* a header problem was recorded; the file is not read further */
    long rows;   /* rows of the current file, for the progress line */
    uint64_t file_size;  /* of the file being read */
    uint64_t row_bytes;  /* events: bytes of the rows seen so far (about) */
    int leads_broken; /* check: the leads file was unusable; the others are
                       * still read for their own problems */
    long last_lead; /* events: the lead of the previous row (-1 none); exports
                     * group events by lead, so most rows repeat it */
    long type_seen[64]; /* events: type id by (length, first and last byte), -1
                         * none: a few types fill millions of rows, and a
                         * compare is cheaper than a hash */
    /* leads with a won flag: whether some row matched won_values and
     * lost_values, and the flag's first distinct cells (one more than are
     * shown, to know that there are more), for the message when none did */
    int won_hit, lost_hit;
    char *flag_seen[FLAG_SHOWN + 1];
    size_t nflag_seen;
    /* dataset.ini keys of the file being read: its placeholders, and the
     * columns whose empty cell leaves a row out (skip_if_empty) */
    char **missing;
    size_t nmissing;
    long skip_col[16];
    const char *skip_name[16];
    size_t nskip;
    int file; /* DSINI_LEADS .. */
    strtab skipped; /* ids of leads left out by skip_if_empty: their events and
                     * outcomes go with them, without a word */
    long *lead_line; /* per lead: its line in the leads file */
    struct joiner *join; /* the [join NAME] whose file is being read */
} loader;

/* Every 2^20 rows, when asked: "loading events.csv: 12.6M rows". */
static void progress(loader *ld) {
    if (!ld->opts->progress || (++ld->rows & ((1L << 20) - 1)) != 0) return;
    fprintf(stderr, "\rloading %s: %.1fM rows", ld->path, (double)ld->rows / 1e6);
    fflush(stderr);
}

/* Record a problem of class cls. Fatal problems (and all of them under
 * --strict) stop loading unless collect_all; then the message is the error. */
static int problem(loader *ld, int cls, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int problem(loader *ld, int cls, long line, const char *fmt, ...) {
    char detail[600], msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (line > 0) snprintf(msg, sizeof msg, "%s:%ld: %s", ld->path, line, detail);
    else snprintf(msg, sizeof msg, "%s: %s", ld->path, detail);
    dataset_dq *q = &ld->ds->dq[cls];
    q->count++;
    if (q->nexamples < DATASET_DQ_EXAMPLES) {
        char *m = util_strdup(msg);
        if (!m) return util_enomem(ld->err);
        q->examples[q->nexamples++] = m;
    }
    /* rows left out on purpose (skip_if_empty) are not made fatal by --strict */
    int fatal = cls < DATASET_DQ_NFATAL || (ld->opts->strict && cls != DATASET_DQ_SKIPPED);
    if (fatal && !ld->opts->collect_all) {
        util_errf(ld->err, UTIL_EDATA, "%s%s", msg,
                  cls >= DATASET_DQ_NFATAL ? " (fatal with --strict)" : "");
        return -1;
    }
    return 0;
}

/* Keep short examples of cell text s[0..len) in messages. A cut is marked
 * with "..." and falls between UTF-8 characters, never inside one. */
static void shorten_n(char *dst, size_t n, const char *s, size_t len) {
    if (len < n) {
        memcpy(dst, s, len);
        dst[len] = '\0';
        return;
    }
    size_t cut = n - 4;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    memcpy(dst, s, cut);
    strcpy(dst + cut, "...");
}

static void shorten(char *dst, size_t n, const char *s) { shorten_n(dst, n, s, strlen(s)); }

/* A problem with a file's header: recorded, and the file is not read further. */
static int header_problem(loader *ld, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int header_problem(loader *ld, long line, const char *fmt, ...) {
    char detail[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (problem(ld, DATASET_DQ_FILE, line, "%s", detail) == 0) {
        ld->stopped = 1;
        util_errf(ld->err, UTIL_EDATA, "%s", detail);
    }
    return -1;
}

/* A header cell without the blanks and line ends around it. */
static void header_name(const csvread_row *row, size_t i, const char **s, size_t *n) {
    const char *p = row->fields[i];
    size_t k = row->lens[i];
    while (k && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++, k--;
    while (k && (p[k - 1] == ' ' || p[k - 1] == '\t' || p[k - 1] == '\r' || p[k - 1] == '\n')) k--;
    *s = p;
    *n = k;
}

static long find_col(const csvread_row *row, const char *name) {
    if (!name) return -1;
    size_t len = strlen(name);
    for (size_t i = 0; i < row->nfields; i++) {
        const char *h;
        size_t hn;
        header_name(row, i, &h, &hn);
        if (hn == len && memcmp(h, name, len) == 0) return (long)i;
    }
    return -1;
}

/* A header name compared without case and without blanks or underscores:
 * "Create Date" is "create_date" is "CREATEDATE". */
static int loose_equal(const char *a, size_t na, const char *b, size_t nb) {
    size_t i = 0, j = 0;
    for (;;) {
        while (i < na && (a[i] == ' ' || a[i] == '\t' || a[i] == '_')) i++;
        while (j < nb && (b[j] == ' ' || b[j] == '\t' || b[j] == '_')) j++;
        if (i == na || j == nb) return i == na && j == nb;
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        char y = b[j] >= 'A' && b[j] <= 'Z' ? (char)(b[j] + 32) : b[j];
        if (x != y) return 0;
        i++, j++;
    }
}

/* The header column closest to NAME: one equal to it but for case and
 * spacing, else the closest by suggest.h's rule; -1 when none is close. */
static long closest_col(const csvread_row *row, const char *name) {
    suggest sg;
    suggest_init(&sg, name);
    long best = -1;
    for (size_t i = 0; i < row->nfields; i++) {
        const char *h;
        size_t hn;
        header_name(row, i, &h, &hn);
        if (loose_equal(h, hn, name, strlen(name))) return (long)i;
        const char *was = suggest_best(&sg, NULL);
        suggest_offer(&sg, h, hn);
        if (suggest_best(&sg, NULL) != was) best = (long)i;
    }
    return best;
}

static int missing_col(loader *ld, const csvread_row *row, const char *role, const char *name) {
    enum { LIST = 400 }; /* the list of header names, then room for the closest */
    char cols[LIST + 100] = "", near[120] = "";
    long c = closest_col(row, name);
    /* a long header name is cut short of the end, so that ", ..." still fits */
    const size_t room = LIST - sizeof ", ...";
    size_t k = 0, shown = 0;
    for (size_t i = 0; i < row->nfields && k < LIST - 40; i++, shown++) {
        int w = snprintf(cols + k, room + 1 - k, "%s%s", i ? ", " : "", row->fields[i]);
        if (w > 0) k += (size_t)w;
    }
    if (k >= LIST - 40) strcat(cols, ", ...");
    if (c >= 0) {
        const char *h;
        size_t hn;
        header_name(row, (size_t)c, &h, &hn);
        char hs[80];
        shorten_n(hs, sizeof hs, h, hn);
        snprintf(near, sizeof near, "did you mean '%s'? ", hs);
        /* the closest column is named even when the list stops before it */
        if ((size_t)c >= shown) {
            size_t at = strlen(cols);
            snprintf(cols + at, sizeof cols - at, " (column %ld: %s)", c + 1, hs);
        }
    }
    return header_problem(ld, row->line, "missing required column '%s' (%s; %sthe header has: %s)",
                          name, role, near, cols);
}

static void trim_field(char **f, size_t *len) {
    char *s = *f;
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    *f = s;
    *len = n;
}

static void note_time(dataset *ds, int64_t t) {
    if (ds->max_time == TSTAMP_NONE || t > ds->max_time) ds->max_time = t;
}

/* ---------------------------- Per-file dataset.ini keys ---------------------------- */

/* Make the file F (DSINI_LEADS ..) the one whose keys apply. */
static void set_file(loader *ld, int f) {
    ld->file = f;
    ld->missing = dsini_missing(ld->L, f, &ld->nmissing);
    ld->nskip = 0;
}

/* The column a skip_if_empty name means in file F: a role key of that
 * section names its role's column; anything else is a column name. */
static const char *skip_column(const dsini *L, int f, const char *name) {
    const char *keys[3][6] = {{"lead_id", "created_at", "won", "closed_at", "amount", "sql_at"},
                              {"lead_id", "timestamp", "event", "value", NULL, NULL},
                              {"lead_id", "status", "closed_at", "amount", "sql_at", NULL}};
    const char *cols[3][6] = {{L->l_id, L->l_created, L->l_won, L->l_closed, L->l_amount, L->l_sql},
                              {L->e_lead, L->e_time, L->e_type, L->e_value, NULL, NULL},
                              {L->o_lead, L->o_status, L->o_closed, L->o_amount, L->o_sql, NULL}};
    for (int k = 0; k < 6 && keys[f][k]; k++)
        if (strcmp(name, keys[f][k]) == 0) return cols[f][k] ? cols[f][k] : name;
    return name;
}

/* After a header: the columns of skip_if_empty, each of which must exist. */
static int file_keys(loader *ld, const csvread_row *row) {
    const dsini *L = ld->L;
    int f = ld->file;
    if (L->nskip[f] > sizeof ld->skip_col / sizeof *ld->skip_col)
        return header_problem(ld, row->line, "skip_if_empty lists more than 16 columns");
    for (size_t k = 0; k < L->nskip[f]; k++) {
        const char *col = skip_column(L, f, L->skip[f][k]);
        long c = find_col(row, col);
        if (c < 0) return missing_col(ld, row, "skip_if_empty", col);
        ld->skip_name[ld->nskip] = col;
        ld->skip_col[ld->nskip++] = c;
    }
    return 0;
}

/* Whether cell S[0..n) is empty or one of the placeholders, after trimming. */
static int blank_cell(const loader *ld, const char *s, size_t n) {
    char *f = (char *)s;
    trim_field(&f, &n);
    if (n == 0) return 1;
    for (size_t k = 0; k < ld->nmissing; k++)
        if (fold_equal(f, n, ld->missing[k], strlen(ld->missing[k]))) return 1;
    return 0;
}

/* Before a row is read: its placeholder cells made empty, and the row left
 * out (counted) when a skip_if_empty column is empty. Returns 0 to read
 * the row, 1 when it is left out, -1 on error. */
static int row_prep(loader *ld, const csvread_row *row) {
    for (size_t i = 0; ld->nmissing && i < row->nfields; i++)
        if (row->lens[i] && blank_cell(ld, row->fields[i], row->lens[i])) {
            row->lens[i] = 0;
            row->fields[i][0] = '\0';
        }
    for (size_t k = 0; k < ld->nskip; k++) {
        long c = ld->skip_col[k];
        if (!blank_cell(ld, row->fields[c], row->lens[c])) continue;
        if (ld->file == DSINI_LEADS && ld->c_id >= 0) {
            char *id = row->fields[ld->c_id];
            size_t idn = row->lens[ld->c_id];
            trim_field(&id, &idn);
            if (idn && strtab_intern(&ld->skipped, id, idn, NULL) < 0) return util_enomem(ld->err);
        }
        if (problem(ld, DATASET_DQ_SKIPPED, row->line,
                    "row left out: '%.80s' is empty (skip_if_empty)", ld->skip_name[k]) < 0)
            return -1;
        return 1;
    }
    return 0;
}

/* ---------------------------- Leads ---------------------------- */

static int lead_header(loader *ld, const csvread_row *row) {
    dataset *ds = ld->ds;
    dsini *L = ld->L;
    ld->nfields = row->nfields;
    ld->c_id = find_col(row, L->l_id);
    if (ld->c_id < 0) return missing_col(ld, row, "lead id", L->l_id);
    ld->c_time = find_col(row, L->l_created);
    if (ld->c_time < 0) {
        /* No created_at: a snapshot dataset, unless another file has times
         * (checked when it is read) or dataset.ini named the column. */
        if (L->l_created && L->ini && strcmp(L->l_created, "created_at") != 0)
            return missing_col(ld, row, "created_at", L->l_created);
        ds->snapshot = 1;
    }
    ld->c_won = find_col(row, L->l_won);
    if (L->l_won && ld->c_won < 0) return missing_col(ld, row, "won flag", L->l_won);
    if (ld->c_won >= 0 && !(ds->stage.name = util_strdup(L->l_won))) return util_enomem(ld->err);
    ld->c_closed = find_col(row, L->l_closed);
    if (L->l_closed && ld->c_closed < 0) return missing_col(ld, row, "closed_at", L->l_closed);
    ld->c_amount = find_col(row, L->l_amount);
    if (L->l_amount && ld->c_amount < 0) return missing_col(ld, row, "amount", L->l_amount);
    if (ld->c_amount >= 0) ds->has_amount = 1;
    ld->c_sql = find_col(row, L->l_sql);
    if (L->l_sql && ld->c_sql < 0) return missing_col(ld, row, "sql_at", L->l_sql);
    if (ld->c_sql >= 0 && ld->c_time < 0)
        return header_problem(ld, row->line, "sql_at ('%s') needs created_at: the leads file has no '%s' column",
                              L->l_sql, L->l_created ? L->l_created : "created_at");
    if (ld->c_sql >= 0) ds->has_sql = 1;

    /* attributes: the listed columns, or every column without a role */
    size_t n = 0;
    if (!(ld->attr_col = util_calloc(row->nfields, sizeof *ld->attr_col)) ||
        !(ds->attrs = util_calloc(row->nfields, sizeof *ds->attrs)))
        return util_enomem(ld->err);
    strtab names; /* attribute names so far: a wide header is not checked in O(n^2) */
    strtab_init(&names);
    int rc = 0;
    for (size_t i = 0; i < row->nfields && rc == 0; i++) {
        long c = (long)i;
        if (c == ld->c_id || c == ld->c_time || c == ld->c_won || c == ld->c_closed ||
            c == ld->c_amount || c == ld->c_sql)
            continue;
        const char *name;
        size_t nl;
        header_name(row, i, &name, &nl);
        if (L->attributes_set) {
            int listed = 0;
            for (size_t k = 0; k < L->nattributes; k++)
                if (strlen(L->attributes[k]) == nl && memcmp(L->attributes[k], name, nl) == 0) listed = 1;
            if (!listed) continue;
        }
        int added;
        if (strtab_intern(&names, name, nl, &added) < 0) {
            rc = util_enomem(ld->err);
            break;
        }
        if (!added) continue; /* a repeated header keeps the first */
        if (n == DATASET_MAX_ATTRS) {
            rc = header_problem(ld, row->line,
                                "more than %d attribute columns; list the ones to score in a "
                                "dataset.ini ([leads] attributes = ...)",
                                DATASET_MAX_ATTRS);
            break;
        }
        dataset_attr *a = &ds->attrs[n];
        strtab_init(&a->values);
        if (!(a->name = util_strndup(name, nl))) {
            rc = util_enomem(ld->err);
            break;
        }
        ld->attr_col[n] = c;
        ds->nattrs = ++n;
    }
    strtab_fini(&names);
    if (rc < 0) return -1;
    for (size_t k = 0; k < L->nattributes; k++)
        if (dataset_attr_find(ds, L->attributes[k]) < 0)
            return missing_col(ld, row, "attribute", L->attributes[k]);
    return 0;
}

static int grow_leads(loader *ld) {
    dataset *ds = ld->ds;
    size_t need = ds->nleads + 1;
    if (need <= ld->cap_leads) return 0;
    /* Every attribute column grows with the leads: with thousands of them a
     * first size of 1024 leads would cost megabytes per column up front. */
    size_t cap = ld->cap_leads ? ld->cap_leads * 2
                 : ds->nattrs > 64 ? (size_t)(65536 / ds->nattrs) + 16 : 1024;
    void *p;
    if (!(p = util_reallocarray(ds->created, cap, sizeof *ds->created))) return -1;
    ds->created = p;
    if (!(p = util_reallocarray(ds->status, cap, sizeof *ds->status))) return -1;
    ds->status = p;
    if (!(p = util_reallocarray(ds->closed, cap, sizeof *ds->closed))) return -1;
    ds->closed = p;
    if (!(p = util_reallocarray(ds->amount, cap, sizeof *ds->amount))) return -1;
    ds->amount = p;
    if (!(p = util_reallocarray(ld->oc_line, cap, sizeof *ld->oc_line))) return -1;
    ld->oc_line = p;
    if (!(p = util_reallocarray(ld->lead_line, cap, sizeof *ld->lead_line))) return -1;
    ld->lead_line = p;
    if (ds->stage.name) {
        if (!(p = util_reallocarray(ds->stage.code, cap, sizeof *ds->stage.code))) return -1;
        ds->stage.code = p;
    }
    if (ds->has_sql) {
        if (!(p = util_reallocarray(ds->sql_at, cap, sizeof *ds->sql_at))) return -1;
        ds->sql_at = p;
    }
    for (size_t i = 0; i < ds->nattrs; i++) {
        if (!(p = util_reallocarray(ds->attrs[i].code, cap, sizeof *ds->attrs[i].code))) return -1;
        ds->attrs[i].code = p;
    }
    ld->cap_leads = cap;
    return 0;
}

static int parse_amount(loader *ld, const char *s, size_t n, long line, double *out) {
    *out = NAN;
    char *f = (char *)s;
    trim_field(&f, &n);
    if (n == 0) return 0;
    char buf[128];
    double v;
    if (n >= sizeof buf || (memcpy(buf, f, n), buf[n] = '\0', util_parse_double(buf, &v) < 0)) {
        char shown[64];
        shorten(shown, sizeof shown, s);
        return problem(ld, DATASET_DQ_BAD_AMOUNT, line, "amount '%s' is not a number", shown);
    }
    /* A deal is worth something: a negative amount (a refund, a credit note)
     * or an absurd one would make revenue recall negative, above 1 or
     * infinite, so it is reported and left out like an amount that is not
     * a number. */
    if (v < 0 || v > DATASET_MAX_AMOUNT)
        return problem(ld, DATASET_DQ_BAD_AMOUNT, line, "amount '%s' is %s", buf,
                       v < 0 ? "negative" : "larger than 1e15");
    *out = v;
    return 0;
}

static int parse_time_cell(loader *ld, const char *role, char *s, size_t n, long line,
                           int64_t *out, int *bad) {
    *bad = 0;
    if (tstamp_parse(s, n, out) == 0) {
        note_time(ld->ds, *out);
        return 0;
    }
    *bad = 1;
    char shown[64];
    shorten(shown, sizeof shown, s);
    return problem(ld, DATASET_DQ_BAD_TIME, line, "%s '%s' is not a timestamp", role, shown);
}

/* Whether S[0..n) is one of LIST, without regard to case (fold.h). */
static int list_has(char **list, size_t nlist, const char *s, size_t n) {
    for (size_t k = 0; k < nlist; k++)
        if (fold_equal(s, n, list[k], strlen(list[k]))) return 1;
    return 0;
}

/* Keep the won flag's cell S[0..n) when it is among the first distinct ones. */
static int note_flag_cell(loader *ld, const char *s, size_t n) {
    if (ld->nflag_seen > FLAG_SHOWN) return 0;
    for (size_t k = 0; k < ld->nflag_seen; k++)
        if (strlen(ld->flag_seen[k]) == n && memcmp(ld->flag_seen[k], s, n) == 0) return 0;
    if (!(ld->flag_seen[ld->nflag_seen] = util_strndup(s, n))) return -1;
    ld->nflag_seen++;
    return 0;
}

/* After the leads file: won_values and lost_values given in the dataset.ini
 * must each match some row, or every lead would be open (or never lost)
 * without a word. The message names the ini line, the leads file, the
 * column and the first distinct cells of the column. */
static int check_flag_values(loader *ld) {
    const dsini *L = ld->L;
    dataset *ds = ld->ds;
    if (ds->stage.name) { /* what each distinct cell was read as, for check and summary.md */
        if (!(ds->stage_status = util_malloc(ds->stage.values.n + 1))) return util_enomem(ld->err);
        for (size_t v = 0; v < ds->stage.values.n; v++) {
            const char *t = strtab_str(&ds->stage.values, v);
            size_t tn = strlen(t);
            ds->stage_status[v] = list_has(L->won_values, L->nwon, t, tn)     ? DATASET_WON
                                  : list_has(L->lost_values, L->nlost, t, tn) ? DATASET_LOST
                                                                              : DATASET_OPEN;
        }
    }
    if (ld->c_won < 0 || ld->ds->nleads == 0) return 0;
    for (int lost = 0; lost < 2; lost++) {
        long line = lost ? L->line_lost_values : L->line_won_values;
        if (!line || (lost ? ld->lost_hit : ld->won_hit)) continue;
        char *const *vals = lost ? L->lost_values : L->won_values;
        size_t nvals = lost ? L->nlost : L->nwon;
        char given[120] = "", cells[440] = "";
        size_t k = 0;
        for (size_t i = 0; i < nvals && k < sizeof given; i++)
            k += (size_t)snprintf(given + k, sizeof given - k, "%s%s", i ? ", " : "", vals[i]);
        k = 0;
        size_t shown = ld->nflag_seen < FLAG_SHOWN ? ld->nflag_seen : FLAG_SHOWN;
        for (size_t i = 0; i < shown && k < sizeof cells; i++) {
            char one[40];
            shorten(one, sizeof one, ld->flag_seen[i]);
            k += (size_t)snprintf(cells + k, sizeof cells - k, "%s'%s'", i ? ", " : "", one);
        }
        const char *file = ld->path;
        ld->path = L->ini;
        int rc = problem(ld, DATASET_DQ_NO_MATCH, line,
                         "%s (%.100s) match no row of %s: its column '%s' has %s%s (%s, in "
                         "order of first appearance)",
                         lost ? "lost_values" : "won_values", given, file, L->l_won, cells,
                         ld->nflag_seen > FLAG_SHOWN ? " and more" : "",
                         ld->nflag_seen > FLAG_SHOWN ? "its first ten distinct values"
                                                     : "its distinct values");
        ld->path = file;
        if (rc < 0) return -1;
    }
    return 0;
}

/* The sql_at cell of ROW for lead I (SPEC 5.7): empty is none; one before
 * the lead's created_at is a counted problem and is ignored (it can never
 * count); one that does not parse stops the load like closed_at. */
static int sql_cell(loader *ld, const csvread_row *row, size_t i) {
    dataset *ds = ld->ds;
    char *c = row->fields[ld->c_sql];
    size_t cn = row->lens[ld->c_sql];
    trim_field(&c, &cn);
    if (!cn) return 0;
    int64_t t;
    int bad;
    if (parse_time_cell(ld, "sql_at", c, cn, row->line, &t, &bad) < 0) return -1;
    if (bad) return 0;
    if (t < ds->created[i]) {
        char a[32], b[32];
        tstamp_format(t, a, sizeof a);
        tstamp_format(ds->created[i], b, sizeof b);
        ds->sql_at[i] = TSTAMP_NONE;
        return problem(ld, DATASET_DQ_SQL_EARLY, row->line,
                       "sql_at %s is before lead '%s' was created (%s)", a,
                       strtab_str(&ds->ids, i), b);
    }
    ds->sql_at[i] = t;
    return 0;
}

static int lead_row(void *ctx, const csvread_row *row, util_err *err) {
    loader *ld = ctx;
    dataset *ds = ld->ds;
    if (!ld->header_done) {
        ld->header_done = 1;
        return lead_header(ld, row) < 0 ? -1 : file_keys(ld, row);
    }
    int pr = row_prep(ld, row);
    if (pr) return pr < 0 ? -1 : 0;
    progress(ld);
    char *id = row->fields[ld->c_id];
    size_t idn = row->lens[ld->c_id];
    trim_field(&id, &idn);
    if (idn == 0) return problem(ld, DATASET_DQ_EMPTY_LEAD, row->line, "empty lead_id");
    int64_t created = 0;
    if (ld->c_time >= 0) {
        int bad;
        if (parse_time_cell(ld, "created_at", row->fields[ld->c_time], row->lens[ld->c_time],
                            row->line, &created, &bad) < 0)
            return -1;
        if (bad) return 0;
    }
    int added;
    long idx = strtab_intern(&ds->ids, id, idn, &added);
    if (idx < 0) return util_enomem(err);
    if (!added) {
        char shown[80];
        shorten_n(shown, sizeof shown, id, idn);
        return problem(ld, DATASET_DQ_DUP_LEAD, row->line, "duplicate lead_id '%s'", shown);
    }
    if (grow_leads(ld) < 0) return util_enomem(err);
    size_t i = ds->nleads++;
    ds->created[i] = created;
    ds->status[i] = DATASET_OPEN;
    ds->closed[i] = TSTAMP_NONE;
    ds->amount[i] = NAN;
    ld->oc_line[i] = 0;
    ld->lead_line[i] = row->line;
    if (ld->c_won >= 0) {
        char *w = row->fields[ld->c_won];
        size_t wn = row->lens[ld->c_won];
        trim_field(&w, &wn);
        int won = list_has(ld->L->won_values, ld->L->nwon, w, wn);
        int lost = list_has(ld->L->lost_values, ld->L->nlost, w, wn);
        ld->won_hit |= won;
        ld->lost_hit |= lost;
        ds->status[i] = won ? DATASET_WON : lost ? DATASET_LOST : DATASET_OPEN;
        if (note_flag_cell(ld, w, wn) < 0) return util_enomem(err);
        long code = strtab_intern(&ds->stage.values, w, wn, NULL);
        if (code < 0) return util_enomem(err);
        ds->stage.code[i] = (uint32_t)code;
        ld->oc_line[i] = row->line;
    }
    if (ld->c_closed >= 0) {
        char *c = row->fields[ld->c_closed];
        size_t cn = row->lens[ld->c_closed];
        trim_field(&c, &cn);
        if (cn) {
            int bad;
            if (parse_time_cell(ld, "closed_at", c, cn, row->line, &ds->closed[i], &bad) < 0)
                return -1;
            if (bad) ds->closed[i] = TSTAMP_NONE;
        }
    }
    if (ld->c_amount >= 0 &&
        parse_amount(ld, row->fields[ld->c_amount], row->lens[ld->c_amount], row->line,
                     &ds->amount[i]) < 0)
        return -1;
    if (ld->c_sql >= 0) {
        ds->sql_at[i] = TSTAMP_NONE;
        if (sql_cell(ld, row, i) < 0) return -1;
    }
    for (size_t a = 0; a < ds->nattrs; a++) {
        char *v = row->fields[ld->attr_col[a]];
        size_t vn = row->lens[ld->attr_col[a]];
        trim_field(&v, &vn);
        long code = strtab_intern(&ds->attrs[a].values, v, vn, NULL);
        if (code < 0) return util_enomem(err);
        ds->attrs[a].code[i] = (uint32_t)code;
    }
    return 0;
}

/* ---------------------------- Events and outcomes ---------------------------- */

/* The lead of a row of the events or outcomes file, or -1 after recording
 * the row as one for an unknown lead (class cls, "WHAT for unknown lead").
 * Exports group rows by lead, so a row that repeats the previous row's id
 * skips the hash lookup; ld->last_lead is reset for each file. Returns -2
 * when recording the problem must stop the load. */
static long row_lead(loader *ld, const csvread_row *row, int cls, const char *what) {
    dataset *ds = ld->ds;
    char *id = row->fields[ld->c_id];
    size_t idn = row->lens[ld->c_id];
    trim_field(&id, &idn);
    /* Exports group a lead's rows, mostly in the leads file's order: the
     * previous row's lead, then the next one, before the hash table. */
    for (long k = ld->last_lead; k >= 0 && k <= ld->last_lead + 1 && (size_t)k < ds->nleads; k++) {
        const char *s = strtab_str(&ds->ids, (size_t)k);
        if (strncmp(s, id, idn) == 0 && s[idn] == '\0') {
            ld->last_lead = k;
            return k;
        }
    }
    long lead = strtab_find(&ds->ids, id, idn);
    if (lead < 0 && ld->skipped.n && strtab_find(&ld->skipped, id, idn) >= 0) return -1;
    if (lead < 0) {
        char tmp[100];
        shorten_n(tmp, sizeof tmp, id, idn);
        return problem(ld, cls, row->line, "%s for unknown lead '%s'", what, tmp) < 0 ? -2 : -1;
    }
    ld->last_lead = lead;
    return lead;
}

static int event_header(loader *ld, const csvread_row *row) {
    dsini *L = ld->L;
    ld->c_id = find_col(row, L->e_lead);
    if (ld->c_id < 0) return missing_col(ld, row, "lead id", L->e_lead);
    ld->c_type = find_col(row, L->e_type);
    if (ld->c_type < 0) return missing_col(ld, row, "event type", L->e_type);
    ld->c_time = find_col(row, L->e_time);
    if (ld->c_time < 0 && !ld->ds->snapshot && !L->e_time)
        return header_problem(ld, row->line,
                       "events have no timestamps (timestamp = none) but the leads file has a '%s' column",
                       L->l_created ? L->l_created : "created_at");
    if (ld->c_time < 0 && !ld->ds->snapshot) return missing_col(ld, row, "timestamp", L->e_time);
    if (ld->c_time >= 0 && ld->ds->snapshot)
        return header_problem(ld, row->line,
                       "events have timestamps but the leads file has no '%s' column",
                       L->l_created ? L->l_created : "created_at");
    return 0;
}

static int event_row(void *ctx, const csvread_row *row, util_err *err) {
    loader *ld = ctx;
    dataset *ds = ld->ds;
    if (!ld->header_done) {
        ld->header_done = 1;
        return event_header(ld, row) < 0 ? -1 : file_keys(ld, row);
    }
    int pr = row_prep(ld, row);
    if (pr) return pr < 0 ? -1 : 0;
    ds->nrows_events++;
    progress(ld);
    int64_t t = 0;
    if (ld->c_time >= 0) {
        int bad;
        if (parse_time_cell(ld, "timestamp", row->fields[ld->c_time], row->lens[ld->c_time],
                            row->line, &t, &bad) < 0)
            return -1;
        if (bad) return 0;
    }
    if (ld->leads_broken) return 0; /* no leads to match: only the row's own problems */
    long lead = row_lead(ld, row, DATASET_DQ_EVENT_UNKNOWN, "event");
    if (lead < 0) return lead == -2 ? -1 : 0;
    char *ty = row->fields[ld->c_type];
    size_t tyn = row->lens[ld->c_type];
    trim_field(&ty, &tyn);
    if (tyn == 0) return problem(ld, DATASET_DQ_EMPTY_EVENT, row->line, "empty event type");
    if (t < ds->created[lead]) {
        char a[32], b[32];
        tstamp_format(t, a, sizeof a);
        tstamp_format(ds->created[lead], b, sizeof b);
        return problem(ld, DATASET_DQ_EVENT_EARLY, row->line,
                       "event at %s is before lead '%s' was created (%s)", a,
                       strtab_str(&ds->ids, (size_t)lead), b);
    }
    size_t slot = (tyn * 7 + (unsigned char)ty[0] * 3 + (unsigned char)ty[tyn - 1]) & 63;
    long type = ld->type_seen[slot];
    if (type < 0 || strtab_len(&ds->types, (size_t)type) != tyn ||
        memcmp(strtab_str(&ds->types, (size_t)type), ty, tyn) != 0) {
        type = strtab_intern(&ds->types, ty, tyn, NULL);
        if (type < 0) return util_enomem(err);
        ld->type_seen[slot] = type;
    }
    if (type > UINT16_MAX) {
        return util_errf(err, UTIL_EDATA, "%s:%ld: more than %d distinct event types", ld->path,
                         row->line, UINT16_MAX + 1);
    }
    ld->row_bytes += row->nfields; /* separators and the line end */
    for (size_t f = 0; f < row->nfields; f++) ld->row_bytes += row->lens[f];
    if (ds->nevents + 1 > ld->cap_ev) {
        /* Doubling would leave up to half of the largest arrays empty at the
         * peak. Once 64k rows show the average row length, size them for the
         * whole file (with 3% to spare), and grow by a quarter after that. */
        size_t cap = ld->cap_ev ? ld->cap_ev + ld->cap_ev / 4 : 65536;
        if (ld->cap_ev >= 65536 && ld->row_bytes && ld->file_size) {
            double per_row = (double)ld->row_bytes / (double)ds->nevents;
            double want = (double)ld->file_size / per_row * 1.03 + 1024;
            if (want > (double)cap && want < 4e9) cap = (size_t)want;
        }
        void *p;
        if (!(p = util_reallocarray(ld->ev_lead, cap, sizeof *ld->ev_lead))) return util_enomem(err);
        ld->ev_lead = p;
        if (!(p = util_reallocarray(ld->ev_time, cap, sizeof *ld->ev_time))) return util_enomem(err);
        ld->ev_time = p;
        if (!(p = util_reallocarray(ld->ev_type, cap, sizeof *ld->ev_type))) return util_enomem(err);
        ld->ev_type = p;
        ld->cap_ev = cap;
    }
    size_t k = ds->nevents++;
    if (k > 0 && ld->sorted) {
        uint32_t pl = ld->ev_lead[k - 1];
        if ((uint32_t)lead < pl || ((uint32_t)lead == pl && t < ld->ev_time[k - 1])) ld->sorted = 0;
    }
    ld->ev_lead[k] = (uint32_t)lead;
    ld->ev_time[k] = t;
    ld->ev_type[k] = (uint16_t)type;
    return 0;
}

typedef struct ev_pair {
    int64_t t;
    uint16_t type;
} ev_pair;

static int cmp_pair(const void *a, const void *b) {
    const ev_pair *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

/* Group events by lead (counting sort) and order each lead's events by
 * time. Input that is already in that order, as most exports are, is
 * only checked. */
static int sort_events(loader *ld, util_err *err) {
    dataset *ds = ld->ds;
    size_t n = ds->nevents, nl = ds->nleads;
    if (!(ds->ev_off = util_calloc(nl + 1, sizeof *ds->ev_off))) return util_enomem(err);
    for (size_t k = 0; k < n; k++) ds->ev_off[ld->ev_lead[k] + 1]++;
    for (size_t i = 0; i < nl; i++) ds->ev_off[i + 1] += ds->ev_off[i];
    if (ld->sorted || n == 0) {
        ds->ev_time = ld->ev_time;
        ds->ev_type = ld->ev_type;
        ld->ev_time = NULL;
        ld->ev_type = NULL;
    } else {
        size_t *pos = util_malloc(nl * sizeof *pos + 1);
        int64_t *t = util_malloc(n * sizeof *t);
        uint16_t *ty = util_malloc(n * sizeof *ty);
        if (!pos || !t || !ty) {
            free(pos), free(t), free(ty);
            return util_enomem(err);
        }
        memcpy(pos, ds->ev_off, nl * sizeof *pos);
        for (size_t k = 0; k < n; k++) {
            size_t d = pos[ld->ev_lead[k]]++;
            t[d] = ld->ev_time[k];
            ty[d] = ld->ev_type[k];
        }
        free(pos);
        free(ld->ev_time);
        free(ld->ev_type);
        ld->ev_time = NULL;
        ld->ev_type = NULL;
        ds->ev_time = t;
        ds->ev_type = ty;
        ev_pair *tmp = NULL;
        size_t tcap = 0;
        for (size_t i = 0; i < nl; i++) {
            size_t a = ds->ev_off[i], b = ds->ev_off[i + 1];
            int ordered = 1;
            for (size_t k = a + 1; k < b && ordered; k++)
                if (t[k] < t[k - 1]) ordered = 0;
            if (ordered) continue;
            if (util_grow((void **)&tmp, &tcap, b - a, sizeof *tmp) < 0) {
                free(tmp);
                return util_enomem(err);
            }
            for (size_t k = a; k < b; k++) tmp[k - a] = (ev_pair){t[k], ty[k]};
            qsort(tmp, b - a, sizeof *tmp, cmp_pair);
            for (size_t k = a; k < b; k++) t[k] = tmp[k - a].t, ty[k] = tmp[k - a].type;
        }
        free(tmp);
    }
    free(ld->ev_lead);
    ld->ev_lead = NULL;
    return 0;
}

/* ---------------------------- Outcomes ---------------------------- */

static int outcome_header(loader *ld, const csvread_row *row) {
    dsini *L = ld->L;
    ld->c_id = find_col(row, L->o_lead);
    if (ld->c_id < 0) return missing_col(ld, row, "lead id", L->o_lead);
    ld->c_status = find_col(row, L->o_status);
    if (L->fixed_status < 0 && ld->c_status < 0) return missing_col(ld, row, "status", L->o_status);
    ld->c_closed = find_col(row, L->o_closed);
    if (ld->c_closed < 0 && !ld->ds->snapshot && L->o_closed)
        return missing_col(ld, row, "closed_at", L->o_closed);
    if (ld->c_closed >= 0 && ld->ds->snapshot)
        return header_problem(ld, row->line,
                       "outcomes have closed_at but the leads file has no '%s' column",
                       L->l_created ? L->l_created : "created_at");
    ld->c_amount = find_col(row, L->o_amount);
    if (L->ini && L->o_amount && strcmp(L->o_amount, "amount") != 0 && ld->c_amount < 0)
        return missing_col(ld, row, "amount", L->o_amount);
    if (ld->c_amount >= 0) ld->ds->has_amount = 1;
    ld->c_sql = find_col(row, L->o_sql);
    if (L->ini && L->o_sql && strcmp(L->o_sql, "sql_at") != 0 && ld->c_sql < 0)
        return missing_col(ld, row, "sql_at", L->o_sql);
    if (ld->c_sql >= 0 && ld->ds->snapshot)
        return header_problem(ld, row->line,
                       "outcomes have sql_at but the leads file has no '%s' column",
                       L->l_created ? L->l_created : "created_at");
    if (ld->c_sql >= 0 && !ld->leads_broken) {
        dataset *ds = ld->ds;
        if (!(ds->sql_at = util_malloc(ds->nleads * sizeof *ds->sql_at + 1)))
            return util_enomem(ld->err);
        for (size_t i = 0; i < ds->nleads; i++) ds->sql_at[i] = TSTAMP_NONE;
        ds->has_sql = 1;
    }
    return 0;
}

static int outcome_row(void *ctx, const csvread_row *row, util_err *err) {
    loader *ld = ctx;
    dataset *ds = ld->ds;
    if (!ld->header_done) {
        ld->header_done = 1;
        return outcome_header(ld, row) < 0 ? -1 : file_keys(ld, row);
    }
    int pr = row_prep(ld, row);
    if (pr) return pr < 0 ? -1 : 0;
    ds->nrows_outcomes++;
    int status = ld->L->fixed_status;
    if (status < 0) {
        char *s = row->fields[ld->c_status];
        size_t sn = row->lens[ld->c_status];
        trim_field(&s, &sn);
        if (sn == 3 && strncasecmp(s, "won", 3) == 0) status = DATASET_WON;
        else if (sn == 4 && strncasecmp(s, "lost", 4) == 0) status = DATASET_LOST;
        else if (sn == 4 && strncasecmp(s, "open", 4) == 0) status = DATASET_OPEN;
        else {
            char tmp[80];
            shorten_n(tmp, sizeof tmp, s, sn);
            return problem(ld, DATASET_DQ_BAD_STATUS, row->line,
                           "unknown status '%s' (expected won, lost or open)", tmp);
        }
    }
    int64_t closed = TSTAMP_NONE;
    if (ld->c_closed >= 0) {
        char *c = row->fields[ld->c_closed];
        size_t cn = row->lens[ld->c_closed];
        trim_field(&c, &cn);
        if (cn) {
            int bad;
            if (parse_time_cell(ld, "closed_at", c, cn, row->line, &closed, &bad) < 0) return -1;
            if (bad) return 0;
        }
    }
    double amount = NAN;
    if (ld->c_amount >= 0 &&
        parse_amount(ld, row->fields[ld->c_amount], row->lens[ld->c_amount], row->line, &amount) < 0)
        return -1;
    if (ld->leads_broken) return 0;
    long lead = row_lead(ld, row, DATASET_DQ_OUTCOME_UNKNOWN, "outcome");
    if (lead < 0) return lead == -2 ? -1 : 0;
    if (ld->oc_line[lead] &&
        problem(ld, DATASET_DQ_DUP_OUTCOME, row->line,
                "second outcome row for lead '%s' (first on line %ld; the last wins)",
                strtab_str(&ds->ids, (size_t)lead), ld->oc_line[lead]) < 0)
        return -1;
    ld->oc_line[lead] = row->line;
    if (ld->c_sql >= 0) {
        ds->sql_at[lead] = TSTAMP_NONE; /* the last row wins, an empty cell too */
        if (sql_cell(ld, row, (size_t)lead) < 0) return -1;
    }
    ds->status[lead] = (uint8_t)status;
    ds->closed[lead] = closed;
    ds->amount[lead] = amount;
    return 0;
}

/* ---------------------------- Driver ---------------------------- */

static int read_file(loader *ld, const char *path, csvread_fn fn, util_err *err) {
    struct stat sb;
    ld->file_size = stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    ld->row_bytes = 0;
    ld->path = path;
    ld->header_done = 0;
    ld->stopped = 0;
    ld->rows = 0;
    ld->last_lead = -1;
    err->code = 0;
    int rc = csvread_file(path, fn, ld, err);
    if (ld->opts->progress && ld->rows >= (1L << 20)) fputs("\r\033[K", stderr);
    if (rc < 0) {
        /* An unreadable file is an I/O error even for check: it cannot be
         * listed as a problem of the data, which was never seen. */
        if (err->code == UTIL_EINTERNAL || err->code == UTIL_EIO || !ld->opts->collect_all)
            return -1;
        if (!ld->stopped) {
            /* an error of the reader itself: malformed CSV */
            dataset_dq *q = &ld->ds->dq[DATASET_DQ_FILE];
            q->count++;
            if (q->nexamples < DATASET_DQ_EXAMPLES) {
                if (!(q->examples[q->nexamples] = util_strdup(err->msg))) return util_enomem(err);
                q->nexamples++;
            }
        }
        return 1; /* go on with the next file */
    }
    if (!ld->header_done) {
        if (problem(ld, DATASET_DQ_FILE, 0, "empty file: no header row") < 0) return -1;
        return 1;
    }
    return 0;
}

/* ---------------------------- Joins ---------------------------- */

/* One [join NAME] while its file is read: the key of each row (interned,
 * row index = key index), the line of each, and per attribute the code of
 * each row's value in the new attribute's table. */
typedef struct joiner {
    loader *ld;
    const dsini_join *J;
    size_t first;       /* index of its first attribute in ds->attrs */
    long c_key;
    long *c_attr;
    strtab keys;
    long *key_line;
    uint32_t **codes;   /* [attribute][row] */
    size_t cap;
} joiner;

static int join_header(joiner *jn, const csvread_row *row) {
    loader *ld = jn->ld;
    const dsini_join *J = jn->J;
    jn->c_key = find_col(row, J->key);
    if (jn->c_key < 0) return missing_col(ld, row, "join key", J->key);
    for (size_t a = 0; a < J->nattributes; a++)
        if ((jn->c_attr[a] = find_col(row, J->attributes[a])) < 0)
            return missing_col(ld, row, "joined attribute", J->attributes[a]);
    return 0;
}

static int join_row(void *ctx, const csvread_row *row, util_err *err) {
    loader *ld = ctx;
    joiner *jn = ld->join;
    dataset *ds = ld->ds;
    if (!ld->header_done) {
        ld->header_done = 1;
        return join_header(jn, row);
    }
    int pr = row_prep(ld, row);
    if (pr) return pr < 0 ? -1 : 0;
    char *k = row->fields[jn->c_key];
    size_t kn = row->lens[jn->c_key];
    trim_field(&k, &kn);
    if (kn == 0) return 0; /* matches no lead */
    int added;
    long r = strtab_intern(&jn->keys, k, kn, &added);
    if (r < 0) return util_enomem(err);
    if (!added) {
        char shown[80];
        shorten_n(shown, sizeof shown, k, kn);
        return problem(ld, DATASET_DQ_FILE, row->line,
                       "key '%s' of column '%s' is not unique (first on line %ld): [join %s] "
                       "needs one row per key",
                       shown, jn->J->key, jn->key_line[r], jn->J->name);
    }
    if ((size_t)r >= jn->cap) {
        size_t cap = jn->cap ? jn->cap * 2 : 256;
        void *p = util_reallocarray(jn->key_line, cap, sizeof *jn->key_line);
        if (!p) return util_enomem(err);
        jn->key_line = p;
        for (size_t a = 0; a < jn->J->nattributes; a++) {
            if (!(p = util_reallocarray(jn->codes[a], cap, sizeof **jn->codes))) return util_enomem(err);
            jn->codes[a] = p;
        }
        jn->cap = cap;
    }
    jn->key_line[r] = row->line;
    for (size_t a = 0; a < jn->J->nattributes; a++) {
        char *v = row->fields[jn->c_attr[a]];
        size_t vn = row->lens[jn->c_attr[a]];
        trim_field(&v, &vn);
        long code = strtab_intern(&ds->attrs[jn->first + a].values, v, vn, NULL);
        if (code < 0) return util_enomem(err);
        jn->codes[a][r] = (uint32_t)code;
    }
    return 0;
}

/* Give every lead the attributes of its row of the joined file (none: the
 * empty value, counted with the lead's line). */
static int join_leads(joiner *jn, long on) {
    loader *ld = jn->ld;
    dataset *ds = ld->ds;
    const dsini_join *J = jn->J;
    const dataset_attr *key = &ds->attrs[on];
    ld->path = ds->leads_path;
    for (size_t i = 0; i < ds->nleads; i++) {
        const char *v = strtab_str(&key->values, key->code[i]);
        long r = *v ? strtab_find(&jn->keys, v, strlen(v)) : -1;
        for (size_t a = 0; a < J->nattributes; a++) {
            dataset_attr *at = &ds->attrs[jn->first + a];
            long code = r >= 0 ? (long)jn->codes[a][r] : strtab_intern(&at->values, "", 0, NULL);
            if (code < 0) return util_enomem(ld->err);
            at->code[i] = (uint32_t)code;
        }
        if (r < 0) {
            char shown[80];
            shorten(shown, sizeof shown, v);
            if (problem(ld, DATASET_DQ_JOIN_MISS, ld->lead_line[i],
                        "lead '%.80s' has no row in [join %s] (%s '%s')",
                        strtab_str(&ds->ids, i), J->name, key->name, shown) < 0)
                return -1;
        }
    }
    return 0;
}

/* New attribute columns for J's attributes, each with a code per lead. */
static int join_attrs(loader *ld, const dsini_join *J, util_err *err) {
    dataset *ds = ld->ds;
    for (size_t a = 0; a < J->nattributes; a++)
        if (dataset_attr_find(ds, J->attributes[a]) >= 0)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: [join %s] attribute '%s' is already a column of the "
                             "leads file or of an earlier join",
                             ld->L->ini, J->line, J->name, J->attributes[a]);
    void *p = util_reallocarray(ds->attrs, ds->nattrs + J->nattributes + 1, sizeof *ds->attrs);
    if (!p) return util_enomem(err);
    ds->attrs = p;
    for (size_t a = 0; a < J->nattributes; a++) {
        dataset_attr *at = &ds->attrs[ds->nattrs];
        memset(at, 0, sizeof *at);
        strtab_init(&at->values);
        ds->nattrs++;
        if (!(at->name = util_strdup(J->attributes[a])) ||
            !(at->code = util_malloc(ds->nleads * sizeof *at->code + 1)))
            return util_enomem(err);
    }
    return 0;
}

/* Each [join NAME] in turn, after the leads file: its file is read and its
 * attributes added, so that a later join may be keyed on them. */
static int read_joins(loader *ld, util_err *err) {
    dataset *ds = ld->ds;
    const dsini *L = ld->L;
    for (size_t j = 0; j < L->njoins; j++) {
        const dsini_join *J = &L->joins[j];
        const char *onname = J->on ? J->on : J->key;
        long on = dataset_attr_find(ds, onname);
        if (on < 0)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: [join %s] on = '%s': no such attribute of the leads file "
                             "(or of an earlier join)%s",
                             L->ini, J->line, J->name, onname,
                             L->attributes_set ? "; list it in [leads] attributes" : "");
        ds->uncached = 1;
        if (join_attrs(ld, J, err) < 0) return -1;
        joiner jn = {.ld = ld, .J = J, .first = ds->nattrs - J->nattributes};
        strtab_init(&jn.keys);
        int rc = -1;
        char *path = dsini_path(L, J->file);
        if (!(jn.c_attr = util_calloc(J->nattributes, sizeof *jn.c_attr)) ||
            !(jn.codes = util_calloc(J->nattributes, sizeof *jn.codes)) || !path) {
            util_enomem(err);
        } else {
            set_file(ld, DSINI_NFILES);
            ld->nmissing = J->missing_set ? J->nmissing : L->nmissing[DSINI_NFILES];
            ld->missing = J->missing_set ? J->missing : L->missing[DSINI_NFILES];
            ld->join = &jn;
            int r = read_file(ld, path, join_row, err);
            ld->join = NULL;
            rc = r < 0 ? -1 : r > 0 ? 1 : join_leads(&jn, on);
        }
        free(path);
        for (size_t a = 0; jn.codes && a < J->nattributes; a++) free(jn.codes[a]);
        free(jn.codes);
        free(jn.c_attr);
        free(jn.key_line);
        strtab_fini(&jn.keys);
        if (rc < 0) return -1;
        if (rc > 0) { /* check: the file was unusable; the leads keep empty values */
            for (size_t a = 0; a < J->nattributes; a++) {
                dataset_attr *at = &ds->attrs[jn.first + a];
                long code = strtab_intern(&at->values, "", 0, NULL);
                if (code < 0) return util_enomem(err);
                for (size_t i = 0; i < ds->nleads; i++) at->code[i] = (uint32_t)code;
            }
        }
    }
    return 0;
}

/* ---------------------------- A folder without leads.csv ---------------------------- */

/* A header row read from a CSV file: the first row only. */
typedef struct head_row {
    char cols[24][48];
    size_t n, total;
} head_row;

static int head_cb(void *ctx, const csvread_row *row, util_err *err) {
    head_row *h = ctx;
    h->total = row->nfields;
    for (size_t i = 0; i < row->nfields && h->n < 24; i++) {
        const char *s;
        size_t n;
        header_name(row, i, &s, &n);
        shorten_n(h->cols[h->n++], sizeof h->cols[0], s, n);
    }
    return util_errf(err, UTIL_EDATA, "header read"); /* stop after the header */
}

/* Whether header name S contains one of the words in LIST (any case). */
static int looks_like(const char *s, const char *const *list) {
    for (; *list; list++) {
        size_t n = strlen(*list);
        for (const char *p = s; *p; p++)
            if (strncasecmp(p, *list, n) == 0) return 1;
    }
    return 0;
}

/* The first column of H that looks like LIST, or NULL. */
static const char *guess(const head_row *h, const char *const *list) {
    for (size_t i = 0; i < h->n; i++)
        if (looks_like(h->cols[i], list)) return h->cols[i];
    return NULL;
}

/* A folder with neither leads.csv nor a dataset.ini: an error naming the
 * CSV files that are there, their header rows, the columns that look like
 * an id, a date and an outcome, and a dataset.ini to start from. Returns
 * -1 with that error, or 0 when the folder has no CSV file (the caller
 * reports the missing leads.csv). */
static int no_leads_hint(const dsini *L, util_err *err) {
    DIR *d = opendir(L->dir);
    if (!d) return 0;
    char names[4][64];
    size_t nf = 0, more = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcasecmp(e->d_name + n - 4, ".csv") != 0) continue;
        if (nf < 4 && n < sizeof names[0]) {
            /* in name order, for the same message on every file system */
            size_t at = nf++;
            while (at > 0 && strcmp(names[at - 1], e->d_name) > 0) {
                memcpy(names[at], names[at - 1], sizeof names[0]);
                at--;
            }
            memcpy(names[at], e->d_name, n + 1);
        } else {
            more++;
        }
    }
    closedir(d);
    if (!nf) return 0;
    static const char *const ids[] = {"id", "key", "number", NULL};
    static const char *const dates[] = {"date", "created", "_at", "time", NULL};
    static const char *const outs[] = {"status", "stage", "won", "converted", "outcome", "result", NULL};
    char msg[1000];
    size_t k = (size_t)snprintf(msg, sizeof msg,
                                "%s: no leads.csv and no dataset.ini; the CSV files here:", L->dir);
    /* the first file with an id column is the likely leads file */
    const char *lf = NULL;
    char lid[48] = "", ldate[48] = "", lout[48] = "";
    for (size_t f = 0; f < nf && k < sizeof msg; f++) {
        head_row h = {0};
        util_err e2 = {0};
        char *p = dsini_path(L, names[f]);
        if (!p) return util_enomem(err);
        csvread_file(p, head_cb, &h, &e2);
        free(p);
        const char *id = guess(&h, ids), *dt = guess(&h, dates), *oc = guess(&h, outs);
        k += (size_t)snprintf(msg + k, sizeof msg - k, "\n  %s:", names[f]);
        for (size_t i = 0; i < h.n && i < 8 && k < sizeof msg; i++)
            k += (size_t)snprintf(msg + k, sizeof msg - k, "%s%s", i ? ", " : " ", h.cols[i]);
        if (h.total > 8 && k < sizeof msg)
            k += (size_t)snprintf(msg + k, sizeof msg - k, " (%zu columns)", h.total);
        if (k < sizeof msg)
            k += (size_t)snprintf(msg + k, sizeof msg - k, " [id: %s; date: %s; outcome: %s]",
                                  id ? id : "-", dt ? dt : "-", oc ? oc : "-");
        if (!lf && id) {
            lf = names[f];
            snprintf(lid, sizeof lid, "%s", id);
            snprintf(ldate, sizeof ldate, "%s", dt ? dt : "none");
            snprintf(lout, sizeof lout, "%s", oc ? oc : "");
        }
    }
    if (more && k < sizeof msg) k += (size_t)snprintf(msg + k, sizeof msg - k, "\n  and %zu more", more);
    if (lf && k < sizeof msg)
        snprintf(msg + k, sizeof msg - k,
                 "\nA dataset.ini to start from (check each name; won_values are what the "
                 "outcome column says for a won deal):\n[leads]\nfile = %s\nlead_id = %s\n"
                 "created_at = %s\n%s%s%s[events]\nfile = none\n",
                 lf, lid, ldate, *lout ? "won = " : "", lout, *lout ? "\nwon_values = won\n" : "");
    return util_errf(err, UTIL_EDATA, "%s", msg);
}

/* After outcomes: counted problems that need the whole picture. */
static int final_checks(loader *ld) {
    dataset *ds = ld->ds;
    ld->path = ld->L->l_won || !ds->outcomes_path ? ds->leads_path : ds->outcomes_path;
    for (size_t i = 0; i < ds->nleads; i++) {
        if (ds->status[i] == DATASET_WON && ds->closed[i] == TSTAMP_NONE && !ds->snapshot) {
            if (problem(ld, DATASET_DQ_WON_NO_CLOSE, ld->oc_line[i],
                        "won lead '%s' has no closed_at", strtab_str(&ds->ids, i)) < 0)
                return -1;
        }
        if (ds->status[i] != DATASET_OPEN && ds->closed[i] != TSTAMP_NONE &&
            ds->closed[i] < ds->created[i]) {
            char a[32], b[32];
            tstamp_format(ds->closed[i], a, sizeof a);
            tstamp_format(ds->created[i], b, sizeof b);
            if (problem(ld, DATASET_DQ_CLOSE_EARLY, ld->oc_line[i],
                        "lead '%s' closed at %s, before it was created (%s)",
                        strtab_str(&ds->ids, i), a, b) < 0)
                return -1;
        }
    }
    return 0;
}

int csvload_read(const char *path, const csvload_opts *opts, dataset **out, util_err *err) {
    dsini L;
    dataset *ds = NULL;
    loader ld;
    memset(&ld, 0, sizeof ld);
    int rc = -1;
    if (dsini_read(path, &L, err) < 0) goto done;
    if (!(ds = dataset_alloc())) goto nomem;
    if (L.ini && !(ds->ini_path = util_strdup(L.ini))) goto nomem;
    /* what the cache must watch: the dataset.ini that is or would be read,
     * and the events and outcomes files the layout names */
    if (!(ds->ini_candidate = L.ini ? util_strdup(L.ini) : dsini_path(&L, "dataset.ini")) ||
        (L.events_file && !(ds->events_candidate = dsini_path(&L, L.events_file))) ||
        (L.outcomes_file && !(ds->outcomes_candidate = dsini_path(&L, L.outcomes_file))))
        goto nomem;
    ld = (loader){.ds = ds, .L = &L, .opts = opts, .err = err, .sorted = 1, .last_lead = -1};
    for (size_t k = 0; k < sizeof ld.type_seen / sizeof *ld.type_seen; k++) ld.type_seen[k] = -1;

    if (!(ds->leads_path = dsini_path(&L, L.leads_file))) goto nomem;
    if (!L.ini && !dsini_exists(ds->leads_path) && no_leads_hint(&L, err) < 0) goto done;
    strtab_init(&ld.skipped);
    set_file(&ld, DSINI_LEADS);
    int r = read_file(&ld, ds->leads_path, lead_row, err);
    if (r < 0) goto done;
    /* An unusable leads file (only in check, which collects every problem):
     * the other files are still read for their own problems. */
    if (r > 0) ld.leads_broken = 1;
    else if (check_flag_values(&ld) < 0 || read_joins(&ld, err) < 0) goto done;
    if (L.created_none) ds->snapshot = 1;

    if (L.events_file) {
        if (!(ds->events_path = dsini_path(&L, L.events_file))) goto nomem;
        if (!L.events_explicit && !dsini_exists(ds->events_path)) {
            free(ds->events_path);
            ds->events_path = NULL;
        }
    }
    if (ds->events_path) {
        ds->has_events = 1;
        set_file(&ld, DSINI_EVENTS);
        if (read_file(&ld, ds->events_path, event_row, err) < 0) goto done;
    }
    if (sort_events(&ld, err) < 0) goto done;

    if (L.outcomes_file) {
        if (!(ds->outcomes_path = dsini_path(&L, L.outcomes_file))) goto nomem;
        if (!L.outcomes_explicit && !dsini_exists(ds->outcomes_path)) {
            free(ds->outcomes_path);
            ds->outcomes_path = NULL;
        }
    }
    set_file(&ld, DSINI_OUTCOMES);
    if (ds->outcomes_path && read_file(&ld, ds->outcomes_path, outcome_row, err) < 0) goto done;
    if (!ld.leads_broken && final_checks(&ld) < 0) goto done;
    if (ds->snapshot) ds->max_time = 0;
    rc = 0;
    *out = ds;
    ds = NULL;
    goto done;
nomem:
    util_enomem(err);
done:
    for (size_t k = 0; k < ld.nflag_seen; k++) free(ld.flag_seen[k]);
    free(ld.attr_col);
    free(ld.ev_lead);
    free(ld.ev_time);
    free(ld.ev_type);
    free(ld.oc_line);
    free(ld.lead_line);
    strtab_fini(&ld.skipped);
    dataset_free(ds);
    dsini_fini(&L);
    return rc;
}
