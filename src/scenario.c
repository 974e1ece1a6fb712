/* scenario.c - reading and validating scenario files (SPEC 4).
 *
 * The file is read once through inifile; each key is checked as it arrives so
 * that an error names the line it is on. Checks that need the whole file
 * (a capacity objective without [sales], from after to) run at the end and
 * name the line of the key concerned. */
#include "scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bizcal.h"
#include "fileio.h"
#include "inifile.h"
#include "suggest.h"
#include "tstamp.h"

typedef struct loader {
    scenario *sc;
    const char *path;
    size_t cap_beh, cap_lim, cap_fit, cap_rules, cap_fast, cap_hol;
    scenario_fit *cur_fit; /* the [fit X] section being read */
    long line_name, line_from, line_to, line_until, line_objective, line_recycle;
    long line_fit_threshold, line_half_life, line_maturity;
    /* keys seen once only */
    unsigned seen;
} loader;

enum {
    SEEN_NAME = 1u << 0, SEEN_DESC = 1u << 1, SEEN_DATA = 1u << 2, SEEN_HALF = 1u << 3,
    SEEN_THR = 1u << 4, SEEN_FTHR = 1u << 5, SEEN_FAST = 1u << 6, SEEN_REPS = 1u << 7,
    SEEN_FPD = 1u << 8, SEEN_SLA = 1u << 9, SEEN_BH = 1u << 10, SEEN_OFF = 1u << 11,
    SEEN_RECYCLE = 1u << 12, SEEN_FROM = 1u << 13, SEEN_TO = 1u << 14, SEEN_UNTIL = 1u << 15,
    SEEN_MAT = 1u << 16, SEEN_OBJ = 1u << 17, SEEN_HOL = 1u << 18, SEEN_HOLF = 1u << 19,
    SEEN_HORIZON = 1u << 20
};

/* ---------------------------- Value parsers ---------------------------- */

int scenario_name_ok(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 100) return 0;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') return 0;
    return 1;
}

static int push_number(double **vals, size_t *n, size_t *cap, double v) {
    if (util_grow((void **)vals, cap, *n + 1, sizeof **vals) < 0) return -1;
    (*vals)[(*n)++] = v;
    return 0;
}

/* Points, limits and thresholds are at most this large in magnitude: sums
 * of them over any history stay finite and exact enough to compare. */
#define MAX_POINTS 1e12

/* 1 (and why filled, naming the number as written) when v is out of range. */
static int too_large(double v, const char *text, char *why, size_t nwhy) {
    if (fabs(v) <= MAX_POINTS) return 0;
    while (*text == ' ' || *text == '\t') text++;
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
    snprintf(why, nwhy, "%.*s is out of range (-1e12 to 1e12)", (int)(n < 60 ? n : 60), text);
    return 1;
}

/* Longest list a range may expand to: enough for any real sweep, small enough
 * that a typo such as `step 0.0000001` is an error instead of a hang. */
#define MAX_RANGE_VALUES 100000

int scenario_parse_numbers(const char *text, double **vals, size_t *nvals, char *why,
                           size_t nwhy) {
    char *s = util_strdup(text);
    double *out = NULL;
    size_t n = 0, cap = 0;
    if (!s) goto nomem;
    util_trim(s);
    char *dots = strstr(s, "..");
    if (dots) {
        /* LO..HI step S */
        *dots = '\0';
        char *rest = dots + 2;
        char *step = strstr(rest, "step");
        if (!step) {
            snprintf(why, nwhy, "a range needs a step: LO..HI step S");
            goto fail;
        }
        *step = '\0';
        double lo, hi, st;
        if (util_parse_double(s, &lo) < 0 || util_parse_double(rest, &hi) < 0 ||
            util_parse_double(step + 4, &st) < 0) {
            snprintf(why, nwhy, "expected LO..HI step S with finite numbers");
            goto fail;
        }
        if (too_large(lo, s, why, nwhy) || too_large(hi, rest, why, nwhy)) goto fail;
        if (!(st > 0)) {
            snprintf(why, nwhy, "step must be greater than 0");
            goto fail;
        }
        if (hi < lo) {
            snprintf(why, nwhy, "range end is below its start");
            goto fail;
        }
        double count = floor((hi - lo) / st + 1e-9);
        if (count + 1 > MAX_RANGE_VALUES) {
            snprintf(why, nwhy, "range has more than %d values", MAX_RANGE_VALUES);
            goto fail;
        }
        for (long i = 0; i <= (long)count; i++) {
            /* lo + i*step carries binary noise (0.1*3 = 0.30000000000000004);
             * the values a user means have at most 12 significant digits. */
            char t[40];
            snprintf(t, sizeof t, "%.12g", lo + (double)i * st);
            if (push_number(&out, &n, &cap, strtod(t, NULL)) < 0) goto nomem;
        }
    } else {
        /* "1,,2", ",1" and "1," leave empty items that strtok would skip */
        size_t len = strlen(s);
        if (len && (s[0] == ',' || s[len - 1] == ',' || strstr(s, ",,"))) {
            snprintf(why, nwhy, "empty item in the list");
            goto fail;
        }
        char *save = NULL;
        for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            double v;
            if (util_parse_double(tok, &v) < 0) {
                snprintf(why, nwhy, "'%s' is not a finite number", util_trim(tok));
                goto fail;
            }
            if (too_large(v, tok, why, nwhy)) goto fail;
            if (push_number(&out, &n, &cap, v) < 0) goto nomem;
        }
        if (n == 0) {
            snprintf(why, nwhy, "a number is required");
            goto fail;
        }
    }
    free(s);
    *vals = out;
    *nvals = n;
    return 0;
