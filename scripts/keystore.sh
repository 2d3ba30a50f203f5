#!/usr/bin/env bash
# Creates the KEK keystore or rotates it: scripts/keystore.sh add FILE | current FILE
# The passphrase comes from OPENMARKING_KEYSTORE_PASSPHRASE_FILE (or OPENMARKING_KEYSTORE_PASSPHRASE).
set -euo pipefail
CP="$("$(dirname "$0")/classpath.sh")"
exec java -cp "$CP" org.openmarking.server.crypto.KeystoreCli "$@"
