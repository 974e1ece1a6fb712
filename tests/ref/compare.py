#!/usr/bin/env python3
"""Compare a reference summary.csv (or weekly.csv) with another one.

    compare.py REFERENCE.csv OTHER.csv [--label TEXT] [--weekly]

summary.csv: the 16 contract columns must be the first 16 columns of OTHER,
in order; every further reference column must exist in OTHER (found by
name; OTHER may have more columns).  Counts compare exactly, real numbers
within relative 1e-9 (absolute 1e-12 near zero), empty fields must be empty
on both sides.  weekly.csv (--weekly): the headers must be the same (with
several summary rows both name each line's threshold, and fit_threshold in
two-axis mode), the same number of lines, week_start exactly, handoffs as
integers, thresholds as numbers.

Prints one line per mismatch: LABEL: row N (key): COLUMN: ref=.. other=..
Exit status 0 when equal, 1 otherwise.
"""
import argparse
import csv
import math
import sys

CONTRACT = ['scenario', 'threshold', 'fit_threshold', 'leads', 'won', 'mqls',
            'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1', 'mql_rate',
            'lift', 'revenue_recall']
COUNTS = {'leads', 'won', 'mqls', 'tp', 'fp', 'fn', 'tn', 'handoffs', 'handoff_weeks'}
TEXT = {'scenario', 'week_start'}
REL = 1e-9
ABS = 1e-12


def load(path):
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    if not rows:
        return [], []
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if r]


def same_real(a, b):
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if not (math.isfinite(x) and math.isfinite(y)):
        return False
    return abs(x - y) <= max(REL * max(abs(x), abs(y)), ABS)


def same_count(a, b):
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return x == y and x == int(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ref')
    ap.add_argument('other')
    ap.add_argument('--label', default='')
    ap.add_argument('--weekly', action='store_true')
    a = ap.parse_args()
    lab = a.label + ': ' if a.label else ''
    try:
        rh, rrows = load(a.ref)
        oh, orows = load(a.other)
    except OSError as e:
        print('%scannot read: %s' % (lab, e))
        return 1
    bad = 0

    def report(msg):
        nonlocal bad
        bad += 1
        print(lab + msg)

    if not a.weekly:
        if oh[:len(CONTRACT)] != CONTRACT:
            report('header: first %d columns differ: %s' % (
                len(CONTRACT), ','.join(oh[:len(CONTRACT)])))
    if not a.weekly and oh[:len(rh)] != rh:
        extra = [c for c in rh if c not in oh]
        if extra:
            report('header: missing columns: %s' % ','.join(extra))
    if a.weekly and oh != rh:
        report('header: ref=%s other=%s' % (','.join(rh), ','.join(oh)))
    idx = {}
    for i, c in enumerate(oh):
        idx.setdefault(c, i)
    if len(rrows) != len(orows):
        report('row count: ref=%d other=%d' % (len(rrows), len(orows)))
    for n, (rr, orow) in enumerate(zip(rrows, orows), 1):
        key = ','.join(rr[1:3]) if not a.weekly else ','.join([rr[0]] + rr[2:])
        for ci, col in enumerate(rh):
            if col not in idx:
                continue
            rv = rr[ci].strip() if ci < len(rr) else ''
            oi = idx[col]
            ov = orow[oi].strip() if oi < len(orow) else ''
            if rv == '' or ov == '':
                ok = rv == ov
            elif col in TEXT:
                ok = rv == ov
            elif col in COUNTS:
                ok = same_count(rv, ov)
            else:
                ok = same_real(rv, ov)
            if not ok:
                report('row %d (%s): %s: ref=%r other=%r' % (n, key, col, rv, ov))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
