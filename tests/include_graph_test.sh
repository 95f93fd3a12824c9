#!/usr/bin/env bash
# Proves scripts/check-includes.sh rejects an include that crosses the graph the wrong way and accepts a clean tree.
set -u
root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/core" "$work/scorers" "$work/engine"
printf '#include "core/status.h"\n' > "$work/scorers/ok.h"
printf '#include "scorers/ok.h"\n#include "core/status.h"\n' > "$work/engine/ok.cc"
bash "$root/scripts/check-includes.sh" "$work" >/dev/null || { echo "FAIL: a clean tree was rejected"; exit 1; }
printf '#include <vector>\n#include "engine/store.h"\n' > "$work/scorers/bad.cc"
out=$(bash "$root/scripts/check-includes.sh" "$work")
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: a scorer including engine was accepted (exit $rc)"; exit 1; }
case $out in
  *"scorers/bad.cc:2: module 'scorers' may not include 'engine'"*) ;;
  *) echo "FAIL: unexpected message: $out"; exit 1 ;;
esac
printf '#include "prompts/template.h"\n' > "$work/core/bad.h"
bash "$root/scripts/check-includes.sh" "$work" | grep -q "core/bad.h:1: module 'core' may not include 'prompts'" \
  || { echo "FAIL: core including prompts was accepted"; exit 1; }
echo "include graph check: rejects wrong-way includes"
