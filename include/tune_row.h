/* tune_row.h - one weight vector's result in `tune`: the row its sweep recommends.
 *
 * The one type every tune method produces (tune_counts.h, tune_replay.h)
 * and the dispatcher (tune.h) hands to the writers, so that no method needs
 * the dispatcher's header. Numbers only. */
#ifndef LEADSIM_TUNE_ROW_H
#define LEADSIM_TUNE_ROW_H

typedef struct tune_row {
    int has;          /* a threshold is recommended (else T..objective are NaN / 0) */
    double T, F;      /* threshold; fit threshold (two-axis mode only, else NaN) */
    long tp, fp;
    double tp_amount; /* amounts of the won leads handed off */
    double objective;
    long nthresholds; /* rows of the vector's sweep */
} tune_row;

#endif
