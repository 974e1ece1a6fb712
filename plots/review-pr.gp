# review-pr.gp - precision and recall per review period at the scenario's threshold.
# datafile columns: period number (0, 1, ...), precision, recall, precision_lo,
#   precision_hi, recall_lo, recall_hi (NaN where undefined or not drawn);
# labels: the periods' labels separated by spaces; bands: '1' to draw the
#   bootstrap 90% bands
load tdir.'/common.gp'
set ylabel 'share (0 to 1)'
set yrange [0:1.08]
n = words(labels)
set xrange [-0.4:n - 0.6]
set xtics (word(labels, 1) 0)
do for [i=2:n] { set xtics add (word(labels, i) i - 1) }
if (bands eq '1') {
    plot datafile using 1:4:5 with filledcurves fc rgb '#000000' fs transparent solid 0.15 noborder title 'precision 90% band', \
         '' using 1:6:7 with filledcurves fc rgb '#0072B2' fs transparent solid 0.15 noborder title 'recall 90% band', \
         '' using 1:2 with linespoints ls 1 title 'precision', \
         '' using 1:3 with linespoints ls 2 title 'recall'
} else {
    plot datafile using 1:2 with linespoints ls 1 title 'precision', \
         '' using 1:3 with linespoints ls 2 title 'recall'
}
