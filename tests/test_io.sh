#!/bin/sh
# test_io.sh - I/O faults: each is a clear error (exit 74) that leaves earlier results intact.
#
# Covers what the golden cases cannot: faults of the machine rather than of
# the data. Inputs that cannot be read, a folder or a FIFO where a file is
# expected, a file that grows or shrinks while it is read; an output folder
# that cannot be written, a full disk, a failing fsync or close, a rename
# that fails half-way through the commit, a folder another run is writing.
#
# The tests run as root (here and in CI), for whom permission bits stop
# nothing, so faults come from build/faultshim.so (tests/faultshim.c),
# preloaded into leadsim: LEADSIM_FAULT=CALL:PATTERN:ERRNO[:NTH] makes that
# call fail on paths containing PATTERN, as the kernel would. Where the
# kernel can do it for real on any machine, it does: folders and FIFOs, a
# file size limit (ulimit -f) for a full disk, flock(1) for a held lock.
# Nothing is skipped: a missing shim or flock(1) is a failure.
#
# Every check asserts the exit status, the exact message on stderr, and
# that the output folder of an earlier good run is byte-identical
# afterwards (no file changed, added or removed; no staging folder or lock
# file left behind).
#
# Usage: sh tests/test_io.sh [LEADSIM_BINARY]   (default: $LEADSIM, else build/leadsim)
# Prints one ok/FAIL line per check and "N passed, M failed".
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${LEADSIM:-$root/build/leadsim}}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
shim=$root/build/faultshim.so
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   io $1"; }
bad() { fail=$((fail + 1)); echo "FAIL io $1: $2"; }
for need in "$bin" "$shim"; do
    if [ ! -f "$need" ]; then
        bad "setup" "$need is missing (make build/leadsim build/faultshim.so)"
        echo "$pass passed, $fail failed"
        exit 1
    fi
done
command -v flock >/dev/null 2>&1 || bad "setup" "flock(1) from util-linux is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
# No columnar cache: every run reads the CSV files, where the faults are.
LEADSIM_CACHE_DIR=
export LEADSIM_CACHE_DIR
# The sanitizer build must accept a library preloaded ahead of its runtime.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

. "$root/tests/outdir_fixture.sh"

# check NAME STATUS MESSAGE [FAULT] -- ARGS...: run leadsim ARGS (with the
# fault FAULT injected, when not empty) and expect exit STATUS, stderr
# exactly MESSAGE, and out/ exactly as it was.
check() {
    name=$1 want=$2 msg=$3 fault=$4
    shift 5
    snapshot out >before.txt
    if [ -n "$fault" ]; then
        timeout 60 env LD_PRELOAD="$shim" LEADSIM_FAULT="$fault" "$bin" "$@" >stdout.txt 2>stderr.txt
    else
        timeout 60 "$bin" "$@" >stdout.txt 2>stderr.txt
    fi
    st=$?
    snapshot out >after.txt
    printf '%s\n' "$msg" >want.txt
    if [ "$st" != "$want" ]; then
        bad "$name" "exit status $st, expected $want ($(head -2 stderr.txt | tr '\n' ' '))"
    elif ! cmp -s want.txt stderr.txt; then
        bad "$name" "stderr differs:$(diff want.txt stderr.txt | head -4 | tr '\n' ' ')"
    elif ! cmp -s before.txt after.txt; then
        bad "$name" "out/ changed:$(diff before.txt after.txt | head -6 | tr '\n' ' ')"
    else
        ok "$name"
    fi
}

# ---------- fixtures ----------
fixture_write
sed 's/^name = good$/name = other/' good.ini >other.ini
# A copy of the data for the faults that change files.
copy_data() { rm -rf "$1" && cp -r data "$1" && sed "s#^data = data\$#data = $1#" good.ini >"$1.ini"; }
run() { "$bin" run good.ini --out out --quiet --no-plots "$@"; }

# ---------- an earlier good run ----------
if run && [ -s out/summary.csv ] && [ -s out/scores.csv ] && [ -s out/weekly.csv ] &&
    [ ! -e out/.leadsim.lock ]; then
    ok "a good run fills out/ and leaves no lock file"
