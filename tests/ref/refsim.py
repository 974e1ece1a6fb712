#!/usr/bin/env python3
"""Independent reference implementation of leadsim's normative semantics.

Written from SPEC.md sections 3, 4, 5.1-5.4 and 7 alone (no look at the C
sources).  Deliberately slow and direct: for every candidate time of every
lead the score is recomputed from scratch by summing over the lead's events.

Usage:
    refsim.py SCENARIO.ini [--data DIR] [--weekly FILE]

Prints summary.csv (16 contract columns, then median_days_to_mql,
handoff_weeks, weekly_mean, weekly_p90, weekly_max) on stdout.  --weekly
writes weekly.csv: week_start,handoffs for every week of every summary row;
with several rows each line also names its threshold (and, in two-axis mode,
its fit_threshold).

Out of scope: [sales], [tune], dataset.ini layouts, grids in [behaviour].
"""

import argparse
import csv
import datetime as _dt
import math
import os
import re
import sys
from fractions import Fraction

US_PER_SEC = 1_000_000
US_PER_DAY = 86_400 * US_PER_SEC


class RefError(Exception):
    pass


# --------------------------------------------------------------------------
# numbers and timestamps
# --------------------------------------------------------------------------

NUM_RE = re.compile(r'^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$')


def parse_number(s):
    """A finite decimal number, or None.  (No inf/nan/hex/underscores.)"""
    s = s.strip()
    if not NUM_RE.match(s):
        return None
    v = float(s)
    if not math.isfinite(v):
        return None
    return v


MAX_PLACES = 9


def as_written(d):
    """A decimal with more than MAX_PLACES places, rounded to that many,
    half away from zero (a score is computed to 1e-9 points at most)."""
    q = d * 10 ** MAX_PLACES
    if q.denominator == 1:
        return d
    n = math.floor(abs(q) + Fraction(1, 2))
    return Fraction(n if q > 0 else -n, 10 ** MAX_PLACES)


def parse_decimal(s):
    """A scenario or data number as the exact decimal written (a Fraction),
    or None."""
    if parse_number(s) is None:
        return None
    return Fraction(s.strip())


def snap(x):
    """Decayed scores are not decimal: rounded to the nearest 1e-9 (ties to
    even) before they are compared.  Beyond 2^53 * 1e-9 left as they are."""
    y = x * 1e9
    if not abs(y) < 2.0 ** 53:
        return Fraction(x)
    return Fraction(round(y), 10 ** 9)


TS_RE = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})'
    r'(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?'
    r'(Z|[+-]\d{2}:\d{2})?$')

EPOCH = _dt.datetime(1970, 1, 1)


def parse_ts(s):
    """Timestamp text -> integer microseconds since 1970-01-01 UTC, or None."""
    s = s.strip()
    m = TS_RE.match(s)
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    try:
        base = _dt.datetime(int(y), int(mo), int(d),
                            int(hh or 0), int(mi or 0), int(ss or 0))
    except ValueError:
        return None
    delta = base - EPOCH
    us = (delta.days * 86400 + delta.seconds) * US_PER_SEC
    if frac:
        # microsecond resolution: digits beyond the sixth are dropped
        us += int((frac + '000000')[:6])
    if tz and tz != 'Z':
        sign = 1 if tz[0] == '+' else -1
        oh, om = int(tz[1:3]), int(tz[4:6])
        # local = UTC + offset  =>  UTC = local - offset
        us -= sign * (oh * 3600 + om * 60) * US_PER_SEC
    return us


def fmt_date(us):
    return (EPOCH + _dt.timedelta(microseconds=us)).strftime('%Y-%m-%d')


def fmt_real(x):
    if x is None:
        return ''
    return repr(float(x))


def fmt_num(x):
    """Threshold values: integers without a trailing .0."""
    if x is None:
        return ''
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


# --------------------------------------------------------------------------
# scenario INI
# --------------------------------------------------------------------------

INLINE_COMMENT_RE = re.compile(r'\s[;#]')


def read_ini(path):
    """Return a list of (section, key, value, lineno) in file order."""
    items = []
    section = None
    with open(path, encoding='utf-8-sig') as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip('\r\n')
            s = line.strip()
            if not s or s[0] in ';#':
                continue
            m = INLINE_COMMENT_RE.search(s)
            if m:
                s = s[:m.start()].strip()
            if s.startswith('['):
                if not s.endswith(']'):
                    raise RefError('%s:%d: bad section header' % (path, lineno))
                section = ' '.join(s[1:-1].split())
                continue
            if '=' not in s:
                raise RefError('%s:%d: expected key = value' % (path, lineno))
            k, v = s.split('=', 1)
            items.append((section, k.strip(), v.strip(), lineno))
    return items


