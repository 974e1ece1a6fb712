#!/usr/bin/env python3
"""Independent reference for `leadsim plan` (SPEC 5.9, 5.11 "Plan", 7).

    refplan.py SCENARIO.ini [--data DIR] (--revenue G | --deals N)
               [--from D --to E] [--draws N] [--seed S] [--out DIR]

Writes DIR/plan.csv (rows leads, mqls, deals, lag_days; columns
point,median,lo80,hi80,lo95,hi95,p80,p95) and DIR/plan-dates.csv (the inputs
n, m, t, the threshold used, and with --from/--to the latest arrival dates
and the per-month shares of 5.9).  Default DIR: the current directory.

The Monte Carlo uses Python's own generator: its columns can only be
compared within a tolerance (compare_review.py --kind plan: --mc-rel, or
--draws with the file written by --draws-out).

Exit status: 0 written, 65 bad input (a rate of 0, no amounts for a revenue
goal), 2 usage, 3 unsupported here (the capacity and sla objectives).
"""

import argparse
import calendar
import csv
import datetime as _dt
import math
import os
import random
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refsim  # noqa: E402
import refreview  # noqa: E402
from refsim import RefError, US_PER_DAY, fmt_real, fmt_num  # noqa: E402

QUANTILES = [('median', Fraction(1, 2)), ('lo80', Fraction(1, 10)), ('hi80', Fraction(9, 10)),
             ('lo95', Fraction(1, 40)), ('hi95', Fraction(39, 40)),
             ('p80', Fraction(4, 5)), ('p95', Fraction(19, 20))]
HEAD = ['quantity', 'point'] + [k for k, _ in QUANTILES]


def history(sc, leads, until, path):
    """(threshold, n, m, t, amounts, lags) of the 5.1 cohort at the plan's
    threshold: the single one, or the sweep's pick under [tune] objective."""
    rows = [refreview.prepare(sc, L, until, 1200, window=False)
            for L in leads if refreview.in_cohort(sc, L, until)]
    fts = sc.fit_thresholds
    F = None
    if len(sc.thresholds) == 1 and (fts is None or len(fts) == 1):
        T = sc.thresholds[0]
        F = fts[0] if fts is not None else None
    elif fts is None:
        T, _ = refreview.sweep_best(sc, rows, refreview.read_objective(path))
    else:
        T, F, _ = refreview.sweep_best_pair(sc, rows, refreview.read_objective(path))
    if T is None:
        raise RefError('no threshold satisfies the objective')
    n = len(rows)
    mq = [r for r in rows if refreview.is_mql(sc, r, T, F)]
    won = [r for r in mq if r.won]
    amounts = [r.lead.amount for r in won if r.lead.amount is not None]
    lags = [Fraction(r.lead.closed - r.lead.created, US_PER_DAY)
            for r in won if r.lead.closed is not None]
    return (T, F), n, len(mq), len(won), amounts, lags


def q7(xs, q):
    """R type 7 (exact for Fractions and ints)."""
    return refreview.quantile7(xs, q)


def geometric_failures(rng, p):
    """Failures before the first success, P(success) = p (inversion)."""
    if p >= 1.0:
        return 0
    u = 1.0 - rng.random()                  # (0, 1]
    return int(math.floor(math.log(u) / math.log1p(-p)))


def negbin(rng, d, p):
    """Failures before the d-th success: a sum of d geometric draws."""
    return sum(geometric_failures(rng, p) for _ in range(d))


def simulate(n, m, t, amounts, goal, deals, draws, seed):
    rng = random.Random(seed)
    L, M, D = [], [], []
    for _ in range(draws):
        p1 = rng.betavariate(m + 0.5, n - m + 0.5)
        p2 = rng.betavariate(t + 0.5, m - t + 0.5)
        if deals is not None:
            d = deals
        else:
            d, total = 0, 0.0
            while total < goal:
                total += rng.choice(amounts)
                d += 1
        D.append(d)
        L.append(d + negbin(rng, d, p1 * p2))
        M.append(d + negbin(rng, d, p2))
    return L, M, D


def month_shares(lags, d_from, d_to):
    """[(month_start, share)]: calendar months overlapping [D, E); the share
    of lags <= E - the month's midpoint (0 when that is negative)."""
    out = []
    d = refsim.EPOCH + _dt.timedelta(microseconds=d_from)
    y, mo = d.year, d.month
    while True:
        start = _dt.datetime(y, mo, 1)
        days = calendar.monthrange(y, mo)[1]
        s_us = int((start - refsim.EPOCH).total_seconds()) * refsim.US_PER_SEC
        e_us = s_us + days * US_PER_DAY
        if s_us >= d_to:
            break
        if e_us > d_from:
            mid = s_us + (e_us - s_us) // 2
            room = Fraction(d_to - mid, US_PER_DAY)
            share = 0.0 if room < 0 else sum(1 for x in lags if x <= room) / len(lags)
            out.append((start.strftime('%Y-%m'), share))
        mo += 1
        if mo == 13:
            y, mo = y + 1, 1
    return out


