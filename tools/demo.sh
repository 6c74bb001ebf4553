#!/usr/bin/env bash
# The README's first command: set up a fresh Debian machine, build gst-emo,
# render a 30-second talking-face clip (espeak-ng speech over a real face
# image from opencv-doc, made by tools/emo-gencorpus) and annotate it with
# `emo annotate`: annotated video, CSV (one row per 100 ms), WebVTT and a plot.
#
#   bash tools/demo.sh [INPUT_VIDEO]      # outputs in ./demo-out/
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/demo-out}

bash tools/install-deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build > /dev/null
fi
ninja -C build > /dev/null
echo "gst-emo: built in $ROOT/build"

mkdir -p "$OUT"
IN=${1:-}
if [ -z "$IN" ]; then
  echo "gst-emo: rendering a 30 s demo clip (espeak-ng speech, animated face) ..."
  rm -rf "$OUT/clip"
  /usr/bin/python3 tools/emo-gencorpus generate --out "$OUT/clip" --seed 7 \
    --sessions 1 --speakers 1 --duration 30 --quiet
  IN=$(ls "$OUT"/clip/video/*.mkv | head -1)
fi

build/tools/emo annotate "$IN" -o "$OUT/annotated.mp4" --csv "$OUT/emotion.csv" \
  --vtt "$OUT/emotion.vtt" --json "$OUT/emotion.jsonl" --plot "$OUT/emotion.png"

echo
echo "gst-emo: done. Outputs in $OUT:"
ls -l "$OUT"/annotated.mp4 "$OUT"/emotion.csv "$OUT"/emotion.vtt "$OUT"/emotion.png
