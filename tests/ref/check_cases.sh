#!/usr/bin/env bash
# Run the reference on the hand-made cases in tests/ref/cases/ and compare
# with their hand-computed expected.csv (and expected_weekly.csv when present);
# then selfcheck_queue.py: the reference's queue against a second computation
# of slots and business time (counted as one more case).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
for dir in "$here"/cases/*/; do
    name="$(basename "$dir")"
    ok=1
    if ! python3 "$here/refsim.py" "$dir/scenario.ini" --weekly "$tmp/$name.weekly.csv" \
            >"$tmp/$name.csv" 2>"$tmp/$name.err"; then
        echo "$name: refsim failed: $(head -c 300 "$tmp/$name.err")"
        ok=0
    else
        python3 "$here/compare.py" "$dir/expected.csv" "$tmp/$name.csv" --label "$name" || ok=0
        if [ -f "$dir/expected_weekly.csv" ]; then
            python3 "$here/compare.py" --weekly "$dir/expected_weekly.csv" "$tmp/$name.weekly.csv" \
                --label "$name weekly" || ok=0
        fi
    fi
    if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
if python3 "$here/selfcheck_queue.py" 300 >"$tmp/selfcheck.out" 2>&1; then
    pass=$((pass+1))
else
    echo "selfcheck_queue: $(tail -4 "$tmp/selfcheck.out")"
    fail=$((fail+1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
# the review and plan references on cases/review-* and cases/plan-*
st=$?
"$here/check_review_cases.sh" || st=1
exit $st
