# heatmap.gp - one measure over the (threshold, fit threshold) grid of two-axis mode.
# datafile: rows threshold, fit_threshold, value, one block of rows per
#   threshold separated by a blank line (NaN: not drawn, left grey);
# zlabel: what the colour shows; pick_T, pick_F: the recommended cell or '';
# xmin, xmax: the behaviour thresholds drawn
load tdir.'/common.gp'
set view map
set autoscale fix
set xrange [real(xmin):real(xmax)]
set xlabel 'behaviour threshold (points)'
set ylabel 'fit threshold (points)'
set cblabel zlabel noenhanced
# viridis: perceptually uniform and monotonic in lightness, so it reads in grey
set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')
set pm3d map corners2color c1
# cells left out (too few leads) show this grey behind the surface
set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb '#bbbbbb' fs solid 1.0 noborder
unset key
if (pick_T ne '') {
    set label 1 '' at real(pick_T), real(pick_F), 0 point pt 6 ps 3.5 lw 3 lc rgb '#D55E00' front
    set style textbox opaque noborder
    set label 2 'recommended' at real(pick_T), real(pick_F), 0 offset 2,1.5 front boxed tc rgb '#000000' noenhanced
}
splot datafile using 1:2:3 with pm3d
