# outdir_fixture.sh - sourced by test_atomic.sh and test_io.sh: the small
# dataset and scenario their output-folder checks start from, and the
# snapshot they compare the folder with.

# snapshot DIR: every path below DIR, hidden ones included, with a checksum
# of each file, so that any change, addition or removal shows up as a diff.
snapshot() {
    (cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r p; do
        if [ -f "$p" ]; then echo "$p $(cksum <"$p")"; else echo "$p"; fi
    done)
}

# fixture_write: data/ (three leads, one won, one lost) and good.ini, which
# replays it at two thresholds, in the current folder.
fixture_write() {
    mkdir -p data
    cat >data/leads.csv <<'CSV'
lead_id,created_at,industry
L1,2025-01-06,software
L2,2025-01-07,retail
L3,2025-01-08,software
CSV
    cat >data/events.csv <<'CSV'
lead_id,timestamp,event
L1,2025-01-08 10:00,webinar
L2,2025-01-09 11:30,webinar
L3,2025-01-15 09:00,demo
CSV
    cat >data/outcomes.csv <<'CSV'
lead_id,status,closed_at,amount
L1,won,2025-02-01,1000
L2,lost,2025-02-03,
CSV
    cat >good.ini <<'INI'
[scenario]
name = good
data = data

[behaviour]
webinar = 10
demo = 30

[mql]
threshold = 10, 30
INI
}
