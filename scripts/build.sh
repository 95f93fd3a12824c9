#!/usr/bin/env bash
# Configures and builds llmeval into build/ (RelWithDebInfo). Extra arguments are passed to `cmake --build`,
# e.g. `scripts/build.sh --target llmeval`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j"$jobs" "$@"
