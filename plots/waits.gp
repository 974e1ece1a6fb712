# waits.gp - the distribution of waits from hand-off to follow-up, in business hours, with the SLA.
# datafile columns: bin start (hours), bin width (hours), hand-offs in the bin
# sla: the SLA in business hours, or ''; sla_label: the same for the key;
# sla_side: 'left' or 'right', the side of the line its label goes
load tdir.'/common.gp'
set xlabel 'wait (business hours, from hand-off to follow-up)'
set ylabel 'hand-offs'
set yrange [0:*]
set xrange [0:*]
set offsets 0, 0, graph 0.1, 0
set style fill solid 0.6 border lc rgb '#0072B2'
if (sla ne '') {
    set arrow 1 from real(sla), graph 0 to real(sla), graph 1 nohead ls 3 lw 3 front
    if (sla_side eq 'left') {
        set label 1 'SLA: '.sla_label.' h' at real(sla), graph 0.95 right offset -0.6,0 front noenhanced
    } else {
        set label 1 'SLA: '.sla_label.' h' at real(sla), graph 0.95 left offset 0.6,0 front noenhanced
    }
}
plot datafile using ($1 + $2 / 2):3:2 with boxes lc rgb '#0072B2' title 'hand-offs per bin'
