# emo extract on real speech (EmoDB, 22.05 kHz): known acoustic contrasts
# must show in the 88 functionals. Skips without the shared data.
. "$(dirname "$0")/lib.sh"

WAV="${EMO_SHARED_DATA:-}/emodb/wav"
[ -d "$WAV" ] || skip "EmoDB not found under EMO_SHARED_DATA"
# every fourth utterance (134 files of 2 s), one 2 s window per file
mapfile -t files < <(ls "$WAV"/*.wav | sort | awk 'NR % 4 == 1')
[ "${#files[@]}" -ge 100 ] || skip "EmoDB incomplete"
"$EMO_TOOL" extract "${files[@]}" --out "$TMP/f" --window 2 --hop 2 -q || fail "emo extract failed"
[ "$(ls "$TMP/f"/*.csv | wc -l)" -eq "${#files[@]}" ] || fail "missing outputs"

# one line per file: name F0mean alphaRatioV voicedSegmentsPerSec, any non-finite value fails
for f in "$TMP"/f/*.csv; do
  awk -F';' -v n="$(basename "$f" .csv)" 'NR == 2 {
      for (i = 3; i <= NF; i++) if ($i ~ /nan|inf/) { print "NONFINITE", n; exit }
      print n, $3, $61, $85 }' "$f"
done > "$TMP/summary.txt"
grep -q NONFINITE "$TMP/summary.txt" && fail "non-finite features: $(grep NONFINITE "$TMP/summary.txt" | head -3)"

# speakers 03 10 11 12 15 are male, 08 09 13 14 16 female; emotion letter at
# position 6: W anger, T sadness, L boredom
awk '
  { sp = substr($1, 1, 2); emo = substr($1, 6, 1)
    if (sp == "03" || sp == "10" || sp == "11" || sp == "12" || sp == "15") { m += $2; nm++ } else { w += $2; nw++ }
    f0[emo] += $2; al[emo] += $3; ne[emo]++; vs += $4; n++ }
  END {
    printf "F0 mean: male %.1f st, female %.1f st\n", m / nm, w / nw
    printf "F0 mean: anger %.1f, sadness %.1f, boredom %.1f st\n", f0["W"] / ne["W"], f0["T"] / ne["T"], f0["L"] / ne["L"]
    printf "alpha ratio (voiced): anger %.1f, sadness %.1f dB\n", al["W"] / ne["W"], al["T"] / ne["T"]
    printf "voiced segments per second: %.2f\n", vs / n
    ok = (w / nw > m / nm + 4) && (f0["W"] / ne["W"] > f0["T"] / ne["T"] + 5) &&
         (f0["W"] / ne["W"] > f0["L"] / ne["L"] + 4) && (al["W"] / ne["W"] > al["T"] / ne["T"] + 5) &&
         (vs / n > 1 && vs / n < 8)
    exit !ok
  }' "$TMP/summary.txt" || fail "expected contrasts (female > male F0, anger > sadness/boredom F0 and alpha ratio) not found"
echo "1 passed, 0 failed"
