#!/usr/bin/env python3
"""Independent reference implementation of leadsim's normative semantics.

Written from SPEC.md sections 3, 4, 5.1-5.7, 5.11 and 7 alone (no look at
the C sources).  Deliberately slow and direct: for every candidate time of
every lead the score is recomputed from scratch by summing over the lead's
events; the follow-up queue assigns slots one hand-off at a time and
measures business time day by day, in exact integers and Fractions.

Usage:
    refsim.py SCENARIO.ini [--data DIR] [--weekly FILE]

Prints summary.csv (16 contract columns, then median_days_to_mql,
handoff_weeks, weekly_mean, weekly_p90, weekly_max; with [sales] handoffs,
recycled, requalified, won_after_recycle, sla_attainment, wait_median_h,
wait_p90_h, backlog_max, weeks_over_capacity; with an sql_at column in
outcomes.csv sqls, sql_rate, sql_recall, days_mql_to_sql) on stdout.
--weekly writes weekly.csv: week_start,handoffs (with [sales] then slots,
followed_up, backlog_end, sla_met) for every week of every summary row;
with several rows each line also names its threshold (and, in two-axis
mode, its fit_threshold).

Out of scope: [tune], dataset.ini layouts, grids in [behaviour].
"""

import argparse
import bisect
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


# --------------------------------------------------------------------------
# [sales]: business calendar (SPEC 5.5, 5.11)
# --------------------------------------------------------------------------

US_PER_MIN = 60 * US_PER_SEC
US_PER_HOUR = 3600 * US_PER_SEC
HM_RE = re.compile(r'^(\d{2}):(\d{2})$')
DATE_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})$')


def parse_hm(text, allow_24):
    """HH:MM -> minutes after midnight (24:00 only when allow_24), or None."""
    m = HM_RE.match(text.strip())
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    if mi > 59:
        return None
    if h < 24 or (allow_24 and h == 24 and mi == 0):
        return h * 60 + mi
    return None


def parse_day(text):
    """YYYY-MM-DD -> day number since 1970-01-01, or None."""
    m = DATE_RE.match(text.strip())
    if not m:
        return None
    try:
        d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return (d - _dt.date(1970, 1, 1)).days


def parse_offset(text):
    """utc_offset: +HH:MM / -HH:MM (or a plain number of hours) -> minutes."""
    t = text.strip()
    m = re.match(r'^([+-])(\d{2}):(\d{2})$', t)
    if m:
        mins = int(m.group(2)) * 60 + int(m.group(3))
        return mins if m.group(1) == '+' else -mins
    h = parse_decimal(t)
    if h is None:
        return None
    mins = h * 60
    if mins.denominator != 1:
        return None
    return int(mins)


class Sales:
    """The [sales] section.  Times are integer microseconds UTC; the local
    calendar is UTC + offset (fixed), Monday to Friday, minus holidays
    (local dates)."""

    def __init__(self, path, scdir, items):
        self.reps = None
        self.per_rep = None
        self.sla = None                   # business hours (Fraction) or None
        self.open_min, self.close_min = 9 * 60, 17 * 60
        self.offset_min = 0
        self.holidays = set()             # local day numbers
        self.recycle = None               # days (Fraction) or None
        for k, v, lineno in items:
            where = '%s:%d' % (path, lineno)
            if k in ('reps', 'followups_per_rep_per_day'):
                n = parse_decimal(v)
                if n is None or n.denominator != 1 or n <= 0:
                    raise RefError('%s: %s must be a positive integer' % (where, k))
                setattr(self, 'reps' if k == 'reps' else 'per_rep', int(n))
            elif k == 'sla_business_hours':
                n = parse_decimal(v)
                if n is None or n < 0:
                    raise RefError('%s: bad sla_business_hours' % where)
                self.sla = n
            elif k == 'business_hours':
                parts = v.split('-')
                if len(parts) != 2:
                    raise RefError('%s: business_hours is HH:MM-HH:MM' % where)
                o, c = parse_hm(parts[0], False), parse_hm(parts[1], True)
                if o is None or c is None or not o < c:
                    raise RefError('%s: business_hours needs 00:00 <= open < close <= 24:00' % where)
                self.open_min, self.close_min = o, c
            elif k == 'utc_offset':
                o = parse_offset(v)
                if o is None:
                    raise RefError('%s: bad utc_offset' % where)
                self.offset_min = o
            elif k == 'holidays':
                for part in v.split(','):
                    if part.strip() == '':
                        continue
                    d = parse_day(part)
                    if d is None:
                        raise RefError('%s: bad holiday %r' % (where, part))
                    self.holidays.add(d)
            elif k == 'holidays_file':
                hp = os.path.join(scdir, v)
                with open(hp, encoding='utf-8-sig') as f:
                    for hl, raw in enumerate(f, 1):
                        line = raw.split('#', 1)[0].strip()
                        if line == '':
                            continue
                        d = parse_day(line)
                        if d is None:
                            raise RefError('%s:%d: bad date' % (hp, hl))
                        self.holidays.add(d)
            elif k == 'recycle_after_days':
                n = parse_decimal(v)
                if n is None or n <= 0:
                    # R = 0 would hand a lead back at its own hand-off time,
                    # where the same event could hand it off again forever
                    raise RefError('%s: recycle_after_days must be > 0' % where)
                self.recycle = n
            else:
                raise RefError('%s: unknown key %s' % (where, k))
        if self.reps is None or self.per_rep is None:
            raise RefError('%s: [sales] needs reps and followups_per_rep_per_day' % path)
        self.C = self.reps * self.per_rep
        self.off_us = self.offset_min * US_PER_MIN
        self.open_us = self.open_min * US_PER_MIN
        self.close_us = self.close_min * US_PER_MIN

    # local day number of instant x (x may be a Fraction)
    def local_day(self, x):
        return math.floor((x + self.off_us) / US_PER_DAY)

    def is_business_day(self, day):
        return (day + 3) % 7 < 5 and day not in self.holidays

    def day_start_utc(self, day):
        """UTC instant of local midnight of local day `day`."""
        return day * US_PER_DAY - self.off_us

    def business_us(self, a, b):
        """B(a, b) in microseconds (exact, a Fraction): the length of the part
        of [a, b) inside business hours."""
        total = Fraction(0)
        if b <= a:
            return total
        for day in range(self.local_day(a), self.local_day(b) + 1):
            if not self.is_business_day(day):
                continue
            lo = self.day_start_utc(day) + self.open_us
            hi = self.day_start_utc(day) + self.close_us
            lo, hi = max(lo, a), min(hi, b)
            if hi > lo:
                total += hi - lo
        return total


