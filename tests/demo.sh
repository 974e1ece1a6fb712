#!/bin/sh
# demo.sh - `make demo`: replay the example scenarios on the bundled sample dataset.
cd "$(dirname "$0")/.." || exit 1
echo "Replaying scenarios/*.ini on datasets/sample ..."
build/leadsim run scenarios/baseline.ini scenarios/fit-heavy.ini scenarios/decay-rules.ini || exit $?
echo
echo "Each scenario: results/<name>/summary.md, summary.csv, weekly.csv"
echo "Comparison:    results/compare/summary.md"
