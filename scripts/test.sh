#!/usr/bin/env bash
# The test command: installs what is missing, builds everything, runs the whole suite through CTest (unit tests,
# loopback HTTP tests against the simulated server, end-to-end CLI tests, the include-graph check).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --tests
bash "$root/scripts/build.sh"
cd "$root/build"
bash "$root/scripts/install-mcp-test-server.sh" || true  # optional: the MCP tests skip without it
bash "$root/scripts/install-otel-test-exporter.sh" || true  # optional: the OTLP exporter tests skip without it
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" --timeout 600
