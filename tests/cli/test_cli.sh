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
check "not yet built says so"         64 'not yet built'  -- "$almanac" kpi --period 2026-10
check "server needs an action"        64 'say one of start' -- "$almanac" server
check "server unknown action"         64 'unknown action "restart"' -- "$almanac" server restart
check "status of a missing server"    69 'not running' -- "$almanac" server status --dir "/tmp/almanac-test-none-$$"
rm -rf "/tmp/almanac-test-none-$$"
check "help output to a full disk"    73 'writing output failed' -- bash -c "$almanac --help > /dev/full"
check "missing server binaries"       78 'no initdb and pg_ctl' -- env ALMANAC_PG_BINDIR=/nonexistent "$almanac" server start --dir "/tmp/almanac-test-none-$$"
rm -rf "/tmp/almanac-test-none-$$"

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
