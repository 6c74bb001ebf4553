#!/bin/bash
# The default audio model and its held-out figures on EmoDB (models/README.md).
#
#   bench/emodb-train.sh [--cache DIR] [--norm none|speaker|both] [--folds "03 08 ..."]
#                        [--final] [--results FILE] [-- EMO_TRAIN_ARGS...]
#
# 1. bench/emodb-prepare.sh: labels (Russell & Mehrabian 1977 points), LOSO folds.
# 2. eGeMAPS v02 functionals (88 dims, 4 s window, 100 ms hop: emoaudiofeat's
#    defaults) per utterance with `emo extract` (or, if the tool lacks that
#    command, the same element in a gst-launch pipeline).
# 3. Leave-one-speaker-out: for each of the 10 speakers, train on 8, choose
#    the epoch on the 9th (development), predict the held-out speaker's
#    utterances one by one. Training and development data are one stream
#    per speaker (bench/emodb-streams.py: the CCC loss needs label variance
#    inside a sequence, and one utterance has a constant label), cut into
#    chunks of 10 s.
#    --norm none: the model's own global standardisation (training statistics);
#    --norm speaker: every speaker's features z-scored with its own statistics
#    first (bench/emodb-normalise.py; unsupervised, fair on a held-out speaker,
#    but it sees the speaker's whole recording before the first prediction).
#    --norm stream: what emomtl does in a stream: `emo train --normalise
#    stream` (running statistics per training stream, warm-up NORM_WARMUP s,
#    default 3) and the held-out speaker predicted as one stream in the
#    same random utterance order (causal: early utterances are predicted with
#    little of the speaker's statistics), cut back into utterances
#    (bench/emodb-split.py). The `none` run also scores its model run per
#    stream without retraining (`emo predict --normalise stream`: none+stream).
# 4. bench/emodb-score.py: per held-out speaker CCC (frame level) and AUC
#    (utterance mean; high vs low arousal, positive vs negative valence).
# 5. --final: train on all ten speakers (epochs fixed to the median of the
#    LOSO folds' chosen epochs) into models/emodb-audio.emo.
# Default model arguments: see TRAIN_ARGS below; anything after -- replaces them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb"
emo="${EMO_TOOL:-$root/build/tools/emo}"
norm=both; folds=""; final=0; results=""
warmup=${NORM_WARMUP:-3}
TRAIN_ARGS=(--model lstm --hidden 64,32 --dropout 0.3 --epochs 30 --chunk 100 --batch 8 --lr 1e-3 --optimizer adam --seed 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --norm) norm="$2"; shift 2 ;;
    --folds) folds="$2"; shift 2 ;;
    --final) final=1; shift ;;
    --results) results="$2"; shift 2 ;;
    --) shift; TRAIN_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "emodb-train: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$emo" ] || { echo "emodb-train: no emo tool at $emo (build first or set EMO_TOOL)" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
export GST_PLUGIN_PATH_1_0="${GST_PLUGIN_PATH_1_0:-$root/build/plugins}"
data="${EMO_SHARED_DATA:-$root/../shared/data}/emodb"

# prepared once per cache (delete the cache after changing the mapping), so
# that several runs (e.g. --norm none and --norm stream) can share it
if [ ! -f "$cache/.prepared" ]; then
  "$here/emodb-prepare.sh" --cache "$cache" --data "$data"
  touch "$cache/.prepared"
fi
utts="$cache/utterances.tsv"

# --- features
feat="$cache/features/none"
if [ ! -f "$feat/.done" ]; then
  rm -rf "$feat"; mkdir -p "$feat"
  t0=$(date +%s.%N)
  if "$emo" extract --help >/dev/null 2>&1; then
    "$emo" extract --quiet --out "$feat" "$data"/wav/*.wav
  else
    echo "emodb-train: 'emo extract' not available; extracting with emoaudiofeat in gst-launch-1.0"
    for w in "$data"/wav/*.wav; do
      u=$(basename "$w" .wav)
      gst-launch-1.0 -q filesrc location="$w" ! wavparse ! audioconvert ! emoaudiofeat ! \
        emoexport format=csv name-column="$u" ! filesink location="$feat/$u.csv"
    done
  fi
  t1=$(date +%s.%N)
  echo "emodb-train: features of $(ls "$feat" | wc -l) utterances in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
  touch "$feat/.done"
fi
if [ "$norm" != none ] && [ ! -f "$cache/features/speaker/.done" ]; then
  /usr/bin/python3 "$here/emodb-normalise.py" "$utts" "$feat" "$cache/features/speaker"
  touch "$cache/features/speaker/.done"
fi

case "$norm" in both) variants="none speaker stream" ;; none|speaker|stream) variants="$norm" ;;
  *) echo "emodb-train: --norm none|speaker|stream|both" >&2; exit 2 ;; esac
for v in $variants; do
  [ "$v" = stream ] && v=none   # trains on the raw streams
  [ -f "$cache/streams/$v/.done" ] && continue
  /usr/bin/python3 "$here/emodb-streams.py" "$utts" "$cache/features/$v" "$cache/labels" "$cache/streams/$v"
  touch "$cache/streams/$v/.done"
done
[ -n "$folds" ] || folds=$(ls "$cache/folds")

# link the files of one list into DIR/{features,labels}
link_list() {  # list featdir dir
  mkdir -p "$3/features" "$3/labels"
  while read -r u; do
    ln -sf "$2/$u.csv" "$3/features/$u.csv"
    ln -sf "$cache/labels/$u.csv" "$3/labels/$u.csv"
  done < "$1"
}

report=""
for v in $variants; do
  run="$cache/runs/$v"
  rm -rf "$run"; mkdir -p "$run/pred"
  fv=$v; extra=()
  if [ "$v" = stream ]; then fv=none; extra=(--normalise stream --norm-warmup "$warmup"); fi
  t0=$(date +%s.%N)
  for s in $folds; do
    f="$cache/folds/$s"
    d="$run/fold-$s"
    link_list "$f/test.list" "$cache/features/$fv" "$d/test"
    dv=$(cat "$f/devel-speaker")
    mkdir -p "$d/train/features" "$d/train/labels" "$d/devel/features" "$d/devel/labels"
    for sp in $(ls "$cache/folds"); do
      [ "$sp" = "$s" ] && continue
      part=train; [ "$sp" = "$dv" ] && part=devel
      ln -sf "$cache/streams/$fv/features/$sp.csv" "$d/$part/features/"
      ln -sf "$cache/streams/$fv/labels/$sp.csv" "$d/$part/labels/"
    done
    "$emo" train --features "$d/train/features" --labels "$d/train/labels" \
      --devel-features "$d/devel/features" --devel-labels "$d/devel/labels" \
      --attributes arousal,valence --delay 0 --layout egemaps-v02-func --quiet \
      "${TRAIN_ARGS[@]}" "${extra[@]}" -o "$d/model.emo" > "$d/train.log" 2>&1 \
      || { cat "$d/train.log"; echo "emodb-train: training fold $s failed" >&2; exit 1; }
    if [ "$v" = stream ] || [ "$v" = none ]; then
      # the held-out speaker as one stream, in emodb-streams.py's order
      mkdir -p "$d/stream"
      ln -sf "$cache/streams/none/features/$s.csv" "$d/stream/"
    fi
    if [ "$v" = stream ]; then
      "$emo" predict --model "$d/model.emo" --features "$d/stream" --out "$d/stream-pred" > /dev/null
      /usr/bin/python3 "$here/emodb-split.py" "$cache/streams/none/index.tsv" "$d/stream-pred/$s.csv" "$run/pred"
    else
      "$emo" predict --model "$d/model.emo" --features "$d/test/features" --out "$run/pred" > /dev/null
    fi
    if [ "$v" = none ]; then
      # the same model, normalised per stream at inference only
      mkdir -p "$run/pred-adapt"
      "$emo" predict --model "$d/model.emo" --normalise stream --norm-warmup "$warmup" \
        --features "$d/stream" --out "$d/adapt-pred" > /dev/null
      /usr/bin/python3 "$here/emodb-split.py" "$cache/streams/none/index.tsv" "$d/adapt-pred/$s.csv" "$run/pred-adapt"
    fi
    echo "fold $s (devel $(cat "$f/devel-speaker")): $(tail -1 "$d/train.log")"
  done
  t1=$(date +%s.%N)
  echo
  echo "== LOSO, features normalised: $v ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"
  /usr/bin/python3 "$here/emodb-score.py" "$utts" "$run/pred" | tee "$run/score.txt"
  report="$report
### Normalisation: $v

$(/usr/bin/python3 "$here/emodb-score.py" "$utts" "$run/pred" --markdown)
"
  if [ "$v" = none ]; then
    echo
    echo "== LOSO, model trained on raw features, run per stream (emo predict --normalise stream)"
    /usr/bin/python3 "$here/emodb-score.py" "$utts" "$run/pred-adapt" | tee "$run/score-adapt.txt"
    report="$report
### Normalisation: none in training, per stream at inference (none+stream)

$(/usr/bin/python3 "$here/emodb-score.py" "$utts" "$run/pred-adapt" --markdown)
"
  fi
done

if [ -n "$results" ]; then
  {
    echo "<!-- written by bench/emodb-train.sh on $(date -u +%Y-%m-%d) -->"
    echo "Model arguments: \`${TRAIN_ARGS[*]}\`; features: eGeMAPS v02 functionals (88), 4 s window, 100 ms hop."
    echo "Leave-one-speaker-out; the next speaker chooses the epoch; CCC per frame, AUC on utterance means."
    echo "$report"
  } > "$results"
fi

if [ "$final" = 1 ]; then
  # the shipped model reads what emoaudiofeat gives a stream: raw features,
  # normalised per stream by emomtl when trained with FINAL_NORM=stream
  # (the default; FINAL_NORM=fixed: training statistics)
  v=none; fnorm=${FINAL_NORM:-stream}
  erun=$v; [ "$fnorm" = stream ] && erun=stream
  d="$cache/runs/final"
  rm -rf "$d"; mkdir -p "$d"
  mkdir -p "$d/all/features" "$d/all/labels"
  ln -sf "$cache/streams/$v"/features/*.csv "$d/all/features/"
  ln -sf "$cache/streams/$v"/labels/*.csv "$d/all/labels/"
  ep=$(for s in $folds; do grep -o 'epoch [0-9]* of' "$cache/runs/$erun/fold-$s/train.log" 2>/dev/null | tail -1 | awk '{print $2}'; done | sort -n |
       awk '{a[NR]=$1} END { if (NR) print a[int((NR+1)/2)]; }')
  args=("${TRAIN_ARGS[@]}")
  if [ -n "$ep" ]; then args+=(--epochs "$ep"); fi
  "$emo" train --features "$d/all/features" --labels "$d/all/labels" \
    --attributes arousal,valence --delay 0 --layout egemaps-v02-func --quiet \
    --normalise "$fnorm" --norm-warmup "$warmup" \
    --describe "EmoDB, all 10 speakers as one stream each (bench/emodb-train.sh --final, normalise $fnorm)" \
    "${args[@]}" -o "$root/models/emodb-audio.emo" | tail -3
  echo "emodb-train: wrote models/emodb-audio.emo (epochs ${ep:-default})"
fi
