# plan-leads.gp - the distribution of the leads needed over the Monte Carlo draws.
# datafile: columns bin centre, share of draws in the bin; width: the bins'
#   width; median, p80, p95: the median and the leads enough with 80% and 95%
#   probability; point: the reverse funnel's point estimate
load tdir.'/common.gp'
set xlabel 'new leads needed'
set ylabel 'share of draws'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set format x '%.0f'
set style fill solid 0.45 border lc rgb '#0072B2'
set boxwidth real(width) absolute
set arrow 1 from real(median), graph 0 to real(median), graph 1 nohead ls 1 lw 2
set arrow 2 from real(p80), graph 0 to real(p80), graph 1 nohead ls 3 lw 2
set arrow 3 from real(p95), graph 0 to real(p95), graph 1 nohead ls 2 lw 2
set arrow 4 from real(point), graph 0 to real(point), graph 1 nohead ls 5 lw 2
plot datafile using 1:2 with boxes lc rgb '#56B4E9' title 'draws', \
     NaN with lines ls 1 lw 2 title sprintf('median %.0f', real(median)), \
     NaN with lines ls 3 lw 2 title sprintf('80%% sure %.0f', real(p80)), \
     NaN with lines ls 2 lw 2 title sprintf('95%% sure %.0f', real(p95)), \
     NaN with lines ls 5 lw 2 title sprintf('reverse funnel %.0f', real(point))
