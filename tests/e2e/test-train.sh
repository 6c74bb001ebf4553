# emo train / emo predict / emomtl end to end on generated data: the targets
# are functions of the features, so a trained model must score well on
# held-out files; the same model runs in a gst-launch pipeline.
. "$(dirname "$0")/lib.sh"
E="$EMO_TOOL"

# 8 recordings of 300 frames: 4 features; arousal follows a smoothed x0 with
# valence = x1 - x2, liking a slow x3, all labels lagging the signal by 0.5 s
gen() { # dir seed
  mkdir -p "$1/f" "$1/l"
  for r in 1 2 3 4; do
    awk -v seed="$2$r" -v name="rec_$r" -v ff="$1/f/rec_$r.csv" -v lf="$1/l/rec_$r.csv" 'BEGIN {
      srand(seed); a = 0; l = 0
      print "name;timestamp;x0;x1;x2;x3" > ff
      print "name;timestamp;arousal;valence;liking" > lf
      for (t = 0; t < 300; t++) {
        for (i = 0; i < 4; i++) x[t, i] = rand() * 2 - 1
        a = 0.8 * a + 0.2 * x[t, 0]; l = 0.95 * l + 0.05 * x[t, 3]
        A[t] = a; V[t] = (x[t, 1] - x[t, 2]) / 2; L[t] = l
        printf "\x27%s\x27;%.6f;%.5f;%.5f;%.5f;%.5f\n", name, t / 10, x[t, 0], x[t, 1], x[t, 2], x[t, 3] > ff
        k = t >= 5 ? t - 5 : 0
        printf "\x27%s\x27;%.6f;%.5f;%.5f;%.5f\n", name, t / 10, A[k], V[k], L[k] > lf
      }
    }'
  done
}
gen "$TMP/train" 1
gen "$TMP/dev" 2
gen "$TMP/test" 3

opts="--hidden 16,8 --epochs 25 --batch 4 --chunk 100 --lr 5e-3 --optimizer adam --dropout 0.1 --threads 1"
"$E" train -f "$TMP/train/f" -l "$TMP/train/l" --devel-features "$TMP/dev/f" \
  --devel-labels "$TMP/dev/l" $opts --delay 0.5 -o "$TMP/m.emo" > "$TMP/train.log" \
  || { cat "$TMP/train.log"; fail "emo train"; }
grep -q "^epoch   1/25 " "$TMP/train.log" || fail "no per-epoch progress"
grep -q "delay 0.5 s (5 frames)" "$TMP/train.log" || fail "delay not in frames"
[ "$(grep -c '^epoch' "$TMP/train.log")" -eq 25 ] || fail "epoch count"
"$E" predict --info --model "$TMP/m.emo" | grep -q "delay 0.5 s" || fail "predict --info"

# predictions on the label timeline score well on unseen files
"$E" predict --model "$TMP/m.emo" --features "$TMP/test/f" --out "$TMP/pred" > /dev/null || fail "emo predict"
[ "$(ls "$TMP/pred"/*.csv | wc -l)" -eq 4 ] || fail "expected 4 prediction files"
head -1 "$TMP/pred/rec_1.csv" | grep -qx "name;timestamp;arousal;valence;liking" || fail "header: $(head -1 "$TMP/pred/rec_1.csv")"
[ "$(wc -l < "$TMP/pred/rec_1.csv")" -eq 301 ] || fail "row count"
"$E" eval --labels "$TMP/test/l" --predictions "$TMP/pred" > "$TMP/eval.txt"
cat "$TMP/eval.txt"
awk '$1 == "arousal" && $2 > 0.6 { a = 1 } $1 == "valence" && $2 > 0.5 { v = 1 } END { exit !(a && v) }' \
  "$TMP/eval.txt" || fail "trained model does not generalise"
# without applying the delay back, arousal scores worse (the shift matters)
"$E" predict --signal-time --model "$TMP/m.emo" --features "$TMP/test/f" --out "$TMP/pred-sig" > /dev/null
"$E" eval --labels "$TMP/test/l" --predictions "$TMP/pred-sig" > "$TMP/eval-sig.txt"
a1=$(awk '$1 == "arousal" { print $2 }' "$TMP/eval.txt"); a2=$(awk '$1 == "arousal" { print $2 }' "$TMP/eval-sig.txt")
awk -v a="$a1" -v b="$a2" 'BEGIN { exit !(a > b + 0.05) }' || fail "delay shift has no effect ($a1 vs $a2)"