nomem:
    snprintf(why, nwhy, "out of memory");
    free(s);
    free(out);
    return -2;
fail:
    free(s);
    free(out);
    return -1;
}

void scenario_rule_fini(scenario_rule *rule) {
    if (!rule) return;
    for (size_t i = 0; i < rule->nterms; i++) free(rule->terms[i].type);
    free(rule->terms);
    free(rule->text);
    memset(rule, 0, sizeof *rule);
}

/* Find " and " (any blank around the word) starting at s. */
static char *find_and(char *s) {
    for (char *p = s; *p; p++) {
        if ((p == s || p[-1] == ' ' || p[-1] == '\t') && strncmp(p, "and", 3) == 0 &&
            (p[3] == ' ' || p[3] == '\t'))
            return p;
    }
    return NULL;
}

int scenario_parse_rule(const char *text, scenario_rule *rule, char *why, size_t nwhy) {
    memset(rule, 0, sizeof *rule);
    char *s = util_strdup(text);
    size_t cap = 0;
    if (!s || !(rule->text = util_strdup(text))) goto nomem;
    util_trim(s);
    util_trim(rule->text);

    /* optional trailing "within Dd" */
    char *w = NULL;
    for (char *p = s; (p = strstr(p, "within")) != NULL; p++)
        if ((p == s || p[-1] == ' ' || p[-1] == '\t')) w = p;
    if (w) {
        char *d = w + 6;
        if (*d != ' ' && *d != '\t') w = NULL;
    }
    if (w) {
        char num[64];
        char *d = w + 6;
        while (*d == ' ' || *d == '\t') d++;
        size_t k = 0;
        while (*d && (isdigit((unsigned char)*d) || *d == '.') && k < sizeof num - 1) num[k++] = *d++;
        num[k] = '\0';
        while (*d == ' ' || *d == '\t') d++;
        int unit_ok = strcmp(d, "d") == 0 || strcmp(d, "day") == 0 || strcmp(d, "days") == 0;
        double days;
        if (!unit_ok || util_parse_double(num, &days) < 0 || !(days > 0)) {
            snprintf(why, nwhy, "expected 'within Nd' with N > 0 days at the end of the rule");
            goto fail;
        }
        rule->has_within = 1;
        rule->within_days = days;
        *w = '\0';
    }

    char *p = s;
    for (;;) {
        char *next = find_and(p);
        if (next) *next = '\0';
        char *ge = strstr(p, ">=");
        if (!ge) {
            snprintf(why, nwhy, "expected terms 'TYPE >= N' joined by 'and'");
            goto fail;
        }
        *ge = '\0';
        char *type = util_trim(p);
        long nmin;
        if (*type == '\0') {
            snprintf(why, nwhy, "missing event type before '>='");
            goto fail;
        }
        if (util_parse_long(ge + 2, &nmin) < 0 || nmin < 1 || nmin > 1000000) {
            snprintf(why, nwhy, "the count after '>=' must be a whole number from 1 to 1000000");
            goto fail;
        }
        if (util_grow((void **)&rule->terms, &cap, rule->nterms + 1, sizeof *rule->terms) < 0)
            goto nomem;
        rule->terms[rule->nterms].n = nmin;
        if (!(rule->terms[rule->nterms].type = util_strdup(type))) goto nomem;
        rule->nterms++;
        if (!next) break;
        p = next + 3;
    }
    free(s);
    return 0;
nomem:
    snprintf(why, nwhy, "out of memory");
    free(s);
    scenario_rule_fini(rule);
    return -2;
fail:
    free(s);
    scenario_rule_fini(rule);
    return -1;
}

/* Parse "HH:MM" into minutes after midnight (24:00 allowed as an end). */
static int parse_hhmm(const char *s, int *min) {
    int h, m;
    char extra;
    if (sscanf(s, "%2d:%2d%c", &h, &m, &extra) != 2) return -1;
    if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) return -1;
    *min = h * 60 + m;
    return 0;
}

/* ---------------------------- Key handlers ---------------------------- */

#define FAIL(...) util_errf(err, UTIL_EDATA, __VA_ARGS__)

static int once(loader *ld, unsigned bit, const char *key, long line, util_err *err) {
    if (ld->seen & bit)
        return FAIL("%s:%ld: '%s' is given twice", ld->path, line, key);
    ld->seen |= bit;
    return 0;
}

static int number_in(loader *ld, const char *key, const char *value, long line, double lo,
                     double hi, double *out, util_err *err) {
    double v;
    if (util_parse_double(value, &v) < 0)
        return FAIL("%s:%ld: %s: '%s' is not a finite number", ld->path, line, key, value);
    if (v < lo || v > hi)
        return FAIL("%s:%ld: %s: %s is out of range (%g to %g)", ld->path, line, key, value, lo,
                    hi);
    *out = v;
    return 0;
}

/* A number in (0, hi]: counts and durations, bounded so that what is
 * computed from them (capacity, times in microseconds) stays finite. */
static int positive(loader *ld, const char *key, const char *value, long line, double hi,
                    double *out, util_err *err) {
    double v;
    if (util_parse_double(value, &v) < 0)
        return FAIL("%s:%ld: %s: '%s' is not a finite number", ld->path, line, key, value);
    if (!(v > 0)) return FAIL("%s:%ld: %s must be greater than 0", ld->path, line, key);
    if (v > hi)
        return FAIL("%s:%ld: %s: %s is out of range (above 0, at most %g)", ld->path, line, key,
                    value, hi);
    *out = v;
    return 0;
}