else
    bad "a good run fills out/ and leaves no lock file" "$(ls -A out 2>/dev/null | tr '\n' ' ')"
fi

R="run good.ini --out out --quiet --no-plots"

# ---------- inputs ----------
check "leads.csv that cannot be opened" 74 "data/leads.csv: cannot read: Permission denied" \
    "open:data/leads.csv:EACCES" -- $R
check "events.csv whose read fails" 74 "data/events.csv: cannot read: Input/output error" \
    "read:data/events.csv:EIO" -- $R
check "outcomes.csv whose second read fails" 74 "data/outcomes.csv: cannot read: Input/output error" \
    "read:data/outcomes.csv:EIO:2" -- $R
check "a scenario that cannot be opened" 74 "good.ini: cannot read: Permission denied" \
    "open:good.ini:EACCES" -- $R
check "a scenario whose read fails" 74 "good.ini: cannot read: Input/output error" \
    "read:good.ini:EIO" -- $R

copy_data dirdata && rm dirdata/leads.csv && mkdir dirdata/leads.csv
check "a folder where leads.csv should be" 74 "dirdata/leads.csv: cannot read: it is a folder, not a file" \
    "" -- run dirdata.ini --out out --quiet --no-plots
mkdir folder.ini
check "a folder given as the scenario" 74 "folder.ini: cannot read: it is a folder, not a file" \
    "" -- run folder.ini --out out --quiet --no-plots

# A FIFO would make a plain open or read wait for a writer forever; the
# timeout in check() turns a hang into a failure (status 124).
copy_data fifodata && rm fifodata/events.csv && mkfifo fifodata/events.csv
check "a FIFO where events.csv should be" 74 \
    "fifodata/events.csv: cannot read: not a regular file (a FIFO, socket or device)" \
    "" -- run fifodata.ini --out out --quiet --no-plots
mkfifo fifo.ini
check "a FIFO given as the scenario" 74 "fifo.ini: cannot read: not a regular file (a FIFO, socket or device)" \
    "" -- run fifo.ini --out out --quiet --no-plots
copy_data fifolead && rm fifolead/leads.csv && mkfifo fifolead/leads.csv
check "check on a FIFO leads.csv" 74 "fifolead/leads.csv: cannot read: not a regular file (a FIFO, socket or device)" \
    "" -- check fifolead
mkfifo fifo-dataset
check "a FIFO given as --data" 74 "fifo-dataset: cannot read: not a regular file (a FIFO, socket or device)" \
    "" -- $R --data fifo-dataset

# A file that changes while it is read: the shim appends a line (or cuts
# the file in half) right after the first read of it.
copy_data growing
check "events.csv growing while read" 74 \
    "growing/events.csv: cannot read: the file changed while it was read (105 bytes when opened, 133 now); read it again once it is complete" \
    "read:growing/events.csv:grow" -- run growing.ini --out out --quiet --no-plots
copy_data shrinking
check "outcomes.csv truncated while read" 74 \
    "shrinking/outcomes.csv: cannot read: the file changed while it was read (75 bytes when opened, 37 now); read it again once it is complete" \
    "read:shrinking/outcomes.csv:shrink" -- run shrinking.ini --out out --quiet --no-plots
cp good.ini grow.ini
check "a scenario growing while read" 74 \
    "grow.ini: cannot read: the file changed while it was read (97 bytes when opened, 125 now); read it again once it is complete" \
    "read:grow.ini:grow" -- run grow.ini --out out --quiet --no-plots

# ---------- outputs ----------
check "a full disk while writing summary.csv" 74 "out/summary.csv: cannot write: No space left on device" \
    "write:/summary.csv:ENOSPC" -- $R
check "fsync failing on scores.csv" 74 "out/scores.csv: cannot write: Input/output error" \
    "fsync:/scores.csv:EIO" -- $R
check "close reporting a full quota on summary.md" 74 "out/summary.md: cannot write: Disk quota exceeded" \
    "close:/summary.md:EDQUOT" -- $R
