#!/bin/sh
# demo.sh - `make demo`: every command on the example scenarios and the bundled sample dataset.
cd "$(dirname "$0")/.." || exit 1
echo "Replaying the example definitions (scenarios/baseline, fit-heavy, decay-rules) on datasets/sample ..."
build/leadsim run scenarios/baseline.ini scenarios/fit-heavy.ini scenarios/decay-rules.ini || exit $?
echo
echo "Sweeping every threshold of the baseline definition ..."
build/leadsim sweep scenarios/baseline.ini --quiet || exit $?
echo "The sales team's queue, SLA, recycling and staffing (scenarios/sales.ini) ..."
build/leadsim run scenarios/sales.ini --quiet || exit $?
echo "Searching a grid of weights (scenarios/grid.ini) ..."
build/leadsim tune scenarios/grid.ini --quiet || exit $?
echo "Suggesting weights from the data (scenarios/suggest.ini) ..."
build/leadsim tune scenarios/suggest.ini --quiet || exit $?
echo "Reviewing the baseline definition half-year by half-year ..."
build/leadsim review scenarios/baseline.ini --quiet || exit $?
echo "Planning the leads a revenue goal of 1,000,000 needs in 2026-H2 ..."
build/leadsim plan scenarios/baseline.ini --revenue 1000000 --from 2026-07-01 --to 2027-01-01 \
    --quiet || exit $?
echo "Each scenario:   results/<name>/report.html (tables: summary.csv, summary.md, weekly.csv)"
echo "Threshold sweep: results/baseline/sweep.html (sweep.csv, sweep.md)"
echo "Sales side:      results/sales/report.html (staffing.csv, weekly.csv)"
echo "Weight grid:     results/grid/tune.md (tune-grid.csv)"
echo "Suggestion:      results/suggest/tune.html (tune-suggest.csv, tune-holdout.csv)"
echo "Review:          results/baseline/review.html (review.csv, review-features.csv)"
echo "Plan:            results/baseline/plan.html (plan.csv)"
echo
echo "Report to send: $(pwd)/results/compare/report.html"
