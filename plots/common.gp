# common.gp - terminal, fonts and line styles shared by every leadsim plot.
#
# leadsim runs each template as: gnuplot -e "fmt='svg'; outfile='...'; ..." NAME.gp
# Variables it always sets: fmt ('svg' or 'png'), outfile, tdir (this folder),
# datafile, title_text. Edit these files to restyle every plot.
if (fmt eq 'svg') {
    set terminal svg size 1000,600 font 'Sans,16' background rgb 'white'
} else {
    set terminal pngcairo size 1000,600 font 'Sans,16' background rgb 'white'
}
set output outfile
set datafile separator ','
set datafile missing 'NaN'
set title title_text noenhanced font 'Sans,18'
set key noenhanced below center horizontal samplen 3 spacing 1.1
set grid lc rgb '#dddddd' lw 1
set border lw 1.5
set tics nomirror
# Distinct in colour (Okabe-Ito), lightness, dash pattern and point shape, so
# each series can still be told apart when printed in grey.
set style line 1 lc rgb '#000000' lw 3 dt 1 pt 7 ps 1.2
set style line 2 lc rgb '#0072B2' lw 3 dt 2 pt 5 ps 1.2
set style line 3 lc rgb '#D55E00' lw 3 dt 4 pt 9 ps 1.4
set style line 4 lc rgb '#999999' lw 3 dt 3 pt 11 ps 1.4
set style line 5 lc rgb '#009E73' lw 3 dt 5 pt 13 ps 1.4
set style line 6 lc rgb '#CC79A7' lw 3 dt 6 pt 3 ps 1.4
set style line 9 lc rgb '#444444' lw 2 dt 2
