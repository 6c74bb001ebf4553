# The generalising fuser (cccw) against the plain mean of the inputs across
# cultures on the real AVEC 2019 development predictions: fit on German and
# score on Hungarian, and the reverse (held-out CCC, mean over attributes).
# The figures go to docs/results.md via bench/fusion-real.sh; this checks the
# claim made there and that `--causal` gives a model without look-ahead.
. "$(dirname "$0")/lib.sh"
D="${EMO_SHARED_DATA}/avec2019-ces"
[ -d "$D/labels_devel" ] || skip "no AVEC 2019 data at $D"
IN=()
for s in egemaps-func_STD egemaps-xbow mfcc-func_STD mfcc-xbow deepspectrum visual-func visual-xbow visual-resnet visual-vgg; do
  IN+=("$D/baseline_predictions/predictions_$s")
done
held_out() { awk '/^stage 1 eval CCC/{print $NF}'; }
for dir in "DE HU" "HU DE"; do
  set -- $dir
  mean=$("$EMO_TOOL" fuse-train --labels "$D/labels_devel" --method mean --match "Devel_$1_*" \
    --eval-match "Devel_$2_*" -o "$TMP/mean.emo" --inputs "${IN[@]}" | held_out)
  cccw=$("$EMO_TOOL" fuse-train --labels "$D/labels_devel" --method cccw --match "Devel_$1_*" \
    --eval-match "Devel_$2_*" -o "$TMP/cccw.emo" --inputs "${IN[@]}" | held_out)
  echo "fit $1 score $2: mean of inputs $mean, cccw $cccw"
  awk -v a="$cccw" -v b="$mean" 'BEGIN{exit !(a > b)}' || fail "cccw does not beat the mean ($1 -> $2)"
done
"$EMO_TOOL" fuse-train --labels "$D/labels_devel" --method cccw --causal --match "Devel_DE_*" \
  -o "$TMP/causal.emo" --inputs "${IN[@]}" > "$TMP/causal.txt"
grep -q "look-ahead 0 frames" "$TMP/causal.txt" || fail "causal model has look-ahead"
echo ok
