#!/usr/bin/env bash
# XLSX writer benchmark: ROWS (default 1,000,000) synthetic Transactions rows
# written (1) through the project's writer, (a) by a minimal C program
# calling libxlsxwriter directly, (b) by Python XlsxWriter; the same 13
# columns and cell types. Median wall time of RUNS (default 3) and peak RSS
# (/usr/bin/time -v); the project's RSS also at ROWS/4 to show it is flat.
# usage: bench/xlsx_writer.sh [BUILD_DIR] [ROWS] [RUNS]   (results: docs/benchmarks.md)
set -euo pipefail
build=${1:-build}; rows=${2:-1000000}; runs=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/almanac-bench-xlsx-XXXXXX)
trap 'rm -rf "$work"' EXIT
[[ -f $build/libalmanac_core.a ]] || { echo "build first: ci/build.sh $build" >&2; exit 1; }
libs=$(pkg-config --libs xlsxwriter libpq jansson)
cc -O2 -std=c11 -D_XOPEN_SOURCE=700 -I"$here" "$here/bench/xlsx_project.c" "$build/libalmanac_core.a" \
   $libs -lhpdf -lcsv -lm -o "$work/project"
cc -O2 -std=c11 -D_XOPEN_SOURCE=700 -I"$here/bench" "$here/bench/xlsx_minimal.c" -lxlsxwriter -o "$work/minimal"

# run NAME ROWS CMD...: prints "seconds max_rss_kb"
measure() {
  local out=$work/time.txt
  /usr/bin/time -v -o "$out" "$@" >/dev/null
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$out")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
  echo "$wall $rss"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A T R
for name in project minimal python; do
  : > "$work/$name.t"; : > "$work/$name.r"
done
for ((i = 1; i <= runs; i++)); do
  for name in project minimal python; do
    case $name in
      project) cmd=("$work/project" "$rows" "$work/p.xlsx") ;;
      minimal) cmd=("$work/minimal" "$rows" "$work/m.xlsx") ;;
      python)  cmd=(/usr/bin/python3 "$here/bench/xlsx_xlsxwriter.py" "$rows" "$work/x.xlsx") ;;
    esac
    read -r s r < <(measure "${cmd[@]}")
    echo "$s" >> "$work/$name.t"; echo "$r" >> "$work/$name.r"
    echo "run $i $name: ${s} s, ${r} KB" >&2
  done
done
for name in project minimal python; do
  T[$name]=$(median < "$work/$name.t"); R[$name]=$(median < "$work/$name.r")
done
read -r qs qr < <(measure "$work/project" "$((rows / 4))" "$work/q.xlsx")
sizes=$(stat -c %s "$work/p.xlsx" "$work/m.xlsx" "$work/x.xlsx" | tr '\n' ' ')
echo "rows: $rows, runs: $runs (medians), file sizes project/minimal/python: $sizes bytes"
printf '%-28s %10s %12s\n' writer seconds "peak RSS MB"
for name in project minimal python; do
  printf '%-28s %10.2f %12.1f\n' "$name" "${T[$name]}" "$(echo "${R[$name]} / 1024" | bc -l)"
done
printf '%-28s %10.2f %12.1f\n' "project, $((rows / 4)) rows" "$qs" "$(echo "$qr / 1024" | bc -l)"
echo "project / minimal C: $(echo "${T[project]} / ${T[minimal]}" | bc -l | cut -c1-5) (target <= 1.2)"
echo "python / project:    $(echo "${T[python]} / ${T[project]}" | bc -l | cut -c1-5) (target >= 3.5)"
