#!/usr/bin/env bash
# Runs every test of every module (unit, database, HTTP, cluster, face, ingest) from a clean build.
# Needs JDK 17 and Maven; the face tests read ../shared/models and ../shared/data/faces.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B clean verify "$@"
