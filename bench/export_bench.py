"""Export benchmark: wall-clock and peak memory (RSS) of whole `govdocs export` commands.

Generates (once) corpora of the sizes asked for with bench/generate.py under bench/data/
(never committed), indexes each, then runs `govdocs export` in a child process and reads the
child's peak resident set size from the kernel (`os.wait4`). Memory that stays flat from the
small corpus to the large one is what "streams in constant memory" means.

Usage: python bench/export_bench.py [--mb 5 50] [--jobs 2]
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

DATA = ROOT / "bench" / "data"
GOVDOCS = [sys.executable, "-m", "govdocs"]


def measure(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(GOVDOCS + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"govdocs {' '.join(args)} failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def ensure_index(corpus: Path, index: Path, jobs: int) -> None:
    """Index in a child process: the kernel carries a process's peak RSS across fork and exec,
    so a parent that had indexed 50 MB itself would inflate every measurement after it."""
    args = GOVDOCS + ["index", str(corpus), "--index", str(index), "--jobs", str(jobs)]
    if subprocess.run(args, capture_output=True).returncode != 0:  # e.g. built by an older govdocs
        subprocess.run(args + ["--rebuild"], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[5, 50])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    opts = parser.parse_args()
    logging.disable(logging.WARNING)
    print(f"baseline: `govdocs --version` peak RSS {measure(['--version'])[1]:.0f} MB")
    print("| corpus | export | output | time | peak RSS |")
    print("|---|---|---|---|---|")
    for mb in opts.mb:
        corpus = DATA / f"gen{mb}"
        generate(corpus, mb)  # deterministic: the same files each time, so the index stays valid
        index = DATA / f"index{mb}"
        ensure_index(corpus, index, opts.jobs)
        print(f"(after indexing, `govdocs --version` peak RSS {measure(['--version'])[1]:.0f} MB)")
        size = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6
        runs = [
            ("documents jsonl, from the index", ["export", "--index", str(index), "--out"], "documents.jsonl"),
            ("documents json, from the index", ["export", "--index", str(index), "-f", "json", "--out"], "documents.json"),
            ("all kinds jsonl, from the index", ["export", "--index", str(index), "--kind", "all", "--out"], "all"),
            ("documents jsonl, from the files (2 passes)", ["export", str(corpus), "--out"], "files.jsonl"),
        ]
        for label, args, name in runs:
            out = DATA / f"export{mb}" / name
            out.parent.mkdir(parents=True, exist_ok=True)
            seconds, rss = measure(args + [str(out)])
            written = sum(p.stat().st_size for p in out.iterdir()) if out.is_dir() else out.stat().st_size
            print(f"| {size:.1f} MB | {label} | {written / 1e6:.1f} MB | {seconds:.1f} s | {rss:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
