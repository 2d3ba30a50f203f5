#!/usr/bin/env bash
# Builds marker-server (without tests) and runs one of its face tools with plain java.
# Usage: scripts/face-java.sh MAIN_CLASS [ARGS...]   (from the repository root)
# The model directory is $OPENMARKING_MODELS, by default ../shared/models.
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
mvn -B -q -pl marker-server -am package -DskipTests >&2
models=${OPENMARKING_MODELS:-../shared/models}
exec java -Dopenmarking.models="$models" \
  -cp "marker-server/target/classes:marker-server/target/lib/*" "$main" "$@"