# single-task models, combined by emo predict
"$E" train -f "$TMP/train/f" -l "$TMP/train/l" --devel-features "$TMP/dev/f" \
  --devel-labels "$TMP/dev/l" $opts --epochs 3 --stl -q -o "$TMP/stl.emo" > /dev/null || fail "--stl"
for a in arousal valence liking; do [ -f "$TMP/stl-$a.emo" ] || fail "no stl-$a.emo"; done
"$E" predict --model "$TMP/stl-arousal.emo" --model "$TMP/stl-valence.emo" --model "$TMP/stl-liking.emo" \
  --features "$TMP/test/f" --out "$TMP/pred-stl" > /dev/null || fail "predict with three models"
head -1 "$TMP/pred-stl/rec_2.csv" | grep -qx "name;timestamp;arousal;valence;liking" || fail "stl header"

# weight search is bounded and resumable
"$E" train -f "$TMP/train/f" -l "$TMP/train/l" --devel-features "$TMP/dev/f" \
  --devel-labels "$TMP/dev/l" $opts --epochs 2 -q --search 2 -o "$TMP/s.emo" > "$TMP/s1.log" || fail "--search"
[ "$(grep -c '^[0-9]' "$TMP/s.emo.search.tsv")" -eq 2 ] || fail "search log rows"
"$E" train -f "$TMP/train/f" -l "$TMP/train/l" --devel-features "$TMP/dev/f" \
  --devel-labels "$TMP/dev/l" $opts --epochs 2 -q --search 3 -o "$TMP/s.emo" > "$TMP/s2.log" || fail "--search resume"
grep -q "resuming search .* 2 draws done" "$TMP/s2.log" || { cat "$TMP/s2.log"; fail "no resume"; }
[ "$(grep -c '^[0-9]' "$TMP/s.emo.search.tsv")" -eq 3 ] || fail "resumed search log rows"
# a model that declares only some attributes (no liking)
"$E" train -f "$TMP/train/f" -l "$TMP/train/l" $opts --epochs 1 -q --attributes arousal,valence \
  -o "$TMP/av.emo" > /dev/null || fail "--attributes"
"$E" predict --model "$TMP/av.emo" --features "$TMP/test/f" --out "$TMP/pred-av" > /dev/null
head -1 "$TMP/pred-av/rec_1.csv" | grep -qx "name;timestamp;arousal;valence" || fail "2-attribute header"

# errors name the fault
if "$E" train -f "$TMP/train/f" -l "$TMP/nope" -o "$TMP/x.emo" 2> "$TMP/err.txt"; then fail "missing labels accepted"; fi
grep -q "nope" "$TMP/err.txt" || fail "error does not name the folder: $(cat "$TMP/err.txt")"
if "$E" train -f "$TMP/train/f" -l "$TMP/train/l" --weights 1,2 -o "$TMP/x.emo" 2> "$TMP/err.txt"; then fail "bad weights accepted"; fi
head -c 100 "$TMP/m.emo" > "$TMP/trunc.emo"
if "$E" predict --model "$TMP/trunc.emo" --features "$TMP/test/f" --out "$TMP/x" 2> "$TMP/err.txt"; then fail "truncated model accepted"; fi
grep -q "trunc.emo: truncated" "$TMP/err.txt" || fail "truncation message: $(cat "$TMP/err.txt")"

# the same model in a pipeline: signal timeline, predictions in the CSV
gst gst-launch-1.0 -q filesrc location="$TMP/test/f/rec_1.csv" ! emoparse ! emomtl model="$TMP/m.emo" \
  ! emoexport features=false name-column=rec_1 ! filesink location="$TMP/pipe.csv" || fail "pipeline"
[ "$(wc -l < "$TMP/pipe.csv")" -eq 301 ] || fail "pipeline rows: $(wc -l < "$TMP/pipe.csv")"
head -1 "$TMP/pipe.csv" | grep -qx "name;timestamp;arousal;valence;liking" || fail "pipeline header: $(head -1 "$TMP/pipe.csv")"
grep -qi nan "$TMP/pipe.csv" && fail "nan in pipeline output"
# emomtl equals emo predict --signal-time (same forward path), row by row
paste -d';' <(tail -n +2 "$TMP/pipe.csv") <(tail -n +2 "$TMP/pred-sig/rec_1.csv") | awk -F';' '
  { for (i = 3; i <= 5; i++) { d = $i - $(i + 5); if (d < 0) d = -d; if (d > m) m = d } }
  END { if (m > 1e-4) { print "max diff " m; exit 1 } }' || fail "emomtl differs from emo predict"
