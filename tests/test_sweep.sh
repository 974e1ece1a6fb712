#!/bin/sh
# test_sweep.sh - `run` and `sweep` agree exactly wherever their thresholds meet,
# and the sweep is reproducible: the same seed gives the same bytes whatever --threads.
#
# For each example scenario: sweep the sample dataset, take eight rows of
# sweep.csv (first, last, the recommendation and evenly spaced ones), replay
# exactly those thresholds with `run`, and compare every contract column and
# the weekly workload columns.
# Usage: LEADSIM=build/leadsim sh tests/test_sweep.sh
bin=${LEADSIM:-build/leadsim}
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   sweep $1"; }
bad() { fail=$((fail + 1)); echo "FAIL sweep $1"; }

for scn in baseline fit-heavy decay-rules; do
    out="$tmp/$scn"
    "$bin" sweep "scenarios/$scn.ini" --out "$out/sweep" --quiet --bootstrap 50 && [ -s "$out/sweep/sweep.csv" ] ||
        { bad "$scn: sweep failed or wrote no sweep.csv"; continue; }
    rows=$(($(wc -l <"$out/sweep/sweep.csv") - 1))
    # eight distinct thresholds (and, in two-axis mode, fit thresholds)
    picks=$(awk -F, -v n="$rows" 'NR > 1 { T[NR-1] = $2; F[NR-1] = $3; if ($27 == "recommended") r = NR-1 }
        END { k = 0; for (i = 0; i < 7; i++) { j = 1 + int((n - 1) * i / 6); t[j] = 1 } t[r] = 1
              for (j in t) { if (!(T[j] in seen)) { seen[T[j]] = 1; ts = ts (ts == "" ? "" : ", ") T[j] }
                             if (F[j] != "" && !(F[j] in fseen)) { fseen[F[j]] = 1; fs = fs (fs == "" ? "" : ", ") F[j] } }
              print ts "|" fs }' "$out/sweep/sweep.csv")
    ts=${picks%%|*}
    fs=${picks#*|}
    # the same scenario with those thresholds (data path made absolute)
    awk -v ts="$ts" -v fs="$fs" -v data="$(pwd)/datasets/sample" '
        /^threshold[ =]/ { print "threshold = " ts; next }
        /^fit_threshold[ =]/ { print "fit_threshold = " fs; next }
        /^data[ =]/ { print "data = " data; next }
        { print }' "scenarios/$scn.ini" >"$out/pick.ini"
    "$bin" run "$out/pick.ini" --out "$out/run" --quiet || { bad "$scn: run of the picked thresholds failed"; continue; }
    # compare: key = threshold,fit_threshold; columns 4-16 and the weekly ones
    awk -F, 'NR > 1 { print $2 "," $3 "|" $4","$5","$6","$7","$8","$9","$10","$11","$12","$13","$14","$15","$16 "|" $17","$18","$19","$20 }' \
        "$out/sweep/sweep.csv" | sort -t"|" -k1,1 >"$out/s.txt"
    awk -F, 'NR > 1 { print $2 "," $3 "|" $4","$5","$6","$7","$8","$9","$10","$11","$12","$13","$14","$15","$16 "|" $18","$19","$20","$21 }' \
        "$out/run/summary.csv" | sort -t"|" -k1,1 >"$out/r.txt"
    n=$(wc -l <"$out/r.txt")
    missing=$(join -t'|' -v1 "$out/r.txt" "$out/s.txt" | wc -l)
    differ=$(join -t'|' "$out/r.txt" "$out/s.txt" -o 1.1,1.2,1.3,2.2,2.3 | awk -F'|' '$2 != $4 || $3 != $5' | head -3)
    if [ "$n" -ge 2 ] && [ "$missing" = 0 ] && [ -z "$differ" ]; then
        ok "$scn: run and sweep agree on $n rows (of $rows)"
    else
        bad "$scn: $n rows compared, $missing thresholds of run missing from sweep; $differ"
    fi
done

# Reproducible whatever the number of threads. Every sweep must succeed and
# write its files: two missing files would otherwise compare as "different".
sweeps_ok=1
for t in 1 2 3; do
    "$bin" sweep scenarios/decay-rules.ini --out "$tmp/t$t" --quiet --bootstrap 200 --seed 7 --threads "$t" &&
        [ -s "$tmp/t$t/sweep.csv" ] && [ -s "$tmp/t$t/sweep.md" ] || sweeps_ok=0
done
if [ "$sweeps_ok" = 0 ]; then
    bad "same seed, 1/2/3 threads: a sweep failed or wrote no sweep.csv/sweep.md"
elif cmp -s "$tmp/t1/sweep.csv" "$tmp/t2/sweep.csv" && cmp -s "$tmp/t1/sweep.csv" "$tmp/t3/sweep.csv" &&
    cmp -s "$tmp/t1/sweep.md" "$tmp/t3/sweep.md"; then
    ok "same seed, 1/2/3 threads: identical sweep.csv and sweep.md"
else
    bad "threads change the output"
fi
if ! "$bin" sweep scenarios/decay-rules.ini --out "$tmp/t4" --quiet --bootstrap 200 --seed 8 ||
    [ ! -s "$tmp/t4/sweep.csv" ] || [ ! -s "$tmp/t1/sweep.csv" ]; then
    bad "another seed: a sweep failed or wrote no sweep.csv"
elif cmp -s "$tmp/t1/sweep.csv" "$tmp/t4/sweep.csv"; then
    bad "another seed gives the same intervals"
else
    ok "another seed gives other intervals"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
