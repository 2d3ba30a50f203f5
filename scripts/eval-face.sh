#!/usr/bin/env bash
# Face recognition accuracy on a folder in LFW layout (DIR/Person/*.jpg): FNMR at FMR 1e-2,
# 1e-3 and 1e-4 with thresholds, the EER, and detection failures.
# Usage: scripts/eval-face.sh DIR [--impostors N] [--seed S]
# Example: scripts/eval-face.sh ../shared/data/faces/lfw-dev
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [--impostors N] [--seed S]" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
shift
exec "$(dirname "$0")/face-java.sh" org.openmarking.server.face.tools.EvaluateFaces "$dir" "$@"
