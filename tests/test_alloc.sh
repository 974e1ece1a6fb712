#!/bin/sh
# test_alloc.sh - out of memory anywhere: every allocation of small runs fails in turn.
#
# Runs the fault-injection build (build/failalloc/leadsim: ASan, UBSan and
# LeakSanitizer, compiled with -DLEADSIM_FAILALLOC; see src/util.c). For each
# case below it first counts the allocations of a successful run
# (LEADSIM_ALLOC_COUNT=1), then runs the same command once for every N from 1
# to that count with LEADSIM_FAIL_ALLOC=N, which makes allocation N (and only
# it) fail. Each of those runs must:
#   - exit with status 70;
#   - print exactly "leadsim: out of memory" on stderr, and nothing else (so
#     no sanitizer report and no leak either);
#   - leave the output folder exactly as a successful run had left it (every
#     file byte for byte, nothing added: no staging folder), and the cache
#     folder without a half-written file.
# COLD cases start each run without a columnar cache, so the load reads the
# CSV files and writes the cache; WARM cases load from the cache.
# Threads: most cases use --threads 1; the last two use --threads 2 on data
# large enough for the replay, the bootstrap and the sweep.csv writer to start
# threads (the number of allocations does not depend on their order, only
# which one is the Nth).
# Plots are drawn by a stand-in for gnuplot (see below).
#
# One ok/FAIL line per case; a FAIL names the first failing N, what was wrong,
# and where allocation N was made. Everything is written to a temporary folder.
#
# Usage: sh tests/test_alloc.sh [FAILALLOC_BINARY]   (default build/failalloc/leadsim)
# Prints "N passed, M failed"; exits 0 when all pass.
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/failalloc/leadsim}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
pass=0
fail=0
if [ ! -x "$bin" ]; then
    echo "FAIL alloc: no executable at $bin (make build/failalloc/leadsim)"
    echo "0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
export LEADSIM_CACHE_DIR="$tmp/cache"
unset LEADSIM_FAIL_ALLOC LEADSIM_ALLOC_COUNT LEADSIM_FAIL_ALLOC_STACK LEADSIM_CACHE_TRACE LEADSIM_TIMING

ok() { pass=$((pass + 1)); echo "ok   alloc $1"; }
bad() { fail=$((fail + 1)); echo "FAIL alloc $1: $2"; }

# snapshot DIR: every path under DIR with the checksum of each file.
snapshot() {
    [ -d "$1" ] || return 0
    (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -exec cksum {} + | LC_ALL=C sort)
}

# ---------- fixtures ----------
# The data of the warn-all golden case: an attribute, events and outcomes with
# every counted problem, so that the data-quality examples are kept too.
cp -R "$root/tests/e2e/warn-all/data" data
# Two golden cases as they are: a CRM-style export mapped by a dataset.ini,
# and a dataset with problems that stop a run (for check).
cp -R "$root/tests/e2e/sem-mapping" mapping
cp -R "$root/tests/e2e/err-check-problems/data" broken
# A scenario with every kind of section.
cat >s.ini <<'EOF'
[scenario]
name = alloc
description = every section that allocates
data = data
[behaviour]
webinar = 10
demo = 30
[limits]
webinar = 20
[decay]
half_life_days = 30
[fit industry]
software = 15
default = -5
[mql]
threshold = 10, 30
fast_track = demo
rule = webinar >= 2 within 7d
rule = webinar >= 1 and demo >= 1
[sales]
reps = 1
followups_per_rep_per_day = 1
sla_business_hours = 8
[tune]
objective = f1
EOF
sed -e 's/^name = alloc/name = other/' -e 's/^threshold = 10, 30/threshold = 20/' s.ini >t.ini
# tune: a grid of weights, without decay (the counts method) and with it (replay)
sed -e 's/^name = alloc/name = grid/' -e 's/^webinar = 10$/webinar = 5, 10/' -e 's/^demo = 30$/demo = 20..30 step 10/' \
    -e '/^\[decay\]/d' -e '/^half_life_days/d' s.ini >g.ini
sed -e 's/^name = grid/name = gridd/' g.ini >gd.ini
printf '[decay]\nhalf_life_days = 30\n' >>gd.ini
# Plots: what is tested is leadsim's side (the data files, the staged
# pictures, the report that inlines them), so a stand-in for gnuplot writes
# each picture; the real one would make the plot cases several times slower.
cat >gnuplot <<'EOF'
#!/bin/sh
out=$(printf '%s\n' "$2" | sed -n "s/.*outfile='\([^']*\)'.*/\1/p")
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$out"
EOF
chmod +x gnuplot
export LEADSIM_GNUPLOT="$tmp/gnuplot"

# where N COLD|WARM CMD...: the functions that made allocation N in CMD
where() {
    at=$1
    [ "$2" = COLD ] && rm -rf "$LEADSIM_CACHE_DIR"
    shift 2
    LEADSIM_FAIL_ALLOC=$at LEADSIM_FAIL_ALLOC_STACK=1 "$bin" "$@" 2>&1 >/dev/null |
        sed -n 's/^ *#[0-9]* 0x[0-9a-f]* in \([^ ]*\) \(.*\)/\1 \2/p' |
        grep -v -e '^alloc_fails' -e '^util_' -e '^__' | head -4 | tr '\n' ';'
}

