#!/bin/sh
# run.sh - the whole test suite, as `make test` runs it.
#
# Unit tests (cmocka), end-to-end golden tests, the Olist replay, every
# tests/test_*.sh and the differential test against the reference
# implementation, first on the normal build, then on the AddressSanitizer +
# UndefinedBehaviorSanitizer build; the code's layout (tests/test_layout.sh,
# which reads the source, not a build) once, on the first pass; then, once, the
# end-to-end tests on the normal build under valgrind (tests/valgrind.sh),
# twice: the first pass writes the columnar caches, the second maps them;
# every allocation of small runs failed in turn on the fault-injection build
# (tests/test_alloc.sh); and a short run of every fuzz target. Ends with the
# line "N passed, M failed, K skipped" and a non-zero status on any failure.
# A check that cannot run here (the Olist data is not next to the checkout,
# gnuplot missing in a unit test) is counted as skipped, never as passed;
# a missing tool that `make deps` installs (python3, valgrind) is a failure.
#
# Usage: sh tests/run.sh [--check | --asan-only | --valgrind-only]
#   --check   only the unit and end-to-end tests on the normal build (make check)
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
skip=0
count() { # count PASSED FAILED [SKIPPED]
    pass=$((pass + $1))
    fail=$((fail + $2))
    skip=$((skip + ${3:-0}))
}

# tally CMD...: run a script that prints one "ok"/"FAIL"/"skip" line per
# check, show its output and count those lines; a non-zero exit with no FAIL
# line (a crash, a missing build) counts as one failure.
tally() {
    log=$(mktemp)
    "$@" >"$log" 2>&1
    st=$?
    cat "$log"
    n_ok=$(grep -c '^ok ' "$log")
    n_bad=$(grep -c '^FAIL ' "$log")
    n_skip=$(grep -c '^skip ' "$log")
    if [ "$st" -ne 0 ] && [ "$n_bad" = 0 ]; then n_bad=1; fi
    count "$n_ok" "$n_bad" "$n_skip"
    rm -f "$log"
}

# cmocka_sum WORD LOG: the sum of the N in every "[  WORD ] N test(s)" line;
# a binary may run several cmocka groups, each ending with its own lines.
# Not anchored at the line start: stdout and stderr share the log, and a
# buffered stdout may be flushed in the middle of a line.
cmocka_sum() {
    grep -o "\[  $1 *\] [0-9]* test" "$2" | awk '{ n += $4 } END { print n + 0 }'
}

# unit_tests BUILD_DIR: every tests/unit/test_*.c must have its binary in
# BUILD_DIR/tests; each binary's groups are summed. A non-zero exit with no
# failed test (a crash, a sanitizer report), or a binary that reports no test
# at all, is one failure.
unit_tests() {
    for src in tests/unit/test_*.c; do
        t=$1/tests/$(basename "$src" .c)
        if [ ! -x "$t" ]; then
            echo "FAIL unit $t: not built"
            count 0 1
            continue
        fi
        log=$(mktemp)
        "$t" >"$log" 2>&1
        st=$?
        cat "$log"
        n_pass=$(cmocka_sum PASSED "$log")
        n_fail=$(cmocka_sum FAILED "$log")
        n_skip=$(cmocka_sum SKIPPED "$log")
        if [ "$st" -ne 0 ] && [ "$n_fail" = 0 ]; then n_fail=1; fi # crashed or sanitizer report
        if [ $((n_pass + n_fail + n_skip)) = 0 ]; then
            echo "FAIL unit $t: exit $st and no cmocka summary"
            n_fail=1
        fi
        count "$n_pass" "$n_fail" "$n_skip"
        rm -f "$log"
    done
}

# total: the final line, and the status: 0 only with no failure.
total() {
    echo
    echo "$pass passed, $fail failed, $skip skipped"
    [ "$fail" = 0 ]
    exit
}

# The suites keep their columnar caches to themselves, not in ~/.cache.
LEADSIM_CACHE_DIR=$(mktemp -d)
export LEADSIM_CACHE_DIR
trap 'rm -rf "$LEADSIM_CACHE_DIR"' EXIT

# Sanitizers: any report fails the test that triggered it.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

suite() { # suite LABEL BUILD_DIR [--check]: with --check only the unit and e2e tests
    label=$1
    dir=$2
    echo "== $label: unit tests"
    unit_tests "$dir"
    echo "== $label: end-to-end tests"
    tally sh tests/e2e.sh "$dir/leadsim"
    [ "$3" = --check ] && return
    echo "== $label: real data (Olist)"
    tally sh tests/olist.sh "$dir/leadsim"
    for t in tests/test_*.sh; do
        [ -f "$t" ] || continue
        [ "$t" = tests/test_alloc.sh ] && continue  # its own build, run once below
        [ "$t" = tests/test_layout.sh ] && continue # the source, not a build: once below
        echo "== $label: $t"
        tally env LEADSIM="$dir/leadsim" sh "$t"
    done
    if [ "$label" = "release build" ] && [ -f tests/test_layout.sh ]; then
        echo "== the code's layout: tests/test_layout.sh"
        tally sh tests/test_layout.sh
    fi
    if [ -f tests/ref/difftest.sh ]; then
        # python3 is one of the packages `make deps` installs: without it
        # this suite did not run what it promises, so that is a failure.
        if ! command -v python3 >/dev/null 2>&1; then
            echo "FAIL $label: differential test: python3 is not installed (make deps installs it)"
            count 0 1
        else
            echo "== $label: differential test against the reference implementation"
            log=$(mktemp)
            LEADSIM="$dir/leadsim" bash tests/ref/difftest.sh "${DIFFTEST_CASES:-60}" >"$log" 2>&1
            st=$?
            tail -15 "$log"
            if [ "$st" = 0 ]; then count 1 0; else count 0 1; fi
            if [ -f tests/ref/difftest_review.sh ]; then
                echo "== $label: differential test of review against its reference"
                LEADSIM="$dir/leadsim" bash tests/ref/difftest_review.sh \
                    "${DIFFTEST_REVIEW_CASES:-40}" >"$log" 2>&1
                st=$?
                tail -15 "$log"
                if [ "$st" = 0 ]; then count 1 0; else count 0 1; fi
            fi
            if [ "$label" = "release build" ] && [ -f tests/ref/difftest_plan.sh ]; then
                echo "== $label: differential test of plan against its reference"
                LEADSIM="$dir/leadsim" bash tests/ref/difftest_plan.sh \
                    "${DIFFTEST_PLAN_CASES:-40}" >"$log" 2>&1
                st=$?
                tail -15 "$log"
                if [ "$st" = 0 ]; then count 1 0; else count 0 1; fi
            fi
            if [ "$label" = "release build" ] && [ -f tests/ref/check_cases.sh ]; then
                echo "== the reference implementation against its hand-computed cases"
                if bash tests/ref/check_cases.sh >"$log" 2>&1; then count 1 0; else count 0 1; fi
                tail -3 "$log"
            fi
            rm -f "$log"
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
        tally env E2E_WRAPPER=tests/valgrind.sh sh tests/e2e.sh build/leadsim
    done
    rm -rf "$LEADSIM_CACHE_DIR"
    LEADSIM_CACHE_DIR=$old_cache
}

case $1 in
--valgrind-only)
    valgrind_suite
    total
    ;;
--check)
    suite "release build" build --check
    total
    ;;
esac
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
total
