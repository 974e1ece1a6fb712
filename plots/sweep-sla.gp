# sweep-sla.gp - SLA attainment against the MQL threshold, the pick circled.
# datafile columns: threshold, sla_attainment (rows whose queue was replayed)
# rec, rec_y: the recommended threshold and its attainment, or ''; rec_label:
#   the threshold rounded; target: the sla:P target or ''; target_label: words;
#   xmin, xmax: the thresholds drawn, or ''
load tdir.'/common.gp'
set xlabel 'MQL threshold (points)'
set ylabel 'share of hand-offs followed up within the SLA'
set yrange [0:1.05]
if (xmin ne '') {
    set xrange [real(xmin):real(xmax)]
} else {
    set autoscale xfix
}
set offsets graph 0.02, graph 0.02, 0, 0
if (target ne '') {
    set arrow 2 from graph 0, first real(target) to graph 1, first real(target) nohead ls 9 front
    set label 2 target_label at graph 0.99, first real(target) offset 0,-0.8 right front noenhanced
}
if (rec ne '') {
    set label 1 'recommended: '.rec_label at real(rec), real(rec_y) offset 1.5,-1.5 left front noenhanced
    plot datafile using 1:2 with linespoints lc rgb '#0072B2' lw 2 dt 1 pt 7 ps 0.5 title 'SLA attainment', \
         '+' using (real(rec)):(real(rec_y)) every ::0::0 with points pt 6 ps 4 lw 3 lc rgb '#D55E00' title 'recommended'
} else {
    plot datafile using 1:2 with linespoints lc rgb '#0072B2' lw 2 dt 1 pt 7 ps 0.5 title 'SLA attainment'
}
