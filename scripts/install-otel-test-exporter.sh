#!/usr/bin/env bash
# Installs the OpenTelemetry JS SDK and its OTLP/HTTP exporters (protobuf and JSON, from the npm registry), the
# independent exporter the collector tests send spans with (tests/otlp/otel_export.js). Installs into
# $LLMEVAL_OTEL_TEST_EXPORTER_DIR (default: build/otel-test-exporter, ignored by git). Idempotent. Offline tolerant:
# when node, npm or the registry is missing it says so and exits 0, and those tests skip themselves.
# Usage: scripts/install-otel-test-exporter.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LLMEVAL_OTEL_TEST_EXPORTER_DIR:-$root/build/otel-test-exporter}
packages=(@opentelemetry/api@1.9.0 @opentelemetry/sdk-trace-base@1.30.1 @opentelemetry/resources@1.30.1
          @opentelemetry/exporter-trace-otlp-proto@0.57.2 @opentelemetry/exporter-trace-otlp-http@0.57.2)
if [ -f "$dir/node_modules/@opentelemetry/exporter-trace-otlp-http/package.json" ] &&
   [ -f "$dir/node_modules/@opentelemetry/exporter-trace-otlp-proto/package.json" ]; then
  exit 0
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-otel-test-exporter: node or npm is missing; the OTLP exporter tests will be skipped" >&2
  exit 0
fi
mkdir -p "$dir"
if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${packages[@]}" >"$dir/npm-install.log" 2>&1; then
  echo "install-otel-test-exporter: npm install failed (offline?); the OTLP exporter tests will be skipped." \
       "See $dir/npm-install.log" >&2
  exit 0
fi
echo "install-otel-test-exporter: installed ${packages[*]} into $dir"