# case NAME COLD|WARM CMD...: count the allocations of CMD, then fail each of
# them in turn.
case_() {
    name=$1
    mode=$2
    shift 2
    # a run without failures: the state every failed run must leave behind
    # (65 for a check that finds problems)
    rm -rf out "$LEADSIM_CACHE_DIR"
    "$bin" "$@" >/dev/null 2>err.txt
    st=$?
    if [ "$st" != 0 ] && [ "$st" != 65 ]; then
        bad "$name" "the run without failures ended with $st: $(head -3 err.txt)"
        return
    fi
    snapshot out >want.txt
    [ "$mode" = COLD ] && rm -rf "$LEADSIM_CACHE_DIR"
    LEADSIM_ALLOC_COUNT=1 "$bin" "$@" >/dev/null 2>err.txt
    count=$(sed -n 's/^leadsim: allocations: //p' err.txt)
    if [ -z "$count" ] || [ "$count" -lt 1 ]; then
        bad "$name" "no allocation count: $(head -3 err.txt)"
        return
    fi
    started=$(date +%s)
    first=""
    nfail=0
    n=1
    while [ "$n" -le "$count" ]; do
        [ "$mode" = COLD ] && rm -rf "$LEADSIM_CACHE_DIR"
        LEADSIM_FAIL_ALLOC=$n "$bin" "$@" >/dev/null 2>err.txt
        st=$?
        why=""
        if [ "$st" != 70 ]; then
            why="exit status $st"
        elif [ "$(cat err.txt)" != "leadsim: out of memory" ]; then
            why="stderr: $(head -c 200 err.txt | tr '\n' ' ')"
        elif ! snapshot out | cmp -s want.txt -; then
            why="the output folder changed: $(snapshot out | diff want.txt - | grep '^[<>]' | head -3 | tr '\n' ' ')"
        elif [ -d "$LEADSIM_CACHE_DIR" ] && find "$LEADSIM_CACHE_DIR" -name '*.tmp.*' | grep -q .; then
            why="a temporary cache file was left behind"
        fi
        if [ -n "$why" ]; then
            nfail=$((nfail + 1))
            if [ -z "$first" ]; then
                first="allocation $n: $why (at $(where "$n" "$mode" "$@"))"
            fi
        fi
        n=$((n + 1))
    done
    if [ "$nfail" = 0 ]; then
        ok "$name: each of $count allocations failed in turn ($(($(date +%s) - started)) s)"
    else
        bad "$name" "$nfail of $count runs wrong; first: $first"
    fi
}

# Enough leads for the replay to use two threads (over 1024), and a two-axis
# grid of over 4096 rows for the sweep.csv writer; the bootstrap uses one
# thread per resample.
"$bin" gen --out mid --leads 1300 --seed 3 >/dev/null 2>&1 || bad "gen of the threaded case's data" "failed"
cat >m.ini <<'EOF'
[scenario]
name = threads
data = mid
[behaviour]
webinar = 10
whitepaper_download = 10
pricing_page_view = 15
email_click = 3
[decay]
half_life_days = 30
[fit total_visits]
per_unit = 1
[mql]
threshold = 40
fit_threshold = 5
fast_track = demo_request
rule = pricing_page_view >= 2 within 7d
EOF

t0=$(date +%s)
case_ "run, cold cache" COLD run s.ini --out out --no-plots --threads 1 --quiet
case_ "run, warm cache" WARM run s.ini --out out --no-plots --threads 1 --quiet
case_ "run of two scenarios" WARM run s.ini t.ini --out out --no-plots --threads 1 --quiet
case_ "run, not quiet" WARM run s.ini --out out --no-plots --threads 1
case_ "run with plots" WARM run s.ini --out out --threads 1 --quiet
case_ "sweep, cold cache" COLD sweep s.ini --out out --no-plots --bootstrap 5 --threads 1
case_ "sweep, warm cache" WARM sweep s.ini --out out --no-plots --bootstrap 5 --threads 1 --quiet
case_ "sweep with plots" WARM sweep s.ini --out out --bootstrap 5 --threads 1 --quiet
case_ "run, dataset.ini" COLD run mapping/scenario.ini --out out --no-plots --threads 1 --quiet
case_ "check" COLD check data
case_ "check, problems that stop a run" COLD check broken
case_ "gen" COLD gen --out out --leads 20 --seed 5
case_ "tune, counts" WARM tune g.ini --out out --threads 1 --quiet
case_ "tune, replayed vectors" WARM tune gd.ini --out out --threads 1 --quiet
case_ "run, two threads" WARM run m.ini --out out --no-plots --threads 2 --quiet
case_ "sweep, two threads" WARM sweep m.ini --out out --no-plots --bootstrap 2 --threads 2 --quiet
echo "alloc: $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
