/* dsini.h - a dataset's layout: which file and which column holds each role (SPEC 3), from its dataset.ini or the defaults.
 *
 * A dataset is a folder of leads.csv, events.csv and outcomes.csv, or a
 * dataset.ini that maps other layouts onto those three roles: file names,
 * the column of each role, an outcome flag inside the leads file, or an
 * outcomes file that lists won deals only. dsini_read works the layout out
 * and checks it for consistency; it reads no CSV file and does not know
 * whether the columns it names exist (the CSV loader finds that out). */
#ifndef LEADSIM_DSINI_H
#define LEADSIM_DSINI_H

#include <stddef.h>

#include "util.h"

/* A [join NAME] section: attributes of each lead from the row of FILE whose
 * KEY column equals the lead's ON attribute (a leads column, or an
 * attribute an earlier join gave). */
typedef struct dsini_join {
    char *name, *file, *key, *on;  /* on NULL: the same name as key */
    char **attributes;
    size_t nattributes;
    char **missing;                /* missing_values of this file (or NULL: [dataset]'s) */
    size_t nmissing;
    int missing_set;
    long line;                     /* of the section header */
} dsini_join;

/* Files a layout reads, for the per-file keys (missing_values, skip_if_empty). */
enum { DSINI_LEADS, DSINI_EVENTS, DSINI_OUTCOMES, DSINI_NFILES };

/* Where each role lives. NULL file = no such file; NULL column = not present.
 * File names are as written (relative to dir unless absolute); dsini_path
 * joins them. */
typedef struct dsini {
    char *dir;                                      /* the dataset's folder */
    char *ini;                                      /* the dataset.ini read, or NULL */
    char *leads_file, *events_file, *outcomes_file;
    int events_explicit, outcomes_explicit;         /* named in dataset.ini: must exist */
    char *l_id, *l_created, *l_won, *l_closed, *l_amount;
    int created_none;                               /* [leads] created_at = none: a snapshot */
    char **won_values, **lost_values, **attributes;
    size_t nwon, nlost, nattributes;
    int attributes_set;                             /* [leads] attributes given (maybe empty) */
    char *e_lead, *e_time, *e_type, *e_value;
    char *o_lead, *o_status, *o_closed, *o_amount;
    char *l_sql, *o_sql;                            /* sql_at (SPEC 5.7): a leads column, or an
                                                     * outcomes column (default sql_at, optional) */
    int fixed_status;                               /* -1, or DATASET_* for every row */
    dsini_join *joins;                              /* [join NAME] sections, in file order */
    size_t njoins;
    /* missing_values: cells treated as empty (after trimming, any case); per
     * file, else those of [dataset] (DSINI_NFILES) */
    char **missing[DSINI_NFILES + 1];
    size_t nmissing[DSINI_NFILES + 1];
    int missing_set[DSINI_NFILES + 1];
    /* skip_if_empty: per file, role keys or column names whose empty cell
     * leaves the row out (counted) */
    char **skip[DSINI_NFILES];
    size_t nskip[DSINI_NFILES];
    long line_skip[DSINI_NFILES];
    long line_fixed, line_won, line_outcomes_file, line_outcomes; /* where they were set, 0 = not */
    long line_won_values, line_lost_values; /* 0 = not given (won_values then has its default) */
} dsini;

/* Work out the layout of dataset PATH: a folder (with or without a
 * dataset.ini in it) or a dataset.ini file. Without a dataset.ini every
 * role has its default file and column (leads.csv: lead_id, created_at;
 * events.csv: lead_id, timestamp, event, value; outcomes.csv: lead_id,
 * status, closed_at, amount). Keys repeated in a dataset.ini: the last one
 * wins. A won flag ([leads] won) without won_values takes "1, yes, true,
 * y, won", and drops the default outcomes file. The CSV loader holds
 * won_values and lost_values given here to matching at least one row (a
 * mapping that matches nothing is a mistake, not a result); the default
 * won values, and an outcomes file without any won row, may match nothing:
 * a dataset may have no won lead.
 *
 * Returns 0 with *L filled; or -1 with err: UTIL_EIO when PATH is neither a
 * folder nor a file, or the dataset.ini cannot be read; UTIL_EDATA naming
 * "INI:LINE" for an unknown section or key, a required role set to none,
 * a bad fixed_status, outcomes given both as a won flag and as a file, an
 * outcomes file without a status column or fixed_status, a [join] without
 * a name, a second [join] of one name, a [join] without file, key or
 * attributes, and "INI" for a missing [leads] lead_id; UTIL_EINTERNAL when memory runs out. *L is to be
 * given to dsini_fini in every case. */
int dsini_read(const char *path, dsini *L, util_err *err);

/* The placeholders of file F (DSINI_LEADS ..): its own missing_values, else
 * [dataset]'s; *N gets how many. */
char **dsini_missing(const dsini *L, int f, size_t *n);

/* Free what L holds (L itself is the caller's); accepts NULL and a zeroed L. */
void dsini_fini(dsini *L);

/* FILE in L's folder (FILE itself when absolute), newly allocated; NULL
 * when memory runs out. */
char *dsini_path(const dsini *L, const char *file);

/* Whether there is anything at PATH. Only a clear "no such file" is
 * absence: a dangling link or an entry that cannot be examined is there,
 * and reading it reports what is wrong instead of the file being skipped
 * silently. Cannot fail. */
int dsini_exists(const char *path);

#endif
