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
 * Cost: O(B * (blocks + rows + d)) time, where d is the leads drawn one by
 * one (in blocks of about one lead per row; blocks of many leads per row
 * take per-row binomials instead; in two-axis mode a thread draws the blocks
 * above its own again); memory O(n + B * blocks), two blocks of rows * B
 * floats per thread and, in two-axis mode, B * nF counts per thread. A
 * two-axis sweep with more than 2,048 fit thresholds: O(B * (n + rows))
 * time; memory O(n + rows) per thread, the tails O(rows * B / 20). */
#ifndef LEADSIM_BOOT_H
#define LEADSIM_BOOT_H

#include "replay.h"
#include "sweep.h"
#include "util.h"

/* Bootstrap sweep S of replay R. Does nothing when o->bootstrap is 0 or S
 * has no rows. Returns 0, or -1 with err (memory); S's bootstrap fields are
 * then partly written and S must only be freed. */
int boot_run(sweep *s, const replay *r, const sweep_opts *o, util_err *err);

/* Resample B (0-based) of boot_run(S, R, O), as the counts of its cells:
 * per row j the draws of won (WON[j]) and not-won (LOST[j]) leads whose best
 * score is row j's threshold (in two-axis mode row j = J * nF + G: best
 * score at T index J, fit at F index G; row (J, G) then counts the cells
 * (J', G') with J' >= J and G' >= G); EXTRA the fast-tracked won and not
 * won, then the never-MQL won and not won. The rest of a resample (suffix
 * sums, quantiles, the pick) follows from them, which tests check against a
 * brute force. Returns 0; 1 when S is too large for the blocked draw (more
 * than 2,048 fit thresholds, or too many blocks: boot_run then draws lead
 * by lead, each lead with gsl_rng_uniform_int from the resample's MT19937),
 * or B is out of range; -1 when memory runs out. */
int boot_cells(const sweep *s, const replay *r, const sweep_opts *o, long b, unsigned int *won,
               unsigned int *lost, unsigned int extra[4]);

#endif
