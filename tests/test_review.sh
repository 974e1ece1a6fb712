#!/bin/sh
# test_review.sh - review finds the drifts that gen plants, and only those it can see.
#
# gen plants two drifts between the half-years of 2025 (webinar stops
# predicting wins; retail, in [fit industry]'s default line, turns from a
# poor sign to a good one). On 30,000 generated leads (seed 7) review of
# scenarios/baseline.ini must name both among the changes that stand out:
# in the terminal's "Drift" lines and in the bullets of review.md's "What
# drifted?" section. On datasets/sample (3,000 leads of the same seed) the
# retail change is too small to stand out: review must name webinar and not
# retail. About half a second in all on the release build.
# Usage: LEADSIM=build/leadsim sh tests/test_review.sh
bin=${LEADSIM:-build/leadsim}
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# drifts OUT_DIR STDOUT_FILE: the names review says stand out, one block of
# text: the terminal's Drift lines (indented, up to "Scores:") and the
# bullets of review.md's section 2.
drifts() {
    sed -n '/^Drift (/,/^Scores:/p' "$2" | grep '^  '
    sed -n '/^## 2\. What drifted?/,/^## 3\./p' "$1/review.md" | grep '^- \*\*'
}

# expect LABEL TEXT_FILE WORD yes|no
expect() {
    if grep -q -- "$3" "$2"; then has=yes; else has=no; fi
    if [ "$has" = "$4" ]; then
        if [ "$4" = yes ]; then echo "ok   review $1: names $3"; else echo "ok   review $1: does not name $3"; fi
    else
        if [ "$4" = yes ]; then echo "FAIL review $1: does not name $3"; else echo "FAIL review $1: names $3"; fi
        sed 's/^/    /' "$2"
        fail=1
    fi
}

# check LABEL DATA_DIR: review it; the drift lines into $tmp/LABEL.txt
check() {
    out=$tmp/$1
    if ! "$bin" review scenarios/baseline.ini --data "$2" --no-plots --out "$out" \
        >"$out.stdout" 2>"$out.stderr"; then
        echo "FAIL review $1: exit status $?"
        cat "$out.stderr"
        fail=1
        return 1
    fi
    for f in review.md review.csv review-features.csv; do
        [ -s "$out/$f" ] || { echo "FAIL review $1: no $f"; fail=1; return 1; }
    done
    drifts "$out" "$out.stdout" >"$out.txt"
    # both places must say something: an empty list would pass "not retail"
    [ "$(grep -c '^  ' "$out.txt")" -gt 0 ] && [ "$(grep -c '^- ' "$out.txt")" -gt 0 ] || {
        echo "FAIL review $1: no drift line in the terminal or in review.md"
        fail=1
        return 1
    }
}

if "$bin" gen --out "$tmp/gen30k" --leads 30000 --seed 7 >/dev/null 2>"$tmp/gen.stderr"; then
    if check gen30k "$tmp/gen30k"; then
        expect "30,000 leads" "$tmp/gen30k.txt" webinar yes
        expect "30,000 leads" "$tmp/gen30k.txt" retail yes
        # each name in both places, not one in each
        for w in webinar retail; do
            if grep '^  ' "$tmp/gen30k.txt" | grep -q "$w" &&
                grep '^- ' "$tmp/gen30k.txt" | grep -q "$w"; then
                echo "ok   review 30,000 leads: $w in the terminal and in review.md"
            else
                echo "FAIL review 30,000 leads: $w not both in the terminal and in review.md"
                fail=1
            fi
        done
    fi
else
    echo "FAIL review: gen exited with status $?"
    cat "$tmp/gen.stderr"
    fail=1
fi

if check sample datasets/sample; then
    expect "datasets/sample" "$tmp/sample.txt" webinar yes
    expect "datasets/sample" "$tmp/sample.txt" retail no
fi
exit $fail
