#!/usr/bin/env bash
# CSV export of about 1,000,000 rows against psql's \copy of the same query.
#   bench/csv_export.sh [DEMO_DIR] [RUNS]
# DEMO_DIR holds a scale-1 demo (2.2 million generations); it is created
# when missing and left running (stop it: build/almanac server stop --dir DIR).
# (a) psql -c "\copy (generations.sql) TO file CSV HEADER", the same SELECT,
#     settings and rows: the server formats the CSV, psql writes it
# (b) almanac report exports --only generations --from DAY --to 2026-10-31:
#     COPY text, converted to CSV with the formula guard, CRLF, fsync+rename
# DAY is the local day of the millionth-newest generation, so both write
# the newest >= 1,000,000 generations. Medians of RUNS interleaved runs;
# prints csv_vs_copy_ratio=(b)/(a) and almanac's peak RSS. Run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/csv-bench} runs=${2:-5}
[[ -x build/almanac ]] || ci/build.sh build
mkdir -p "$dir"; chmod 755 "$dir"
if [[ ! -f $dir/truth.json ]]; then
  build/almanac demo --dir "$dir" --scale 1 --as-of 2026-11-23 --keep-running --quiet >/dev/null
fi
eval "$(build/almanac server start --dir "$dir" | sed 's/^source: */src="/; s/^warehouse: */wh="/; s/$/"/')"
out=$(mktemp -d /tmp/csv-bench-out-XXXXXX)
trap 'rm -rf "$out"' EXIT

to=2026-10-31
from=$(psql "$wh" -X -qAt -c "SET TimeZone = 'UTC'" -c \
  "SELECT created_at::date FROM dw.fact_generation WHERE created_at < date '$to' + 1
   ORDER BY created_at DESC OFFSET 999999 LIMIT 1")
next=$(date -d "$to + 1 day" +%F)
# The export's SELECT on one line for \copy, with the settings almanac sets
# (a script file: the SELECT's quoted column names would fight shell quoting).
select=$(grep -v '^ *--' schemas/reports/exports/generations.sql | tr '\n' ' ' | sed 's/;* *$//')
{
  echo "SET TimeZone = 'UTC';"
  echo "SET almanac.export_from = '$from';"
  echo "SET almanac.export_to = '$next';"
  echo "\\copy ($select) TO '$out/psql.csv' CSV HEADER"
} >"$out/copy.psql"
copy_cmd="psql \"$wh\" -X -q -f $out/copy.psql"
almanac_cmd="build/almanac report exports --warehouse \"$wh\" --only generations --from $from --to $to --out $out"

# Interleaved, in alternating order, after one warm-up of each: on a shared
# machine the load drifts, and back-to-back blocks would charge it to one side.
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
bash -c "$copy_cmd"; bash -c "$almanac_cmd" >/dev/null
: >"$out/psql.times"; : >"$out/almanac.times"
for i in $(seq 1 "$runs"); do
  for which in $( ((i % 2)) && echo "psql almanac" || echo "almanac psql"); do
    cmd=$copy_cmd; [[ $which == almanac ]] && cmd=$almanac_cmd
    t0=$(now); bash -c "$cmd" >/dev/null; t1=$(now)
    awk "BEGIN {print $t1 - $t0}" >>"$out/$which.times"
  done
  echo "run $i: psql $(tail -1 "$out/psql.times") s, almanac $(tail -1 "$out/almanac.times") s" >&2
done
/usr/bin/time -v -o "$out/time.txt" bash -c "$almanac_cmd --verbose" >"$out/verbose.txt"
rows=$(awk '/generations-/ {print $2}' "$out/verbose.txt")
a=$(median <"$out/psql.times") b=$(median <"$out/almanac.times")
rss=$(awk '/Maximum resident set size/ {printf "%.1f", $NF / 1024}' "$out/time.txt")
echo "range $from .. $to: $rows rows; psql file $(wc -c <"$out/psql.csv") bytes, almanac file $(wc -c <"$out/generations-${from}_$to.csv") bytes"
echo "psql_copy_median_s=$a almanac_median_s=$b csv_vs_copy_ratio=$(awk "BEGIN {printf \"%.3f\", $b / $a}") almanac_peak_rss_mb=$rss"