# a model for another layout is refused with a clear message (timeout: at the
# time of writing emoparse does not shut down after a not-negotiated error,
# with any refusing downstream element, capsfilter included)
if gst timeout 30 gst-launch-1.0 -q filesrc location="$TMP/test/f/rec_1.csv" ! emoparse layout=other ! emomtl model="$TMP/m.emo" \
  ! fakesink 2> "$TMP/gst-err.txt" > "$TMP/gst-out.txt"; then fail "layout mismatch accepted"; fi
grep -q 'expects layout "avec-csv"' "$TMP/gst-err.txt" "$TMP/gst-out.txt" || fail "mismatch message: $(cat "$TMP/gst-err.txt" "$TMP/gst-out.txt")"

# per-stream normalisation: every recording is a "speaker" whose features are
# offset and scaled (x -> s x + o, s and o per recording, not related to the
# labels); a model normalised per stream sees through it, one with the fixed
# training statistics does not
gen2() { # dir seed
  mkdir -p "$1/f" "$1/l"
  for r in 1 2 3 4; do
    awk -v seed="$2$r" -v name="rec_$r" -v ff="$1/f/rec_$r.csv" -v lf="$1/l/rec_$r.csv" 'BEGIN {
      srand(seed); a = 0
      for (i = 0; i < 4; i++) { sc[i] = 0.3 + 2.7 * rand(); of[i] = 6 * rand() - 3 }
      print "name;timestamp;x0;x1;x2;x3" > ff
      print "name;timestamp;arousal;valence" > lf
      for (t = 0; t < 300; t++) {
        for (i = 0; i < 4; i++) x[i] = rand() * 2 - 1
        a = 0.8 * a + 0.2 * x[0]; v = (x[1] - x[2]) / 2
        printf "\x27%s\x27;%.6f", name, t / 10 > ff
        for (i = 0; i < 4; i++) printf ";%.5f", sc[i] * x[i] + of[i] > ff
        printf "\n" > ff
        printf "\x27%s\x27;%.6f;%.5f;%.5f\n", name, t / 10, a, v > lf
      }
    }'
  done
}
gen2 "$TMP/n-train" 4
gen2 "$TMP/n-dev" 5
gen2 "$TMP/n-test" 6
for mode in fixed stream; do
  "$E" train -f "$TMP/n-train/f" -l "$TMP/n-train/l" --devel-features "$TMP/n-dev/f" \
    --devel-labels "$TMP/n-dev/l" $opts -q --normalise $mode --norm-warmup 2 -o "$TMP/n-$mode.emo" \
    > "$TMP/n-$mode.log" || { cat "$TMP/n-$mode.log"; fail "emo train --normalise $mode"; }
  "$E" predict --model "$TMP/n-$mode.emo" --features "$TMP/n-test/f" --out "$TMP/n-pred-$mode" > /dev/null \
    || fail "predict $mode"
  "$E" eval --labels "$TMP/n-test/l" --predictions "$TMP/n-pred-$mode" > "$TMP/n-eval-$mode.txt"
  echo "normalise=$mode: $(awk '$1 == "arousal" || $1 == "valence" { printf "%s %s  ", $1, $2 }' "$TMP/n-eval-$mode.txt")"
done
"$E" predict --info --model "$TMP/n-stream.emo" | grep -q "normalised per stream (warm-up 2 s" || fail "stream mode not recorded"
fa=$(awk '$1 == "arousal" { print $2 }' "$TMP/n-eval-fixed.txt"); sa=$(awk '$1 == "arousal" { print $2 }' "$TMP/n-eval-stream.txt")
awk -v f="$fa" -v s="$sa" 'BEGIN { exit !(s > 0.6 && s > f + 0.1) }' || fail "per-stream normalisation does not help ($sa vs $fa)"
# emomtl normalises per stream on its own (normalise=auto) exactly as emo predict does per file
"$E" predict --signal-time --model "$TMP/n-stream.emo" --features "$TMP/n-test/f" --out "$TMP/n-sig" > /dev/null
gst gst-launch-1.0 -q filesrc location="$TMP/n-test/f/rec_2.csv" ! emoparse ! emomtl model="$TMP/n-stream.emo" \
  ! emoexport features=false name-column=rec_2 ! filesink location="$TMP/n-pipe.csv" || fail "stream pipeline"
