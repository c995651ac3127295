#!/usr/bin/env bash
# KPIs of one month and alerts of one day, on the demo at a chosen scale.
#   bench/kpi_alerts.sh [SCALE] [RUNS] [MONTH] [DAY]
# Uses (or makes) the demo in /tmp/almanac-bench-kpi-SCALE; prints the
# medians of RUNS runs and the per-file timings of the last KPI run.
# Targets (issue #4, at S=10): all KPIs of a month under 10 s, all alerts of
# a day under 2 s. Run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1} runs=${2:-3} month=${3:-2026-10} day=${4:-2026-10-15}
[[ -x build/almanac ]] || ci/build.sh build
dir=${ALMANAC_BENCH_DIR:-/tmp/almanac-bench-kpi-$scale}
mkdir -p "$dir"; chmod 755 "$dir"
trap 'build/almanac server stop --dir "$dir" >/dev/null 2>&1 || true' EXIT
# The source data (reused when the directory has them), then the ETL: a
# full load the first time, a no-op after. No reports: not what is timed.
build/almanac demo --dir "$dir" --scale "$scale" --as-of 2026-11-23 --data-only --keep-running --quiet >/dev/null
conn=$(build/almanac server start --dir "$dir")
src=$(sed -n 's/^source: *//p' <<<"$conn") wh=$(sed -n 's/^warehouse: *//p' <<<"$conn")
build/almanac etl --source "$src" --warehouse "$wh" >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
kpi=() alerts=()
for i in $(seq 1 "$runs"); do
  kpi+=("$(secs build/almanac kpi --warehouse "$wh" --period "$month")")
  alerts+=("$(secs build/almanac alerts --warehouse "$wh" --day "$day" --quiet)")
  echo "run $i: kpi ${kpi[-1]} s, alerts ${alerts[-1]} s" >&2
done
echo "scale=$scale runs=$runs load=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "kpi_month_median_s=$(printf '%s\n' "${kpi[@]}" | median)"
echo "alerts_day_median_s=$(printf '%s\n' "${alerts[@]}" | median)"
echo "last KPI run, per metric file:"
build/almanac kpi --warehouse "$wh" --period "$month" --verbose 2>&1 >/dev/null | sort -k3 -rn | head -8
