#!/usr/bin/env bash
# Compiles marker-server (main and test classes) and prints its test classpath.
# Used by the ingest scripts; the benchmark (ScanBench) is test code.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/marker-server/target/test-classpath.txt"
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl marker-server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2)
echo "$ROOT/marker-server/target/test-classes:$ROOT/marker-server/target/classes:$(cat "$CP_FILE")"
