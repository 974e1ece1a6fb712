#!/bin/sh
# test_hostile.sh - hostile input too large to keep in the repository: made here, checked, removed.
#
# The small hostile cases (a NUL byte, bytes that are not UTF-8, NaN, 1e400,
# 2025-02-30, 24:00:00, year 99999, empty files, names with '/' or shell
# characters, formula text) are golden cases in tests/e2e. This script
# generates the big ones at test time: a 10 MB field in each role, a 10 MB
# scenario line, a million columns in the header and in a row. Each must be
# handled whole (never cut, wrapped or guessed) or refused with FILE:LINE:
# and exit 65, in seconds and without a memory blow-up.
#
# Usage: sh tests/test_hostile.sh [LEADSIM_BINARY]   (default: $LEADSIM, else build/leadsim)
# Prints one ok/FAIL line per check and "N passed, M failed".
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${LEADSIM:-$root/build/leadsim}}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   hostile $1"; }
bad() { fail=$((fail + 1)); echo "FAIL hostile $1: $2"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
LEADSIM_CACHE_DIR=
export LEADSIM_CACHE_DIR

# expect NAME STATUS MESSAGE -- ARGS: exit STATUS and stderr exactly MESSAGE
# (empty for none) within 120 s; a run expected to succeed must also have
# written summary.csv in its --out folder (an exit 0 alone proves nothing).
expect() {
    name=$1 want=$2 msg=$3
    shift 4
    out=""
    prev=""
    for a in "$@"; do
        [ "$prev" = --out ] && out=$a
        prev=$a
    done
    timeout 120 "$bin" "$@" >stdout.txt 2>stderr.txt
    st=$?
    printf '%s' "$msg" >want.txt
    [ -n "$msg" ] && echo >>want.txt
    if [ "$st" != "$want" ]; then
        bad "$name" "exit status $st, expected $want ($(head -c 300 stderr.txt))"
        return 1
    elif ! cmp -s want.txt stderr.txt; then
        bad "$name" "stderr: $(head -c 300 stderr.txt)"
        return 1
    elif [ "$want" = 0 ] && [ -n "$out" ] && [ ! -s "$out/summary.csv" ]; then
        bad "$name" "exit 0 but no $out/summary.csv"
        return 1
    fi
    ok "$name"
}

# ten_mb CHAR: 10,000,000 times CHAR, no line end.
ten_mb() { head -c 10000000 /dev/zero | tr '\0' "$1"; }

mkdir base
cat >base/leads.csv <<'EOF'
lead_id,created_at,industry
L1,2025-01-06,software
L2,2025-01-07,retail
EOF
cat >base/events.csv <<'EOF'
lead_id,timestamp,event
L1,2025-01-08 10:00,webinar
L2,2025-01-09 11:30,demo
EOF
cat >base/outcomes.csv <<'EOF'
lead_id,status,closed_at,amount
L1,won,2025-02-01,1000
EOF
scenario() { # scenario FILE DATA
    printf '[scenario]\nname = h\ndata = %s\n\n[behaviour]\nwebinar = 10\n\n[mql]\nthreshold = 10\n' "$2" >"$1"
}
dataset() { rm -rf "$1" && cp -r base "$1" && scenario "$1.ini" "$1"; }

# ---------- 10 MB fields ----------
dataset bigid
{ printf 'X'; ten_mb a; printf ',2025-01-08,software\n'; } >>bigid/leads.csv
{ printf 'X'; ten_mb a; printf ',2025-01-09,webinar\n'; } >>bigid/events.csv
if expect "a 10 MB lead id is kept whole" 0 "" -- run bigid.ini --out out-bigid --quiet --no-plots; then
    # its row in scores.csv: the whole id, then fit 0, best 10, not won, not fast
    want=$({ printf 'X'; ten_mb a; printf ',0,10,0,0'; } | cksum)
    got=$(grep '^X' out-bigid/scores.csv | tr -d '\n' | cksum)
    [ "$want" = "$got" ] && ok "the 10 MB id reaches scores.csv byte for byte" ||
        bad "the 10 MB id reaches scores.csv byte for byte" "$(wc -c <out-bigid/scores.csv) bytes"
    grep -q '^h,10,,3,1,2,1,1,0,1,' out-bigid/summary.csv && ok "the lead with a 10 MB id is counted" ||
        bad "the lead with a 10 MB id is counted" "$(sed -n 2p out-bigid/summary.csv)"
fi

# a message quoting a 10 MB id shows its start and marks the cut
dataset bigunknown
{ printf 'Y'; ten_mb a; printf ',2025-01-09,webinar\n'; } >>bigunknown/events.csv
expect "a 10 MB unknown id is quoted shortened, with the cut marked" 65 \
    "bigunknown/events.csv:4: event for unknown lead 'Y$(printf '%95s' '' | tr ' ' a)...' (fatal with --strict)" \
    -- run bigunknown.ini --out out-bigunknown --quiet --no-plots --strict

dataset bigtype
{ printf 'L2,2025-01-10,"w'; ten_mb b; printf ',\n"\n'; } >>bigtype/events.csv
expect "a 10 MB quoted event type with a comma and a line break" 0 "" -- run bigtype.ini --out out-bigtype --quiet --no-plots

dataset bigattr
{ printf 'L3,2025-01-08,'; ten_mb c; printf '\n'; } >>bigattr/leads.csv
printf '[fit industry]\nsoftware = 10\n' >>bigattr.ini
expect "a 10 MB attribute value" 0 "" -- run bigattr.ini --out out-bigattr --quiet --no-plots

dataset bigtime
{ printf 'L3,'; ten_mb 9; printf ',retail\n'; } >>bigtime/leads.csv
expect "a 10 MB timestamp is refused with its line" 65 \
    "bigtime/leads.csv:4: created_at '999999999999999999999999999999999999999999999999999999999999...' is not a timestamp" \
    -- run bigtime.ini --out out-bigtime --quiet --no-plots

dataset bigutf8
{ printf 'L3,2025-01-08,'; ten_mb d; printf '\351\n'; } >>bigutf8/leads.csv
expect "a byte that is not UTF-8 after 10 MB" 65 \
    "bigutf8/leads.csv:4: invalid UTF-8 (byte 0xE9 in field 3); save the file as UTF-8" \
    -- run bigutf8.ini --out out-bigutf8 --quiet --no-plots

dataset bignul
{ printf 'L3,2025-01-08,'; ten_mb e; printf '\000\n'; } >>bignul/leads.csv
expect "a NUL byte after 10 MB" 65 "bignul/leads.csv:4: NUL byte in a field" \
    -- run bignul.ini --out out-bignul --quiet --no-plots

dataset bigline
{ printf 'description = '; ten_mb f; printf '\n'; } >bigline.desc
sed '/^data = /r bigline.desc' bigline.ini >bigline2.ini
expect "a 10 MB scenario line is refused, not cut" 65 "bigline2.ini:4: line longer than 196 characters" \
    -- run bigline2.ini --out out-bigline --quiet --no-plots

# ---------- a million columns ----------
cols=$(seq -f 'c%.0f' 0 999999 | paste -sd, -)
vals=$(yes v | head -n 1000000 | paste -sd, -)
mkdir -p wide
cp base/events.csv base/outcomes.csv wide/
{
    echo "lead_id,created_at,$cols"
    echo "L1,2025-01-06,$vals"
    echo "L2,2025-01-07,$(echo "$vals" | sed 's/v$/w/')"
} >wide/leads.csv
scenario wide.ini wide
expect "a million attribute columns are refused with the header line" 65 \
    "wide/leads.csv:1: more than 100000 attribute columns; list the ones to score in a dataset.ini ([leads] attributes = ...)" \
    -- run wide.ini --out out-wide --quiet --no-plots
printf '[leads]\nattributes = c0, c999999\n' >wide/dataset.ini
printf '[fit c999999]\nw = 20\n' >>wide.ini
if expect "a million columns with the attributes listed in dataset.ini" 0 "" -- run wide.ini --out out-wide --quiet --no-plots; then
    # L1 (v: 0 fit + 10) and L2 (w: 20 + demo 0) both reach 10
    grep -q '^h,10,,2,1,2,1,1,0,0,' out-wide/summary.csv && ok "the millionth column is scored" ||
        bad "the millionth column is scored" "$(sed -n 2p out-wide/summary.csv)"
fi

dataset widerow
echo "L1,2025-01-10,$vals" >>widerow/events.csv
expect "a row of a million fields under a header of three" 65 \
    "widerow/events.csv:4: malformed CSV: expected 3 fields, found 1000002" \
    -- run widerow.ini --out out-widerow --quiet --no-plots

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
