#!/bin/bash
# The default visual model (models/fer2013-vis.emo) and its FER2013 figures
# (models/README.md, docs/results.md).
#
#   bench/fer2013.sh [--cache DIR] [--stage extract|train|score|all] [--final]
#
# 1. extract: `emo extract` on every image of ../shared/data/fer2013 (train,
#    validation, test; 48x48 crops, so each image is the face: still-faces.tsv
#    says "small"), layout vis-v2; the test split also in vis-v1 for the
#    older model. Features go to the cache, never into the repository.
# 2. train: bench/fer2013-prepare.py maps each category to (arousal, valence)
#    with bench/fer2013-mapping.tsv (Russell & Mehrabian 1977, as the EmoDB
#    mapping) and cuts the shuffled images of each split into sequences of
#    100 (emo train's loss is a CCC over a sequence, a single image has no
#    variance); `emo train --model mlp` on train, epochs chosen on validation.
# 3. score: `emo predict` on the test images; bench/fer2013-score.py prints
#    the table: 7-class accuracy of the expression net, valence AUC (happy
#    against angry, disgust, fear, sad), arousal AUC (angry, disgust, fear,
#    happy, surprise against neutral, sad), CCC against the mapped targets,
#    for (a) the expression probabilities mapped directly, (b) the vis-v2
#    model, (c) the vis-v1 model trained on generated faces.
# --final copies the trained model to models/fer2013-vis.emo.
# SUBSET=0 uses every image of train and validation (about 6x longer).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/fer2013"
emo="${EMO_TOOL:-$root/build/tools/emo}"
stage=all; final=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --stage) stage="$2"; shift 2 ;;
    --final) final=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "fer2013: unknown argument $1" >&2; exit 2 ;;
  esac
done
data="${EMO_SHARED_DATA:-$root/../shared/data}/fer2013"
[ -d "$data/test" ] || { echo "fer2013: no data at $data" >&2; exit 77; }
[ -x "$emo" ] || { echo "fer2013: no emo tool at $emo (build first)" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=1
export GST_PLUGIN_PATH_1_0="${GST_PLUGIN_PATH_1_0:-$root/build/plugins}"
py=/usr/bin/python3
labels="angry disgust fear happy neutral sad surprise"

# every STEP-th image of each category (sorted names) of a split; images whose
# CSV exists are skipped, so an interrupted run resumes
extract() {  # split layout step
  local out="$cache/features/$2/$1"
  mkdir -p "$out"
  for l in $labels; do
    find "$data/$1/$l" -name '*.jpg' | sort | awk -v k="$3" '(NR - 1) % k == 0' |
      while read -r f; do b=${f##*/}; [ -f "$out/${b%.jpg}.csv" ] || echo "$f"; done |
      xargs -r -n 1000 nice -n 10 "$emo" extract -q --feature-set "$2" -o "$out"
  done
}

# Subsets (SUBSET=1, the default): the whole test split for the figures, a
# eighth of train and a quarter of validation (extraction runs at about 6 images
# a second on the shared 2-core machine); SUBSET=0 takes every image.
if [ "${SUBSET:-1}" = 1 ]; then step_train=8; step_val=4; step_v1=4; else step_train=1; step_val=1; step_v1=1; fi

if [ "$stage" = extract ] || [ "$stage" = all ]; then
  t0=$(date +%s)
  extract test vis-v2 1
  extract validation vis-v2 "$step_val"
  extract train vis-v2 "$step_train"
  extract test vis-v1 "$step_v1"
  echo "fer2013: features in $cache/features ($(( $(date +%s) - t0 )) s)"
fi

if [ "$stage" = train ] || [ "$stage" = all ]; then
  "$py" "$here/fer2013-prepare.py" "$data" "$cache" "$here/fer2013-mapping.tsv"
  ntrain=$(($(wc -l < "$cache/seq/train/index.tsv") - 1))
  nval=$(($(wc -l < "$cache/seq/validation/index.tsv") - 1))
  nice -n 10 "$emo" train -q --model mlp --hidden 64 --dropout 0.3 --epochs 40 --batch 16 \
    --lr 1e-3 --optimizer adam --seed 1 --layout vis-v2 --attributes arousal,valence \
    -f "$cache/seq/train/features" -l "$cache/seq/train/labels" \
    --devel-features "$cache/seq/validation/features" --devel-labels "$cache/seq/validation/labels" \
    --describe "FER2013 train split, every ${step_train}th image of each category ($ntrain images; categories mapped to arousal/valence after Russell & Mehrabian 1977), epoch chosen on every ${step_val}th image of its validation split ($nval)" \
    -o "$cache/fer2013-vis.emo"
fi

if [ "$stage" = score ] || [ "$stage" = all ]; then
  rm -rf "$cache/pred"; mkdir -p "$cache/pred/v2" "$cache/pred/v1"
  nice -n 10 "$emo" predict -m "$cache/fer2013-vis.emo" -f "$cache/seq/test/features" -o "$cache/pred/v2"
  nice -n 10 "$emo" predict -m "$root/models/gencorpus-video.emo" -f "$cache/seq/test-v1/features" -o "$cache/pred/v1"
  "$py" "$here/fer2013-score.py" "$cache" "$here/fer2013-mapping.tsv"
fi
if [ "$final" = 1 ]; then
  cp "$cache/fer2013-vis.emo" "$root/models/fer2013-vis.emo"
  echo "fer2013: models/fer2013-vis.emo written"
fi
