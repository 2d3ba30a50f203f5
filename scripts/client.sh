#!/usr/bin/env bash
# Starts the JavaFX marker client. With no arguments it points at the demo (scripts/demo.sh):
# https://localhost:8443, trusting the demo's own CA in data/demo/tls/ca.pem. Options (try --help):
#   --server URL --ca FILE | --ca-pin SHA256 --user NAME --camera DIR|VIDEO --no-confirm --simulate-failures RATE
# The server address and CA are remembered in the user's preferences; passwords never are.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=marker-client/target/marker-client-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml marker-client/pom.xml marking-domain/src marker-client/src/main -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "building the client (mvn package, tests skipped; scripts/test.sh runs them)..."
  mvn -B -q -DskipTests -pl marker-client -am package
fi
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  if [ ! -f data/demo/tls/ca.pem ]; then
    echo "no arguments and no demo CA at data/demo/tls/ca.pem: start scripts/demo.sh first, or pass --server and --ca" >&2
    exit 2
  fi
  args=(--server https://localhost:8443 --ca data/demo/tls/ca.pem)
fi
exec java -cp "$jar:marker-client/target/lib/*" org.openmarking.client.Main "${args[@]}"
