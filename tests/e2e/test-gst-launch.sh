# The plugin through gst-launch-1.0 with the plugin path on the build tree.
. "$(dirname "$0")/lib.sh"

gst gst-inspect-1.0 emo > "$TMP/inspect.txt" || fail "gst-inspect-1.0 emo failed"
grep -q emoexport "$TMP/inspect.txt" || fail "emoexport not in plugin"
grep -q emoparse "$TMP/inspect.txt" || fail "emoparse not in plugin"
gst gst-inspect-1.0 emoexport > "$TMP/emoexport.txt"
grep -q "merge-cues" "$TMP/emoexport.txt" || fail "emoexport properties not documented"
grep -q "LGPL" "$TMP/inspect.txt" || fail "licence not declared"

{
  echo "name;timestamp;arousal;valence;liking"
  for i in $(seq 0 49); do
    printf "'rec';%d.%d00000;0.%02d;-0.%02d;0.5\n" $((i / 10)) $((i % 10)) "$i" "$i"
  done
} > "$TMP/in.csv"

gst gst-launch-1.0 -q filesrc location="$TMP/in.csv" ! emoparse content=predictions \
  ! emoexport format=csv features=false name-column=rec ! filesink location="$TMP/out.csv" \
  || fail "pipeline failed"
[ "$(wc -l < "$TMP/out.csv")" -eq 51 ] || fail "expected 51 lines, got $(wc -l < "$TMP/out.csv")"
head -1 "$TMP/out.csv" | grep -qx "name;timestamp;arousal;valence;liking" || fail "bad header: $(head -1 "$TMP/out.csv")"
sed -n 12p "$TMP/out.csv" | grep -qx "'rec';1.000000;0.1;-0.1;0.5" || fail "bad row: $(sed -n 12p "$TMP/out.csv")"

# round trip through emo eval: the exported CSV scores CCC ~1 against its input
mkdir -p "$TMP/l" "$TMP/p"
cp "$TMP/in.csv" "$TMP/l/rec.csv"; cp "$TMP/out.csv" "$TMP/p/rec.csv"
"$EMO_TOOL" eval --labels "$TMP/l" --predictions "$TMP/p" --attributes arousal,valence > "$TMP/eval.txt"
awk '$1=="arousal" && $3 > 0.9999 {ok=1} END {exit !ok}' "$TMP/eval.txt" || { cat "$TMP/eval.txt"; fail "round trip PCC"; }

# webvtt and jsonl through filesink
gst gst-launch-1.0 -q filesrc location="$TMP/in.csv" ! emoparse content=predictions \
  ! emoexport format=webvtt merge-cues=true ! filesink location="$TMP/out.vtt" || fail "webvtt pipeline"
head -1 "$TMP/out.vtt" | grep -qx WEBVTT || fail "webvtt header"
gst gst-launch-1.0 -q filesrc location="$TMP/in.csv" ! emoparse content=predictions \
  ! emoexport format=jsonl ! filesink location="$TMP/out.jsonl" || fail "jsonl pipeline"
[ "$(wc -l < "$TMP/out.jsonl")" -eq 50 ] || fail "jsonl line count"

# a bad CSV gives a clear error, not a crash
printf "name;timestamp;a\n'x';0;1\n'x';0.1;zz\n" > "$TMP/bad.csv"
if GST_TIMEOUT=30 gst gst-launch-1.0 -q filesrc location="$TMP/bad.csv" ! emoparse ! emoexport ! fakesink > "$TMP/err.txt" 2>&1; then
  fail "bad CSV accepted"
fi
grep -q "is not a number" "$TMP/err.txt" || { cat "$TMP/err.txt"; fail "error message"; }
echo "1 passed, 0 failed"
