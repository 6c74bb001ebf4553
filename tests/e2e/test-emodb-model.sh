# The shipped default audio model (models/emodb-audio.emo): it loads, says it
# predicts arousal and valence only, runs behind emoaudiofeat on speech it
# never heard (espeak-ng) with finite values on every frame, and - on EmoDB
# itself, when the data is there - still separates high- from low-arousal
# categories (a regression check of the shipped file: these utterances were
# in its training set; held-out figures are in models/README.md).
. "$(dirname "$0")/lib.sh"
M="$EMO_SOURCE_ROOT/models/emodb-audio.emo"
[ -f "$M" ] || fail "no $M"
info=$("$EMO_TOOL" predict --info --model "$M") || fail "emo predict --info: $info"
echo "$info"
# made on openSMILE-defined eGeMAPS v02 functionals, what emoaudiofeat and emo extract give by default
echo "$info" | grep -q 'layout egemaps-v02-func (88 features' || fail "layout"
echo "$info" | grep -q 'predicts arousal' || fail "no arousal"
echo "$info" | grep -q 'valence' || fail "no valence"
echo "$info" | grep -q 'liking' && fail "claims liking"
echo "$info" | grep -q 'input normalised per stream' || fail "shipped model is not normalised per stream"
# the shipped models describe their data, not scratch folders of the machine that made them
for f in "$EMO_SOURCE_ROOT"/models/*.emo; do
  "$EMO_TOOL" predict --info --model "$f" | sed 's/^[^:]*: //' | grep -qE '/tmp/|/work/|/root/|/home/' && fail "$f names a scratch path"
done

command -v espeak-ng >/dev/null || skip "espeak-ng not installed"
espeak-ng -v de -w "$TMP/s.wav" "Der Zug zur Küste fährt kurz nach neun Uhr ab, und niemand hat es bemerkt." || fail "espeak-ng"
gst gst-launch-1.0 -q filesrc location="$TMP/s.wav" ! wavparse ! audioconvert ! audioresample ! \
  emoaudiofeat ! emomtl model="$M" ! emoexport format=csv features=false \
  ! filesink location="$TMP/s.csv" || fail "pipeline"
# on the first feature variant's numbers it refuses to run
gst gst-launch-1.0 -q filesrc location="$TMP/s.wav" ! wavparse ! audioconvert ! audioresample ! \
  emoaudiofeat feature-set=emo-acoustic-v1-functionals ! emomtl model="$M" ! fakesink > "$TMP/refused.txt" 2>&1 \
  && fail "model ran on emo-acoustic-v1 features"
grep -q 'egemaps-v02-func' "$TMP/refused.txt" || fail "refusal does not name the layout: $(cat "$TMP/refused.txt")"
head -1 "$TMP/s.csv" | grep -qx 'name;timestamp;arousal;valence' || fail "header: $(head -1 "$TMP/s.csv")"
awk -F';' 'NR > 1 { n++; for (i = 3; i <= 4; i++) if ($i !~ /^-?[0-9.e+-]+$/ || $i < -2 || $i > 2) bad = 1 }
  END { exit !(n >= 20 && !bad) }' "$TMP/s.csv" || fail "bad predictions in $TMP/s.csv"

# --clip: one row per file, the mean of the file's frame predictions
mkdir -p "$TMP/sf"
"$EMO_TOOL" extract --quiet --out "$TMP/sf" "$TMP/s.wav" || fail "emo extract"
"$EMO_TOOL" predict --model "$M" --signal-time --features "$TMP/sf" --out "$TMP/sp" > /dev/null || fail "emo predict"
"$EMO_TOOL" predict --model "$M" --clip --features "$TMP/sf" --out "$TMP/sc" > /dev/null || fail "emo predict --clip"
[ "$(wc -l < "$TMP/sc/s.csv")" -eq 2 ] || fail "--clip: $(wc -l < "$TMP/sc/s.csv") lines"
# (over the later half of the frames, at most the first 2 s left out)
awk -F';' 'FNR == 1 { f++; next } f == 1 { a[++n] = $3; v[n] = $4 } f == 2 { ca = $3; cv = $4; ct = $2 }
  END { k = int(n / 2); if (k > 20) k = 20; for (i = k + 1; i <= n; i++) { sa += a[i]; sv += v[i] }
        d = (sa / (n - k) - ca) ^ 2 + (sv / (n - k) - cv) ^ 2; exit !(n >= 20 && d < 1e-10 && ct == 0) }' \
  "$TMP/sp/s.csv" "$TMP/sc/s.csv" || fail "--clip is not the mean of the later frame predictions"

D="${EMO_SHARED_DATA}/emodb/wav"
[ -d "$D" ] || skip "no EmoDB at $D"
mkdir -p "$TMP/p"
for w in "$D"/03a0[1-5][WFATL]*.wav; do
  u=$(basename "$w" .wav)
  gst gst-launch-1.0 -q filesrc location="$w" ! wavparse ! audioconvert ! audioresample \
    ! emoaudiofeat ! \
    emomtl model="$M" ! emoexport format=csv features=false name-column="$u" ! filesink location="$TMP/p/$u.csv" \
    || fail "$u"
done
awk -F';' 'FNR == 1 { split(FILENAME, p, "/"); e = substr(p[length(p)], 6, 1); next }
  { if (e ~ /[WFA]/) { hi += $3; nh++ } else { lo += $3; nl++ } }
  END { printf "mean arousal: anger/happiness/fear %.3f, sadness/boredom %.3f\n", hi / nh, lo / nl;
        exit !(nh > 0 && nl > 0 && hi / nh - lo / nl > 0.3) }' "$TMP"/p/*.csv || fail "arousal does not separate"
echo ok
