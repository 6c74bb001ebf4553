#!/bin/bash
# Prepare EmoDB for dimensional training: one AVEC-style label CSV per
# utterance (constant arousal/valence from bench/emodb-mapping.tsv, one row
# per 100 ms over the utterance), an utterance table, and leave-one-speaker-
# out folds, all in a cache directory outside the repository.
#
#   bench/emodb-prepare.sh [--data DIR] [--cache DIR] [--min-recognised P] [--min-natural P]
#
# --data   EmoDB copy (default: $EMO_SHARED_DATA/emodb or ../shared/data/emodb)
# --cache  output (default: ${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb)
# --min-recognised / --min-natural: keep only utterances whose listener
#          recognition / naturalness (erkennung.txt, percent) reach P; the
#          default 0 keeps all 535.
#
# Layout written:
#   CACHE/labels/<utt>.csv            name;timestamp;arousal;valence
#   CACHE/utterances.tsv              utt speaker sentence letter category arousal valence recognised natural seconds
#   CACHE/folds/<spk>/{train,devel,test}.list   utterance names per fold: the
#          test speaker is held out; the devel speaker (the next one in the
#          list) chooses epochs and weights; the other 8 train.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
data="${EMO_SHARED_DATA:-$root/../shared/data}/emodb"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb"
minrec=0; minnat=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --min-recognised) minrec="$2"; shift 2 ;;
    --min-natural) minnat="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "emodb-prepare: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$data/wav" ] || { echo "emodb-prepare: no EmoDB at $data (wav/ missing)" >&2; exit 1; }
case "$(cd "$cache/.." 2>/dev/null && pwd || echo "$cache")" in
  "$root"*) echo "emodb-prepare: cache $cache is inside the repository; choose another" >&2; exit 1 ;;
esac
map="$here/emodb-mapping.tsv"
mkdir -p "$cache"
rm -rf "$cache/labels" "$cache/folds"
mkdir -p "$cache/labels" "$cache/folds"

# recognition/naturalness per file (Latin-1, decimal comma, padded with NBSP)
iconv -f latin1 -t utf-8 "$data/erkennung.txt" 2>/dev/null | sed 's/\xc2\xa0//g' | tr -d '\r' |
  awk -F'\t' 'NR > 1 && $2 ~ /\.wav$/ { gsub(",", ".", $3); gsub(",", ".", $4); gsub(/ /, "", $3); gsub(/ /, "", $4); print $2 "\t" $3 "\t" $4 }' \
  > "$cache/erkennung.tsv"

# utterance table; the label files; durations from the WAV header
: > "$cache/utterances.tsv.tmp"
for wav in "$data"/wav/*.wav; do
  f=$(basename "$wav")
  bytes=$(stat -c %s "$wav")
  # EmoDB here: 16-bit mono; data size from the header's byte rate
  secs=$(od -An -t u4 -j 28 -N 4 "$wav" | awk -v b="$bytes" '{ printf "%.3f", (b - 44) / $1 }')
  echo "$f $secs" >> "$cache/utterances.tsv.tmp"
done
awk -v minrec="$minrec" -v minnat="$minnat" -v labels="$cache/labels" '
  FNR == 1 { fi++ }
  fi == 1 { if ($0 !~ /^#/ && NF >= 5) { cat[$1] = $2; aro[$1] = $4; val[$1] = $5 } next }
  fi == 2 { rec[$1] = $2; nat[$1] = $3; next }
  {
    f = $1; secs = $2; utt = substr(f, 1, length(f) - 4)
    spk = substr(utt, 1, 2); sent = substr(utt, 3, 3); e = substr(utt, 6, 1)
    if (!(e in cat)) { print "emodb-prepare: unknown emotion letter in " f > "/dev/stderr"; bad = 1; next }
    r = (f in rec) ? rec[f] : -1; n = (f in nat) ? nat[f] : -1
    if (r >= 0 && (r + 0 < minrec || n + 0 < minnat)) next
    if (r < 0 && (minrec > 0 || minnat > 0)) next
    print utt "\t" spk "\t" sent "\t" e "\t" cat[e] "\t" aro[e] "\t" val[e] "\t" r "\t" n "\t" secs
    rows = int(secs * 10 + 1e-6)
    out = labels "/" utt ".csv"
    print "name;timestamp;arousal;valence" > out
    for (k = 0; k < rows; k++) printf "\047%s\047;%.6f;%.6f;%.6f\n", utt, k / 10, aro[e], val[e] > out
    close(out)
  }
  END { exit bad }' FS='\t' "$map" "$cache/erkennung.tsv" FS=' ' "$cache/utterances.tsv.tmp" \
  | sort > "$cache/utterances.tsv.body"
{ printf "utt\tspeaker\tsentence\tletter\tcategory\tarousal\tvalence\trecognised\tnatural\tseconds\n"
  cat "$cache/utterances.tsv.body"; } > "$cache/utterances.tsv"
rm -f "$cache/utterances.tsv.tmp" "$cache/utterances.tsv.body"

# leave-one-speaker-out folds
speakers=$(tail -n +2 "$cache/utterances.tsv" | cut -f2 | sort -u)
set -- $speakers
nspk=$#
[ "$nspk" -ge 3 ] || { echo "emodb-prepare: need 3+ speakers, have $nspk" >&2; exit 1; }
spk_arr=($speakers)
for i in "${!spk_arr[@]}"; do
  t=${spk_arr[$i]}; d=${spk_arr[$(( (i + 1) % nspk ))]}
  mkdir -p "$cache/folds/$t"
  tail -n +2 "$cache/utterances.tsv" | awk -F'\t' -v t="$t" -v d="$d" -v dir="$cache/folds/$t" '
    { f = ($2 == t) ? "test" : ($2 == d) ? "devel" : "train"; print $1 > (dir "/" f ".list") }'
  echo "$d" > "$cache/folds/$t/devel-speaker"
done
n=$(tail -n +2 "$cache/utterances.tsv" | wc -l)
echo "emodb-prepare: $n utterances, $nspk speakers, labels in $cache/labels, folds in $cache/folds"
tail -n +2 "$cache/utterances.tsv" | cut -f5 | sort | uniq -c | awk '{ printf "  %-10s %d\n", $2, $1 }'
