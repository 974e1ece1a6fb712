# review-scores.gp - the best-score distributions of the last two review periods, overlaid.
# datafile columns: bin centre, share of the earlier period's leads, share of the
#   later period's; names: the two periods' labels separated by a space;
# width: the bins' width
load tdir.'/common.gp'
set xlabel 'best score (points)'
set ylabel 'share of the period''s leads'
set style fill transparent solid 0.35 noborder
set boxwidth real(width) absolute
set autoscale xfix
set offsets real(width), real(width), 0, 0
plot datafile using 1:2 with boxes lc rgb '#0072B2' title word(names, 1), \
     '' using 1:3 with boxes lc rgb '#D55E00' title word(names, 2)
