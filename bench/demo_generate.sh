#!/usr/bin/env bash
# Times demo data generation at a scale (default 1) on a fresh private
# server, several runs, and prints the median and the row counts per table.
#   bench/demo_generate.sh [SCALE] [RUNS]
# Run by hand; not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1} runs=${2:-3}
[[ -x build/almanac ]] || ci/build.sh build
dir=$(mktemp -d /tmp/almanac-bench-XXXXXX)
chmod 755 "$dir"
trap 'build/almanac server remove --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT

times=()
for i in $(seq 1 "$runs"); do
  build/almanac server remove --dir "$dir" >/dev/null 2>&1 || true
  build/almanac server start --dir "$dir" >/dev/null
  out=$(build/almanac demo --dir "$dir" --scale "$scale" --as-of 2026-11-23 --keep-running)
  t=$(sed -n 's/^almanac demo: generated in \([0-9.]*\) s$/\1/p' <<<"$out")
  times+=("$t")
  echo "run $i: generation ${t} s"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "scale=$scale runs=$runs generation_median_s=$median"
python3 - "$dir/truth.json" <<'PY'
import json, sys
counts = json.load(open(sys.argv[1]))["row_counts"]
for t, n in sorted(counts.items(), key=lambda kv: -kv[1]):
    print(f"  {t:24} {n:>12,}")
print(f"  {'total':24} {sum(counts.values()):>12,}")
PY
