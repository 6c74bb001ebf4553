# Fidelity to openSMILE 3.0.2's eGeMAPSv02, the standard's reference: three
# short espeak-ng utterances (tests/data/egemaps/{a,b,c}.wav: English male
# and female, German; 22.05 and 16 kHz) with openSMILE's own output for them
# stored beside them (NAME.lld.csv, NAME.func.csv, written by SMILExtract
# -C config/egemaps/v02/eGeMAPSv02.conf, built from its source by
# bench/egemaps-fidelity.sh). `emo extract` must give the same frame count,
# the same voicing decisions (>= 97 % of frames), each LLD's frame-by-frame
# Pearson r over frames both call voiced at or above its floor below, and
# each whole-file functional within its tolerance of openSMILE's.
# Floors and tolerances are the measured agreement with a margin: a change
# that moves us away from openSMILE fails here. Jitter and shimmer are not
# reproduced yet (docs/audio-features.md) and are only reported.
. "$(dirname "$0")/lib.sh"
D="$EMO_SOURCE_ROOT/tests/data/egemaps"
for f in a b c; do
  "$EMO_TOOL" extract -q -s egemaps-lld --hop 0.01 -o "$TMP/lld" "$D/$f.wav" || fail "extract LLD $f"
  "$EMO_TOOL" extract -q --window 600 --hop 60 -o "$TMP/func" "$D/$f.wav" || fail "extract functionals $f"
done

# ---- LLDs: counts, voicing, r per LLD pooled over the three files ----
awk -F';' -v out="$TMP/lld.txt" '
  # r floors by LLD column (1-based among the 25); 0 = reported only
  BEGIN { for (i = 1; i <= 25; i++) floor[i] = 0.99
          floor[12] = 0; floor[13] = 0                    # jitter, shimmer
          floor[17] = 0.97; floor[20] = 0.97; floor[23] = 0.97   # F1-F3 frequency
          floor[18] = 0.93; floor[21] = 0.93; floor[24] = 0.93 } # F1-F3 bandwidth
  FNR == 1 { file++; if (file % 2 == 1) { nt = 0 } else { no = 0 }; next }
  file % 2 == 1 { nt++; for (i = 3; i <= NF; i++) T[nt, i - 2] = $i; next }
  { no++; for (i = 3; i <= NF; i++) O[no, i - 2] = $i
    if (no > nt) next
    vt = T[no, 11] > 0; vo = O[no, 11] > 0
    frames++; agree += (vt == vo)
    for (c = 1; c <= 25; c++) {
      if (c >= 11 && !(vt && vo)) continue
      x = O[no, c]; y = T[no, c]
      n[c]++; sx[c] += x; sy[c] += y; sxx[c] += x * x; syy[c] += y * y; sxy[c] += x * y
    } }
  ENDFILE { if (file % 2 == 0 && no != nt) { printf "frame count %d vs openSMILE %d\n", no, nt > out; bad = 1 } }
  END {
    printf "voicing agreement %.4f over %d frames\n", agree / frames, frames > out
    if (agree / frames < 0.97) bad = 1
    for (c = 1; c <= 25; c++) {
      vx = n[c] * sxx[c] - sx[c] * sx[c]; vy = n[c] * syy[c] - sy[c] * sy[c]
      r = (vx > 0 && vy > 0) ? (n[c] * sxy[c] - sx[c] * sy[c]) / sqrt(vx * vy) : 1
      ok = r >= floor[c]
      printf "LLD %2d r %.4f (floor %.2f) %s\n", c, r, floor[c], ok ? "ok" : "BELOW" > out
      if (!ok) bad = 1
    }
    exit bad }' \
  "$D/a.lld.csv" "$TMP/lld/a.csv" "$D/b.lld.csv" "$TMP/lld/b.csv" "$D/c.lld.csv" "$TMP/lld/c.csv" \
  || { cat "$TMP/lld.txt"; fail "LLDs drifted from openSMILE"; }
cat "$TMP/lld.txt"

# ---- functionals: |ours - openSMILE| <= rtol |openSMILE| + atol ----
# rtol by feature group (these files are 1.6 s, so the end-of-file effects
# of docs/audio-features.md weigh more than on EmoDB); skipped: jitter and
# shimmer (not reproduced), and the F0 slope and segment functionals whose
# few extrema / segments in 1.6 s flip with one frame.
for f in a b c; do
  paste -d'\n' <(tail -1 "$D/$f.func.csv") <(tail -1 "$TMP/func/$f.csv") > "$TMP/pair.$f"
  head -1 "$D/$f.func.csv" > "$TMP/names"
  awk -F';' -v f="$f" -v out="$TMP/func.$f.txt" '
    NR == FNR { for (i = 3; i <= NF; i++) name[i] = $i; next }
    FNR == 1 { for (i = 3; i <= NF; i++) t[i] = $i; next }
    { for (i = 3; i <= NF; i++) {
        nm = name[i]; o = $i
        if (nm ~ /jitter|shimmer|Slope|Segment/) continue
        rtol = 0.06; atol = 0.02
        if (nm ~ /stddevNorm/) { rtol = 0.12; atol = 0.05 }
        if (nm ~ /mfcc/) { rtol = 0.25; atol = 1.0 }     # near-zero means
        if (nm ~ /loudness_sma3_percentile20|slope/) { rtol = 0.25; atol = 0.01 }
        if (nm ~ /H1-A3_sma3nz_stddevNorm|pctlrange/) rtol = 0.35
        # c.wav has one frame of 156 voiced by one side only
        if (nm ~ /H1-H2_sma3nz_amean|H1-A3_sma3nz_amean/) rtol = 0.12
        # dB values near 0 (a mean of 0.3 dB) make their stddevNorm unstable
        if (nm ~ /amplitudeLogRelF0_sma3nz_amean/) atol = 1.0
        if (nm ~ /amplitudeLogRelF0_sma3nz_stddevNorm/ && (t[i] > 5 || t[i] < -5)) rtol = 0.5
        d = o - t[i]; if (d < 0) d = -d
        a = t[i]; if (a < 0) a = -a
        checked++
        if (d > rtol * a + atol) { bad++; printf "%s %s: ours %g openSMILE %g\n", f, nm, o, t[i] > out }
      }
      printf "%s: %d functionals checked, %d outside tolerance\n", f, checked, bad > out
      exit (bad > 0) }' "$TMP/names" "$TMP/pair.$f" || { cat "$TMP/func.$f.txt"; fail "functionals of $f drifted"; }
  cat "$TMP/func.$f.txt"
done
echo ok
