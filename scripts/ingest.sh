#!/usr/bin/env bash
# Uploads scan files or folders to a running server as an admin (POST /api/v1/ingest/scans),
# over HTTPS trusting only the server's CA; prints quarantined pages and the summary.
# usage: scripts/ingest.sh --server https://HOST:PORT --ca CA.pem --user ADMIN [--rescan] [--batch-mb N] FILE|DIR...
# The password comes from OPENMARKING_INGEST_PASSWORD_FILE (or OPENMARKING_INGEST_PASSWORD).
# Exit 0: nothing quarantined; 1: something quarantined; 2: usage/login; 3: server or connection failed (rerun is safe).
# Offline ingest into a local folder (no server; tests, benchmarks): scripts/ingest-offline.sh.
set -euo pipefail
CP="$("$(dirname "$0")/classpath.sh")"
exec java -cp "$CP" org.openmarking.server.ingest.IngestUploadCli "$@"
