#!/usr/bin/env bash
# Formats every C++ source of the project with clang-format (.clang-format: Google style, 120 columns).
# `scripts/format.sh --check` only reports files that would change (exit 1 if any).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
files=$(git ls-files '*.h' '*.cc' | grep -v '^examples/')
if [ "${1:-}" = "--check" ]; then
  bad=0
  for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then echo "needs formatting: $f"; bad=1; fi
  done
  exit $bad
fi
clang-format -i $files
