#!/bin/bash
# bench.sh - `make bench`: leadsim's speed and memory against its targets, as one table.
#
# Generates a synthetic dataset of 1,000,000 x BENCH_SCALE leads (about 30
# events per lead) with `leadsim gen`, runs each measurement BENCH_REPS times
# (default 5; the machine is shared and noisy, so the median is reported) and
# prints one Markdown table, figure | median | target | met, which it also
# writes to results/bench/bench.md. Speed is measured here and only here: no
# test asserts a duration.
#
# Not a test: a missed target is reported as "no" and the exit status is still
# 0. The status is 1 only when the benchmark itself cannot run (no binary, a
# bad BENCH_SCALE or BENCH_REPS, gen failing). A figure whose command failed,
# or whose feature does not exist yet, says "not measured" and why: a number
# in the table was always measured.
#
# Datasets are generated once into build/bench/data-N (N leads; 1.3 GB at
# full scale) and reused while their marker file matches; sweep outputs and
# command logs go to build/bench/ too. The binary is copied to
# build/bench/leadsim first, so a rebuild during the run cannot mix two
# versions. Every figure measures loading from the CSV files: the columnar
# cache is turned off (--no-cache when the binary has it) and pointed into
# build/bench/ in any case, so nothing is written outside build/ and results/.
# The exceptions run with the cache warm: the candidate-grid figures, which
# exclude loading, so that their CPU time is mostly the grid's; and the
# default sweep's figures (first in the table: what a user's `leadsim sweep`
# costs, with its 1,000 bootstrap resamples, next to --bootstrap 0), which
# include the cached load as a user's second run would.
#
# Usage: make bench [BENCH_SCALE=0.01] [BENCH_REPS=1]
#    or: BENCH_SCALE=0.01 bash tests/bench.sh   (after make build/leadsim build/bench/csvtok)
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

built=build/leadsim
bin=build/bench/leadsim
tok=build/bench/csvtok
scenario=bench/decay-rules.ini
work=build/bench
logs=$work/logs
report=results/bench/bench.md
timecmd=/usr/bin/time
seed=1
rows=()

# ---------- helpers ----------

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

# calc EXPR: evaluates an awk arithmetic expression (of numbers this script produced).
calc() { awk "BEGIN { printf \"%.9g\", $1 }"; }

# met VALUE OP TARGET: "yes" when VALUE OP TARGET holds (OP is <= or >=), else "no".
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "yes" : "no" }'; }

# median V...: the middle value (the mean of the two middle ones for an even count).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.9g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# fmt FORMAT V: V printed with the printf FORMAT, thousands grouped with commas.
fmt() {
    awk -v f="$1" -v v="$2" 'BEGIN { s = sprintf(f, v); i = index(s, "."); int_ = i ? substr(s, 1, i - 1) : s; rest = i ? substr(s, i) : ""
        sign = ""; if (substr(int_, 1, 1) == "-") { sign = "-"; int_ = substr(int_, 2) }
        while (length(int_) > 3) { rest = "," substr(int_, length(int_) - 2) rest; int_ = substr(int_, 1, length(int_) - 3) }
        print sign int_ rest }'
}

# row FIGURE VALUE TARGET MET: one line of the table.
row() { rows+=("| $1 | $2 | $3 | $4 |"); }

# timed LOG CMD...: runs CMD with its output in LOG; sets ELAPSED (wall seconds)
# and returns CMD's exit status. Dirty pages that earlier steps left (gen
# writes 1.3 GB at full scale) are flushed first, outside the clock: their
# writeback would otherwise slow whatever writes next, here sweep.csv.
timed() {
    local log=$1 t0 t1 rc
    shift
    sync
    t0=$(date +%s%N)
    "$@" >"$log" 2>&1
    rc=$?
    t1=$(date +%s%N)
    ELAPSED=$(calc "($t1 - $t0) / 1e9")
    return $rc
}

# leads_at FRACTION: the lead count at FRACTION of the full size (at least 1).
leads_at() { awk -v s="$scale" -v f="$1" 'BEGIN { n = int(1000000 * s * f + 0.5); print n < 1 ? 1 : n }'; }

load_time() { # load_time LOG: the seconds of the "loaded ... in X s" line
    sed -n 's/^leadsim: timing: loaded .* in \([0-9.]*\) s$/\1/p' "$1" | tail -1
}

