#!/usr/bin/python3
# Cut a speaker-stream prediction file (emo predict on a stream made by
# bench/emodb-streams.py) back into one prediction file per utterance, so that
# bench/emodb-score.py scores streamed predictions like per-utterance ones.
#
#   emodb-split.py INDEX.tsv PRED.csv OUT_DIR
import csv
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: emodb-split.py INDEX.tsv PRED.csv OUT_DIR\n")
        return 2
    index, pred, out = sys.argv[1:]
    spk = os.path.splitext(os.path.basename(pred))[0]
    with open(pred) as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    head, body = rows[0], rows[1:]
    os.makedirs(out, exist_ok=True)
    n = 0
    with open(index) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["speaker"] != spk:
                continue
            first, count = int(r["first"]), int(r["rows"])
            if first + count > len(body):
                sys.stderr.write("emodb-split: %s: %s needs rows %d..%d, file has %d\n"
                                 % (pred, r["utt"], first, first + count, len(body)))
                return 1
            with open(os.path.join(out, r["utt"] + ".csv"), "w") as g:
                g.write(";".join(head) + "\n")
                for k, row in enumerate(body[first:first + count]):
                    g.write("'%s';%.6f;%s\n" % (r["utt"], k / 10.0, ";".join(row[2:])))
            n += 1
    if n == 0:
        sys.stderr.write("emodb-split: no utterances of speaker %s in %s\n" % (spk, index))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