/* reps and follow-ups are counts of people and calls: v (already in range)
 * must be a whole number. */
static int whole(loader *ld, const char *key, const char *value, long line, double v,
                 util_err *err) {
    if (v != floor(v))
        return FAIL("%s:%ld: %s: %s is not a whole number", ld->path, line, key, value);
    return 0;
}

/* VALUE resolved against the scenario's folder (an absolute path as it is),
 * in a new string; NULL when memory runs out. */
static char *relative_path(const loader *ld, const char *value) {
    if (value[0] == '/') return util_strdup(value);
    const char *slash = strrchr(ld->path, '/');
    size_t dirlen = slash ? (size_t)(slash - ld->path + 1) : 0;
    char *p = util_malloc(dirlen + strlen(value) + 1);
    if (!p) return NULL;
    memcpy(p, ld->path, dirlen);
    strcpy(p + dirlen, value);
    return p;
}

/* The largest holidays file read: a date a line is 11 bytes, so a million
 * bytes hold every date of 250 years. */
#define MAX_HOLIDAYS_FILE (1u << 20)

/* holidays_file = VALUE at line: read the file (one YYYY-MM-DD a line), add
 * its dates. A file that cannot be read names the key's line and the file;
 * a bad line names the file's own line. */
static int read_holidays(loader *ld, const char *value, long line, util_err *err) {
    scenario *sc = ld->sc;
    if (*value == '\0') return FAIL("%s:%ld: holidays_file needs a file path", ld->path, line);
    if (!(sc->holidays_file = relative_path(ld, value))) return util_enomem(err);
    char *text;
    size_t len;
    util_err why = {0, ""};
    if (fileio_read_all(sc->holidays_file, MAX_HOLIDAYS_FILE, &text, &len, &why) < 0) {
        /* out of memory is no fault of the file: the plain message, without the key's line */
        if (why.code == UTIL_EINTERNAL) return util_enomem(err);
        return util_errf(err, why.code, "%s:%ld: holidays_file: %s", ld->path, line, why.msg);
    }
    char reason[120];
    long bad = 0;
    int rc = bizcal_parse_lines(text, len, &sc->holidays, &sc->nholidays, &ld->cap_hol, &bad,
                                reason, sizeof reason);
    free(text);
    if (rc == -2) return util_enomem(err);
    if (rc < 0) return FAIL("%s:%ld: %s", sc->holidays_file, bad, reason);
    return 0;
}

static int timestamp(loader *ld, const char *key, const char *value, long line, int64_t *out,
                     util_err *err) {
    if (tstamp_parse(value, strlen(value), out) < 0)
        return FAIL("%s:%ld: %s: '%s' is not a timestamp (YYYY-MM-DD[ HH:MM[:SS]][Z|+HH:MM])",
                    ld->path, line, key, value);
    return 0;
}

static int add_points(loader *ld, scenario_points **arr, size_t *n, size_t *cap,
                      const char *section, const char *key, const char *value, long line,
                      util_err *err) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i].type, key) == 0)
            return FAIL("%s:%ld: '%s' is given twice in [%s]", ld->path, line, key, section);
    char why[160];
    double *vals;
    size_t nvals;
    int rc = scenario_parse_numbers(value, &vals, &nvals, why, sizeof why);
    if (rc == -2) return util_enomem(err);
    if (rc < 0) return FAIL("%s:%ld: [%s] %s: %s", ld->path, line, section, key, why);
    if (util_grow((void **)arr, cap, *n + 1, sizeof **arr) < 0) {
        free(vals);
        return util_enomem(err);
    }
    scenario_points *pt = &(*arr)[*n];
    pt->type = util_strdup(key);
    if (!pt->type) {
        free(vals);
        return util_enomem(err);
    }
    pt->vals = vals;
    pt->nvals = nvals;
    pt->line = line;
    (*n)++;
    return 0;
}

/* Split "a, b, c" into new strings appended to *list. */
static int add_names(loader *ld, char ***list, size_t *n, size_t *cap, const char *key,
                     const char *value, long line, util_err *err) {
    char *s = util_strdup(value);
    if (!s) return util_enomem(err);
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        util_trim(tok);
        if (*tok == '\0') continue;
        if (util_grow((void **)list, cap, *n + 1, sizeof **list) < 0 ||
            !((*list)[*n] = util_strdup(tok))) {
            free(s);
            return util_enomem(err);
        }
        (*n)++;
    }
    free(s);
    if (*n == 0) return FAIL("%s:%ld: %s needs at least one event type", ld->path, line, key);
    return 0;
}

static int on_scenario_key(loader *ld, const char *key, const char *value, long line,
                           util_err *err) {
    scenario *sc = ld->sc;
    if (strcmp(key, "name") == 0) {
        if (once(ld, SEEN_NAME, key, line, err) < 0) return -1;
        if (!scenario_name_ok(value))
            return FAIL("%s:%ld: name '%s' may hold only letters, digits, '-', '_' and '.' "
                        "(it names the results folder)",
                        ld->path, line, value);
        ld->line_name = line;
        sc->name_line = line;
        return (sc->name = util_strdup(value)) ? 0 : util_enomem(err);
    }
    if (strcmp(key, "description") == 0) {
        if (once(ld, SEEN_DESC, key, line, err) < 0) return -1;
        return (sc->description = util_strdup(value)) ? 0 : util_enomem(err);
    }
    if (strcmp(key, "data") == 0) {
        if (once(ld, SEEN_DATA, key, line, err) < 0) return -1;
        if (*value == '\0') return FAIL("%s:%ld: data needs a dataset path", ld->path, line);
        return (sc->data = relative_path(ld, value)) ? 0 : util_enomem(err);
    }
    return FAIL("%s:%ld: unknown key '%s' in [scenario]", ld->path, line, key);
}

