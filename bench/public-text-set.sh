#!/usr/bin/env bash
# Makes a public labelled text set for the review classifier benchmark (docs/benchmarks.md, "Review classifier:
# defaults, domain-adaptive pretraining and a public text set"): WordNet 3.0 noun glosses (Debian package wordnet-base,
# Princeton's WordNet licence), each labelled by its lexicographer file. Six fixed classes, 250 glosses each, drawn with a
# fixed seed: the classifier's stratified 20% split then holds 1,200 for training and 300 out.
#
#   bench/public-text-set.sh OUT.csv [SEED]
#
# Beside OUT.csv it writes OUT.unlabelled.csv: up to 20,000 other glosses of the same six classes, without labels — the
# unlabelled text of the domain that domain-adaptive pretraining can read (train-classifier --documents).
# The data is made on the machine that runs the benchmark, never committed.
set -euo pipefail
out=${1:?usage: bench/public-text-set.sh OUT.csv [SEED]}
seed=${2:-1337}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download wordnet-base >/dev/null 2>&1) || {
  echo "apt-get download wordnet-base failed: on a machine whose package lists were never fetched, run apt-get update first." >&2
  exit 1
}
dpkg-deb -x "$work"/wordnet-base_*.deb "$work/x"
python3 - "$work/x/usr/share/wordnet/data.noun" "$out" "$seed" <<'PY'
import csv, random, sys
# Lexicographer file numbers (WordNet's lexnames): the six classes of the set.
classes = {5: "animal", 6: "artifact", 8: "body", 13: "food", 18: "person", 20: "plant"}
per_class = 250
glosses = {name: [] for name in classes.values()}
with open(sys.argv[1], encoding="utf-8") as data:
    for line in data:
        if line.startswith(" ") or "|" not in line:
            continue  # the licence header
        fields, gloss = line.split("|", 1)
        lexfile = int(fields.split()[1])
        if lexfile in classes:
            # The definition only: the quoted examples after ';' often name the word itself.
            text = gloss.split(';')[0].strip()
            if len(text.split()) >= 3:
                glosses[classes[lexfile]].append(text)
random.seed(int(sys.argv[3]))
rows = []
for name in sorted(glosses):
    rows += [(text, name) for text in random.sample(sorted(set(glosses[name])), per_class)]
random.shuffle(rows)
labelled = {text for text, _ in rows}
others = sorted({text for texts in glosses.values() for text in texts} - labelled)
others = random.sample(others, min(20000, len(others)))
unlabelled = sys.argv[2][:-4] + ".unlabelled.csv" if sys.argv[2].endswith(".csv") else sys.argv[2] + ".unlabelled.csv"
with open(unlabelled, "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out)
    writer.writerow(["text"])
    writer.writerows([text] for text in others)
with open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out)
    writer.writerow(["text", "label"])
    writer.writerows(rows)
print(f"{len(rows)} glosses, {per_class} in each of {', '.join(sorted(glosses))} -> {sys.argv[2]}; {len(others)} unlabelled -> {unlabelled}")
PY
