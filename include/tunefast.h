/* tunefast.h - tune's fast methods: a whole candidate grid evaluated from one replay.
 *
 * The counts and sequence methods of tune.h. They apply without decay, in
 * single-axis mode, and for objectives that need no weekly workload; tune.c
 * replays every vector otherwise. */
#ifndef LEADSIM_TUNEFAST_H
#define LEADSIM_TUNEFAST_H

#include <stddef.h>

#include "dataset.h"
#include "replay.h"
#include "tune.h"
#include "util.h"

/* 1 when the fast methods can evaluate SC's grid on DS; else 0, with the
 * reason (a sentence fragment, e.g. "the scenario has decay") in why. */
int tunefast_applies(const dataset *ds, const scenario *sc, char *why, size_t nwhy);

/* Fill t->rows (and t->method, t->histogram, t->why) from replay R of
 * t->sc with any vector's weights: R supplies the cohort, fit points and
 * fast-track times, none of which depends on the weights. DS must still hold
 * its events. force_sequence uses the sequence method even where counts
 * would be exact; force_sort sorts where a histogram would do (both for
 * tests). Returns 0, or -1 with err (memory, threads). */
int tunefast_run(const dataset *ds, const replay *r, tune *t, int threads, int force_sequence,
                 int force_sort, util_err *err);

#endif
