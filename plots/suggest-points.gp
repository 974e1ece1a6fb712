# suggest-points.gp - suggested against current points per feature, with intervals.
# datafile: columns index, label, current points, suggested points, interval low,
#   interval high (NaN for a feature that was not estimated); labels are plain text
#   (no separator or quote) and are printed noenhanced.
# One row per feature, the first at the top.
load tdir.'/common.gp'
set xlabel 'points'
set ytics noenhanced font 'Sans,11' nomirror
set yrange [*:*] reverse
set offsets 0, 0, 0.6, 0.6
set lmargin 28
set grid xtics ytics
set style line 20 lc rgb '#0072B2' lw 2 dt 1 pt 5 ps 1.1
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444' lw 1 back
plot datafile using 4:1:5:6:ytic(2) with xerrorbars ls 20 title 'suggested (95% interval)', \
     datafile using 3:1 with points ls 3 pt 9 ps 1.4 title 'current'
