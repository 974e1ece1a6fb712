#!/usr/bin/env bash
# Stands in for build/leadsim in difftest.sh, answering
# `run SCENARIO.ini --out DIR ...` with the reference's own summary.csv and
# weekly.csv, so the harness (comparison, negative controls) can be checked
# without the C program:  LEADSIM=tests/ref/refsim_as_leadsim.sh tests/ref/difftest.sh 20
set -eu
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "$1" = run ] || { echo "refsim_as_leadsim: only 'run'" >&2; exit 2; }
scenario=$2; out=
shift 2
while [ $# -gt 0 ]; do
    case $1 in --out) out=$2; shift ;; esac
    shift
done
mkdir -p "$out"
python3 "$here/refsim.py" "$scenario" --weekly "$out/weekly.csv" >"$out/summary.csv"
