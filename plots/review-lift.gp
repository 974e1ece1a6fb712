# review-lift.gp - lift per event type and fit value across the review periods, as a heatmap.
# datafile columns: period number, row number, lift (NaN: undefined, grey),
#   1 when the change from the period before stands out (else 0);
# rows: a file of row number, name (one line per event type or fit value);
# labels: the periods' labels separated by spaces; nrows: how many rows
load tdir.'/common.gp'
set termoption noenhanced
n = words(labels)
set xrange [-0.5:n - 0.5]
set yrange [real(nrows) - 0.5:-0.5]
set xtics (word(labels, 1) 0)
do for [i=2:n] { set xtics add (word(labels, i) i - 1) }
set ytics font 'Sans,12'
set cblabel 'lift (1 = as likely to be won as any lead)'
set cbrange [0:3]
# diverging around 1: blue below, white at 1, orange above
set palette defined (0 '#0072B2', 1 '#ffffff', 3 '#D55E00')
set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb '#bbbbbb' fs solid 1.0 noborder
unset grid
set key below
plot datafile using 1:2:3 with image pixels notitle, \
     rows using (-10):1:ytic(2) with points notitle, \
     datafile using 1:($4 > 0 ? $2 : NaN) with points pt 6 ps 2.5 lw 3 lc rgb '#000000' title 'change that stands out (5% false discovery rate)'
