/* boot.h - the bootstrap of a sweep: 90% intervals on each row and how stable the pick is.
 *
 * Given a sweep (sweep.h) and the replay it was made from, boot_run()
 * resamples the cohort's leads o->bootstrap times (seeded from o->seed, on
 * o->threads threads; the result depends on neither the threads nor their
 * order) and fills the sweep's bootstrap fields: per row p_lo, p_hi, r_lo,
 * r_hi (type-7 5% and 95% quantiles of the resampled precision and recall,
 * kept as floats) and chosen (resamples that picked it); and nboot,
 * boot_none, the choice_* intervals (90% of the picks, per axis) and
 * stability (share of resamples that picked the recommended row). Every
 * other field is read only.
 *
 * Cost: O(B * (n + rows)) time for B resamples of n leads; memory O(n +
 * rows) per thread, the tails O(rows * B / 20). */
#ifndef LEADSIM_BOOT_H
#define LEADSIM_BOOT_H

#include "replay.h"
#include "sweep.h"
#include "util.h"

/* Bootstrap sweep S of replay R. Does nothing when o->bootstrap is 0 or S
 * has no rows. Returns 0, or -1 with err (memory); S's bootstrap fields are
 * then partly written and S must only be freed. */
int boot_run(sweep *s, const replay *r, const sweep_opts *o, util_err *err);

#endif
