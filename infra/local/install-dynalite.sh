#!/usr/bin/env bash
# Installs the DynamoDB emulator (dynalite, from the npm registry) into a tools folder, once.
# Called by the Maven build (generate-resources); local mode and the tests start it from there.
set -euo pipefail
dir=${1:?tools dir}
version=${2:?dynalite version}
if [ -f "$dir/node_modules/dynalite/package.json" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/dynalite/package.json"; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed to install the DynamoDB emulator dynalite" >&2; exit 1; }
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "dynalite@$version"
