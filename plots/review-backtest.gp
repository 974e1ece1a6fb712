# review-backtest.gp - the backtest: per period the objective at its best threshold (in
#   hindsight), at the one chosen on the period before, and at the scenario's own.
# datafile columns: period number, best, chosen the period before, the scenario's
#   threshold (NaN where there is none); labels: the periods' labels separated by
#   spaces; ylabel_text: the objective's name
load tdir.'/common.gp'
set ylabel ylabel_text noenhanced
n = words(labels)
set xrange [-0.4:n - 0.6]
set xtics (word(labels, 1) 0)
do for [i=2:n] { set xtics add (word(labels, i) i - 1) }
plot datafile using 1:2 with linespoints ls 1 title 'best in hindsight', \
     '' using 1:3 with linespoints ls 3 title 'chosen on the period before', \
     '' using 1:4 with linespoints ls 2 title 'the scenario''s threshold'
