# queue.gp - the follow-up queue per ISO week: backlog at the week's end and the share of its hand-offs within the SLA.
# datafile: block 0: week_start (YYYY-MM-DD), backlog_end, share of the week's
#   hand-offs that met the SLA (NaN: no hand-off, or no SLA); block 1 (when
#   nholidays > 0): holiday dates (YYYY-MM-DD), one a line
# nholidays: how many holidays fall in the weeks drawn; target: the SLA
#   target share, or ''; target_label: the same in words
load tdir.'/common.gp'
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y-%m'
set xtics rotate by -30
set autoscale xfix
set xlabel 'week (ISO weeks starting Monday, UTC)'
set ylabel 'waiting at the end of the week (hand-offs)'
set y2label 'share of the week''s hand-offs within the SLA'
set yrange [0:*]
set y2range [0:1.05]
set y2tics 0, 0.2, 1
set ytics nomirror
set offsets 0, 0, graph 0.1, 0
set style fill solid 0.35 noborder

hol = int(nholidays)
if (target ne '') {
    set arrow 2 from graph 0, second real(target) to graph 1, second real(target) nohead ls 9 front
    set label 2 target_label at graph 0.01, second real(target) offset 0,0.6 left front noenhanced
}
if (hol > 0) {
    plot datafile index 0 using 1:2 with steps lc rgb '#0072B2' lw 2 dt 1 title 'backlog at the week''s end', \
         '' index 0 using 1:3 axes x1y2 with linespoints ls 3 title 'share within the SLA', \
         '' index 1 using 1:(1.05) axes x1y2 with impulses ls 4 title 'holiday'
} else {
    plot datafile index 0 using 1:2 with steps lc rgb '#0072B2' lw 2 dt 1 title 'backlog at the week''s end', \
         '' index 0 using 1:3 axes x1y2 with linespoints ls 3 title 'share within the SLA'
}
