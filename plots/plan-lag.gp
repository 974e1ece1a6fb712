# plan-lag.gp - how long won deals took: the lag's distribution function.
# datafile: columns days, share of won deals closed within that many days;
#   q50, q80, q95: the lag's median, 80th and 95th percentiles (days)
load tdir.'/common.gp'
set xlabel 'days from creation to won'
set ylabel 'share of won deals closed'
set yrange [0:1.02]
set ytics 0.1
set xrange [0:*]
set arrow 1 from real(q50), graph 0 to real(q50), 0.5 nohead ls 1 lw 2
set arrow 2 from real(q80), graph 0 to real(q80), 0.8 nohead ls 3 lw 2
set arrow 3 from real(q95), graph 0 to real(q95), 0.95 nohead ls 2 lw 2
plot datafile using 1:2 with steps lc rgb '#0072B2' lw 3 dt 1 title 'closed within x days', \
     NaN with lines ls 1 lw 2 title sprintf('median %.1f days', real(q50)), \
     NaN with lines ls 3 lw 2 title sprintf('80%%: %.1f days', real(q80)), \
     NaN with lines ls 2 lw 2 title sprintf('95%%: %.1f days', real(q95))
