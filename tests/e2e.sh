#!/bin/sh
# e2e.sh - end-to-end golden tests: scenario and data in, exact files out.
#
# Each folder tests/e2e/NAME/ is one case:
#   args      the leadsim arguments, on one line, run from the case folder;
#             $OUT stands for a fresh output folder
#   status    expected exit status (default 0)
#   stderr    expected standard error, compared exactly (optional)
#   stdout    expected standard output, compared exactly (optional)
#   expect/   files expected in $OUT, each compared byte for byte
# A case that expects a non-zero status must also leave $OUT without files.
#
# Usage: sh tests/e2e.sh LEADSIM_BINARY   Prints one line per case and a total.
# With E2E_WRAPPER=PROGRAM set, every run is PROGRAM LEADSIM_BINARY ARGS... (make
# check-valgrind sets it to tests/valgrind.sh).
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")" && pwd)
wrap=""
[ -n "$E2E_WRAPPER" ] && wrap="sh $(cd "$(dirname "$E2E_WRAPPER")" && pwd)/$(basename "$E2E_WRAPPER")"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "$root"/e2e/*/; do
    name=$(basename "$case")
    [ -f "$case/args" ] || continue
    out="$tmp/$name.out"
    rm -rf "$out"
    args=$(sed "s#\$OUT#$out#g" "$case/args")
    want_status=0
    [ -f "$case/status" ] && want_status=$(cat "$case/status")
    (cd "$case" && eval "$wrap \"$bin\" $args" >"$tmp/stdout" 2>"$tmp/stderr")
    status=$?
    why=""
    [ "$status" = "$want_status" ] || why="exit status $status, expected $want_status"
    if [ -z "$why" ] && [ -f "$case/stderr" ] && ! cmp -s "$case/stderr" "$tmp/stderr"; then
        why="stderr differs:$(diff "$case/stderr" "$tmp/stderr" | head -5)"
    fi
    if [ -z "$why" ] && [ -f "$case/stdout" ] && ! cmp -s "$case/stdout" "$tmp/stdout"; then
        why="stdout differs:$(diff "$case/stdout" "$tmp/stdout" | head -5)"
    fi
    if [ -z "$why" ] && [ -d "$case/expect" ]; then
        for f in $(cd "$case/expect" && find . -type f | sort); do
            if [ ! -f "$out/$f" ]; then why="missing $f"; break; fi
            if ! cmp -s "$case/expect/$f" "$out/$f"; then
                why="$f differs:$(diff "$case/expect/$f" "$out/$f" | head -6)"
                break
            fi
        done
    fi
    if [ -z "$why" ] && [ "$want_status" != 0 ] && [ -d "$out" ] &&
        [ -n "$(find "$out" -type f | head -1)" ]; then
        why="a failed run left files in the output folder"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "ok   e2e $name"
    else
        fail=$((fail + 1))
        echo "FAIL e2e $name: $why"
        [ -s "$tmp/stderr" ] && sed 's/^/     | /' "$tmp/stderr" | head -5
    fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
