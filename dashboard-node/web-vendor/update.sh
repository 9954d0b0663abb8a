#!/usr/bin/env bash
# Refreshes the dashboard's vendored browser libraries from npm, as pinned by package-lock.json:
#   dashboard-node/web-vendor/update.sh            (needs node and npm; the Maven build does not)
# To move to a new version: change it in package.json, run `npm install --package-lock-only` here,
# then this script, and commit package.json, package-lock.json and src/main/resources/web/vendor/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/main/resources/web/vendor/dagre"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
pkg="$work/node_modules/@dagrejs/dagre"
mkdir -p "$out"
# dagre.min.js is one classic script (graphlib bundled) that defines the global `dagre`: no eval, so the CSP holds
cp "$pkg/dist/dagre.min.js" "$pkg/dist/dagre.min.js.LEGAL.txt" "$out/"
cp "$pkg/LICENSE" "$out/LICENSE"
cp "$work/node_modules/@dagrejs/graphlib/LICENSE" "$out/LICENSE.graphlib"
version="$(node -p "require('$pkg/package.json').version")"
echo "@dagrejs/dagre $version" > "$out/VERSION"
echo "vendored @dagrejs/dagre $version into ${out#"$here/"}"
