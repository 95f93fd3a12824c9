#!/usr/bin/env bash
# Installs the reference MCP server (@modelcontextprotocol/server-everything, from the npm registry) that the MCP tests
# run with node. Installs into $LLMEVAL_MCP_TEST_SERVER_DIR (default: build/mcp-test-server, outside the sources
# proper and ignored by git). Idempotent: does nothing when the package is already there. Offline tolerant: when node,
# npm or the registry is missing it says so and exits 0, and the MCP tests skip themselves.
# Usage: scripts/install-mcp-test-server.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LLMEVAL_MCP_TEST_SERVER_DIR:-$root/build/mcp-test-server}
package=@modelcontextprotocol/server-everything
if [ -f "$dir/node_modules/$package/package.json" ]; then
  exit 0
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-mcp-test-server: node or npm is missing; the MCP tests will be skipped" >&2
  exit 0
fi
mkdir -p "$dir"
if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$package" >"$dir/npm-install.log" 2>&1; then
  echo "install-mcp-test-server: npm install $package failed (offline?); the MCP tests will be skipped." \
       "See $dir/npm-install.log" >&2
  exit 0
fi
echo "install-mcp-test-server: installed $package into $dir"
