#!/usr/bin/python3
# FER2013 features (one CSV per image, from emo extract) into training
# sequences for emo train: each split's images in a seeded random order,
# cut into sequences of 100 rows (emo train's loss is a CCC over a
# sequence, and one image has no label variance), with label files holding
# the category's (arousal, valence) from the mapping. Also writes
# CACHE/seq/<split>/index.tsv (sequence, row, image, category).
#
#   fer2013-prepare.py DATA CACHE MAPPING.tsv
import csv
import os
import random
import sys

SEQ = 100


def mapping(path):
    m = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            folder, _, a, v = line.rstrip("\n").split("\t")
            m[folder] = (float(a), float(v))
    return m


def read_one(path):
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    if len(rows) != 2:
        return None, None
    return rows[0], rows[1]


def write_split(data, cache, split, layout, tag, amap):
    fdir = os.path.join(cache, "features", layout, split)
    items = []
    for cat in sorted(amap):
        d = os.path.join(data, split, cat)
        for f in sorted(os.listdir(d)):
            b = f[:-4]
            p = os.path.join(fdir, b + ".csv")
            if os.path.exists(p):
                items.append((b, cat, p))
    random.Random(1).shuffle(items)
    out = os.path.join(cache, "seq", tag)
    for sub in ("features", "labels"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
        for old in os.listdir(os.path.join(out, sub)):
            os.unlink(os.path.join(out, sub, old))
    head = None
    bad = 0
    with open(os.path.join(out, "index.tsv"), "w") as idx:
        idx.write("seq\trow\timage\tcategory\n")
        for k in range(0, len(items), SEQ):
            name = "seq%04d" % (k // SEQ)
            frows, lrows = [], []
            for b, cat, p in items[k:k + SEQ]:
                h, r = read_one(p)
                if h is None:
                    bad += 1
                    continue
                if head is None:
                    head = h
                elif h != head:
                    sys.exit("fer2013-prepare: %s: header differs" % p)
                t = "%.6f" % (0.1 * len(frows))
                frows.append([name, t] + r[2:])
                a, v = amap[cat]
                lrows.append([name, t, "%.2f" % a, "%.2f" % v])
                idx.write("%s\t%d\t%s\t%s\n" % (name, len(frows) - 1, b, cat))
            with open(os.path.join(out, "features", name + ".csv"), "w") as f:
                w = csv.writer(f, delimiter=";", lineterminator="\n")
                w.writerow(["name", "timestamp"] + head[2:])
                w.writerows(frows)
            with open(os.path.join(out, "labels", name + ".csv"), "w") as f:
                w = csv.writer(f, delimiter=";", lineterminator="\n")
                w.writerow(["name", "timestamp", "arousal", "valence"])
                w.writerows(lrows)
    print("fer2013-prepare: %s %s: %d images in %d sequences%s" % (
        split, layout, len(items) - bad, (len(items) + SEQ - 1) // SEQ,
        " (%d unreadable skipped)" % bad if bad else ""))


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: fer2013-prepare.py DATA CACHE MAPPING.tsv\n")
        return 2
    data, cache, mpath = sys.argv[1:]
    amap = mapping(mpath)
    for split in ("train", "validation", "test"):
        write_split(data, cache, split, "vis-v2", split, amap)
    write_split(data, cache, "test", "vis-v1", "test-v1", amap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
