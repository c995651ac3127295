#!/usr/bin/env bash
# `almanac demo` end to end, as a user runs it: first run generates, second
# reuses and is faster, --fresh starts over, a kill -9 mid-way does not break
# the next run, the same seed gives the same data, and the planted patterns
# really are in the data (tests/demo/verify_demo.sql, computed from the raw
# tables independently of the generator).
set -u
almanac=${1:?usage: test_demo.sh ALMANAC SOURCE_DIR}
src=${2:?usage: test_demo.sh ALMANAC SOURCE_DIR}
owner=${ALMANAC_TEST_OWNER:-manual}
pass=0 fail=0
dirs=()

newdir() {
  local d
  d=$(mktemp -d /tmp/almanac-test-XXXXXX)
  chmod 755 "$d"
  echo "$owner" >"$d/owner"
  dirs+=("$d")
  echo "$d"
}
cleanup() {
  for d in "${dirs[@]}"; do
    "$almanac" server remove --dir "$d" >/dev/null 2>&1
    rm -rf "$d"
  done
}
trap cleanup EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [[ -n ${2:-} ]] && sed 's/^/    /' <<<"$2"; fail=$((fail + 1)); }

args=(--scale 0.01 --seed 7 --as-of 2026-11-23)
conn() { echo "host=$1/pg port=$("$almanac" server start --dir "$1" | sed -n 's/.*port=\([0-9]*\).*/\1/p' | head -1) user=almanac dbname=almanac_source"; }

# 1. First run generates and stops the server.
d1=$(newdir)
t0=$(date +%s.%N)
out=$("$almanac" demo --dir "$d1" "${args[@]}" 2>&1); rc=$?
t1=$(date +%s.%N)
if [[ $rc == 0 && $out == *"generating demo data"* ]]; then ok "first run generates"; else bad "first run generates (exit $rc)" "$out"; fi
"$almanac" server status --dir "$d1" >/dev/null 2>&1
if [[ $? == 69 ]]; then ok "server stopped after the demo"; else bad "server stopped after the demo"; fi

# 2. truth.json is valid JSON with every planted kind.
if python3 - "$d1/truth.json" <<'EOF'; then ok "truth.json has every planted kind"; else bad "truth.json has every planted kind"; fi
import json, sys
doc = json.load(open(sys.argv[1]))
need = ["seasonal_factor", "partner_segment", "partner_growth", "outage", "error_spike",
        "failed_login_burst", "bulk_deletion", "bulk_export", "db_connection_failure",
        "unauthorized_api", "high_value_purchase", "low_credit_partner", "poor_quality_style",
        "perk_low_supply", "perk_selling_out", "brand_low_rsnc", "pending_application",
        "malformed", "hostile_text"]
missing = [k for k in need if not doc["truth"].get(k)]
reasons = {m["reason"] for m in doc["truth"].get("malformed", [])}
want_reasons = {"unknown_enum", "bad_json", "negative_amount", "orphan_reference", "missing_required"}
if missing or not want_reasons <= reasons:
    print("missing kinds:", missing, "missing reasons:", want_reasons - reasons)
    sys.exit(1)
p = doc["params"]
assert p["seed"] == 7 and p["as_of"] == "2026-11-23", p
assert sum(doc["row_counts"].values()) > 10000, doc["row_counts"]
EOF

# 3. Second run reuses the data and is faster.
t2=$(date +%s.%N)
out=$("$almanac" demo --dir "$d1" "${args[@]}" 2>&1); rc=$?
t3=$(date +%s.%N)
first=$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") second=$(awk "BEGIN { printf \"%.2f\", $t3 - $t2 }")
if [[ $rc == 0 && $out == *"reusing demo data"* ]] && awk "BEGIN { exit !($second < $first) }"; then
  ok "second run reuses the data (${first}s then ${second}s)"
else
  bad "second run reuses the data (${first}s then ${second}s, exit $rc)" "$out"
fi

# 4. The planted patterns are in the data, checked from the raw tables.
c1=$(conn "$d1")
out=$(psql "$c1" -X -q -v ON_ERROR_STOP=1 -f "$src/tests/demo/verify_demo.sql" 2>&1); rc=$?
if [[ $rc == 0 ]]; then ok "verify_demo.sql finds every planted pattern"; else bad "verify_demo.sql finds every planted pattern" "$out"; fi

