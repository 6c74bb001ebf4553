#!/usr/bin/python3
# Grid point by grid point: `emo fuse-train --search` (its log, from
# bench/fusion-real.sh) against bench/fusion-sklearn.py (its log) on the same
# one-stage grid: the largest |CCC difference| per attribute and C, and the
# best grid point of each, over the whole grid and over C <= 0.1.
#
#   fusion-grid-compare.py EMO_LOG SKLEARN_LOG
import collections
import re
import sys


def parse(path, pat):
    d = {}
    with open(path) as f:
        for line in f:
            m = re.search(pat, line)
            if m:
                d[(m.group(1), int(m.group(2)), float(m.group(3)))] = float(m.group(4))
    return d


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: fusion-grid-compare.py EMO_LOG SKLEARN_LOG\n")
        return 2
    e = parse(sys.argv[1], r'stage 1 (\w+) K=(\d+) C=([\d.]+) fit CCC ([-\d.]+)')
    s = parse(sys.argv[2], r'stage 1 (\w+) K=(\d+) C=([\d.]+) fit-CCC ([-\d.]+)')
    common = [k for k in s if k in e]
    if not common:
        sys.stderr.write("fusion-grid-compare: no grid point in both logs\n")
        return 1
    by = collections.defaultdict(list)
    for k in common:
        by[(k[0], k[2])].append(abs(e[k] - s[k]))
    attrs = [a for a in ('arousal', 'valence', 'liking') if any(k[0] == a for k in common)]
    cs = sorted({k[2] for k in common})
    print("| attribute | " + " | ".join("C = %g" % c for c in cs) + " |")
    print("|---|" + "---|" * len(cs))
    for a in attrs:
        print("| %s | " % a + " | ".join("%.4f" % max(by[(a, c)]) if by[(a, c)] else "-" for c in cs) + " |")
    print()
    print("| attribute | grid | emo best (K, C): CCC | scikit-learn best (K, C): CCC |")
    print("|---|---|---|---|")
    for a in attrs:
        for label, cmax in (("full", 1e9), ("C <= 0.1", 0.1)):
            pts = [k for k in common if k[0] == a and k[2] <= cmax]
            ke = max(pts, key=lambda k: e[k])
            ks = max(pts, key=lambda k: s[k])
            print("| %s | %s | (%d, %g): %.3f | (%d, %g): %.3f |" % (a, label, ke[1], ke[2], e[ke], ks[1], ks[2], s[ks]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
