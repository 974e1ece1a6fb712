#!/usr/bin/env python3
"""Checks of refreview.py's and refplan.py's statistics against published or
closed-form values (run by check_review_cases.sh).

- Fisher's exact test, two-sided: the tea tasting table [[4,0],[0,4]]
  (p = 2/70, Fisher 1935); the dieting example of the Wikipedia article
  "Fisher's exact test", [[1,9],[11,3]]: p = 0.002759456185220083 (R:
  fisher.test(matrix(c(1,11,9,3), 2)) gives 0.002759); [[3,1],[1,3]]: 34/70;
  ties within the 1e-7 tolerance summed ([[1,1],[1,1]]: 1); a zero margin: 1.
- R type-7 quantiles: quantile(c(1,2,3,4), 0.1) = 1.3, quantile(c(10,30), 0.975)
  = 29.5.
- The negative binomial sampler: mean D (1 - p) / p and variance
  D (1 - p) / p^2 (D = 4, p = 0.2: 16 and 80) within 2% on 200,000 draws.
"""
import os
import random
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refreview  # noqa: E402
import refplan  # noqa: E402

bad = 0


def check(what, got, want, rel=1e-12):
    global bad
    if abs(got - want) > rel * abs(want):
        bad += 1
        print('selftest: %s: got %r, want %r' % (what, got, want))


check('fisher tea', refreview.fisher(4, 0, 0, 4), 2 / 70)
check('fisher wikipedia', refreview.fisher(1, 9, 11, 3), 0.002759456185220083)
check('fisher 3,1,1,3', refreview.fisher(3, 1, 1, 3), 34 / 70)
check('fisher ties', refreview.fisher(1, 1, 1, 1), 1.0)
check('fisher zero margin', refreview.fisher(0, 0, 3, 4), 1.0)
check('fisher zero column', refreview.fisher(0, 5, 0, 2), 1.0)
check('type 7', float(refreview.quantile7([1, 2, 3, 4], Fraction(1, 10))), 1.3)
check('type 7 tail', float(refreview.quantile7([10, 30], Fraction(39, 40))), 29.5)
rng = random.Random(5)
xs = [refplan.negbin(rng, 4, 0.2) for _ in range(200000)]
mean = sum(xs) / len(xs)
var = sum((x - mean) ** 2 for x in xs) / len(xs)
check('negbin mean', mean, 16.0, 0.02)
check('negbin variance', var, 80.0, 0.02)
print('selftest: %s' % ('ok' if not bad else '%d failed' % bad))
sys.exit(1 if bad else 0)
