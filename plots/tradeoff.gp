# tradeoff.gp - precision, recall, F1 and MQL rate against the MQL threshold.
# datafile columns: threshold, precision, recall, f1, mql_rate, precision_lo,
#   precision_hi, recall_lo, recall_hi (NaN where undefined or not computed)
# bands: '1' to draw the bootstrap 90% bands; rec: the recommended threshold or '';
# rec_label: the same, rounded for the label; xmin, xmax: the thresholds drawn, or ''
load tdir.'/common.gp'
set xlabel 'MQL threshold (points)'
set ylabel 'share of leads or deals (0 to 1)'
set yrange [0:1.08]

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
if (bands eq '1') {
    plot datafile using 1:6:7 with filledcurves fc rgb '#000000' fs transparent solid 0.15 noborder title 'precision 90% band', \
         '' using 1:8:9 with filledcurves fc rgb '#0072B2' fs transparent solid 0.15 noborder title 'recall 90% band', \
         '' using 1:2 with lines ls 1 title 'precision', \
         '' using 1:3 with lines ls 2 title 'recall', \
         '' using 1:4 with lines ls 3 title 'F1', \
         '' using 1:5 with lines ls 4 title 'MQL rate'
} else {
    plot datafile using 1:2 with linespoints ls 1 title 'precision', \
         '' using 1:3 with linespoints ls 2 title 'recall', \
         '' using 1:4 with linespoints ls 3 title 'F1', \
         '' using 1:5 with linespoints ls 4 title 'MQL rate'
}
