# scores.gp - distribution of the best score, won against not-won leads.
# datafile columns: bin start, share of won leads, share of not-won leads
# (each class sums to 1); thresholds: threshold values separated by spaces;
# binwidth: the width of a bin
load tdir.'/common.gp'
set xlabel 'best score before the close (points)'
set ylabel 'share of leads in each class'
set yrange [0:*]

n = words(thresholds)
do for [i=1:n] {
    set arrow i from real(word(thresholds, i)), graph 0 to real(word(thresholds, i)), graph 1 nohead front ls 9
    set label i 'T='.word(thresholds, i) at real(word(thresholds, i)), graph 0.97 - 0.06 * (i - 1) left offset 0.5,0 front
}
plot datafile using ($1 + real(binwidth) / 2):3:(real(binwidth)) with boxes fs transparent solid 0.45 border lc rgb '#777777' fc rgb '#bbbbbb' title 'not won', \
     '' using ($1 + real(binwidth) / 2):2:(real(binwidth)) with boxes fs transparent solid 0.45 border lc rgb '#0072B2' fc rgb '#0072B2' title 'won'
