#!/usr/bin/env bash
# Takes a PNG of each main screen of the marker client without a display (JavaFX's headless
# Monocle platform), driving it with the keyboard as a marker would, and prints the files' paths
# (marker-client/target/screenshots/). It says which server it photographed:
#   --server URL --ca CA.pem [--user NAME] [--password P]   a running server (default user marker1;
#        the password may instead be in SCREENSHOTS_PASSWORD, which keeps it out of `ps`)
#   no --server: the demo (scripts/demo.sh) if one answers at https://localhost:8443, with its CA
#        data/demo/tls/ca.pem and marker1's password from data/demo/demo-credentials.properties;
#        otherwise a throwaway in-process node with generated answer pages.
# On a running server the tour gives no mark: the confirm step and an escalation are photographed,
# then cancelled, and a calibration set is shown, not marked. The throwaway node is also told to
# push a message, a face check and a suspension, and there the tour calibrates and marks.
set -euo pipefail
cd "$(dirname "$0")/.."
server="" ca="" user=marker1 password="${SCREENSHOTS_PASSWORD:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --ca) ca="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --password) password="$2"; shift 2 ;;
    *) echo "usage: scripts/client-screenshots.sh [--server URL --ca CA.pem [--user NAME] [--password P]]" >&2; exit 2 ;;
  esac
done
demo=https://localhost:8443
if [ -z "$server" ] && [ -f data/demo/tls/ca.pem ] \
    && curl -fsS --max-time 3 --cacert data/demo/tls/ca.pem "$demo/health" >/dev/null 2>&1; then
  server=$demo ca=data/demo/tls/ca.pem
  if [ -z "$password" ] && [ -f data/demo/demo-credentials.properties ]; then
    password=$(sed -n "s/^$user=//p" data/demo/demo-credentials.properties | head -1)
  fi
fi
out="$PWD/marker-client/target/screenshots"
mkdir -p "$out"
rm -f "$out"/*.png # a shorter tour must not leave the last run's pictures beside its own
props=(-Dscreenshots.dir="$out")
if [ -n "$server" ]; then
  if [ -z "$ca" ] || [ -z "$password" ]; then
    echo "photographing $server needs --ca and $user's password (--password or SCREENSHOTS_PASSWORD)" >&2
    exit 2
  fi
  echo "photographing the client against the running server $server as $user" >&2
  props+=(-Dscreenshots.server="$server" -Dscreenshots.ca="$(realpath "$ca")" -Dscreenshots.user="$user")
else
  echo "no demo answers at $demo: photographing the client against a throwaway in-process node" >&2
fi
# The password goes to the test JVM through its environment, never onto a command line.
SCREENSHOTS_PASSWORD="$password" mvn -B -q -pl marker-client -am test -Dtest=ClientScreenshots \
    -Dsurefire.failIfNoSpecifiedTests=false "${props[@]}" >&2
grep -h "not taken" marker-client/target/surefire-reports/org.openmarking.client.app.ClientScreenshots-output.txt >&2 || true
ls -1 "$out"/*.png
