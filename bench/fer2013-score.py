#!/usr/bin/python3
# The FER2013 test-split table (models/README.md, docs/results.md): 7-class
# accuracy of the expression net alone; valence AUC (happy against angry,
# disgust, fear, sad), arousal AUC (angry, disgust, fear, happy, surprise
# against neutral, sad) and CCC against the mapped targets, for
# (a) the expression probabilities mapped directly with the same mapping,
# (b) the model trained on vis-v2 (CACHE/pred/v2), (c) the vis-v1 model
# trained on generated faces (CACHE/pred/v1, on the test-v1 subset).
#
#   fer2013-score.py CACHE MAPPING.tsv
import csv
import os
import sys

import numpy as np
from sklearn.metrics import roc_auc_score

EXPR = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"]
FOLDER = {"neutral": "neutral", "happy": "happy", "sad": "sad", "angry": "angry",
          "fearful": "fear", "disgusted": "disgust", "surprised": "surprise"}
VAL_POS, VAL_NEG = {"happy"}, {"angry", "disgust", "fear", "sad"}
ARO_POS, ARO_NEG = {"angry", "disgust", "fear", "happy", "surprise"}, {"neutral", "sad"}


def mapping(path):
    m = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        folder, _, a, v = line.rstrip("\n").split("\t")
        m[folder] = (float(a), float(v))
    return m


def read_csv(path):
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    return rows[0], rows[1:]


def index(cache, tag):
    rows = list(csv.DictReader(open(os.path.join(cache, "seq", tag, "index.tsv")), delimiter="\t"))
    return [(r["seq"], int(r["row"]), r["category"]) for r in rows]


def columns(cache, tag, sub, names):
    """values of the named columns for every indexed image, in index order"""
    out, cache_files = [], {}
    for seq, row, _ in index(cache, tag):
        if seq not in cache_files:
            head, rows = read_csv(os.path.join(cache, sub, seq + ".csv"))
            cache_files[seq] = (head, rows)
        head, rows = cache_files[seq]
        out.append([float(rows[row][head.index(n)]) for n in names])
    return np.array(out)


def ccc(x, y):
    mx, my = x.mean(), y.mean()
    return 2 * np.mean((x - mx) * (y - my)) / (x.var() + y.var() + (mx - my) ** 2)


def auc(cats, score, pos, neg):
    keep = [i for i, c in enumerate(cats) if c in pos or c in neg]
    y = [1 if cats[i] in pos else 0 for i in keep]
    return roc_auc_score(y, score[keep])


def row(label, cats, ar, va, amap):
    ta = np.array([amap[c][0] for c in cats])
    tv = np.array([amap[c][1] for c in cats])
    return "| %s | %d | %.3f | %.3f | %.3f | %.3f |" % (
        label, len(cats), auc(cats, va, VAL_POS, VAL_NEG), auc(cats, ar, ARO_POS, ARO_NEG),
        ccc(ar, ta), ccc(va, tv))


def main():
    cache, mpath = sys.argv[1:3]
    amap = mapping(mpath)
    cats = [c for _, _, c in index(cache, "test")]
    probs = columns(cache, "test", "seq/test/features", ["expr_%s_mean" % e for e in EXPR])
    face = columns(cache, "test", "seq/test/features", ["face_fraction"])[:, 0]
    pred = [FOLDER[EXPR[k]] for k in probs.argmax(axis=1)]
    acc = np.mean([p == c for p, c in zip(pred, cats)])
    ma = probs @ np.array([amap[FOLDER[e]][0] for e in EXPR])
    mv = probs @ np.array([amap[FOLDER[e]][1] for e in EXPR])
    v2 = columns(cache, "test", "pred/v2", ["arousal", "valence"])
    print("FER2013 test split: %d images, %d described (face_fraction 1)" % (len(cats), int(face.sum())))
    print("7-class accuracy of the expression net alone: %.3f" % acc)
    print("| system | images | valence AUC | arousal AUC | CCC arousal | CCC valence |")
    print("|---|---|---|---|---|---|")
    print(row("(a) expression probabilities mapped", cats, ma, mv, amap))
    print(row("(b) vis-v2 model (MLP)", cats, v2[:, 0], v2[:, 1], amap))
    if os.path.isdir(os.path.join(cache, "pred", "v1")):
        c1 = [c for _, _, c in index(cache, "test-v1")]
        v1 = columns(cache, "test-v1", "pred/v1", ["arousal", "valence"])
        print(row("(c) vis-v1 model (generated faces), test subset", c1, v1[:, 0], v1[:, 1], amap))
    return 0


if __name__ == "__main__":
    sys.exit(main())
