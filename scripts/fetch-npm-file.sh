#!/usr/bin/env bash
# fetch-npm-file.sh PACKAGE@VERSION PATH_IN_TARBALL DEST
# Fetches one file out of an npm package (npm checks the tarball's integrity) into DEST,
# atomically, once: a DEST that exists is left alone.
set -euo pipefail
pkg=$1 inner=$2 dest=$3
[ -s "$dest" ] && exit 0
command -v npm >/dev/null || { echo "fetch: npm is needed to fetch $pkg (install Node.js and npm)" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$(dirname "$dest")/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "fetch: $pkg -> $dest" >&2
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" "package/$inner"
mv "$tmp/package/$inner" "$dest"
