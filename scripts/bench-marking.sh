#!/usr/bin/env bash
# Marking under load: N simulated markers over HTTPS on loopback (next -> mark, no think time)
# against one node on the embedded database; prints marks/s, p50/p99 of allocation and
# submission, and in the same run the raw single-row insert-and-commit rate on the same database.
# With a target rate the markers pause between answers (mean markers/rate s), measuring latency at
# that offered load; without one (the goals' setting) they never pause.
# usage: scripts/bench-marking.sh [markers, default 500] [seconds, default 30] [warm-up s, default 30] [db pool, default 16] [target marks/s, default 0: no pauses]
set -euo pipefail
CP="$("$(dirname "$0")/classpath.sh")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The server's collector as README runs it on a 2-core node; BENCH_JAVA_OPTS replaces it (e.g. -XX:+UseG1GC).
exec java -Xmx2g ${BENCH_JAVA_OPTS:--XX:+UseSerialGC} -Dopenmarking.root="$ROOT" -Dopenmarking.shared="$ROOT/../shared" -cp "$CP" org.openmarking.server.marking.MarkingBench "${1:-500}" "${2:-30}" "${3:-30}" "${4:-16}" "${5:-0}"
