#!/bin/sh
# Multistage fusion (stage 2+) of stored stage-1 predictions of one
# recording with a model from `emo fuse-train`.
#
#   pipelines/multistage-fusion.sh MODEL.emo OUT.csv PRED1.csv PRED2.csv [...]
#
# Inputs in the order the model was trained with (`emo fuse-train --inputs`).
# CAUSAL=true uses past context only. Latency: the model's look-ahead (frames
# x 100 ms, printed by emo fuse-train), 0 with CAUSAL=true.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 MODEL.emo OUT.csv PRED1.csv [...]" >&2; exit 2; }
model=$1; out=$2; shift 2
branches=""
i=0
for f in "$@"; do
  branches="$branches filesrc location=\"$f\" ! emoparse content=predictions source=in$i ! f.sink_$i"
  i=$((i+1))
done
eval "${GST_LAUNCH:-gst-launch-1.0} -q emofuse name=f mode=model model=\"$model\" causal=${CAUSAL:-false} ! emoexport format=csv ! filesink location=\"$out\" $branches"
