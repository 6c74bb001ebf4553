# emoaudiofeat / emo extract on bad input: clear errors, never a crash.
. "$(dirname "$0")/lib.sh"

# 8 kHz straight into the element (a decoded file: caps arrive as an event):
# refused, asking for audioresample
gst gst-launch-1.0 -q audiotestsrc num-buffers=10 ! audio/x-raw,rate=8000,format=S16LE ! wavenc ! filesink location="$TMP/low.wav"
# (bounded short: gst-launch-1.0 1.22 sometimes stays in its main loop after
# an error during preroll, with capsfilter as well; see tests/e2e/lib.sh)
if GST_TIMEOUT=10 gst gst-launch-1.0 -q filesrc location="$TMP/low.wav" ! wavparse ! emoaudiofeat ! fakesink > "$TMP/err.txt" 2>&1; then
  fail "8 kHz accepted"
fi
grep -q "audioresample" "$TMP/err.txt" || { cat "$TMP/err.txt"; fail "no resample hint"; }
# ... and with audioresample it works
gst gst-launch-1.0 -q audiotestsrc num-buffers=20 ! audio/x-raw,rate=8000 ! audioresample ! emoaudiofeat \
  ! fakesink || fail "8 kHz through audioresample failed"
# live-ish source, stereo float, silence, 48 kHz
gst gst-launch-1.0 -q audiotestsrc wave=silence num-buffers=50 ! audio/x-raw,rate=48000,channels=2,format=F32LE \
  ! emoaudiofeat ! emoexport ! filesink location="$TMP/sil.csv" || fail "silence"
grep -qi "nan" "$TMP/sil.csv" && fail "NaN from silence"

# emo extract: missing, garbage, truncated, low-rate files
"$EMO_TOOL" extract "$TMP/none.wav" --out "$TMP/o" > "$TMP/e1.txt" 2>&1 && fail "missing file accepted"
grep -q "none.wav" "$TMP/e1.txt" || { cat "$TMP/e1.txt"; fail "error does not name the file"; }
head -c 3000 /dev/urandom > "$TMP/garbage.wav"
"$EMO_TOOL" extract "$TMP/garbage.wav" --out "$TMP/o" > "$TMP/e2.txt" 2>&1 && fail "garbage accepted"
grep -q "garbage.wav" "$TMP/e2.txt" || { cat "$TMP/e2.txt"; fail "garbage error"; }
"$EMO_TOOL" extract "$TMP/low.wav" --out "$TMP/o" > "$TMP/e3.txt" 2>&1 && fail "8 kHz file accepted"
grep -q "resample" "$TMP/e3.txt" || { cat "$TMP/e3.txt"; fail "8 kHz error"; }
gst gst-launch-1.0 -q audiotestsrc num-buffers=30 ! audio/x-raw,rate=16000,format=S16LE ! wavenc ! filesink location="$TMP/ok.wav"
head -c 20000 "$TMP/ok.wav" > "$TMP/trunc.wav"
# a truncated wav reads up to the cut: defined frames, no crash
"$EMO_TOOL" extract "$TMP/trunc.wav" --out "$TMP/o" -q || fail "truncated wav"
grep -qi "nan" "$TMP/o/trunc.csv" && fail "NaN in truncated output"
"$EMO_TOOL" extract "$TMP/ok.wav" --out "$TMP/o" --feature-set nope > "$TMP/e4.txt" 2>&1 && fail "bad set accepted"
grep -q "nope" "$TMP/e4.txt" || fail "bad set message"
"$EMO_TOOL" extract "$TMP/ok.wav" --out "$TMP/o" --hop 0.5 --window 0.2 > "$TMP/e5.txt" 2>&1 && fail "window < hop accepted"
echo "1 passed, 0 failed"