class Slots:
    """Follow-up slots from the first slot day on, without end: slot k of a
    business day at open + k * H / C (exact Fractions, UTC)."""

    def __init__(self, sales, first_day):
        self.s = sales
        self.times = []
        self.next_day = first_day

    def extend_past(self, x):
        """Make sure the list holds a slot at or after x."""
        s = self.s
        while not self.times or self.times[-1] < x:
            day = self.next_day
            self.next_day += 1
            if not s.is_business_day(day):
                continue
            base = s.day_start_utc(day) + s.open_us
            span = s.close_us - s.open_us
            for k in range(s.C):
                self.times.append(base + Fraction(k * span, s.C))

    def ensure(self, g):
        """Make sure slot index g exists."""
        while len(self.times) <= g:
            self.extend_past(self.times[-1] + 1 if self.times else 0)

    def first_at_or_after(self, x):
        self.extend_past(x)
        return bisect.bisect_left(self.times, x)

    def count_in(self, lo, hi):
        """Slots with lo <= time < hi."""
        self.extend_past(hi)
        return bisect.bisect_left(self.times, hi) - bisect.bisect_left(self.times, lo)


def run_queue(sales, handoffs):
    """handoffs: list of (time, lead_order, cycle) in any order.  Returns
    the queue as a list of dicts in queue order: arrival, slot time, wait
    (hours, Fraction), backlog just after arrival; and the Slots."""
    q = sorted(handoffs)          # time, then leads-file order, then earlier hand-off
    if not q:
        return [], None
    first = sales.local_day(q[0][0])
    while not sales.is_business_day(first):
        first += 1
    slots = Slots(sales, first)
    taken = set()
    out = []
    for t, order, cyc in q:
        # the earliest slot at or after t that no earlier hand-off took
        g = slots.first_at_or_after(t)
        while g in taken:
            g += 1
        slots.ensure(g)
        taken.add(g)
        st = slots.times[g]
        out.append({'arrival': t, 'slot': st, 'order': order, 'cycle': cyc,
                    'wait': sales.business_us(t, st) / US_PER_HOUR})
    for i, h in enumerate(out):
        # 1 + earlier hand-offs (queue order) whose slot is strictly after
        # this arrival
        h['backlog'] = 1 + sum(1 for e in out[:i] if e['slot'] > h['arrival'])
    return out, slots


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
        self.sales = None         # a Sales when [sales] is present

        fits = {}
        sales_items = []
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
            elif section == 'sales':
                sales_items.append((k, v, lineno))
            # [tune] and anything else: out of scope here
        if sales_items:
            self.sales = Sales(path, self.dir, sales_items)
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
                 'closed', 'amount', 'known', 'cutoff', 'counted', 'sql', 'order')

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
        self.sql = None               # sql_at (5.7), None when empty or absent
        self.order = 0                # position in the leads file


