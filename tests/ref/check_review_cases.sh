#!/usr/bin/env bash
# Run the review and plan references on the hand-made cases cases/review-*
# and cases/plan-* and compare with their hand-computed expected files:
# expected_review.csv and expected_features.csv (refreview.py),
# expected_plan.csv (refplan.py; its empty fields are not checked) and
# expected_plan_dates.csv (byte for byte). A case's extra options are in its
# `args` file. Then selftest_review.py (the statistics against published
# values). Ends with `N passed, M failed`.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
for dir in "$here"/cases/review-*/ "$here"/cases/plan-*/; do
    [ -f "$dir/scenario.ini" ] || continue
    name="$(basename "$dir")"
    out="$tmp/$name"
    args=()
    [ -f "$dir/args" ] && read -r -a args <"$dir/args"
    ok=1
    case "$name" in
    review-*) tool=refreview.py ;;
    *) tool=refplan.py ;;
    esac
    if ! python3 "$here/$tool" "$dir/scenario.ini" "${args[@]}" --out "$out" 2>"$tmp/$name.err"; then
        echo "$name: $tool failed: $(head -c 300 "$tmp/$name.err")"
        ok=0
    else
        if [ -f "$dir/expected_review.csv" ]; then
            python3 "$here/compare_review.py" --kind review "$dir/expected_review.csv" \
                "$out/review.csv" --label "$name review.csv" || ok=0
        fi
        if [ -f "$dir/expected_features.csv" ]; then
            python3 "$here/compare_review.py" --kind features "$dir/expected_features.csv" \
                "$out/review-features.csv" --label "$name review-features.csv" || ok=0
        fi
        if [ -f "$dir/expected_plan.csv" ]; then
            python3 "$here/compare_review.py" --kind plan --ref-empty-skips \
                "$dir/expected_plan.csv" "$out/plan.csv" --label "$name plan.csv" || ok=0
        fi
        if [ -f "$dir/expected_plan_dates.csv" ]; then
            diff -u "$dir/expected_plan_dates.csv" "$out/plan-dates.csv" || ok=0
        fi
    fi
    if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "$name: FAILED"; fi
done
if python3 "$here/selftest_review.py"; then pass=$((pass+1)); else fail=$((fail+1)); fi
echo "review/plan cases: $pass passed, $fail failed"
[ $fail -eq 0 ]
