#!/bin/sh
# seeds.sh - the fuzz targets' seed corpora, taken from the repository's tests.
#
# Writes build/fuzz/seeds/TARGET/ for every target, one file per distinct
# input, named by its SHA-1 (running it again adds nothing new):
#   leads, events, outcomes  the CSV files of every golden case, test data set
#                            and the bundled datasets (first 60 lines of the
#                            large ones), by role: leads.csv and contacts.csv,
#                            events.csv and activity.csv, outcomes.csv and
#                            deals.csv; every other CSV goes to all three
#   dsini                    every dataset.ini
#   join                     the [join] sections of every dataset.ini (from the
#                            first [join] on), and a few written here for
#                            fuzz_join's own files
#   scenario                 every scenario (golden cases, reference cases,
#                            scenarios/, bench/)
#   rule                     the value of every `rule =` line, and the rule
#                            texts of tests/unit/test_scenario.c
#   tstamp                   every distinct timestamp-like cell of the CSV
#                            files, and the strings of tests/unit/test_tstamp.c
#   holidays                 the value of every `holidays =` line, every
#                            holidays file of the golden cases (*.txt next to
#                            a scenario), and the strings of
#                            tests/unit/test_bizcal.c that hold a date
#   cache                    the valid cache of fuzz_cache's own dataset,
#                            written by the harness (FUZZ_CACHE_SEEDS)
# Usage: sh tests/fuzz/seeds.sh   (from the repository; the fuzz targets built)
cd "$(dirname "$0")/../.." || exit 1
out=build/fuzz/seeds
# Nothing to do when no test file and no harness changed since the last time.
if [ -f "$out/.stamp" ] && [ -z "$(find tests datasets scenarios bench build/fuzz/fuzz_cache \
    -newer "$out/.stamp" 2>/dev/null | head -1)" ]; then
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

add() { # add TARGET FILE: copy FILE in under its hash
    mkdir -p "$out/$1"
    h=$(sha1sum <"$2" | cut -c1-40)
    [ -f "$out/$1/$h" ] || cp "$2" "$out/$1/$h"
}
add_text() { # add_text TARGET TEXT
    printf '%s' "$2" >"$tmp/one"
    add "$1" "$tmp/one"
}
add_csv() { # add_csv TARGET FILE: at most its first 60 lines
    head -n 60 "$2" >"$tmp/csv"
    add "$1" "$tmp/csv"
}

# (file names may hold spaces: they are read one per line)
find tests datasets -name '*.csv' -type f | sort >"$tmp/csvs"
while IFS= read -r f; do
    case $(basename "$f") in
    leads.csv | contacts.csv) add_csv leads "$f" ;;
    events.csv | activity.csv) add_csv events "$f" ;;
    outcomes.csv | deals.csv) add_csv outcomes "$f" ;;
    *) for t in leads events outcomes; do add_csv $t "$f"; done ;;
    esac
done <"$tmp/csvs"

find tests datasets -name dataset.ini -type f | sort | while IFS= read -r f; do add dsini "$f"; done
find tests datasets -name dataset.ini -type f | sort | while IFS= read -r f; do
    sed -n '/^\[join/,$p' "$f" >"$tmp/join"
    [ -s "$tmp/join" ] && add join "$tmp/join"
done
add_text join "[join accounts]
file = accounts.csv
key = industry
attributes = segment, owner
"
add_text join "[join accounts]
file = accounts.csv
key = industry
attributes = segment, owner
missing_values = N/A
[join owners]
file = owners.csv
key = owner
attributes = team
"
add_text join "[dataset]
missing_values = retail, -
[leads]
skip_if_empty = created_at, industry
[join a]
file = accounts.csv
key = industry
on = industry
attributes = owner
"

find tests scenarios bench -name '*.ini' -type f ! -name dataset.ini | sort >"$tmp/inis"
while IFS= read -r f; do add scenario "$f"; done <"$tmp/inis"

# rules: the text after "rule =" (inline comments and all, as the parser gets it
# after inih), and the rule texts the unit tests parse directly
while IFS= read -r f; do
    sed -n 's/^[[:space:]]*rule[[:space:]]*=[[:space:]]*//p' "$f"
done <"$tmp/inis" >"$tmp/rules"
sed -n 's/.*scenario_parse_rule("\([^"]*\)".*/\1/p; s/^[[:space:]]*{"\([^"]*>=[^"]*\)",.*/\1/p' \
    tests/unit/test_scenario.c | grep -v '\\n' >>"$tmp/rules"
sort -u "$tmp/rules" | while IFS= read -r r; do add_text rule "$r"; done

# timestamps: cells that start like a date, and the unit tests' literals
while IFS= read -r f; do head -n 200 "$f"; done <"$tmp/csvs" | tr ',"' '\n\n' |
    grep -aE '^[[:space:]]*[0-9]{4}-' | sort -u | head -n 300 >"$tmp/ts"
sed -n 's/[^"]*"\([^"]*\)"[^"]*/\1\n/gp' tests/unit/test_tstamp.c | grep -v '^$' |
    grep -E '[0-9]' | sort -u >>"$tmp/ts"
sort -u "$tmp/ts" | while IFS= read -r t; do add_text tstamp "$t"; done

# holidays: list values, holidays files, the unit tests' date literals
while IFS= read -r f; do
    sed -n 's/^[[:space:]]*holidays[[:space:]]*=[[:space:]]*//p' "$f"
done <"$tmp/inis" >"$tmp/hol"
sed -n 's/[^"]*"\([^"]*\)"[^"]*/\1\n/gp' tests/unit/test_bizcal.c | grep -E '[0-9]{4}-' >>"$tmp/hol"
sort -u "$tmp/hol" | while IFS= read -r h; do add_text holidays "$h"; done
find tests/e2e -name '*.txt' -type f | sort | while IFS= read -r f; do add holidays "$f"; done

mkdir -p "$out/cache" "$tmp/empty"
if ! FUZZ_CACHE_SEEDS="$out/cache" build/fuzz/fuzz_cache -runs=0 "$tmp/empty" >"$tmp/log" 2>&1 ||
    [ ! -f "$out/cache/valid" ]; then
    echo "seeds.sh: fuzz_cache could not write the valid cache:" >&2
    tail -20 "$tmp/log" >&2
    exit 1
fi
for t in "$out"/*/; do
    echo "seeds: $(basename "$t"): $(ls "$t" | wc -l) inputs"
done
touch "$out/.stamp"
