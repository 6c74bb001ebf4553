#!/usr/bin/python3
# Score EmoDB predictions per held-out speaker: frame-level CCC (AVEC 2019
# definition: variances with N-1, covariance with N) of arousal and valence
# against the mapped labels, and AUC of the utterance-mean prediction for
# high vs low arousal and positive vs negative valence (neutral, at the
# origin, is left out; models/README.md).
#
#   emodb-score.py UTTERANCES.tsv PRED_DIR [--markdown]
#
# PRED_DIR holds <utt>.csv prediction files (name;timestamp;arousal;valence[;liking])
# for any subset of utterances (e.g. every fold's test speaker).
import csv
import os
import sys

import numpy as np


def ccc(x, y):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if len(x) < 2:
        return float("nan")
    mx, my = x.mean(), y.mean()
    vx, vy = x.var(ddof=1), y.var(ddof=1)
    cov = np.mean((x - mx) * (y - my))
    return float(2 * cov / (vx + vy + (mx - my) ** 2))


def auc(scores, positive):
    """Mann-Whitney AUC with ties counted half."""
    s = np.asarray(scores, float)
    p = np.asarray(positive, bool)
    pos, neg = s[p], s[~p]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2.0 + 1
        i = j + 1
    r = np.empty(len(allv))
    r[order] = ranks
    rpos = r[:len(pos)].sum()
    return float((rpos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def read_pred(path):
    with open(path) as f:
        rows = list(csv.reader(f, delimiter=";"))
    head = rows[0]
    ia, iv = head.index("arousal"), head.index("valence")
    vals = np.array([[float(r[ia]), float(r[iv])] for r in rows[1:] if r])
    if not np.isfinite(vals).all():
        raise ValueError("%s: non-finite prediction" % path)
    return vals


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: emodb-score.py UTTERANCES.tsv PRED_DIR [--markdown]\n")
        return 2
    md = "--markdown" in sys.argv[3:]
    utts = {}
    with open(sys.argv[1]) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            utts[r["utt"]] = r
    by_spk = {}
    missing = 0
    for utt, r in sorted(utts.items()):
        p = os.path.join(sys.argv[2], utt + ".csv")
        if not os.path.exists(p):
            missing += 1
            continue
        v = read_pred(p)
        n = int(round(float(r["seconds"]) * 10))
        if len(v) < n:       # pad a short prediction with its last row (AVEC)
            v = np.vstack([v, np.repeat(v[-1:], n - len(v), axis=0)])
        v = v[:n]
        d = by_spk.setdefault(r["speaker"], {"fa": [], "fv": [], "la": [], "lv": [], "ua": [], "uv": [], "ya": [], "yv": []})
        a, val = float(r["arousal"]), float(r["valence"])
        d["fa"] += list(v[:, 0]); d["fv"] += list(v[:, 1])
        d["la"] += [a] * n; d["lv"] += [val] * n
        d["ua"].append(v[:, 0].mean()); d["uv"].append(v[:, 1].mean())
        d["ya"].append(a); d["yv"].append(val)
    if not by_spk:
        sys.stderr.write("emodb-score: no prediction files in %s\n" % sys.argv[2])
        return 1

    def row(name, d):
        ya, yv = np.array(d["ya"]), np.array(d["yv"])
        ma, mv = ya != 0, yv != 0
        return (name, len(d["ya"]), ccc(d["fa"], d["la"]), ccc(d["fv"], d["lv"]),
                auc(np.array(d["ua"])[ma], ya[ma] > 0), auc(np.array(d["uv"])[mv], yv[mv] > 0))
    rows = [row(s, by_spk[s]) for s in sorted(by_spk)]
    pooled = {k: sum((by_spk[s][k] for s in by_spk), []) for k in by_spk[next(iter(by_spk))]}
    allrow = row("all", pooled)
    mean = ("mean", sum(r[1] for r in rows)) + tuple(float(np.nanmean([r[i] for r in rows])) for i in range(2, 6))
    if md:
        print("| speaker | utterances | CCC arousal | CCC valence | AUC arousal | AUC valence |")
        print("|---|---|---|---|---|---|")
        for r in rows + [mean, allrow]:
            print("| %s | %d | %.3f | %.3f | %.3f | %.3f |" % r)
    else:
        print("%-8s %5s %8s %8s %8s %8s" % ("speaker", "utts", "CCC-A", "CCC-V", "AUC-A", "AUC-V"))
        for r in rows + [mean, allrow]:
            print("%-8s %5d %8.3f %8.3f %8.3f %8.3f" % r)
    if missing:
        print("(%d utterances without predictions)" % missing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