static int fit_add_line(loader *ld, scenario_fit *f, const char *key, const char *value,
                        long line, util_err *err) {
    double pts;
    char why[160];
    if (strcmp(key, "case") == 0) { /* how values match: not a value of its own */
        if (strcmp(value, "insensitive") != 0 && strcmp(value, "sensitive") != 0)
            return FAIL("%s:%ld: [fit %s] case must be insensitive or sensitive", ld->path, line,
                        f->column);
        f->nocase = value[0] == 'i';
        return 0;
    }
    if (util_parse_double(value, &pts) < 0) {
        double *vals = NULL;
        size_t nvals = 0;
        int list = scenario_parse_numbers(value, &vals, &nvals, why, sizeof why) == 0 && nvals > 1;
        free(vals);
        if (list)
            return FAIL("%s:%ld: [fit %s] %s: a list or range of points is a candidate grid, and "
                        "tune searches grids in [behaviour] only: give one value",
                        ld->path, line, f->column, key);
        return FAIL("%s:%ld: [fit %s] %s: '%s' is not a finite number", ld->path, line,
                    f->column, key, value);
    }
    if (too_large(pts, value, why, sizeof why))
        return FAIL("%s:%ld: [fit %s] %s: %s", ld->path, line, f->column, key, why);
    if (strcmp(key, "default") == 0) {
        if (f->has_default) return FAIL("%s:%ld: 'default' is given twice in [fit %s]", ld->path, line, f->column);
        f->has_default = 1;
        f->def = pts;
        return 0;
    }
    if (strcmp(key, "per_unit") == 0 || strcmp(key, "max") == 0) {
        int is_max = key[0] == 'm';
        if (is_max ? f->has_max : f->has_per_unit)
            return FAIL("%s:%ld: '%s' is given twice in [fit %s]", ld->path, line, key, f->column);
        if (f->nlines)
            return FAIL("%s:%ld: [fit %s] mixes per_unit/max with value or range lines", ld->path,
                        line, f->column);
        if (is_max) f->has_max = 1, f->max = pts;
        else f->has_per_unit = 1, f->per_unit = pts, f->per_unit_line = line;
        return 0;
    }
    if (f->has_per_unit || f->has_max)
        return FAIL("%s:%ld: [fit %s] mixes per_unit/max with value or range lines", ld->path,
                    line, f->column);
    for (size_t i = 0; i < f->nlines; i++)
        if (f->lines[i].kind == SCENARIO_FIT_VALUE && strcmp(f->lines[i].value, key) == 0)
            return FAIL("%s:%ld: '%s' is given twice in [fit %s]", ld->path, line, key, f->column);
    if (util_grow((void **)&f->lines, &f->cap, f->nlines + 1, sizeof *f->lines) < 0)
        return util_enomem(err);
    scenario_fitline *fl = &f->lines[f->nlines];
    memset(fl, 0, sizeof *fl);
    fl->points = pts;
    fl->line = line;
    if (!(fl->key = util_strdup(key))) return util_enomem(err);
    f->nlines++; /* owned from here on, whatever happens next */
    const char *dots = strstr(key, "..");
    if (dots) {
        /* LO..HI, either side may be empty; both sides must be numbers. */
        char lo[128], hi[128];
        size_t nlo = (size_t)(dots - key);
        if (nlo >= sizeof lo || strlen(dots + 2) >= sizeof hi)
            return FAIL("%s:%ld: [fit %s] range '%s' is too long", ld->path, line, f->column, key);
        memcpy(lo, key, nlo);
        lo[nlo] = '\0';
        strcpy(hi, dots + 2);
        util_trim(lo);
        util_trim(hi);
        fl->kind = SCENARIO_FIT_RANGE;
        fl->has_lo = lo[0] != '\0';
        fl->has_hi = hi[0] != '\0';
        if ((fl->has_lo && util_parse_double(lo, &fl->lo) < 0) ||
            (fl->has_hi && util_parse_double(hi, &fl->hi) < 0))
            return FAIL("%s:%ld: [fit %s] range '%s' needs numbers: LO..HI, ..HI or LO..",
                        ld->path, line, f->column, key);
        if (fl->has_lo && fl->has_hi && !(fl->lo < fl->hi))
            return FAIL("%s:%ld: [fit %s] range '%s' is empty (LO must be below HI)", ld->path,
                        line, f->column, key);
    } else {
        fl->kind = SCENARIO_FIT_VALUE;
        if (!(fl->value = util_strdup(key))) return util_enomem(err);
    }
    return 0;
}

