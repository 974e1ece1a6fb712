/* gen.h - synthetic dataset generator: leads, events and outcomes with planted behaviour.
 *
 * Used by the `gen` verb to make realistic test and demo data whose hidden
 * structure is known (which fit values and behaviours predict a won deal, and
 * how that drifts between half-years), so that scoring, tuning and review can be
 * checked against it. Not a model of any real company: the planted effects are
 * listed in the README.txt written next to the data. */
#ifndef LEADSIM_GEN_H
#define LEADSIM_GEN_H

#include "util.h"

#define GEN_MAX_LEADS 1000000000L /* 1e9 leads (about 1.5 TB): beyond any sane use */
#define GEN_MAX_SEED 4294967295UL /* mt19937 takes 32 bits; larger seeds are refused */

typedef struct gen_opts {
    long leads;         /* number of leads, 1..GEN_MAX_LEADS */
    unsigned long seed; /* 0..GEN_MAX_SEED; seeds gsl_rng_mt19937 (which treats 0 as 4357) */
} gen_opts;

/* Write DIR/leads.csv, DIR/events.csv, DIR/outcomes.csv and DIR/README.txt (how
 * it was made: the command line `leadsim gen --out DIR --leads N --seed S`, what
 * the columns mean and the planted effects), creating DIR (and parents) if
 * needed. Each file is written to a temporary name in DIR and renamed at the
 * end, so a failed run leaves no half-written file (the temporaries are removed).
 *
 * The same leads and seed give the same bytes, whatever DIR is. Nothing depends
 * on the time, the locale or the environment. Memory is O(1) in the number of
 * leads and events (apart from a few small scratch arrays); time is linear in
 * the output size (about 1.5 KB per lead).
 *
 * Returns 0, or -1 with err: UTIL_EUSAGE for leads or seed out of range,
 * UTIL_EIO when a directory or file cannot be created or written,
 * UTIL_EINTERNAL when memory runs out. */
int gen_write(const char *dir, const gen_opts *opts, util_err *err);

#endif
