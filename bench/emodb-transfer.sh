#!/bin/bash
# Does the EmoDB audio model hold up on voices, languages and a "microphone"
# it never heard? Score it on the generated corpus (espeak-ng voices, English
# and German; docs/corpus.md) against the hidden state, and measure what
# per-speaker feature normalisation buys there:
#   raw:     models/emodb-audio.emo on the raw eGeMAPS features (as shipped);
#   speaker: the same recipe trained on per-speaker z-scored EmoDB features,
#            applied to per-speaker z-scored corpus features.
# Needs bench/emodb-train.sh to have run (its cache) and a corpus from
# bench/gen-corpus.sh.
#
#   bench/emodb-transfer.sh [--cache DIR] [--corpus DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb"
corpus="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/corpus"
emo="${EMO_TOOL:-$root/build/tools/emo}"
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "emodb-transfer: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$cache/streams/speaker" ] || { echo "emodb-transfer: run bench/emodb-train.sh --norm both first" >&2; exit 1; }
[ -f "$corpus/meta.json" ] || { echo "emodb-transfer: no corpus at $corpus" >&2; exit 1; }
W="$cache/transfer"
rm -rf "$W"; mkdir -p "$W"

# the speaker-normalised variant of the shipped recipe (same arguments, epochs)
ep=$("$emo" predict --info --model "$root/models/emodb-audio.emo" | grep -o 'epoch [0-9]* of' | awk '{print $2}')
mkdir -p "$W/spk/features" "$W/spk/labels"
ln -s "$cache/streams/speaker"/features/*.csv "$W/spk/features/"
ln -s "$cache/streams/speaker"/labels/*.csv "$W/spk/labels/"
"$emo" train --features "$W/spk/features" --labels "$W/spk/labels" --attributes arousal,valence \
  --delay 0 --layout egemaps-v02-func --quiet --model lstm --hidden 64,32 --dropout 0.3 \
  --epochs "$ep" --chunk 100 --batch 8 --lr 1e-3 --optimizer adam --seed 1 -o "$W/emodb-speaker.emo" > "$W/train.log"

# corpus audio features, raw and per-speaker normalised
"$emo" extract --quiet --out "$W/feat" "$corpus"/audio/*.wav
/usr/bin/python3 - "$corpus/meta.json" "$W/sessions.tsv" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write("utt\tspeaker\n")
    for s in m["sessions"]:
        f.write("%s\t%s\n" % (s["name"], s["speaker"]))
EOF
/usr/bin/python3 "$here/emodb-normalise.py" "$W/sessions.tsv" "$W/feat" "$W/feat-spk"

"$emo" predict --model "$root/models/emodb-audio.emo" --features "$W/feat" --out "$W/pred-raw" > /dev/null
"$emo" predict --model "$W/emodb-speaker.emo" --features "$W/feat-spk" --out "$W/pred-spk" > /dev/null
echo "== EmoDB model on the generated corpus (espeak-ng voices), CCC against the hidden state"
for v in raw spk; do
  echo "-- features: $v"
  "$emo" eval --labels "$corpus/truth" --predictions "$W/pred-$v" --attributes arousal,valence
done
