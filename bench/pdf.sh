#!/usr/bin/env bash
# The PDF reports at a demo scale, after their KPIs are stored:
#   bench/pdf.sh DEMO_DIR [RUNS]
# DEMO_DIR holds a demo left running, e.g.
#   build/almanac demo --dir /tmp/pdf-s1 --scale 1 --as-of 2026-11-23 --keep-running --quiet
# A first, untimed run of each report computes what is missing (24 months of
# KPIs, seasonality); then RUNS timed runs of: the quarterly review 2026Q3
# (wall time, size, pages), all per-partner PDFs of 2026-10 (partners per
# second) and the weekly review 2026-W43. Medians. Run by hand; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: bench/pdf.sh DEMO_DIR [RUNS]} runs=${2:-5}
wh=$(build/almanac server start --dir "$dir" | sed -n 's/^warehouse: //p')
out=$(mktemp -d /tmp/almanac-bench-pdf-XXXXXX)
trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

build/almanac report review --period 2026Q3 --out "$out" --warehouse "$wh" >/dev/null
build/almanac report partner --period 2026-10 --all --out "$out" --warehouse "$wh" >/dev/null
build/almanac report weekly --period 2026-W43 --out "$out" --warehouse "$wh" >/dev/null

r=(); p=(); w=()
for i in $(seq 1 "$runs"); do
  r+=("$(secs build/almanac report review --period 2026Q3 --out "$out" --warehouse "$wh")")
  p+=("$(secs build/almanac report partner --period 2026-10 --all --out "$out" --warehouse "$wh")")
  w+=("$(secs build/almanac report weekly --period 2026-W43 --out "$out" --warehouse "$wh")")
done
n=$(ls "$out/partners" | wc -l)
rm=$(printf '%s\n' "${r[@]}" | median); pm=$(printf '%s\n' "${p[@]}" | median)
wm=$(printf '%s\n' "${w[@]}" | median)
size=$(stat -c %s "$out/review-2026Q3.pdf")
pages=$(pdfinfo "$out/review-2026Q3.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
psize=$(du -cb "$out"/partners/*.pdf | tail -1 | cut -f1)
printf 'review_2026Q3_s=%.3f review_bytes=%s review_pages=%s\n' "$rm" "$size" "$pages"
printf 'partner_pdfs=%s partner_all_s=%.3f partners_per_s=%.1f partner_mean_bytes=%s\n' "$n" "$pm" \
  "$(echo "$n / $pm" | bc -l)" "$((psize / n))"
printf 'weekly_2026W43_s=%.3f\n' "$wm"
