#!/usr/bin/env bash
# The command line as a newcomer meets it: help, version, and the exit code
# and one-line message of each kind of mistake.
set -u
almanac=${1:?usage: test_cli.sh ALMANAC}
pass=0 fail=0

check() { # check NAME EXPECTED_RC PATTERN -- command...
  local name=$1 want=$2 pattern=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [[ $rc != "$want" ]]; then
    echo "FAIL $name: exit $rc, wanted $want"; echo "$out" | sed 's/^/    /'; fail=$((fail+1)); return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | sed 's/^/    /'; fail=$((fail+1)); return
  fi
  echo "ok   $name"; pass=$((pass+1))
}

check "help lists every command"      0  'demo .*etl .*kpi' -- bash -c "$almanac --help | tr '\n' ' '"
check "help lists exit codes"         0  '75  temporary'    -- "$almanac" --help
check "version"                       0  '^almanac [0-9]+\.[0-9]+\.[0-9]+$' -- "$almanac" --version
check "no command is a usage error"   64 'Usage: almanac'   -- "$almanac"
check "unknown command"               64 '^almanac: error: unknown command "frobnicate"' -- "$almanac" frobnicate
check "unknown global option"         64 'unknown option "--frob"' -- "$almanac" --frob
check "command help"                  0  'Usage: almanac demo' -- "$almanac" demo --help
check "help COMMAND"                  0  'Usage: almanac server' -- "$almanac" help server
check "every listed command has help" 0  'Usage: almanac report' -- "$almanac" report --help
check "unknown demo option"           64 'unknown option "--bogus"' -- "$almanac" demo --bogus
check "missing option value"          64 'option --scale needs a value' -- "$almanac" demo --scale
check "bad scale"                     64 '--scale must be a number' -- "$almanac" demo --scale 0
check "bad as-of date"                64 '--as-of must be a date' -- "$almanac" demo --as-of 2026-02-30
check "bad seed"                      64 '--seed must be' -- "$almanac" demo --seed -3
check "unknown job"                   78 'no job file for "nosuchjob"' -- "$almanac" run nosuchjob
check "kpi bad month"                 64 'period "2026-13" is not a month' -- "$almanac" kpi --period 2026-13
check "kpi ISO week out of range"     64 '2026 has ISO weeks 1 to 53' -- "$almanac" kpi --period 2026-W54
check "kpi needs a period"            64 'give --period or --window' -- "$almanac" kpi
check "kpi --as-of needs --window"    64 '--as-of goes with --window' -- "$almanac" kpi --period 2026-10 --as-of 2026-10-31
check "kpi bad window"                64 'window "14d" is not 7d, 30d or 90d' -- "$almanac" kpi --window 14d --as-of 2026-10-31 --warehouse "host=/nonexistent"
check "kpi bad format"                64 '--format must be table, csv or json' -- "$almanac" kpi --period 2026-10 --format xml
check "kpi no warehouse"              78 'no warehouse database given' -- env -u ALMANAC_WAREHOUSE "$almanac" kpi --period 2026-10
printf '{"benchmarks": {"uptime_pct": {"good_min": "high"}}}' > "/tmp/almanac-cli-config-$$.json"
check "kpi config names the key"      78 'benchmarks.uptime_pct.good_min: expected a number' -- "$almanac" kpi --period 2026-10 --config "/tmp/almanac-cli-config-$$.json"
printf '{"time_zne": "UTC"}' > "/tmp/almanac-cli-config-$$.json"
check "config unknown key via env"    78 'time_zne: unknown key' -- env ALMANAC_CONFIG="/tmp/almanac-cli-config-$$.json" "$almanac" etl --source x --warehouse y
rm -f "/tmp/almanac-cli-config-$$.json"
check "server needs an action"        64 'say one of start' -- "$almanac" server
check "server unknown action"         64 'unknown action "restart"' -- "$almanac" server restart
check "status of a missing server"    69 'not running' -- "$almanac" server status --dir "/tmp/almanac-test-none-$$"
rm -rf "/tmp/almanac-test-none-$$"
check "help output to a full disk"    73 'writing output failed' -- bash -c "$almanac --help > /dev/full"
check "missing server binaries"       78 'no initdb and pg_ctl' -- env ALMANAC_PG_BINDIR=/nonexistent "$almanac" server start --dir "/tmp/almanac-test-none-$$"
rm -rf "/tmp/almanac-test-none-$$"

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