def parse_value_set(text):
    """`60`, `20, 40, 60` or `0..200 step 5` -> list of decimals (Fractions)."""
    m = re.match(r'^\s*(\S+)\s*\.\.\s*(\S+)\s+step\s+(\S+)\s*$', text)
    if m:
        lo, hi, step = (parse_decimal(g) for g in m.groups())
        if lo is None or hi is None or step is None or step <= 0 or hi < lo:
            raise RefError('bad range %r' % text)
        out = []
        i = 0
        while True:
            v = lo + i * step
            if v > hi:
                break
            out.append(v)
            i += 1
        return out
    out = []
    for part in text.split(','):
        v = parse_decimal(part)
        if v is None:
            raise RefError('bad number %r' % part)
        out.append(v)
    return out


RULE_RE = re.compile(r'^(.*?)(?:\s+within\s+([0-9.]+)\s*d)?\s*$')
TERM_RE = re.compile(r'^(\S+)\s*>=\s*(\d+)$')


def parse_rule(text):
    m = RULE_RE.match(text.strip())
    body, within = m.group(1), m.group(2)
    terms = []
    for t in re.split(r'\s+and\s+', body.strip()):
        tm = TERM_RE.match(t.strip())
        if not tm:
            raise RefError('bad rule term %r' % t)
        terms.append((tm.group(1), int(tm.group(2))))
    days = parse_number(within) if within is not None else None
    return {'terms': terms, 'within_days': days}


def parse_range_key(key):
    """`LO..HI` with optional empty ends -> (lo, hi) (None = open), or None."""
    if '..' not in key:
        return None
    lo_s, hi_s = key.split('..', 1)
    lo_s, hi_s = lo_s.strip(), hi_s.strip()
    lo = parse_number(lo_s) if lo_s else None
    hi = parse_number(hi_s) if hi_s else None
    if (lo_s and lo is None) or (hi_s and hi is None):
        return None
    return (lo, hi)


class Scenario:
    def __init__(self, path):
        self.path = path
        self.dir = os.path.dirname(os.path.abspath(path))
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.data = None
        self.points = {}          # event type -> points
        self.limits = {}          # event type -> limit
        self.half_life = None     # days, None = no decay
        self.fits = []            # list of dicts, in file order
        self.thresholds = None
        self.fit_thresholds = None
        self.fast_track = set()
        self.rules = []
        self.date_from = None
        self.date_to = None
        self.until = None
        self.maturity_days = None

        fits = {}
        for section, k, v, lineno in read_ini(path):
            if section is None:
                raise RefError('%s:%d: key outside a section' % (path, lineno))
            if section == 'scenario':
                if k == 'name':
                    self.name = v
                elif k == 'data':
                    self.data = v
            elif section == 'behaviour':
                n = parse_decimal(v)
                if n is None:
                    raise RefError('%s:%d: bad number' % (path, lineno))
                self.points[k] = n
            elif section == 'limits':
                n = parse_decimal(v)
                if n is None:
                    raise RefError('%s:%d: bad number' % (path, lineno))
                self.limits[k] = n
            elif section == 'decay':
                if k == 'half_life_days':
                    n = parse_number(v)
                    if n is None:
                        raise RefError('%s:%d: bad number' % (path, lineno))
                    self.half_life = n if n > 0 else None
            elif section.startswith('fit '):
                col = section[4:].strip()
                if col not in fits:
                    fits[col] = {'column': col, 'lines': [], 'default': Fraction(0),
                                 'per_unit': None, 'max': None}
                    self.fits.append(fits[col])
                fs = fits[col]
                if k in ('default', 'per_unit', 'max'):
                    n = parse_decimal(v)
                    if n is None:
                        raise RefError('%s:%d: bad number' % (path, lineno))
                    fs[k] = n
                else:
                    pts = parse_decimal(v)
                    if pts is None:
                        raise RefError('%s:%d: bad number' % (path, lineno))
                    rng = parse_range_key(k)
                    if rng is not None:
                        fs['lines'].append(('range', rng, pts))
                    else:
                        fs['lines'].append(('value', k, pts))
            elif section == 'mql':
                if k == 'threshold':
                    self.thresholds = parse_value_set(v)
                elif k == 'fit_threshold':
                    self.fit_thresholds = parse_value_set(v)
                elif k == 'fast_track':
                    self.fast_track |= {x.strip() for x in v.split(',') if x.strip()}
                elif k == 'rule':
                    self.rules.append(parse_rule(v))
            elif section == 'evaluation':
                if k in ('from', 'to', 'until'):
                    t = parse_ts(v)
                    if t is None:
                        raise RefError('%s:%d: bad timestamp' % (path, lineno))
                    setattr(self, {'from': 'date_from', 'to': 'date_to',
                                   'until': 'until'}[k], t)
                elif k == 'maturity_days':
                    self.maturity_days = parse_number(v)
            # [sales], [tune] and anything else: out of scope here
        if self.thresholds is None:
            raise RefError('%s: [mql] threshold missing' % path)


