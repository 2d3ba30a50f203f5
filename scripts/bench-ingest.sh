#!/usr/bin/env bash
# Benchmarks ingest against decode-only, and the envelope's AES-GCM against the JDK's, in one run.
# usage: scripts/bench-ingest.sh [N pages, default 20] [repetitions, default 5]
set -euo pipefail
CP="$("$(dirname "$0")/classpath.sh")"
exec java -Xmx2g -cp "$CP" org.openmarking.server.ingest.ScanBench "${1:-20}" "${2:-5}"
