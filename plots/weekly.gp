# weekly.gp - hand-offs per ISO week over time, with the team's capacity.
# datafile: blocks separated by two blank lines (one per threshold), columns
#   week_start (YYYY-MM-DD), handoffs; names: the series' labels separated by
#   spaces; capacity: hand-offs the team follows up per week, or ''
load tdir.'/common.gp'
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y-%m'
set xtics rotate by -30
set xlabel 'week (ISO weeks starting Monday, UTC)'
set ylabel 'hand-offs per week (leads)'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0

n = words(names)
if (capacity ne '') {
    plot for [i=1:n] datafile index i-1 using 1:2 with steps ls i title word(names, i), \
         real(capacity) with lines ls 9 title 'capacity'
} else {
    plot for [i=1:n] datafile index i-1 using 1:2 with steps ls i title word(names, i)
}