static int on_mql_key(loader *ld, const char *key, const char *value, long line,
                      util_err *err) {
    scenario *sc = ld->sc;
    char why[200];
    if (strcmp(key, "threshold") == 0 || strcmp(key, "fit_threshold") == 0) {
        int fitt = key[0] == 'f';
        if (once(ld, fitt ? SEEN_FTHR : SEEN_THR, key, line, err) < 0) return -1;
        double *vals;
        size_t n;
        int rc = scenario_parse_numbers(value, &vals, &n, why, sizeof why);
        if (rc == -2) return util_enomem(err);
        if (rc < 0) return FAIL("%s:%ld: %s: %s", ld->path, line, key, why);
        if (fitt) {
            sc->fit_thresholds = vals;
            sc->nfit_thresholds = n;
            ld->line_fit_threshold = line;
        } else {
            sc->thresholds = vals;
            sc->nthresholds = n;
            sc->threshold_line = line;
        }
        return 0;
    }
    if (strcmp(key, "fast_track") == 0) {
        if (once(ld, SEEN_FAST, key, line, err) < 0) return -1;
        sc->fast_track_line = line;
        return add_names(ld, &sc->fast_track, &sc->nfast_track, &ld->cap_fast, key, value, line,
                         err);
    }
    if (strcmp(key, "rule") == 0) {
        if (util_grow((void **)&sc->rules, &ld->cap_rules, sc->nrules + 1, sizeof *sc->rules) < 0)
            return util_enomem(err);
        int rc = scenario_parse_rule(value, &sc->rules[sc->nrules], why, sizeof why);
        if (rc == -2) return util_enomem(err);
        if (rc < 0) return FAIL("%s:%ld: rule '%s': %s", ld->path, line, value, why);
        sc->rules[sc->nrules++].line = line;
        return 0;
    }
    return FAIL("%s:%ld: unknown key '%s' in [mql]", ld->path, line, key);
}

static int on_sales_key(loader *ld, const char *key, const char *value, long line,
                        util_err *err) {
    scenario *sc = ld->sc;
    sc->has_sales = 1;
    if (strcmp(key, "reps") == 0) {
        if (once(ld, SEEN_REPS, key, line, err) < 0) return -1;
        if (number_in(ld, key, value, line, 1, 1e6, &sc->reps, err) < 0) return -1;
        return whole(ld, key, value, line, sc->reps, err);
    }
    if (strcmp(key, "followups_per_rep_per_day") == 0) {
        if (once(ld, SEEN_FPD, key, line, err) < 0) return -1;
        if (positive(ld, key, value, line, 1e6, &sc->followups_per_rep_per_day, err) < 0)
            return -1;
        return whole(ld, key, value, line, sc->followups_per_rep_per_day, err);
    }
    if (strcmp(key, "sla_business_hours") == 0) {
        if (once(ld, SEEN_SLA, key, line, err) < 0) return -1;
        sc->has_sla = 1;
        return positive(ld, key, value, line, 1e6, &sc->sla_business_hours, err);
    }
    if (strcmp(key, "holidays") == 0) {
        if (once(ld, SEEN_HOL, key, line, err) < 0) return -1;
        char why[120];
        int rc = bizcal_parse_list(value, &sc->holidays, &sc->nholidays, &ld->cap_hol, why,
                                   sizeof why);
        if (rc == -2) return util_enomem(err);
        if (rc < 0) return FAIL("%s:%ld: holidays: %s", ld->path, line, why);
        return 0;
    }
    if (strcmp(key, "holidays_file") == 0) {
        if (once(ld, SEEN_HOLF, key, line, err) < 0) return -1;
        return read_holidays(ld, value, line, err);
    }
    if (strcmp(key, "business_hours") == 0) {
        if (once(ld, SEEN_BH, key, line, err) < 0) return -1;
        char a[32], b[32];
        const char *dash = strchr(value, '-');
        if (!dash || (size_t)(dash - value) >= sizeof a || strlen(dash + 1) >= sizeof b)
            return FAIL("%s:%ld: business_hours: expected HH:MM-HH:MM, e.g. 09:00-17:00", ld->path, line);
        memcpy(a, value, (size_t)(dash - value));
        a[dash - value] = '\0';
        strcpy(b, dash + 1);
        if (parse_hhmm(util_trim(a), &sc->bh_start_min) < 0 ||
            parse_hhmm(util_trim(b), &sc->bh_end_min) < 0 || sc->bh_start_min >= sc->bh_end_min)
            return FAIL("%s:%ld: business_hours: expected HH:MM-HH:MM (e.g. 09:00-17:00) with the start before the end",
                        ld->path, line);
        return 0;
    }
    if (strcmp(key, "utc_offset") == 0) {
        if (once(ld, SEEN_OFF, key, line, err) < 0) return -1;
        int h, m;
        char sign, extra;
        double hours;
        if (sscanf(value, "%c%2d:%2d%c", &sign, &h, &m, &extra) == 3 &&
            (sign == '+' || sign == '-') && value[1] >= '0' && value[1] <= '9' &&
            value[2] >= '0' && value[2] <= '9' && value[3] == ':' && value[4] >= '0' &&
            value[4] <= '9' && h <= 14 && m <= 59) {
            sc->utc_offset_min = (sign == '-' ? -1 : 1) * (h * 60 + m);
            return 0;
        }
        if (util_parse_double(value, &hours) == 0 && hours >= -14 && hours <= 14) {
            sc->utc_offset_min = (int)lround(hours * 60);
            return 0;
        }
        return FAIL("%s:%ld: utc_offset: expected +HH:MM, -HH:MM or hours from -14 to 14",
                    ld->path, line);
    }
    if (strcmp(key, "recycle_after_days") == 0) {
        if (once(ld, SEEN_RECYCLE, key, line, err) < 0) return -1;
        sc->has_recycle = 1;
        ld->line_recycle = line;
        return positive(ld, key, value, line, 36500, &sc->recycle_after_days, err);
    }
    return FAIL("%s:%ld: unknown key '%s' in [sales]", ld->path, line, key);
}

