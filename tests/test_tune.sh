#!/bin/sh
# test_tune.sh - every row of `tune` on a candidate grid is what `sweep` recommends
# for the scenario with that vector's weights, and tune's methods agree byte for byte.
#
# Cases: small random grids (2 to 12 vectors) over
#   - the random edge-case datasets of tests/ref/randcase.py (simultaneous
#     events, events at created_at and at the close, negative points, limits,
#     the three kinds of fit, fast track, rules, two-axis mode, decay), when
#     python3 is present; the scenario's [behaviour] lines are turned into
#     lists of whole, half or tenth points, decay is kept in some cases only,
#     and the objective varies;
#   - a `leadsim gen` dataset with a hand-written grid (negative points,
#     limits, fast track and a rule), under f1 and under capacity;
#   - a snapshot dataset, a dataset without events, and an empty cohort.
# For each case: `tune`, then for every vector `sweep --bootstrap 0` on the
# scenario with its weights filled in, and the recommended row's 16 contract
# columns, objective and row count compared with tune-grid.csv. Then the
# methods: sequence, sort and replay (LEADSIM_TUNE_METHOD) and one thread
# must write the same tune-grid.csv as the default.
# Usage: LEADSIM=build/leadsim sh tests/test_tune.sh [CASES]
bin=${LEADSIM:-build/leadsim}
ncases=${1:-${TUNE_CASES:-10}}
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   tune $1"; }
bad() { fail=$((fail + 1)); echo "FAIL tune $1"; }

