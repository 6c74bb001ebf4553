#!/bin/bash
# How close are our eGeMAPS v02 features to openSMILE's, the standard's
# reference implementation? Builds openSMILE's SMILExtract from its public
# source in a scratch folder outside the repository (its licence allows
# neither copying nor shipping it), runs its eGeMAPSv02.conf (LLDs and
# functionals) and `emo extract` on every EmoDB file and on long generated
# speech (espeak-ng), and prints per feature:
#   functionals (one vector per whole file): Pearson r across files and the
#     median relative difference |ours - theirs| / (|theirs| + 0.05 IQR(theirs));
#   LLDs (10 ms frames): frame-by-frame r over frames both call voiced
#     (all frames for the 10 spectral LLDs), voicing agreement, frame lag
#     (the shift maximising loudness/F0 correlation), frame counts;
#   speed and peak memory of both tools on the same long file, in one run,
#     and our peak memory on a tenth of it (flat in stream length).
#
#   bench/egemaps-fidelity.sh SCRATCH_DIR [--emodb N] [--long-min M] [--keep]
#
# SMILEXTRACT=/path/to/SMILExtract and OPENSMILE_SRC=/path/to/source reuse a
# build (the source tree is needed for config/egemaps/v02/eGeMAPSv02.conf).
# --emodb N takes every k-th EmoDB file so that about N are used (default all).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
emo="${EMO_TOOL:-$root/build/tools/emo}"
scratch="${1:-}"
[ -n "$scratch" ] || { sed -n '2,20p' "$0"; exit 2; }
shift
n_emodb=0
long_min=${LONG_MIN:-10}
while [ $# -gt 0 ]; do
  case "$1" in
    --emodb) n_emodb="$2"; shift 2 ;;
    --long-min) long_min="$2"; shift 2 ;;
    *) echo "egemaps-fidelity: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$scratch" in "$root"|"$root"/*)
  echo "egemaps-fidelity: the scratch folder must lie outside the repository" >&2; exit 2 ;;
esac
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
py=/usr/bin/python3
for t in espeak-ng sox cmake make g++ /usr/bin/time; do
  command -v "$t" > /dev/null || apt-get install -y espeak-ng sox cmake make g++ time > /dev/null
done
"$py" -c 'import numpy' || { echo "egemaps-fidelity: $py needs numpy" >&2; exit 1; }

# ---- openSMILE, built from its public source ----
src="${OPENSMILE_SRC:-$scratch/opensmile}"
smile="${SMILEXTRACT:-$src/build/progsrc/smilextract/SMILExtract}"
if [ ! -x "$smile" ]; then
  if [ ! -f "$src/CMakeLists.txt" ]; then
    git clone --depth 1 --branch v3.0.2 https://github.com/audeering/opensmile "$src"
  fi
  mkdir -p "$src/build"
  (cd "$src/build" && nice -n 10 cmake -DCMAKE_BUILD_TYPE=Release -DSTATIC_LINK=ON \
      -DWITH_PORTAUDIO=OFF -DWITH_FFMPEG=OFF -DWITH_OPENCV=OFF .. > cmake.log \
    && nice -n 10 make -j2 SMILExtract > make.log)
fi
conf="$src/config/egemaps/v02/eGeMAPSv02.conf"
[ -f "$conf" ] || { echo "egemaps-fidelity: no $conf (set OPENSMILE_SRC)" >&2; exit 1; }

# ---- inputs: EmoDB and long generated speech ----
W="$scratch/fidelity"
rm -rf "$W"; mkdir -p "$W/in" "$W/smile" "$W/emo-func" "$W/emo-lld"
emodb="$root/../shared/data/emodb/wav"
files=()
if [ -d "$emodb" ]; then
  all=("$emodb"/*.wav)
  step=1
  [ "$n_emodb" -gt 0 ] && step=$(( (${#all[@]} + n_emodb - 1) / n_emodb ))
  for ((i = 0; i < ${#all[@]}; i += step)); do files+=("${all[$i]}"); done
else
  echo "egemaps-fidelity: no EmoDB at $emodb: generated speech only" >&2
fi
# long speech: several voices, pitches and rates, concatenated, 16 and 22.05 kHz
parts=()
k=0
while [ $(( k * 12 )) -lt $(( long_min * 60 )) ]; do
  voices=(en en-us de fr)
  v=${voices[$((k % 4))]}
  espeak-ng -v "$v" -p $(( 25 + (k * 17) % 60 )) -s $(( 130 + (k * 23) % 60 )) -a $(( 60 + (k * 37) % 120 )) \
    -w "$W/part$k.wav" "The quick brown fox jumps over the lazy dog number $k. \
      Would you believe it, the weather was lovely and then it rained for hours again. \
      Ich habe heute keine Zeit, aber morgen komme ich gerne vorbei, sagte sie leise."
  sox -q "$W/part$k.wav" "$W/part$k.p.wav" pad 0 0.$(( k % 7 + 1 ))
  parts+=("$W/part$k.p.wav")
  k=$((k + 1))
done
sox -q "${parts[@]}" "$W/in/long22k.wav"
sox -q "$W/in/long22k.wav" -r 16000 "$W/in/long16k.wav"
sox -q "$W/in/long22k.wav" "$W/in/short22k.wav" trim 0 $(( long_min * 6 ))
rm -f "$W"/part*.wav
files+=("$W/in/long22k.wav" "$W/in/long16k.wav")
echo "inputs: ${#files[@]} files ($(( ${#files[@]} - 2 )) EmoDB, 2 x ${long_min} min generated speech)"

# ---- extraction ----
peak() { awk '/Maximum resident/ {print $6 / 1024}' "$1"; }
wall() { awk '/Elapsed \(wall/ {n = split($8, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$1"; }
cpu() { awk '/User time/ {u = $4} /System time/ {s = $4} END {print u + s}' "$1"; }
for f in "${files[@]}"; do
  b=$(basename "$f" .wav)
  "$smile" -C "$conf" -I "$f" -instname "$b" -csvoutput "$W/smile/$b.func.csv" -appendcsv 0 \
    -lldcsvoutput "$W/smile/$b.lld.csv" -appendcsvlld 0 -loglevel 0 -nologfile > /dev/null 2>&1 \
    || { echo "egemaps-fidelity: SMILExtract failed on $f" >&2; exit 1; }
done
# whole-file functionals: one window longer than any input
"$emo" extract --quiet --window 600 --hop 60 --out "$W/emo-func" "${files[@]}"
"$emo" extract --quiet --feature-set egemaps-lld --hop 0.01 --out "$W/emo-lld" "${files[@]}"

# ---- speed and memory, same file, same run (medians of 3) ----
long="$W/in/long22k.wav"
secs=$(soxi -D "$long")
time_it() { # label, command...
  local lab=$1; shift
  for r in 1 2 3; do /usr/bin/time -v "$@" > /dev/null 2> "$W/time.$lab.$r" || true; done
}
time_it smile "$smile" -C "$conf" -I "$long" -csvoutput "$W/t.func.csv" -appendcsv 0 \
  -lldcsvoutput "$W/t.lld.csv" -appendcsvlld 0 -loglevel 0 -nologfile
time_it emo "$emo" extract --quiet --window 600 --hop 60 --out "$W/t-emo" "$long"
time_it emo4s "$emo" extract --quiet --out "$W/t-emo4s" "$long"
time_it emoshort "$emo" extract --quiet --out "$W/t-emoshort" "$W/in/short22k.wav"
med() { sort -g | sed -n 2p; }
{
  for lab in smile emo emo4s emoshort; do
    printf '%s\t%s\t%s\t%s\n' "$lab" \
      "$(for r in 1 2 3; do wall "$W/time.$lab.$r"; done | med)" \
      "$(for r in 1 2 3; do cpu "$W/time.$lab.$r"; done | med)" \
      "$(for r in 1 2 3; do peak "$W/time.$lab.$r"; done | med)"
  done
} > "$W/speed.tsv"

"$py" "$here/egemaps-fidelity.py" "$W" "$secs"
# transfer: a model trained on openSMILE's features, scored on ours
if "$py" -c 'import sklearn' 2> /dev/null && [ -d "$emodb" ]; then
  echo
  OPENBLAS_NUM_THREADS=1 "$py" "$here/egemaps-transfer.py" "$W"
fi