static int on_evaluation_key(loader *ld, const char *key, const char *value, long line,
                             util_err *err) {
    scenario *sc = ld->sc;
    if (strcmp(key, "from") == 0) {
        if (once(ld, SEEN_FROM, key, line, err) < 0) return -1;
        sc->has_from = 1;
        ld->line_from = line;
        return timestamp(ld, key, value, line, &sc->from, err);
    }
    if (strcmp(key, "to") == 0) {
        if (once(ld, SEEN_TO, key, line, err) < 0) return -1;
        sc->has_to = 1;
        ld->line_to = line;
        return timestamp(ld, key, value, line, &sc->to, err);
    }
    if (strcmp(key, "until") == 0) {
        if (once(ld, SEEN_UNTIL, key, line, err) < 0) return -1;
        sc->has_until = 1;
        ld->line_until = line;
        return timestamp(ld, key, value, line, &sc->until, err);
    }
    if (strcmp(key, "maturity_days") == 0) {
        if (once(ld, SEEN_MAT, key, line, err) < 0) return -1;
        sc->has_maturity = 1;
        ld->line_maturity = line;
        return number_in(ld, key, value, line, 0, 36500, &sc->maturity_days, err);
    }
    return FAIL("%s:%ld: unknown key '%s' in [evaluation]", ld->path, line, key);
}

int scenario_set_objective(scenario *sc, const char *value, char *why, size_t nwhy) {
    const char *colon = strchr(value, ':');
    char head[64];
    size_t nh = colon ? (size_t)(colon - value) : strlen(value);
    if (nh >= sizeof head) nh = sizeof head - 1;
    memcpy(head, value, nh);
    head[nh] = '\0';
    util_trim(head);
    const char *arg = colon ? colon + 1 : NULL;
    int kind = -1;
    double a = 0, b = 0;
    if (strcmp(head, "f1") == 0 && !arg) {
        kind = SCENARIO_OBJ_F1;
    } else if (strcmp(head, "capacity") == 0 && !arg) {
        kind = SCENARIO_OBJ_CAPACITY;
    } else if (strcmp(head, "fbeta") == 0 && arg) {
        kind = SCENARIO_OBJ_FBETA;
        /* B squared must stay finite: F-beta of a huge B is recall anyway. */
        if (util_parse_double(arg, &a) < 0 || !(a > 0) || a > 1e6) {
            snprintf(why, nwhy, "fbeta:B needs a number B with 0 < B <= 1e6");
            return -1;
        }
    } else if ((strcmp(head, "precision_at_least") == 0 || strcmp(head, "recall_at_least") == 0) &&
               arg) {
        kind = head[0] == 'p' ? SCENARIO_OBJ_PRECISION_AT_LEAST : SCENARIO_OBJ_RECALL_AT_LEAST;
        if (util_parse_double(arg, &a) < 0 || !(a > 0) || a > 1) {
            snprintf(why, nwhy, "%s:X needs a number X with 0 < X <= 1", head);
            return -1;
        }
    } else if (strcmp(head, "sla") == 0 && arg) {
        kind = SCENARIO_OBJ_SLA;
        if (util_parse_double(arg, &a) < 0 || !(a > 0) || a > 1) {
            snprintf(why, nwhy, "sla:P needs a number P with 0 < P <= 1");
            return -1;
        }
    } else if (strcmp(head, "value") == 0 && arg) {
        kind = SCENARIO_OBJ_VALUE;
        const char *comma = strchr(arg, ',');
        char first[64];
        size_t na = comma ? (size_t)(comma - arg) : 0;
        if (!comma || na >= sizeof first) {
            snprintf(why, nwhy, "value:WON_VALUE,HANDOFF_COST needs two numbers");
            return -1;
        }
        memcpy(first, arg, na);
        first[na] = '\0';
        if (util_parse_double(first, &a) < 0 || util_parse_double(comma + 1, &b) < 0 || a < 0 ||
            b < 0 || a > 1e12 || b > 1e12) {
            snprintf(why, nwhy, "value:WON_VALUE,HANDOFF_COST needs two numbers from 0 to 1e12");
            return -1;
        }
    } else {
        snprintf(why, nwhy,
                 "'%s' is not one of f1, fbeta:B, precision_at_least:P, recall_at_least:R, "
                 "capacity, value:WON_VALUE,HANDOFF_COST",
                 value);
        return -1;
    }
    char *text = util_strdup(value);
    if (!text) {
        snprintf(why, nwhy, "out of memory");
        return -2;
    }
    free(sc->objective_text);
    sc->objective_text = text;
    sc->objective = kind;
    sc->obj_a = a;
    sc->obj_b = b;
    return 0;
}

static int on_tune_key(loader *ld, const char *key, const char *value, long line,
                       util_err *err) {
    if (strcmp(key, "horizon_days") == 0) { /* suggested weights' feature window (SPEC 5.10) */
        if (once(ld, SEEN_HORIZON, key, line, err) < 0) return -1;
        ld->sc->has_horizon = 1;
        ld->sc->horizon_line = line;
        return positive(ld, key, value, line, 36500, &ld->sc->horizon_days, err);
    }
    if (strcmp(key, "objective") != 0)
        return FAIL("%s:%ld: unknown key '%s' in [tune]", ld->path, line, key);
    if (once(ld, SEEN_OBJ, key, line, err) < 0) return -1;
    ld->line_objective = line;
    ld->sc->objective_line = line;
    char why[512];
    int rc = scenario_set_objective(ld->sc, value, why, sizeof why);
    if (rc == -2) return util_enomem(err);
    if (rc < 0) return FAIL("%s:%ld: objective %s", ld->path, line, why);
    return 0;
}