def load_dataset(folder):
    """-> (leads in file order, latest timestamp, has_sql).  has_sql: the
    outcomes file has an `sql_at` column (5.7)."""
    leads = {}
    has_sql = False
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
        leads[lid].order = len(order)
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
        oc_header, rows = read_csv(oc_path)
        has_sql = 'sql_at' in oc_header
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
            sql = None
            if has_sql and r['sql_at'] != '':
                sql = parse_ts(r['sql_at'])
                if sql is None:
                    raise RefError('bad sql_at %r' % r['sql_at'])
                # a timestamp of the dataset: it moves the default until
                see(sql)
            lead = leads.get(r['lead_id'])
            if lead is None:
                continue                    # unknown lead: skipped
            # duplicate rows: the last one wins (whole row)
            lead.status = st
            lead.closed = closed
            lead.amount = parse_number(r.get('amount', '') or '')
            lead.sql = sql
    return [leads[i] for i in order], latest, has_sql


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


def rule_fires(rule, events, start, t):
    """events: the cycle's counted events (all at or after start)."""
    for typ, n in rule['terms']:
        if rule['within_days'] is not None:
            lo = t - rule['within_days'] * US_PER_DAY     # exclusive
            c = sum(1 for te, k in events if k == typ and lo < te <= t)
        else:
            c = sum(1 for te, k in events if k == typ and start <= te <= t)
        if c < n:
            return False
    return True


def mql_time(sc, lead, fit, threshold, fit_threshold, start=None):
    """Earliest qualifying candidate time, or None.

    start None: the first cycle (5.3): candidates created_at and the counted
    events' timestamps, every counted event contributes.  start = h (a
    hand-back, 5.6): only counted events with timestamp >= h contribute (to
    U_k and to rule counts) and only their timestamps are candidates (h
    itself is not)."""
    if start is None:
        events = lead.counted
        lo = lead.created
        cands = sorted({lead.created} | {te for te, _ in events})
    else:
        events = [(te, k) for te, k in lead.counted if te >= start]
        lo = start
        cands = sorted({te for te, _ in events})
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
        if any(rule_fires(r, events, lo, t) for r in sc.rules):
            return t
    return None


def handoff_times(sc, lead, fit, threshold, fit_threshold):
    """All hand-offs of a lead (5.6) and its number of hand-backs.

    The first is its MQL time; with recycle_after_days R a lead handed off
    at m that is not won by h = m + R days (won with a known closed_at <= h,
    as of until) and whose cutoff is after h is handed back at h, and the
    next hand-off is the first candidate time of the new cycle."""
    m = mql_time(sc, lead, fit, threshold, fit_threshold)
    if m is None:
        return [], 0
    times = [m]
    backs = 0
    R = sc.sales.recycle if sc.sales is not None else None
    while R is not None:
        h = m + R * US_PER_DAY          # exact (a Fraction)
        won_by_h = lead.known == 'won' and lead.closed is not None and lead.closed <= h
        if won_by_h or not lead.cutoff > h:
            break
        backs += 1
        m = mql_time(sc, lead, fit, threshold, fit_threshold, start=h)
        if m is None:
            break
        times.append(m)
    return times, backs


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


def queue_figures(sales, queue_in, cohort_weeks, counts):
    """The queue of one threshold (5.5, 5.11).  Returns the summary figures
    and the weekly rows (week_start, handoffs, slots, followed_up,
    backlog_end, sla_met) over the cohort's weeks and the weeks from the
    first hand-off to the last follow-up, empty weeks included."""
    q, slots = run_queue(sales, queue_in)
    n = len(q)
    fig = {'handoffs': n}
    if sales.sla is not None:
        met = [h['wait'] <= sales.sla for h in q]
        fig['sla_attainment'] = fmt_real(div(sum(met), n))
    else:
        met = [None] * n
        fig['sla_attainment'] = ''
    waits = [h['wait'] for h in q]
    # exact waits (Fractions) and exact q: the quantiles are exact too
    fig['wait_median_h'] = fmt_real(percentile7(waits, Fraction(1, 2)) if waits else None)
    fig['wait_p90_h'] = fmt_real(percentile7(waits, Fraction(9, 10)) if waits else None)
    fig['backlog_max'] = max((h['backlog'] for h in q), default=0)
    week_set = set(cohort_weeks)
    if q:
        w = week_start(q[0]['arrival'])
        last = week_start(max(h['slot'] for h in q))
        qweeks = []
        while w <= last:
            qweeks.append(w)
            w += 7 * US_PER_DAY
        week_set |= set(qweeks)
    else:
        qweeks = []
    weekly = []
    over = 0
    for w in sorted(week_set):
        we = w + 7 * US_PER_DAY
        ho = counts.get(w, 0)
        sl = slots.count_in(w, we) if slots is not None else 0
        fu = sum(1 for h in q if w <= h['slot'] < we)
        be = sum(1 for h in q if h['arrival'] < we and h['slot'] >= we)
        if sales.sla is not None:
            sm = sum(1 for h, ok in zip(q, met) if ok and week_start(h['arrival']) == w)
        else:
            sm = ''
        weekly.append((w, ho, sl, fu, be, sm))
        if w in qweeks and ho > sl:
            over += 1
    fig['weeks_over_capacity'] = over
    return fig, weekly


