# pr.gp - the precision-recall curve, one series per scenario.
# datafile: blocks separated by two blank lines (one per series), columns
#   recall, precision; names: the series' names separated by spaces;
# style: 'lines' for a sweep's full curve, 'linespoints' for listed thresholds;
# rec_recall, rec_precision: the recommended point or ''
load tdir.'/common.gp'
set xlabel 'recall (share of won deals handed off)'
set ylabel 'precision (share of hand-offs won)'
set xrange [0:1.02]
set yrange [0:*]

n = words(names)
if (rec_recall ne '') {
    set label 1 'recommended' at real(rec_recall), real(rec_precision) offset 1,1 noenhanced
    plot for [i=1:n] datafile index i-1 using 1:2 with @style ls i title word(names, i), \
         '+' using (real(rec_recall)):(real(rec_precision)) every ::0::0 with points pt 6 ps 3 lw 3 lc rgb '#D55E00' notitle
} else {
    plot for [i=1:n] datafile index i-1 using 1:2 with @style ls i title word(names, i)
}
