#!/usr/bin/python3
"""Compare our eGeMAPS v02 output with openSMILE's (bench/egemaps-fidelity.sh).

    egemaps-fidelity.py WORKDIR LONG_SECONDS

WORKDIR holds smile/NAME.{func,lld}.csv (SMILExtract), emo-func/NAME.csv
(whole-file functionals, last row) and emo-lld/NAME.csv (10 ms LLDs), and
speed.tsv. Prints the tables described in the shell script.
"""
import os
import sys

import numpy as np

R_GOAL, REL_GOAL, VOICING_GOAL = 0.98, 0.02, 0.97


def read_csv(path):
    with open(path) as f:
        head = f.readline().strip().split(';')
        rows = [line.strip().split(';') for line in f if line.strip()]
    names = [h.strip("'") for h in head[2:]]
    data = np.array([[float(x) for x in r[2:]] for r in rows], dtype=float)
    return names, data.reshape(len(rows), len(names))


def pearson(a, b):
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float('nan')
    return float(np.corrcoef(a, b)[0, 1])


def functionals(W, names_files):
    ours, theirs, names = [], [], None
    for b in names_files:
        n1, t = read_csv(os.path.join(W, 'smile', b + '.func.csv'))
        n2, o = read_csv(os.path.join(W, 'emo-func', b + '.csv'))
        assert n1 == n2, 'functional names differ: %s' % set(n1) ^ set(n2)
        names = n1
        theirs.append(t[-1])
        ours.append(o[-1])
    return names, np.array(ours), np.array(theirs)


def functional_table(names, ours, theirs, label):
    print('\n## Functionals over each whole file: %s (%d files)' % (label, len(ours)))
    print('%-45s %8s %8s %10s %10s %s' % ('feature', 'r', 'medrel', 'mean ours', 'mean OS', 'goal'))
    met = 0
    rows = []
    for i, n in enumerate(names):
        t, o = theirs[:, i], ours[:, i]
        iqr = np.subtract(*np.percentile(t, [75, 25]))
        rel = float(np.median(np.abs(o - t) / (np.abs(t) + 0.05 * iqr + 1e-30)))
        r = pearson(o, t)
        ok = (r >= R_GOAL or (np.std(t) == 0 and rel <= REL_GOAL)) and rel <= REL_GOAL
        met += ok
        rows.append((n, r, rel, o.mean(), t.mean(), ok))
        print('%-45s %8.3f %8.3f %10.4g %10.4g %s' % (n, r, rel, o.mean(), t.mean(), 'ok' if ok else '--'))
    print('functionals meeting r >= %.2f and median rel. diff <= %.0f%%: %d of %d'
          % (R_GOAL, 100 * REL_GOAL, met, len(names)))
    r = np.array([x[1] for x in rows])
    print('r > 0.99: %d, r > 0.95: %d, r < 0.8: %d, median of median rel. diff: %.3f'
          % (np.sum(r > 0.99), np.sum(r > 0.95), np.sum(r < 0.8), np.median([x[2] for x in rows])))
    return met


def best_lag(a, b, maxlag=5):
    best, bl = -2, 0
    for lag in range(-maxlag, maxlag + 1):
        if lag >= 0:
            x, y = a[lag:], b[:len(b) - lag]
        else:
            x, y = a[:lag], b[-lag:]
        n = min(len(x), len(y))
        r = pearson(x[:n], y[:n])
        if r > best:
            best, bl = r, lag
    return bl


