#!/bin/sh
# run.sh - the whole test suite, as `make test` runs it.
#
# Unit tests (cmocka), end-to-end golden tests and the differential test
# against the reference implementation, first on the normal build, then on
# the AddressSanitizer + UndefinedBehaviorSanitizer build; then, once, the
# end-to-end tests on the normal build under valgrind (tests/valgrind.sh),
# twice: the first pass writes the columnar caches, the second maps them;
# every allocation of small runs failed in turn on the fault-injection build
# (tests/test_alloc.sh); and a short run of every fuzz target. Ends with the
# line "N passed, M failed" and a non-zero status on any failure.
#
# Usage: sh tests/run.sh [--asan-only | --valgrind-only]
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
count() { # count PASSED FAILED
    pass=$((pass + $1))
    fail=$((fail + $2))
}

# tally CMD...: run a script that prints one "ok"/"FAIL" line per check, show
# its output and count those lines; a non-zero exit with no FAIL line (a
# crash, a missing build) counts as one failure.
tally() {
    log=$(mktemp)
    "$@" >"$log" 2>&1
    st=$?
    cat "$log"
    n_ok=$(grep -c '^ok' "$log")
    n_bad=$(grep -c '^FAIL' "$log")
    if [ "$st" -ne 0 ] && [ "$n_bad" = 0 ]; then n_bad=1; fi
    count "$n_ok" "$n_bad"
    rm -f "$log"
}

# The suites keep their columnar caches to themselves, not in ~/.cache.
LEADSIM_CACHE_DIR=$(mktemp -d)
export LEADSIM_CACHE_DIR
trap 'rm -rf "$LEADSIM_CACHE_DIR"' EXIT

# Sanitizers: any report fails the test that triggered it.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

suite() { # suite LABEL BUILD_DIR
    label=$1
    dir=$2
    echo "== $label: unit tests"
    for t in "$dir"/tests/test_*; do
        [ -x "$t" ] || continue
        log=$(mktemp)
        "$t" >"$log" 2>&1
        st=$?
        cat "$log"
        n_pass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
        n_fail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
        n_pass=${n_pass:-0}
        n_fail=${n_fail:-0}
        if [ "$st" -ne 0 ] && [ "$n_fail" = 0 ]; then n_fail=1; fi # crashed or sanitizer report
        count "$n_pass" "$n_fail"
        rm -f "$log"
    done
    echo "== $label: end-to-end tests"
    log=$(mktemp)
    sh tests/e2e.sh "$dir/leadsim" >"$log" 2>&1
    cat "$log"
    count "$(grep -c '^ok ' "$log")" "$(grep -c '^FAIL ' "$log")"
    rm -f "$log"
    echo "== $label: real data (Olist)"
    log=$(mktemp)
    sh tests/olist.sh "$dir/leadsim" >"$log" 2>&1
    cat "$log"
    count "$(grep -c '^ok ' "$log")" "$(grep -c '^FAIL ' "$log")"
    rm -f "$log"
    for t in tests/test_*.sh; do
        [ -f "$t" ] || continue
        [ "$t" = tests/test_alloc.sh ] && continue # its own build, run once below
        echo "== $label: $t"
        tally env LEADSIM="$dir/leadsim" sh "$t"
    done
    if [ -f tests/ref/difftest.sh ]; then
        if command -v python3 >/dev/null 2>&1; then
            echo "== $label: differential test against the reference implementation"
            log=$(mktemp)
            LEADSIM="$dir/leadsim" bash tests/ref/difftest.sh "${DIFFTEST_CASES:-60}" >"$log" 2>&1
            st=$?
            tail -15 "$log"
            if [ "$st" = 0 ]; then count 1 0; else count 0 1; fi
            rm -f "$log"
            if [ "$label" = "release build" ] && [ -f tests/ref/check_cases.sh ]; then
                echo "== the reference implementation against its hand-computed cases"
                if bash tests/ref/check_cases.sh >"$log" 2>&1; then count 1 0; else count 0 1; fi
                tail -3 "$log"
                rm -f "$log"
            fi
        else
            echo "== $label: differential test skipped: python3 is not installed"
        fi
    fi
}

# The end-to-end tests with every run under valgrind: no memory error, no
# leak, nothing left allocated at exit.
valgrind_suite() {
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "FAIL valgrind is not installed (make deps installs it)"
        count 0 1
        return
    fi
    old_cache=$LEADSIM_CACHE_DIR
    LEADSIM_CACHE_DIR=$(mktemp -d)
    for what in "reading the CSV files, writing caches" "from the caches"; do
        echo "== release build under valgrind: end-to-end tests, $what"
        log=$(mktemp)
        E2E_WRAPPER=tests/valgrind.sh sh tests/e2e.sh build/leadsim >"$log" 2>&1
        cat "$log"
        count "$(grep -c '^ok ' "$log")" "$(grep -c '^FAIL ' "$log")"
        rm -f "$log"
    done
    rm -rf "$LEADSIM_CACHE_DIR"
    LEADSIM_CACHE_DIR=$old_cache
}

if [ "$1" = "--valgrind-only" ]; then
    valgrind_suite
    echo
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
    exit
fi
if [ "$1" != "--asan-only" ]; then
    suite "release build" build
fi
suite "ASan+UBSan build" build/asan
if [ "$1" != "--asan-only" ]; then
    valgrind_suite
    echo "== fault-injection build: tests/test_alloc.sh"
    tally sh tests/test_alloc.sh build/failalloc/leadsim

    # The libFuzzer targets (their own ASan+UBSan build): each replays its
    # reproducers, then runs FUZZ_RUNS mutated inputs. One line per target.
    echo "== fuzz targets: reproducers, then ${FUZZ_RUNS:-2000} inputs each"
    tally sh tests/fuzz.sh --smoke "${FUZZ_RUNS:-2000}"
fi
echo
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
