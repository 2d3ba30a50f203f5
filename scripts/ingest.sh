#!/usr/bin/env bash
# Ingests scan files or folders into a store folder (blobs/, ledger.jsonl, identity.jsonl).
# usage: scripts/ingest.sh --templates DIR --booklets FILE --keystore FILE --store DIR [--rescan] FILE|DIR...
# The keystore passphrase comes from OPENMARKING_KEYSTORE_PASSPHRASE_FILE (or OPENMARKING_KEYSTORE_PASSPHRASE).
# Exit 0: nothing quarantined; 1: something quarantined; 2: usage/config; 3: storage failed (rerun is safe).
set -euo pipefail
CP="$("$(dirname "$0")/classpath.sh")"
exec java -cp "$CP" org.openmarking.server.ingest.IngestCli "$@"
