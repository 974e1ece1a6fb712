#!/bin/sh
# fuzz.sh - runs the libFuzzer targets (build/fuzz/fuzz_*), for `make test` or `make fuzz`.
#
#   sh tests/fuzz.sh --smoke [RUNS] [TARGET...]
#                                         make test: each target replays its
#                                         reproducers in tests/fuzz/regress/TARGET/,
#                                         then runs RUNS inputs (default 2000) mutated
#                                         from its seeds, with a fixed random seed (the
#                                         inputs still vary a little between runs: the
#                                         temporary paths that messages quote feed
#                                         libFuzzer's table of compared strings).
#                                         One "ok"/"FAIL" line per target; a failing
#                                         input is saved in build/fuzz/artifacts/TARGET/.
#   sh tests/fuzz.sh --seconds N [TARGET...]
#                                         make fuzz: each target (or those named) for
#                                         N seconds, one after the other, growing
#                                         build/fuzz/corpus/TARGET/; a crash, hang or
#                                         leak is saved in build/fuzz/artifacts/TARGET/.
#                                         Ends with a table of executions per target.
#
# Seeds come from tests/fuzz/seeds.sh (run here first; it only adds new files).
# tests/fuzz/TARGET.options, when present, holds extra libFuzzer flags for
# that target in both modes.
# Neither mode skips a target: a missing binary is a failure.
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
mode=$1
[ $# -gt 0 ] && shift
case $mode in
--smoke)
    runs=2000
    case $1 in [0-9]*) runs=$1; shift ;; esac
    ;;
--seconds)
    secs=$1
    shift
    case $secs in '' | *[!0-9]*) echo "fuzz.sh: --seconds needs a whole number" >&2; exit 2 ;; esac
    ;;
*) echo "usage: sh tests/fuzz.sh --smoke [RUNS] | --seconds N [TARGET...]" >&2; exit 2 ;;
esac

targets="$*"
[ -n "$targets" ] || targets=$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')

# The dataset harnesses write their files for every input: in memory
# (/dev/shm) they run a fifth faster than on a disk file system.
tmp=$( { [ -d /dev/shm ] && [ -w /dev/shm ] && mktemp -d -p /dev/shm; } 2>/dev/null || mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Harnesses put their temporary folders here, so a crashed run leaves nothing behind.
export TMPDIR="$tmp"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if ! sh tests/fuzz/seeds.sh >"$tmp/seeds.log" 2>&1; then
    cat "$tmp/seeds.log"
    for t in $targets; do echo "FAIL fuzz $t: no seed corpus (tests/fuzz/seeds.sh failed)"; done
    exit 1
fi

fail=0
summary=""
for t in $targets; do
    bin=build/fuzz/fuzz_$t
    seeds=build/fuzz/seeds/$t
    regress=tests/fuzz/regress/$t
    if [ ! -x "$bin" ]; then
        echo "FAIL fuzz $t: $bin is not built (make fuzz-build)"
        fail=$((fail + 1))
        continue
    fi
    opts=""
    [ -f "tests/fuzz/$t.options" ] && opts=$(cat "tests/fuzz/$t.options")
    nreg=0
    [ -d "$regress" ] && nreg=$(find "$regress" -type f | wc -l)
    if [ "$mode" = --smoke ]; then
        why=""
        if [ "$nreg" -gt 0 ]; then
            # A file argument is run once, as it is.
            if ! find "$regress" -type f -exec "$bin" -timeout=20 {} + >"$tmp/$t.regress" 2>&1; then
                why="a reproducer in $regress fails again"
                tail -40 "$tmp/$t.regress" | sed 's/^/     | /'
            fi
        fi
        mkdir -p "$tmp/corpus-$t" "build/fuzz/artifacts/$t"
        start=$(date +%s)
        if [ -z "$why" ] && ! "$bin" $opts -runs="$runs" -seed=1 -timeout=20 \
            -artifact_prefix="$root/build/fuzz/artifacts/$t/" \
            "$tmp/corpus-$t" "$seeds" >"$tmp/$t.log" 2>&1; then
            why="the fuzzer found a failure"
            grep -A40 -m1 -E '^==[0-9]+==|fuzz check failed|runtime error|ERROR: libFuzzer' "$tmp/$t.log" |
                head -40 | sed 's/^/     | /'
        fi
        took=$(($(date +%s) - start))
        if [ -z "$why" ]; then
            done_runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$tmp/$t.log" | tail -1)
            echo "ok   fuzz $t: ${done_runs:-?} runs in ${took}s, $nreg reproducers replayed"
        else
            echo "FAIL fuzz $t: $why"
            fail=$((fail + 1))
        fi
    else
        corpus=build/fuzz/corpus/$t
        artifacts=build/fuzz/artifacts/$t
        mkdir -p "$corpus" "$artifacts"
        before=$(ls "$corpus" | wc -l)
        echo "== fuzz $t for ${secs}s (corpus $corpus: $before inputs)"
        extra=""
        [ "$nreg" -gt 0 ] && extra=$regress
        "$bin" $opts -max_total_time="$secs" -timeout=20 -print_final_stats=1 \
            -artifact_prefix="$root/$artifacts/" "$corpus" "$seeds" $extra >"$tmp/$t.log" 2>&1
        st=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.log" | tail -1)
        took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$tmp/$t.log" | tail -1)
        cov=$(grep -E '^#[0-9]+' "$tmp/$t.log" | tail -1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
        after=$(ls "$corpus" | wc -l)
        result=clean
        if [ "$st" -ne 0 ]; then
            result="FAILED (exit $st): $(ls -t "$artifacts" | head -1)"
            fail=$((fail + 1))
            grep -A40 -m1 -E '^==[0-9]+==|fuzz check failed|runtime error|ERROR: libFuzzer' "$tmp/$t.log" | head -40
        fi
        cp "$tmp/$t.log" "build/fuzz/$t.log"
        echo "   ${execs:-?} executions in ${took:-?}s, coverage ${cov:-?}, corpus $before -> $after: $result"
        summary="$summary$(printf '%-10s %12s %8s %6s %s' "$t" "${execs:-?}" "${took:-$secs}s" "${cov:-?}" "$result")
"
    fi
done

if [ "$mode" = --seconds ]; then
    echo
    printf '%-10s %12s %8s %6s %s\n' target executions time cov result
    printf '%s' "$summary"
fi
[ "$fail" = 0 ]
