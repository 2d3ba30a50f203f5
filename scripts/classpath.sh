#!/usr/bin/env bash
# Compiles marker-server (main and test classes) and prints its test classpath.
# Sourced by the ingest scripts; the generator and benchmark are test code.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/marker-server/target/test-classpath.txt"
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl marker-server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2)
echo "$ROOT/marker-server/target/test-classes:$ROOT/marker-server/target/classes:$(cat "$CP_FILE")"
