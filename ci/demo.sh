#!/usr/bin/env bash
# Quick start, line 1: installs what is missing, builds, and runs
# `almanac demo` on a private PostgreSQL server. Extra arguments go to
# `almanac demo` (e.g. --scale 0.01, --fresh, --keep-running).
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh build
echo "building almanac in build/ ..." >&2
ci/build.sh build

dir=${ALMANAC_DEMO_DIR:-$PWD/almanac-demo}
# As root the server runs as "postgres", which cannot enter e.g. /root (mode
# 0700); then keep the demo where it can.
if [[ $(id -u) == 0 ]] && ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
  echo "note: account postgres cannot reach $(dirname "$dir"); using /var/tmp/almanac-demo" >&2
  dir=/var/tmp/almanac-demo
fi
exec build/almanac demo --dir "$dir" "$@"