# --------------------------------------------------------------------------
# dataset
# --------------------------------------------------------------------------

def read_csv(path):
    """Header + rows as dicts (cells stripped of surrounding spaces)."""
    with open(path, newline='', encoding='utf-8-sig') as f:
        rdr = csv.reader(f)
        try:
            header = next(rdr)
        except StopIteration:
            raise RefError('%s: empty file' % path)
        header = [h.strip() for h in header]
        rows = []
        for cells in rdr:
            if cells == [] or cells == ['']:
                continue
            row = {}
            for i, h in enumerate(header):
                row[h] = cells[i].strip() if i < len(cells) else ''
            rows.append(row)
        return header, rows


class Lead:
    __slots__ = ('lead_id', 'created', 'attrs', 'events', 'status',
                 'closed', 'amount', 'known', 'cutoff', 'counted')

    def __init__(self, lead_id, created, attrs):
        self.lead_id = lead_id
        self.created = created
        self.attrs = attrs
        self.events = []          # raw (timestamp, type), all known-lead events
        self.status = 'open'          # as in the data
        self.known = 'open'           # as known at until (5.1)
        self.closed = None
        self.amount = None
        self.cutoff = None
        self.counted = []


def load_dataset(folder):
    leads = {}
    order = []
    latest = None

    def see(t):
        nonlocal latest
        if t is not None and (latest is None or t > latest):
            latest = t

    _, rows = read_csv(os.path.join(folder, 'leads.csv'))
    for r in rows:
        t = parse_ts(r['created_at'])
        if t is None:
            raise RefError('bad created_at %r' % r['created_at'])
        see(t)
        lid = r['lead_id']
        if lid in leads:
            raise RefError('duplicate lead_id %r' % lid)
        leads[lid] = Lead(lid, t, r)
        order.append(lid)

    ev_path = os.path.join(folder, 'events.csv')
    if os.path.exists(ev_path):
        _, rows = read_csv(ev_path)
        for r in rows:
            t = parse_ts(r['timestamp'])
            if t is None:
                raise RefError('bad timestamp %r' % r['timestamp'])
            see(t)
            lead = leads.get(r['lead_id'])
            if lead is None:
                continue                    # unknown lead: skipped
            lead.events.append((t, r['event']))

    oc_path = os.path.join(folder, 'outcomes.csv')
    if os.path.exists(oc_path):
        _, rows = read_csv(oc_path)
        for r in rows:
            st = r['status'].strip().lower()
            if st not in ('won', 'lost', 'open'):
                raise RefError('unknown status %r' % r['status'])
            closed = None
            if r['closed_at'] != '':
                closed = parse_ts(r['closed_at'])
                if closed is None:
                    raise RefError('bad closed_at %r' % r['closed_at'])
                see(closed)
            lead = leads.get(r['lead_id'])
            if lead is None:
                continue                    # unknown lead: skipped
            # duplicate rows: the last one wins (whole row)
            lead.status = st
            lead.closed = closed
            lead.amount = parse_number(r.get('amount', '') or '')
    return [leads[i] for i in order], latest


# --------------------------------------------------------------------------
# semantics
# --------------------------------------------------------------------------

