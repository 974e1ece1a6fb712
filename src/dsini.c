/* dsini.c - a dataset's layout from its dataset.ini, or the default one.
 *
 * Reads the dataset.ini (through inifile, which gives every key its line)
 * into a dsini and checks what one key cannot check alone: a lead id
 * column, outcomes from one place only, a status for an outcomes file.
 * Not for reading the CSV files: the loader (csvload.c) does that, with
 * the layout this gives it. */
#include "dsini.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dataset.h"
#include "inifile.h"
#include "suggest.h"

static void free_list(char **l, size_t n) {
    for (size_t i = 0; i < n; i++) free(l[i]);
    free(l);
}

void dsini_fini(dsini *L) {
    if (!L) return;
    free(L->dir);
    free(L->ini);
    free(L->leads_file);
    free(L->events_file);
    free(L->outcomes_file);
    char **cols[] = {&L->l_id, &L->l_created, &L->l_won, &L->l_closed, &L->l_amount,
                     &L->e_lead, &L->e_time, &L->e_type, &L->e_value, &L->o_lead,
                     &L->o_status, &L->o_closed, &L->o_amount, &L->l_sql, &L->o_sql};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) free(*cols[i]);
    free_list(L->won_values, L->nwon);
    free_list(L->lost_values, L->nlost);
    free_list(L->attributes, L->nattributes);
    for (size_t j = 0; j < L->njoins; j++) {
        dsini_join *J = &L->joins[j];
        free(J->name), free(J->file), free(J->key), free(J->on);
        free_list(J->attributes, J->nattributes);
        free_list(J->missing, J->nmissing);
    }
    free(L->joins);
    for (int f = 0; f <= DSINI_NFILES; f++) free_list(L->missing[f], L->nmissing[f]);
    for (int f = 0; f < DSINI_NFILES; f++) free_list(L->skip[f], L->nskip[f]);
}

char **dsini_missing(const dsini *L, int f, size_t *n) {
    int k = L->missing_set[f] ? f : DSINI_NFILES;
    *n = L->nmissing[k];
    return L->missing[k];
}

static int set_str(char **dst, const char *v) {
    free(*dst);
    *dst = util_strdup(v);
    return *dst ? 0 : -1;
}

static int defaults(dsini *L) {
    memset(L, 0, sizeof *L);
    L->fixed_status = -1;
    if (set_str(&L->leads_file, "leads.csv") || set_str(&L->events_file, "events.csv") ||
        set_str(&L->outcomes_file, "outcomes.csv") || set_str(&L->l_id, "lead_id") ||
        set_str(&L->l_created, "created_at") || set_str(&L->e_lead, "lead_id") ||
        set_str(&L->e_time, "timestamp") || set_str(&L->e_type, "event") ||
        set_str(&L->e_value, "value") || set_str(&L->o_lead, "lead_id") ||
        set_str(&L->o_status, "status") || set_str(&L->o_closed, "closed_at") ||
        set_str(&L->o_amount, "amount") || set_str(&L->o_sql, "sql_at"))
        return -1;
    return 0;
}

static int split_list(const char *v, char ***out, size_t *n) {
    free_list(*out, *n);
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    char *s = util_strdup(v);
    if (!s) return -1;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        util_trim(tok);
        if (!*tok) continue;
        if (util_grow((void **)out, &cap, *n + 1, sizeof **out) < 0 ||
            !((*out)[*n] = util_strdup(tok))) {
            free(s);
            return -1;
        }
        (*n)++;
    }
    free(s);
    return 0;
}

static int is_none(const char *v) { return strcasecmp(v, "none") == 0 || *v == '\0'; }

typedef struct ini_ctx {
    dsini *L;
    const char *path;
} ini_ctx;

/* A [join NAME] header: a new join, NAME unique. */
static int join_section(ini_ctx *c, const char *section, long line, util_err *err) {
    dsini *L = c->L;
    const char *name = section + 5;
    while (*name == ' ' || *name == '\t') name++;
    if (!*name)
        return util_errf(err, UTIL_EDATA, "%s:%ld: [join] needs a name: [join NAME]", c->path, line);
    for (size_t j = 0; j < L->njoins; j++)
        if (strcmp(L->joins[j].name, name) == 0)
            return util_errf(err, UTIL_EDATA, "%s:%ld: a second [join %s] (the first is on line %ld)",
                             c->path, line, name, L->joins[j].line);
    void *p = util_reallocarray(L->joins, L->njoins + 1, sizeof *L->joins);
    if (!p) return util_enomem(err);
    L->joins = p;
    dsini_join *J = &L->joins[L->njoins++];
    memset(J, 0, sizeof *J);
    J->line = line;
    return (J->name = util_strdup(name)) ? 0 : util_enomem(err);
}