/* Which section kinds exist. */
static int fit_section_column(const char *section, const char **col) {
    if (strncmp(section, "fit", 3) != 0 || (section[3] != ' ' && section[3] != '\t')) return 0;
    const char *c = section + 3;
    while (*c == ' ' || *c == '\t') c++;
    *col = c;
    return 1;
}

static int on_section(void *ctx, const char *section, long line, util_err *err) {
    loader *ld = ctx;
    static const char *known[] = {"scenario", "behaviour", "limits", "decay", "mql",
                                  "sales", "evaluation", "tune"};
    ld->cur_fit = NULL;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(section, known[i]) == 0) {
            if (strcmp(section, "sales") == 0) ld->sc->has_sales = 1;
            return 0;
        }
    const char *col;
    if (fit_section_column(section, &col)) {
        scenario *sc = ld->sc;
        if (*col == '\0') return FAIL("%s:%ld: [fit] needs a column name: [fit COLUMN]", ld->path, line);
        for (size_t i = 0; i < sc->nfits; i++)
            if (strcmp(sc->fits[i].column, col) == 0)
                return FAIL("%s:%ld: [fit %s] is given twice", ld->path, line, col);
        if (util_grow((void **)&sc->fits, &ld->cap_fit, sc->nfits + 1, sizeof *sc->fits) < 0)
            return util_enomem(err);
        scenario_fit *f = &sc->fits[sc->nfits];
        memset(f, 0, sizeof *f);
        if (!(f->column = util_strdup(col))) return util_enomem(err);
        f->line = line;
        sc->nfits++;
        return 0;
    }
    const char *near = suggest_closest(section, known, sizeof known / sizeof *known);
    if (near)
        return FAIL("%s:%ld: unknown section [%s]; did you mean [%s]?", ld->path, line, section,
                    near);
    return FAIL("%s:%ld: unknown section [%s]", ld->path, line, section);
}

static int on_key(void *ctx, const char *section, const char *key, const char *value,
                   long line, util_err *err) {
    loader *ld = ctx;
    scenario *sc = ld->sc;
    if (section[0] == '\0') return FAIL("%s:%ld: key '%s' outside any [section]", ld->path, line, key);
    if (strcmp(section, "scenario") == 0) return on_scenario_key(ld, key, value, line, err);
    if (strcmp(section, "behaviour") == 0)
        return add_points(ld, &sc->behaviour, &sc->nbehaviour, &ld->cap_beh, section, key, value,
                          line, err);
    if (strcmp(section, "limits") == 0) {
        if (add_points(ld, &sc->limits, &sc->nlimits, &ld->cap_lim, section, key, value, line,
                       err) < 0)
            return -1;
        scenario_points *lp = &sc->limits[sc->nlimits - 1];
        for (size_t i = 0; i < lp->nvals; i++)
            if (lp->vals[i] < 0)
                return FAIL("%s:%ld: [limits] %s: a limit must be 0 or more", ld->path, line, key);
        return 0;
    }
    if (strcmp(section, "decay") == 0) {
        if (strcmp(key, "half_life_days") != 0)
            return FAIL("%s:%ld: unknown key '%s' in [decay]", ld->path, line, key);
        if (once(ld, SEEN_HALF, key, line, err) < 0) return -1;
        ld->line_half_life = line;
        return number_in(ld, key, value, line, 0, 1e6, &sc->half_life_days, err);
    }
    if (strcmp(section, "mql") == 0) return on_mql_key(ld, key, value, line, err);
    if (strcmp(section, "sales") == 0) return on_sales_key(ld, key, value, line, err);
    if (strcmp(section, "evaluation") == 0) return on_evaluation_key(ld, key, value, line, err);
    if (strcmp(section, "tune") == 0) return on_tune_key(ld, key, value, line, err);
    const char *col;
    if (fit_section_column(section, &col)) {
        scenario_fit *f = &sc->fits[sc->nfits - 1];
        return fit_add_line(ld, f, key, value, line, err);
    }
    return FAIL("%s:%ld: unknown section [%s]", ld->path, line, section);
}

/* The keys of the sections whose keys are fixed, for "did you mean" ([behaviour],
 * [limits] and [fit X] take event types, values and ranges). NULL-terminated;
 * NULL for a section without such a list. */
static const char *const *known_keys(const char *section) {
    static const char *const scn[] = {"name", "description", "data", NULL};
    static const char *const decay[] = {"half_life_days", NULL};
    static const char *const mql[] = {"threshold", "fit_threshold", "fast_track", "rule", NULL};
    static const char *const sales[] = {"reps",           "followups_per_rep_per_day",
                                        "sla_business_hours", "holidays",
                                        "holidays_file",  "business_hours",
                                        "utc_offset",     "recycle_after_days", NULL};
    static const char *const eval[] = {"from", "to", "until", "maturity_days", NULL};
    static const char *const tune[] = {"objective", "horizon_days", NULL};
    static const struct {
        const char *section;
        const char *const *keys;
    } table[] = {{"scenario", scn}, {"decay", decay},     {"mql", mql},
                 {"sales", sales},  {"evaluation", eval}, {"tune", tune}};
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(section, table[i].section) == 0) return table[i].keys;
    return NULL;
}

