/* test_gen.c - unit tests of the synthetic dataset generator (src/gen.c).
 *
 * Generates datasets into temporary folders under /tmp (removed afterwards) and
 * checks gen_write's contract: the same seed gives the same bytes, the files
 * have the documented format, the files agree with each other (no event before
 * its lead, no outcome for an unknown lead), the planted rates hold, and the
 * planted drift between 2025-H1 and 2025-H2 is there. Bad arguments and write
 * failures must fail cleanly and leave no file behind. */
#define _GNU_SOURCE /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "gen.h"

#define T_START INT64_C(1704067200) /* 2024-01-01 */
#define T_H1_2025 INT64_C(1735689600) /* 2025-01-01 */
#define T_H2_2025 INT64_C(1751328000) /* 2025-07-01 */
#define T_Q4_2025 INT64_C(1759276800) /* 2025-10-01 */
#define T_DEC_2025 INT64_C(1764547200) /* 2025-12-01 */
#define T_END INT64_C(1767225600)   /* 2026-01-01 */

/* ---------------------------- Helpers ---------------------------- */

static char *tmpdir_make(void) {
    char tmpl[] = "/tmp/leadsim_test_gen_XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    char *s = strdup(d);
    assert_non_null(s);
    return s;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf dir, then free the name. */
static void tmpdir_remove(char *dir) {
    if (!dir) return;
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

static char *path_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *dir, const char *name, size_t *len) {
    char *path = path_join(dir, name);
    FILE *fp = fopen(path, "rb");
    free(path);
    if (!fp) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t k = fread(buf + n, 1, cap - n - 1, fp);
        if (k == 0) break;
        n += k;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Entries of dir other than . and .. */
static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Exactly "YYYY-MM-DD HH:MM:SS" -> seconds since 1970, or -1. */
static int64_t parse_ts(const char *s) {
    int y, mo, d, h, mi, se;
    if (strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return -1;
    return days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
}

static int in_list(const char *s, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(s, *list)) return 1;
    return 0;
}

/* Split line (modified in place) at commas into at most max fields. */
static int split(char *line, char **f, int max) {
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == ',') {
            *p = '\0';
            if (n == max) return max + 1;
            f[n++] = p + 1;
        }
    return n;
}

/* "L" and exactly 7 digits -> the number, or -1. */
static long parse_id(const char *s) {
    int v;
    if (s[0] != 'L' || strlen(s) != 8 || digits(s + 1, 7, &v)) return -1;
    return v;
}

static int is_uint(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* ---------------------------- Parsed dataset ---------------------------- */

enum { ST_NONE, ST_WON, ST_LOST, ST_OPEN };

typedef struct dataset {
    char *dir;
    long n;           /* leads */
    int64_t *created; /* per lead (index = number - 1) */
    int *retail;
    int *webinars;
    int *n_events;
    int64_t *last_event;
    int *status;      /* ST_* */
    int64_t *closed;
    long long events;
    char problem[512]; /* first format or consistency problem, "" when none */
} dataset;

#define PROBLEM(ds, ...)                                                           \
    do {                                                                           \
        if (!(ds)->problem[0]) snprintf((ds)->problem, sizeof (ds)->problem, __VA_ARGS__); \
        return;                                                                    \
    } while (0)

static const char *const industries[] = {"software", "finance", "retail", "healthcare",
                                         "manufacturing", "education", "logistics",
                                         "public_sector", NULL};
static const char *const countries[] = {"US", "GB", "DE", "FR", "NL", "CA", "AU", "IN", NULL};
static const char *const roles[] = {"c_level", "vp", "manager", "individual", "student", NULL};
static const char *const sources[] = {"organic", "paid_search", "social", "referral",
                                      "event", "partner", NULL};
static const char *const event_types[] = {"email_open", "email_click", "webinar",
                                          "whitepaper_download", "pricing_page_view",
                                          "case_study_view", "demo_request", "contact_form",
                                          "unsubscribe", NULL};

/* Common file checks: no BOM, no CR, final LF, the header. Returns the first
 * data line. */
static char *check_file(dataset *ds, char *text, size_t len, const char *name, const char *header) {
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        snprintf(ds->problem, sizeof ds->problem, "%s: byte order mark", name);
        return NULL;
    }
    if (memchr(text, '\r', len)) {
        snprintf(ds->problem, sizeof ds->problem, "%s: CR in file", name);
        return NULL;
    }
    if (len == 0 || text[len - 1] != '\n') {
        snprintf(ds->problem, sizeof ds->problem, "%s: no final LF", name);
        return NULL;
    }
    size_t hl = strlen(header);
    if (len < hl || memcmp(text, header, hl)) {
        snprintf(ds->problem, sizeof ds->problem, "%s: bad header", name);
        return NULL;
    }
    return text + hl;
}

static void parse_leads(dataset *ds, char *text, size_t len) {
    char *p = check_file(ds, text, len, "leads.csv",
                         "lead_id,created_at,industry,country,employees,job_role,source,"
                         "total_visits\n");
    if (!p) return;
    long row = 0;
    int64_t prev = T_START;
    while (*p) {
        char *nl = strchr(p, '\n'), *f[9];
        *nl = '\0';
        row++;
        if (row > ds->n) PROBLEM(ds, "leads.csv: more than %ld rows", ds->n);
        if (split(p, f, 8) != 8) PROBLEM(ds, "leads.csv:%ld: not 8 fields", row + 1);
        if (parse_id(f[0]) != row) PROBLEM(ds, "leads.csv:%ld: lead_id %s", row + 1, f[0]);
        int64_t t = parse_ts(f[1]);
        if (t < prev || t >= T_END) PROBLEM(ds, "leads.csv:%ld: created_at %s", row + 1, f[1]);
        prev = t;
        if (!in_list(f[2], industries)) PROBLEM(ds, "leads.csv:%ld: industry %s", row + 1, f[2]);
        if (!in_list(f[3], countries)) PROBLEM(ds, "leads.csv:%ld: country %s", row + 1, f[3]);
        if (*f[4] && (!is_uint(f[4]) || atol(f[4]) < 1 || atol(f[4]) > 50000))
            PROBLEM(ds, "leads.csv:%ld: employees %s", row + 1, f[4]);
        if (*f[5] && !in_list(f[5], roles))
            PROBLEM(ds, "leads.csv:%ld: job_role %s", row + 1, f[5]);
        if (!in_list(f[6], sources)) PROBLEM(ds, "leads.csv:%ld: source %s", row + 1, f[6]);
        if (!is_uint(f[7]) || atol(f[7]) < 1)
            PROBLEM(ds, "leads.csv:%ld: total_visits %s", row + 1, f[7]);
        ds->created[row - 1] = t;
        ds->retail[row - 1] = !strcmp(f[2], "retail");
        p = nl + 1;
    }
    if (row != ds->n) PROBLEM(ds, "leads.csv: %ld rows, not %ld", row, ds->n);
}

static void parse_events(dataset *ds, char *text, size_t len) {
    char *p = check_file(ds, text, len, "events.csv", "lead_id,timestamp,event\n");
    if (!p) return;
    long line = 1, prev_id = 0;
    int64_t prev_t = 0;
    while (*p) {
        char *nl = strchr(p, '\n'), *f[4];
        *nl = '\0';
        line++;
        if (split(p, f, 3) != 3) PROBLEM(ds, "events.csv:%ld: not 3 fields", line);
        long id = parse_id(f[0]);
        if (id < 1 || id > ds->n) PROBLEM(ds, "events.csv:%ld: unknown lead %s", line, f[0]);
        int64_t t = parse_ts(f[1]);
        if (t < 0) PROBLEM(ds, "events.csv:%ld: timestamp %s", line, f[1]);
        if (t < ds->created[id - 1]) PROBLEM(ds, "events.csv:%ld: before created_at", line);
        if (t >= T_END) PROBLEM(ds, "events.csv:%ld: after the snapshot", line);
        if (id < prev_id || (id == prev_id && t < prev_t))
            PROBLEM(ds, "events.csv:%ld: not sorted by lead then time", line);
        if (!in_list(f[2], event_types)) PROBLEM(ds, "events.csv:%ld: event %s", line, f[2]);
        ds->webinars[id - 1] += !strcmp(f[2], "webinar");
        ds->n_events[id - 1]++;
        ds->last_event[id - 1] = t;
        ds->events++;
        prev_id = id;
        prev_t = t;
        p = nl + 1;
    }
}

/* A won amount: digits, '.', two digits, above zero. */
static int is_amount(const char *s) {
    size_t n = strlen(s);
    if (n < 4 || s[n - 3] != '.') return 0;
    for (size_t i = 0; i < n; i++)
        if (i != n - 3 && (s[i] < '0' || s[i] > '9')) return 0;
    return strtod(s, NULL) > 0;
}

static void parse_outcomes(dataset *ds, char *text, size_t len) {
    char *p = check_file(ds, text, len, "outcomes.csv", "lead_id,status,closed_at,amount\n");
    if (!p) return;
    long line = 1, prev_id = 0;
    while (*p) {
        char *nl = strchr(p, '\n'), *f[5];
        *nl = '\0';
        line++;
        if (split(p, f, 4) != 4) PROBLEM(ds, "outcomes.csv:%ld: not 4 fields", line);
        long id = parse_id(f[0]);
        if (id < 1 || id > ds->n) PROBLEM(ds, "outcomes.csv:%ld: unknown lead %s", line, f[0]);
        if (id <= prev_id) PROBLEM(ds, "outcomes.csv:%ld: duplicate or unsorted lead", line);
        prev_id = id;
        int64_t c = *f[2] ? parse_ts(f[2]) : 0;
        if (!strcmp(f[1], "won")) {
            if (!*f[2] || !is_amount(f[3]))
                PROBLEM(ds, "outcomes.csv:%ld: won without closed_at or amount", line);
            ds->status[id - 1] = ST_WON;
        } else if (!strcmp(f[1], "lost")) {
            if (!*f[2] || *f[3]) PROBLEM(ds, "outcomes.csv:%ld: lost row fields", line);
            ds->status[id - 1] = ST_LOST;
        } else if (!strcmp(f[1], "open")) {
            if (*f[2] || *f[3]) PROBLEM(ds, "outcomes.csv:%ld: open row fields", line);
            ds->status[id - 1] = ST_OPEN;
        } else {
            PROBLEM(ds, "outcomes.csv:%ld: status %s", line, f[1]);
        }
        if (*f[2]) {
            if (c < ds->created[id - 1] || c >= T_END)
                PROBLEM(ds, "outcomes.csv:%ld: closed_at %s", line, f[2]);
            ds->closed[id - 1] = c;
        }
        p = nl + 1;
    }
}

/* Generate n leads with seed into a fresh folder (two levels below a temporary
 * folder, so parent creation is exercised too) and parse everything. */
static dataset *dataset_make(long n, unsigned long seed) {
    dataset *ds = calloc(1, sizeof *ds);
    assert_non_null(ds);
    ds->dir = tmpdir_make();
    ds->n = n;
    char *out = path_join(ds->dir, "a/b");
    gen_opts o = {n, seed};
    util_err err = {0, ""};
    int rc = gen_write(out, &o, &err);
    if (rc) fprintf(stderr, "gen_write: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(count_entries(out), 4);
    ds->created = calloc((size_t)n, sizeof *ds->created);
    ds->retail = calloc((size_t)n, sizeof *ds->retail);
    ds->webinars = calloc((size_t)n, sizeof *ds->webinars);
    ds->n_events = calloc((size_t)n, sizeof *ds->n_events);
    ds->status = calloc((size_t)n, sizeof *ds->status);
    ds->last_event = calloc((size_t)n, sizeof *ds->last_event);
    ds->closed = calloc((size_t)n, sizeof *ds->closed);
    assert_true(ds->created && ds->retail && ds->webinars && ds->n_events && ds->status &&
                ds->closed && ds->last_event);
    size_t len;
    char *text = slurp(out, "leads.csv", &len);
    assert_non_null(text);
    parse_leads(ds, text, len);
    free(text);
    if (!ds->problem[0]) {
        text = slurp(out, "events.csv", &len);
        assert_non_null(text);
        parse_events(ds, text, len);
        free(text);
    }
    if (!ds->problem[0]) {
        text = slurp(out, "outcomes.csv", &len);
        assert_non_null(text);
        parse_outcomes(ds, text, len);
        free(text);
    }
    text = slurp(out, "README.txt", &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "leadsim gen --out DIR --leads"));
    free(text);
    free(out);
    return ds;
}

static void dataset_free(dataset *ds) {
    if (!ds) return;
    tmpdir_remove(ds->dir);
    free(ds->created);
    free(ds->retail);
    free(ds->webinars);
    free(ds->n_events);
    free(ds->status);
    free(ds->closed);
    free(ds->last_event);
    free(ds);
}

static int group_setup(void **state) {
    *state = dataset_make(20000, 1);
    return 0;
}

static int group_teardown(void **state) {
    dataset_free(*state);
    return 0;
}

/* ---------------------------- Tests on one dataset ---------------------------- */

static void test_format_and_consistency(void **state) {
    dataset *ds = *state;
    if (ds->problem[0]) fprintf(stderr, "problem: %s\n", ds->problem);
    assert_string_equal(ds->problem, "");
}

static void test_event_volume(void **state) {
    dataset *ds = *state;
    assert_string_equal(ds->problem, "");
    double mean = (double)ds->events / (double)ds->n;
    assert_true(mean > 25 && mean < 35);
    long few = 0, many = 0;
    for (long i = 0; i < ds->n; i++) {
        few += ds->n_events[i] <= 5;
        many += ds->n_events[i] >= 100;
    }
    assert_true(few > ds->n / 10);   /* heavy tail: many leads with a handful */
    assert_true(many > ds->n / 100); /* and some with 100 or more */
}

static void test_rates(void **state) {
    dataset *ds = *state;
    assert_string_equal(ds->problem, "");
    long won = 0, lost = 0, open_rows = 0, open = 0, weekend = 0, dec = 0, dec_open = 0;
    long month[24] = {0};
    for (long i = 0; i < ds->n; i++) {
        int s = ds->status[i];
        won += s == ST_WON;
        lost += s == ST_LOST;
        open_rows += s == ST_OPEN;
        open += s == ST_NONE || s == ST_OPEN;
        int64_t day = ds->created[i] / 86400;
        int dow = (int)((day + 3) % 7); /* Monday 0 */
        weekend += dow >= 5;
        if (ds->created[i] >= T_DEC_2025) {
            dec++;
            dec_open += s == ST_NONE || s == ST_OPEN;
        }
        for (int m = 23; m >= 0; m--) { /* month index from 2024-01 */
            int64_t first = days_from_civil(2024 + m / 12, (unsigned)(m % 12 + 1), 1) * 86400;
            if (ds->created[i] >= first) {
                month[m]++;
                break;
            }
        }
    }
    double n = (double)ds->n;
    assert_true(won / n >= 0.05 && won / n <= 0.15);
    assert_true(lost / n >= 0.20 && lost / n <= 0.40);
    assert_true(open_rows > 0 && open_rows < open / 20); /* ~2% of open leads */
    assert_true(weekend / n < 0.15);                      /* far fewer at weekends */
    assert_true(dec > 0 && dec_open > dec * 8 / 10);      /* late leads mostly open */
    /* campaign months: March and October above their neighbours, both years */
    for (int y = 0; y < 2; y++) {
        assert_true(month[12 * y + 2] * 2 > (month[12 * y + 1] + month[12 * y + 3]) * 13 / 10);
        assert_true(month[12 * y + 9] * 2 > (month[12 * y + 8] + month[12 * y + 10]) * 13 / 10);
    }
}

/* Won deals typically close 20-120 days after creation, and many closed
 * leads have events after closed_at (which a replay must cut off). */
static void test_close_lags(void **state) {
    dataset *ds = *state;
    assert_string_equal(ds->problem, "");
    long won = 0, mid = 0, closed = 0, after = 0;
    for (long i = 0; i < ds->n; i++) {
        if (ds->status[i] == ST_WON || ds->status[i] == ST_LOST) {
            closed++;
            after += ds->n_events[i] > 0 && ds->last_event[i] >= ds->closed[i];
        }
        if (ds->status[i] != ST_WON) continue;
        double days = (double)(ds->closed[i] - ds->created[i]) / 86400;
        won++;
        mid += days >= 20 && days <= 120;
    }
    assert_true(won > 0);
    assert_true(mid > won * 8 / 10);
    assert_true(after > closed / 10);
}

/* Share of won among leads with >= 2 webinars minus among leads with none, for
 * leads created in [from, to). */
static double webinar_lift(const dataset *ds, int64_t from, int64_t to) {
    long with = 0, with_won = 0, without = 0, without_won = 0;
    for (long i = 0; i < ds->n; i++) {
        if (ds->created[i] < from || ds->created[i] >= to) continue;
        int won = ds->status[i] == ST_WON;
        if (ds->webinars[i] >= 2) {
            with++;
            with_won += won;
        } else if (ds->webinars[i] == 0) {
            without++;
            without_won += won;
        }
    }
    assert_true(with > 100 && without > 100);
    return (double)with_won / (double)with - (double)without_won / (double)without;
}

static double retail_won(const dataset *ds, int64_t from, int64_t to) {
    long n = 0, won = 0;
    for (long i = 0; i < ds->n; i++)
        if (ds->retail[i] && ds->created[i] >= from && ds->created[i] < to) {
            n++;
            won += ds->status[i] == ST_WON;
        }
    assert_true(n > 100);
    return (double)won / (double)n;
}

static void test_drift(void **state) {
    dataset *ds = *state;
    assert_string_equal(ds->problem, "");
    double h1 = webinar_lift(ds, T_H1_2025, T_H2_2025);
    double h2 = webinar_lift(ds, T_H2_2025, T_END);
    assert_true(h1 > 0.10);      /* webinars predict wins in 2025-H1 ... */
    assert_true(h2 < 0.08);      /* ... much less in 2025-H2 */
    assert_true(h1 - h2 > 0.08);
    /* retail turns good from 2025-07-01 (Q3 only: Q4 deals are still open) */
    assert_true(retail_won(ds, T_H2_2025, T_Q4_2025) > retail_won(ds, T_H1_2025, T_H2_2025) + 0.05);
}

/* ---------------------------- Determinism ---------------------------- */

static void gen_into(const char *dir, long n, unsigned long seed) {
    gen_opts o = {n, seed};
    util_err err = {0, ""};
    int rc = gen_write(dir, &o, &err);
    if (rc) fprintf(stderr, "gen_write: %s\n", err.msg);
    assert_int_equal(rc, 0);
}

static int same_file(const char *d1, const char *d2, const char *name) {
    size_t l1, l2;
    char *a = slurp(d1, name, &l1), *b = slurp(d2, name, &l2);
    assert_non_null(a);
    assert_non_null(b);
    int same = l1 == l2 && !memcmp(a, b, l1);
    free(a);
    free(b);
    return same;
}

static void test_same_seed_same_bytes(void **state) {
    (void)state;
    char *d1 = tmpdir_make(), *d2 = tmpdir_make();
    gen_into(d1, 3000, 42);
    gen_into(d2, 3000, 42);
    assert_int_equal(count_entries(d1), 4); /* no temporary left */
    static const char *const files[] = {"leads.csv", "events.csv", "outcomes.csv", "README.txt"};
    for (int i = 0; i < 4; i++) assert_true(same_file(d1, d2, files[i]));
    tmpdir_remove(d1);
    tmpdir_remove(d2);
}

static void test_different_seed(void **state) {
    (void)state;
    char *d1 = tmpdir_make(), *d2 = tmpdir_make();
    gen_into(d1, 3000, 42);
    gen_into(d2, 3000, 43);
    assert_false(same_file(d1, d2, "leads.csv"));
    assert_false(same_file(d1, d2, "events.csv"));
    tmpdir_remove(d1);
    tmpdir_remove(d2);
}

/* Overwriting an existing dataset replaces it. */
static void test_small_and_overwrite(void **state) {
    (void)state;
    char *d = tmpdir_make();
    for (long n = 1; n <= 5; n += 2) {
        gen_into(d, n, 7);
        size_t len;
        char *t = slurp(d, "leads.csv", &len);
        assert_non_null(t);
        long lines = 0;
        for (size_t i = 0; i < len; i++) lines += t[i] == '\n';
        assert_int_equal(lines, n + 1);
        assert_non_null(strstr(t, "\nL0000001,"));
        free(t);
        assert_int_equal(count_entries(d), 4);
    }
    tmpdir_remove(d);
}

/* ---------------------------- Failures ---------------------------- */

static void test_bad_arguments(void **state) {
    (void)state;
    char *d = tmpdir_make();
    char *out = path_join(d, "x");
    util_err err = {0, ""};
    gen_opts o = {0, 1};
    assert_int_equal(gen_write(out, &o, &err), -1);
    assert_int_equal(err.code, UTIL_EUSAGE);
    o.leads = GEN_MAX_LEADS + 1;
    assert_int_equal(gen_write(out, &o, &err), -1);
    assert_int_equal(err.code, UTIL_EUSAGE);
#if ULONG_MAX > 4294967295UL
    o.leads = 10;
    o.seed = GEN_MAX_SEED + 1;
    assert_int_equal(gen_write(out, &o, &err), -1);
    assert_int_equal(err.code, UTIL_EUSAGE);
#endif
    o.leads = 10;
    o.seed = 1;
    assert_int_equal(gen_write("", &o, &err), -1);
    assert_int_equal(err.code, UTIL_EUSAGE);
    assert_int_equal(count_entries(d), 0); /* nothing created */

    /* a folder below a regular file cannot be made */
    char *file = path_join(d, "plain");
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    assert_int_equal(fclose(fp), 0);
    char *below = path_join(file, "sub");
    assert_int_equal(gen_write(below, &o, &err), -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_non_null(strstr(err.msg, file));
    free(below);
    free(file);
    free(out);
    tmpdir_remove(d);
}

/* A write that fails midway (file size limit) gives UTIL_EIO and leaves no
 * file, temporary or final. */
static void test_write_failure(void **state) {
    (void)state;
    char *d = tmpdir_make();
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 256 * 1024;
    void (*old_sig)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    gen_opts o = {5000, 3};
    util_err err = {0, ""};
    int rc = gen_write(d, &o, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_sig);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, UTIL_EIO);
    assert_non_null(strstr(err.msg, "cannot write"));
    assert_int_equal(count_entries(d), 0);
    tmpdir_remove(d);
}

int main(void) {
    const struct CMUnitTest on_dataset[] = {
        cmocka_unit_test(test_format_and_consistency),
        cmocka_unit_test(test_event_volume),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_close_lags),
        cmocka_unit_test(test_drift),
    };
    const struct CMUnitTest standalone[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_different_seed),
        cmocka_unit_test(test_small_and_overwrite),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_write_failure),
    };
    int failed = cmocka_run_group_tests_name("gen on 20000 leads", on_dataset, group_setup,
                                             group_teardown);
    failed += cmocka_run_group_tests_name("gen", standalone, NULL, NULL);
    return failed;
}
