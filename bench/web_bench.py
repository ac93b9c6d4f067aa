"""Web bench: `govdocs serve` under load while the index is updated.

Starts `govdocs serve` (uvicorn, its own process) on the bench corpus's index (built by
`bench/search_bench.py`, or here if missing), then runs --clients concurrent clients issuing
the search bench's queries through `/api/search` for --seconds seconds. Halfway through, a
`govdocs index` run adds --add files (copies of generated issues under new names and numbers)
to the same index. Reports requests/s, p50/p95 latency and errors (must be 0), and whether the
searches after the commit saw the added records.

Usage: python bench/web_bench.py [--mb 50] [--clients 8] [--seconds 30] [--add 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from bench.search_bench import QUERIES, pct  # noqa: E402

GOVDOCS = [sys.executable, "-m", "govdocs"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of(base: str, text: str, filters: dict, opts: dict) -> str:
    params = [("q", text)] + [(k, v) for k, v in filters.items() if k != "number"]
    if "number" in filters:
        params[0] = ("q", f"{text} {filters['number']}".strip())
    params += [("sort", opts["sort"])] if "sort" in opts else []
    return f"{base}/api/search?{urllib.parse.urlencode(params)}"


def client(urls: list[str], stop: float, out: list, errors: list, offset: int) -> None:
    k = offset
    while time.monotonic() < stop:
        url = urls[k % len(urls)]
        k += 1
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                json.loads(response.read())
            out.append((time.monotonic(), time.perf_counter() - started))
        except Exception as exc:  # noqa: BLE001 — every failure is counted and shown
            errors.append(f"{type(exc).__name__}: {exc}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--add", type=int, default=5, help="files an index run adds halfway through")
    args = ap.parse_args()
    data = ROOT / "bench" / "data"
    corpus, index_dir = data / f"gen{args.mb:g}", data / f"web-index{args.mb:g}"
    if not corpus.exists():
        generate(corpus, args.mb)
    extra = data / f"web-extra{args.mb:g}"
    shutil.rmtree(extra, ignore_errors=True)
    extra.mkdir(parents=True)
    files = sorted(corpus.glob("*.txt"))
    for k, path in enumerate(files[: args.add]):  # new files: the same issues with other numbers
        text = path.read_text(encoding="utf-8").replace("〔20", "〔19")
        (extra / f"added-{k}.txt").write_text(text.replace("政报", "政报增刊"), encoding="utf-8")
    print(f"corpus: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB; indexing it …", flush=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    subprocess.run([*GOVDOCS, "index", str(corpus), "--index", str(index_dir)], check=True, capture_output=True)

    port = free_port()
    server = subprocess.Popen([*GOVDOCS, "serve", "--index", str(index_dir), "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/api/search?q=%E6%94%BF%E5%BA%9C", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(base + "/api/search?q=&size=1", timeout=30) as r:
            before = json.loads(r.read())["total"]
        listing = base + "/api/search?" + urllib.parse.urlencode({"q": "通知", "size": 100})
        numbers = json.loads(urllib.request.urlopen(listing, timeout=30).read())
        held = [h["doc_number"] for h in numbers["hits"] if h["doc_number"]]
        picks = {"number0": held[0], "number2": held[-1], "number1_square": held[len(held) // 2].replace(
            "〔", "[").replace("〕", "]")}
        urls = [url_of(base, t.format(**picks), {k: v.format(**picks) for k, v in f.items()}, o) for t, f, o in QUERIES]
        for url in urls:  # warm each thread-free path once
            urllib.request.urlopen(url, timeout=60).read()

        results: list[list] = [[] for _ in range(args.clients)]
        errors: list[str] = []
        started = time.monotonic()
        stop = started + args.seconds
        threads = [threading.Thread(target=client, args=(urls, stop, results[i], errors, i * 3))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(args.seconds / 2)
        index_started = time.monotonic()
        added = subprocess.run([*GOVDOCS, "index", str(corpus), str(extra), "--index", str(index_dir)],
                               capture_output=True, text=True)
        committed = time.monotonic()
        for t in threads:
            t.join()
        with urllib.request.urlopen(base + "/api/search?q=&size=1", timeout=30) as r:
            after = json.loads(r.read())["total"]
    finally:
        server.terminate()
        server.wait(10)
    done = [lat for per in results for _at, lat in per]
    during = [lat for per in results for at, lat in per if index_started <= at <= committed]
    print(f"{args.clients} clients, {len(urls)} queries, {args.seconds:g} s: {len(done)} requests = "
          f"{len(done) / args.seconds:.1f} requests/s; p50 {1000 * statistics.median(done):.1f} ms, "
          f"p95 {1000 * pct(done, 95):.1f} ms; errors {len(errors)}")
    if during:
        print(f"  while indexing ({committed - index_started:.1f} s): {len(during)} requests, "
              f"p50 {1000 * statistics.median(during):.1f} ms, p95 {1000 * pct(during, 95):.1f} ms")
    print(f"  index run: exit {added.returncode}; records {before} → {after} "
          f"({'seen by the next search' if after > before else 'NOT seen'})")
    for line in errors[:5]:
        print("  error:", line)


if __name__ == "__main__":
    main()
