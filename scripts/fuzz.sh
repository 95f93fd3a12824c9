#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (LLMEVAL_FUZZ=ON, every library instrumented) into build-fuzz/ and runs
# each for a bounded time (default 30 s; first argument overrides). Exits non-zero on any finding.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is not installed (apt-get install clang)" >&2
  exit 1
fi
CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMEVAL_FUZZ=ON \
  -DLLMEVAL_BUILD_TESTS=OFF -DLLMEVAL_BUILD_BENCH=OFF >/dev/null
targets=$(cd "$root/tests/fuzz" && ls *_fuzzer.cc | sed 's/\.cc$//')
cmake --build "$root/build-fuzz" -j"$(nproc 2>/dev/null || echo 2)" --target $targets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in $targets; do
  mkdir -p "$work/$target"
  echo "fuzz: $target for ${seconds}s"
  (cd "$work" && "$root/build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
    "$work/$target" 2>"$work/$target.log") || { tail -n 40 "$work/$target.log"; echo "fuzz: $target FAILED"; exit 1; }
  grep -E '^stat::number_of_executed_units' "$work/$target.log" | sed "s/^/fuzz: $target /"
done
echo "fuzz: no findings"
