#!/usr/bin/env bash
# Starts the JavaFX marker client. Without --server it uses the server remembered from the last
# log-in; if none is remembered, the demo (scripts/demo.sh): https://localhost:8443, trusting the
# demo's own CA in data/demo/tls/ca.pem. Options (try --help):
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
given=no
for a in "$@"; do
  if [ "$a" = --server ]; then given=yes; fi
done
if [ $given = no ]; then
  # Only the client can read what it remembered (Java preferences), so it decides: the demo is a
  # fallback, used when no server is remembered.
  if [ -f data/demo/tls/ca.pem ]; then
    args+=(--fallback-server https://localhost:8443 --fallback-ca data/demo/tls/ca.pem)
  else
    echo "no --server and no demo CA at data/demo/tls/ca.pem: using the remembered server, if any (start scripts/demo.sh for the demo)" >&2
  fi
fi
exec java -cp "$jar:marker-client/target/lib/*" org.openmarking.client.Main "${args[@]}"
