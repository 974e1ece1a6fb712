#!/bin/sh
# demo.sh - `make demo`: replay, sweep and tune the example scenarios on the bundled sample dataset.
cd "$(dirname "$0")/.." || exit 1
echo "Replaying the example definitions (scenarios/baseline, fit-heavy, decay-rules) on datasets/sample ..."
build/leadsim run scenarios/baseline.ini scenarios/fit-heavy.ini scenarios/decay-rules.ini || exit $?
echo
echo "Sweeping every threshold of the baseline definition ..."
build/leadsim sweep scenarios/baseline.ini --quiet || exit $?
echo "Searching a grid of weights (scenarios/grid.ini) ..."
build/leadsim tune scenarios/grid.ini --quiet || exit $?
echo "Each scenario:  results/<name>/report.html (tables: summary.csv, summary.md, weekly.csv)"
echo "Threshold sweep: results/baseline/sweep.html (sweep.csv, sweep.md)"
echo "Weight grid:     results/grid/tune.md (tune-grid.csv)"
echo
echo "Report to send: $(pwd)/results/compare/report.html"
