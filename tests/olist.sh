#!/bin/sh
# olist.sh - replay the real Olist marketing-funnel export through datasets/olist/dataset.ini.
#
# The data is not in the repository (CC BY-NC-SA); it is read from
# ../shared/datasets/olist next to the checkout. When that folder is absent
# the test prints a "skip" line, which tests/run.sh counts as skipped. Checks the known totals: 8,000
# leads and 842 won deals, and that the one deal won before its first contact
# is reported.
# Usage: sh tests/olist.sh LEADSIM_BINARY
bin=$1
cd "$(dirname "$0")/.." || exit 1
src=../shared/datasets/olist
if [ ! -f "$src/olist_marketing_qualified_leads_dataset.csv" ]; then
    echo "skip olist: $src is not there (see README, 'Real data: Olist')"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/olist.ini" <<INI
[scenario]
name = olist
[fit origin]
organic_search = 10
paid_search = 10
[mql]
threshold = 0, 10
INI
fail=0
"$bin" run "$tmp/olist.ini" --data datasets/olist --out "$tmp/out" --quiet ||
    { echo "FAIL olist: run exited with status $?"; fail=1; }
row=$(sed -n 2p "$tmp/out/summary.csv" | cut -d, -f4,5,6)
[ "$row" = "8000,842,7999" ] || { echo "FAIL olist: leads,won,mqls at threshold 0 = '$row', expected 8000,842,7999"; fail=1; }
grep -q "closed before they were created.*| 1 |" "$tmp/out/summary.md" ||
    { echo "FAIL olist: the deal won before first contact is not reported"; fail=1; }
"$bin" check datasets/olist >"$tmp/check.txt" || { echo "FAIL olist: check exited non-zero"; fail=1; }
grep -q "8000 leads, 0 event rows, 842 outcome rows" "$tmp/check.txt" || { echo "FAIL olist: check totals"; fail=1; }
if [ "$fail" = 0 ]; then echo "ok   olist: 8000 leads, 842 won"; else exit 1; fi
