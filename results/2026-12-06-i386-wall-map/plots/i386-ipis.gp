set terminal pngcairo size 1100,500
set output 'i386-ipis.png'
set title 'i386: kernel TLB invalidations (kprobes), IPIs sent (perf stat -a) and TLB shootdowns received (/proc/interrupts) per MB' noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -30
set logscale y
set yrange [0.01:*]
set ylabel 'events per MB (log)'
set grid ytics
plot 'i386-workloads.dat' using ($7+0.01):xtic(1) title 'kernel invalidations unpatched', \
     '' using ($8+0.01) title 'kernel invalidations patched', \
     '' using ($2+0.01) title 'IPIs unpatched', \
     '' using ($3+0.01) title 'IPIs patched', \
     '' using ($4+0.01) title 'TLB shootdowns unpatched', \
     '' using ($5+0.01) title 'TLB shootdowns patched'
