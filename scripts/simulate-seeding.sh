#!/usr/bin/env bash
# Runs the seeding simulator (seeding/src/test/java/org/openmarking/seeding/sim) and prints its table:
# detection delay and false-suspension rate of several SeedPolicy settings on synthetic markers.
#
# Usage: scripts/simulate-seeding.sh [markersPerKind=300] [liveAnswersPerMarker=5000] [randomSeed=20260412]
set -euo pipefail
cd "$(dirname "$0")/.."
args="${1:-300} ${2:-5000} ${3:-20260412}"
exec mvn -B -q -pl seeding -am -Psimulate test-compile -Dexec.args="$args"
