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
# ALLOC_ONLY=PATTERN runs only the cases whose name matches the grep pattern.
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
# The commands and [sales] features added later. [sales] with everything:
# the data of the run-sales-recycle golden case, hand-backs after 10 days,
# local business hours, holidays inline and from a file, and the sla:P
# objective (its staffing in run, the queue per row and the search in sweep).
cp -R "$root/tests/e2e/run-sales-recycle/data" sales
printf '# holidays\n2025-01-14\n' >hol.txt
cat >sales.ini <<'EOF2'
[scenario]
name = sales
data = sales
[behaviour]
a = 10
[fit industry]
software = 20
[mql]
threshold = 20
[sales]
reps = 1
followups_per_rep_per_day = 2
sla_business_hours = 4
recycle_after_days = 10
business_hours = 08:00-16:00
utc_offset = +01:00
holidays = 2025-01-08
holidays_file = hol.txt
[tune]
objective = sla:0.5
[evaluation]
until = 2025-03-31
EOF2
sed -e 's/^name = sales/name = salesw/' -e 's/^threshold = 20$/threshold = 0..20 step 10/' sales.ini >salesw.ini
# sql_at in outcomes.csv (the data of sem-sql), two thresholds
cp -R "$root/tests/e2e/sem-sql/data" sqldata
sed -e 's/^data = data/data = sqldata/' "$root/tests/e2e/sem-sql/scenario.ini" >sql.ini
# a CRM export through a dataset.ini with [join], missing_values, skip_if_empty
cp -R "$root/tests/e2e/sem-crm-export/data" crm
sed -e 's/^data = data/data = crm/' "$root/tests/e2e/sem-crm-export/scenario.ini" >crm.ini
# review: a small timed dataset with won leads in several quarters
cp -R "$root/tests/e2e/review-window/data" rev
sed -e 's/^data = data/data = rev/' "$root/tests/e2e/review-window/scenario.ini" >rev.ini
# plan: a revenue goal with amounts; a goal in deals over a threshold range
cp -R "$root/tests/e2e/plan-revenue/data" planr
sed -e 's/^data = data/data = planr/' "$root/tests/e2e/plan-revenue/scenario.ini" >planr.ini
cp -R "$root/tests/e2e/plan-deals-pick/data" pland
sed -e 's/^data = data/data = pland/' "$root/tests/e2e/plan-deals-pick/scenario.ini" >pland.ini
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
    if [ -n "${ALLOC_ONLY:-}" ] && ! printf '%s\n' "$name" | grep -q -e "$ALLOC_ONLY"; then
        return
    fi
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
case_ "run, [sales] with everything" WARM run sales.ini --out out --no-plots --threads 1 --quiet
case_ "sweep, [sales] with everything, sla:P" WARM sweep salesw.ini --out out --no-plots --bootstrap 2 --threads 1 --quiet
case_ "run, sql_at" COLD run sql.ini --out out --no-plots --threads 1 --quiet
case_ "sweep, sql_at" WARM sweep sql.ini --out out --no-plots --bootstrap 2 --threads 1 --quiet
case_ "run, dataset.ini with [join]" COLD run crm.ini --out out --no-plots --threads 1 --quiet
case_ "check, dataset.ini with [join]" COLD check crm
case_ "review, not quiet" WARM review rev.ini --period 3 --out out --no-plots --bootstrap 0 --threads 1
case_ "review, bootstrap, plots" WARM review rev.ini --period 3 --out out --bootstrap 2 --threads 1 --quiet
case_ "plan, revenue and a period" WARM plan planr.ini --revenue 1000 --from 2025-03-01 --to 2025-05-01 --draws 50 --out out --no-plots --threads 1
case_ "plan, deals" WARM plan pland.ini --deals 6 --draws 50 --out out --no-plots --threads 1
case_ "tune, suggested weights, plots" WARM tune m.ini --out out --bootstrap 2 --threads 1 --quiet
case_ "tune, grid, not quiet" WARM tune g.ini --out out --threads 1
case_ "tune, shard 1/2" WARM tune g.ini --shard 1/2 --out out --threads 1 --quiet
case_ "tune, shard 2/2" WARM tune g.ini --shard 2/2 --out out --threads 1 --quiet
"$bin" tune g.ini --shard 1/2 --out p1 --threads 1 --quiet >/dev/null 2>&1 &&
    "$bin" tune g.ini --shard 2/2 --out p2 --threads 1 --quiet >/dev/null 2>&1 ||
    bad "tune --shard of the merge case's parts" "failed"
case_ "merge of two shards, not quiet" WARM merge p2 p1 --out out
echo "alloc: $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
