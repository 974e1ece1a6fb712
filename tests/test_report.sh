#!/bin/sh
# test_report.sh - plots and the report page as a person gets them.
#
# 1. run and sweep on the sample draw every plot, each file non-empty;
# 2. without gnuplot the tables are still written and the run says why;
# 3. headless Chromium loads report.html and sweep.html: every image shows,
#    nothing runs, and text from hostile input shows literally;
# 4. a hostile scenario name is refused before anything is written.
# Chromium is installed by `make deps`; without it part 3 says so and fails.
# Usage: LEADSIM=build/leadsim sh tests/test_report.sh
bin=${LEADSIM:-build/leadsim}
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   report $1"; }
bad() { fail=$((fail + 1)); echo "FAIL report $1"; }

# 1. every plot, non-empty
"$bin" run scenarios/baseline.ini --out "$tmp/run" --quiet || bad "run failed"
"$bin" sweep scenarios/fit-heavy.ini --out "$tmp/sweep" --quiet --bootstrap 100 || bad "sweep failed"
missing=""
for f in pr weekly tradeoff scores; do
    for e in svg png; do [ -s "$tmp/run/plots/$f.$e" ] || missing="$missing run/$f.$e"; done
done
for f in sweep-tradeoff sweep-pr sweep-workload sweep-weekly sweep-scores sweep-heatmap-precision \
    sweep-heatmap-recall sweep-heatmap-handoffs; do
    for e in svg png; do [ -s "$tmp/sweep/plots/$f.$e" ] || missing="$missing sweep/$f.$e"; done
done
[ -z "$missing" ] && ok "every plot of run and sweep is drawn, SVG and PNG" || bad "missing plots:$missing"
head -c 8 "$tmp/run/plots/pr.png" | od -An -c | grep -q 'P   N   G' && grep -q '<svg' "$tmp/run/plots/pr.svg" &&
    ok "plot files are real PNG and SVG" || bad "plot files are not PNG/SVG"

# 2. no gnuplot: tables still there, a clear note
LEADSIM_GNUPLOT=/nonexistent/gnuplot "$bin" run scenarios/baseline.ini --out "$tmp/nogp" 2>"$tmp/nogp.err" >/dev/null
st=$?
if [ "$st" = 0 ] && [ -s "$tmp/nogp/summary.csv" ] && [ -s "$tmp/nogp/report.html" ] && [ ! -d "$tmp/nogp/plots" ] &&
    grep -q "plots were skipped: gnuplot is not installed (on Debian: apt-get install gnuplot-nox" "$tmp/nogp.err" &&
    grep -q "plots were skipped" "$tmp/nogp/report.html"; then
    ok "without gnuplot: tables and report written, plots skipped with how to install"
else
    bad "missing gnuplot path (status $st): $(cat "$tmp/nogp.err")"
fi
"$bin" run scenarios/baseline.ini --out "$tmp/np" --no-plots --quiet 2>"$tmp/np.err"
st=$?
[ "$st" = 0 ] && [ -s "$tmp/np/summary.csv" ] && [ -s "$tmp/np/report.html" ] && [ ! -d "$tmp/np/plots" ] &&
    [ ! -s "$tmp/np.err" ] && ok "--no-plots draws nothing and says nothing" || bad "--no-plots (status $st)"

# 4. hostile scenario names are refused
cat >"$tmp/evil-name.ini" <<INI
[scenario]
name = x<script>alert(1)</script>'";system('touch $tmp/PWNED')
data = $root/datasets/sample
[mql]
threshold = 10
INI
"$bin" run "$tmp/evil-name.ini" --out "$tmp/evil-name" --quiet 2>"$tmp/evil-name.err"
[ $? = 65 ] && [ ! -e "$tmp/evil-name" ] && [ ! -e "$tmp/PWNED" ] && grep -q "may hold only letters" "$tmp/evil-name.err" &&
    ok "a hostile scenario name is refused (exit 65, nothing written)" || bad "hostile name not refused"

