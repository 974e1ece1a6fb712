#!/usr/bin/env bash
# Differential test of `leadsim review` against refreview.py: random cases
# (randcase.py), --period 1, 2, 3 or 6 by seed, and for some seeds a [tune]
# objective other than f1 appended to the scenario; review.csv and
# review-features.csv must agree (compare_review.py). Cases the reference
# does not cover (two-axis mode) are skipped. The first case that agrees is
# then corrupted (one p_value, one psi) in a copy: the comparison must catch
# both.
#
#   tests/ref/difftest_review.sh [N]      seeds 1..N (default 100)
#
# Environment: LEADSIM (default build/leadsim), FIRST (first seed, default 1),
#              KEEP=1 (keep every case directory; failing ones are always kept)
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-100}"
first="${FIRST:-1}"
leadsim="${LEADSIM:-build/leadsim}"
if [ ! -x "$leadsim" ]; then
    echo "difftest_review: leadsim binary not found at '$leadsim' (build it with make, or set LEADSIM)" >&2
    echo "0 passed, 0 failed (not run)"
    exit 1
fi
if ! "$leadsim" review --help >/dev/null 2>&1; then
    echo "difftest_review: '$leadsim review --help' fails: this leadsim has no review command yet" >&2
    "$leadsim" review --help 2>&1 | head -3 >&2
    echo "0 passed, 0 failed (not run: no review command)"
    exit 1
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/leadsim-difftest-review.XXXXXX")"
pass=0; fail=0; skip=0; failed_seeds=(); controls=0
periods=(1 2 3 6)
objectives=("" "" "precision_at_least:0.3" "recall_at_least:0.5" "fbeta:2" "value:100,20")

negative_controls() {
    local dir=$1 seed=$2 st=0
    awk -F, -v OFS=, 'NR == 2 { $NF = ($NF == "" ? 0.5 : $NF * 1.01 + 0.01) } { print }' \
        "$dir/out/review.csv" >"$dir/bad_review.csv"
    if python3 "$here/compare_review.py" --kind review "$dir/ref/review.csv" "$dir/bad_review.csv" \
            --label control >/dev/null; then
        echo "seed $seed: a changed psi was not caught"; st=1
    fi
    awk -F, -v OFS=, 'NR == 2 { $NF = ($NF == "" ? 0.5 : $NF * 0.9) } { print }' \
        "$dir/out/review-features.csv" >"$dir/bad_features.csv"
    if python3 "$here/compare_review.py" --kind features "$dir/ref/review-features.csv" \
            "$dir/bad_features.csv" --label control >/dev/null; then
        echo "seed $seed: a changed p_value was not caught"; st=1
    fi
    return $st
}

for ((seed = first; seed < first + n; seed++)); do
    dir="$work/seed$seed"
    ok=1
    python3 "$here/randcase.py" --seed "$seed" --out "$dir"
    period=${periods[$((seed % 4))]}
    obj=${objectives[$((seed % 6))]}
    if [ -n "$obj" ]; then printf '\n[tune]\nobjective = %s\n' "$obj" >>"$dir/scenario.ini"; fi
    python3 "$here/refreview.py" "$dir/scenario.ini" --period "$period" --out "$dir/ref" \
        2>"$dir/ref.err"
    rc=$?
    if [ $rc -eq 3 ]; then
        skip=$((skip + 1)); [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"; continue
    fi
    "$leadsim" review "$dir/scenario.ini" --period "$period" --out "$dir/out" --quiet --no-plots \
        >"$dir/leadsim.out" 2>"$dir/leadsim.err"
    lrc=$?
    if [ $rc -ne 0 ]; then
        if [ $lrc -ne $rc ]; then
            echo "seed $seed: reference exit $rc ($(head -c 200 "$dir/ref.err")), leadsim exit $lrc"
            ok=0
        fi
    elif [ $lrc -ne 0 ]; then
        echo "seed $seed: leadsim exit status $lrc: $(head -c 300 "$dir/leadsim.err" | tr '\n' ' ')"
        ok=0
    else
        for f in review.csv review-features.csv; do
            if [ ! -f "$dir/out/$f" ]; then
                echo "seed $seed: leadsim wrote no $f"; ok=0; continue
            fi
            python3 "$here/compare_review.py" "$dir/ref/$f" "$dir/out/$f" \
                --label "seed $seed (--period $period${obj:+, $obj}) $f" || ok=0
        done
        if [ $ok = 1 ] && [ "$controls" = 0 ] && [ "$(wc -l <"$dir/out/review.csv")" -ge 2 ]; then
            controls=1
            negative_controls "$dir" "$seed" || { ok=0; echo "seed $seed: controls failed"; }
        fi
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1)); [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
    else
        fail=$((fail + 1)); failed_seeds+=("$seed")
    fi
done
if [ $fail -gt 0 ]; then
    echo "failing cases kept in $work (seeds: ${failed_seeds[*]})"
elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
