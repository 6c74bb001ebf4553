#!/bin/bash
# Cost of `emo annotate` against the same decode + encode graph without any
# emotion element, measured in the same run with the same encoder settings.
#
#   bench/annotate-overhead.sh [BUILD_DIR] [MODELS_DIR]
#
# The clip: opencv-doc's Megamind.avi (a face in view) scaled to 640x480 at
# 25 fps and played six times (67 s), with espeak-ng speech as the audio
# (pink noise if espeak-ng is missing). Without MODELS_DIR (audio.emo +
# video.emo), tiny linear models are trained on the clip first (not timed):
# their numbers are meaningless but their cost is that of any linear model
# (an LSTM costs more in emomtl; the front ends dominate either way).
#
# Prints the wall time of each graph (best of REPEAT runs, default 2) and its
# ratio to the baseline. Target: full annotate <= 1.2 x baseline.
set -euo pipefail
BUILD=${1:-build}
MODELS=${2:-}
REPEAT=${REPEAT:-2}
EMO="$(realpath "$BUILD/tools/emo")"
[ -x "$EMO" ] || { echo "no $EMO (give the build folder)" >&2; exit 2; }
export GST_PLUGIN_PATH_1_0="$(realpath "$BUILD/plugins")"
export OPENBLAS_NUM_THREADS=1
MEGA=/usr/share/doc/opencv-doc/examples/data/Megamind.avi
[ -f "$MEGA" ] || { echo "needs $MEGA (opencv-doc)" >&2; exit 2; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cd "$W"

echo "preparing a 67 s 640x480 clip in $W ..."
gst-launch-1.0 -q filesrc location="$MEGA" ! decodebin ! video/x-raw ! videoconvert ! videoscale \
  ! videorate ! video/x-raw,width=640,height=480,framerate=25/1 ! x264enc speed-preset=ultrafast \
  ! mp4mux ! filesink location=part0.mp4
for i in 1 2 3 4 5; do ln -s part0.mp4 part$i.mp4; done
if command -v espeak-ng > /dev/null; then
  for i in $(seq 1 40); do echo "The quick brown fox jumps over the lazy dog, and then it rests for a while."; done > text.txt
  espeak-ng -w speech.wav -f text.txt
  AUDIO="filesrc location=speech.wav ! wavparse"
else
  AUDIO="audiotestsrc wave=pink-noise num-buffers=3000"
fi
gst-launch-1.0 -q splitmuxsrc location="part*.mp4" ! queue ! video/x-h264 ! h264parse ! queue \
  ! mp4mux name=m ! filesink location=clip.mp4 \
  $AUDIO ! audioconvert ! audioresample ! audio/x-raw,rate=44100 ! avenc_aac ! queue ! m.

if [ -z "$MODELS" ]; then
  echo "training throw-away linear models on the clip (not timed) ..."
  MODELS=$W/models; mkdir -p fa fv l "$MODELS"
  "$EMO" extract -q --modality both -o f clip.mp4
  rows=$(($(wc -l < f/video/clip.csv) - 1))
  { echo "name;timestamp;arousal;valence;liking"
    for i in $(seq 0 $((rows - 1))); do
      printf "'clip';%d.%d;0.%d;-0.%d;0.%d\n" $((i / 10)) $((i % 10)) $((i % 7)) $((i % 5)) $((i % 3)); done
  } > l/clip.csv
  "$EMO" train -q --model linear --layout egemaps-v02-func --features f/audio --labels l --epochs 5 -o "$MODELS/audio.emo" > /dev/null
  "$EMO" train -q --model linear --layout vis-v1 --features f/video --labels l --epochs 5 -o "$MODELS/video.emo" > /dev/null
  cp l/clip.csv preds.csv
else
  "$EMO" annotate clip.mp4 --models "$MODELS" --no-video --csv preds.csv -q > /dev/null
fi

# the baseline is the graph emo annotate builds, minus every emotion element
baseline() {
  gst-launch-1.0 -q uridecodebin uri="file://$W/clip.mp4" name=dec \
    dec. ! video/x-raw ! queue max-size-buffers=8 max-size-time=0 max-size-bytes=0 ! videoconvert \
      ! videorate ! queue max-size-time=10000000000 max-size-bytes=0 max-size-buffers=0 ! videoconvert \
      ! x264enc speed-preset=veryfast pass=qual quantizer=21 ! h264parse \
      ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=0 ! mux. \
    dec. ! audio/x-raw ! queue max-size-time=10000000000 max-size-bytes=0 max-size-buffers=0 \
      ! audioconvert ! audioresample ! avenc_aac ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=0 ! mux. \
    mp4mux name=mux ! filesink location=base.mp4
}
stored() { "$EMO" annotate clip.mp4 --predictions preds.csv -o stored.mp4 -q > /dev/null; }
full() { "$EMO" annotate clip.mp4 --models "$MODELS" -o full.mp4 --csv full.csv -q > /dev/null; }

# wall time (the figure) and CPU time (user + sys, steadier on a shared machine)
export W EMO MODELS
run() {
  /usr/bin/time -f "TIME %e %U %S" -o "$W/time.txt" bash -c "$(declare -f "$1"); $1" > /dev/null 2>&1 \
    || { echo "$1 failed" >&2; exit 1; }
  awk '/^TIME/ { print $2, $3 + $4 }' "$W/time.txt"
}
declare -A WALL CPU
for name in baseline stored full; do
  for r in $(seq 1 "$REPEAT"); do
    read -r wall cpu <<< "$(run $name)"
    if [ -z "${WALL[$name]:-}" ] || [ "$(echo "$wall < ${WALL[$name]}" | bc -l)" -eq 1 ]; then
      WALL[$name]=$wall; CPU[$name]=$cpu
    fi
  done
done
ratio() { echo "$1 / $2" | bc -l; }
printf "%-44s %8s %6s %8s %6s\n" graph "wall s" ratio "cpu s" ratio
printf "%-44s %8.2f %6.2f %8.2f %6.2f\n" "decode + encode (no emotion element)" "${WALL[baseline]}" 1 "${CPU[baseline]}" 1
printf "%-44s %8.2f %6.2f %8.2f %6.2f\n" "emo annotate --predictions (overlay only)" "${WALL[stored]}" \
  "$(ratio "${WALL[stored]}" "${WALL[baseline]}")" "${CPU[stored]}" "$(ratio "${CPU[stored]}" "${CPU[baseline]}")"
printf "%-44s %8.2f %6.2f %8.2f %6.2f\n" "emo annotate --models (audio+video, late)" "${WALL[full]}" \
  "$(ratio "${WALL[full]}" "${WALL[baseline]}")" "${CPU[full]}" "$(ratio "${CPU[full]}" "${CPU[baseline]}")"
echo "clip: 67 s, 640x480, 25 fps; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end; best wall time of $REPEAT runs each"
