#!/usr/bin/env bash
# Installs the Debian packages almanac needs, if any are missing.
#   ci/deps.sh build   what building and running the demo needs
#   ci/deps.sh test    that, plus what the test suite's checkers need
# As root it installs them (apt-get update first); as anyone else it prints
# the one apt-get line to run and exits 1.
set -euo pipefail

build_pkgs=(gcc make cmake pkg-config libpq-dev libxlsxwriter-dev libhpdf-dev libcsv-dev
            libjansson-dev libcmocka-dev postgresql postgresql-client fonts-dejavu-core)
test_pkgs=(poppler-utils python3 python3-openpyxl python3-xlsxwriter python3-statsmodels
           python3-psycopg2 groff-base hyperfine)

case ${1:-build} in
  build) want=("${build_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: ci/deps.sh build|test" >&2; exit 64 ;;
esac

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) != 0 ]]; then
  echo "almanac needs these Debian packages; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
