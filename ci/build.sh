#!/usr/bin/env bash
# Configures and builds one build directory: ci/build.sh DIR [cmake options...]
set -euo pipefail
dir=${1:?usage: ci/build.sh DIR [CMAKE_OPTIONS...]}; shift
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null
