#!/bin/sh
# test_suggest.sh - `tune` without a grid against an independent implementation of SPEC 5.10, and threads.
#
# For a few random small datasets (tests/ref/suggest_ref.py make: event
# types with events after the close and past the horizon, a fit section with
# values and default, a per-unit section with empty and non-numeric cells,
# sometimes a limit), leadsim's tune-suggest.csv (coefficients, standard
# errors, points) and the average precision of tune-holdout.csv must agree
# with the plain-Python reference (suggest_ref.py check); and the files
# written with --threads 1 and --threads 3 must be the same bytes.
# Usage: LEADSIM=build/leadsim sh tests/test_suggest.sh [CASES]
bin=${LEADSIM:-build/leadsim}
ncases=${1:-4}
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL suggest: python3 is missing (make deps installs it)"
    exit 1
fi
seed=1
while [ "$seed" -le "$ncases" ]; do
    d=$tmp/case$seed
    python3 tests/ref/suggest_ref.py make "$d" "$seed" || { echo "FAIL suggest: make case $seed"; fail=1; }
    (cd "$d" && "$bin" tune scenario.ini --out out1 --quiet --no-plots --bootstrap 20 --threads 1 &&
        "$bin" tune scenario.ini --out out3 --quiet --no-plots --bootstrap 20 --threads 3) ||
        { echo "FAIL suggest: tune exited with status $? on case $seed"; fail=1; }
    python3 tests/ref/suggest_ref.py check "$d" "$d/out1" || fail=1
    same=1
    for f in tune-suggest.csv tune-holdout.csv tune.md; do
        cmp -s "$d/out1/$f" "$d/out3/$f" || { echo "FAIL suggest threads: case $seed $f differs"; same=0; fail=1; }
    done
    [ "$same" = 1 ] && echo "ok   suggest threads: case $seed, 1 and 3 threads write the same bytes"
    seed=$((seed + 1))
done
exit $fail
