#!/usr/bin/env bash
# Refresh the vendored GeographicLib geodesic routines (Karney) used by the live map.
#
#   scripts/refresh_geographiclib.sh [VERSION]     # default: the version vendored now
#
# Takes the built file and its licence from the npm package geographiclib-geodesic
# (`npm pack`, the registry's own tarball) and writes them to geo/outputs/web/vendor/.
# Needs npm (Debian: apt-get install -y npm). Check the diff and run the browser tests
# (tests/test_live.py) before committing a new version.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$here/geo/outputs/web/vendor"
current="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$vendor/geographiclib-geodesic.json" 2>/dev/null || true)"
version="${1:-${current:-2.2.0}}"

command -v npm >/dev/null || { echo "npm not found: apt-get install -y npm" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "geographiclib-geodesic@$version" >/dev/null)
tar -xzf "$work"/geographiclib-geodesic-*.tgz -C "$work"
pkg="$work/package"
got="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n 1)"
license="$(sed -n 's/^ *"license": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n 1)"
[ "$license" = "MIT" ] || { echo "geographiclib-geodesic $got is not MIT-licensed ($license): not vendored" >&2; exit 1; }
if grep -qi '</script' "$pkg/geographiclib-geodesic.min.js"; then
    echo "geographiclib-geodesic.min.js contains '</script': it cannot be inlined in a page" >&2; exit 1
fi

mkdir -p "$vendor"
cp "$pkg/geographiclib-geodesic.min.js" "$vendor/geographiclib-geodesic.min.js"
cp "$pkg/LICENSE.txt" "$vendor/geographiclib-geodesic.LICENSE.txt"
sha="$(sha256sum "$vendor/geographiclib-geodesic.min.js" | cut -d' ' -f1)"
cat > "$vendor/geographiclib-geodesic.json" <<JSON
{
  "package": "geographiclib-geodesic",
  "version": "$got",
  "license": "MIT",
  "file": "geographiclib-geodesic.min.js",
  "sha256": "$sha",
  "source": "npm pack geographiclib-geodesic@$got (built file from the registry tarball)"
}
JSON
echo "vendored geographiclib-geodesic $got into $vendor"
