# emoaudiofeat and `emo extract` on speech generated with espeak-ng:
# the README's gst-launch pipeline, element == extract, pitch and volume.
. "$(dirname "$0")/lib.sh"

command -v espeak-ng > /dev/null || skip "espeak-ng not installed"
TEXT="The north wind and the sun were disputing which was the stronger, when a traveller came along wrapped in a warm cloak."
espeak-ng -w "$TMP/speech.wav" "$TEXT" || fail "espeak-ng failed"

# 1. the launch line of the issue: decodebin ! audioconvert ! audioresample
gst gst-launch-1.0 -q filesrc location="$TMP/speech.wav" ! decodebin ! audioconvert ! audioresample \
  ! emoaudiofeat ! emoexport format=csv name-column=speech ! filesink location="$TMP/pipe.csv" \
  || fail "pipeline failed"
head -1 "$TMP/pipe.csv" | awk -F';' '{ exit !(NF == 90 && $3 == "F0semitoneFrom27.5Hz_sma3nz_amean" && $90 == "equivalentSoundLevel_dBp") }' \
  || fail "header: $(head -1 "$TMP/pipe.csv" | cut -c1-200)"
rows=$(($(wc -l < "$TMP/pipe.csv") - 1))
[ "$rows" -ge 50 ] || fail "only $rows frames"
grep -qi "nan\|inf" "$TMP/pipe.csv" && fail "non-finite values in the CSV"
# timestamps on the 100 ms grid
awk -F';' 'NR > 1 { if (($2 - (NR - 2) * 0.1) > 1e-6 || ((NR - 2) * 0.1 - $2) > 1e-6) bad = 1 } END { exit bad }' "$TMP/pipe.csv" \
  || fail "timestamps off the 100 ms grid"
# speech is voiced somewhere: F0 mean of the last frame within 70-300 Hz (37-60 semitones)
tail -1 "$TMP/pipe.csv" | awk -F';' '{ exit !($3 > 15 && $3 < 60) }' || fail "implausible F0 mean: $(tail -1 "$TMP/pipe.csv" | cut -d';' -f3)"

# 2. element and `emo extract` give identical numbers on the same samples
"$EMO_TOOL" extract "$TMP/speech.wav" --out "$TMP/ex" -q || fail "emo extract failed"
gst gst-launch-1.0 -q filesrc location="$TMP/speech.wav" ! wavparse ! emoaudiofeat \
  ! emoexport format=csv precision=9 ! filesink location="$TMP/elem.csv" || fail "wavparse pipeline failed"
cut -d';' -f2- "$TMP/ex/speech.csv" > "$TMP/a.txt"
cut -d';' -f2- "$TMP/elem.csv" > "$TMP/b.txt"
[ "$(wc -l < "$TMP/a.txt")" -eq "$(wc -l < "$TMP/b.txt")" ] || fail "row counts differ: extract $(wc -l < "$TMP/a.txt") element $(wc -l < "$TMP/b.txt")"
cmp -s "$TMP/a.txt" "$TMP/b.txt" || { diff "$TMP/a.txt" "$TMP/b.txt" | head -5; fail "element and extract differ"; }
head -1 "$TMP/ex/speech.csv" | grep -q "^name;timestamp;F0semitoneFrom27.5Hz_sma3nz_amean;" || fail "extract header"
sed -n 2p "$TMP/ex/speech.csv" | grep -q "^'speech';0.000000;" || fail "extract first row: $(sed -n 2p "$TMP/ex/speech.csv" | cut -c1-80)"

# the other sets and ARFF
"$EMO_TOOL" extract "$TMP/speech.wav" --out "$TMP/ms" --feature-set egemaps-lld-meanstd --window 2 --hop 0.5 --format arff -q \
  || fail "extract lld-meanstd arff"
[ "$(grep -c '^@attribute' "$TMP/ms/speech.arff")" -eq 52 ] || fail "arff attributes: $(grep -c '^@attribute' "$TMP/ms/speech.arff")"
gst gst-launch-1.0 -q filesrc location="$TMP/speech.wav" ! wavparse ! emoaudiofeat feature-set=egemaps-lld hop=10000000 \
  ! emoexport format=csv ! filesink location="$TMP/lld.csv" || fail "lld pipeline"
head -1 "$TMP/lld.csv" | awk -F';' '{ exit !(NF == 27 && $3 == "Loudness_sma3") }' || fail "lld header"

# 3. pitch and volume move F0 and loudness (whole utterance in one window)
summary() {  # wav -> "F0mean loudness_mean Leq"
  rm -rf "$TMP/s"
  "$EMO_TOOL" extract "$1" --out "$TMP/s" --window 60 --hop 60 -q || fail "extract $1"
  awk -F';' 'NR == 2 { print $3, $13, $90 }' "$TMP/s/$(basename "${1%.wav}").csv"
}
espeak-ng -p 20 -w "$TMP/low.wav" "$TEXT"
espeak-ng -p 85 -w "$TMP/high.wav" "$TEXT"
espeak-ng -a 30 -w "$TMP/quiet.wav" "$TEXT"
espeak-ng -a 180 -w "$TMP/loud.wav" "$TEXT"
read -r f0_low _ _ <<< "$(summary "$TMP/low.wav")"
read -r f0_high _ _ <<< "$(summary "$TMP/high.wav")"
read -r _ l_quiet leq_quiet <<< "$(summary "$TMP/quiet.wav")"
read -r _ l_loud leq_loud <<< "$(summary "$TMP/loud.wav")"
echo "F0 mean: pitch 20 -> $f0_low st, pitch 85 -> $f0_high st"
echo "loudness: amplitude 30 -> $l_quiet (Leq $leq_quiet dB), 180 -> $l_loud (Leq $leq_loud dB)"
awk -v a="$f0_low" -v b="$f0_high" 'BEGIN { exit !(b > a + 2) }' || fail "higher pitch did not raise the F0 mean"
awk -v a="$l_quiet" -v b="$l_loud" 'BEGIN { exit !(b > a * 1.3) }' || fail "louder speech did not raise loudness"
awk -v a="$leq_quiet" -v b="$leq_loud" 'BEGIN { exit !(b > a + 6) }' || fail "louder speech did not raise Leq"
echo "1 passed, 0 failed"
