#!/usr/bin/env python3
"""Check refsim.py's follow-up queue (SPEC 5.5, 5.11) against a second,
differently written computation, on random calendars and hand-offs.

    selfcheck_queue.py [N]        N random queues (default 300)

refsim takes, for each hand-off, the earliest free slot at or after it and
measures B(a, b) by clipping each local day's business interval to [a, b).
Here the slot is chosen greedily (the later of the next slot after the
previous hand-off's and the first slot at or after the arrival: with
hand-offs in time order no earlier slot can be free) and B(a, b) = T(b) -
T(a), T(x) being the business time from a fixed local day to x. Every slot
must also sit on a business day at open + k * H / C with 0 <= k < C.
Prints the mismatches and `N passed, M failed`.
"""
import os
import random
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refsim  # noqa: E402

DAY = refsim.US_PER_DAY
ORIGIN = 20000          # a local day number well before every instant used


def business_until(s, x):
    """T(x): business microseconds from local day ORIGIN to instant x."""
    day = s.local_day(x)
    total = sum(s.close_us - s.open_us for d in range(ORIGIN, day) if s.is_business_day(d))
    if s.is_business_day(day):
        lo = s.day_start_utc(day) + s.open_us
        hi = s.day_start_utc(day) + s.close_us
        if x > lo:
            total += min(x, hi) - lo
    return total


def one(seed):
    rng = random.Random(seed)
    off = rng.choice([-720, -570, -300, 0, 330, 600, 840])
    o = rng.choice([0, 510, 540, 1320, 615])
    c = rng.choice([x for x in (650, 735, 1020, 1380, 1440) if x > o])
    items = [('reps', str(rng.randint(1, 3)), 1),
             ('followups_per_rep_per_day', str(rng.randint(1, 4)), 2),
             ('business_hours', '%02d:%02d-%02d:%02d' % (o // 60, o % 60, c // 60, c % 60), 3),
             ('utc_offset', '%s%02d:%02d' % ('+' if off >= 0 else '-', abs(off) // 60,
                                             abs(off) % 60), 4),
             ('holidays', '2025-01-%02d, 2025-01-%02d' % (rng.randint(1, 28),
                                                         rng.randint(1, 28)), 5)]
    s = refsim.Sales('selfcheck', '.', items)
    base = 20089 * DAY                                   # 2025-01-01
    grain = rng.choice([1, 60, 3600, 86400]) * refsim.US_PER_SEC
    hs = [(base + rng.randint(0, 30 * DAY // grain) * grain, rng.randint(0, 50), 0)
          for _ in range(rng.randint(1, 40))]
    q, slots = refsim.run_queue(s, hs)
    errors = []
    if len(q) != len(hs):
        errors.append('%d hand-offs, %d followed up' % (len(hs), len(q)))
    prev = -1
    for i, h in enumerate(q):
        g = max(prev + 1, slots.first_at_or_after(h['arrival']))
        slots.ensure(g)
        prev = g
        if slots.times[g] != h['slot']:
            errors.append('hand-off %d: slot %s, greedy %s' % (i, h['slot'], slots.times[g]))
        w = Fraction(business_until(s, h['slot']) - business_until(s, h['arrival']),
                     refsim.US_PER_HOUR)
        if w != h['wait']:
            errors.append('hand-off %d: wait %s, T(b) - T(a) %s' % (i, h['wait'], w))
    for t in slots.times:
        day = s.local_day(t)
        k = (t - s.day_start_utc(day) - s.open_us) * s.C / (s.close_us - s.open_us)
        if not s.is_business_day(day) or k.denominator != 1 or not 0 <= k < s.C:
            errors.append('slot %s is not open + k * H / C of a business day' % t)
            break
    return errors


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    bad = 0
    for seed in range(1, n + 1):
        errors = one(seed)
        for e in errors[:3]:
            print('queue %d: %s' % (seed, e))
        bad += bool(errors)
    print('%d passed, %d failed' % (n - bad, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