# 3. the pages in a real browser, with hostile text from the scenario and the data
mkdir -p "$tmp/hd"
printf 'lead_id,created_at,industry\nL1,2025-01-06,software\nL2,2025-01-07,<b>retail</b>\n' >"$tmp/hd/leads.csv"
printf 'lead_id,timestamp,event\nL1,2025-01-08,demo\nL2,2025-01-09,demo\n"<img src=x onerror=parent.pwned=1>",2025-01-09,demo\n' >"$tmp/hd/events.csv"
printf 'lead_id,status,closed_at,amount\nL1,won,2025-02-01,100\n' >"$tmp/hd/outcomes.csv"
cat >"$tmp/hostile.ini" <<INI
[scenario]
name = hostile
description = MARK <script>parent.pwned=2</script> "double" 'single' \`touch $tmp/PWNED2\` system('touch $tmp/PWNED3') & <iframe src=x>
data = $tmp/hd
[behaviour]
demo = 10
<script>parent.pwned++</script> = 5
[fit industry]
<b>retail</b> = 1
[mql]
threshold = 5, 10
INI
# Only runs that drew their plots show that gnuplot ran nothing.
hostile_ran=true
"$bin" run "$tmp/hostile.ini" --out "$tmp/hostile" --quiet && [ -s "$tmp/hostile/plots/pr.svg" ] ||
    { bad "the hostile run failed or drew no plot"; hostile_ran=false; }
"$bin" sweep "$tmp/hostile.ini" --out "$tmp/hostile" --quiet --bootstrap 20 && [ -s "$tmp/hostile/plots/sweep-pr.svg" ] ||
    { bad "the hostile sweep failed or drew no plot"; hostile_ran=false; }
$hostile_ran && [ ! -e "$tmp/PWNED2" ] && [ ! -e "$tmp/PWNED3" ] && ok "gnuplot ran nothing from input text" || bad "a command from input text ran"

browser=""
for b in chromium chromium-browser google-chrome; do command -v "$b" >/dev/null 2>&1 && browser=$b && break; done
browse() { # browse FILE: what the harness saw, one "key value" per line, in $res
    sed -e "s#REPORT_URL#file://$1#" tests/report/harness.html >"$tmp/harness.html"
    rm -rf "$tmp/profile"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --allow-file-access-from-files --user-data-dir="$tmp/profile" --virtual-time-budget=15000 \
        --dump-dom "file://$tmp/harness.html" >"$tmp/dom.html" 2>/dev/null
    res=$(sed -n '/<pre id="result">/,/<\/pre>/p' "$tmp/dom.html" | sed 's/<[^>]*>//g')
}
page_ok() { # page_ok MIN_IMAGES found|missing: does $res describe a clean page?
    n=$(echo "$res" | sed -n 's/^images //p')
    [ -n "$n" ] && [ "$n" -ge "$1" ] && echo "$res" | grep -q '^broken 0$' &&
        echo "$res" | grep -q '^scripts 0$' && echo "$res" | grep -q '^frames 0$' &&
        echo "$res" | grep -q '^handlers 0$' && echo "$res" | grep -q '^pwned 0 0$' &&
        echo "$res" | grep -q "^mark $2\$"
}
check_page() { # check_page FILE MIN_IMAGES LABEL [found|missing: is MARK on the page]
    browse "$1"
    if page_ok "$2" "${4:-missing}"; then
        ok "$3: $(echo "$res" | sed -n 's/^images //p') images all shown, no script, no handler, nothing ran, input text literal"
    else
        bad "$3: browser saw: $(echo "$res" | tr '\n' ';')"
    fi
}
if [ -z "$browser" ]; then
    bad "no Chromium to load the report (make deps installs the chromium package)"
else
    check_page "$tmp/run/report.html" 4 "sample report.html"
    check_page "$tmp/sweep/sweep.html" 8 "sample sweep.html"
    "$bin" plan scenarios/baseline.ini --revenue 1000000 --from 2026-07-01 --to 2027-01-01 \
        --out "$tmp/plan" --quiet || bad "plan failed"
    check_page "$tmp/plan/plan.html" 3 "sample plan.html"
    check_page "$tmp/hostile/report.html" 3 "hostile report.html" found
    check_page "$tmp/hostile/sweep.html" 3 "hostile sweep.html" found
    # Negative controls: the same check must catch a broken image, and a
    # script that runs. They vouch for the page checks above, so they count
    # only when there was a page to check.
    if [ -s "$tmp/run/report.html" ]; then
        printf '<html><body>MARK<img src="data:image/svg+xml;base64,AAAA"></body></html>' >"$tmp/broken.html"
        browse "$tmp/broken.html"
        page_ok 1 found && bad "the browser check missed a broken image" || ok "the browser check catches a broken image"
        printf '<html><body>MARK<script>parent.pwned=1</script></body></html>' >"$tmp/script.html"
        browse "$tmp/script.html"
        page_ok 0 found && bad "the browser check missed a script" || ok "the browser check catches a script that runs"
    fi
    # The pages open with the answer: the recommendation and its reasons are
    # the first section the browser renders, on the comparison and the sweep.
    "$bin" run scenarios/baseline.ini scenarios/fit-heavy.ini --out "$tmp/cmp" --no-plots >/dev/null 2>&1
    "$bin" sweep scenarios/baseline.ini --out "$tmp/sw" --no-plots --bootstrap 50 >/dev/null 2>&1
    for page in "$tmp/cmp/report.html" "$tmp/sw/sweep.html"; do
        timeout 60 "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$page" \
            >"$tmp/answer.html" 2>/dev/null
        first=$(grep -o '<h2[^>]*>[^<]*' "$tmp/answer.html" | head -1 | sed 's/.*>//')
        if [ "$first" = "Recommendation" ] && grep -q 'Why:' "$tmp/answer.html" &&
            grep -q 'What it trades away' "$tmp/answer.html"; then
            ok "$(basename "$page") opens with the recommendation and its reasons"
        else
            bad "$(basename "$page") does not open with the recommendation (first section: $first)"
        fi
    done
    grep -q '&lt;script&gt;parent.pwned=2&lt;/script&gt;' "$tmp/hostile/report.html" &&
        ok "hostile markup is escaped in the page source" || bad "hostile markup not escaped"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
