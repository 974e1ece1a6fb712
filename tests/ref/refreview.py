#!/usr/bin/env python3
"""Independent reference for `leadsim review` (SPEC 5.8, 5.11 "Review", 7).

    refreview.py SCENARIO.ini [--data DIR] [--period M] [--out DIR]

Writes DIR/review.csv and DIR/review-features.csv (default: the current
directory).  Written from the specification alone; the dataset, scenario,
fit and score code is refsim.py's (imported, not copied).

Exit status: 0 written, 65 bad input, 3 unsupported here (two-axis mode's
best threshold, the capacity and sla objectives).
"""

import argparse
import csv
import datetime as _dt
import math
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refsim  # noqa: E402
from refsim import (RefError, US_PER_DAY, fit_points, behaviour, rule_fires,  # noqa: E402
                    snap, div, fmt_real, fmt_num, read_ini, parse_decimal)

UNSUPPORTED = 3
MAX_ATTR_VALUES = 30
PSI_EMPTY = 0.0001
FISHER_REL = Fraction(1, 10 ** 7)


class Unsupported(Exception):
    pass


# --------------------------------------------------------------------------
# the objective ([tune] objective, README's sweep table, 5.11)
# --------------------------------------------------------------------------

def read_objective(path):
    text = 'f1'
    for section, k, v, _ in read_ini(path):
        if section == 'tune' and k == 'objective':
            text = v.strip()
    return parse_objective(text)


def parse_objective(text):
    name, _, arg = text.partition(':')
    name = name.strip()
    if name == 'f1' and not arg:
        return ('f1', None)
    if name in ('fbeta', 'precision_at_least', 'recall_at_least'):
        x = parse_decimal(arg)
        if x is None:
            raise RefError('bad objective %r' % text)
        return (name, x)
    if name == 'value':
        parts = arg.split(',')
        if len(parts) != 2 or any(parse_decimal(p) is None for p in parts):
            raise RefError('bad objective %r' % text)
        return (name, tuple(parse_decimal(p) for p in parts))
    if name in ('capacity', 'sla'):
        raise Unsupported('objective %s' % text)
    raise RefError('bad objective %r' % text)


def objective_value(obj, tp, fp, fn):
    """Exact value (a Fraction) of the objective at one row, or None when it
    is undefined or the row fails the objective's constraint."""
    name, arg = obj
    tp, fp, fn = Fraction(tp), Fraction(fp), Fraction(fn)
    mqls = tp + fp
    if name == 'f1':                       # 5.11: 2 tp / (2 tp + fp + fn)
        den = 2 * tp + fp + fn
        return None if den == 0 else 2 * tp / den
    if name == 'fbeta':                    # the same form: (1+b2) tp / ((1+b2) tp + b2 fn + fp)
        b2 = arg * arg
        den = (1 + b2) * tp + b2 * fn + fp
        return None if den == 0 else (1 + b2) * tp / den
    if name == 'precision_at_least':       # the highest recall with precision >= P
        if mqls == 0 or tp / mqls < arg or tp + fn == 0:
            return None
        return tp / (tp + fn)
    if name == 'recall_at_least':          # the fewest hand-offs with recall >= R
        if tp + fn == 0 or tp / (tp + fn) < arg:
            return None
        return -mqls
    if name == 'value':
        won_value, cost = arg
        return tp * won_value - mqls * cost
    raise Unsupported(name)


# --------------------------------------------------------------------------
# per lead: the fixed outcome window, best scores, always-MQL
# --------------------------------------------------------------------------

class Row:
    """One cohort lead as the review sees it."""
    __slots__ = ('lead', 'period', 'won', 'amount', 'cutoff', 'counted',
                 'fit', 'always', 'best', 'psi_score', 'types')


def in_cohort(sc, L, until):
    if sc.date_from is not None and not (sc.date_from <= L.created):
        return False
    if sc.date_to is not None and not (L.created < sc.date_to):
        return False
    if sc.maturity_days is not None and not (
            L.created <= until - Fraction(sc.maturity_days) * US_PER_DAY):
        return False
    return True


def period_index(us, months):
    d = refsim.EPOCH + _dt.timedelta(microseconds=us)
    return (d.year * 12 + d.month - 1) // months


