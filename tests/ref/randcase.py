#!/usr/bin/env python3
"""Write a random small leadsim case that stresses edge cases.

    randcase.py --seed S --out DIR

Writes DIR/data/leads.csv, DIR/data/events.csv, DIR/data/outcomes.csv and
DIR/scenario.ini (with `data = data`).  The same seed gives the same bytes.

Stressed: 20-200 leads, a few event types, simultaneous events, events
exactly at created_at and at closed_at, events before created_at, events and
outcomes for unknown leads, empty event types, won leads without closed_at,
duplicate outcome rows, mixed timestamp forms with offsets, BOM / CRLF /
missing final newline, shuffled and extra columns, quoted cells with commas
and newlines, decay on/off, limits, negative points, the three kinds of fit
sections with defaults and empty cells, fast_track, rules with and without
`within`, two-axis mode, threshold lists and ranges, from/to/until/maturity.

About a third of the cases write their points, limits, per_unit and
thresholds with decimals (tenths, hundredths, 0.25: scores made of them are
compared as exact decimals, SPEC 5.2, and sums such as 0.1 + 0.2 must reach
a threshold of 0.3); without decay most of them then list thresholds that
some leads' scores reach exactly (computed with refsim.py's sums). Those
choices come from a second generator, so the rest of each case is what its
seed always gave.

Everything stays clear of the fatal errors of SPEC section 3: timestamps on
whole seconds, valid statuses, unique lead ids.
"""
import argparse
import calendar
from fractions import Fraction
import csv
import io
import os
import random
import sys
import time

DAY = 86400
HOUR = 3600


def utc_parts(t):
    return time.gmtime(t)


def fmt_ts(rng, t, plain=False):
    """Some textual form of instant t (integer seconds, UTC) that means t."""
    g = utc_parts(t)
    if plain:
        return time.strftime('%Y-%m-%d %H:%M:%S', g)
    forms = ['sec', 'secT', 'secZ', 'frac', 'offset', 'offset']
    if t % 60 == 0:
        forms += ['min', 'minT', 'min_offset']
    if t % DAY == 0:
        forms += ['date', 'date', 'date']
    f = rng.choice(forms)
    if f == 'date':
        return time.strftime('%Y-%m-%d', g)
    if f == 'min':
        return time.strftime('%Y-%m-%d %H:%M', g)
    if f == 'minT':
        return time.strftime('%Y-%m-%dT%H:%M', g)
    if f == 'sec':
        return time.strftime('%Y-%m-%d %H:%M:%S', g)
    if f == 'secT':
        return time.strftime('%Y-%m-%dT%H:%M:%S', g)
    if f == 'secZ':
        return time.strftime('%Y-%m-%dT%H:%M:%SZ', g)
    if f == 'frac':
        frac = rng.choice(['.0', '.000', '.000000'])
        z = rng.choice(['', 'Z'])
        return time.strftime('%Y-%m-%dT%H:%M:%S', g) + frac + z
    # offsets: local time = UTC + offset
    off = rng.choice([120, -300, 330, -570, 60, 0, -60, 600])
    lg = utc_parts(t + off * 60)
    sign = '+' if off >= 0 else '-'
    suffix = '%s%02d:%02d' % (sign, abs(off) // 60, abs(off) % 60)
    sep = rng.choice([' ', 'T'])
    if f == 'min_offset':
        return time.strftime('%Y-%m-%d' + sep + '%H:%M', lg) + suffix
    return time.strftime('%Y-%m-%d' + sep + '%H:%M:%S', lg) + suffix


def write_csv(rng, path, header, rows):
    buf = io.StringIO()
    term = '\r\n' if rng.random() < 0.2 else '\n'
    w = csv.writer(buf, lineterminator=term)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, '') for h in header])
    text = buf.getvalue()
    if rng.random() < 0.1:
        text = text[:-len(term)]          # no final newline
    if rng.random() < 0.1:
        text = '\ufeff' + text            # UTF-8 byte order mark
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(text)


