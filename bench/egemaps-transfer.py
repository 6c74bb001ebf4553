#!/usr/bin/python3
"""Does a model trained on openSMILE's eGeMAPS carry over to ours?

    bench/egemaps-transfer.py WORKDIR

WORKDIR is bench/egemaps-fidelity.sh's (SCRATCH/fidelity): smile/NAME.func.csv
(openSMILE) and emo-func/NAME.csv (ours, whole-file functionals) for every
EmoDB file. Leave-one-speaker-out: logistic regression (C = 0.1) on openSMILE
functionals z-scored with the training speakers' mean and standard deviation
(as a user holding a published model would have them), high vs low arousal
(bench/emodb-mapping.tsv: arousal > 0 is high; neutral excluded), scored on
the held-out speaker's openSMILE features and, separately, on ours with the
same statistics. Prints the pooled AUC of both and their difference.
"""
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

here = os.path.dirname(os.path.abspath(__file__))


def last_row(path):
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    return np.array([float(x) for x in lines[-1].split(';')[2:]])


def main():
    W = sys.argv[1]
    arousal = {}
    with open(os.path.join(here, 'emodb-mapping.tsv')) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            p = line.rstrip('\n').split('\t')
            arousal[p[0]] = float(p[3])
    names = sorted(f[:-9] for f in os.listdir(os.path.join(W, 'smile'))
                   if f.endswith('.func.csv') and not f.startswith(('long', 'short')))
    X_os, X_emo, y, spk = [], [], [], []
    for b in names:
        a = arousal.get(b[5])
        if a is None or a == 0:
            continue
        X_os.append(last_row(os.path.join(W, 'smile', b + '.func.csv')))
        X_emo.append(last_row(os.path.join(W, 'emo-func', b + '.csv')))
        y.append(1 if a > 0 else 0)
        spk.append(b[:2])
    X_os, X_emo, y, spk = np.array(X_os), np.array(X_emo), np.array(y), np.array(spk)
    p_os, p_emo = np.zeros(len(y)), np.zeros(len(y))
    for s in sorted(set(spk)):
        tr, te = spk != s, spk == s
        mu, sd = X_os[tr].mean(0), X_os[tr].std(0)
        sd[sd == 0] = 1
        clf = LogisticRegression(C=0.1, max_iter=5000).fit((X_os[tr] - mu) / sd, y[tr])
        p_os[te] = clf.decision_function((X_os[te] - mu) / sd)
        p_emo[te] = clf.decision_function((X_emo[te] - mu) / sd)
    a_os, a_emo = roc_auc_score(y, p_os), roc_auc_score(y, p_emo)
    print('EmoDB high/low arousal, %d utterances, %d speakers left out in turn'
          % (len(y), len(set(spk))))
    print('model trained on openSMILE eGeMAPSv02, scored on openSMILE features: AUC %.3f' % a_os)
    print('the same models scored on emo extract features:                    AUC %.3f' % a_emo)
    print('difference: %+.3f' % (a_emo - a_os))


if __name__ == '__main__':
    main()
