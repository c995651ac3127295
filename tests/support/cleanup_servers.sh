#!/usr/bin/env bash
# Stops and removes the private servers that tests of the build in $1 left
# behind (a test killed by a sanitizer or a timeout cannot clean up itself).
set -u
owner=${1:?usage: cleanup_servers.sh BUILD_DIR}
bindir=$(pg_config --bindir 2>/dev/null)
[[ -x $bindir/pg_ctl ]] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
left=0
for d in /tmp/almanac-test-*; do
  [[ -f $d/owner && $(cat "$d/owner") == "$owner" ]] || continue
  if [[ -f $d/pg/data/postmaster.pid ]]; then
    as=()
    [[ $(id -u) == 0 ]] && as=(runuser -u "$(stat -c %U "$d/pg")" --)
    "${as[@]}" "$bindir/pg_ctl" stop -D "$d/pg/data" -m immediate -w >/dev/null 2>&1
  fi
  rm -rf "$d"
  left=$((left + 1))
done
echo "removed $left leftover test server directories"