# ---------- datasets ----------

# dataset N: makes sure build/bench/data-N holds gen's dataset of N leads,
# generating it when its marker is missing or different. Sets DATA (the
# folder), EVENTS (event rows, header excluded, counted by libcsv) and GEN_SECS
# (gen's wall time when it ran now, else empty). Returns 1 when gen fails.
dataset() {
    local n=$1 marker
    DATA=$work/data-$n
    marker=$DATA/.bench-dataset
    GEN_SECS=
    if [ -f "$marker" ] && [ "$(sed -n 1p "$marker")" = "leads $n seed $seed" ]; then
        EVENTS=$(sed -n 's/^events //p' "$marker")
        return 0
    fi
    say "generating $n leads into $DATA ..."
    rm -rf "$DATA"
    timed "$logs/gen-$n.log" "$bin" gen --out "$DATA" --leads "$n" --seed "$seed" --quiet || return 1
    GEN_SECS=$ELAPSED
    EVENTS=$("$tok" "$DATA/events.csv" | awk '$1 == "total" { print $2 - 1 }')
    [ -n "$EVENTS" ] || return 1
    printf 'leads %s seed %s\nevents %s\n' "$n" "$seed" "$EVENTS" >"$marker"
}

# ---------- measurements ----------

# 1. gen: seconds per million leads. The kept dataset's generation counts as
# one run when it happened now; the other runs write to a scratch folder that
# is deleted at once.
measure_gen() {
    local samples=() i med
    [ -n "$MAIN_GEN_SECS" ] && samples+=("$MAIN_GEN_SECS")
    for ((i = ${#samples[@]}; i < reps; i++)); do
        say "gen run $((i + 1))/$reps ($leads leads) ..."
        if ! timed "$logs/gen-scratch.log" "$bin" gen --out "$work/gen-scratch" --leads "$leads" --seed "$seed" --quiet; then
            rm -rf "$work/gen-scratch"
            row "gen: seconds per million leads" "not measured: \`leadsim gen\` failed, see $logs/gen-scratch.log" "<= 5 s" no
            return
        fi
        samples+=("$ELAPSED")
        rm -rf "$work/gen-scratch"
    done
    med=$(calc "$(median "${samples[@]}") / ($leads / 1e6)")
    row "gen: seconds per million leads" "$(fmt %.2f "$med") s" "<= 5 s" "$(met "$med" "<=" 5)"
}

# check_reps DIR TAG: runs `leadsim check DIR` reps times; sets CHECK_MED
# (median wall seconds) or returns 1.
check_reps() {
    local i samples=()
    for ((i = 1; i <= reps; i++)); do
        timed "$logs/check-$2.log" "$bin" check "$1" --quiet || return 1
        samples+=("$ELAPSED")
    done
    CHECK_MED=$(median "${samples[@]}")
}

# sweep_reps DIR THREADS OUTDIR TAG: the benchmark sweep, reps times, under
# /usr/bin/time when present. Sets SWEEP_MED (median wall seconds), WORK_MED
# (median wall seconds less the loading time the sweep itself reports with
# LEADSIM_TIMING: replaying, sweeping and writing every output) and RSS_MED
# (median peak resident set, KB; empty without /usr/bin/time), or returns 1.
sweep_reps() {
    local i samples=() works=() rss=() wrap=() load
    [ -x "$timecmd" ] && wrap=("$timecmd" -f %M -o "$logs/rss-$4")
    for ((i = 1; i <= reps; i++)); do
        say "sweep --threads $2 run $i/$reps ($(basename "$1")) ..."
        LEADSIM_TIMING=1 timed "$logs/sweep-$4.log" "${wrap[@]}" "$bin" sweep "$scenario" --data "$1" --out "$3" \
            --quiet --no-plots --bootstrap 0 --threads "$2" "${nocache[@]}" || return 1
        load=$(load_time "$logs/sweep-$4.log")
        [ -n "$load" ] || return 1
        samples+=("$ELAPSED")
        works+=("$(calc "$ELAPSED - $load")")
        [ -x "$timecmd" ] && rss+=("$(tail -n 1 "$logs/rss-$4")")
    done
    SWEEP_MED=$(median "${samples[@]}")
    WORK_MED=$(median "${works[@]}")
    RSS_MED=
    [ ${#rss[@]} -gt 0 ] && RSS_MED=$(median "${rss[@]}")
    return 0
}

# 2. ingest: `leadsim check` (loading is its whole cost) against libcsv alone
# tokenizing the same three files (its own clock, around reading and parsing).
measure_ingest() {
    local fig="ingest: leadsim check / libcsv tokenizing" i samples=() t tok_med ratio
    say "check and csvtok, $reps runs ..."
    if ! check_reps "$DATA" main; then
        row "$fig" "not measured: \`leadsim check\` failed, see $logs/check-main.log" "<= 2.0" no
        return
    fi
    MAIN_CHECK=$CHECK_MED
    for ((i = 1; i <= reps; i++)); do
        t=$("$tok" "$DATA/leads.csv" "$DATA/events.csv" "$DATA/outcomes.csv" 2>"$logs/csvtok.log" | awk '$1 == "total" { print $4 }')
        if [ -z "$t" ]; then
            row "$fig" "not measured: csvtok failed, see $logs/csvtok.log" "<= 2.0" no
            return
        fi
        samples+=("$t")
    done
    tok_med=$(median "${samples[@]}")
    ratio=$(calc "$MAIN_CHECK / $tok_med")
    row "$fig" "$(fmt %.2f "$ratio") ($(fmt %.3f "$MAIN_CHECK") s / $(fmt %.3f "$tok_med") s)" "<= 2.0" "$(met "$ratio" "<=" 2.0)"
}

# 3. the sweep on one core: events per second excluding loading, and wall time.
measure_sweep1() {
    local fig="sweep, 1 thread: events per second, loading excluded" rate
    if ! sweep_reps "$DATA" 1 "$work/out-t1" t1; then
        row "$fig" "not measured: \`leadsim sweep\` failed, see $logs/sweep-t1.log" ">= 20,000,000" no
        return
    fi
    T1=$SWEEP_MED
    RSS1=$RSS_MED
    WORK1=$WORK_MED
    if [ "$(met "$WORK1" "<=" 0)" = yes ]; then
        row "$fig" "not measured: the sweep took no longer than loading (dataset too small to resolve)" ">= 20,000,000" no
        WORK1=
    else
        rate=$(calc "$events / $WORK1")
        row "$fig" "$(fmt %.0f "$rate") ($(fmt %.3f "$WORK1") s)" ">= 20,000,000" "$(met "$rate" ">=" 20000000)"
    fi
    row "sweep, 1 thread: wall time, loading included" "$(fmt %.3f "$T1") s" "—" "—"
}

# 4. two threads: speedup of the non-loading part, and the same bytes.
measure_threads() {
    local fig="threads: speedup 1 → 2, loading excluded" work2 speedup same=no
    if [ -z "$T1" ]; then
        row "$fig" "not measured: the one-thread sweep was not measured" ">= 1.7" no
        row "threads: identical outputs" "not measured: the one-thread sweep was not measured" "identical sweep.csv" no
        return
    fi
    if ! sweep_reps "$DATA" 2 "$work/out-t2" t2; then
        row "$fig" "not measured: \`leadsim sweep --threads 2\` failed, see $logs/sweep-t2.log" ">= 1.7" no
        row "threads: identical outputs" "not measured: \`leadsim sweep --threads 2\` failed" "identical sweep.csv" no
        return
    fi
    work2=$WORK_MED
    if [ -z "$WORK1" ] || [ "$(met "$work2" "<=" 0)" = yes ]; then
        row "$fig" "not measured: the sweep took no longer than loading (dataset too small to resolve)" ">= 1.7" no
    else
        speedup=$(calc "$WORK1 / $work2")
        row "$fig" "$(fmt %.2f "$speedup") ($(fmt %.3f "$WORK1") s / $(fmt %.3f "$work2") s)" ">= 1.7" "$(met "$speedup" ">=" 1.7)"
    fi
    cmp -s "$work/out-t1/sweep.csv" "$work/out-t2/sweep.csv" && same=yes
    row "threads: identical outputs" "$same (sweep.csv, 1 vs 2 threads)" "identical sweep.csv" "$same"
}

# 5. peak resident set of the one-thread sweep, against 16 B/event + 200 B/lead.
measure_memory() {
    local fig="memory: peak RSS of sweep, 1 thread" bound per target
    bound=$(calc "(16 * $events + 200 * $leads) / 1024")
    target="<= 16 B/event + 200 B/lead = $(fmt %.0f "$bound") KB"
    if [ ! -x "$timecmd" ]; then
        row "$fig" "not measured: $timecmd is missing" "$target" no
    elif [ -z "$RSS1" ]; then
        row "$fig" "not measured: the one-thread sweep was not measured" "$target" no
    else
        per=$(calc "$RSS1 * 1024 / ($events + $leads)")
        row "$fig" "$(fmt %.0f "$RSS1") KB = $(fmt %.1f "$per") B per event+lead ($(fmt %.2f "$(calc "$RSS1 / $bound")") × bound)" \
            "$target" "$(met "$RSS1" "<=" "$bound")"
    fi
}

# 6. scaling: nanoseconds per event (loading excluded) at the full size, 1/10
# and 1/100, so growth faster than linear shows. No target.
scaling_row() {
    local n=$1 ev=$2 work=$3 fig
    fig="scaling: ns per event at $(fmt %.0f "$n") leads"
    if [ -z "$work" ]; then
        row "$fig" "not measured: ${4:-the sweep took no longer than loading}" "—" "—"
    else
        row "$fig" "$(fmt %.1f "$(calc "$work * 1e9 / $ev")") ($(fmt %.0f "$ev") events)" "—" "—"
    fi
}

measure_scaling() {
    local f n w
    scaling_row "$leads" "$events" "$WORK1" "see the one-thread sweep row"
    for f in 0.1 0.01; do
        n=$(leads_at "$f")
        if ! dataset "$n"; then
            scaling_row "$n" 1 "" "\`leadsim gen\` failed, see $logs/gen-$n.log"
            continue
        fi
        if ! sweep_reps "$DATA" 1 "$work/out-$n" "$n"; then
            scaling_row "$n" 1 "" "\`leadsim sweep\` failed, see $logs/sweep-$n.log"
            continue
        fi
        w=$WORK_MED
        [ "$(met "$w" "<=" 0)" = yes ] && w=
        scaling_row "$n" "$EVENTS" "$w"
    done
}

# 7. the columnar cache: a load from it against a load of the CSV files
# (--no-cache, so the first-load figure holds no cache writing), both timed
# by leadsim itself (LEADSIM_TIMING) around loading only.
measure_cache() {
    local fig="cache: columnar cache load / first load" i csv=() cached=() c m ratio
    if [ ${#nocache[@]} -eq 0 ]; then
        row "$fig" "not measured: this leadsim has no cache" "<= 10%" no
        return
    fi
    say "cache: loads from CSV and from the cache, $reps runs each ..."
    for ((i = 1; i <= reps; i++)); do
        LEADSIM_TIMING=1 "$bin" run bench/load-only.ini --data "$DATA" --out "$work/load-out" --quiet --no-plots --no-cache 2>"$logs/load-csv.log" || { row "$fig" "not measured: see $logs/load-csv.log" "<= 10%" no; return; }
        csv+=("$(load_time "$logs/load-csv.log")")
    done
    LEADSIM_TIMING=1 "$bin" run bench/load-only.ini --data "$DATA" --out "$work/load-out" --quiet --no-plots 2>"$logs/load-build.log"
    for ((i = 1; i <= reps; i++)); do
        LEADSIM_TIMING=1 "$bin" run bench/load-only.ini --data "$DATA" --out "$work/load-out" --quiet --no-plots 2>"$logs/load-cache.log"
        grep -q "from the cache" "$logs/load-cache.log" || { row "$fig" "not measured: the cache was not used, see $logs/load-cache.log" "<= 10%" no; return; }
        cached+=("$(load_time "$logs/load-cache.log")")
    done
    c=$(median "${csv[@]}")
    m=$(median "${cached[@]}")
    ratio=$(calc "100 * $m / $c")
    row "$fig" "$(fmt %.1f "$ratio")% ($(fmt %.3f "$m") s / $(fmt %.3f "$c") s)" "<= 10%" "$(met "$ratio" "<=" 10)"
}

# 8. candidate grids: `leadsim tune` on 1,000 weight vectors, two threads,
# loading excluded (the run's wall time minus leadsim's own loading time, from
# LEADSIM_TIMING). bench/grid.ini has whole points (the target);
# bench/grid-frac.ini the same grid in tenths (points counted in units of 0.1)
# (reported beside it, no target). The columnar cache is warm here, so that
# loading is a small part of the CPU time, which is reported too (user + sys,
# the whole run): on a shared machine it moves less than the wall time.
tune_reps() { # tune_reps SCENARIO THREADS OUTDIR TAG: sets TUNE_MED, CPU_MED, TUNE_METHOD or returns 1
    local i work=() cpu=() l w c
    for ((i = 1; i <= reps; i++)); do
        say "tune $(basename "$1") --threads $2 run $i/$reps ..."
        if [ -x "$timecmd" ]; then
            timed "$logs/tune-$4.log" env LEADSIM_TIMING=1 "$timecmd" -f 'cpu %U %S' \
                "$bin" tune "$1" --data "$DATA" --out "$3" --quiet --threads "$2" || return 1
        else
            timed "$logs/tune-$4.log" env LEADSIM_TIMING=1 \
                "$bin" tune "$1" --data "$DATA" --out "$3" --quiet --threads "$2" || return 1
        fi
        l=$(load_time "$logs/tune-$4.log")
        [ -n "$l" ] || return 1
        w=$(calc "$ELAPSED - $l")
        work+=("$w")
        c=$(awk '$1 == "cpu" { printf "%.9g", $2 + $3 }' "$logs/tune-$4.log")
        [ -n "$c" ] && cpu+=("$c")
    done
    TUNE_MED=$(median "${work[@]}")
    CPU_MED=
    [ ${#cpu[@]} -gt 0 ] && CPU_MED=$(median "${cpu[@]}")
    TUNE_METHOD=$(sed -n 's/^leadsim: timing: tune: .* by the \([a-z]*\) method.*/\1/p' "$logs/tune-$4.log" | tail -1)
    return 0
}

measure_grid() {
    local fig="candidate grid: 1,000 weight vectors, whole points, 2 threads, loading excluded"
    local fig2="candidate grid: the same in tenths (bench/grid-frac.ini), 2 threads, loading excluded"
    local cpu same=no
    dataset "$leads" || die "the benchmark dataset is gone"
    # warm the columnar cache
    "$bin" run bench/load-only.ini --data "$DATA" --out "$work/load-out" --quiet --no-plots >/dev/null 2>&1
    if ! tune_reps bench/grid.ini 2 "$work/out-grid" grid; then
        row "$fig" "not measured: \`leadsim tune\` failed, see $logs/tune-grid.log" "<= 10 s" no
    else
        cpu=${CPU_MED:+; CPU of the whole run $(fmt %.2f "$CPU_MED") s}
        row "$fig" "$(fmt %.2f "$TUNE_MED") s (${TUNE_METHOD} method$cpu)" "<= 10 s" "$(met "$TUNE_MED" "<=" 10)"
        if "$bin" tune bench/grid.ini --data "$DATA" --out "$work/out-grid-t1" --quiet --threads 1 >"$logs/tune-grid-t1.log" 2>&1 &&
            cmp -s "$work/out-grid/tune-grid.csv" "$work/out-grid-t1/tune-grid.csv"; then
            same=yes
        fi
        row "candidate grid: identical outputs" "$same (tune-grid.csv, 1 vs 2 threads)" "identical tune-grid.csv" "$same"
    fi
    if ! tune_reps bench/grid-frac.ini 2 "$work/out-grid-frac" grid-frac; then
        row "$fig2" "not measured: \`leadsim tune\` failed, see $logs/tune-grid-frac.log" "—" "—"
    else
        cpu=${CPU_MED:+; CPU of the whole run $(fmt %.2f "$CPU_MED") s}
        row "$fig2" "$(fmt %.2f "$TUNE_MED") s (${TUNE_METHOD} method$cpu)" "—" "—"
    fi
}

# 9. what a user's default command costs: `leadsim sweep SCENARIO` with its
# 1,000 bootstrap resamples against the same sweep with --bootstrap 0, two
# threads, the columnar cache warm (loading included: a second run of the
# same data loads from it), on bench/decay-rules.ini (decay: nearly one row
# per lead) and scenarios/baseline.ini (no decay), at 200,000 leads (a fifth
# of the full size) and at the full size. Target: at most 3 ×. Then the
# two-axis scenarios/fit-heavy.ini at the smaller size, a figure without a
# target. And the default sweep writes the same bytes on 1 and 2 threads (at
# the smaller size).
default_reps() { # default_reps SCENARIO BOOT TAG: sets DEF_MED (median wall seconds) or returns 1
    local i samples=()
    for ((i = 1; i <= reps; i++)); do
        say "sweep $(basename "$1") --bootstrap $2 run $i/$reps ($(basename "$DATA")) ..."
        timed "$logs/default-$3.log" "$bin" sweep "$1" --data "$DATA" --out "$work/out-default-$3" \
            --quiet --no-plots --bootstrap "$2" --threads 2 || return 1
        samples+=("$ELAPSED")
    done
    DEF_MED=$(median "${samples[@]}")
}

measure_default() {
    local f n scn tag fig b0 ratio same
    for f in 0.2 1; do
        n=$(leads_at "$f")
        if ! dataset "$n"; then
            row "default sweep at $(fmt %.0f "$n") leads" "not measured: \`leadsim gen\` failed, see $logs/gen-$n.log" "<= 3 ×" no
            continue
        fi
        "$bin" run bench/load-only.ini --data "$DATA" --out "$work/load-out" --quiet --no-plots >/dev/null 2>&1
        for scn in bench/decay-rules.ini scenarios/baseline.ini scenarios/fit-heavy.ini; do
            # the two-axis grid (fit-heavy: about 200,000 rows at 200,000
            # leads) is measured at the smaller size only, as a figure
            [ "$scn" = scenarios/fit-heavy.ini ] && [ "$f" != 0.2 ] && continue
            tag=$(basename "$scn" .ini)-$n
            fig="default sweep (1,000 resamples) of $(basename "$scn"), $(fmt %.0f "$n") leads, 2 threads, against --bootstrap 0"
            if ! default_reps "$scn" 0 "$tag-b0"; then
                row "$fig" "not measured: see $logs/default-$tag-b0.log" "<= 3 ×" no
                continue
            fi
            b0=$DEF_MED
            if ! default_reps "$scn" 1000 "$tag-b1000"; then
                row "$fig" "not measured: see $logs/default-$tag-b1000.log" "<= 3 ×" no
                continue
            fi
            ratio=$(calc "$DEF_MED / $b0")
            if [ "$scn" = scenarios/fit-heavy.ini ]; then
                row "$fig (two-axis)" "$(fmt %.2f "$ratio") × ($(fmt %.2f "$DEF_MED") s against $(fmt %.2f "$b0") s)" "—" "—"
                continue
            fi
            row "$fig" "$(fmt %.2f "$ratio") × ($(fmt %.2f "$DEF_MED") s against $(fmt %.2f "$b0") s)" "<= 3 ×" "$(met "$ratio" "<=" 3)"
            if [ "$f" = 0.2 ] && [ "$scn" = bench/decay-rules.ini ]; then
                same=no
                "$bin" sweep "$scn" --data "$DATA" --out "$work/out-default-t1" --quiet --no-plots --threads 1 >"$logs/default-t1.log" 2>&1 &&
                    cmp -s "$work/out-default-t1/sweep.csv" "$work/out-default-$tag-b1000/sweep.csv" &&
                    cmp -s "$work/out-default-t1/sweep.md" "$work/out-default-$tag-b1000/sweep.md" && same=yes
                row "default sweep: identical outputs" "$same (sweep.csv and sweep.md with intervals, 1 vs 2 threads)" "identical" "$same"
            fi
        done
    done
}

# 10. tune with decay: cost per weight vector of the decay method against
# replaying every vector (LEADSIM_TUNE_METHOD=replay), bench/grid-decay.ini
# (16 vectors), full size, two threads, from the run's own figures
# (LEADSIM_TIMING: the grid's time less its first replay, per vector).
# Target: at least 10 × faster, the same tune-grid.csv. Then the grid cut in
# 4 parts (--shard I/4) and joined by merge: the same files as one run.
per_vector() { # per_vector LOG: seconds per vector from the tune timing line
    sed -n 's/^leadsim: timing: tune: \([0-9]*\) weight vectors by the [a-z]* method in \([0-9.]*\) s (first replay \([0-9.]*\) s)$/\1 \2 \3/p' "$1" |
        tail -1 | awk '{ printf "%.9g", ($2 - $3) / $1 }'
}

measure_tune_decay() {
    local fig="tune with decay: cost per vector, decay method against replaying each (bench/grid-decay.ini, 2 threads)"
    local i dec=() rep=() d r ratio same=no
    dataset "$leads" || die "the benchmark dataset is gone"
    "$bin" run bench/load-only.ini --data "$DATA" --out "$work/load-out" --quiet --no-plots >/dev/null 2>&1
    for ((i = 1; i <= reps; i++)); do
        say "tune grid-decay run $i/$reps (decay method, then replay) ..."
        LEADSIM_TIMING=1 timed "$logs/tune-decay.log" "$bin" tune bench/grid-decay.ini --data "$DATA" \
            --out "$work/out-grid-decay" --quiet --threads 2 || { row "$fig" "not measured: see $logs/tune-decay.log" ">= 10 ×" no; return; }
        dec+=("$(per_vector "$logs/tune-decay.log")")
        LEADSIM_TUNE_METHOD=replay LEADSIM_TIMING=1 timed "$logs/tune-decay-replay.log" "$bin" tune bench/grid-decay.ini \
            --data "$DATA" --out "$work/out-grid-decay-replay" --quiet --threads 2 || { row "$fig" "not measured: see $logs/tune-decay-replay.log" ">= 10 ×" no; return; }
        rep+=("$(per_vector "$logs/tune-decay-replay.log")")
    done
    d=$(median "${dec[@]}")
    r=$(median "${rep[@]}")
    ratio=$(calc "$r / $d")
    cmp -s "$work/out-grid-decay/tune-grid.csv" "$work/out-grid-decay-replay/tune-grid.csv" && same=yes
    row "$fig" "$(fmt %.1f "$ratio") × ($(fmt %.3f "$d") s against $(fmt %.3f "$r") s per vector; same tune-grid.csv: $same)" ">= 10 ×" \
        "$( [ "$same" = yes ] && met "$ratio" ">=" 10 || echo no)"
    same=no
    rm -rf "$work/parts"
    for i in 1 2 3 4; do
        "$bin" tune bench/grid-decay.ini --data "$DATA" --out "$work/parts/$i" --quiet --threads 2 --shard "$i/4" >"$logs/shard-$i.log" 2>&1 || break
    done
    "$bin" merge "$work"/parts/1 "$work"/parts/2 "$work"/parts/3 "$work"/parts/4 --out "$work/out-merged" --quiet >"$logs/merge.log" 2>&1 &&
        cmp -s "$work/out-merged/tune-grid.csv" "$work/out-grid-decay/tune-grid.csv" &&
        cmp -s "$work/out-merged/tune.md" "$work/out-grid-decay/tune.md" && same=yes
    row "tune --shard I/4 then merge: the files of one run" "$same (tune-grid.csv and tune.md)" "identical" "$same"
}

# ---------- main ----------

scale=${BENCH_SCALE:-1}
reps=${BENCH_REPS:-5}
if ! [[ $scale =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || [ "$(met "$scale" ">=" 0.000001)" = no ]; then
    die "BENCH_SCALE must be a positive number, not '$scale'"
fi
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS must be a positive integer, not '$reps'"
[ -x "$built" ] || die "$built is missing: run make bench"
[ -x "$tok" ] || die "$tok is missing: run make bench"
mkdir -p "$logs" "$(dirname "$report")" || die "cannot create $logs"
cp "$built" "$bin" || die "cannot copy $built to $bin"
export LEADSIM_CACHE_DIR=$PWD/$work/cache
nocache=()
"$bin" --help 2>&1 | grep -q -- --no-cache && nocache=(--no-cache)

leads=$(leads_at 1)
dataset "$leads" || die "\`leadsim gen --leads $leads\` failed, see $logs/gen-$leads.log"
MAIN_GEN_SECS=$GEN_SECS
events=$EVENTS
MAIN_CHECK='' T1='' WORK1='' RSS1=''    # set by the measurements that follow

measure_default
measure_gen
measure_ingest
measure_sweep1
measure_threads
measure_memory
measure_cache
measure_grid
measure_tune_decay
measure_scaling

mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(git rev-parse --short HEAD 2>/dev/null)
[ -n "$commit" ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && commit="$commit (modified)"
{
    echo "# leadsim benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores${cpu:+ ($cpu)}, $mem memory;" \
        "$(fmt %.0f "$leads") leads, $(fmt %.0f "$events") events; BENCH_SCALE=$scale, median of $reps run(s); loading from CSV${nocache:+ (--no-cache)}${commit:+; commit $commit}."
    echo
    echo "| figure | median | target | met |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee "$report"
say "table written to $report"
