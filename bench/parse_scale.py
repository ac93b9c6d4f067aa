"""Scale benchmark: does parsing stay linear in the input, and does indexing one huge document
stay in bounded memory?

* **Parse**: one file each of --sizes MB (default 5, 50 and 200), made by concatenating the
  issues of `bench/generate.py` (many issues in one file, as a year's volume would be), each
  parsed by `govdocs.parse_file` in a fresh process: wall-clock, time per MB and the process's
  peak RSS (the kernel's `ru_maxrss`, start-up and imports included), then the ratio of the
  largest size's time per MB to the smallest's (the target is ≤ 1.5).
* **Index one document**: one file of --single-mb MB (default 50) holding a single document —
  one title, 文号 and addressee, then the body paragraphs of a real notice repeated to the size,
  one signature and date — indexed by a whole `govdocs index` command into a fresh index: wall
  time and peak RSS read from the kernel with `os.wait4` (the target is ≤ 10× the file's size).

The inputs are written once under bench/data/scale/ (never committed) and reused.

Usage: python bench/parse_scale.py [--sizes 5 50 200] [--single-mb 50] [--skip-parse] [--skip-index]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

DATA = ROOT / "bench" / "data" / "scale"
#: the notice whose body is repeated into one huge document
NOTICE = ROOT / "tests" / "data" / "govcn" / "01_国发_2019_5号.txt"
GOVDOCS = [str(Path(sys.executable).with_name("govdocs"))]
#: run in a fresh interpreter: parse one file, print seconds and peak RSS (MB)
_PARSE_CHILD = """
import resource, sys, time
from govdocs import parse_file
start = time.perf_counter()
result = parse_file(sys.argv[1])
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(result.documents))
"""


def volume(mb: int) -> Path:
    """One file of about `mb` MB: generated issues, concatenated."""
    path = DATA / f"volume_{mb}mb.txt"
    if path.exists():
        return path
    issues = sorted((DATA / "issues").glob("gen_*.txt"))
    if sum(p.stat().st_size for p in issues) < mb * 1_000_000:
        shutil.rmtree(DATA / "issues", ignore_errors=True)
        issues = generate(DATA / "issues", mb=mb)
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        for issue in issues:
            if size >= mb * 1_000_000:
                break
            text = issue.read_text(encoding="utf-8")
            out.write(text + "\n")
            size += len(text.encode("utf-8")) + 1
    return path


def single_document(mb: int) -> Path:
    """One file of about `mb` MB holding one document: a real notice's head, its body
    paragraphs repeated to the size, its closing."""
    path = DATA / f"single_{mb}mb.txt"
    if path.exists():
        return path
    lines = NOTICE.read_text(encoding="utf-8").split("\n")
    first_body = next(i for i, ln in enumerate(lines) if ln.endswith("：")) + 1
    signature = max(i for i, ln in enumerate(lines) if ln.strip() == "国务院")
    head, body, closing = lines[:first_body], lines[first_body:signature], lines[signature:]
    chunk = "\n".join(body) + "\n"
    repeats = max(1, mb * 1_000_000 // len(chunk.encode("utf-8")))
    DATA.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(head) + "\n" + chunk * repeats + "\n".join(closing), encoding="utf-8")
    return path


def parse_run(path: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, documents) of parsing `path` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _PARSE_CHILD, str(path)], capture_output=True, text=True, check=True)
    seconds, rss, docs = out.stdout.split()
    return float(seconds), float(rss), int(docs)


def index_run(path: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a whole `govdocs index` of `path` into a fresh index."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.Popen(GOVDOCS + ["index", str(path), "--index", str(Path(tmp) / "ix"), "--jobs", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"govdocs index failed: {proc.stderr.read().decode() if proc.stderr else status}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 200], help="parse input sizes in MB")
    ap.add_argument("--single-mb", type=int, default=50, help="size of the one-document file indexed, in MB")
    ap.add_argument("--skip-parse", action="store_true")
    ap.add_argument("--skip-index", action="store_true")
    args = ap.parse_args()
    if not args.skip_parse:
        per_mb = {}
        for mb in sorted(args.sizes):
            path = volume(mb)
            size = path.stat().st_size / 1e6
            seconds, rss, docs = parse_run(path)
            per_mb[mb] = seconds / size
            print(f"parse {size:6.1f} MB ({docs:5} documents): {seconds:6.1f} s, {per_mb[mb]:.3f} s/MB, "
                  f"peak RSS {rss:6.0f} MB ({rss / size:.1f}× the file)", flush=True)
        if len(per_mb) > 1:
            lo, hi = min(per_mb), max(per_mb)
            print(f"time per MB at {hi} MB / at {lo} MB: {per_mb[hi] / per_mb[lo]:.2f} (target ≤ 1.5)")
    if not args.skip_index:
        path = single_document(args.single_mb)
        size = path.stat().st_size / 1e6
        seconds, rss = index_run(path)
        print(f"index one {size:.1f} MB document: {seconds:.1f} s, peak RSS {rss:.0f} MB "
              f"({rss / size:.1f}× the file; target ≤ 10×)")


if __name__ == "__main__":
    main()
