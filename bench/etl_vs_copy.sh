#!/usr/bin/env bash
# ETL full load against the raw limit, then an incremental run.
#   bench/etl_vs_copy.sh [SCALE] [RUNS]
# (a) raw limit: for every source table, psql \copy (SELECT cols ...) TO STDOUT
#     piped into psql \copy staging.<table> FROM STDIN (the same rows and
#     columns, no validation, no transform)
# (b) almanac etl, full load into an empty warehouse (wall time, peak RSS)
# (c) almanac etl after one more day of source data (bench/one_more_day.sql),
#     one day after another
# Medians of RUNS runs; prints etl_vs_copy_ratio=(b)/(a). Run by hand.
# ALMANAC_BENCH_DIR: the demo's directory (default /tmp/almanac-bench-etl-SCALE),
# for a second benchmark on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1} runs=${2:-3}
[[ -x build/almanac ]] || ci/build.sh build
dir=${ALMANAC_BENCH_DIR:-/tmp/almanac-bench-etl-$scale}
mkdir -p "$dir"; chmod 755 "$dir"
trap 'build/almanac server stop --dir "$dir" >/dev/null 2>&1 || true' EXIT

build/almanac demo --dir "$dir" --scale "$scale" --as-of 2026-11-23 --keep-running --quiet >/dev/null
eval "$(build/almanac server start --dir "$dir" | sed 's/^source: */src="/; s/^warehouse: */wh="/; s/$/"/')"
admin=${wh/almanac_warehouse/postgres}
bench=${wh/almanac_warehouse/almanac_bench}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fresh_db() {
  psql "$admin" -X -q -c "DROP DATABASE IF EXISTS almanac_bench WITH (FORCE)" -c "CREATE DATABASE almanac_bench"
}
tables=$(sed -n 's/.*TABLE("\([a-z_]*\)".*/\1/p' etl/catalog.c)

raw=() full=() rss=() inc=()
for i in $(seq 1 "$runs"); do
  # (a) the raw limit, into the same staging tables the ETL uses
  fresh_db; build/almanac migrate --warehouse "$bench" >/dev/null
  t0=$(date +%s.%N)
  for t in $tables; do
    cols=$(sed -n '/SELECT/,/FROM/p' "schemas/etl/extract/$t.sql" | sed 's/COPY (SELECT//; s/FROM.*//' | tr -d ' \n')
    psql "$src" -X -q -c "\\copy (SELECT $cols FROM public.$t) TO STDOUT" |
      psql "$bench" -X -q -c "\\copy staging.$t ($cols) FROM STDIN"
  done
  t1=$(date +%s.%N)
  raw+=("$(awk "BEGIN {print $t1 - $t0}")")

  # (b) almanac etl, full load
  fresh_db
  /usr/bin/time -v -o "$dir/time.txt" build/almanac etl --source "$src" --warehouse "$bench" --json >"$dir/etl.json"
  full+=("$(awk '/Elapsed \(wall clock\)/ {n=split($NF, p, ":"); s=0; for (k=1; k<=n; k++) s = s*60 + p[k]; print s}' "$dir/time.txt")")
  rss+=("$(awk '/Maximum resident set size/ {print $NF/1024}' "$dir/time.txt")")
  echo "run $i: raw copy ${raw[-1]} s, etl full ${full[-1]} s, peak RSS ${rss[-1]} MB" >&2
done

# (c) one more day, then an incremental run (into the demo warehouse, which
# is current), RUNS times: each application adds the day after the last.
# The pause lets the day's rows fall before the run's horizon (five seconds
# before it starts; docs/etl.md), as a day written over a day would: rows
# written in the last seconds before a run are read again by the next one,
# and that overlap is not what this measures. Then the runs with nothing new.
one=()
for i in $(seq 1 "$runs"); do
  added=$(psql "$src" -X -At -f bench/one_more_day.sql | tail -1)
  sleep 6
  build/almanac etl --source "$src" --warehouse "$wh" --json >"$dir/inc.json"
  one+=("$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$dir/inc.json")")
  echo "day $i: etl ${one[-1]} s" >&2
done
sleep 6
for i in $(seq 1 "$runs"); do
  build/almanac etl --source "$src" --warehouse "$wh" --json >"$dir/empty.json"
  inc+=("$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$dir/empty.json")")
done
psql "$src" -X -q -c "DELETE FROM generations WHERE id > 1000000000" \
  -c "DELETE FROM api_requests WHERE id > 1000000000" -c "DELETE FROM health_checks WHERE id > 1000000000" \
  -c "DELETE FROM activity_log WHERE id > 1000000000" -c "DELETE FROM credit_transactions WHERE id > 1000000000" \
  -c "DELETE FROM loyalty_transactions WHERE id > 1000000000"

rows=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["read"])' "$dir/etl.json")
raw_m=$(printf '%s\n' "${raw[@]}" | median)
full_m=$(printf '%s\n' "${full[@]}" | median)
rss_m=$(printf '%s\n' "${rss[@]}" | median)
inc_empty=$(printf '%s\n' "${inc[@]}" | median)
echo "scale=$scale rows=$rows runs=$runs"
echo "raw_copy_median_s=$raw_m"
echo "etl_full_median_s=$full_m"
echo "etl_peak_rss_mb=$rss_m"
echo "etl_incremental_one_day_median_s=$(printf '%s\n' "${one[@]}" | median) (runs: ${one[*]}; source rows added over the days: $added)"
echo "etl_incremental_empty_median_s=$inc_empty"
echo "etl_vs_copy_ratio=$(awk "BEGIN {printf \"%.2f\", $full_m / $raw_m}")"
/usr/bin/python3 - "$dir/etl.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("full-load steps (last run):")
for t in d["tables"]:
    if t["seconds"] >= 0.5:
        print(f"  extract {t['name']:24} {t['seconds']:6.2f} s")
for s in d["steps"]:
    if s["seconds"] >= 0.2:
        print(f"  {s['name']:32} {s['seconds']:6.2f} s")
PY
