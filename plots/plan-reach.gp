# plan-reach.gp - the probability of reaching the goal against the number of new leads.
# datafile: columns leads, probability (the share of Monte Carlo draws that
#   needed at most that many leads); p80, p95: the leads enough with 80% and
#   95% probability; point: the reverse funnel's point estimate, point_prob:
#   the probability that that many leads reach the goal
load tdir.'/common.gp'
set xlabel 'new leads'
set ylabel 'probability of reaching the goal'
set yrange [0:1.05]
set ytics 0.1
set format x '%.0f'
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set arrow 1 from real(p80), graph 0 to real(p80), 0.8 nohead ls 3 lw 2
set arrow 2 from graph 0, first 0.8 to real(p80), 0.8 nohead ls 3 lw 2
set arrow 3 from real(p95), graph 0 to real(p95), 0.95 nohead ls 2 lw 2
set arrow 4 from graph 0, first 0.95 to real(p95), 0.95 nohead ls 2 lw 2
set label 1 sprintf('80%%: %.0f leads', real(p80)) at real(p80), 0.8 offset -0.5,0.6 right front
set label 2 sprintf('95%%: %.0f leads', real(p95)) at real(p95), 0.95 offset -0.5,0.6 right front
plot datafile using 1:2 with steps ls 1 title 'probability of reaching the goal', \
     '+' using (real(point)):(real(point_prob)) every ::0::0 with points pt 7 ps 1.5 lc rgb '#009E73' \
         title sprintf('reverse funnel: %.0f leads (%.0f%% sure)', real(point), 100 * real(point_prob))
