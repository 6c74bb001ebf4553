#!/bin/bash
# Augmented copies of EmoDB and their features, in the bench cache (never in
# the repository): what a model meets outside the studio, generated here.
#
#   bench/emodb-augment.sh [--cache DIR] [--conditions "NAME ..."]
#
# Two families of conditions; a model is trained on the first and scored,
# on held-out speakers, on the second, which it never heard in any form:
#   training:  speed0.9 speed1.1 (tempo and pitch, sox speed), pitch-2 pitch+2
#              (semitones, tempo kept, sox pitch), white20 pink10 (additive
#              noise at 20 / 10 dB SNR), reverb (sox reverb, medium room),
#              gain-15 gain+6 (level; +6 with sox's limiter), tel (300-3400 Hz,
#              8 kHz), mp3 (32 kbit/s, lamemp3enc), mulaw (8 kHz G.711)
#   held out:  opus (12 kbit/s Opus), brown5 (brown noise at 5 dB SNR), amr
#              (AMR-NB 12.2 kbit/s, 8 kHz), hall (large reverberant hall and
#              speed 0.95), small (-25 dB, 400 Hz high-pass, 6 kHz low-pass:
#              a small far-away speaker), padded (0.8 s of room noise before
#              and 0.5 s after the speech, 45 dB below it: an isolated clip
#              as other corpora cut them)
# bench/emodb-augment.py runs each condition once over all utterances laid
# end to end; noise is seeded per file, so a rerun makes the same audio. Writes CACHE/aug/<cond>/<utt>.wav and the features (emo
# extract, the element's defaults) into CACHE/features/aug-<cond>/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb"
emo="${EMO_TOOL:-$root/build/tools/emo}"
data="${EMO_SHARED_DATA:-$root/../shared/data}/emodb"
TRAIN_CONDS="speed0.9 speed1.1 pitch-2 pitch+2 white20 pink10 reverb gain-15 gain+6 tel mp3 mulaw"
HELD_CONDS="opus brown5 amr hall small padded"
conds="$TRAIN_CONDS $HELD_CONDS"
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --conditions) conds="$2"; shift 2 ;;
    --list-train) echo "$TRAIN_CONDS"; exit 0 ;;
    --list-held) echo "$HELD_CONDS"; exit 0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "emodb-augment: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v sox >/dev/null || apt-get install -y sox >/dev/null || { echo "emodb-augment: needs sox" >&2; exit 1; }
[ -d "$data/wav" ] || { echo "emodb-augment: no EmoDB at $data" >&2; exit 1; }
case "$(mkdir -p "$cache" && cd "$cache" && pwd)" in
  "$root"*) echo "emodb-augment: cache $cache is inside the repository" >&2; exit 1 ;;
esac
export GST_PLUGIN_PATH_1_0="${GST_PLUGIN_PATH_1_0:-$root/build/plugins}"

for c in $conds; do
  dir="$cache/aug/$c"
  feat="$cache/features/aug-$c"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    t0=$(date +%s)
    /usr/bin/python3 "$here/emodb-augment.py" "$data/wav" "$dir" "$c"
    n=$(ls "$dir"/*.wav | wc -l)
    [ "$n" -eq "$(ls "$data"/wav/*.wav | wc -l)" ] || { echo "emodb-augment: $c: only $n files" >&2; exit 1; }
    touch "$dir/.done"
    echo "emodb-augment: $c: $n files in $(( $(date +%s) - t0 )) s"
  fi
  if [ ! -f "$feat/.done" ]; then
    rm -rf "$feat"; mkdir -p "$feat"
    "$emo" extract --quiet --out "$feat" "$dir"/*.wav
    touch "$feat/.done"
  fi
done
