set terminal pngcairo size 1100,500
set output 'x86_64-throughput.png'
set title 'x86_64: throughput patched / unpatched (median of the repetitions)' noenhanced
set style data histograms
set style fill solid 0.8 border -1
set xtics rotate by -30
set yrange [0:*]
set ylabel 'ratio'
set grid ytics
plot 'x86_64-workloads.dat' using 6:xtic(1) notitle, 1 with lines lw 2 title 'same as unpatched'