# grid_scenario SEED IN OUT: IN's [behaviour] values turned into a small grid.
grid_scenario() {
    awk -v seed="$1" '
        function fmt(x) { s = sprintf("%.10g", x); return s }
        BEGIN { srand(seed); mode = seed % 3; prod = 1; first = 1; nodecay = (seed % 4 != 0)
                split("f1 fbeta:0.5 precision_at_least:0.2 recall_at_least:0.6 value:50,7 fbeta:2", objs, " ")
                obj = objs[1 + seed % 6] }
        /^[ \t]*\[/ { sec = $0; sub(/[ \t]*[;#].*/, "", sec); gsub(/[ \t]/, "", sec) }
        sec == "[tune]" { next }
        sec == "[behaviour]" && /=/ {
            line = $0; sub(/[ \t]*;.*/, "", line)
            key = line; sub(/[ \t]*=.*/, "", key)
            val = line; sub(/^[^=]*=[ \t]*/, "", val)
            if (prod * 2 <= 12 && (first || rand() < 0.5)) {
                n = (prod * 3 <= 12 && rand() < 0.4) ? 3 : 2
                step = mode == 0 ? 1 + int(rand() * 8) : mode == 1 ? (1 + int(rand() * 8)) / 2 : (1 + int(rand() * 9)) / 10
                list = ""
                for (i = 0; i < n; i++) {
                    x = val + (i - (rand() < 0.5 ? 1 : 0)) * step
                    if (mode == 2 && i == 1) x = x + 0.1
                    list = list (i ? ", " : "") fmt(x)
                }
                print key " = " list
                prod *= n; first = 0; next
            }
        }
        sec == "[decay]" && /half_life_days/ && nodecay { print "half_life_days = 0"; next }
        { print }
        END { print ""; print "[tune]"; print "objective = " obj }' "$2" >"$3"
}

# check_case NAME DIR SCENARIO: tune against sweep, vector by vector, then the methods.
check_case() {
    name=$1
    dir=$2
    scn=$3
    out=$tmp/$name
    if ! "$bin" tune "$dir/$scn" --out "$out/tune" --quiet --threads 2 2>"$out.err"; then
        bad "$name: tune failed: $(head -c 300 "$out.err")"
        return
    fi
    method=$(sed -n 's/^Method: \([a-z]*\).*/\1/p' "$out/tune/tune.md")
    nv=$(head -1 "$out/tune/tune-grid.csv" | awk -F, '{ for (i = 2; i <= NF; i++) if ($i == "scenario") { print i - 2; exit } }')
    vectors=$(($(wc -l <"$out/tune/tune-grid.csv") - 1))
    v=1
    differ=""
    while [ "$v" -le "$vectors" ]; do
        # the scenario with vector v's weights
        awk -F, -v v="$v" -v nv="$nv" -v grid="$out/tune/tune-grid.csv" '
            BEGIN { FS = ","; getline hdr < grid; split(hdr, h, ",")
                    while ((getline line < grid) > 0) { split(line, f, ","); if (f[1] == v) for (i = 2; i <= nv + 1; i++) w[h[i]] = f[i] } }
            /^[ \t]*\[/ { sec = $0; sub(/[ \t]*[;#].*/, "", sec); gsub(/[ \t]/, "", sec) }
            sec == "[behaviour]" && /=/ { key = $0; sub(/[ \t]*=.*/, "", key); gsub(/^[ \t]+/, "", key)
                                          if (key in w) { print key " = " w[key]; next } }
            { print }' "$dir/$scn" >"$dir/fixed-$v.ini"
        if ! "$bin" sweep "$dir/fixed-$v.ini" --out "$out/s$v" --quiet --no-plots --bootstrap 0 2>"$out.err"; then
            differ="vector $v: sweep failed: $(head -c 200 "$out.err")"
            break
        fi
        want=$(awk -F, 'NR > 1 { n++; if ($27 == "recommended") { r = $1; for (i = 2; i <= 16; i++) r = r "," $i; r = r "," $25 }
                                   leads = $4; won = $5; name = $1 }
                        END { if (r == "") r = (n ? name ",,," leads "," won : "?") ",,,,,,,,,,,,"; print r "," n + 0 }' "$out/s$v/sweep.csv")
        got=$(awk -F, -v v="$v" -v nv="$nv" 'NR > 1 && $1 == v { r = $(nv + 2); for (i = nv + 3; i <= nv + 19; i++) r = r "," $i; print r }' "$out/tune/tune-grid.csv")
        case $want in
        "?"*) # no row at all: nothing to compare but the count
            [ "${got##*,}" = 0 ] || differ="vector $v: sweep has no rows, tune says ${got##*,}" ;;
        *) [ "$want" = "$got" ] || differ="vector $v: sweep: $want / tune: $got" ;;
        esac
        [ -n "$differ" ] && break
        rm -rf "$out/s$v" "$dir/fixed-$v.ini"
        v=$((v + 1))
    done
    if [ -z "$differ" ] && [ "$vectors" -ge 2 ]; then
        ok "$name: $vectors vectors agree with sweep ($method)"
    else
        bad "$name: ${differ:-only $vectors vectors}"
    fi
    # the other methods and one thread: the same bytes
    same=yes
    for m in sequence sort replay one-thread; do
        if [ "$m" = one-thread ]; then
            "$bin" tune "$dir/$scn" --out "$out/$m" --quiet --threads 1 2>"$out.err" || same="$m failed"
        else
            LEADSIM_TUNE_METHOD=$m "$bin" tune "$dir/$scn" --out "$out/$m" --quiet --threads 3 2>"$out.err" || same="$m failed"
        fi
        [ "$same" = yes ] || break
        cmp -s "$out/tune/tune-grid.csv" "$out/$m/tune-grid.csv" || { same="$m differs: $(diff "$out/tune/tune-grid.csv" "$out/$m/tune-grid.csv" | head -3)"; break; }
    done
    if [ "$same" = yes ]; then ok "$name: sequence, sort, replay and 1 thread write the same tune-grid.csv"; else bad "$name: $same"; fi
}

# Random edge-case datasets.
if command -v python3 >/dev/null 2>&1; then
    s=1
    while [ "$s" -le "$ncases" ]; do
        d=$tmp/rc$s
        python3 tests/ref/randcase.py --seed "$((s + 500))" --out "$d" || { bad "randcase $s failed"; s=$((s + 1)); continue; }
        grid_scenario "$s" "$d/scenario.ini" "$d/grid.ini"
        check_case "rc$s" "$d" grid.ini
        s=$((s + 1))
    done
else
    bad "random edge-case datasets: python3 is not installed (make deps installs it)"
fi

# A generated dataset: realistic event streams.
d=$tmp/gen
mkdir -p "$d"
"$bin" gen --out "$d/data" --leads 400 --seed 5 --quiet || bad "gen failed"
cat >"$d/grid.ini" <<'EOF'
[scenario]
name = gen-grid
data = data
[behaviour]
email_open = 1
email_click = 2, 4
webinar = 10
pricing_page_view = 5, 15, 25
unsubscribe = -30, -5
[limits]
email_open = 6
email_click = 10
[fit industry]
software = 15
finance = 10
[mql]
threshold = 40
fast_track = demo_request
rule = pricing_page_view >= 3 within 14d
[evaluation]
maturity_days = 90
EOF
check_case gen-f1 "$d" grid.ini
sed 's/^\[evaluation\]/[sales]\nreps = 1\nfollowups_per_rep_per_day = 2\n[tune]\nobjective = capacity\n[evaluation]/' "$d/grid.ini" >"$d/capacity.ini"
check_case gen-capacity "$d" capacity.ini

# Edge cases: a snapshot (no timestamps; its decay is ignored) with points of
# both kinds; no events file, with a type the data lacks; an empty cohort.
d=$tmp/snap
mkdir -p "$d"
cp -r tests/e2e/sem-snapshot/data "$d/"
printf '[scenario]\nname = snap\ndata = data\n[behaviour]\na = 5, -5, 2.5\nb = 1, 0.1\n[decay]\nhalf_life_days = 10\n[fit industry]\nsoftware = 10\n[mql]\nthreshold = 10\nfast_track = demo\n' >"$d/grid.ini"
check_case snapshot "$d" grid.ini
d=$tmp/noevents
mkdir -p "$d/data"
cp tests/e2e/tune-none/data/leads.csv tests/e2e/tune-none/data/outcomes.csv "$d/data/"
printf '[scenario]\nname = noevents\ndata = data\n[behaviour]\ny = 20, 30\nz = 10, 30\n[mql]\nthreshold = 20\n' >"$d/grid.ini"
check_case no-events "$d" grid.ini
sed 's/^\[mql\]/[evaluation]\nfrom = 2030-01-01\n[mql]/' "$d/grid.ini" >"$d/empty.ini"
check_case empty-cohort "$d" empty.ini

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
