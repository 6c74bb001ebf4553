#!/usr/bin/python3
# Per-speaker feature normalisation for EmoDB (bench only): every feature
# column z-scored with the mean and standard deviation of all frames of the
# same speaker. Unsupervised (no labels), so it is fair on a held-out
# speaker: it only needs that speaker's unlabelled speech, as a running
# normaliser in a stream would.
#
#   emodb-normalise.py UTTERANCES.tsv IN_DIR OUT_DIR
import csv
import os
import sys

import numpy as np


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: emodb-normalise.py UTTERANCES.tsv IN_DIR OUT_DIR\n")
        return 2
    tsv, src, dst = sys.argv[1:]
    os.makedirs(dst, exist_ok=True)
    spk_of = {}
    with open(tsv) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            spk_of[r["utt"]] = r["speaker"]
    files = {}
    for utt, spk in spk_of.items():
        p = os.path.join(src, utt + ".csv")
        if not os.path.exists(p):
            sys.stderr.write("emodb-normalise: missing %s\n" % p)
            return 1
        with open(p) as f:
            rows = list(csv.reader(f, delimiter=";"))
        x = np.array([[float(v) for v in r[2:]] for r in rows[1:] if r], dtype=np.float64)
        files[utt] = (rows[0], [r[:2] for r in rows[1:] if r], x)
    for spk in sorted(set(spk_of.values())):
        utts = [u for u in files if spk_of[u] == spk]
        allx = np.vstack([files[u][2] for u in utts])
        mu = allx.mean(axis=0)
        sd = allx.std(axis=0)
        sd[sd < 1e-9] = 1.0
        for u in utts:
            head, keys, x = files[u]
            z = (x - mu) / sd
            with open(os.path.join(dst, u + ".csv"), "w") as f:
                f.write(";".join(head) + "\n")
                for k, row in zip(keys, z):
                    f.write(";".join(k) + ";" + ";".join("%.6g" % v for v in row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
