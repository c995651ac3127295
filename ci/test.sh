#!/usr/bin/env bash
# Quick start, line 2: installs what is missing, then builds and runs the
# whole suite twice through ctest: a normal build with warnings as errors,
# and a build under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh test

echo "== build (warnings are errors)"
ci/build.sh build
(cd build && ctest --output-on-failure --timeout 1200)

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
ci/build.sh build-asan -DALMANAC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure --timeout 1800)
