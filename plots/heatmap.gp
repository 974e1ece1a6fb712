# heatmap.gp - one measure over the (threshold, fit threshold) grid of two-axis mode.
# datafile: rows threshold, fit_threshold, value, one block of rows per
#   threshold separated by a blank line; zlabel: what the colour shows
load tdir.'/common.gp'
set view map
set autoscale fix
set xlabel 'behaviour threshold (points)'
set ylabel 'fit threshold (points)'
set cblabel zlabel noenhanced
# viridis: perceptually uniform and monotonic in lightness, so it reads in grey
set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')
set pm3d map corners2color c1
unset key
splot datafile using 1:2:3 with pm3d
