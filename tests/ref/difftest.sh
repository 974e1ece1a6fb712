#!/usr/bin/env bash
# Differential test: random cases (randcase.py) run through the reference
# (refsim.py) and through leadsim; summary.csv (handoff_weeks included) and
# weekly.csv (every week of every threshold) must agree. The first case that
# agrees is then corrupted, one weekly.csv value and one handoff_weeks, in a
# copy: the comparison must catch both, or the test fails.
#
#   tests/ref/difftest.sh [N]          seeds 1..N (default 200)
#
# Environment: LEADSIM   the binary (default build/leadsim, relative to the
#                        current directory)
#              FIRST     first seed (default 1)
#              KEEP=1    keep every case directory (failing ones are always kept)
#              WEEKLY=0  do not compare weekly.csv
#              NEW=0     random cases without [sales] and sql_at (randcase.py
#                        --plain: the cases these seeds gave before them)
#
# About half the cases have a [sales] section (the queue, SLA and recycling
# of SPEC 5.5, 5.6: summary.csv's handoffs..weeks_over_capacity and
# weekly.csv's slots..sla_met) and about half an sql_at column (5.7:
# sqls..days_mql_to_sql). A leadsim that does not write those columns fails
# those cases with "header: missing columns: ...".
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-200}"
first="${FIRST:-1}"
leadsim="${LEADSIM:-build/leadsim}"
if [ ! -x "$leadsim" ]; then
    echo "difftest: leadsim binary not found at '$leadsim' (build it with make, or set LEADSIM)" >&2
    exit 1
fi
plain=()
[ "${NEW:-1}" = 0 ] && plain=(--plain)
work="$(mktemp -d "${TMPDIR:-/tmp}/leadsim-difftest.XXXXXX")"
pass=0; fail=0; failed_seeds=(); controls=0; sales_controls=0

# negative_controls DIR SEED: one changed hand-off count in weekly.csv and one
# changed handoff_weeks in summary.csv, each in a copy, must make compare.py
# fail; a comparison that cannot fail would let every case pass.
negative_controls() {
    local dir=$1 seed=$2 st=0
    awk -F, -v OFS=, 'NR == 2 { $2 = $2 + 1 } { print }' "$dir/out/weekly.csv" >"$dir/bad_weekly.csv"
    if [ "${WEEKLY:-1}" != 0 ] &&
        python3 "$here/compare.py" --weekly "$dir/ref_weekly.csv" "$dir/bad_weekly.csv" \
            --label "control" >/dev/null; then
        echo "seed $seed: a changed weekly.csv row was not caught"
        st=1
    fi
    local col
    col=$(head -1 "$dir/out/summary.csv" | tr ',' '\n' | grep -nx handoff_weeks | cut -d: -f1)
    awk -F, -v OFS=, -v c="${col:-0}" 'NR == 2 && c > 0 { $c = $c + 1 } { print }' \
        "$dir/out/summary.csv" >"$dir/bad_summary.csv"
    if [ -z "$col" ] ||
        python3 "$here/compare.py" "$dir/ref_summary.csv" "$dir/bad_summary.csv" \
            --label "control" >/dev/null; then
        echo "seed $seed: a changed handoff_weeks was not caught"
        st=1
    fi
    return $st
}
# sales_controls DIR SEED: one changed slots count in weekly.csv and one
# changed wait_p90_h (or backlog_max) in summary.csv must be caught too.
sales_controls() {
    local dir=$1 seed=$2 st=0 col
    col=$(head -1 "$dir/out/weekly.csv" | tr ',' '\n' | grep -nx slots | cut -d: -f1)
    awk -F, -v OFS=, -v c="${col:-0}" 'NR == 2 && c > 0 { $c = $c + 1 } { print }' \
        "$dir/out/weekly.csv" >"$dir/bad_weekly.csv"
    if [ -z "$col" ] || python3 "$here/compare.py" --weekly "$dir/ref_weekly.csv" \
            "$dir/bad_weekly.csv" --label control >/dev/null; then
        echo "seed $seed: a changed weekly slots count was not caught"
        st=1
    fi
    col=$(head -1 "$dir/out/summary.csv" | tr ',' '\n' | grep -nx backlog_max | cut -d: -f1)
    awk -F, -v OFS=, -v c="${col:-0}" 'NR == 2 && c > 0 { $c = $c + 1 } { print }' \
        "$dir/out/summary.csv" >"$dir/bad_summary.csv"
    if [ -z "$col" ] || python3 "$here/compare.py" "$dir/ref_summary.csv" \
            "$dir/bad_summary.csv" --label control >/dev/null; then
        echo "seed $seed: a changed backlog_max was not caught"
        st=1
    fi
    return $st
}
for ((seed = first; seed < first + n; seed++)); do
    dir="$work/seed$seed"
    ok=1
    python3 "$here/randcase.py" "${plain[@]}" --seed "$seed" --out "$dir"
    if ! python3 "$here/refsim.py" "$dir/scenario.ini" --weekly "$dir/ref_weekly.csv" \
            >"$dir/ref_summary.csv" 2>"$dir/ref.err"; then
        echo "seed $seed: reference failed: $(head -c 300 "$dir/ref.err")"
        ok=0
    fi
    "$leadsim" run "$dir/scenario.ini" --out "$dir/out" --quiet --no-plots \
        >"$dir/leadsim.out" 2>"$dir/leadsim.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "seed $seed: leadsim exit status $rc: $(head -c 300 "$dir/leadsim.err" | tr '\n' ' ')"
        ok=0
    elif [ ! -f "$dir/out/summary.csv" ]; then
        echo "seed $seed: leadsim wrote no summary.csv"
        ok=0
    elif [ $ok = 1 ]; then
        python3 "$here/compare.py" "$dir/ref_summary.csv" "$dir/out/summary.csv" \
            --label "seed $seed" || ok=0
        if [ "${WEEKLY:-1}" != 0 ]; then
            python3 "$here/compare.py" --weekly "$dir/ref_weekly.csv" "$dir/out/weekly.csv" \
                --label "seed $seed weekly.csv" || ok=0
        fi
    fi
    if [ $ok = 1 ] && [ "$controls" = 0 ] && [ "$(wc -l <"$dir/out/weekly.csv")" -ge 2 ]; then
        controls=1
        negative_controls "$dir" "$seed" || { fail=$((fail + 1)); failed_seeds+=("$seed(controls)"); }
    fi
    if [ $ok = 1 ] && [ "$sales_controls" = 0 ] && head -1 "$dir/ref_weekly.csv" | grep -q slots; then
        sales_controls=1
        sales_controls "$dir" "$seed" || { fail=$((fail + 1)); failed_seeds+=("$seed(sales controls)"); }
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
    else
        fail=$((fail + 1)); failed_seeds+=("$seed")
    fi
done
if [ $fail -gt 0 ]; then
    echo "failing cases kept in $work (seeds: ${failed_seeds[*]})"
elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
