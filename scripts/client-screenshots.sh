#!/usr/bin/env bash
# Takes a PNG of each main screen of the marker client without a display (JavaFX's headless
# Monocle platform), driving it with the keyboard as a marker would, and prints the files'
# paths. The answers shown are generated pages from the client's in-memory test server.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/marker-client/target/screenshots"
mkdir -p "$out"
mvn -B -q -pl marker-client -am test -Dtest=ClientScreenshots -Dsurefire.failIfNoSpecifiedTests=false \
    -Dscreenshots.dir="$out" >&2
ls -1 "$out"/*.png