static int ini_section(void *ctx, const char *section, long line, util_err *err) {
    ini_ctx *c = ctx;
    if (strncmp(section, "join", 4) == 0 && (section[4] == ' ' || section[4] == '\t' || !section[4]))
        return join_section(c, section, line, err);
    static const char *const known[] = {"dataset", "leads", "events", "outcomes"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(section, known[i]) == 0) return 0;
    const char *near = suggest_closest(section, known, sizeof known / sizeof *known);
    return util_errf(err, UTIL_EDATA,
                     "%s:%ld: unknown section [%s] (expected [dataset], [leads], [events], "
                     "[outcomes] or [join NAME])%s%s%s",
                     c->path, line, section, near ? "; did you mean [" : "", near ? near : "",
                     near ? "]?" : "");
}

/* The keys of each section, for "did you mean". */
static const char *closest_key(const char *section, const char *key) {
    static const char *const dataset_keys[] = {"dir", "missing_values"};
    static const char *const leads[] = {"file",      "lead_id",   "created_at",
                                        "won",       "closed_at", "amount",
                                        "won_values", "lost_values", "attributes",
                                        "sql_at", "missing_values", "skip_if_empty"};
    static const char *const events[] = {"file", "lead_id", "timestamp", "event", "value",
                                         "missing_values", "skip_if_empty"};
    static const char *const join[] = {"file", "key", "on", "attributes", "missing_values"};
    static const char *const outcomes[] = {"file",      "lead_id", "status",
                                           "closed_at", "amount",  "fixed_status",
                                           "sql_at", "missing_values", "skip_if_empty"};
#define KEYS(a) a, sizeof a / sizeof *a
    if (strcmp(section, "dataset") == 0) return suggest_closest(key, KEYS(dataset_keys));
    if (strcmp(section, "leads") == 0) return suggest_closest(key, KEYS(leads));
    if (strcmp(section, "events") == 0) return suggest_closest(key, KEYS(events));
    if (strcmp(section, "outcomes") == 0) return suggest_closest(key, KEYS(outcomes));
    if (strncmp(section, "join", 4) == 0) return suggest_closest(key, KEYS(join));
    return NULL;
#undef KEYS
}

/* The index (DSINI_LEADS ..) of a file section, or -1. */
static int file_index(const char *section) {
    return strcmp(section, "leads") == 0      ? DSINI_LEADS
           : strcmp(section, "events") == 0   ? DSINI_EVENTS
           : strcmp(section, "outcomes") == 0 ? DSINI_OUTCOMES
                                              : -1;
}

/* missing_values and skip_if_empty, in any section that takes them: 0 when
 * taken, 1 when KEY is another key, -1 on error. */
static int list_key(ini_ctx *c, const char *section, const char *key, const char *value,
                    long line, util_err *err) {
    dsini *L = c->L;
    int f = file_index(section);
    int join = strncmp(section, "join", 4) == 0;
    if (strcmp(key, "missing_values") == 0 && (f >= 0 || join || strcmp(section, "dataset") == 0)) {
        if (join) {
            dsini_join *J = &L->joins[L->njoins - 1];
            J->missing_set = 1;
            return split_list(value, &J->missing, &J->nmissing) ? util_enomem(err) : 0;
        }
        int k = f >= 0 ? f : DSINI_NFILES;
        L->missing_set[k] = 1;
        return split_list(value, &L->missing[k], &L->nmissing[k]) ? util_enomem(err) : 0;
    }
    if (strcmp(key, "skip_if_empty") == 0 && f >= 0) {
        L->line_skip[f] = line;
        return split_list(value, &L->skip[f], &L->nskip[f]) ? util_enomem(err) : 0;
    }
    return 1;
}

/* A key of the current [join NAME] section. */
static int join_pair(ini_ctx *c, const char *key, const char *value, long line, util_err *err) {
    dsini_join *J = &c->L->joins[c->L->njoins - 1];
    char **dst = strcmp(key, "file") == 0  ? &J->file
                 : strcmp(key, "key") == 0 ? &J->key
                 : strcmp(key, "on") == 0  ? &J->on
                                           : NULL;
    if (dst) {
        if (!*value)
            return util_errf(err, UTIL_EDATA, "%s:%ld: [join %s] %s needs a value", c->path, line,
                             J->name, key);
        return set_str(dst, value) ? util_enomem(err) : 0;
    }
    if (strcmp(key, "attributes") == 0)
        return split_list(value, &J->attributes, &J->nattributes) ? util_enomem(err) : 0;
    const char *near = closest_key("join", key);
    return util_errf(err, UTIL_EDATA, "%s:%ld: unknown key '%s' in [join %s]%s%s%s", c->path, line,
                     key, J->name, near ? "; did you mean " : "", near ? near : "",
                     near ? "?" : "");
}

