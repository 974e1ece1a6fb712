# scores.gp - distribution of the best score, won against not-won leads.
# datafile columns: bin middle, share of won leads, share of not-won leads
# (each class sums to 1; a narrower bin's share is scaled to binwidth), bin width;
# thresholds: threshold values separated by spaces; threshold_labels: the
# same, rounded for the labels; binwidth: the usual bin
# width; xmin, xmax: the first and last bin edge
load tdir.'/common.gp'
set xlabel 'best score before the close (points)'
set ylabel 'share of leads in each class, per '.binwidth.' points' noenhanced
set xrange [real(xmin):real(xmax)]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0

n = words(thresholds)
do for [i=1:n] {
    set arrow i from real(word(thresholds, i)), graph 0 to real(word(thresholds, i)), graph 1 nohead front ls 9
    set label i 'T='.word(threshold_labels, i) at real(word(thresholds, i)), graph 0.97 - 0.06 * (i - 1) left offset 0.5,0 front noenhanced
}
plot datafile using 1:3:4 with boxes fs transparent solid 0.45 border lc rgb '#777777' fc rgb '#bbbbbb' title 'not won', \
     '' using 1:2:4 with boxes fs transparent solid 0.45 border lc rgb '#0072B2' fc rgb '#0072B2' title 'won'