def simulate(sc, leads, until, has_sql=False):
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
            mql_times = []          # every hand-off (re-hand-offs included)
            days_to = []
            queue_in = []           # (time, leads-file order, cycle)
            recycled = requalified = won_after = 0
            sql_n = sql_both = 0
            sql_days = []
            for L in cohort:
                fit = fit_points(sc, L)
                times, backs = handoff_times(sc, L, fit, T, F)
                m = times[0] if times else None
                won = L.known == 'won'
                if m is not None:
                    mql_times.extend(times)
                    days_to.append((m - L.created) / US_PER_DAY)
                    queue_in.extend((t, L.order, i) for i, t in enumerate(times))
                recycled += backs
                if len(times) > 1:
                    requalified += 1
                    if won:
                        won_after += 1
                # 5.7: an sql_at counts when created_at <= sql_at <= cutoff
                if L.sql is not None and L.created <= L.sql <= L.cutoff:
                    sql_n += 1
                    if m is not None and m <= L.sql:
                        sql_both += 1
                        sql_days.append(Fraction(L.sql - m, US_PER_DAY))
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
            extra = {}
            if sc.sales is not None:
                extra, weekly = queue_figures(sc.sales, queue_in, weeks, counts)
                extra.update({'recycled': recycled, 'requalified': requalified,
                              'won_after_recycle': won_after})
            if has_sql:
                extra.update({
                    'sqls': sql_n,
                    'sql_rate': fmt_real(div(sql_both, mqls)),
                    'sql_recall': fmt_real(div(sql_both, sql_n)),
                    'days_mql_to_sql': fmt_real(percentile7(sql_days, Fraction(1, 2))
                                                if sql_days else None),
                })
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
                **extra,
            })
    return rows


COLUMNS = ['scenario', 'threshold', 'fit_threshold', 'leads', 'won', 'mqls',
           'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1', 'mql_rate',
           'lift', 'revenue_recall',
           'median_days_to_mql', 'handoff_weeks', 'weekly_mean', 'weekly_p90',
           'weekly_max']
SALES_COLUMNS = ['handoffs', 'recycled', 'requalified', 'won_after_recycle',
                 'sla_attainment', 'wait_median_h', 'wait_p90_h', 'backlog_max',
                 'weeks_over_capacity']
SQL_COLUMNS = ['sqls', 'sql_rate', 'sql_recall', 'days_mql_to_sql']


def columns(sc, has_sql):
    return COLUMNS + (SALES_COLUMNS if sc.sales is not None else []) + \
        (SQL_COLUMNS if has_sql else [])


def write_weekly(f, sc, rows):
    """weekly.csv (SPEC 7): the hand-offs of each ISO week (SPEC 5.4: Monday
    00:00 UTC) over the weeks the weekly figures are taken over: the
    cohort's, from the week of its first created_at to the week of until,
    empty weeks included, for every row (a row without MQLs has zeros).
    With several rows every line names its threshold (and fit_threshold in
    two-axis mode).  With [sales] (5.11) the rows also cover the weeks from
    the row's first hand-off to its last follow-up, and each has slots,
    followed_up, backlog_end and sla_met (empty without sla_business_hours)."""
    several = len(rows) > 1
    two = sc.fit_thresholds is not None
    ww = csv.writer(f, lineterminator='\n')
    head = ['week_start', 'handoffs']
    if sc.sales is not None:
        head += ['slots', 'followed_up', 'backlog_end', 'sla_met']
    if several:
        head += ['threshold', 'fit_threshold'] if two else ['threshold']
    ww.writerow(head)
    for r in rows:
        for wrow in r['_weekly']:
            # (week_start, handoffs) or, with [sales], (week_start, handoffs,
            # slots, followed_up, backlog_end, sla_met)
            line = [fmt_date(wrow[0])] + list(wrow[1:])
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
        leads, latest, has_sql = load_dataset(folder)
        until = sc.until if sc.until is not None else latest
        rows = simulate(sc, leads, until, has_sql)
    except (RefError, KeyError, OSError) as e:
        print('refsim: error: %s' % e, file=sys.stderr)
        return 65
    w = csv.writer(sys.stdout, lineterminator='\n')
    cols = columns(sc, has_sql)
    w.writerow(cols)
    for r in rows:
        w.writerow([r[c] for c in cols])
    if a.weekly:
        with open(a.weekly, 'w', newline='') as f:
            write_weekly(f, sc, rows)
    return 0


if __name__ == '__main__':
    sys.exit(main())
