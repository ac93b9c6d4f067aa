"""Parse throughput on the bundled corpus repeated to >= 20 MB (generated on demand, never committed).

Usage: python bench/parse_throughput.py [--mb 20]
Prints MB/s for the whole pipeline (decode excluded: text is parsed from memory) and per issue size.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

from govdocs import parse_text

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0, help="size of the generated corpus in MB (UTF-8)")
    args = ap.parse_args()
    issues = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    target = int(args.mb * 1_000_000)
    texts, size = [], 0
    while size < target:
        for text in issues:
            texts.append(text)
            size += len(text.encode("utf-8"))
    parse_text(issues[0])  # warm up (regex compilation)
    start = time.perf_counter()
    docs = 0
    for text in texts:
        docs += len(parse_text(text).documents)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    parse_text(issues[1])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    mb = size / 1_000_000
    print(f"parsed {len(texts)} issues, {mb:.1f} MB, {docs} documents in {elapsed:.2f} s")
    print(f"throughput: {mb / elapsed:.2f} MB/s ({len(texts) / elapsed:.1f} issues/s)")
    print(f"peak Python memory parsing one {len(issues[1].encode()) / 1000:.0f} KB issue: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
