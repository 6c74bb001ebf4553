#!/bin/sh
# Early fusion: concatenate the feature streams of several modalities frame
# by frame (emofuse mode=concat), e.g. audio and video features of one
# recording, for a stage-1 model that takes both.
#
#   pipelines/early-fusion.sh OUT.csv FEAT1.csv FEAT2.csv [...]
#
# Inputs: AVEC-style feature CSVs (name;timestamp;f1;f2;...) on the same hop
# grid; LAYOUTS="a b ..." names their layouts (default feat0 feat1 ...). The
# output CSV has all features, layout "a+b+...". Latency: none added.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 OUT.csv FEAT1.csv FEAT2.csv [...]" >&2; exit 2; }
out=$1; shift
set -- "$@"
branches=""
i=0
for f in "$@"; do
  lay=$(echo "${LAYOUTS:-}" | awk -v n=$((i+1)) '{print $n}')
  [ -n "$lay" ] || lay=feat$i
  branches="$branches filesrc location=\"$f\" ! emoparse content=features layout=$lay ! f.sink_$i"
  i=$((i+1))
done
eval "${GST_LAUNCH:-gst-launch-1.0} -q emofuse name=f mode=concat ! emoexport format=csv features=true ! filesink location=\"$out\" $branches"
