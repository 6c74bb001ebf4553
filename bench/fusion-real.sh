#!/bin/bash
# Real-data fusion tables for docs/results.md, on the AVEC 2019 CES
# development predictions in ../shared/data/avec2019-ces.
#
#   bench/fusion-real.sh [BUILD_DIR] [CACHE_DIR]
#
# Runs `emo fuse-train` for
#   (1) the paper's protocol: organisers' SVR recipe (context layout of
#       fuse_results.py, K in 11..19, C in {0.001,0.01,0.1,1}, chosen per
#       attribute by CCC on the data it is fitted on), stages 1..5, fitted and
#       scored on all 28 development files;
#   (2) the honest protocol: fit on German, score on Hungarian, and the
#       reverse: best single input (chosen on the fitting culture), the plain
#       mean of the inputs (the baseline every other row is a ratio to),
#       SVR +-15 frames C=0.01 after 1..5 stages, and the CCC-weighted fuser
#       (cccw with its default one-standard-error choice, with --best-loso,
#       and with --causal);
# and prints markdown tables. Each run's log is cached in CACHE_DIR (default
# build/fusion-bench) and reused when complete; delete it to re-measure.
# PAPER=0 skips (1). PAPER_GRID=reduced (K in {11,15,19}, C in {0.001,0.01})
# makes (1) take minutes instead of about an hour of one core; SKLEARN=1 adds
# the scikit-learn run of the same recipe (bench/fusion-sklearn.py);
# PAPER_STAGES=N (default 5) sets the number of stages of (1). LOSO=1 adds
# leave-one-file-out over all 28 files (mean and cccw: minutes; with
# LOSO_SVR=1 also one SVR stage: 28 fits per attribute, an hour or more).
# (1) takes about an hour on 2 cores (fits at C=1 do not converge within
# liblinear's 1000 iterations and take minutes each); (2) a few minutes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
CACHE=${2:-$BUILD/fusion-bench}
EMO=$BUILD/tools/emo
D=${EMO_SHARED_DATA:-$ROOT/../shared/data}/avec2019-ces
[ -x "$EMO" ] || { echo "no $EMO: build first" >&2; exit 1; }
[ -d "$D/labels_devel" ] || { echo "no AVEC 2019 data at $D" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=1
mkdir -p "$CACHE"
SETS="egemaps-func_STD egemaps-xbow mfcc-func_STD mfcc-xbow deepspectrum visual-func visual-xbow visual-resnet visual-vgg"
IN=()
for s in $SETS; do IN+=("$D/baseline_predictions/predictions_$s"); done

# run NAME ARGS...: emo fuse-train with a cached log
run() {
  local name=$1; shift
  local log="$CACHE/$name.log"
  if [ -s "$log" ] && grep -q '^wrote ' "$log"; then return; fi
  echo "running $name ..." >&2
  "$EMO" fuse-train --labels "$D/labels_devel" -o "$CACHE/$name.emo" "$@" > "$log.tmp"
  mv "$log.tmp" "$log"
}
# stage_ccc LOG STAGE train|eval -> "A V L MEAN"
stage_ccc() { awk -v s="$2" -v w="$3" '$1=="stage" && $2==s && $3==w && $4=="CCC" {print $6, $8, $10, $12}' "$1"; }
row() { printf '| %s | %s |\n' "$1" "$(echo "$2" | awk '{printf "%.3f | %.3f | %.3f | %.3f", $1, $2, $3, $4}')"; }
ratio_row() { # LABEL "A V L M" BASE_MEAN
  printf '| %s | %s | %s |\n' "$1" "$(echo "$2" | awk '{printf "%.3f | %.3f | %.3f | %.3f", $1, $2, $3, $4}')" \
    "$(echo "$2 $3" | awk '{printf "%.2f", $4 / $5}')"
}

# ---- (2) honest protocol ----
for dir in "DE HU" "HU DE"; do
  set -- $dir
  tag="$1-$2"
  run "mean-$tag" --method mean --match "Devel_$1_*" --eval-match "Devel_$2_*" --inputs "${IN[@]}"
  run "cccw-$tag" --method cccw --match "Devel_$1_*" --eval-match "Devel_$2_*" --inputs "${IN[@]}"
  run "cccw-best-$tag" --method cccw --best-loso --match "Devel_$1_*" --eval-match "Devel_$2_*" --inputs "${IN[@]}"
  run "cccw-causal-$tag" --method cccw --causal --match "Devel_$1_*" --eval-match "Devel_$2_*" --inputs "${IN[@]}"
  run "svr5-$tag" --method svr --stages 5 --context 15 --complexities 0.01 \
    --match "Devel_$1_*" --eval-match "Devel_$2_*" --inputs "${IN[@]}"
  for s in $SETS; do
    run "single-$s-$tag" --method mean --match "Devel_$1_*" --eval-match "Devel_$2_*" \
      --inputs "$D/baseline_predictions/predictions_$s"
  done
done

# ---- (1) paper protocol (PAPER=0 skips it) ----
if [ "${PAPER:-1}" != 0 ]; then
NST=${PAPER_STAGES:-5}
if [ "${PAPER_GRID:-full}" = full ]; then
  GRID=(--search); PAPER5=paper$NST-full
  GRID_TEXT="K in {11,13,15,17,19}, C in {0.001,0.01,0.1,1}"
else
  GRID=(--contexts 11,15,19 --complexities 0.001,0.01); PAPER5=paper$NST-reduced
  GRID_TEXT="reduced grid K in {11,15,19}, C in {0.001,0.01}"
fi
run $PAPER5 --method svr "${GRID[@]}" --context-style organisers --stages "$NST" --inputs "${IN[@]}"

echo "### Paper protocol: fitted and scored on all 28 development files (not held out)"
echo
echo "SVR stacking as the AVEC 2019 organisers' fuse_results.py ($GRID_TEXT, searched per"
echo "attribute by CCC on the same data; later stages reuse stage 1's K and C). CCC on the development set:"
echo
echo "| stages | arousal | valence | liking | mean |"
echo "|---|---|---|---|---|"
run mean-all --method mean --inputs "${IN[@]}"
row "mean of the 9 inputs (no fitting)" "$(stage_ccc "$CACHE/mean-all.log" 1 train)"
for s in $(seq 1 "$NST"); do row "$s" "$(stage_ccc "$CACHE/$PAPER5.log" $s train)"; done
if [ "${SKLEARN:-0}" = 1 ] && /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
  # the same recipe in scikit-learn (slow: as long again: about an hour on the full grid)
  log="$CACHE/sklearn-$PAPER5.log"
  if ! grep -q "^stage $NST" "$log" 2>/dev/null; then
    echo "running scikit-learn reference ..." >&2
    /usr/bin/python3 -W ignore "$ROOT/bench/fusion-sklearn.py" "$D" --grid "${PAPER_GRID:-full}" --stages "$NST" > "$log"
  fi
  for s in $(seq 1 "$NST"); do
    row "$s, scikit-learn LinearSVR" "$(awk -v s=$s '/^stage / && $2==s {print $(NF-2), $(NF-1), $NF, ($(NF-2)+$(NF-1)+$NF)/3}' "$log")"
  done
  echo
  echo "Stage 1 grid point by grid point (largest |emo - scikit-learn| CCC per C; best points):"
  echo
  /usr/bin/python3 "$ROOT/bench/fusion-grid-compare.py" "$CACHE/$PAPER5.log" "$log"
fi
echo
echo "Chosen per attribute: $(grep '^record svr stage 1:' "$CACHE/$PAPER5.emo" | sed 's/^record svr stage 1: *//')"
echo
fi

for dir in "DE HU" "HU DE"; do
  set -- $dir
  tag="$1-$2"
  base=$(stage_ccc "$CACHE/mean-$tag.log" 1 eval)
  bm=$(echo "$base" | awk '{print $4}')
  best=""; bestfit=-9
  for s in $SETS; do
    f=$(stage_ccc "$CACHE/single-$s-$tag.log" 1 train | awk '{print $4}')
    if awk -v a="$f" -v b="$bestfit" 'BEGIN{exit !(a > b)}'; then best=$s; bestfit=$f; fi
  done
  echo "### Honest protocol: fit on $1 (14 files), score on $2 (14 files)"
  echo
  echo "| fusion | arousal | valence | liking | mean | vs mean of inputs |"
  echo "|---|---|---|---|---|---|"
  ratio_row "best single input on $1 ($best)" "$(stage_ccc "$CACHE/single-$best-$tag.log" 1 eval)" "$bm"
  ratio_row "mean of the 9 inputs" "$base" "$bm"
  for s in 1 2 3 4 5; do
    ratio_row "SVR +-15, C=0.01, $s stage$([ $s -gt 1 ] && echo s)" "$(stage_ccc "$CACHE/svr5-$tag.log" $s eval)" "$bm"
  done
  ratio_row "**cccw** (default: one-standard-error rule)" "$(stage_ccc "$CACHE/cccw-$tag.log" 1 eval)" "$bm"
  ratio_row "cccw --best-loso (best leave-one-file-out setting)" "$(stage_ccc "$CACHE/cccw-best-$tag.log" 1 eval)" "$bm"
  ratio_row "cccw --causal (no look-ahead)" "$(stage_ccc "$CACHE/cccw-causal-$tag.log" 1 eval)" "$bm"
  echo
  echo "SVR 1..5 stages on the fitting culture itself (training CCC): $(for s in 1 2 3 4 5; do stage_ccc "$CACHE/svr5-$tag.log" $s train | awk '{printf "%.3f ", $4}'; done)"
  echo
  echo "cccw choices (fitted on $1):"
  echo
  grep '^cccw .*: h=' "$CACHE/cccw-$tag.log" | sed 's/^/    /'
  echo
done

# ---- (3) leave-one-file-out over all 28 files (LOSO=1; LOSO_SVR=1 adds the slow SVR row) ----
if [ "${LOSO:-0}" = 1 ]; then
  run loso-mean --method mean --loso --inputs "${IN[@]}"
  run loso-cccw --method cccw --loso --inputs "${IN[@]}"
  [ "${LOSO_SVR:-0}" = 1 ] && run loso-svr1 --method svr --context 15 --complexities 0.01 --loso --inputs "${IN[@]}"
  loso_ccc() { awk '/^stage 1 loso CCC/{print $6, $8, $10, $12}' "$1"; }
  bm=$(loso_ccc "$CACHE/loso-mean.log" | awk '{print $4}')
  echo "### (2b) Leave-one-subject-out over all 28 files (both cultures)"
  echo
  echo "Each file (one subject's session) is predicted by a fuser trained on the other 27;"
  echo "CCC of the held-out predictions concatenated (cccw's own choice of h, lambda, beta is"
  echo "nested inside each training set)."
  echo
  echo "| fusion | arousal | valence | liking | mean | vs mean of inputs |"
  echo "|---|---|---|---|---|---|"
  ratio_row "mean of the 9 inputs" "$(loso_ccc "$CACHE/loso-mean.log")" "$bm"
  [ "${LOSO_SVR:-0}" = 1 ] && ratio_row "SVR +-15, C=0.01, 1 stage" "$(loso_ccc "$CACHE/loso-svr1.log")" "$bm"
  ratio_row "**cccw** (default)" "$(loso_ccc "$CACHE/loso-cccw.log")" "$bm"
  echo
fi
