#!/usr/bin/python3
"""scikit-learn reference for the multistage fusion figures (bench only).

Re-implements the AVEC 2019 organisers' CES fusion recipe (fuse_results.py in
AudioVisualEmotionChallenge/AVEC2019: LinearSVR per attribute on all
attributes' predictions of all stage-1 models stacked over a +-K context,
K in 11..19 step 2, C in {0.001,0.01,0.1,1}, chosen by CCC on the same data)
so that `emo fuse-train` can be compared with it.  Written for gst-emo; run
with Debian's /usr/bin/python3 (python3-sklearn).

usage: fusion-sklearn.py DATA_DIR [--grid full|reduced] [--stages N] [--fit DE|HU|ALL --score DE|HU|ALL]
"""
import argparse, glob, os, sys, time
import numpy as np
from sklearn.svm import LinearSVR

SETS = ['egemaps-func_STD', 'egemaps-xbow', 'mfcc-func_STD', 'mfcc-xbow', 'deepspectrum',
        'visual-func', 'visual-xbow', 'visual-resnet', 'visual-vgg']
ATTRS = ['arousal', 'valence', 'liking']


def read_csv(path):
    rows = []
    with open(path) as f:
        head = f.readline().strip().split(';')
        idx = [head.index(a) for a in ATTRS]
        for line in f:
            p = line.strip().split(';')
            if len(p) < len(head):
                continue
            rows.append([float(p[i]) for i in idx])
    return np.array(rows)


def load(data, prefix):
    gold, preds, lens = [], [], []
    for lab in sorted(glob.glob(os.path.join(data, 'labels_devel', prefix + '*.csv'))):
        g = read_csv(lab)
        n = len(g)
        per = []
        for s in SETS:
            p = read_csv(os.path.join(data, 'baseline_predictions', 'predictions_' + s, os.path.basename(lab)))
            if len(p) >= n:
                p = p[:n]
            else:
                p = np.concatenate([p, np.repeat(p[-1:], n - len(p), axis=0)])
            per.append(p)
        gold.append(g)
        preds.append(np.stack(per, axis=2))  # (n, attrs, models)
        lens.append(n)
    return np.concatenate(gold), np.concatenate(preds), lens


def context(x, k):
    """The organisers' contextualise(): self, then m-0..m-(k-1), then m+0..m+(k-1), clamped
    at the ends of the (concatenated) matrix; blocks along the last axis."""
    n = x.shape[0]
    blocks = [x]
    ar = np.arange(n)
    for c in range(k):
        blocks.append(x[np.maximum(0, ar - c)])
    for c in range(k):
        blocks.append(x[np.minimum(n - 1, ar + c)])
    return np.concatenate(blocks, axis=2).reshape(n, -1)


def ccc(y, p):
    ym, pm = y.mean(), p.mean()
    cov = np.mean((y - ym) * (p - pm))
    return 2 * cov / (np.var(y, ddof=1) + np.var(p, ddof=1) + (ym - pm) ** 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('data')
    ap.add_argument('--grid', default='full')
    ap.add_argument('--stages', type=int, default=1)
    ap.add_argument('--fit', default='ALL')
    ap.add_argument('--score', default='ALL')
    ap.add_argument('--context', type=int, default=0, help='fixed K (skip the search)')
    ap.add_argument('--C', type=float, default=0.0)
    a = ap.parse_args()
    pre = {'ALL': 'Devel_', 'DE': 'Devel_DE', 'HU': 'Devel_HU'}
    gtr, xtr, _ = load(a.data, pre[a.fit])
    gte, xte, _ = load(a.data, pre[a.score])
    if a.context:
        ks, cs = [a.context], [a.C or 0.01]
    elif a.grid == 'full':
        ks, cs = [11, 13, 15, 17, 19], [0.001, 0.01, 0.1, 1.0]
    else:
        ks, cs = [11, 15, 19], [0.001, 0.01]
    print('mean-of-inputs', ' '.join('%.4f' % ccc(gte[:, d], xte[:, d, :].mean(axis=1)) for d in range(3)))
    best_k, best_c = [0] * 3, [0.0] * 3
    for stage in range(1, a.stages + 1):
        outs_tr, outs_te, cccs = [], [], []
        for d in range(3):
            if stage == 1:
                best = -1
                for k in ks:
                    ctr = context(xtr, k)
                    for c in cs:
                        t0 = time.time()
                        m = LinearSVR(C=c, random_state=0).fit(ctr, gtr[:, d])
                        s = ccc(gtr[:, d], m.predict(ctr))
                        print('  stage %d %s K=%d C=%g fit-CCC %.4f (%.0fs)' % (stage, ATTRS[d], k, c, s, time.time() - t0), flush=True)
                        if s > best:
                            best, best_k[d], best_c[d] = s, k, c
            ctr, cte = context(xtr, best_k[d]), context(xte, best_k[d])
            m = LinearSVR(C=best_c[d], random_state=0).fit(ctr, gtr[:, d])
            outs_tr.append(m.predict(ctr))
            outs_te.append(m.predict(cte))
            cccs.append(ccc(gte[:, d], outs_te[-1]))
        print('stage %d K=%s C=%s CCC %s' % (stage, best_k, best_c, ' '.join('%.4f' % v for v in cccs)), flush=True)
        if stage == 1:
            base_tr, base_te = xtr, xte
        xtr = np.concatenate([xtr, np.stack(outs_tr, axis=1)[:, :, None]], axis=2)
        xte = np.concatenate([xte, np.stack(outs_te, axis=1)[:, :, None]], axis=2)


if __name__ == '__main__':
    main()
