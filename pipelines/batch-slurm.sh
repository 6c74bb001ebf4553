#!/usr/bin/env bash
# A Slurm job array over a corpus: each array task runs one shard of the
# inputs through an emo batch command (extract, predict or annotate).
#
#   sbatch --array=0-N pipelines/batch-slurm.sh COMMAND IN OUT [OPTIONS...]
#
# --array=0-N makes N+1 shards; task i runs `emo COMMAND IN -o OUT --shard
# i/(N+1) -j CPUS OPTIONS...`. The shard of an input is a hash of its path
# relative to the corpus root, so the tasks cover the corpus exactly once
# whichever node runs which task. OUT must be on a file system every node
# sees. A requeued or rerun task skips inputs whose completeness record is
# complete and current and redoes the rest, so `--requeue` and re-submitting
# a failed array are safe. Each task writes OUT/emo-batch.shard-i-of-N.jsonl;
# `emo report OUT` reads them all. The exit status is non-zero when any input
# of the shard failed (listed at the end of the task's log).
#
# Environment: EMO (the emo program, default: emo on PATH).
# Example: 8 tasks of 4 cores, 20 at a time:
#   sbatch --array=0-7%20 --cpus-per-task=4 pipelines/batch-slurm.sh \
#     annotate /data/corpus /data/emo-out --formats mp4,csv --encoder-threads 1
#
#SBATCH --job-name=emo-batch
#SBATCH --cpus-per-task=1
#SBATCH --requeue
#SBATCH --output=emo-batch-%A_%a.log
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: sbatch --array=0-N $0 COMMAND IN OUT [OPTIONS...]" >&2; exit 2; }
: "${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=0-N}"
[ "${SLURM_ARRAY_TASK_MIN:-0}" -eq 0 ] || { echo "the array must start at 0 (--array=0-N)" >&2; exit 2; }
cmd=$1 in=$2 out=$3
shift 3
shards=$((SLURM_ARRAY_TASK_MAX + 1))
exec "${EMO:-emo}" "$cmd" "$in" -o "$out" --shard "$SLURM_ARRAY_TASK_ID/$shards" \
  -j "${SLURM_CPUS_PER_TASK:-1}" "$@"
