#!/bin/bash
# Does the EmoDB audio model hold up on voices, languages and a "microphone"
# it never heard? Score it on the generated corpus (espeak-ng voices, English
# and German; docs/corpus.md) against the hidden state, and measure what
# feature normalisation buys there. The same recipe as the shipped model
# (bench/emodb-train.sh --final), trained on all ten EmoDB speakers:
#   fixed:          training statistics (the model before per-stream normalisation);
#   fixed+stream:   the same model, run per stream (emo predict --normalise stream,
#                   as emomtl normalise=stream): adaptation without retraining;
#   stream:         trained with --normalise stream, run per stream (what ships);
#   fixed+profile, stream+profile: the same, with the statistics carried from a
#                   speaker's first session into the second (a speaker profile:
#                   emomtl norm-stats, emo predict --norm-persist);
#   speaker:        offline reference: every corpus speaker z-scored with all of
#                   its sessions at once (bench/emodb-normalise.py; not causal),
#                   model trained on speaker-z-scored EmoDB.
# Each corpus session is one stream. NORM_WARMUP (s, default 3) as in training.
# Needs bench/emodb-train.sh --norm both to have run (its cache) and a corpus
# from bench/gen-corpus.sh.
#
#   bench/emodb-transfer.sh [--cache DIR] [--corpus DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb"
corpus="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/corpus"
emo="${EMO_TOOL:-$root/build/tools/emo}"
warmup=${NORM_WARMUP:-3}
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "emodb-transfer: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$cache/streams/speaker" ] || { echo "emodb-transfer: run bench/emodb-train.sh --norm both first" >&2; exit 1; }
[ -f "$corpus/meta.json" ] || { echo "emodb-transfer: no corpus at $corpus" >&2; exit 1; }
W="$cache/transfer"
rm -rf "$W"; mkdir -p "$W"
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}

# the shipped recipe, epochs as the shipped model's
ep=$("$emo" predict --info --model "$root/models/emodb-audio.emo" | grep -o 'epoch [0-9]* of' | awk '{print $2}')
ARGS=(--attributes arousal,valence --delay 0 --layout egemaps-v02-func --quiet --model lstm
      --hidden 64,32 --dropout 0.3 --epochs "$ep" --chunk 100 --batch 8 --lr 1e-3 --optimizer adam --seed 1 --threads 1)
for v in none speaker; do
  mkdir -p "$W/$v/features" "$W/$v/labels"
  ln -s "$cache/streams/$v"/features/*.csv "$W/$v/features/"
  ln -s "$cache/streams/$v"/labels/*.csv "$W/$v/labels/"
done
"$emo" train --features "$W/none/features" --labels "$W/none/labels" "${ARGS[@]}" \
  --normalise fixed -o "$W/emodb-fixed.emo" > "$W/train-fixed.log"
"$emo" train --features "$W/none/features" --labels "$W/none/labels" "${ARGS[@]}" \
  --normalise stream --norm-warmup "$warmup" -o "$W/emodb-stream.emo" > "$W/train-stream.log"
"$emo" train --features "$W/speaker/features" --labels "$W/speaker/labels" "${ARGS[@]}" \
  -o "$W/emodb-speaker.emo" > "$W/train-speaker.log"

# corpus audio features, raw and per-speaker normalised
"$emo" extract --quiet --out "$W/feat" "$corpus"/audio/*.wav
/usr/bin/python3 - "$corpus/meta.json" "$W/sessions.tsv" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write("utt\tspeaker\n")
    for s in m["sessions"]:
        f.write("%s\t%s\n" % (s["name"], s["speaker"]))
PYEOF
/usr/bin/python3 "$here/emodb-normalise.py" "$W/sessions.tsv" "$W/feat" "$W/feat-spk"

"$emo" predict --model "$W/emodb-fixed.emo" --features "$W/feat" --out "$W/pred-fixed" > /dev/null
"$emo" predict --model "$W/emodb-fixed.emo" --normalise stream --norm-warmup "$warmup" \
  --features "$W/feat" --out "$W/pred-fixed+stream" > /dev/null
"$emo" predict --model "$W/emodb-stream.emo" --features "$W/feat" --out "$W/pred-stream" > /dev/null
"$emo" predict --model "$W/emodb-speaker.emo" --features "$W/feat-spk" --out "$W/pred-speaker" > /dev/null
# one folder per corpus speaker, sessions in name order
tail -n +2 "$W/sessions.tsv" | while read -r u s; do
  mkdir -p "$W/by-speaker/$s"; ln -sf "$W/feat/$u.csv" "$W/by-speaker/$s/"
done
for d in "$W"/by-speaker/*; do
  "$emo" predict --model "$W/emodb-fixed.emo" --normalise stream --norm-warmup "$warmup" --norm-persist \
    --features "$d" --out "$W/pred-fixed+profile" > /dev/null
  "$emo" predict --model "$W/emodb-stream.emo" --norm-persist --features "$d" --out "$W/pred-stream+profile" > /dev/null
done
echo "== EmoDB model on the generated corpus ($(ls "$W/feat" | wc -l) sessions, espeak-ng voices), CCC against the hidden state"
echo
echo "| normalisation | arousal CCC | valence CCC |"
echo "|---|---|---|"
for v in fixed fixed+stream stream fixed+profile stream+profile speaker; do
  out=$("$emo" eval --labels "$corpus/truth" --predictions "$W/pred-$v" --attributes arousal,valence)
  echo "| $v | $(echo "$out" | awk '$1=="arousal"{a=$2} $1=="valence"{v=$2} END{printf "%.3f | %.3f", a, v}') |"
done