def llds(W, names_files):
    per = {}
    lags_l, lags_f = [], []
    counts_equal, n_files = 0, 0
    agree = total = 0
    v_ours = v_theirs = 0
    names = None
    for b in names_files:
        n1, t = read_csv(os.path.join(W, 'smile', b + '.lld.csv'))
        n2, o = read_csv(os.path.join(W, 'emo-lld', b + '.csv'))
        assert n1 == n2, 'LLD names differ'
        names = n1
        n_files += 1
        counts_equal += len(t) == len(o)
        n = min(len(t), len(o))
        t, o = t[:n], o[:n]
        f0 = names.index('F0semitoneFrom27.5Hz_sma3nz')
        vt, vo = t[:, f0] > 0, o[:, f0] > 0
        agree += np.sum(vt == vo)
        total += n
        v_ours += vo.sum()
        v_theirs += vt.sum()
        lags_l.append(best_lag(o[:, 0], t[:, 0]))
        lags_f.append(best_lag(o[:, f0], t[:, f0]))
        both = vt & vo
        for i, name in enumerate(names):
            sel = both if i >= f0 else np.ones(n, bool)
            per.setdefault(name, ([], []))
            per[name][0].append(o[sel, i])
            per[name][1].append(t[sel, i])
    print('\n## LLDs, frame by frame (%d files)' % n_files)
    print('%-32s %8s %10s %10s %s' % ('LLD', 'r', 'mean ours', 'mean OS', 'goal'))
    missing = []
    for name in names:
        o = np.concatenate(per[name][0])
        t = np.concatenate(per[name][1])
        r = pearson(o, t)
        ok = r >= R_GOAL
        if not ok:
            missing.append('%s %.3f' % (name, r))
        print('%-32s %8.3f %10.4g %10.4g %s' % (name, r, o.mean(), t.mean(), 'ok' if ok else '--'))
    print('LLDs with r >= %.2f: %d of %d; below: %s' % (R_GOAL, len(names) - len(missing), len(names),
                                                       ', '.join(missing) or 'none'))
    print('voicing agreement: %.1f%% of frames (ours %.1f%% voiced, openSMILE %.1f%%)'
          % (100.0 * agree / total, 100.0 * v_ours / total, 100.0 * v_theirs / total))
    print('frame lag (ours vs openSMILE, frames; median over files): loudness %+d, F0 %+d'
          % (int(np.median(lags_l)), int(np.median(lags_f))))
    print('same frame count: %d of %d files' % (counts_equal, n_files))


def speed(W, secs):
    path = os.path.join(W, 'speed.tsv')
    if not os.path.exists(path):
        return
    rows = {}
    with open(path) as f:
        for line in f:
            lab, w, c, m = line.split('\t')
            rows[lab] = (float(w), float(c), float(m))
    print('\n## Speed and memory, %.0f s of 22.05 kHz speech, medians of 3 runs' % secs)
    print('%-44s %8s %8s %10s %10s' % ('', 'wall s', 'CPU s', 'x realtime', 'peak MB'))
    labels = {'smile': 'SMILExtract eGeMAPSv02 (LLD + functionals)',
              'emo': 'emo extract, whole-file functionals',
              'emo4s': 'emo extract, 4 s window every 100 ms',
              'emoshort': 'emo extract 4 s/100 ms, a tenth of the file'}
    for lab in ('smile', 'emo', 'emo4s', 'emoshort'):
        if lab in rows:
            w, c, m = rows[lab]
            print('%-44s %8.2f %8.2f %10.0f %10.1f' % (labels[lab], w, c, secs / max(c, 1e-9), m))
    if 'smile' in rows and 'emo' in rows:
        print('throughput ratio emo / SMILExtract: wall %.1fx, CPU %.1fx (4 s window: CPU %.1fx)'
              % (rows['smile'][0] / rows['emo'][0], rows['smile'][1] / rows['emo'][1],
                 rows['smile'][1] / rows['emo4s'][1]))
    if 'emoshort' in rows and 'emo4s' in rows:
        print('peak memory, full length vs a tenth: %.1f MB vs %.1f MB'
              % (rows['emo4s'][2], rows['emoshort'][2]))


def main():
    W, secs = sys.argv[1], float(sys.argv[2])
    names_files = sorted(f[:-9] for f in os.listdir(os.path.join(W, 'smile')) if f.endswith('.func.csv'))
    emodb = [b for b in names_files if not b.startswith(('long', 'short'))]
    gen = [b for b in names_files if b.startswith('long')]
    names, ours, theirs = functionals(W, emodb or names_files)
    functional_table(names, ours, theirs, 'EmoDB' if emodb else 'generated speech')
    if gen:
        n, o, t = functionals(W, gen)
        print('\n## Functionals, long generated speech (%s): ours vs openSMILE' % ', '.join(gen))
        for i, name in enumerate(n):
            print('%-45s %s' % (name, '  '.join('%10.4g %10.4g' % (o[k, i], t[k, i]) for k in range(len(gen)))))
    llds(W, emodb or names_files)
    if gen:
        print('\n(generated speech)')
        llds(W, gen)
    speed(W, secs)


if __name__ == '__main__':
    main()
