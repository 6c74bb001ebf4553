# Batches: a small generated corpus (short clips in nested folders, one
# corrupt file) through `emo annotate -j 2`: the good files are done, the
# corrupt one is named, the exit status is non-zero; outputs mirror the
# input folders; two --shard runs together equal one run, byte for byte;
# an interrupted batch resumes without redoing finished files; manifests
# (file and standard input) list the same inputs as a folder.
. "$(dirname "$0")/lib.sh"
for e in x264enc vorbisenc matroskamux emoaudiofeat emomtl emooverlay; do
  gst gst-inspect-1.0 "$e" >/dev/null 2>&1 || skip "element $e not available"
done

C="$TMP/corpus"
mkdir -p "$C/s1" "$C/s2/deep"
gst gst-launch-1.0 -q videotestsrc num-buffers=25 pattern=ball \
  ! video/x-raw,width=160,height=120,framerate=25/1 ! x264enc speed-preset=ultrafast \
  ! queue ! matroskamux name=m ! filesink location="$TMP/clip.mkv" \
  audiotestsrc num-buffers=44 wave=pink-noise ! audio/x-raw,rate=44100 ! audioconvert \
  ! vorbisenc ! queue ! m. || fail "could not make the test clip"
n=0
for d in s1 s1 s1 s2 s2 s2/deep s2/deep; do
  n=$((n + 1)); cp "$TMP/clip.mkv" "$C/$d/clip$n.mkv"
done
head -c 20000 /dev/urandom > "$C/s2/broken.mkv"
good=$n

# 1. one batch, two workers: the good files done, the corrupt one named
rc=0
"$EMO_TOOL" annotate "$C" -o "$TMP/one" -j 2 --formats mp4,csv > "$TMP/one.log" 2>&1 || rc=$?
cat "$TMP/one.log"
[ "$rc" -eq 1 ] || fail "exit status $rc with a corrupt input (want 1)"
grep -q "1 input failed" "$TMP/one.log" || fail "no failure summary"
grep -q "s2/broken.mkv: .*not a media file" "$TMP/one.log" || fail "the failure is not named with its reason"
S="$TMP/one/emo-batch.jsonl"
[ "$(grep -c '"status":"done"' "$S")" -eq "$good" ] || fail "summary: not $good done"
grep '"status":"failed"' "$S" | grep -q broken.mkv || fail "summary: broken.mkv not failed"
for f in s1/clip1 s1/clip3 s2/clip4 s2/deep/clip7; do
  [ -s "$TMP/one/$f.mp4" ] && [ -s "$TMP/one/$f.csv" ] || fail "missing outputs for $f"
done
[ ! -e "$TMP/one/s2/broken.mp4" ] || fail "an output for the corrupt file"
/usr/bin/python3 - "$S" <<'EOF' || fail "summary fields"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    for k in ("input", "status", "duration_s", "seconds", "outputs", "arousal", "valence", "liking"):
        assert k in r, (k, r)
    if r["status"] == "done":
        assert abs(r["duration_s"] - 1.0) < 0.25, r
        assert len(r["outputs"]) == 2 and -1 <= r["arousal"] <= 1, r
EOF