def fit_points(sc, lead):
    """The lead's fit as an exact decimal (5.2): the points written, and
    per_unit times the value written (each rounded to 1e-9 when finer)."""
    total = Fraction(0)
    for fs in sc.fits:
        cell = lead.attrs.get(fs['column'], '').strip()
        default = fs['default'] if fs['default'] is not None else Fraction(0)
        if fs['per_unit'] is not None:
            x = parse_decimal(cell) if cell != '' else None
            if x is None:
                total += as_written(default)
            else:
                p = fs['per_unit'] * x
                if fs['max'] is not None:
                    p = min(p, fs['max'])
                total += as_written(p)
            continue
        if cell == '':
            total += as_written(default)
            continue
        pts = None
        x = parse_decimal(cell)
        for kind, key, p in fs['lines']:
            if kind == 'value':
                if cell == key:
                    pts = p
                    break
            else:
                lo, hi = key
                if x is not None and (lo is None or Fraction(lo) <= x) and \
                        (hi is None or x < Fraction(hi)):
                    pts = p
                    break
        total += as_written(default if pts is None else pts)
    return total


def decay(sc, dt_us):
    if sc.half_life is None:
        return 1.0
    return 0.5 ** ((dt_us / US_PER_DAY) / sc.half_life)


def behaviour(sc, events, t):
    """Recomputed from scratch: sum over counted events with timestamp <= t.
    Without decay an exact decimal; with decay a double."""
    terms = {}
    exact = sc.half_life is None
    for te, k in events:
        if te <= t:
            pts = as_written(sc.points.get(k, Fraction(0)))
            terms.setdefault(k, []).append(pts if exact else float(pts) * decay(sc, t - te))
    clamped = []
    for k, ts in terms.items():
        u = sum(ts, Fraction(0)) if exact else math.fsum(ts)   # fsum: independent of order
        if k in sc.limits:
            lim = as_written(sc.limits[k]) if exact else float(sc.limits[k])
            u = max(-lim, min(lim, u))
        clamped.append(u)
    return sum(clamped, Fraction(0)) if exact else math.fsum(clamped)


def rule_fires(rule, events, created, t):
    for typ, n in rule['terms']:
        if rule['within_days'] is not None:
            lo = t - rule['within_days'] * US_PER_DAY     # exclusive
            c = sum(1 for te, k in events if k == typ and lo < te <= t)
        else:
            c = sum(1 for te, k in events if k == typ and created <= te <= t)
        if c < n:
            return False
    return True


def mql_time(sc, lead, fit, threshold, fit_threshold):
    """Earliest qualifying candidate time, or None."""
    events = lead.counted
    cands = sorted({lead.created} | {te for te, _ in events})
    for t in cands:
        if not (lead.created <= t < lead.cutoff):
            continue
        b = behaviour(sc, events, t)
        if fit_threshold is None:
            score = fit + b if sc.half_life is None else snap(math.fsum([float(fit), b]))
            if score >= threshold:
                return t
        else:
            if sc.half_life is not None:
                b = snap(b)
            if fit >= fit_threshold and b >= threshold:
                return t
        if any(te == t and k in sc.fast_track for te, k in events):
            return t
        if any(rule_fires(r, events, lead.created, t) for r in sc.rules):
            return t
    return None