def fmt_instant(us):
    d = refsim.EPOCH + _dt.timedelta(microseconds=round(us))
    return d.strftime('%Y-%m-%d %H:%M:%S') + ('.%06d' % d.microsecond if d.microsecond else '')


def plan(a):
    sc = refsim.Scenario(a.scenario)
    if a.data:
        folder = a.data
    elif sc.data:
        folder = os.path.join(sc.dir, sc.data)
    else:
        raise RefError('no dataset: set data = in [scenario] or use --data')
    leads, latest, _ = refsim.load_dataset(folder)
    until = sc.until if sc.until is not None else latest
    T, n, m, t, amounts, lags = history(sc, leads, until, a.scenario)
    if m == 0 or t == 0:
        raise RefError('a rate of 0: %d leads, %d MQLs, %d won MQLs' % (n, m, t))
    goal = deals = None
    if a.deals is not None:
        deals = a.deals
        pt_deals = Fraction(deals)
    else:
        goal = Fraction(a.revenue)
        if not amounts or all(x == 0 for x in amounts):
            raise RefError('a revenue goal needs the amounts of won MQLs: none has one')
        if sum(amounts) <= 0:
            # the resampled sums would never reach the goal
            raise RefError('the amounts of won MQLs do not add up to a positive mean')
        mean = sum(Fraction(x) for x in amounts) / len(amounts)
        pt_deals = goal / mean
    p1, p2 = Fraction(m, n), Fraction(t, m)
    point = {'leads': pt_deals / (p1 * p2), 'mqls': pt_deals / p2, 'deals': pt_deals}
    Ls, Ms, Ds = simulate(n, m, t, [float(x) for x in amounts],
                          float(goal) if goal is not None else None, deals, a.draws, a.seed)
    rows = []
    for name, xs in (('leads', Ls), ('mqls', Ms), ('deals', Ds)):
        rows.append([name, fmt_real(point[name])] + [fmt_real(q7(xs, q)) for _, q in QUANTILES])
    if lags:
        rows.append(['lag_days', fmt_real(sum(lags) / len(lags))] +
                    [fmt_real(q7(lags, q)) for _, q in QUANTILES])
    else:
        rows.append(['lag_days'] + [''] * (len(HEAD) - 1))
    extra = [('threshold', '', fmt_num(T[0])), ('fit_threshold', '', fmt_num(T[1])), ('leads', '', n), ('mqls', '', m), ('won_mqls', '', t),
             ('amounts', '', len(amounts)), ('lags', '', len(lags))]
    if a.date_from is not None and lags:
        for label, q in (('50', Fraction(1, 2)), ('80', Fraction(4, 5)), ('95', Fraction(19, 20))):
            extra.append(('latest_arrival', label,
                          fmt_instant(a.date_to - q7(lags, q) * US_PER_DAY)))
        for month, share in month_shares(lags, a.date_from, a.date_to):
            extra.append(('month_share', month, fmt_real(share)))
    a.draws_kept = (Ls, Ms, Ds)
    return rows, extra


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('scenario')
    ap.add_argument('--data')
    ap.add_argument('--revenue')
    ap.add_argument('--deals', type=int)
    ap.add_argument('--from', dest='d_from')
    ap.add_argument('--to', dest='d_to')
    ap.add_argument('--draws', type=int, default=10000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', default='.')
    ap.add_argument('--draws-out', help='also write every draw (leads,mqls,deals a line) here')
    a = ap.parse_args(argv)

    def usage(msg):
        print('refplan: usage: %s' % msg, file=sys.stderr)
        return 2
    if (a.revenue is None) == (a.deals is None):
        return usage('give one of --revenue GOAL and --deals N')
    if a.revenue is not None and (refsim.parse_decimal(a.revenue) is None or
                                  Fraction(a.revenue.strip()) <= 0):
        return usage('--revenue must be a positive number')
    if a.deals is not None and a.deals < 1:
        return usage('--deals must be a positive integer')
    if a.draws < 1:
        return usage('--draws must be positive')
    if (a.d_from is None) != (a.d_to is None):
        return usage('--from and --to go together')
    a.date_from = refsim.parse_ts(a.d_from) if a.d_from else None
    a.date_to = refsim.parse_ts(a.d_to) if a.d_to else None
    if a.d_from and (a.date_from is None or a.date_to is None or a.date_to <= a.date_from):
        return usage('--from D --to E: two timestamps, D before E')
    try:
        rows, extra = plan(a)
    except refreview.Unsupported as e:
        print('refplan: unsupported: %s' % e, file=sys.stderr)
        return 3
    except (RefError, KeyError, OSError) as e:
        print('refplan: error: %s' % e, file=sys.stderr)
        return 65
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, 'plan.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(HEAD)
        w.writerows(rows)
    if a.draws_out:
        with open(a.draws_out, 'w', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(['leads', 'mqls', 'deals'])
            w.writerows(zip(*a.draws_kept))
    with open(os.path.join(a.out, 'plan-dates.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['what', 'key', 'value'])
        w.writerows(extra)
    return 0


if __name__ == '__main__':
    sys.exit(main())