# the report: one row per input, the failure in it, a plot per done file
"$EMO_TOOL" report "$TMP/one" > "$TMP/report.log" || fail "emo report"
H="$TMP/one/report.html"
[ "$(grep -o "<tr class='ok'>" "$H" | wc -l)" -eq "$good" ] || fail "report: not $good good rows"
grep "<tr class='bad'>" "$H" | grep -q "broken.mkv" || fail "report: the failure is not shown"
[ "$(grep -o "src='data:image/svg+xml;base64," "$H" | wc -l)" -eq "$good" ] || fail "report: not one plot per file"
grep -q "href='s2/deep/clip7.mp4'" "$H" || fail "report: no link to an output"

# 2. two shards together equal the single run, each input in one shard
for i in 0 1; do
  "$EMO_TOOL" annotate "$C" -o "$TMP/sh" -j 1 --shard $i/2 --formats csv > "$TMP/sh$i.log" 2>&1 || true
done
cat "$TMP/one/emo-batch.jsonl" | grep -o '"rel":"[^"]*"' | sort > "$TMP/all.txt"
cat "$TMP"/sh/emo-batch.shard-*-of-2.jsonl | grep -o '"rel":"[^"]*"' | sort > "$TMP/shards.txt"
diff "$TMP/all.txt" "$TMP/shards.txt" || fail "shards do not cover the inputs exactly once"
for i in 0 1; do
  [ "$(grep -c '"rel"' "$TMP/sh/emo-batch.shard-$i-of-2.jsonl")" -gt 0 ] || fail "shard $i is empty (hash spread)"
done
(cd "$TMP/one" && find . -name '*.csv' | sort) > "$TMP/csv1.txt"
(cd "$TMP/sh" && find . -name '*.csv' | sort) > "$TMP/csv2.txt"
diff "$TMP/csv1.txt" "$TMP/csv2.txt" || fail "shards wrote other CSV files"
while read -r f; do
  cmp "$TMP/one/$f" "$TMP/sh/$f" || fail "$f differs between the shard runs and the single run"
done < "$TMP/csv1.txt"

# 3. a manifest (file, and - for standard input) lists inputs as a folder does
(cd "$C" && find . -name 'clip*.mkv' | sort) > "$TMP/list.txt"
(cd "$C" && "$EMO_TOOL" annotate --manifest "$TMP/list.txt" -o "$TMP/man" -j 2 --formats csv) \
  > "$TMP/man.log" 2>&1 || { cat "$TMP/man.log"; fail "manifest batch"; }
(cd "$C" && "$EMO_TOOL" annotate - -o "$TMP/stdin" -j 2 --formats csv < "$TMP/list.txt") \
  > "$TMP/stdin.log" 2>&1 || { cat "$TMP/stdin.log"; fail "stdin manifest batch"; }
while read -r f; do
  cmp "$TMP/one/$f" "$TMP/man/$f" || fail "$f: manifest run differs"
  cmp "$TMP/one/$f" "$TMP/stdin/$f" || fail "$f: stdin manifest run differs"
done < "$TMP/csv1.txt"

# 4. interrupted (SIGINT to the batch, as Ctrl-C or scancel) and resumed:
# inputs finished before the signal are kept (same files, not rewritten),
# the interrupted ones (partial records) and the rest are done, the results
# equal the uninterrupted run
R="$TMP/res"
"$EMO_TOOL" annotate "$C" -o "$R" -j 2 --formats mp4,csv > "$TMP/res1.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  [ "$(grep -c '"status":"done"' "$R/emo-batch.jsonl" 2> /dev/null)" -ge 2 ] && break
  sleep 0.1
done
kill -INT $pid
rc=0; wait $pid || rc=$?
cat "$TMP/res1.log"
[ "$rc" -eq 130 ] || fail "interrupted batch: exit status $rc (want 130)"
cp "$R/emo-batch.jsonl" "$TMP/res1.jsonl"
grep '"status":"done"' "$TMP/res1.jsonl" | grep -o '"rel":"[^"]*"' | sort > "$TMP/done1.txt"
n1=$(wc -l < "$TMP/done1.txt")
[ "$n1" -ge 2 ] && [ "$n1" -lt "$good" ] || fail "interrupted batch finished $n1 of $good"
stamps() { while read -r f; do stat -c '%i %Y %s %n' "$R/$f.mp4" "$R/$f.csv"; done; }
grep -o '"rel":"[^"]*"' "$TMP/done1.txt" | sed 's/"rel":"//; s/\.mkv"//' | stamps > "$TMP/stamps1.txt"
rc=0
"$EMO_TOOL" annotate "$C" -o "$R" -j 2 --formats mp4,csv > "$TMP/res2.log" 2>&1 || rc=$?
cat "$TMP/res2.log"
[ "$rc" -eq 1 ] || fail "resumed batch: exit status $rc (want 1: the corrupt file)"
grep '"status":"current"' "$R/emo-batch.jsonl" | grep -o '"rel":"[^"]*"' | sort > "$TMP/cur2.txt"
diff "$TMP/done1.txt" "$TMP/cur2.txt" || fail "the resumed batch did not keep exactly the finished inputs"
[ "$(grep -c '"status":"done"' "$R/emo-batch.jsonl")" -eq $((good - n1)) ] || fail "resumed batch: not the $((good - n1)) others done"
grep -o '"rel":"[^"]*"' "$TMP/done1.txt" | sed 's/"rel":"//; s/\.mkv"//' | stamps > "$TMP/stamps2.txt"
diff "$TMP/stamps1.txt" "$TMP/stamps2.txt" || fail "finished outputs were rewritten"
grep '"status":"failed"' "$R/emo-batch.jsonl" | grep -q broken.mkv || fail "resumed: the corrupt file not failed"
while read -r f; do
  cmp "$TMP/one/$f" "$R/$f" || fail "$f: interrupted and resumed differs from one run"
done < "$TMP/csv1.txt"

# 5. names that would collide are refused before anything runs
cp "$TMP/clip.mkv" "$C/s1/clip1.mp4"
rc=0
"$EMO_TOOL" annotate "$C" -o "$TMP/coll" --formats csv > "$TMP/coll.log" 2>&1 || rc=$?
grep -q "would write the same outputs" "$TMP/coll.log" || { cat "$TMP/coll.log"; fail "collision not refused"; }
rm "$C/s1/clip1.mp4"
echo "1 passed, 0 failed"
