#!/usr/bin/env bash
# Differential test of `leadsim plan` against refplan.py on random cases
# (randcase.py): a revenue goal (10,000 to 50,000) for even seeds, --deals
# (1 to 12) for odd ones. plan.csv must agree (compare_review.py --kind plan):
# the point estimates and the lag quantiles within relative 1e-9; the Monte
# Carlo columns by rank: leadsim's quantile q must sit within 4 standard
# errors of q in the reference's REF_DRAWS (default 40000) draws, leadsim
# taking its default 10,000 (a relative tolerance of 3% fails about one
# column in ten from sampling noise alone; MC_REL=R asks for it anyway). A case both reject with exit status 65 (a rate of 0, no
# amounts) agrees; cases the reference does not cover (two-axis) are skipped.
# The first case that agrees is corrupted in copies (one point estimate, a
# doubled hi95 of leads): the comparison must catch both.
#
#   tests/ref/difftest_plan.sh [N]        seeds 1..N (default 100)
#
# Environment: LEADSIM (default build/leadsim), FIRST (default 1), MC_REL,
#              REF_DRAWS, KEEP=1 (keep every case directory)
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-100}"
first="${FIRST:-1}"
leadsim="${LEADSIM:-build/leadsim}"
mc_rel="${MC_REL:-}"
if [ ! -x "$leadsim" ]; then
    echo "difftest_plan: leadsim binary not found at '$leadsim' (build it with make, or set LEADSIM)" >&2
    echo "0 passed, 0 failed (not run)"
    exit 1
fi
if ! "$leadsim" plan --help >/dev/null 2>&1; then
    echo "difftest_plan: '$leadsim plan --help' fails: this leadsim has no plan command yet" >&2
    "$leadsim" plan --help 2>&1 | head -3 >&2
    echo "0 passed, 0 failed (not run: no plan command)"
    exit 1
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/leadsim-difftest-plan.XXXXXX")"
pass=0; fail=0; skip=0; failed_seeds=(); controls=0
for ((seed = first; seed < first + n; seed++)); do
    dir="$work/seed$seed"
    ok=1
    python3 "$here/randcase.py" --seed "$seed" --out "$dir"
    if [ $((seed % 2)) = 0 ]; then goal=(--revenue $((10000 * (1 + seed % 5)))); else goal=(--deals $((1 + seed % 12))); fi
    python3 "$here/refplan.py" "$dir/scenario.ini" "${goal[@]}" --seed "$seed" \
        --draws "${REF_DRAWS:-40000}" --draws-out "$dir/ref_draws.csv" --out "$dir/ref" \
        2>"$dir/ref.err"
    rc=$?
    if [ $rc -eq 3 ]; then
        skip=$((skip + 1)); [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"; continue
    fi
    "$leadsim" plan "$dir/scenario.ini" "${goal[@]}" --seed "$seed" --out "$dir/out" --quiet \
        --no-plots >"$dir/leadsim.out" 2>"$dir/leadsim.err"
    lrc=$?
    label="seed $seed (${goal[*]}) plan.csv"
    if [ $rc -ne 0 ]; then
        if [ $lrc -ne $rc ]; then
            echo "$label: reference exit $rc ($(head -c 200 "$dir/ref.err")), leadsim exit $lrc"
            ok=0
        fi
    elif [ $lrc -ne 0 ]; then
        echo "$label: leadsim exit status $lrc: $(head -c 300 "$dir/leadsim.err" | tr '\n' ' ')"
        ok=0
    elif [ ! -f "$dir/out/plan.csv" ]; then
        echo "$label: leadsim wrote no plan.csv"; ok=0
    else
        if [ -n "$mc_rel" ]; then mc=(--mc-rel "$mc_rel"); else mc=(--draws "$dir/ref_draws.csv"); fi
        python3 "$here/compare_review.py" --kind plan "${mc[@]}" "$dir/ref/plan.csv" \
            "$dir/out/plan.csv" --label "$label" || ok=0
        if [ $ok = 1 ] && [ "$controls" = 0 ]; then
            controls=1
            awk -F, -v OFS=, 'NR == 2 { $2 = $2 * 1.000001 } { print }' "$dir/out/plan.csv" \
                >"$dir/bad_plan.csv"
            if python3 "$here/compare_review.py" --kind plan "$dir/ref/plan.csv" \
                    "$dir/bad_plan.csv" --label control >/dev/null; then
                echo "seed $seed: a changed point estimate was not caught"; ok=0
            fi
            awk -F, -v OFS=, 'NR == 2 { $7 = $7 * 2 + 1 } { print }' "$dir/out/plan.csv" \
                >"$dir/bad_plan_mc.csv"
            if python3 "$here/compare_review.py" --kind plan "${mc[@]}" "$dir/ref/plan.csv" \
                    "$dir/bad_plan_mc.csv" --label control >/dev/null; then
                echo "seed $seed: a doubled hi95 was not caught"; ok=0
            fi
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