def period_bounds(idx, months):
    """(start, end) in microseconds UTC of period idx (end exclusive)."""
    def month_start(k):
        d = _dt.datetime(k // 12, k % 12 + 1, 1)
        return int((d - refsim.EPOCH).total_seconds()) * refsim.US_PER_SEC
    return month_start(idx * months), month_start((idx + 1) * months)


def score_at(sc, fit, events, t):
    """(single-axis score, behaviour) at t as refsim compares them."""
    b = behaviour(sc, events, t)
    if sc.half_life is None:
        return fit + b, b
    return snap(math.fsum([float(fit), b])), snap(b)


def prepare(sc, L, until, months, window=True):
    """With window (review, 5.8) the fixed outcome window of maturity_days
    applies; without it (plan) the 5.1 cutoff and status."""
    W = sc.maturity_days if window else None
    r = Row()
    r.lead = L
    r.period = period_index(L.created, months)
    known = L.status
    if L.status in ('won', 'lost') and L.closed is not None and L.closed > until:
        known = 'open'
    cutoff = L.closed if (known in ('won', 'lost') and L.closed is not None) else until
    won = known == 'won'
    if W is not None:
        end = L.created + Fraction(W) * US_PER_DAY
        cutoff = min(cutoff, end)
        won = won and L.closed is not None and L.closed <= end
    r.cutoff = cutoff
    r.won = won
    r.amount = L.amount or 0.0
    r.counted = [(te, k) for te, k in L.events if k != '' and L.created <= te < cutoff]
    r.types = {k for _, k in r.counted}
    r.fit = fit_points(sc, L)
    r.always = False
    r.best = None          # the single-axis score, or behaviour in two-axis mode
    r.psi_score = None     # fit + behaviour in both modes
    cands = sorted({L.created} | {te for te, _ in r.counted})
    for t in cands:
        if not (L.created <= t < cutoff):
            continue
        s, b = score_at(sc, r.fit, r.counted, t)
        key = s if sc.fit_thresholds is None else b
        if r.best is None or key > r.best:
            r.best = key
        if r.psi_score is None or s > r.psi_score:
            r.psi_score = s
        if any(te == t and k in sc.fast_track for te, k in r.counted):
            r.always = True
        if any(rule_fires(ru, r.counted, L.created, t) for ru in sc.rules):
            r.always = True
    # a lead with no candidate time (cutoff == created_at) has no best score
    # and stays out of PSI's deciles and shares
    return r


def is_mql(sc, r, T, F):
    if r.always:
        return True
    if r.best is None:
        return False
    if F is None:
        return r.best >= T
    return r.fit >= F and r.best >= T


def counts(sc, rows, T, F):
    tp = fp = fn = tn = 0
    amt_tp = amt_won = 0.0
    for r in rows:
        m = is_mql(sc, r, T, F)
        if r.won:
            amt_won += r.amount
            if m:
                tp += 1
                amt_tp += r.amount
            else:
                fn += 1
        elif m:
            fp += 1
        else:
            tn += 1
    return tp, fp, fn, tn, amt_tp, amt_won


def contract(sc, rows, T, F):
    tp, fp, fn, tn, amt_tp, amt_won = counts(sc, rows, T, F)
    n = len(rows)
    mqls = tp + fp
    P = div(tp, mqls)
    R = div(tp, tp + fn)
    f1 = div(2 * P * R, P + R) if P is not None and R is not None else None
    return [sc.name, fmt_num(T), fmt_num(F), n, tp + fn, mqls, tp, fp, fn, tn,
            fmt_real(P), fmt_real(R), fmt_real(f1), fmt_real(div(mqls, n)),
            fmt_real(div(P, div(tp + fn, n))), fmt_real(div(amt_tp, amt_won))]


def sweep_best(sc, rows, obj):
    """(threshold, objective) of the period's sweep pick, or (None, None)."""
    values = sorted({r.best for r in rows if not r.always and r.best is not None})
    best = None
    for T in values:
        tp, fp, fn, _, _, _ = counts(sc, rows, T, None)
        v = objective_value(obj, tp, fp, fn)
        if v is None:
            continue
        key = (v, -(tp + fp), T)          # higher value, fewer MQLs, higher threshold
        if best is None or key > best[0]:
            best = (key, T, v)
    if best is None:
        return None, None
    return best[1], best[2]


def sweep_best_pair(sc, rows, obj):
    """Two-axis mode: the pick over the grid of distinct behaviour maxima x
    distinct fit values of the leads no fast track or rule qualifies
    (README, sweep): (T, F, objective) or (None, None, None).  Ties: fewer
    MQLs, then the higher threshold, then the higher fit threshold."""
    free = [r for r in rows if not r.always and r.best is not None]
    best = None
    for T in sorted({r.best for r in free}):
        for F in sorted({r.fit for r in free}):
            tp, fp, fn, _, _, _ = counts(sc, rows, T, F)
            v = objective_value(obj, tp, fp, fn)
            if v is None:
                continue
            key = (v, -(tp + fp), T, F)
            if best is None or key > best[0]:
                best = (key, T, F, v)
    if best is None:
        return None, None, None
    return best[1], best[2], best[3]


def value_at(sc, rows, obj, T):
    tp, fp, fn, _, _, _ = counts(sc, rows, T, None)
    return objective_value(obj, tp, fp, fn)


# --------------------------------------------------------------------------
# statistics
# --------------------------------------------------------------------------

def quantile7(xs, q):
    """R type 7 with exact arithmetic (xs exact, q a Fraction)."""
    xs = sorted(xs)
    n = len(xs)
    h = (n - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def psi_shares(cuts, xs):
    """Shares of xs in the 10 bins: x <= q1, q_i < x <= q_(i+1), x > q9."""
    bins = [0] * (len(cuts) + 1)
    for x in xs:
        i = 0
        while i < len(cuts) and x > cuts[i]:
            i += 1
        bins[i] += 1
    n = len(xs)
    return [c / n if n else 0.0 for c in bins]


def psi(cuts, base, xs):
    """None (empty) when xs is empty: its shares would be 0/0 (5.4)."""
    if not xs:
        return None
    e = psi_shares(cuts, base)
    a = psi_shares(cuts, xs)
    total = 0.0
    for ai, ei in zip(a, e):
        ai = ai if ai > 0 else PSI_EMPTY
        ei = ei if ei > 0 else PSI_EMPTY
        total += (ai - ei) * math.log(ai / ei)
    return total


def comb(n, k):
    return math.comb(n, k) if 0 <= k <= n else 0


def fisher(a, b, c, d):
    """Two-sided Fisher exact test of [[a, b], [c, d]]: the sum of the
    probabilities of the tables with the same margins no more likely than the
    observed one (relative tolerance 1e-7); p = 1 when a margin is 0."""
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    if 0 in (r1, r2, c1, c2):
        return 1.0
    obs = comb(r1, a) * comb(r2, c)
    limit = obs * (1 + FISHER_REL)
    num = 0
    for x in range(max(0, c1 - r2), min(r1, c1) + 1):
        px = comb(r1, x) * comb(r2, c1 - x)
        if px <= limit:
            num += px
    return float(min(Fraction(num, comb(r1 + r2, c1)), Fraction(1)))


# --------------------------------------------------------------------------
# features
# --------------------------------------------------------------------------

def fit_line_keys(path):
    """Per [fit COLUMN] section, the keys of its value and range lines as
    written, in file order."""
    keys = {}
    for section, k, v, _ in read_ini(path):
        if section and section.startswith('fit '):
            col = section[4:].strip()
            keys.setdefault(col, [])
            if k not in ('default', 'per_unit', 'max'):
                keys[col].append(k)
    return keys


def fit_line(fs, cell):
    """Index of the first matching line (refsim's matching), or None."""
    if cell == '':
        return None
    x = parse_decimal(cell)
    for i, (kind, key, _) in enumerate(fs['lines']):
        if kind == 'value':
            if cell == key:
                return i
        else:
            lo, hi = key
            if x is not None and (lo is None or Fraction(lo) <= x) and \
                    (hi is None or x < Fraction(hi)):
                return i
    return None


def features(sc, path, header, cohort):
    """[(kind, name, value, predicate)] in output order."""
    out = []
    types = sorted(set().union(*[r.types for r in cohort])) if cohort else []
    for k in types:
        out.append(('event', k, '', lambda r, k=k: k in r.types))
    keys = fit_line_keys(path)
    scored = set()
    for fs in sc.fits:
        col = fs['column']
        scored.add(col)
        if fs['per_unit'] is not None:
            continue
        ks = keys[col]
        for i, key in enumerate(ks):
            out.append(('fit', col, key,
                        lambda r, fs=fs, i=i: fit_line(fs, r.lead.attrs.get(fs['column'], '').strip()) == i))
        out.append(('fit', col, 'default',
                    lambda r, fs=fs: fit_line(fs, r.lead.attrs.get(fs['column'], '').strip()) is None))
    for col in header:
        if col in ('lead_id', 'created_at') or col in scored:
            continue
        vals = sorted({r.lead.attrs.get(col, '').strip() for r in cohort})
        if len(vals) > MAX_ATTR_VALUES:
            continue
        for v in vals:
            out.append(('attribute', col, v if v != '' else '(empty)',
                        lambda r, col=col, v=v: r.lead.attrs.get(col, '').strip() == v))
    return out


# --------------------------------------------------------------------------
# the review
# --------------------------------------------------------------------------

REVIEW_HEAD = ['period_start', 'period_end', 'complete'] + refsim.COLUMNS[:16] + \
    ['best_threshold', 'backtest_threshold', 'backtest_objective', 'best_objective',
     'regret', 'psi']
FEATURE_HEAD = ['period_start', 'kind', 'name', 'value', 'leads_with', 'share',
                'won_rate_with', 'won_rate_without', 'lift', 'p_value']


def review(sc, path, leads, header, until, months):
    obj = read_objective(path)
    if sc.fit_thresholds is not None:
        raise Unsupported("two-axis mode's best threshold")
    cohort = [prepare(sc, L, until, months) for L in leads if in_cohort(sc, L, until)]
    periods = sorted({r.period for r in cohort})
    by = {p: [r for r in cohort if r.period == p] for p in periods}
    feats = features(sc, path, header, cohort)
    W = sc.maturity_days
    limit = until - (Fraction(W) * US_PER_DAY if W is not None else 0)
    fts = sc.fit_thresholds if sc.fit_thresholds is not None else [None]

    base = [r.psi_score for r in by[periods[0]] if r.psi_score is not None] if periods else []
    cuts = [quantile7(base, Fraction(i, 10)) for i in range(1, 10)] if base else []

    rrows, frows = [], []
    prev = None           # (rows, best threshold) of the previous listed period
    for p in periods:
        rows = by[p]
        start, end = period_bounds(p, months)
        last = min(end, sc.date_to) if sc.date_to is not None else end
        complete = 1 if last <= limit else 0
        bestT, bestV = sweep_best(sc, rows, obj)
        bt = bo = reg = ps = None
        if prev is not None:
            ps = psi(cuts, base, [r.psi_score for r in rows if r.psi_score is not None]) \
                if base else None
            bt = prev[1]
            if bt is not None:
                bo = value_at(sc, rows, obj, bt)
                if bo is not None and bestV is not None:
                    reg = bestV - bo
        for T in sc.thresholds:
            for F in fts:
                rrows.append([refsim.fmt_date(start), refsim.fmt_date(end), complete] +
                             contract(sc, rows, T, F) +
                             [fmt_num(bestT), fmt_num(bt), fmt_real(bo), fmt_real(bestV),
                              fmt_real(reg), fmt_real(ps)])
        n = len(rows)
        won = sum(1 for r in rows if r.won)
        for kind, name, value, pred in feats:
            w = [pred(r) for r in rows]
            nw = sum(w)
            ww = sum(1 for r, x in zip(rows, w) if x and r.won)
            wo = won - ww
            rate_with = div(ww, nw)
            pv = None
            if prev is not None:
                pw = [r for r in prev[0] if pred(r)]
                pww = sum(1 for r in pw if r.won)
                pv = fisher(pww, len(pw) - pww, ww, nw - ww)
            frows.append([refsim.fmt_date(start), kind, name, value, nw,
                          fmt_real(div(nw, n)), fmt_real(rate_with),
                          fmt_real(div(wo, n - nw)), fmt_real(div(rate_with, div(won, n))),
                          fmt_real(pv)])
        prev = (rows, bestT)
    return rrows, frows


def leads_header(folder):
    with open(os.path.join(folder, 'leads.csv'), newline='', encoding='utf-8-sig') as f:
        return [h.strip() for h in next(csv.reader(f))]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('scenario')
    ap.add_argument('--data')
    ap.add_argument('--period', type=int, default=6)
    ap.add_argument('--out', default='.')
    a = ap.parse_args(argv)
    if a.period < 1:
        print('refreview: error: --period must be a positive number of months', file=sys.stderr)
        return 2
    try:
        sc = refsim.Scenario(a.scenario)
        if a.data:
            folder = a.data
        elif sc.data:
            folder = os.path.join(sc.dir, sc.data)
        else:
            raise RefError('no dataset: set data = in [scenario] or use --data')
        leads, latest, _ = refsim.load_dataset(folder)
        until = sc.until if sc.until is not None else latest
        rrows, frows = review(sc, a.scenario, leads, leads_header(folder), until, a.period)
    except Unsupported as e:
        print('refreview: unsupported: %s' % e, file=sys.stderr)
        return UNSUPPORTED
    except (RefError, KeyError, OSError) as e:
        print('refreview: error: %s' % e, file=sys.stderr)
        return 65
    os.makedirs(a.out, exist_ok=True)
    for name, head, rows in (('review.csv', REVIEW_HEAD, rrows),
                             ('review-features.csv', FEATURE_HEAD, frows)):
        with open(os.path.join(a.out, name), 'w', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(head)
            w.writerows(rows)
    return 0


if __name__ == '__main__':
    sys.exit(main())