check "an output folder that is not writable" 74 "out: cannot write: Permission denied" \
    "open:out/.leadsim.lock:EACCES" -- $R
check "a result file that cannot be created" 74 "out/summary.csv: cannot write: Permission denied" \
    "open:/summary.csv:EACCES" -- $R
check "an output folder on a read-only file system" 74 "out: cannot write: Read-only file system" \
    "open:out/.leadsim.lock:EROFS" -- $R
# Renames go in staging order (summary.csv, scores.csv, weekly.csv, ...):
# the third failing must put the first two back.
check "a rename failing half-way through the commit" 74 "out/weekly.csv: cannot write: Input/output error" \
    "rename:*:EIO:3" -- $R
# The disk keeps failing while the commit is undone: the message says which
# files could not be put back, and their previous versions are kept (new
# results, threshold 30, so that old and new files differ).
want_kept=$(for f in out/summary.csv out/scores.csv; do cksum <"$f"; done)
sed 's/^threshold = .*/threshold = 30/' good.ini >other30.ini
timeout 60 env LD_PRELOAD="$shim" LEADSIM_FAULT='rename:*:EIO:3+' "$bin" run other30.ini --out out --quiet --no-plots >stdout.txt 2>stderr.txt
st=$?
kept=$(find out -path '*/.prev/*' -type f | LC_ALL=C sort | while IFS= read -r f; do cksum <"$f"; done)
if [ "$st" = 74 ] &&
    grep -q '^out/weekly.csv: cannot write: Input/output error; out/scores.csv could not be put back (its previous version is out/.leadsim-stage-[A-Za-z0-9]*/.prev/1): Input/output error; out/summary.csv could not be put back (its previous version is out/.leadsim-stage-[A-Za-z0-9]*/.prev/0): Input/output error$' stderr.txt &&
    [ "$kept" = "$want_kept" ]; then
    ok "a rollback that fails too says so and keeps the previous versions"
else
    bad "a rollback that fails too says so and keeps the previous versions" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi
rm -rf out && run # a clean folder again for the checks below

check "keeping a replaced file aside failing" 74 "out/scores.csv: cannot write: Input/output error" \
    "link:out/scores.csv:EIO" -- $R
check "a full disk while writing sweep.csv" 74 "out/sweep.csv: cannot write: No space left on device" \
    "write:/sweep.csv:ENOSPC" -- sweep good.ini --out out --quiet --no-plots --bootstrap 10

# A real full disk for this process: a file size limit of 2 blocks makes
# the kernel refuse the write of report.html (SIGXFSZ ignored, so that the
# write fails with EFBIG instead of killing the process).
snapshot out >before.txt
(trap '' XFSZ; ulimit -f 2 && exec "$bin" $R) >stdout.txt 2>stderr.txt
st=$?
snapshot out >after.txt
if [ "$st" = 74 ] && [ "$(cat stderr.txt)" = "out/report.html: cannot write: File too large" ] &&
    cmp -s before.txt after.txt; then
    ok "a real write refused by the kernel (file size limit)"
else
    bad "a real write refused by the kernel (file size limit)" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi

# gen writes its files itself: the same limit must leave an earlier dataset as it was.
"$bin" gen --out gen --leads 50 --quiet
snapshot gen >before.txt
(trap '' XFSZ; ulimit -f 8 && exec "$bin" gen --out gen --leads 3000 --seed 2 --quiet) >stdout.txt 2>stderr.txt
st=$?
snapshot gen >after.txt
if [ "$st" = 74 ] && grep -q '^gen/[a-z]*\.csv: cannot write: File too large$' stderr.txt &&
    cmp -s before.txt after.txt; then
    ok "gen on a full disk leaves the earlier dataset as it was"
else
    bad "gen on a full disk leaves the earlier dataset as it was" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi

