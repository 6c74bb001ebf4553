#!/usr/bin/env bash
# Real-time factor of `emo extract` (88 eGeMAPS v02 functionals, 4 s window,
# 100 ms hop) over 30 minutes of 16 kHz speech generated with espeak-ng.
#
#   bench/audio-rtf.sh [BUILD_DIR] [MINUTES]
#
# Prints wall-clock and CPU real-time factors, peak memory for the full
# length and for a tenth of it (memory must not grow with the stream), and
# the same measured on the emoaudiofeat element through gst-launch-1.0.
# If SMILExtract (openSMILE) and its eGeMAPSv02.conf are available
# (OPENSMILE_CONF=/path/to/eGeMAPSv02.conf), it is timed in the same run on
# the same file as the baseline; otherwise the earlier measured figure (95x,
# openSMILE 3.0.2 on one core of these machines) is quoted, marked as such.
set -euo pipefail

BUILD=${1:-build}
MINUTES=${2:-30}
EMO="$BUILD/tools/emo"
[ -x "$EMO" ] || { echo "no $EMO: build first (ninja -C $BUILD)" >&2; exit 1; }
command -v espeak-ng > /dev/null || { echo "espeak-ng needed" >&2; exit 1; }
export GST_PLUGIN_PATH_1_0="$BUILD/plugins"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

TEXTS=(
  "The north wind and the sun were disputing which was the stronger, when a traveller came along wrapped in a warm cloak. They agreed that the one who first succeeded in making the traveller take his cloak off should be considered stronger than the other."
  "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. The rainbow is a division of white light into many beautiful colours. These take the shape of a long round arch, with its path high above, and its two ends apparently beyond the horizon."
  "I really did not expect to see you here today! How wonderful. Could you tell me what happened at the meeting yesterday? Nobody answered my messages, and I was getting rather worried about the whole thing."
  "Please call Stella. Ask her to bring these things with her from the store: six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob."
)
# a few minutes of distinct utterances: voices, pitches, speeds
i=0
for v in en en-us en+f3 en+m3; do
  for t in "${TEXTS[@]}"; do
    p=$((30 + (i * 17) % 50)); s=$((140 + (i * 13) % 60))
    espeak-ng -v "$v" -p "$p" -s "$s" -w "$TMP/u$i.wav" "$t"
    i=$((i + 1))
  done
done
# resample each to 16 kHz S16 mono, then concatenate to MINUTES
for f in "$TMP"/u*.wav; do
  gst-launch-1.0 -q filesrc location="$f" ! wavparse ! audioconvert ! audioresample \
    ! audio/x-raw,rate=16000,format=S16LE,channels=1 ! wavenc ! filesink location="${f%.wav}-16k.wav"
done
/usr/bin/python3 - "$TMP" "$MINUTES" <<'PY'
import glob, sys, wave
tmp, minutes = sys.argv[1], float(sys.argv[2])
parts = []
for f in sorted(glob.glob(tmp + "/u*-16k.wav")):
    w = wave.open(f); parts.append(w.readframes(w.getnframes())); w.close()
target = int(minutes * 60 * 16000) * 2
out, i = bytearray(), 0
while len(out) < target:
    out += parts[i % len(parts)]; i += 1
def write(name, data):
    o = wave.open(name, "wb"); o.setnchannels(1); o.setsampwidth(2); o.setframerate(16000)
    o.writeframes(bytes(data)); o.close()
write(tmp + "/speech.wav", out[:target])
write(tmp + "/tenth.wav", out[:target // 20 * 2])
PY
SECS=$(/usr/bin/python3 -c "import wave; w = wave.open('$TMP/speech.wav'); print(w.getnframes() / w.getframerate())")

measure() {  # label, command... -> "wall cpu maxrss_kB"
  /usr/bin/time -f "%e %U %S %M" -o "$TMP/time.txt" "$@" > /dev/null
  awk '{ printf "%s %s %s\n", $1, $2 + $3, $4 }' "$TMP/time.txt"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }'; }

echo "audio: $SECS s of 16 kHz speech (espeak-ng, $i utterances concatenated)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
read -r w c m <<< "$(measure "$EMO" extract "$TMP/speech.wav" --out "$TMP/out" -q)"
read -r w10 c10 m10 <<< "$(measure "$EMO" extract "$TMP/tenth.wav" --out "$TMP/out10" -q)"
rows=$(($(wc -l < "$TMP/out/speech.csv") - 1))
echo "emo extract (88 functionals, $rows frames): wall $w s -> $(ratio "$SECS" "$w")x real time;" \
  "CPU $c s -> $(ratio "$SECS" "$c")x real time on one core"
echo "peak memory: ${m} kB for $SECS s, ${m10} kB for a tenth (flat if equal within a few MB)"
read -r we ce me <<< "$(measure gst-launch-1.0 -q filesrc location="$TMP/speech.wav" ! wavparse ! emoaudiofeat ! fakesink)"
read -r _ _ me10 <<< "$(measure gst-launch-1.0 -q filesrc location="$TMP/tenth.wav" ! wavparse ! emoaudiofeat ! fakesink)"
echo "emoaudiofeat element (gst-launch, fakesink): wall $we s -> $(ratio "$SECS" "$we")x; CPU $ce s -> $(ratio "$SECS" "$ce")x;" \
  "peak ${me} kB (${me10} kB for a tenth)"
if command -v SMILExtract > /dev/null && [ -n "${OPENSMILE_CONF:-}" ]; then
  read -r wo co mo <<< "$(measure SMILExtract -C "$OPENSMILE_CONF" -I "$TMP/speech.wav" -csvoutput "$TMP/smile.csv")"
  echo "openSMILE SMILExtract (same file, same run): wall $wo s -> $(ratio "$SECS" "$wo")x; CPU $co s -> $(ratio "$SECS" "$co")x"
  echo "ratio emo extract / openSMILE (CPU): $(awk -v a="$co" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
else
  echo "openSMILE not available here: an earlier run measured 95x real time for SMILExtract eGeMAPSv02 (not measured in this run);" \
    "CPU ratio against that figure: $(awk -v s="$SECS" -v c="$c" 'BEGIN { printf "%.2f", (s / c) / 95 }')"
fi
