"""Generate a large gazette corpus by recombining the bundled issues' documents.

Every generated issue holds documents of the real issues, each renumbered (a fresh serial in
its 文号 series, the issue's year), redated (成文日期 within that year) and with its body
paragraphs shuffled, plus a chronicle whose heading carries the new year. So the corpus is not
one text repeated: numbers, dates and paragraph order differ from file to file, and the
generated files parse like the real ones. Seeded: the same arguments give the same files.

Usage: python bench/generate.py OUT_DIR [--mb 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from govdocs import parse_file

ROOT = Path(__file__).resolve().parent.parent
_SENTENCE_END = re.compile(r"[。！？；：]\s*$")


def _pieces(path: Path):
    """(document templates, chronicle text) of one real issue."""
    text = path.read_text(encoding="utf-8")
    parsed = parse_file(path)
    docs = []
    for doc in parsed.documents:
        if not doc.fragments or not doc.doc_numbers:
            continue
        start, end = doc.fragments[0].start, doc.fragments[-1].end
        docs.append({"text": text[start:end], "start": start, "doc": doc})
    chron = parsed.chronicle
    chronicle = text[chron.start:chron.end] if chron else None
    return docs, chronicle


def _shuffle_body(lines: list[str], rng: random.Random) -> list[str]:
    """Shuffle paragraphs (runs of lines ending at a sentence end) in the middle of a document."""
    if len(lines) < 8:
        return lines
    head, body, tail = lines[:4], lines[4:-3], lines[-3:]
    paras, cur = [], []
    for line in body:
        cur.append(line)
        if _SENTENCE_END.search(line):
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    rng.shuffle(paras)
    return head + [line for p in paras for line in p] + tail


def _document(t: dict, year: int, serials: dict, rng: random.Random) -> str:
    doc, text = t["doc"], t["text"]
    edits = []
    if (span := doc.span("doc_number")) is not None:
        code = doc.doc_number.split("〔")[0]
        serials[code] = serials.get(code, 0) + rng.randint(1, 3)
        edits.append((span.start - t["start"], span.end - t["start"], f"{code}〔{year}〕{serials[code]}号"))
    if (span := doc.span("date")) is not None:
        edits.append((span.start - t["start"], span.end - t["start"],
                      f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"))
    for start, end, new in sorted(edits, reverse=True):
        if 0 <= start < end <= len(text):
            text = text[:start] + new + text[end:]
    return "\n".join(_shuffle_body(text.split("\n"), rng))


def generate(out: Path, mb: float = 50.0, seed: int = 1, per_issue: int = 10) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    templates, chronicles = [], []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        docs, chron = _pieces(path)
        templates += docs
        if chron:
            chronicles.append(chron)
    target, size, files, serials = int(mb * 1_000_000), 0, [], {}
    n = 0
    while size < target:
        n += 1
        year = 2000 + n % 25
        chosen = rng.sample(templates, min(per_issue, len(templates)))
        parts = [_document(t, year, serials, rng) for t in chosen]
        chron = rng.choice(chronicles)
        parts.append(re.sub(r"\d{4}年", f"{year}年", chron, count=1))
        text = "\n\n".join(parts) + "\n"
        path = out / f"gen_{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        size += len(text.encode("utf-8"))
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    files = generate(args.out, args.mb, args.seed)
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
