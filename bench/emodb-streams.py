#!/usr/bin/python3
# Concatenate each EmoDB speaker's utterances (features and labels, 100 ms
# rows) into one stream per speaker, in a seeded random order, timestamps
# continued. Why: emo train's loss is CCC computed over each training
# sequence, and an EmoDB utterance has one constant label, so within one
# utterance the label variance is zero and the CCC gradient vanishes. A
# stream of many utterances of one speaker has label variance, and it is
# also what emomtl sees in use: one speaker talking on.
#
#   emodb-streams.py UTTERANCES.tsv FEAT_DIR LABEL_DIR OUT_DIR [--seed N]
#
# Writes OUT_DIR/features/<speaker>.csv, OUT_DIR/labels/<speaker>.csv and
# OUT_DIR/index.tsv (speaker, utterance, first row, rows).
import csv
import os
import random
import sys


def read_rows(path):
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    return rows[0], rows[1:]


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 4:
        sys.stderr.write("usage: emodb-streams.py UTTERANCES.tsv FEAT_DIR LABEL_DIR OUT_DIR [--seed N]\n")
        return 2
    tsv, fdir, ldir, out = args
    by_spk = {}
    with open(tsv) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            by_spk.setdefault(r["speaker"], []).append(r["utt"])
    for sub in ("features", "labels"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    rng = random.Random(seed)
    with open(os.path.join(out, "index.tsv"), "w") as idx:
        idx.write("speaker\tutt\tfirst\trows\n")
        for spk in sorted(by_spk):
            utts = sorted(by_spk[spk])
            rng.shuffle(utts)
            fhead = lhead = None
            frows, lrows = [], []
            for u in utts:
                fh, fr = read_rows(os.path.join(fdir, u + ".csv"))
                lh, lr = read_rows(os.path.join(ldir, u + ".csv"))
                if fhead is None:
                    fhead, lhead = fh, lh
                elif fh != fhead or lh != lhead:
                    sys.stderr.write("emodb-streams: %s: header differs\n" % u)
                    return 1
                n = min(len(fr), len(lr))     # features and labels on one grid
                idx.write("%s\t%s\t%d\t%d\n" % (spk, u, len(lrows), n))
                frows += [r[2:] for r in fr[:n]]
                lrows += [r[2:] for r in lr[:n]]
            name = "'%s'" % spk
            with open(os.path.join(out, "features", spk + ".csv"), "w") as f:
                f.write(";".join(fhead) + "\n")
                for k, r in enumerate(frows):
                    f.write("%s;%.6f;%s\n" % (name, k / 10.0, ";".join(r)))
            with open(os.path.join(out, "labels", spk + ".csv"), "w") as f:
                f.write(";".join(lhead) + "\n")
                for k, r in enumerate(lrows):
                    f.write("%s;%.6f;%s\n" % (name, k / 10.0, ";".join(r)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
