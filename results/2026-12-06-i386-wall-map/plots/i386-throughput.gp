set terminal pngcairo size 1100,500
set output 'i386-throughput.png'
set title 'i386: throughput patched / unpatched (median of the repetitions)' noenhanced
set style data histograms
set style fill solid 0.8 border -1
set xtics rotate by -30
set yrange [0:*]
set ylabel 'ratio'
set grid ytics
plot 'i386-workloads.dat' using 6:xtic(1) notitle, 1 with lines lw 2 title 'same as unpatched'
