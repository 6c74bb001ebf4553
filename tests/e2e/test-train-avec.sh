# emo train on real labels (AVEC 2019 CES): a linear model on the nine
# stage-1 prediction streams, trained on German sessions, must carry over to
# Hungarian ones it never saw (cross-cultural, speaker independent).
. "$(dirname "$0")/lib.sh"
DATA="${EMO_SHARED_DATA:-}/avec2019-ces"
[ -d "$DATA/labels_devel" ] || skip "no AVEC 2019 CES data at $DATA"
"$EMO_SOURCE_ROOT/bench/mtl-data.sh" "$DATA" "$TMP/d"
D="$TMP/d"
"$EMO_TOOL" train -f "$D/DE-train/features" -l "$D/DE-train/labels" \
  --devel-features "$D/DE-dev/features" --devel-labels "$D/DE-dev/labels" \
  --model linear --lr 1e-2 --epochs 15 --chunk 200 --batch 8 --threads 1 \
  --weights 0.7,0.2,1.0 --layout avec-ces-27 -o "$TMP/lin.emo" > "$TMP/train.log" \
  || { cat "$TMP/train.log"; fail "training on real data"; }
grep -q "27 features at 10 frames/s" "$TMP/train.log" || fail "feature count"
"$EMO_TOOL" predict --model "$TMP/lin.emo" --features "$D/HU-all/features" --out "$TMP/p" > /dev/null
"$EMO_TOOL" eval --labels "$D/HU-all/labels" --predictions "$TMP/p" > "$TMP/eval.txt"
cat "$TMP/eval.txt"
# held-out culture: arousal and valence clearly above chance, nothing NaN
awk '$1 == "arousal" && $2 > 0.25 { a = 1 } $1 == "valence" && $2 > 0.2 { v = 1 }
  /nan/ { bad = 1 } END { exit !(a && v && !bad) }' "$TMP/eval.txt" || fail "no cross-cultural transfer"
# the model file records what it was trained on
"$EMO_TOOL" predict --info --model "$TMP/lin.emo" | grep -q "layout avec-ces-27 (27 features" || fail "info"
echo ok
