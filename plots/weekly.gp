# weekly.gp - hand-offs per ISO week over time, with the team's capacity.
# datafile: blocks separated by two blank lines (one per series), columns
#   week_start (YYYY-MM-DD), handoffs; nseries: how many (1 to 3); name1,
#   name2, name3: their labels; capacity: hand-offs the team follows up per
#   week, or ''; capacity_label: the same, rounded for the key
load tdir.'/common.gp'
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y-%m'
set xtics rotate by -30
set rmargin 6
set autoscale xfix
set xlabel 'week (ISO weeks starting Monday, UTC)'
set ylabel 'hand-offs per week (leads)'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0

n = int(nseries)
nm(i) = i == 1 ? name1 : i == 2 ? name2 : name3
if (capacity ne '') {
    plot for [i=1:n] datafile index i-1 using 1:2 with steps ls i title nm(i), \
         real(capacity) with lines ls 9 title 'capacity ('.capacity_label.' per week)'
} else {
    plot for [i=1:n] datafile index i-1 using 1:2 with steps ls i title nm(i)
}
