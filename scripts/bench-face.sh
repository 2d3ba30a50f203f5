#!/usr/bin/env bash
# Median latency of one face check against the bare model inference in the same run, the
# ratio, and how many markers one node serves at one check per 5 minutes.
# Usage: scripts/bench-face.sh [--iterations N] [--frames F] [--opencv-threads T]   (from the repository root;
# OpenCV single-threaded by default, as the server runs it)
set -euo pipefail
exec "$(dirname "$0")/face-java.sh" org.openmarking.server.face.tools.BenchFace "$@"
