"""Search benchmark: indexing throughput, index size, query latency, whole-command wall-clock.

Generates (once) a corpus of --mb MB with bench/generate.py under bench/data/ (never committed),
indexes it from scratch with --jobs workers, and reports:

* indexing MB/s (parse + analysis + Whoosh, wall-clock) and its ratio to a bare `jieba.cut`
  pass (jieba's own Python engine, the baseline of the issue) over a fixed 5 MB sample of the
  same text — a full jieba pass over 50 MB would take minutes — and, since this machine's speed
  swings by a third, the issue's target (3 MB/s where jieba.cut ran 0.75 MB/s) as a ratio too;
* index size on disk;
* latency p50/p95 of QUERIES (words, phrases, 文号, filters, facets, date ranges, sorting), each
  with snippets, on one open `Searcher`, repeated --repeat times after one untimed pass (the
  searcher's first use loads per-index data — field lengths, columns — that later searches
  reuse; a command's start-up cost is timed by the next item);
* wall-clock of whole `govdocs search` commands (start-up included), median and p95 of 10 runs.

Usage: python bench/search_bench.py [--mb 50] [--jobs 2] [--repeat 5] [--keep-index]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from govdocs.index.indexer import update_index  # noqa: E402
from govdocs.index.search import Filters, Searcher  # noqa: E402

#: (query, filters, options) — ≥ 20 kinds of search a user runs
QUERIES = [
    ("人民政府", {}, {}),
    ("政府", {}, {}),
    ("自然保护区", {}, {}),
    ('"省人民政府"', {}, {}),
    ('"深化收费公路制度改革"', {}, {}),
    ("互联网 政务服务", {}, {}),
    ("营商环境 OR 通用航空", {}, {}),
    ("危险化学品 -安全生产", {}, {}),
    ("刘宁", {"kind": "chronicle"}, {}),
    ("王予波", {}, {}),
    ("{number0}", {}, {}),
    ("{number1_square}", {}, {}),
    ("", {"number": "{number2}"}, {}),
    ("副秘书长", {"kind": "appointment"}, {}),
    ("通知", {"issuer": "青海省人民政府办公厅"}, {}),
    ("实施方案", {"doc_type": "通知"}, {}),
    ("财政", {"year": "2010"}, {}),
    ("会议", {"since": "2015-06-01", "until": "2015-06-30"}, {}),
    ("扶贫", {}, {"sort": "date"}),
    ("改革", {}, {"facets": True}),
    ("国有资产 管理体制", {}, {"facets": True}),
    ("招商引资", {"kind": "document"}, {"sort": "date"}),
    ("PM2.5", {}, {}),
    ("十三五", {}, {}),
]


#: the issue's indexing target and the bare jieba.cut speed it measured on this machine
TARGET_MB_S, ISSUE_JIEBA_MB_S = 3.0, 0.75


def jieba_rate(files: list[Path], sample_mb: float = 5.0) -> float:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    text, size = [], 0
    for path in files:
        t = path.read_text(encoding="utf-8")
        text.append(t)
        size += len(t.encode("utf-8"))
        if size >= sample_mb * 1e6:
            break
    started = time.perf_counter()
    for t in text:
        for _ in tok.cut(t):
            pass
    return size / 1e6 / (time.perf_counter() - started)


def index(files: list[Path], corpus: Path, index_dir: Path, mb: float, jobs: int) -> None:
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()  # from nothing: creating the index and its dictionary included
    report = update_index(files, [corpus], index_dir, jobs=jobs)
    took = time.perf_counter() - started
    size = sum(p.stat().st_size for p in index_dir.iterdir()) / 1e6
    jrate = jieba_rate(files)
    print(f"indexing: {report.records} records in {took:.1f} s = {mb / took:.2f} MB/s with {jobs} jobs; "
          f"bare jieba.cut {jrate:.2f} MB/s → {mb / took / jrate:.1f}× ; index {size:.0f} MB")
    # the issue's target, 3 MB/s, was set where bare jieba.cut ran 0.75 MB/s: this machine's speed
    # swings by a third, so the ratio measured in the same run is the comparable figure
    print(f"  the target as a ratio: {TARGET_MB_S / ISSUE_JIEBA_MB_S:.1f}× (3 MB/s where jieba.cut ran "
          f"{ISSUE_JIEBA_MB_S} MB/s); at that speed this run would index "
          f"{mb / took * ISSUE_JIEBA_MB_S / jrate:.2f} MB/s")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep-index", action="store_true", help="reuse the index of an earlier run: time searches only")
    args = ap.parse_args()
    data = ROOT / "bench" / "data"
    corpus, index_dir = data / f"gen{args.mb:g}", data / f"index{args.mb:g}"
    if not corpus.exists():
        generate(corpus, args.mb)
    files = sorted(corpus.glob("*.txt"))
    mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} files, {mb:.1f} MB ({corpus.relative_to(ROOT)})")

    if not (args.keep_index and index_dir.exists()):
        index(files, corpus, index_dir, mb, args.jobs)

    latencies: dict[str, list[float]] = {}
    empty: set[str] = set()  # queries without a hit (a small corpus lacks some dates and words)
    with Searcher(index_dir) as searcher:
        with searcher.ix.reader() as reader:  # 文号 that exist in the generated corpus
            numbers = [t.decode("utf-8") for t in reader.lexicon("doc_number")]
        picks = {"number0": numbers[len(numbers) // 3], "number2": numbers[2 * len(numbers) // 3],
                 "number1_square": numbers[len(numbers) // 2].replace("〔", "[").replace("〕", "]")}
        queries = [(t.format(**picks), {k: v.format(**picks) for k, v in f.items()}, o) for t, f, o in QUERIES]
        cold = []  # the warm-up pass: reported apart, not in the percentiles
        for text, filters, opts in queries:
            started = time.perf_counter()
            searcher.search(text, Filters(**filters), limit=10, **opts)
            cold.append((time.perf_counter() - started) * 1000)
        for _ in range(args.repeat):
            for text, filters, opts in queries:
                started = time.perf_counter()
                res = searcher.search(text, Filters(**filters), limit=10, **opts)
                latencies.setdefault(f"{text} {filters} {opts}", []).append((time.perf_counter() - started) * 1000)
                if res.total == 0 and text != "PM2.5":
                    empty.add(f"{text} {filters}")
    if empty:
        print(f"no hit (still timed): {', '.join(sorted(empty))}")
    allv = [v for vs in latencies.values() for v in vs]
    print(f"search: {len(QUERIES)} queries × {args.repeat}: p50 {pct(allv, 50):.1f} ms, p95 {pct(allv, 95):.1f} ms, "
          f"max {max(allv):.1f} ms (limit 10, snippets included); first pass: p50 {pct(cold, 50):.1f} ms, "
          f"max {max(cold):.1f} ms")
    for name, vs in sorted(latencies.items(), key=lambda kv: -statistics.median(kv[1]))[:5]:
        print(f"  slowest: {statistics.median(vs):6.1f} ms  {name}")

    # as `pip install` leaves it: bytecode compiled (PYTHONDONTWRITEBYTECODE would otherwise
    # make every command compile govdocs from source, ~40 ms)
    import compileall

    compileall.compile_dir(ROOT / "govdocs", quiet=1)
    env = {**os.environ, "GOVDOCS_INDEX": str(index_dir)}
    exe = shutil.which("govdocs") or "govdocs"
    for cmd in (["刘宁", "--kind", "chronicle", "--format", "json"], ["人民政府"], [picks["number0"], "--format", "json"]):
        runs = []
        for _ in range(10):
            started = time.perf_counter()
            subprocess.run([exe, "search", *cmd], env=env, check=True, capture_output=True)
            runs.append((time.perf_counter() - started) * 1000)
        print(f"command: govdocs search {' '.join(cmd)}: median {statistics.median(runs):.0f} ms, "
              f"p95 {pct(runs, 95):.0f} ms")


if __name__ == "__main__":
    main()
