# pr.gp - the precision-recall curve, one series per scenario.
# datafile: blocks separated by two blank lines (one per series), columns
#   recall, precision; names: the series' names separated by spaces;
# style: 'lines' for a sweep's full curve, 'linespoints' for listed thresholds;
# rec_recall, rec_precision: the recommended point or ''; rec_label: its label;
# labels: a file of recall, precision, label, side (1 above, -1 below) for
#   the points to name, or ''
load tdir.'/common.gp'
set xlabel 'recall (share of won deals handed off)'
set ylabel 'precision (share of hand-offs won)'
set xrange [0:1.02]
set yrange [0:1.05]

n = words(names)
if (rec_recall ne '') {
    set label 1 rec_label at real(rec_recall), real(rec_precision) offset 1.5,1.5 front noenhanced tc rgb '#D55E00'
    set object 1 circle at real(rec_recall), real(rec_precision) size screen 0.018 front fs empty border lc rgb '#D55E00' lw 3
}
if (labels ne '') {
    plot for [i=1:n] datafile index i-1 using 1:2 with @style ls i title word(names, i), \
         labels using 1:2 with points pt 7 ps 0.8 lc rgb '#444444' notitle, \
         labels using 1:($2 + $4 * 0.05):3 with labels center noenhanced notitle
} else {
    plot for [i=1:n] datafile index i-1 using 1:2 with @style ls i title word(names, i)
}