/* Each handler words an unknown key the same way; when that is the error,
 * the closest known key of the section is added to it. */
static int on_pair(void *ctx, const char *section, const char *key, const char *value,
                   long line, util_err *err) {
    loader *ld = ctx;
    if (on_key(ctx, section, key, value, line, err) == 0) return 0;
    const char *const *keys = known_keys(section);
    char plain[sizeof err->msg];
    snprintf(plain, sizeof plain, "%s:%ld: unknown key '%s' in [%s]", ld->path, line, key,
             section);
    if (!keys || err->code != UTIL_EDATA || strcmp(err->msg, plain) != 0) return -1;
    size_t n = 0;
    while (keys[n]) n++;
    const char *near = suggest_closest(key, keys, n);
    if (near) FAIL("%s; did you mean %s?", plain, near);
    return -1;
}

/* ---------------------------- Whole-file checks ---------------------------- */

static int finish(loader *ld, util_err *err) {
    scenario *sc = ld->sc;
    if (!sc->name) {
        /* The file name without folder and ".ini" serves when it is a valid name. */
        const char *base = strrchr(sc->path, '/');
        base = base ? base + 1 : sc->path;
        size_t n = strlen(base);
        if (n > 4 && strcmp(base + n - 4, ".ini") == 0) n -= 4;
        if (!(sc->name = util_strndup(base, n))) return util_enomem(err);
        sc->name_line = 1;
        if (!scenario_name_ok(sc->name))
            return FAIL("%s:1: set name in [scenario]: the file name '%s' is not usable as a "
                        "folder name",
                        ld->path, sc->name);
    }
    if (!sc->thresholds)
        return FAIL("%s:1: [mql] threshold is required (one value, a list, or LO..HI step S)",
                    ld->path);
    if (sc->has_from && sc->has_to && !(sc->from < sc->to))
        return FAIL("%s:%ld: [evaluation] from must be before to", ld->path, ld->line_to);
    if (sc->has_sales) {
        if (!(ld->seen & SEEN_REPS) || !(ld->seen & SEEN_FPD))
            return FAIL("%s:1: [sales] needs reps and followups_per_rep_per_day", ld->path);
        if (!(ld->seen & SEEN_SLA)) sc->sla_business_hours = 48;
        if (!(ld->seen & SEEN_BH)) sc->bh_start_min = 9 * 60, sc->bh_end_min = 17 * 60;
    }
    if (sc->objective == SCENARIO_OBJ_CAPACITY && !sc->has_sales)
        return FAIL("%s:%ld: objective capacity needs a [sales] section", ld->path,
                    ld->line_objective);
    if (sc->objective == SCENARIO_OBJ_SLA && !sc->has_sales)
        return FAIL("%s:%ld: objective sla:P needs a [sales] section", ld->path,
                    ld->line_objective);
    /* Without an SLA there is no attainment to reach (SPEC 5.11: the SLA
     * fields are empty), so sla:P could never pick. */
    if (sc->objective == SCENARIO_OBJ_SLA && !sc->has_sla)
        return FAIL("%s:%ld: objective sla:P needs sla_business_hours in [sales]", ld->path,
                    ld->line_objective);
    bizcal_sort_days(sc->holidays, &sc->nholidays);
    for (size_t i = 0; i < sc->nfits; i++) {
        scenario_fit *f = &sc->fits[i];
        if (f->has_max && !f->has_per_unit)
            return FAIL("%s:%ld: [fit %s] has max but no per_unit", ld->path, f->line, f->column);
    }
    return 0;
}

int scenario_load(const char *path, scenario **out, util_err *err) {
    scenario *sc = util_calloc(1, sizeof *sc);
    if (!sc) return util_enomem(err);
    if (!(sc->path = util_strdup(path))) {
        free(sc);
        return util_enomem(err);
    }
    sc->objective = SCENARIO_OBJ_F1;
    loader ld = {.sc = sc, .path = path};
    inifile_cb cb = {.section = on_section, .pair = on_pair};
    if (inifile_parse(path, &cb, &ld, err) < 0 || finish(&ld, err) < 0) {
        scenario_free(sc);
        return -1;
    }
    *out = sc;
    return 0;
}

static void points_free(scenario_points *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(p[i].type);
        free(p[i].vals);
    }
    free(p);
}

void scenario_free(scenario *sc) {
    if (!sc) return;
    free(sc->path);
    free(sc->name);
    free(sc->description);
    free(sc->data);
    points_free(sc->behaviour, sc->nbehaviour);
    points_free(sc->limits, sc->nlimits);
    for (size_t i = 0; i < sc->nfits; i++) {
        for (size_t j = 0; j < sc->fits[i].nlines; j++) {
            free(sc->fits[i].lines[j].value);
            free(sc->fits[i].lines[j].key);
        }
        free(sc->fits[i].lines);
        free(sc->fits[i].column);
    }
    free(sc->fits);
    free(sc->thresholds);
    free(sc->fit_thresholds);
    for (size_t i = 0; i < sc->nfast_track; i++) free(sc->fast_track[i]);
    free(sc->fast_track);
    for (size_t i = 0; i < sc->nrules; i++) scenario_rule_fini(&sc->rules[i]);
    free(sc->rules);
    free(sc->objective_text);
    free(sc->holidays);
    free(sc->holidays_file);
    free(sc);
}
