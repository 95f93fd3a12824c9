#!/usr/bin/env bash
# Proves scripts/check-includes.sh rejects an include that crosses the graph the wrong way (between top-level modules,
# and between engine subsystems as engine/modules.txt states them) and accepts a clean tree.
set -u
root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { bash "$root/scripts/check-includes.sh" "$work"; }
expect_rejected() {  # expect_rejected WHAT MESSAGE
  local out
  out=$(check)
  [ $? -eq 1 ] || { echo "FAIL: $1 was accepted"; exit 1; }
  case $out in *"$2"*) ;; *) echo "FAIL: $1: unexpected message: $out"; exit 1 ;; esac
}
mkdir -p "$work/core" "$work/scorers" "$work/engine/http" "$work/engine/run"
printf 'http:\nrun: http\n' > "$work/engine/modules.txt"
printf '#include "core/status.h"\n' > "$work/scorers/ok.h"
printf '#include "scorers/ok.h"\n#include "core/status.h"\n#include "engine/http/transport.h"\n' > "$work/engine/run/ok.cc"
printf '#include "engine/http/other.h"\n' > "$work/engine/http/ok.cc"
check >/dev/null || { echo "FAIL: a clean tree was rejected: $(check)"; exit 1; }

printf '#include <vector>\n#include "engine/store/store.h"\n' > "$work/scorers/bad.cc"
expect_rejected "a scorer including engine" "scorers/bad.cc:2: module 'scorers' may not include 'engine'"
rm "$work/scorers/bad.cc"
printf '#include "prompts/template.h"\n' > "$work/core/bad.h"
expect_rejected "core including prompts" "core/bad.h:1: module 'core' may not include 'prompts'"
rm "$work/core/bad.h"

printf '#include <string>\n#include "engine/run/runner.h"\n' > "$work/engine/http/bad.cc"
expect_rejected "engine/http including engine/run" "engine/http/bad.cc:2: engine/http may not include engine/run"
rm "$work/engine/http/bad.cc"
printf '#include "core/status.h"\n' > "$work/engine/flat.cc"
expect_rejected "a file directly in engine/" "engine/flat.cc: code belongs in an engine subsystem folder"
rm "$work/engine/flat.cc"
mkdir -p "$work/engine/stray"
printf '#include "core/status.h"\n' > "$work/engine/stray/x.cc"
expect_rejected "an engine folder missing from modules.txt" "engine/stray: a folder of code that engine/modules.txt"
rm -r "$work/engine/stray"
check >/dev/null || { echo "FAIL: the cleaned tree was rejected"; exit 1; }

# The project's own manifest: a planted include of engine/run in engine/http is rejected.
rm -r "$work/engine"
cp -r "$root/engine" "$work/engine"
check >/dev/null || { echo "FAIL: a copy of the project's engine was rejected: $(check)"; exit 1; }
printf '#include "engine/run/runner.h"\n' > "$work/engine/http/planted.cc"
expect_rejected "the project's engine/http including engine/run" \
  "engine/http/planted.cc:1: engine/http may not include engine/run"
echo "include graph check: rejects wrong-way includes"
