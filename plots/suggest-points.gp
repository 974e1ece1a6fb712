# suggest-points.gp - suggested against current points per feature, with intervals.
# datafile: columns index, label, current points, suggested points, interval low,
#   interval high (NaN for a feature that was not estimated); labels are plain text
#   (no separator or quote) and are printed noenhanced.
load tdir.'/common.gp'
set ylabel 'points'
set xtics rotate by -40 left noenhanced font 'Sans,11'
set offsets 0.5, 0.5, 0, 0
set xzeroaxis lt -1 lw 1
set bmargin 9
plot datafile using 1:4:5:6:xtic(2) with yerrorbars ls 2 title 'suggested (95% interval)', \
     datafile using 1:3 with points ls 3 pt 9 ps 1.6 title 'current'
