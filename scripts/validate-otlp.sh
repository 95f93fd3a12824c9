#!/usr/bin/env bash
# Validates llmeval's OTLP/JSON trace export against the official opentelemetry-proto message definitions (the
# protobufjs code generated from them, shipped by the npm package @opentelemetry/otlp-transformer), with
# tests/otlp/validate_otlp.js: a proto round trip plus the OTLP/JSON rules the proto cannot express.
#
# Usage: scripts/validate-otlp.sh FILE.jsonl...      validate exported files
#        scripts/validate-otlp.sh --llmeval BIN      make a scratch project (agent with a command tool, judges, a
#                                                    failing provider), export its traces, validate them and run the
#                                                    validator's self-test on corrupted copies (CTest runs this)
# The package is installed once into ${LLMEVAL_OTLP_PROTO_CACHE:-~/.cache/llmeval/...} (outside the tree).
# Exit: 0 valid, 1 invalid, 2 usage, 77 skipped (node, npm or the package cannot be had).
set -euo pipefail

package="@opentelemetry/otlp-transformer@0.52.1"  # The last release whose OTLP types are protobufjs-generated.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
validator="$here/tests/otlp/validate_otlp.js"
cache="${LLMEVAL_OTLP_PROTO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llmeval/otlp-transformer-0.52.1}"
generated="$cache/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js"

skip() { echo "SKIPPED: $*" >&2; exit 77; }

llmeval=""
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --llmeval) llmeval="${2:?--llmeval needs the binary}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
if [ -z "$llmeval" ] && [ ${#files[@]} -eq 0 ]; then
  echo "usage: scripts/validate-otlp.sh FILE.jsonl... | --llmeval BIN" >&2
  exit 2
fi

command -v node >/dev/null || skip "node is not installed"
command -v npm >/dev/null || skip "npm is not installed"
if [ ! -f "$generated" ]; then
  mkdir -p "$(dirname "$cache")"
  staging="$(mktemp -d "$cache.tmp.XXXXXX")"
  echo "installing $package into $cache" >&2
  if ! (cd "$staging" && timeout 300 npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error \
        "$package" >&2); then
    rm -rf "$staging"
    skip "cannot install $package from the npm registry"
  fi
  if [ ! -f "$staging/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js" ]; then
    rm -rf "$staging"
    skip "$package does not ship build/src/generated/root.js"
  fi
  rm -rf "$cache"
  mv "$staging" "$cache" 2>/dev/null || rm -rf "$staging"  # Another run may have won the race; either copy works.
fi

if [ ${#files[@]} -gt 0 ]; then
  exec node "$validator" "$generated" "${files[@]}"
fi

# --llmeval: a scratch project whose traces cover every span type, value type and status.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/prompts" "$scratch/tools"
printf 'Category,Question\nGit,What does git stash do?\nTesting,What is a unit test?\nDDD,What is a bounded context?\n' \
  >"$scratch/questions.csv"
printf 'You are a professor.\n' >"$scratch/prompts/system.txt"
printf 'Category: {category}\nQuestion: {question}\n' >"$scratch/prompts/basic.txt"
printf '#!/bin/sh\nargs=$(cat)\necho "1. [Result](https://example.com) - for $args"\n' >"$scratch/tools/lookup.sh"
cat >"$scratch/llmeval.yaml" <<'EOF'
experiment: otlp-validation
dataset: questions.csv
system_prompt: system
prompt: basic
model: sim
judge: sim
temperature: 0.2
tools:
  lookup:
    kind: command
    description: Look a topic up.
    parameters: {type: object, properties: {query: {type: string}}, required: [query]}
    command: [sh, tools/lookup.sh]
providers:
  broken:
    base_url: http://127.0.0.1:1/v1
    max_attempts: 1
scorers:
  - {name: enough_words, type: word_count, min: 10}
  - {name: english, type: guidelines, guidelines: ["The answer should be in English."]}
  - {name: relevance, type: relevance_to_query}
EOF
(
  cd "$scratch"
  "$llmeval" run --tools lookup --quiet >/dev/null
  "$llmeval" run --quiet >/dev/null
  "$llmeval" run --model broken:m --limit 1 --quiet >/dev/null || true  # Error spans (status code 2).
  "$llmeval" traces export --format otlp-json -o traces.jsonl
  "$llmeval" traces export --format otlp-json --max-attribute-bytes 40 -o truncated.jsonl  # String arrays.
)
node "$validator" "$generated" "$scratch/traces.jsonl" --self-test
node "$validator" "$generated" "$scratch/truncated.jsonl"
