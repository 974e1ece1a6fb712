#!/bin/sh
# test_layout.sh - the code's structure, read from the source as text.
#
# Three checks, one ok/FAIL line each (a FAIL line per offence):
#   1. No include cycle. A module is a file stem: src/X.c and include/X.h
#      together. There is an edge X -> Y when src/X.c or include/X.h has
#      #include "Y.h" (Y another module). Modules that include each other,
#      directly or around a longer loop, are one FAIL line naming the loop.
#   2. Every include/*.h, src/*.c and src/*.cc starts with the line
#      "/* NAME - what it is", NAME being the file's own name.
#   3. No function of src/*.c longer than LAYOUT_MAX_LINES (default 160)
#      lines, signature to closing brace. Functions over LAYOUT_LIST_LINES
#      (default 120) are listed, longest first, as "note" lines that count
#      neither way: they are the ones to split along their section comments.
# Function bounds are found by layout, as the code is written: a definition
# starts at column 0 with its name and "(", its body ends at a "}" in
# column 0.
#
# Usage: sh tests/test_layout.sh   (run from anywhere; reads src/ and include/)
# Prints one ok/FAIL line per check and "N passed, M failed".
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C
max=${LAYOUT_MAX_LINES:-160}
list=${LAYOUT_LIST_LINES:-120}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   layout $1"; }
bad() { fail=$((fail + 1)); echo "FAIL layout $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------- 1. include cycles ----------
# modules: every stem of src/*.c, src/*.cc and include/*.h
for f in src/*.c src/*.cc include/*.h; do
    [ -f "$f" ] || continue
    b=${f##*/}
    echo "${b%.*}"
done | sort -u >"$tmp/modules"
# edges "X Y", one per line
for f in src/*.c src/*.cc include/*.h; do
    [ -f "$f" ] || continue
    b=${f##*/}
    sed -n 's/^[ 	]*#[ 	]*include[ 	]*"\([^"/]*\)\.h".*/\1/p' "$f" | sed "s/^/${b%.*} /"
done | sort -u >"$tmp/edges"
# Tarjan's strongly connected components; for each component of two or more
# modules, the shortest loop from its first module (by name) back to it.
awk '
    FNR == NR { mod[$1] = 1; nmod++; names[nmod] = $1; next }
    $1 != $2 && ($2 in mod) { adj[$1] = adj[$1] " " $2; nedge++ }
    function strong(v,    i, n, w, ws, c) {
        idx[v] = low[v] = ++counter
        stack[++sp] = v
        on[v] = 1
        n = split(adj[v], ws, " ")
        for (i = 1; i <= n; i++) {
            w = ws[i]
            if (!(w in idx)) {
                strong(w)
                if (low[w] < low[v]) low[v] = low[w]
            } else if (on[w] && idx[w] < low[v]) low[v] = idx[w]
        }
        if (low[v] == idx[v]) {
            ncomp++
            c = 0
            do {
                w = stack[sp--]
                on[w] = 0
                comp[w] = ncomp
                c++
            } while (w != v)
            size[ncomp] = c
        }
    }
    # loop START: breadth-first inside START'"'"'s component, back to START
    function loop(start,    q, head, tail, v, n, ws, i, w, path, seen) {
        head = 1; tail = 0
        q[++tail] = start
        while (head <= tail) {
            v = q[head++]
            n = split(adj[v], ws, " ")
            for (i = 1; i <= n; i++) {
                w = ws[i]
                if (comp[w] != comp[start]) continue
                if (w == start) {
                    path = start
                    while (v != start) { path = v " -> " path; v = from[v] }
                    return start " -> " path
                }
                if (!(w in seen)) { seen[w] = 1; from[w] = v; q[++tail] = w }
            }
        }
        return ""
    }
    END {
        for (i = 1; i <= nmod; i++) if (!(names[i] in idx)) strong(names[i])
        for (i = 1; i <= nmod; i++) {
            v = names[i]
            if (size[comp[v]] > 1 && !(comp[v] in told)) {
                told[comp[v]] = 1
                print loop(v)
            }
        }
        print nmod " modules, " nedge + 0 " includes between them" >"/dev/stderr"
    }' "$tmp/modules" "$tmp/edges" >"$tmp/cycles" 2>"$tmp/nmod"
if [ -s "$tmp/cycles" ]; then
    while IFS= read -r c; do bad "modules include each other: $c"; done <"$tmp/cycles"
else
    ok "no include cycle ($(cat "$tmp/nmod"))"
fi

# ---------- 2. first lines ----------
n=0
wrong=0
for f in include/*.h src/*.c src/*.cc; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    b=${f##*/}
    if ! head -1 "$f" | grep -qF "/* $b - "; then
        bad "$f does not start with '/* $b - what it is': $(head -1 "$f" | cut -c1-80)"
        wrong=$((wrong + 1))
    elif [ "$(head -1 "$f" | cut -c1-$((${#b} + 6)))" != "/* $b - " ]; then
        bad "$f: '/* $b - ' is not at the start of line 1"
        wrong=$((wrong + 1))
    fi
done
[ "$wrong" = 0 ] && ok "all $n files of src/ and include/ start with '/* NAME - what it is'"

# ---------- 3. function length ----------
# one line per function: LINES FILE NAME
for f in src/*.c; do
    [ -f "$f" ] || continue
    awk -v file="$f" '
        { t = $0; sub(/[ \t]*\/\*.*\*\/[ \t]*$/, "", t) } # without a comment at the end
        # a definition: column 0, a name, "(", no "=" or ";" (not a
        # declaration, an initializer or a prototype)
        !infn && !sig && t ~ /^[A-Za-z_]/ && t ~ /\(/ && t !~ /[=;]/ {
            sig = 1
            start = FNR
            name = t
            sub(/\(.*/, "", name)
            sub(/.*[ \t*]/, "", name)
        }
        sig && !infn {
            if (t ~ /;[ \t]*$/) { sig = 0; next }          # a prototype after all
            if (t ~ /\{[ \t]*$/) { infn = 1; sig = 0 }
            next
        }
        infn && /^}/ { print FNR - start + 1, file, name; infn = 0 }
    ' "$f"
done | sort -k1,1nr >"$tmp/functions"
nfun=$(wc -l <"$tmp/functions")
awk -v l="$list" '$1 > l { printf "     note: %4d lines  %s %s\n", $1, $2, $3 }' "$tmp/functions"
long=$(awk -v m="$max" '$1 > m { printf "%s%s %s (%d lines)", sep, $2, $3, $1; sep = ", " }' "$tmp/functions")
if [ "$nfun" -lt 10 ]; then
    bad "found only $nfun functions in src/*.c: the layout this check reads has changed"
elif [ -n "$long" ]; then
    bad "functions longer than $max lines: $long"
else
    ok "no function of src/*.c is longer than $max lines ($nfun functions, $(awk -v l="$list" '$1 > l' "$tmp/functions" | wc -l) over $list)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
