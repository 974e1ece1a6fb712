#!/bin/sh
# test_cache.sh - the columnar cache: same results, and never trusted when it should not be.
#
# 1. Every successful golden case gives byte-identical results when its
#    dataset comes from the cache (second run) instead of the CSV files.
# 2. A changed source file, a new events file, a truncated, corrupted or
#    foreign cache, and a cache of another format are each detected and
#    rebuilt; --strict on data with counted problems does not use it.
# 3. --no-cache neither reads nor writes; `leadsim cache clear` removes it.
# Usage: LEADSIM=build/leadsim sh tests/test_cache.sh
bin=${LEADSIM:-build/leadsim}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LEADSIM_CACHE_DIR="$tmp/cache"
export LEADSIM_CACHE_TRACE=1
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   cache $1"; }
bad() { fail=$((fail + 1)); echo "FAIL cache $1"; }

# 1. equivalence over the golden cases that run or sweep successfully
same=0
differ=""
for case in tests/e2e/*/; do
    name=$(basename "$case")
    [ -f "$case/args" ] || continue
    [ -f "$case/status" ] && [ "$(cat "$case/status")" != 0 ] && continue
    grep -qE '^(run|sweep) ' "$case/args" || continue
    grep -q -- '--strict' "$case/args" && continue
    # a dataset that joins other files is never cached (the cache does not
    # watch the joined files): read from CSV every time, nothing to compare
    grep -rqs '^\[join ' "$case" --include=dataset.ini && continue
    rm -rf "$LEADSIM_CACHE_DIR" "$tmp/a" "$tmp/b"
    a=$(sed "s#\$OUT#$tmp/a#g" "$case/args")
    b=$(sed "s#\$OUT#$tmp/b#g" "$case/args")
    (cd "$case" && eval "\"$bin\" $a --no-plots" >/dev/null 2>"$tmp/a.err") &&
        (cd "$case" && eval "\"$bin\" $b --no-plots" >/dev/null 2>"$tmp/b.err") &&
        [ -n "$(find "$tmp/a" -type f 2>/dev/null | head -1)" ] || {
        differ="$differ $name(a run failed or wrote nothing)"
        continue
    }
    if ! grep -q ": used" "$tmp/b.err"; then
        differ="$differ $name(cache not used: $(grep cache "$tmp/b.err" | head -1))"
        continue
    fi
    if diff -r "$tmp/a" "$tmp/b" >/dev/null; then same=$((same + 1)); else differ="$differ $name"; fi
done
[ -z "$differ" ] && [ "$same" -gt 10 ] && ok "$same golden cases: identical results from the cache" ||
    bad "results differ from the cache:$differ"

# 2. staleness and damage, on a copy of the sample
cp -r datasets/sample "$tmp/data"
sed "s#^data = .*#data = $tmp/data#" scenarios/decay-rules.ini >"$tmp/s.ini"
run() { # run LABEL [options]: the trace line in $trace, results in $tmp/out-LABEL;
    # $ran is true (a command) when the run exited 0 and wrote summary.csv
    label=$1
    shift
    "$bin" run "$tmp/s.ini" --out "$tmp/out-$label" --quiet --no-plots "$@" 2>"$tmp/err"
    st=$?
    trace=$(grep "leadsim: cache" "$tmp/err" | head -1)
    ran=false
    [ "$st" = 0 ] && [ -s "$tmp/out-$label/summary.csv" ] && ran=true
    [ "$ran" = true ] || trace="exit $st, no summary.csv; $trace"
}
rm -rf "$LEADSIM_CACHE_DIR"
run first
$ran && echo "$trace" | grep -q "none yet" && ls "$LEADSIM_CACHE_DIR"/*.lsc >/dev/null 2>&1 &&
    ok "the first load writes a cache" || bad "first load: $trace"
run second
$ran && echo "$trace" | grep -q ": used" && ok "the second load uses it" || bad "second load: $trace"
cf=$(ls "$LEADSIM_CACHE_DIR"/*.lsc)

printf 'L0000001,2025-06-30 10:00:00,pricing_page_view\n' >>"$tmp/data/events.csv"
run changed
"$bin" run "$tmp/s.ini" --out "$tmp/out-fresh" --quiet --no-plots --no-cache 2>/dev/null &&
    [ -s "$tmp/out-fresh/summary.csv" ] || bad "a run without the cache failed: the comparisons below cannot pass"
$ran && echo "$trace" | grep -q "stale" && diff -r "$tmp/out-changed" "$tmp/out-fresh" >/dev/null &&
    ok "an appended event row makes it stale; results are the new data's" || bad "changed events: $trace"
run again
$ran && echo "$trace" | grep -q ": used" && ok "and the rebuilt cache is used next time" || bad "rebuilt: $trace"

touch -d '2001-01-01' "$tmp/data/outcomes.csv"
run touched
$ran && echo "$trace" | grep -q "stale" && ok "a source file with another modification time makes it stale" || bad "touched: $trace"

mv "$tmp/data/events.csv" "$tmp/events.csv"
run noevents
$ran && echo "$trace" | grep -q "stale" && ok "a source file that went away makes it stale" || bad "removed file: $trace"
mv "$tmp/events.csv" "$tmp/data/events.csv"
run restore

size=$(stat -c %s "$cf")
truncate -s $((size / 2)) "$cf"
run truncated
$ran && echo "$trace" | grep -q "truncated" && diff -r "$tmp/out-truncated" "$tmp/out-fresh" >/dev/null &&
    ok "a truncated cache is detected and rebuilt" || bad "truncated: $trace"

printf '\377' | dd of="$cf" bs=1 seek=$((size / 3)) conv=notrunc 2>/dev/null
run corrupted
$ran && echo "$trace" | grep -q "checksum" && diff -r "$tmp/out-corrupted" "$tmp/out-fresh" >/dev/null &&
    ok "a corrupted byte is detected (checksum) and the cache rebuilt" || bad "corrupted: $trace"

printf 'LEADSIMC\377\000\000\000' | dd of="$cf" bs=1 seek=0 conv=notrunc 2>/dev/null
run version
$ran && echo "$trace" | grep -q "another format version" && ok "a cache of another format version is not used" || bad "version: $trace"

# foreign: the cache of another dataset under this dataset's name
mkdir -p "$tmp/other"
cp datasets/sample/leads.csv "$tmp/other/"
"$bin" check "$tmp/other" >/dev/null 2>&1
sed "s#^data = .*#data = $tmp/other#" scenarios/baseline.ini >"$tmp/o.ini"
"$bin" run "$tmp/o.ini" --out "$tmp/out-other" --quiet --no-plots 2>/dev/null
run mine
for f in "$LEADSIM_CACHE_DIR"/*.lsc; do [ "$f" != "$cf" ] && cp "$f" "$cf"; done
run foreign
$ran && echo "$trace" | grep -q "foreign" && diff -r "$tmp/out-foreign" "$tmp/out-fresh" >/dev/null &&
    ok "another dataset's cache is recognised as foreign" || bad "foreign: $trace"

# --strict on data with counted problems reads the files, so the message is exact
printf 'nobody,2025-01-01,email_open\n' >>"$tmp/data/events.csv"
run warned
run warned2
"$bin" run "$tmp/s.ini" --out "$tmp/out-strict" --quiet --no-plots --strict 2>"$tmp/strict.err"
st=$?
grep -q "not used with --strict" "$tmp/strict.err" && [ "$st" = 65 ] &&
    grep -q "events.csv:[0-9]*: event for unknown lead 'nobody' (fatal with --strict)" "$tmp/strict.err" &&
    ok "--strict bypasses the cache and stops on the exact line" || bad "strict: $(cat "$tmp/strict.err")"

# 3. --no-cache and cache clear
rm -rf "$LEADSIM_CACHE_DIR"
run nocache --no-cache
$ran && [ -z "$trace" ] && [ ! -e "$LEADSIM_CACHE_DIR" ] && ok "--no-cache neither reads nor writes" || bad "--no-cache: $trace"
run make
$ran && ls "$LEADSIM_CACHE_DIR"/*.lsc >/dev/null 2>&1 || bad "cache clear: no cache to clear ($trace)"
"$bin" cache clear --data "$tmp/data" >"$tmp/clear.out" &&
    [ -d "$LEADSIM_CACHE_DIR" ] && [ -z "$(ls "$LEADSIM_CACHE_DIR")" ] && grep -q "Removed the cache of" "$tmp/clear.out" &&
    ok "cache clear removes it" || bad "cache clear: $(cat "$tmp/clear.out")"
"$bin" cache clear >/dev/null 2>&1
[ $? = 2 ] && ok "cache clear without --data is a usage error" || bad "cache clear usage"
LEADSIM_CACHE_DIR= "$bin" run "$tmp/s.ini" --out "$tmp/out-nodir" --quiet --no-plots 2>"$tmp/err" &&
    [ -s "$tmp/out-nodir/summary.csv" ] && diff -r "$tmp/out-nodir" "$tmp/out-nocache" >/dev/null && [ ! -s "$tmp/err" ] &&
    ok "with no cache folder everything works the same" || bad "no cache folder"

# 4. a dataset with joins is never cached: a change in a joined file shows at once
cp -r tests/e2e/sem-join-chain "$tmp/join"
rm -rf "$LEADSIM_CACHE_DIR"
(cd "$tmp/join" && "$bin" run scenario.ini --out "$tmp/join-a" --quiet --no-plots 2>"$tmp/join-a.err")
sed -i '2s/,[^,]*$/,changed/' "$tmp/join/data/owners.csv"
(cd "$tmp/join" && "$bin" run scenario.ini --out "$tmp/join-b" --quiet --no-plots 2>"$tmp/join-b.err")
if [ -s "$tmp/join-a/summary.csv" ] && ! grep -q ": used" "$tmp/join-b.err" &&
    [ -z "$(find "$LEADSIM_CACHE_DIR" -name '*.lsc' 2>/dev/null | head -1)" ]; then
    ok "a dataset that joins other files is read from CSV every time, no cache written"
else
    bad "a dataset with joins was cached"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