def percentile7(xs, q):
    xs = sorted(xs)
    n = len(xs)
    h = (n - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def div(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def week_start(us):
    day = us // US_PER_DAY                 # days since 1970-01-01 (a Thursday)
    weekday = (day + 3) % 7                # Monday = 0
    return (day - weekday) * US_PER_DAY


def simulate(sc, leads, until):
    # cohort
    cohort = []
    for L in leads:
        if sc.date_from is not None and not (sc.date_from <= L.created):
            continue
        if sc.date_to is not None and not (L.created < sc.date_to):
            continue
        if sc.maturity_days is not None and not (
                L.created <= until - sc.maturity_days * US_PER_DAY):
            continue
        cohort.append(L)
    for L in cohort:
        # As of until (5.1): an outcome closed after until was not known then,
        # so that lead is open and cut off at until.
        L.known = L.status
        if L.status in ('won', 'lost') and L.closed is not None and L.closed > until:
            L.known = 'open'
        if L.known in ('won', 'lost') and L.closed is not None:
            L.cutoff = L.closed
        else:
            L.cutoff = until
        L.counted = [(te, k) for te, k in L.events
                     if k != '' and L.created <= te < L.cutoff]

    weeks = []
    if cohort:
        w = week_start(min(L.created for L in cohort))
        while w <= week_start(until):
            weeks.append(w)
            w += 7 * US_PER_DAY

    fts = sc.fit_thresholds if sc.fit_thresholds is not None else [None]
    rows = []
    for T in sc.thresholds:
        for F in fts:
            tp = fp = fn = tn = 0
            amt_tp = amt_won = 0.0
            mql_times = []
            days_to = []
            for L in cohort:
                fit = fit_points(sc, L)
                m = mql_time(sc, L, fit, T, F)
                won = L.known == 'won'
                if m is not None:
                    mql_times.append(m)
                    days_to.append((m - L.created) / US_PER_DAY)
                if won:
                    amt_won += L.amount or 0.0
                    if m is not None:
                        tp += 1
                        amt_tp += L.amount or 0.0
                    else:
                        fn += 1
                else:
                    if m is not None:
                        fp += 1
                    else:
                        tn += 1
            n = len(cohort)
            won_n = tp + fn
            mqls = tp + fp
            P = div(tp, mqls)
            R = div(tp, tp + fn)
            f1 = None
            if P is not None and R is not None:
                f1 = div(2 * P * R, P + R)
            base = div(won_n, n)
            lift = div(P, base)
            # 5.4: hand-offs per ISO week over the cohort's weeks, from the
            # week of its first created_at to the week of until, empty weeks
            # included (the same weeks at every threshold).
            counts = {}
            for m in mql_times:
                w = week_start(m)
                counts[w] = counts.get(w, 0) + 1
            weekly = [(w, counts.get(w, 0)) for w in weeks]
            wc = [c for _, c in weekly]
            rows.append({
                'scenario': sc.name,
                'threshold': fmt_num(T),
                'fit_threshold': fmt_num(F),
                'leads': n, 'won': won_n, 'mqls': mqls,
                'tp': tp, 'fp': fp, 'fn': fn, 'tn': tn,
                'precision': fmt_real(P), 'recall': fmt_real(R),
                'f1': fmt_real(f1), 'mql_rate': fmt_real(div(mqls, n)),
                'lift': fmt_real(lift),
                'revenue_recall': fmt_real(div(amt_tp, amt_won)),
                'median_days_to_mql': fmt_real(percentile7(days_to, 0.5) if days_to else None),
                'handoff_weeks': fmt_num(len(wc) if wc else None),
                'weekly_mean': fmt_real(sum(wc) / len(wc) if wc else None),
                'weekly_p90': fmt_real(percentile7(wc, 0.9) if wc else None),
                'weekly_max': fmt_num(max(wc) if wc else None),
                '_weekly': weekly,
            })
    return rows


COLUMNS = ['scenario', 'threshold', 'fit_threshold', 'leads', 'won', 'mqls',
           'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1', 'mql_rate',
           'lift', 'revenue_recall',
           'median_days_to_mql', 'handoff_weeks', 'weekly_mean', 'weekly_p90',
           'weekly_max']


def write_weekly(f, sc, rows):
    """weekly.csv (SPEC 7): the hand-offs of each ISO week (SPEC 5.4: Monday
    00:00 UTC) over the weeks the weekly figures are taken over: the
    cohort's, from the week of its first created_at to the week of until,
    empty weeks included, for every row (a row without MQLs has zeros).
    With several rows every line names its threshold (and fit_threshold in
    two-axis mode)."""
    several = len(rows) > 1
    two = sc.fit_thresholds is not None
    ww = csv.writer(f, lineterminator='\n')
    head = ['week_start', 'handoffs']
    if several:
        head += ['threshold', 'fit_threshold'] if two else ['threshold']
    ww.writerow(head)
    for r in rows:
        for ws, c in r['_weekly']:
            line = [fmt_date(ws), c]
            if several:
                line.append(r['threshold'])
                if two:
                    line.append(r['fit_threshold'])
            ww.writerow(line)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('scenario')
    ap.add_argument('--data')
    ap.add_argument('--weekly')
    a = ap.parse_args(argv)
    try:
        sc = Scenario(a.scenario)
        if a.data:
            folder = a.data
        elif sc.data:
            folder = os.path.join(sc.dir, sc.data)
        else:
            raise RefError('no dataset: set data = in [scenario] or use --data')
        leads, latest = load_dataset(folder)
        until = sc.until if sc.until is not None else latest
        rows = simulate(sc, leads, until)
    except (RefError, KeyError, OSError) as e:
        print('refsim: error: %s' % e, file=sys.stderr)
        return 65
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r[c] for c in COLUMNS])
    if a.weekly:
        with open(a.weekly, 'w', newline='') as f:
            write_weekly(f, sc, rows)
    return 0


if __name__ == '__main__':
    sys.exit(main())