# gen locks its folder like a run: a second gen into it stops at once.
# (mkdir: when an earlier gen failed, the script must go on to report the rest)
mkdir -p gen
: >gen/.leadsim.lock
snapshot gen >before.txt
flock gen/.leadsim.lock timeout 60 "$bin" gen --out gen --leads 100 --quiet >stdout.txt 2>stderr.txt
st=$?
snapshot gen >after.txt
rm -f gen/.leadsim.lock
if [ "$st" = 74 ] &&
    [ "$(cat stderr.txt)" = "gen: another leadsim run is writing to this folder; try again when it has finished" ] &&
    cmp -s before.txt after.txt; then
    ok "gen into a folder being written stops at once"
else
    bad "gen into a folder being written stops at once" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi

# Standard output that cannot be written is an error too (the results were
# committed: they are complete).
"$bin" $R >/dev/null 2>&1
"$bin" run good.ini --out out --no-plots >/dev/full 2>stderr.txt
st=$?
if [ "$st" = 74 ] && [ "$(cat stderr.txt)" = "leadsim: standard output: cannot write: No space left on device" ]; then
    ok "standard output on a full disk is exit 74"
else
    bad "standard output on a full disk is exit 74" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi

# Hard links not supported (a FAT or some network file systems): the
# replaced files are copied aside instead, and the run succeeds.
cp out/summary.csv summary.before
sed 's/^threshold = .*/threshold = 30/' good.ini >good30.ini
LD_PRELOAD=$shim LEADSIM_FAULT=link:out/:EPERM "$bin" run good30.ini --out out --quiet --no-plots 2>stderr.txt
st=$?
if [ "$st" = 0 ] && [ ! -s stderr.txt ] && grep -q '^good,30,' out/summary.csv && ! grep -q '^good,10,' out/summary.csv &&
    [ -z "$(find out -name '.leadsim-*')" ]; then
    ok "without hard links the commit still replaces the results"
else
    bad "without hard links the commit still replaces the results" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi
run # back to the results the other checks expect

# ---------- the lock ----------
# flock(1) holds the lock as another run would; leadsim must not wait.
mkdir -p out # (as for gen above)
: >out/.leadsim.lock
snapshot out >before.txt
flock out/.leadsim.lock timeout 60 "$bin" $R >stdout.txt 2>stderr.txt
st=$?
snapshot out >after.txt
if [ "$st" = 74 ] &&
    [ "$(cat stderr.txt)" = "out: another leadsim run is writing to this folder; try again when it has finished" ] &&
    cmp -s before.txt after.txt; then
    ok "a run into a locked folder fails at once and leaves it as it was"
else
    bad "a run into a locked folder fails at once and leaves it as it was" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi
flock out/.leadsim.lock timeout 60 "$bin" sweep good.ini --out out --quiet --no-plots --bootstrap 10 >stdout.txt 2>stderr.txt
st=$?
if [ "$st" = 74 ] && grep -q "^out: another leadsim run is writing" stderr.txt; then
    ok "sweep honours the lock too"
else
    bad "sweep honours the lock too" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi
# A lock file left by a run that was killed holds no lock: the next run
# goes ahead and removes it.
if run && [ ! -e out/.leadsim.lock ]; then
    ok "a stale lock file does not block and is removed"
else
    bad "a stale lock file does not block and is removed" "$(ls -A out | tr '\n' ' ')"
fi
# A comparison locks each scenario's folder, where a run of that scenario
# alone would write.
"$bin" run good.ini other.ini --out cmp --quiet --no-plots
mkdir -p cmp/good # (as for gen above)
: >cmp/good/.leadsim.lock
snapshot cmp >before.txt
flock cmp/good/.leadsim.lock timeout 60 "$bin" run good.ini other.ini --out cmp --quiet --no-plots >stdout.txt 2>stderr.txt
st=$?
rm -f cmp/good/.leadsim.lock
snapshot cmp >after.txt
if [ "$st" = 74 ] &&
    [ "$(cat stderr.txt)" = "cmp/good: another leadsim run is writing to this folder; try again when it has finished" ] &&
    grep -v 'leadsim.lock' before.txt | cmp -s - after.txt; then
    ok "a comparison waits for no scenario folder that is being written"
else
    bad "a comparison waits for no scenario folder that is being written" "exit $st: $(head -2 stderr.txt | tr '\n' ' ')"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
