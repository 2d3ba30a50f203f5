#!/usr/bin/env bash
# Prints and "scans" sample booklets from an exam template (see docs/ingest.md).
# usage: scripts/generate-scans.sh OUTDIR [--booklets N] [--seed S] [--no-bad-pages]
#                                         [--bench-pages N] [--template FILE]
# Writes OUTDIR/scans/*, OUTDIR/booklets.json, OUTDIR/manifest.json, OUTDIR/templates/.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,5p' "$0"; exit 2; }
CP="$("$(dirname "$0")/classpath.sh")"
exec java -cp "$CP" org.openmarking.server.ingest.SampleScans "$@"
