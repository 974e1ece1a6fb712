# workload.gp - weekly hand-offs (mean and 90th percentile) against the threshold.
# datafile columns: threshold, weekly_mean, weekly_p90; capacity: per week or '';
# capacity_label: the same, rounded for the key
# rec: the recommended threshold or ''; rec_label: the same, rounded for the label
load tdir.'/common.gp'
set xlabel 'MQL threshold (points)'
set ylabel 'hand-offs per week (leads)'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0

if (xmin ne '') {
    set xrange [real(xmin):real(xmax)]
} else {
    set autoscale xfix
}
if (rec ne '') {
    set arrow 1 from real(rec), graph 0 to real(rec), graph 1 nohead ls 9
    # the label on the side of the line with more room, so it stays inside
    if (xmin eq '' || real(rec) < (real(xmin) + real(xmax)) / 2) {
        set label 1 'recommended: '.rec_label at real(rec), graph 0.96 left offset 0.6,0 front noenhanced
    } else {
        set label 1 'recommended: '.rec_label at real(rec), graph 0.96 right offset -0.6,0 front noenhanced
    }
}
if (capacity ne '') {
    plot datafile using 1:2 with lines ls 1 title 'mean week', \
         '' using 1:3 with lines ls 2 title 'busiest 10% of weeks (p90)', \
         real(capacity) with lines ls 3 title 'capacity ('.capacity_label.' per week)'
} else {
    plot datafile using 1:2 with lines ls 1 title 'mean week', \
         '' using 1:3 with lines ls 2 title 'busiest 10% of weeks (p90)'
}
