#!/usr/bin/env bash
# Differential test: random cases (randcase.py) run through the reference
# (refsim.py) and through leadsim; summary.csv must agree.
#
#   tests/ref/difftest.sh [N]          seeds 1..N (default 200)
#
# Environment: LEADSIM   the binary (default build/leadsim, relative to the
#                        current directory)
#              FIRST     first seed (default 1)
#              KEEP=1    keep every case directory (failing ones are always kept)
#              WEEKLY=0  do not also compare weekly.csv for single-row scenarios
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-200}"
first="${FIRST:-1}"
leadsim="${LEADSIM:-build/leadsim}"
if [ ! -x "$leadsim" ]; then
    echo "difftest: leadsim binary not found at '$leadsim' (build it with make, or set LEADSIM)" >&2
    exit 1
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/leadsim-difftest.XXXXXX")"
pass=0; fail=0; failed_seeds=()
for ((seed = first; seed < first + n; seed++)); do
    dir="$work/seed$seed"
    ok=1
    python3 "$here/randcase.py" --seed "$seed" --out "$dir"
    if ! python3 "$here/refsim.py" "$dir/scenario.ini" --weekly "$dir/ref_weekly.csv" \
            >"$dir/ref_summary.csv" 2>"$dir/ref.err"; then
        echo "seed $seed: reference failed: $(head -c 300 "$dir/ref.err")"
        ok=0
    fi
    "$leadsim" run "$dir/scenario.ini" --out "$dir/out" --quiet --no-plots \
        >"$dir/leadsim.out" 2>"$dir/leadsim.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "seed $seed: leadsim exit status $rc: $(head -c 300 "$dir/leadsim.err" | tr '\n' ' ')"
        ok=0
    elif [ ! -f "$dir/out/summary.csv" ]; then
        echo "seed $seed: leadsim wrote no summary.csv"
        ok=0
    elif [ $ok = 1 ]; then
        python3 "$here/compare.py" "$dir/ref_summary.csv" "$dir/out/summary.csv" \
            --label "seed $seed" || ok=0
        rows=$(($(wc -l <"$dir/ref_summary.csv") - 1))
        if [ "${WEEKLY:-1}" != 0 ] && [ "$rows" -eq 1 ] && [ -f "$dir/out/weekly.csv" ]; then
            python3 "$here/compare.py" --weekly "$dir/ref_weekly.csv" "$dir/out/weekly.csv" \
                --label "seed $seed weekly.csv" || ok=0
        fi
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
    else
        fail=$((fail + 1)); failed_seeds+=("$seed")
    fi
done
if [ $fail -gt 0 ]; then
    echo "failing cases kept in $work (seeds: ${failed_seeds[*]})"
elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
