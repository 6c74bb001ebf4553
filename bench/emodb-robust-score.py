#!/usr/bin/python3
# One summary line per prediction folder for bench/emodb-robust.sh: AUC
# (high vs low arousal, positive vs negative valence; neutral left out) of
# one score per utterance, pooled over all held-out speakers, and CCC per
# frame pooled over them (emodb-score.py's "all" row, over the labelled
# length), plus the mean of the per-speaker figures. The per-utterance score
# is the mean of all its frame predictions (what `emo predict --clip`
# writes), or with --last the last frame's, which summarise the clip's end.
#
#   emodb-robust-score.py UTTERANCES.tsv LABEL PRED_DIR [--last] [--header]
import csv
import importlib.util
import os
import sys

import numpy as np

spec = importlib.util.spec_from_file_location(
    "emodb_score", os.path.join(os.path.dirname(os.path.abspath(__file__)), "emodb-score.py"))
es = importlib.util.module_from_spec(spec)
spec.loader.exec_module(es)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    last = "--last" in sys.argv
    if "--header" in sys.argv:
        print("%-28s %6s %7s %7s %7s %7s   %7s %7s" % ("condition", "utts", "AUC-A", "AUC-V", "CCC-A", "CCC-V",
                                                   "spkAUC-A", "spkAUC-V"))
    tsv, label, pdir = args
    utts = {}
    with open(tsv) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            utts[r["utt"]] = r
    by = {}
    for utt, r in sorted(utts.items()):
        p = os.path.join(pdir, utt + ".csv")
        if not os.path.exists(p):
            continue
        v = es.read_pred(p)
        u = v[-1] if last else v.mean(axis=0)   # the whole clip, as --clip
        n = int(round(float(r["seconds"]) * 10))
        if len(v) < n:
            v = np.vstack([v, np.repeat(v[-1:], n - len(v), axis=0)])
        v = v[:n]
        d = by.setdefault(r["speaker"], {"fa": [], "fv": [], "la": [], "lv": [], "ua": [], "uv": [], "ya": [], "yv": []})
        a, val = float(r["arousal"]), float(r["valence"])
        d["fa"] += list(v[:, 0])
        d["fv"] += list(v[:, 1])
        d["la"] += [a] * n
        d["lv"] += [val] * n
        d["ua"].append(u[0])
        d["uv"].append(u[1])
        d["ya"].append(a)
        d["yv"].append(val)
    if not by:
        sys.stderr.write("emodb-robust-score: no predictions in %s\n" % pdir)
        return 1

    def figs(d):
        ya, yv = np.array(d["ya"]), np.array(d["yv"])
        ma, mv = ya != 0, yv != 0
        return (es.auc(np.array(d["ua"])[ma], ya[ma] > 0), es.auc(np.array(d["uv"])[mv], yv[mv] > 0),
                es.ccc(d["fa"], d["la"]), es.ccc(d["fv"], d["lv"]))
    pooled = {k: sum((by[s][k] for s in by), []) for k in by[next(iter(by))]}
    a = figs(pooled)
    per = np.array([figs(by[s]) for s in sorted(by)])
    print("%-28s %6d %7.3f %7.3f %7.3f %7.3f   %7.3f %7.3f" % (
        (label, len(pooled["ya"])) + a + (np.nanmean(per[:, 0]), np.nanmean(per[:, 1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
