"""Where an index's bytes are: each file of the folder, and each part of its compound segments.

Parts are summed over the segments by kind: `.occ` (occurrences), `.pst` (posting blocks),
`.trm` (terms), `_stored.col` (stored fields), `_*_len.col` (field lengths), other `.col`
(facet and date columns). Read only: the index is opened as files, never written.

Usage: python bench/index_size.py INDEX_DIR [--text-mb MB]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage


def part_kind(name: str) -> str:
    if name.endswith("_stored.col"):
        return "stored fields (_stored.col)"
    if re.search(r"\._\w+_len\.col$", name):
        return "field lengths (_*_len.col)"
    if name.endswith(".col"):
        return "columns (facets, dates)"
    return name[name.rindex("."):]


def breakdown(index_dir: Path) -> Counter:
    sizes: Counter = Counter()
    storage = FileStorage(str(index_dir), readonly=True)
    for path in sorted(index_dir.iterdir()):
        if path.suffix != ".seg":
            sizes[path.name if path.stat().st_size > 100_000 else "other files"] += path.stat().st_size
            continue
        compound = CompoundStorage(storage.open_file(path.name), use_mmap=False)
        inside = 0
        for name, entry in compound._dir.items():
            sizes[part_kind(name)] += entry["length"]
            inside += entry["length"]
        sizes["segment directories"] += path.stat().st_size - inside
        compound.close()
    return sizes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("index", type=Path)
    ap.add_argument("--text-mb", type=float, help="the indexed text's size, for the ratio")
    args = ap.parse_args()
    sizes = breakdown(args.index)
    total = sum(sizes.values())
    for kind, size in sizes.most_common():
        print(f"{kind:32} {size / 1e6:9.2f} MB {100 * size / total:5.1f} %")
    ratio = f" = {total / 1e6 / args.text_mb:.2f}× the text" if args.text_mb else ""
    print(f"{'total':32} {total / 1e6:9.2f} MB{ratio}")


if __name__ == "__main__":
    main()