# 4b. The ETL step of the demo quarantined exactly the planted malformed rows,
# each with its planted reason.
w1=${c1/dbname=almanac_source/dbname=almanac_warehouse}
got=$(psql "$w1" -X -At -v ON_ERROR_STOP=1 -c "SELECT source_table || ':' || source_key || ':' || reason_code FROM etl.rejects WHERE resolved_run_id IS NULL ORDER BY 1" 2>&1)
want=$(python3 - "$d1/truth.json" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))["truth"]["malformed"]
print("\n".join(sorted(f"{m['table']}:{m['id']}:{m['reason']}" for m in rows)))
EOF
)
if [[ -n $want && $got == "$want" ]]; then ok "etl quarantined exactly the planted malformed rows"; else bad "etl quarantined exactly the planted malformed rows" "$(diff <(echo "$want") <(echo "$got") | head)"; fi

checksums() {
  psql "$1" -X -At -v ON_ERROR_STOP=1 <<'EOF'
SELECT string_agg(format('%s %s', t, (xpath('/row/m/text()', query_to_xml(
         format('SELECT md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x.id), '''')) AS m FROM public.%I x', t),
         false, true, '')))[1]::text), E'\n' ORDER BY t)
FROM (SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE') s
EOF
}
sum1=$(checksums "$c1")
"$almanac" server stop --dir "$d1" >/dev/null

# 5. Same parameters in another directory give byte-identical tables.
d2=$(newdir)
"$almanac" demo --dir "$d2" "${args[@]}" --quiet >/dev/null 2>&1
c2=$(conn "$d2")
sum2=$(checksums "$c2")
if [[ -n $sum1 && $sum1 == "$sum2" ]]; then ok "same seed, same data"; else bad "same seed, same data" "$(diff <(echo "$sum1") <(echo "$sum2") | head)"; fi

# 6. A different seed changes the data; parameters that differ regenerate.
out=$("$almanac" demo --dir "$d2" --scale 0.01 --seed 8 --as-of 2026-11-23 2>&1); rc=$?
sum3=$(checksums "$(conn "$d2")")
if [[ $rc == 0 && $out == *"other parameters"* && $sum3 != "$sum2" ]]; then ok "another seed regenerates other data"; else bad "another seed regenerates other data (exit $rc)" "$out"; fi
"$almanac" server stop --dir "$d2" >/dev/null

# 7. --fresh starts over.
out=$("$almanac" demo --dir "$d1" "${args[@]}" --fresh 2>&1); rc=$?
if [[ $rc == 0 && $out == *"removing the server"* && $out == *"generating demo data"* ]]; then ok "--fresh starts over"; else bad "--fresh starts over (exit $rc)" "$out"; fi

# 8. kill -9 in the middle of generation, then run again.
d3=$(newdir)
"$almanac" demo --dir "$d3" --scale 0.05 --seed 7 --as-of 2026-11-23 >"$d3/first.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "generating demo data" "$d3/first.log" 2>/dev/null && break
  sleep 0.1
done
sleep 0.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
out=$("$almanac" demo --dir "$d3" --scale 0.05 --seed 7 --as-of 2026-11-23 2>&1); rc=$?
if [[ $rc == 0 && $out == *"generating demo data"* && -s $d3/truth.json ]]; then ok "run after kill -9 completes"; else bad "run after kill -9 completes (exit $rc)" "$out"; fi
"$almanac" server status --dir "$d3" >/dev/null 2>&1
if [[ $? == 69 ]]; then ok "server stopped after the recovered run"; else bad "server stopped after the recovered run"; fi

# 9. --keep-running keeps it, and says how to stop it.
out=$("$almanac" demo --dir "$d3" --scale 0.05 --seed 7 --as-of 2026-11-23 --keep-running 2>&1); rc=$?
"$almanac" server status --dir "$d3" >/dev/null 2>&1; st=$?
if [[ $rc == 0 && $st == 0 && $out == *"almanac server stop"* && $out == *"psql"* ]]; then ok "--keep-running"; else bad "--keep-running (exit $rc, status $st)" "$out"; fi

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
