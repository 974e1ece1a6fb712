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

Prints one line per mismatch (the first 12, then how many more): LABEL: row N (key): COLUMN: ref=.. other=..
Exit status 0 when equal, 1 otherwise.
"""
import argparse
import csv
import math
import sys

CONTRACT = ['scenario', 'threshold', 'fit_threshold', 'leads', 'won', 'mqls',
            'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1', 'mql_rate',
            'lift', 'revenue_recall']
COUNTS = {'leads', 'won', 'mqls', 'tp', 'fp', 'fn', 'tn', 'handoffs', 'handoff_weeks',
          # [sales] (SPEC 5.5, 5.6) and sql_at (5.7)
          'recycled', 'requalified', 'won_after_recycle', 'backlog_max',
          'weeks_over_capacity', 'sqls',
          # weekly.csv with [sales]
          'slots', 'followed_up', 'backlog_end', 'sla_met'}
SALES_WEEKLY = ['week_start', 'handoffs', 'slots', 'followed_up', 'backlog_end', 'sla_met']
# columns that are 0 in a weekly row outside the reference's range
ACTIVITY = ['handoffs', 'followed_up', 'backlog_end', 'sla_met']
TEXT = {'scenario', 'week_start'}
MAX_LINES = 12        # mismatch lines printed per file; then a count
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


def same_cell(col, rv, ov):
    if rv == '' or ov == '':
        return rv == ov
    if col in TEXT:
        return rv == ov
    if col in COUNTS:
        return same_count(rv, ov)
    return same_real(rv, ov)


def compare_weekly_sales(rh, rrows, oh, orows, report):
    """weekly.csv with [sales]: week_start,handoffs,slots,followed_up,
    backlog_end,sla_met first, in that order (SPEC 7), then the threshold
    columns by name.  Rows are matched by (week_start, threshold,
    fit_threshold): every reference row must be there; OTHER may have more
    weeks (SPEC 5.11: "at least" the queue's range and the cohort's weeks)
    when they have no hand-off, follow-up, backlog or SLA hit (their slots
    are not checked)."""
    if oh[:len(SALES_WEEKLY)] != SALES_WEEKLY:
        missing = [c for c in SALES_WEEKLY if c not in oh]
        if missing:
            report('header: missing columns: %s' % ','.join(missing))
        else:
            report('header: first columns ref=%s other=%s' % (
                ','.join(SALES_WEEKLY), ','.join(oh[:len(SALES_WEEKLY)])))
    keys = [c for c in ('threshold', 'fit_threshold') if c in rh]
    if sorted(c for c in oh if c in ('threshold', 'fit_threshold')) != sorted(keys):
        report('header: threshold columns ref=%s other=%s' % (','.join(rh), ','.join(oh)))
        return
    oidx = {c: i for i, c in reversed(list(enumerate(oh)))}
    ridx = {c: i for i, c in enumerate(rh)}

    def cell(row, idx, c):
        i = idx.get(c)
        return row[i].strip() if i is not None and i < len(row) else ''

    def key(row, idx):
        k = [cell(row, idx, 'week_start')]
        for c in keys:
            v = cell(row, idx, c)
            try:
                k.append(float(v) if v != '' else None)
            except ValueError:
                k.append(v)
        return tuple(k)

    others = {}
    for n, row in enumerate(orows, 1):
        k = key(row, oidx)
        if k in others:
            report('row %d (%s): duplicate week' % (n, ','.join(map(str, k))))
        others[k] = row
    seen = set()
    for n, rr in enumerate(rrows, 1):
        k = key(rr, ridx)
        seen.add(k)
        label = ','.join('' if x is None else str(x) for x in k)
        orow = others.get(k)
        if orow is None:
            report('row %d (%s): missing' % (n, label))
            continue
        for col in rh:
            if col in keys or col == 'week_start' or col not in oidx:
                continue
            rv, ov = cell(rr, ridx, col), cell(orow, oidx, col)
            if not same_cell(col, rv, ov):
                report('row %d (%s): %s: ref=%r other=%r' % (n, label, col, rv, ov))
    for k, orow in others.items():
        if k in seen:
            continue
        busy = [c for c in ACTIVITY if c in oidx and cell(orow, oidx, c) not in ('', '0')]
        if busy:
            report('extra row (%s): %s not 0 outside the reference\'s weeks' % (
                ','.join('' if x is None else str(x) for x in k), ','.join(busy)))


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
        if bad <= MAX_LINES:
            print(lab + msg)

    if not a.weekly:
        if oh[:len(CONTRACT)] != CONTRACT:
            report('header: first %d columns differ: %s' % (
                len(CONTRACT), ','.join(oh[:len(CONTRACT)])))
    if not a.weekly and oh[:len(rh)] != rh:
        extra = [c for c in rh if c not in oh]
        if extra:
            report('header: missing columns: %s' % ','.join(extra))
    if a.weekly and 'slots' in rh:
        compare_weekly_sales(rh, rrows, oh, orows, report)
        if bad > MAX_LINES:
            print('%s... %d more mismatches' % (lab, bad - MAX_LINES))
        return 1 if bad else 0
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
    if bad > MAX_LINES:
        print('%s... %d more mismatches' % (lab, bad - MAX_LINES))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