/* What a layout's joins need: a file, a key and attributes each. */
static int check_joins(const dsini *L, util_err *err) {
    for (size_t j = 0; j < L->njoins; j++) {
        const dsini_join *J = &L->joins[j];
        const char *miss = !J->file ? "file" : !J->key ? "key" : !J->nattributes ? "attributes" : NULL;
        if (miss)
            return util_errf(err, UTIL_EDATA, "%s:%ld: [join %s] needs %s (file, key and attributes "
                             "are required; on defaults to the key's name)",
                             L->ini, J->line, J->name, miss);
    }
    return 0;
}

/* One key of dataset.ini. Column keys name the column that holds a role. */
static int ini_pair(void *ctx, const char *section, const char *key, const char *value,
                    long line, util_err *err) {
    ini_ctx *c = ctx;
    dsini *L = c->L;
    char **col = NULL;
    int optional_col = 0; /* may be set to none */
    int rc = list_key(c, section, key, value, line, err);
    if (rc <= 0) return rc;
    if (strncmp(section, "join", 4) == 0) return join_pair(c, key, value, line, err);
    if (strcmp(section, "dataset") == 0) {
        if (strcmp(key, "dir") == 0) {
            if (!*value) return util_errf(err, UTIL_EDATA, "%s:%ld: dir needs a folder", c->path, line);
            /* relative to the dataset.ini's folder */
            const char *slash = strrchr(c->path, '/');
            size_t dl = value[0] == '/' ? 0 : slash ? (size_t)(slash - c->path + 1) : 0;
            char *d = util_malloc(dl + strlen(value) + 1);
            if (!d) return util_enomem(err);
            memcpy(d, c->path, dl);
            strcpy(d + dl, value);
            free(L->dir);
            L->dir = d;
            return 0;
        }
    } else if (strcmp(section, "leads") == 0) {
        if (strcmp(key, "file") == 0) {
            if (is_none(value))
                return util_errf(err, UTIL_EDATA, "%s:%ld: the leads file is required", c->path, line);
            return set_str(&L->leads_file, value) ? util_enomem(err) : 0;
        }
        if (strcmp(key, "lead_id") == 0) col = &L->l_id;
        else if (strcmp(key, "created_at") == 0) col = &L->l_created, optional_col = 1;
        else if (strcmp(key, "won") == 0) col = &L->l_won, optional_col = 1, L->line_won = line;
        else if (strcmp(key, "closed_at") == 0) col = &L->l_closed, optional_col = 1;
        else if (strcmp(key, "amount") == 0) col = &L->l_amount, optional_col = 1;
        else if (strcmp(key, "sql_at") == 0) col = &L->l_sql, optional_col = 1;
        else if (strcmp(key, "won_values") == 0) {
            L->line_won_values = line;
            return split_list(value, &L->won_values, &L->nwon) ? util_enomem(err) : 0;
        } else if (strcmp(key, "lost_values") == 0) {
            L->line_lost_values = line;
            return split_list(value, &L->lost_values, &L->nlost) ? util_enomem(err) : 0;
        }
        else if (strcmp(key, "attributes") == 0) {
            L->attributes_set = 1;
            return split_list(value, &L->attributes, &L->nattributes) ? util_enomem(err) : 0;
        }
    } else if (strcmp(section, "events") == 0 || strcmp(section, "outcomes") == 0) {
        int ev = section[0] == 'e';
        if (!ev && !L->line_outcomes) L->line_outcomes = line;
        if (strcmp(key, "file") == 0) {
            char **f = ev ? &L->events_file : &L->outcomes_file;
            if (ev) L->events_explicit = 1;
            else L->outcomes_explicit = 1, L->line_outcomes_file = line;
            if (is_none(value)) {
                free(*f);
                *f = NULL;
                return 0;
            }
            return set_str(f, value) ? util_enomem(err) : 0;
        }
        if (ev) {
            if (strcmp(key, "lead_id") == 0) col = &L->e_lead;
            else if (strcmp(key, "timestamp") == 0) col = &L->e_time, optional_col = 1;
            else if (strcmp(key, "event") == 0) col = &L->e_type;
            else if (strcmp(key, "value") == 0) col = &L->e_value, optional_col = 1;
        } else {
            if (strcmp(key, "lead_id") == 0) col = &L->o_lead;
            else if (strcmp(key, "status") == 0) col = &L->o_status, optional_col = 1;
            else if (strcmp(key, "closed_at") == 0) col = &L->o_closed, optional_col = 1;
            else if (strcmp(key, "amount") == 0) col = &L->o_amount, optional_col = 1;
            else if (strcmp(key, "sql_at") == 0) col = &L->o_sql, optional_col = 1;
            else if (strcmp(key, "fixed_status") == 0) {
                if (strcasecmp(value, "won") == 0) L->fixed_status = DATASET_WON;
                else if (strcasecmp(value, "lost") == 0) L->fixed_status = DATASET_LOST;
                else if (strcasecmp(value, "open") == 0) L->fixed_status = DATASET_OPEN;
                else
                    return util_errf(err, UTIL_EDATA,
                                     "%s:%ld: fixed_status must be won, lost or open", c->path, line);
                L->line_fixed = line;
                return 0;
            }
        }
    }
    if (!col) {
        const char *near = closest_key(section, key);
        return util_errf(err, UTIL_EDATA, "%s:%ld: unknown key '%s' in [%s]%s%s%s", c->path,
                         line, key, section, near ? "; did you mean " : "", near ? near : "",
                         near ? "?" : "");
    }
    if (is_none(value)) {
        if (!optional_col)
            return util_errf(err, UTIL_EDATA, "%s:%ld: [%s] %s needs a column name", c->path, line,
                             section, key);
        if (col == &L->l_created) L->created_none = 1;
        free(*col);
        *col = NULL;
        return 0;
    }
    if (col == &L->l_created) L->created_none = 0; /* a repeated key: the last one wins */
    return set_str(col, value) ? util_enomem(err) : 0;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int dsini_exists(const char *p) {
    struct stat st;
    return lstat(p, &st) == 0 || errno != ENOENT;
}

static char *join(const char *dir, const char *file) {
    if (file[0] == '/') return util_strdup(file);
    size_t a = strlen(dir), b = strlen(file);
    char *s = util_malloc(a + b + 2);
    if (!s) return NULL;
    memcpy(s, dir, a);
    size_t k = a;
    if (a && dir[a - 1] != '/') s[k++] = '/';
    memcpy(s + k, file, b + 1);
    return s;
}

int dsini_read(const char *path, dsini *L, util_err *err) {
    if (defaults(L) < 0) return util_enomem(err);
    char *ini = NULL;
    if (is_dir(path)) {
        ini = join(path, "dataset.ini");
        if (!ini) return util_enomem(err);
        if (!dsini_exists(ini)) {
            free(ini);
            ini = NULL;
        }
        if (!(L->dir = util_strdup(path))) {
            free(ini);
            return util_enomem(err);
        }
    } else if (dsini_exists(path)) {
        if (!(ini = util_strdup(path))) return util_enomem(err);
        const char *slash = strrchr(path, '/');
        L->dir = slash ? util_strndup(path, (size_t)(slash - path)) : util_strdup(".");
        if (!L->dir) {
            free(ini);
            return util_enomem(err);
        }
    } else {
        return util_errf(err, UTIL_EIO, "%s: no such dataset folder or dataset.ini", path);
    }
    if (ini) {
        L->ini = ini;
        ini_ctx c = {.L = L, .path = ini};
        inifile_cb cb = {.section = ini_section, .pair = ini_pair};
        if (inifile_parse(ini, &cb, &c, err) < 0) return -1;
        if (!L->l_id) return util_errf(err, UTIL_EDATA, "%s: [leads] lead_id is required", ini);
        if (check_joins(L, err) < 0) return -1;
        if (L->l_won && L->outcomes_explicit && L->outcomes_file)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: outcomes come either from [leads] won (line %ld) or from "
                             "an outcomes file, not both",
                             ini, L->line_outcomes_file, L->line_won);
        if (L->l_won) {
            free(L->outcomes_file);
            L->outcomes_file = NULL;
        }
        if (!L->o_status && L->fixed_status < 0 && L->outcomes_file)
            return util_errf(err, UTIL_EDATA,
                             "%s:%ld: [outcomes] needs a status column or fixed_status", ini,
                             L->line_outcomes ? L->line_outcomes : 1);
        if (L->fixed_status >= 0) {
            free(L->o_status);
            L->o_status = NULL;
        }
    }
    if (L->l_sql) { /* a leads column: the outcomes file's is not read */
        free(L->o_sql);
        L->o_sql = NULL;
    }
    if (L->l_won && !L->won_values) {
        L->line_won_values = 0; /* "won_values =" with nothing: the default */
        if (split_list("1, yes, true, y, won", &L->won_values, &L->nwon) < 0)
            return util_enomem(err);
    }
    if (!L->nlost) L->line_lost_values = 0;
    return 0;
}

char *dsini_path(const dsini *L, const char *file) { return join(L->dir, file); }
