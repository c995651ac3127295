#!/usr/bin/env bash
# cmake --install puts the program, its job files, the SQL, the man page and
# the docs where a packager expects them, and the installed program works.
#   test_install.sh BUILD_DIR
set -u
build=$1
prefix=$(mktemp -d /tmp/almanac-test-install-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
fail=0 pass=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass+1)); else echo "FAIL $1"; fail=$((fail+1)); fi; }

cmake --install "$build" --prefix "$prefix" >/dev/null 2>&1
check "cmake --install succeeds"                 "[ -x '$prefix/bin/almanac' ]"
check "four job files"                            "[ \$(ls '$prefix/share/almanac/jobs/'*.json | wc -l) -eq 4 ]"
check "warehouse migrations for reference"        "ls '$prefix/share/almanac/schemas/warehouse/'001_*.sql >/dev/null"
check "man page in man1"                          "[ -s '$prefix/share/man/man1/almanac.1' ]"
check "man page renders with every command"       "man -l '$prefix/share/man/man1/almanac.1' 2>/dev/null | grep -q 'almanac run JOB' || groff -man -Tutf8 '$prefix/share/man/man1/almanac.1' 2>/dev/null | grep -q 'almanac run JOB'"
check "man page and --help say the same"          "'$prefix/bin/almanac' run --help | head -1 | grep -qF 'Usage: almanac run JOB'"
check "docs installed"                            "[ -s '$prefix/share/doc/almanac/configuration.md' ]"
out=$("$prefix/bin/almanac" run daily --jobs-dir "$prefix/share/almanac/jobs" --period nope 2>&1); rc=$?
check "installed program reads installed job files (then rejects the period: 64)" "[ $rc -eq 64 ] && echo \"\$out\" | grep -q 'is not a month'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
