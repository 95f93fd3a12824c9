#!/usr/bin/env bash
# Installs the Debian packages llmeval needs to build, test and run its example, skipping what is present.
# Idempotent; needs root (or sudo) only when something is missing.
# Usage: scripts/install-deps.sh [--tests]     --tests: also what only the tests need (Chromium for the browser tests)
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev libssl-dev libsimdjson-dev libsqlite3-dev libtbb-dev libyaml-cpp-dev libevent-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libprotobuf-dev protobuf-compiler
  python3 clang libclang-rt-14-dev
)
# Node.js runs the reference MCP server in the tests; any node and npm on the PATH will do.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
# Headless Chromium drives the browser tests of `llmeval report` and `llmeval ui` (scripts/browser-tests.sh).
if [ "${1:-}" = "--tests" ]; then
  command -v chromium >/dev/null || packages+=(chromium)
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=sudo; else echo "run as root to install: ${missing[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
