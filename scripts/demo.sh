#!/usr/bin/env bash
# Runs the Open Marking demo: builds what is needed, starts a server node on the embedded
# PostgreSQL in ./data/demo, loads the sample exam and demo accounts, and prints where to
# connect. Stop it with Ctrl-C (the database is stopped cleanly). Extra arguments go to
# the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=marker-server/target/marker-server-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml */pom.xml */src config -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "building (mvn package, tests skipped; run scripts/test.sh for the tests)..."
  mvn -B -q -DskipTests -pl marker-server -am package
fi
# The serial collector on a small node that shares its cores with PostgreSQL (README, "Running a server").
exec java ${OPENMARKING_JAVA_OPTS:--XX:+UseSerialGC} -cp "$jar:marker-server/target/lib/*" org.openmarking.server.demo.Demo "$@"
