#!/usr/bin/env python3
"""Compare the reference's review.csv, review-features.csv or plan.csv with
another program's.

    compare_review.py REF.csv OTHER.csv [--label TEXT]
                      [--kind review|features|plan] [--mc-rel R] [--mc-abs A]

The kind is taken from REF's header when not given.

review.csv: OTHER's header starts with REF's 25 columns in order; rows in the
same order; counts (complete, leads, won, mqls, tp, fp, fn, tn) exactly, dates
and scenario exactly, every other field (thresholds included) as a real
within relative 1e-9 (absolute 1e-12 near zero); empty only against empty.

review-features.csv: OTHER has REF's columns; rows are matched by
(period_start, kind, name, value), each key once on both sides (a text cell
written with a leading ' against a formula-like reference cell is the same
text); leads_with exactly, p_value within relative 1e-6, the other reals
within 1e-9.

plan.csv: rows matched by their first field (leads, mqls, deals, lag_days);
`point` within relative 1e-9, the lag_days row's quantiles within relative
1e-9 (the lags' own quantiles, no Monte Carlo), the Monte Carlo columns of
leads, mqls and deals within max(R * |ref|, A) (default R = 0.03, A = 1: the
draws are whole numbers).  With --draws FILE (refplan.py --draws-out) the
Monte Carlo columns are checked by rank instead: the other value's place in
the reference's draws must be within Z (4) standard errors of its quantile
level, the errors of a quantile of --other-draws (10000) draws and of the
reference's own; a relative tolerance is too tight for 10,000 draws (their
tail quantiles vary by about 2% from seed to seed).  --ref-empty-skips: an empty reference field of
plan.csv is not checked (the hand cases leave the Monte Carlo columns empty).

Prints one line per mismatch; exit status 0 when equal, 1 otherwise.
"""
import argparse
import bisect
import csv
import math
import sys

REVIEW = ['period_start', 'period_end', 'complete', 'scenario', 'threshold', 'fit_threshold',
          'leads', 'won', 'mqls', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1',
          'mql_rate', 'lift', 'revenue_recall', 'best_threshold', 'backtest_threshold',
          'backtest_objective', 'best_objective', 'regret', 'psi']
FEATURES = ['period_start', 'kind', 'name', 'value', 'leads_with', 'share',
            'won_rate_with', 'won_rate_without', 'lift', 'p_value']
PLAN_COLS = ['point', 'median', 'lo80', 'hi80', 'lo95', 'hi95', 'p80', 'p95']
COUNTS = {'complete', 'leads', 'won', 'mqls', 'tp', 'fp', 'fn', 'tn', 'leads_with'}
TEXT = {'period_start', 'period_end', 'scenario', 'kind', 'name', 'value'}


def load(path):
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    if not rows:
        return [], []
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if r]


def real(a):
    try:
        x = float(a)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def close(a, b, rel, absol=1e-12):
    x, y = real(a), real(b)
    if x is None or y is None:
        return False
    return abs(x - y) <= max(rel * max(abs(x), abs(y)), absol)


def same_count(a, b):
    x, y = real(a), real(b)
    return x is not None and x == y and x == int(x)


def same_text(ref, other):
    if ref == other:
        return True
    # a spreadsheet-safe writer prefixes formula-like input text with '
    return ref[:1] in ('=', '+', '-', '@') and other == "'" + ref


def same_field(col, rv, ov, rel=1e-9):
    if rv == '' or ov == '':
        return rv == ov
    if col in TEXT:
        return same_text(rv, ov)
    if col in COUNTS:
        return same_count(rv, ov)
    return close(rv, ov, rel)


class Report:
    def __init__(self, label):
        self.lab = label + ': ' if label else ''
        self.bad = 0

    def __call__(self, msg):
        self.bad += 1
        print(self.lab + msg)


def cell(row, i):
    return row[i].strip() if i is not None and i < len(row) else ''


def compare_review(rh, rrows, oh, orows, report):
    if oh[:len(REVIEW)] != REVIEW:
        report('header: the first %d columns differ: %s' % (len(REVIEW), ','.join(oh[:len(REVIEW)])))
    idx = {c: oh.index(c) for c in rh if c in oh}
    if len(rrows) != len(orows):
        report('row count: ref=%d other=%d' % (len(rrows), len(orows)))
    for n, (rr, orow) in enumerate(zip(rrows, orows), 1):
        key = '%s,%s,%s' % (cell(rr, 0), cell(rr, 4), cell(rr, 5))
        for ci, col in enumerate(rh):
            if col not in idx:
                report('header: no column %s' % col)
                return
            rv, ov = cell(rr, ci), cell(orow, idx[col])
            if not same_field(col, rv, ov):
                report('row %d (%s): %s: ref=%r other=%r' % (n, key, col, rv, ov))