def shuffled(rng, cols):
    cols = list(cols)
    if rng.random() < 0.5:
        rng.shuffle(cols)
    return cols


def gen(seed, out, plain=False):
    rng = random.Random(seed)
    # [sales] and sql_at come from a third generator, drawn after everything
    # else is decided, so without them a seed gives the case it always gave
    srng = random.Random(seed * 104729 + 31)
    with_sql = not plain and srng.random() < 0.5
    with_sales = not plain and srng.random() < 0.5
    drng = random.Random(seed * 7919 + 17)     # the decimals: see the module doc
    decimals = drng.random() < 0.35
    fracs = [0, 0.1, 0.2, 0.3, 0.7, 0.9, 0.25, 0.05, 0.01, 0.02]

    def dec(v, neg_ok=True):
        """v, in a decimal case, plus a decimal fraction, written as a decimal."""
        if not decimals:
            return '%d' % v
        f = drng.choice(fracs)
        x = v + f if (v >= 0 or not neg_ok) else v - f
        return ('%.2f' % x).rstrip('0').rstrip('.')
    os.makedirs(os.path.join(out, 'data'), exist_ok=True)

    base = calendar.timegm((2025, 1, 1, 0, 0, 0)) + rng.randint(0, 60) * DAY
    n = rng.randint(20, 200)
    all_types = ['web', 'email_open', 'pricing', 'webinar', 'demo_request',
                 'unsubscribe', 'case_study']
    types = rng.sample(all_types, rng.randint(3, 6))
    half_life = rng.choice([None, None, 7, 30, 14, 7])

    def gran():
        return rng.choice([DAY, DAY, HOUR, 60, 1, 7 * DAY if half_life == 7 else DAY])

    # ---------------- leads
    id_style = rng.random()
    ids = []
    for i in range(n):
        if id_style < 0.1:
            ids.append(str(i) if i % 3 else '0' * (i % 4 + 1) + str(i))
        elif id_style < 0.2:
            ids.append('lead-%d' % (i * 7 + 3))
        else:
            ids.append('L%04d' % i)
    assert len(set(ids)) == n
    industries = ['software', 'software', 'retail', 'finance', 'food, beverage',
                  'Software', 'health', '', '', ' retail ']
    leads = []
    for lid in ids:
        g = rng.choice([DAY, HOUR, 1, 60])
        created = base + rng.randint(0, 150 * DAY // g) * g
        emp = rng.choice([str(rng.randint(1, 5000)), str(rng.choice([50, 1000, 10])),
                          '49.5', '', 'n/a', str(rng.randint(1, 300))])
        vis = rng.choice([str(rng.randint(0, 40)), '', 'unknown', '2.5', str(rng.randint(0, 5))])
        row = {'lead_id': lid, 'created_at': created, 'industry': rng.choice(industries),
               'employees': emp, 'visits': vis, 'region': rng.choice(['north', 'south', ''])}
        if rng.random() < 0.05:
            row['notes'] = 'called twice,\n"no answer"'
        leads.append(row)

    # ---------------- outcomes (decided first: events may sit on closed_at)
    outcome = {}
    for L in leads:
        r = rng.random()
        if r < 0.25:
            continue
        st = rng.choice(['won', 'won', 'lost', 'lost', 'lost', 'open'])
        case = rng.random()
        st_text = st.capitalize() if case < 0.15 else st.upper() if case < 0.25 else st
        g = gran()
        closed = L['created_at'] + rng.randint(1, 120 * DAY // g) * g
        if rng.random() < 0.03:
            closed = L['created_at'] - rng.randint(0, 5) * DAY      # odd but legal
        if st == 'open' and rng.random() < 0.7:
            closed = None
        if st == 'won' and rng.random() < 0.1:
            closed = None                                            # won without closed_at
        amt = ''
        if st == 'won' or rng.random() < 0.2:
            amt = rng.choice([str(rng.randint(100, 50000)), str(rng.randint(100, 50000)),
                              '1234.5', '', 'n/a', '0'])
        outcome[L['lead_id']] = {'status': st_text, 'closed': closed, 'amount': amt}

    # ---------------- events
    events = []
    for L in leads:
        lid, created = L['lead_id'], L['created_at']
        k = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 12])
        times = []
        oc = outcome.get(lid)
        for _ in range(k):
            r = rng.random()
            if r < 0.1:
                t = created
            elif r < 0.15:
                t = created - rng.randint(1, 10 * DAY)               # before created_at
            elif r < 0.3 and times:
                t = rng.choice(times)                                # simultaneous
            elif r < 0.38 and oc and oc['closed'] is not None:
                t = oc['closed']                                     # exactly at closed_at
            elif r < 0.48 and times and half_life:
                t = rng.choice(times) + half_life * DAY * rng.randint(1, 2)
            else:
                g = gran()
                t = created + rng.randint(0, 100 * DAY // g) * g
            times.append(t)
            typ = rng.choice(types) if rng.random() > 0.02 else ''
            events.append({'lead_id': lid, 'timestamp': t, 'event': typ})
    for i in range(rng.randint(0, 5)):                               # unknown leads
        events.append({'lead_id': 'ghost%d' % i, 'timestamp': base + rng.randint(0, 300) * DAY,
                       'event': rng.choice(types)})
    rng.shuffle(events)
    latest = max([L['created_at'] for L in leads] + [e['timestamp'] for e in events] +
                 [o['closed'] for o in outcome.values() if o['closed'] is not None])
    ev_value = rng.random() < 0.3
    for e in events:
        e['timestamp'] = fmt_ts(rng, e['timestamp'])
        if ev_value:
            e['value'] = rng.choice(['', '1', 'x'])

    # ---------------- write data
    lead_cols = ['lead_id', 'created_at', 'industry', 'employees', 'visits', 'region']
    if any('notes' in L for L in leads):
        lead_cols.append('notes')
    lead_rows = []
    for L in leads:
        r = dict(L)
        r['created_at'] = fmt_ts(rng, L['created_at'])
        lead_rows.append(r)
    if rng.random() < 0.5:
        rng.shuffle(lead_rows)
    write_csv(rng, os.path.join(out, 'data', 'leads.csv'), shuffled(rng, lead_cols), lead_rows)

    if rng.random() > 0.03:
        ev_cols = ['lead_id', 'timestamp', 'event'] + (['value'] if ev_value else [])
        write_csv(rng, os.path.join(out, 'data', 'events.csv'), shuffled(rng, ev_cols), events)

    if rng.random() > 0.03:
        oc_rows = []
        for lid, o in outcome.items():
            oc_rows.append({'lead_id': lid, 'status': o['status'],
                            'closed_at': '' if o['closed'] is None else fmt_ts(rng, o['closed']),
                            'amount': o['amount']})
        for i in range(rng.randint(0, 3)):                           # unknown leads
            oc_rows.append({'lead_id': 'ghost-o%d' % i, 'status': 'won',
                            'closed_at': fmt_ts(rng, base + rng.randint(0, 250) * DAY),
                            'amount': '999'})
        rng.shuffle(oc_rows)
        # duplicate rows: an earlier, different row for the same lead (the last wins)
        for lid in rng.sample(list(outcome), min(len(outcome), rng.randint(0, 4))):
            pos = next(i for i, r in enumerate(oc_rows) if r['lead_id'] == lid)
            fake = {'lead_id': lid, 'status': rng.choice(['won', 'lost', 'open']),
                    'closed_at': fmt_ts(rng, base + rng.randint(0, 200) * DAY),
                    'amount': str(rng.randint(1, 9999))}
            oc_rows.insert(rng.randint(0, pos), fake)
        oc_cols = ['lead_id', 'status', 'closed_at', 'amount']
        if rng.random() < 0.1:
            oc_cols.remove('amount')
        oc_cols = shuffled(rng, oc_cols)
        if with_sql:
            created = {L['lead_id']: L['created_at'] for L in leads}
            for r in oc_rows:
                r['sql_at'] = sql_cell(srng, created.get(r['lead_id']),
                                       outcome.get(r['lead_id']), latest)
            if srng.random() < 0.2:
                # one sql_at after every other timestamp: it is the dataset's
                # latest, so it sets the default until
                r = srng.choice(oc_rows)
                r['sql_at'] = fmt_ts(srng, latest + srng.randint(1, 30 * DAY))
            oc_cols.insert(srng.randint(0, len(oc_cols)), 'sql_at')
        write_csv(rng, os.path.join(out, 'data', 'outcomes.csv'), oc_cols, oc_rows)

    # ---------------- scenario
    lines = ['; random case, seed %d' % seed, '[scenario]', 'name = case_%d' % seed,
             'data = data', '']

    def note():
        return '   ; note' if rng.random() < 0.15 else ''

    lines.append('[behaviour]')
    scored = [t for t in types if rng.random() < 0.85] or types[:1]
    pts = {}
    ptxt = {}
    for t in scored:
        pts[t] = rng.choice([rng.randint(1, 30), rng.randint(1, 30), rng.randint(-30, 30)])
        ptxt[t] = dec(pts[t])
        lines.append('%s = %s%s' % (t, ptxt[t], note()))
    lines.append('')
    if rng.random() < 0.5:
        lines.append('[limits]')
        for t in rng.sample(scored, min(len(scored), rng.randint(1, 2))):
            lines.append('%s = %s' % (t, dec(rng.randint(5, 40))))
        lines.append('')
    if half_life is not None:
        lines += ['[decay]', 'half_life_days = %d%s' % (half_life, note()), '']
    elif rng.random() < 0.2:
        lines += ['[decay]', 'half_life_days = 0', '']
    if rng.random() < 0.6:
        lines.append('[fit industry]' + note())
        vals = [('software', rng.randint(0, 20)), ('retail', rng.randint(-5, 5)),
                ('food, beverage', rng.randint(0, 10)), ('finance', rng.randint(0, 10))]
        for v, p in rng.sample(vals, rng.randint(1, 4)):
            lines.append('%s = %d' % (v, p))
        if rng.random() < 0.6:
            lines.append('default = %d' % rng.randint(-10, 5))
        lines.append('')
    if rng.random() < 0.6:
        lines.append('[fit employees]')
        cuts = sorted(rng.sample([10, 50, 100, 250, 1000], rng.randint(1, 3)))
        edges = [None] + cuts + [None]
        segs = []
        for lo, hi in zip(edges, edges[1:]):
            segs.append('%s..%s = %d' % ('' if lo is None else lo, '' if hi is None else hi,
                                         rng.randint(0, 20)))
        if rng.random() < 0.3:
            segs.pop(rng.randrange(len(segs)))        # a hole: default applies
        if rng.random() < 0.2:
            segs.insert(0, '%d..%d = %d' % (cuts[0] - 5, cuts[0] + 5, rng.randint(0, 20)))
        lines += segs
        if rng.random() < 0.5:
            lines.append('default = %d' % rng.randint(-5, 5))
        lines.append('')
    if rng.random() < 0.6:
        lines.append('[fit visits]')
        pu = rng.randint(1, 3)
        lines.append('per_unit = %s' % (drng.choice(['0.02', '0.5', '1.25', '0.1', '2'])
                                        if decimals else pu))
        if rng.random() < 0.6:
            lines.append('max = %d' % rng.randint(5, 30))
        if rng.random() < 0.5:
            lines.append('default = %d' % rng.randint(-3, 3))
        lines.append('')

    lines.append('[mql]')
    two_axis = rng.random() < 0.25
    lo_t = 0 if two_axis else rng.randint(0, 20)
    r = rng.random()
    if r < 0.3:
        lines.append('threshold = %s%s' % (dec(rng.randint(lo_t, 60), False), note()))
    elif r < 0.6:
        vals = sorted(rng.sample(range(lo_t, 80), rng.randint(2, 4)))
        lines.append('threshold = %s' % ', '.join(dec(v, False) for v in vals))
    else:
        step = rng.choice([5, 10, 7])
        lo = rng.randint(lo_t, 25)
        hi = lo + step * rng.randint(1, 6) + rng.choice([0, 0, 3])
        lines.append('threshold = %d..%d step %d' % (lo, hi, step))
    if two_axis:
        r = rng.random()
        if r < 0.4:
            lines.append('fit_threshold = %d' % rng.randint(-5, 20))
        elif r < 0.8:
            vals = sorted(rng.sample(range(-5, 30), rng.randint(2, 3)))
            lines.append('fit_threshold = %s' % ', '.join(map(str, vals)))
        else:
            lines.append('fit_threshold = 0..20 step 10')
    if rng.random() < 0.4:
        lines.append('fast_track = %s' % ', '.join(rng.sample(types, rng.randint(1, 2))))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        terms = ['%s >= %d' % (t, rng.randint(1, 3)) for t in rng.sample(types, rng.randint(1, 2))]
        rule = ' and '.join(terms)
        if rng.random() < 0.6:
            rule += ' within %dd' % rng.randint(1, 30)
        lines.append('rule = %s%s' % (rule, note()))
    lines.append('')

    ev = []
    if rng.random() < 0.3:
        ev.append('from = %s' % fmt_ts(rng, base + rng.randint(0, 40) * DAY))
    if rng.random() < 0.3:
        ev.append('to = %s' % fmt_ts(rng, base + rng.randint(60, 160) * DAY))
    if rng.random() < 0.3:
        ev.append('until = %s' % fmt_ts(rng, base + rng.randint(90, 250) * DAY))
    if rng.random() < 0.3:
        ev.append('maturity_days = %d' % rng.randint(7, 60))
    if ev:
        lines += ['# observation window', '[evaluation]'] + ev + ['']

    if with_sales:
        lines += sales_section(srng, out, base)
    with open(os.path.join(out, 'scenario.ini'), 'w') as f:
        f.write('\n'.join(lines))
    if decimals and half_life is None and drng.random() < 0.8:
        exact_thresholds(drng, out, lines, two_axis)


def sql_cell(srng, created, oc, latest):
    """An sql_at cell (SPEC 5.7) for an outcome row: empty, before
    created_at (a data problem, ignored), exactly at created_at, between,
    exactly at closed_at (it counts: created_at <= sql_at <= cutoff), or
    after closed_at; never after `latest` (the caller adds that case)."""
    if created is None:                       # an unknown lead's row
        return '' if srng.random() < 0.5 else fmt_ts(srng, latest - srng.randint(0, 50) * DAY)
    closed = oc['closed'] if oc else None
    r = srng.random()
    g = srng.choice([DAY, HOUR, 60, 1])
    if r < 0.3:
        return ''
    if r < 0.4:
        t = created - srng.randint(1, 20 * DAY // g) * g
    elif r < 0.47:
        t = created
    elif r < 0.77:
        end = closed if closed is not None and closed > created else created + 90 * DAY
        t = created + srng.randint(0, (end - created) // g) * g
    elif r < 0.84 and closed is not None:
        t = closed
    elif r < 0.96 and closed is not None:
        t = min(closed + srng.randint(1, 20 * DAY // g) * g, latest)
    else:
        t = created + srng.randint(0, 120 * DAY // g) * g
    return fmt_ts(srng, min(t, latest))


OFFSETS = ['-12:00', '-09:30', '-05:00', '-03:00', '+00:00', '+01:00', '+05:30',
           '+05:45', '+09:00', '+10:00', '+12:45', '+13:00', '+14:00', '-00:30']
HOURS = ['09:00-17:00', '08:30-12:15', '00:00-24:00', '07:45-19:10', '13:00-14:00',
         '22:00-24:00', '00:00-03:30', '10:20-10:50', '06:00-18:00']


def sales_section(srng, out, base):
    """A random [sales] section (SPEC 5.5, 5.6): small capacity so the queue
    backs up, odd business hours, offsets from -12:00 to +14:00 (with
    +09:00 and more a Monday slot falls in the previous UTC week), holidays
    inline and in a file, recycling after a few (sometimes fractional)
    days, sometimes no SLA."""
    lines = ['[sales]', 'reps = %d' % srng.randint(1, 3),
             'followups_per_rep_per_day = %d' % srng.randint(1, 4)]
    if srng.random() < 0.75:
        lines.append('sla_business_hours = %s' % srng.choice(
            ['0.5', '1', '2.5', '4', '8', '16', '40', '100']))
    if srng.random() < 0.8:
        lines.append('business_hours = %s' % srng.choice(HOURS))
    if srng.random() < 0.8:
        lines.append('utc_offset = %s' % srng.choice(OFFSETS))

    def some_days(k):
        days = []
        for _ in range(k):
            t = base + srng.randint(-10, 260) * DAY
            days.append(time.strftime('%Y-%m-%d', time.gmtime(t)))
        return days
    if srng.random() < 0.5:
        lines.append('holidays = %s' % ', '.join(some_days(srng.randint(1, 5))))
    if srng.random() < 0.35:
        body = ['# team holidays', '']
        for d in some_days(srng.randint(1, 8)):
            body.append(d + ('   # closed' if srng.random() < 0.2 else ''))
        with open(os.path.join(out, 'holidays.txt'), 'w') as f:
            f.write('\n'.join(body) + '\n')
        lines.append('holidays_file = holidays.txt')
    if srng.random() < 0.8:
        lines.append('recycle_after_days = %s' % srng.choice(
            ['0.5', '1', '2', '2.5', '3', '5', '7', '10', '14', '30']))
    return lines + ['']


def exact_thresholds(drng, out, lines, two_axis):
    """Rewrite the threshold line with scores that leads reach exactly on paper
    (0.1 + 0.2 = 0.3): a lead then sits exactly at a threshold, and a float sum
    just below it would wrongly miss it.  The scores come from the reference's
    own fit and behaviour sums over each lead's events (cutoffs ignored: most
    of those values are real scores)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import refsim
    path = os.path.join(out, 'scenario.ini')
    sc = refsim.Scenario(path)
    leads, _, _ = refsim.load_dataset(os.path.join(out, 'data'))
    seen, missed = set(), set()
    for L in leads:
        events = sorted((te, k) for te, k in L.events if k != '' and te >= L.created)
        fit = refsim.fit_points(sc, L)
        fitf = 0.0 if two_axis else float(fit)
        lin, lim = 0.0, {}
        for i, (te, k) in enumerate(events):
            # the same sum in doubles, in time order: where it falls short of the
            # decimal, a threshold at the decimal is the case that matters most
            p = float(sc.points.get(k, 0))
            if k in sc.limits:
                lim[k] = lim.get(k, 0.0) + p
            else:
                lin += p
            if i + 1 < len(events) and events[i + 1][0] == te:
                continue
            b = refsim.behaviour(sc, events, te)
            v = b if two_axis else fit + b
            if v > 0 and v.denominator != 1:
                seen.add(v)
                beh = lin
                for q, u in lim.items():
                    L_ = float(sc.limits[q])
                    beh += max(-L_, min(L_, u))
                if fitf + beh < float(v):
                    missed.add(v)
    if not seen:
        return
    pool = sorted(missed) if missed else sorted(seen)
    picks = drng.sample(pool, min(len(pool), drng.randint(1, 3)))
    text = ', '.join(('%.6f' % float(v)).rstrip('0').rstrip('.') for v in sorted(picks))
    k = next(i for i, l in enumerate(lines) if l.startswith('threshold ='))
    lines[k] = 'threshold = %s' % text
    with open(path, 'w') as f:
        f.write('\n'.join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--plain', action='store_true',
                    help='no [sales] and no sql_at (the case the seed gave before them)')
    a = ap.parse_args()
    gen(a.seed, a.out, a.plain)


if __name__ == '__main__':
    main()
