#!/bin/sh
# demo.sh - `make demo`: replay the example scenarios on the bundled sample dataset.
cd "$(dirname "$0")/.." || exit 1
echo "Replaying scenarios/*.ini on datasets/sample ..."
build/leadsim run scenarios/baseline.ini scenarios/fit-heavy.ini scenarios/decay-rules.ini || exit $?
echo
echo "Sweeping every threshold of the baseline definition ..."
build/leadsim sweep scenarios/baseline.ini --quiet || exit $?
echo "Each scenario:  results/<name>/report.html (tables: summary.csv, summary.md, weekly.csv)"
echo "Threshold sweep: results/baseline/sweep.html (sweep.csv, sweep.md)"
echo
echo "Report to send: $(pwd)/results/compare/report.html"
