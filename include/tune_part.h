/* tune_part.h - one shard of a tune grid on disk (tune-part.txt), and the parts joined back into one tune.
 *
 * `leadsim tune SCENARIO --shard I/N` evaluates vectors I, I + N, ... and
 * writes them as a part: the rows' numbers exactly (hexadecimal floats), the
 * method and why, and what identifies the run: the scenario file (its path
 * and a hash of its bytes), the --objective given, the dataset (its path
 * and a hash of the figures the replay finds in it that do not depend on
 * the weights), the shard and the grid's size. `leadsim merge` reads the
 * parts, checks they are the N shards of one run, and assembles the tune
 * an unsplit run would have made, for out_tune.c to write: the same bytes.
 * Nothing here schedules work. */
#ifndef LEADSIM_TUNE_PART_H
#define LEADSIM_TUNE_PART_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "replay.h"
#include "tune.h"
#include "tune_grid.h"
#include "util.h"

#define TUNE_PART_FILE "tune-part.txt"

/* What identifies the run a part belongs to. */
typedef struct tune_part_id {
    char scenario_path[1024];
    uint64_t scenario_hash;   /* FNV-1a of the scenario file's bytes */
    char objective[256];      /* --objective as given, "" when none */
    char data_path[1024];
    uint64_t data_hash;       /* tune_part_data_hash */
    size_t nall;              /* the whole grid's vectors */
} tune_part_id;

/* A part as read back. */
typedef struct tune_part {
    char dir[1024];
    tune_part_id id;
    size_t shard_i, shard_n;
    int method, histogram;
    char why[300];
    size_t nrows;
    size_t *vec;              /* whole-grid vector index (0-based) of each row */
    tune_row *rows;
} tune_part;

/* FNV-1a of the file at PATH into *H. Errors: fileio's (I/O). */
int tune_part_file_hash(const char *path, uint64_t *h, util_err *err);
/* A hash of what dataset DS and replay R of it hold whatever the weights:
 * leads, events, cohort, won leads and their amounts, counted events, until. */
uint64_t tune_part_data_hash(const dataset *ds, const replay *r);

/* Append tune-part.txt of shard G (tune_grid_shard) evaluated into T. */
void tune_part_write(util_buf *b, const tune *t, const tune_grid *g, const tune_part_id *id);

/* Read DIR/tune-part.txt into P. Errors: UTIL_EIO when it cannot be read;
 * UTIL_EDATA naming FILE:LINE when it is not a part. tune_part_fini either
 * way. */
int tune_part_read(const char *dir, tune_part *p, util_err *err);
void tune_part_fini(tune_part *p);

/* Check that the NP parts are the N shards of one run, each once.
 * Errors: UTIL_EDATA naming the parts that overlap, the shards missing, or
 * the first part from another scenario, objective, dataset or split. */
int tune_part_check(const tune_part *p, size_t np, util_err *err);

/* The tune an unsplit run of grid G (whole) on DS would have made, from the
 * checked parts: the first replay made again (its cohort, notes and counts),
 * every row from its part. Errors: UTIL_EDATA when DS or the scenario is
 * not what the parts were made from; replay_run's; memory. */
int tune_part_assemble(const dataset *ds, const scenario *sc, const tune_grid *g,
                       const tune_part *p, size_t np, int threads, tune **out, util_err *err);

#endif