[ "$(wc -l < "$TMP/n-pipe.csv")" -eq 301 ] || fail "stream pipeline rows"
paste -d';' <(tail -n +2 "$TMP/n-pipe.csv") <(tail -n +2 "$TMP/n-sig/rec_2.csv") | awk -F';' '
  { for (i = 3; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > m) m = d } }
  END { if (m > 1e-4) { print "max diff " m; exit 1 } }' || fail "emomtl normalise=auto differs from emo predict"
# and the override: normalise=fixed on this model equals emo predict --normalise fixed
"$E" predict --signal-time --normalise fixed --model "$TMP/n-stream.emo" --features "$TMP/n-test/f" --out "$TMP/n-sigf" > /dev/null
gst gst-launch-1.0 -q filesrc location="$TMP/n-test/f/rec_2.csv" ! emoparse ! emomtl model="$TMP/n-stream.emo" normalise=fixed \
  ! emoexport features=false name-column=rec_2 ! filesink location="$TMP/n-pipef.csv" || fail "fixed override pipeline"
paste -d';' <(tail -n +2 "$TMP/n-pipef.csv") <(tail -n +2 "$TMP/n-sigf/rec_2.csv") | awk -F';' '
  { for (i = 3; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > m) m = d } }
  END { if (m > 1e-4) { print "max diff " m; exit 1 } }' || fail "emomtl normalise=fixed differs from emo predict --normalise fixed"
# a speaker profile: two gst-launch runs sharing norm-stats equal emo predict
# carrying the statistics from file to file (--norm-persist)
mkdir -p "$TMP/n-two"; ln -s "$TMP/n-test/f/rec_1.csv" "$TMP/n-test/f/rec_2.csv" "$TMP/n-two/"
"$E" predict --signal-time --norm-persist --model "$TMP/n-stream.emo" --features "$TMP/n-two" --out "$TMP/n-persist" > /dev/null \
  || fail "predict --norm-persist"
for r in rec_1 rec_2; do
  gst gst-launch-1.0 -q filesrc location="$TMP/n-test/f/$r.csv" ! emoparse ! emomtl model="$TMP/n-stream.emo" \
    norm-stats="$TMP/profile.stats" ! emoexport features=false name-column=$r ! filesink location="$TMP/n-prof-$r.csv" \
    || fail "profile pipeline $r"
done
grep -q "^frames=600" "$TMP/profile.stats" || fail "profile after two runs: $(cat "$TMP/profile.stats")"
paste -d';' <(tail -n +2 "$TMP/n-prof-rec_2.csv") <(tail -n +2 "$TMP/n-persist/rec_2.csv") | awk -F';' '
  { for (i = 3; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > m) m = d } }
  END { if (m > 1e-4) { print "max diff " m; exit 1 } }' || fail "norm-stats profile differs from emo predict --norm-persist"
# and it matters: the second file differs from a fresh start
cmp -s "$TMP/n-prof-rec_2.csv" "$TMP/n-pipe.csv" && fail "profile had no effect"
"$E" predict --signal-time --norm-stats "$TMP/profile2.stats" --model "$TMP/n-stream.emo" --features "$TMP/n-two" \
  --out "$TMP/n-persist2" > /dev/null || fail "predict --norm-stats"
cmp -s "$TMP/n-persist/rec_2.csv" "$TMP/n-persist2/rec_2.csv" || fail "--norm-stats (new profile) differs from --norm-persist"
cmp -s "$TMP/profile.stats" "$TMP/profile2.stats" || fail "emomtl and emo predict wrote different profiles"
echo "garbage" > "$TMP/bad.stats"
if gst timeout 30 gst-launch-1.0 -q filesrc location="$TMP/n-test/f/rec_1.csv" ! emoparse ! emomtl model="$TMP/n-stream.emo" \
  norm-stats="$TMP/bad.stats" ! fakesink > "$TMP/gst-out.txt" 2>&1; then fail "bad profile accepted"; fi
grep -q "bad.stats" "$TMP/gst-out.txt" || fail "bad profile message: $(cat "$TMP/gst-out.txt")"
if "$E" train -f "$TMP/n-train/f" -l "$TMP/n-train/l" --normalise sometimes -o "$TMP/x.emo" 2> "$TMP/err.txt"; then fail "bad --normalise accepted"; fi
grep -q "sometimes" "$TMP/err.txt" || fail "--normalise error: $(cat "$TMP/err.txt")"
echo "ok"
