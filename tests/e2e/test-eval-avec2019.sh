# emo eval reproduces the published AVEC 2019 development CCCs (README table
# of ../shared/data/avec2019-ces) to 3 decimals for every prediction set.
. "$(dirname "$0")/lib.sh"
D="${EMO_SHARED_DATA}/avec2019-ces"
[ -d "$D/labels_devel" ] || skip "no AVEC 2019 data at $D"

n=0; bad=0
while IFS='|' read -r _ set a v l _; do
  set=$(echo "$set" | awk '{print $1}')
  a=$(echo "$a" | tr -d ' '); v=$(echo "$v" | tr -d ' '); l=$(echo "$l" | tr -d ' ')
  [ -d "$D/baseline_predictions/predictions_$set" ] || continue
  out=$("$EMO_TOOL" eval --labels "$D/labels_devel" --predictions "$D/baseline_predictions/predictions_$set" --precision 7)
  got=$(echo "$out" | awk '$1=="arousal"{a=$2} $1=="valence"{v=$2} $1=="liking"{l=$2} END{printf "%.3f %.3f %.3f", a, v, l}')
  want=$(printf "%.3f %.3f %.3f" "0$a" "0$v" "0$l")
  if [ "$got" = "$want" ]; then echo "ok   $set: $got"; else echo "FAIL $set: got $got want $want"; bad=$((bad+1)); fi
  n=$((n+1))
done < <(grep -E '^\| [a-z]' "$D/README.md" | grep -v '^| set')
[ "$n" -ge 10 ] || fail "only $n sets checked"
echo "$((n-bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
