"""Parse throughput on the bundled corpus and on the gov.cn documents, each repeated to
>= N MB (generated in memory, never committed).

Usage: python bench/parse_throughput.py [--mb 20]
Prints MB/s for the whole pipeline (decode excluded: text is parsed from memory) per set —
the two 青海政报 issues (`corpus/`), the thirty single documents (`tests/data/govcn/*.txt`) and
their HTML pages (`tests/data/govcn/html/`, HTML extraction included) — and the peak Python
memory of one issue's parse.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

from govdocs import parse_bytes, parse_text

ROOT = Path(__file__).resolve().parent.parent
GOVCN = ROOT / "tests" / "data" / "govcn"


def _run(name: str, texts: list[str], mb: float, parse) -> None:
    target = int(mb * 1_000_000)
    batch, size = [], 0
    while size < target:
        for text in texts:
            batch.append(text)
            size += len(text.encode("utf-8"))
    parse(texts[0])  # warm up (regex compilation)
    start = time.perf_counter()
    docs = sum(len(parse(text).documents) for text in batch)
    elapsed = time.perf_counter() - start
    print(f"{name:8} {len(batch):5} files, {size / 1e6:5.1f} MB, {docs:6} documents in {elapsed:5.2f} s: "
          f"{size / 1e6 / elapsed:5.2f} MB/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0, help="size of each generated set in MB (UTF-8)")
    args = ap.parse_args()
    issues = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    singles = [p.read_text(encoding="utf-8") for p in sorted(GOVCN.glob("*.txt"))]
    pages = [p.read_text(encoding="utf-8") for p in sorted((GOVCN / "html").glob("*.html"))]
    _run("corpus", issues, args.mb, parse_text)
    _run("govcn", singles, args.mb, parse_text)
    _run("html", pages, args.mb, lambda page: parse_bytes(page.encode("utf-8"), "page.html"))
    tracemalloc.start()
    parse_text(issues[1])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak Python memory parsing one {len(issues[1].encode()) / 1000:.0f} KB issue: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