def compare_features(rh, rrows, oh, orows, report):
    missing = [c for c in FEATURES if c not in oh]
    if missing:
        report('header: missing columns: %s' % ','.join(missing))
        return
    ri = {c: rh.index(c) for c in FEATURES}
    oi = {c: oh.index(c) for c in FEATURES}

    def keyed(rows, ix, side):
        out = {}
        for r in rows:
            k = tuple(cell(r, ix[c]) for c in FEATURES[:4])
            if side == 'other':
                k = tuple(x[1:] if x[:2] in ("'=", "'+", "'-", "'@") else x for x in k)
            if k in out:
                report('%s: key %s appears twice' % (side, ','.join(k)))
            out[k] = r
        return out
    R = keyed(rrows, ri, 'ref')
    O = keyed(orows, oi, 'other')
    for k in R:
        if k not in O:
            report('missing row %s' % ','.join(k))
    for k in O:
        if k not in R:
            report('extra row %s' % ','.join(k))
    for k, rr in R.items():
        if k not in O:
            continue
        orow = O[k]
        for c in FEATURES[4:]:
            rv, ov = cell(rr, ri[c]), cell(orow, oi[c])
            if not same_field(c, rv, ov, 1e-6 if c == 'p_value' else 1e-9):
                report('row %s: %s: ref=%r other=%r' % (','.join(k), c, rv, ov))


QLEVEL = {'median': 0.5, 'lo80': 0.1, 'hi80': 0.9, 'lo95': 0.025, 'hi95': 0.975,
          'p80': 0.8, 'p95': 0.95}


def load_draws(path):
    """{quantity: sorted draws} from refplan.py --draws-out."""
    h, rows = load(path)
    return {q: sorted(float(r[i]) for r in rows) for i, q in enumerate(h)}


def rank_ok(draws, x, q, other_n, z):
    """Is x a plausible q-quantile of other_n draws from the distribution the
    reference's draws sample?  The reference's distribution function at x
    ([F(x-), F(x)], for ties) must come within z standard errors of q (the
    sampling errors of both sides' quantiles) plus one reference step."""
    n = len(draws)
    lo = bisect.bisect_left(draws, x) / n
    hi = bisect.bisect_right(draws, x) / n
    d = z * math.sqrt(q * (1 - q) * (1.0 / other_n + 1.0 / n)) + 1.0 / n
    return hi >= q - d and lo <= q + d


def compare_plan(rh, rrows, oh, orows, report, mc_rel, mc_abs, skip_empty=False,
                 draws=None, other_n=10000, z=4.0):
    missing = [c for c in PLAN_COLS if c not in oh]
    if missing:
        report('header: missing columns: %s' % ','.join(missing))
        return
    O = {cell(r, 0): r for r in orows}
    for rr in rrows:
        q = cell(rr, 0)
        if q not in O:
            report('missing row %s' % q)
            continue
        for c in PLAN_COLS:
            rv, ov = cell(rr, rh.index(c)), cell(O[q], oh.index(c))
            if skip_empty and rv == '':
                continue
            if rv == '' or ov == '':
                ok = rv == ov
            elif c == 'point' or q == 'lag_days':
                ok = close(rv, ov, 1e-9)
            elif draws is not None and q in draws:
                x = real(ov)
                ok = x is not None and rank_ok(draws[q], x, QLEVEL[c], other_n, z)
                if not ok:
                    rank = bisect.bisect_left(draws[q], x) / len(draws[q]) if x is not None else None
                    report('%s: %s: other=%r is the reference draws\' %s quantile, not %s'
                           % (q, c, ov, rank, QLEVEL[c]))
                    continue
            else:
                ok = close(rv, ov, mc_rel, mc_abs)
            if not ok:
                report('%s: %s: ref=%r other=%r' % (q, c, rv, ov))
    if len(O) != len(rrows):
        report('row count: ref=%d other=%d' % (len(rrows), len(O)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('ref')
    ap.add_argument('other')
    ap.add_argument('--label', default='')
    ap.add_argument('--kind', choices=['review', 'features', 'plan'])
    ap.add_argument('--mc-rel', type=float, default=0.03)
    ap.add_argument('--mc-abs', type=float, default=1.0)
    ap.add_argument('--draws', help="plan.csv: refplan.py --draws-out's file: the Monte "
                    'Carlo columns are checked by rank instead of --mc-rel')
    ap.add_argument('--other-draws', type=int, default=10000,
                    help="with --draws: the other program's number of draws")
    ap.add_argument('--z', type=float, default=4.0, help='with --draws: standard errors allowed')
    ap.add_argument('--ref-empty-skips', action='store_true',
                    help='plan.csv: an empty reference field is not checked (hand cases)')
    a = ap.parse_args()
    report = Report(a.label)
    try:
        rh, rrows = load(a.ref)
        oh, orows = load(a.other)
    except OSError as e:
        report('cannot read: %s' % e)
        return 1
    kind = a.kind
    if kind is None:
        kind = ('review' if 'best_threshold' in rh else
                'features' if 'p_value' in rh else 'plan')
    if kind == 'review':
        compare_review(rh, rrows, oh, orows, report)
    elif kind == 'features':
        compare_features(rh, rrows, oh, orows, report)
    else:
        compare_plan(rh, rrows, oh, orows, report, a.mc_rel, a.mc_abs, a.ref_empty_skips,
                     load_draws(a.draws) if a.draws else None, a.other_draws, a.z)
    return 1 if report.bad else 0


if __name__ == '__main__':
    sys.exit(main())
