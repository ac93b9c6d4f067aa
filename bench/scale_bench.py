"""Scale benchmark (issue 21 item 4): indexing and search from 5 MB to 1 GB, beside a bare
`rjieba.cut` pass and tantivy given the same tokens, all measured in the same run.

Run by hand, never in CI or by the unit tests. At 1 GB it needs the disk for the text, our
index (several times the text, docs/performance.md) and tantivy's. Per size (`--mb 5 100 1000`):

1. the corpus, generated once by bench/generate.py (seeded) in a child process and cached
   under bench/data/genN (never committed);
2. `govdocs index CORPUS --index bench/data/scaleN --jobs J` from no index, in a child process:
   wall time, CPU (user + sys of the child and its workers, from `os.wait4`), peak RSS — the
   kernel's `ru_maxrss`, the largest single process, and the peak of the whole process tree's
   summed RSS sampled from /proc every 50 ms (what J workers together hold) — and the size on
   disk;
3. a bare `rjieba.cut` pass (rjieba's own dictionary) over the corpus's first `--rjieba-mb` MB
   (all of it when smaller), in a child process, timed in CPU seconds → MB per CPU-second — one
   pass before each indexing and one after the last, their mean (this machine's speed swings
   by half within a run: one pass read 8 and the other 16 MB per CPU-s an hour apart); the
   indexing CPU is given as a multiple of the CPU that mean would take over the whole corpus.
   With `--index-runs N` step 2 runs N times, each from no index, a pass before each: the
   median run is the one reported (a single run moved by ±8 % between runs minutes apart);
4. warm search, in a child process: the search bench's queries (`bench/search_bench.py`
   QUERIES), limit 10, snippets on, on one open `Searcher`: the first pass apart (cold), then
   --repeat passes → p50, p95, max; and that process's peak RSS;
5. fresh processes: 5 representative `govdocs search Q --format json --index DIR` commands, 10
   runs each, bytecode compiled (as `pip install` leaves it), run from the corpus's folder:
   the command's wall time (median, p95) and its own `took_ms` (p50, p95);
6. incremental add: one extra generated issue (a seed apart from the corpus's, so not in it)
   in its own folder, added by `govdocs index` (wall, CPU), then the searches again in a new
   process (first pass p50, warm p50/p95); then the file is removed again (`update_index`
   with the emptied folder as root, timed), which leaves the index as it was for
   `--keep-index` (the segments that add and remove wrote stay: the size grows a little);
7. tantivy (optional: `pip install tantivy` into the venv; skipped with a note when it cannot
   be imported, or with --no-tantivy), in a child process: the same records (`records()` of
   each parsed file) with the fields govdocs searches — title, content, parties — as our
   analyzer's terms (`Analysis().terms(text)`, sub-words included, the indexer's segmenter)
   joined by single spaces under tantivy's whitespace tokenizer, plus the original texts
   stored (as ours are); parse and analysis in J worker processes, tantivy's writer with J
   threads: wall, CPU, peak RSS, size; then the same queries, warm, as tantivy queries over
   the same terms (`tantivy_query`; the filters it cannot express are dropped, and named),
   the top 10 documents fetched, no snippets. A phrase over spaced terms holds only where no
   sub-word stands between its words (王予波, 深化收费公路制度改革 find nothing): with
   `--tantivy-positions` the terms are given at our positions (pre-tokenized) and phrases
   match as ours do, but then tantivy's process builds a Python `Token` per term, which its
   indexing CPU includes — the spaced run is the one to compare indexing with.

Ratios: "× rjieba" of an indexing figure is to the rjieba pass over the same bytes; of a
latency, to the CPU time rjieba takes to cut 100 KB (a unit that moves with the machine's
speed); "× tantivy" is ours over tantivy's, the same figure of the same run.

The header names the Python that ran (version, whether libpython is a shared library, and a
pure-Python loop's time): most of the work is Python, and an interpreter built without PGO and
LTO into a shared library, as pyenv builds by default, ran it ~30 % slower here.

With several sizes, a summary gives one row per size (the curve) and how each figure grows
between the smallest and the largest size: the exponent k of size^k (1: linear).

Also, once per run, the index size of real texts (`--real`, default the bundled corpus plus
/work/shared/govcn): as `govdocs index` takes them (.txt, .html, .md), their .txt files
alone, and generated files of about as many bytes (an index's fixed parts weigh on a small
one: compare these two, not with the big sizes).

Usage: python bench/scale_bench.py [--mb 5 100 1000] [--jobs 2] [--repeat 5] [--rjieba-mb 50] [--index-runs 1]
           [--no-tantivy] [--tantivy-positions] [--keep-index] [--real [PATH ...]] [--json]
       python bench/scale_bench.py --render RUN.json   (the tables of a --json run)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data"
GOVDOCS = [sys.executable, "-m", "govdocs"]
SELF = [sys.executable, str(Path(__file__).resolve())]
#: the fresh-process commands: (label, arguments after the query); the query's {picks} filled in
COMMANDS = [
    ("刘宁", ["--kind", "chronicle"]),
    ("人民政府", []),
    ('"省人民政府"', []),
    ("{number0}", []),
    ("改革", ["--facets"]),
]
EXTRA_SEED = 1_000_001  # the extra issue's seed: its documents are recombined apart from the corpus's


# -- children -------------------------------------------------------------------------------


@dataclass
class Child:
    wall: float  # seconds
    cpu: float  # user + sys of the child and the descendants it waited for
    maxrss_mb: float  # ru_maxrss: the largest single process
    tree_mb: float  # peak of the summed RSS of the process tree, sampled
    out: str = field(repr=False, default="")


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Summed RSS in bytes of `root` and its descendants (from /proc)."""
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rsplit(b")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        grew, tree = bool(more), tree | more
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * _PAGE
        except OSError:
            pass
    return total


def run(cmd: list[str], env: dict | None = None) -> Child:
    """Run `cmd` to its end: wall, CPU and peak RSS from the kernel, summed RSS sampled."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    reader.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    return Child(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 2**20,
                 out[0].decode("utf-8", errors="replace") if out else "")


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def ensure_corpus(mb: float) -> Path:
    """bench/data/genN, generated once (in a child: the parse of the templates would otherwise
    raise this process's peak RSS, which the kernel carries into every child it starts)."""
    corpus = DATA / f"gen{mb:g}"
    if not corpus_files(corpus):
        run([sys.executable, str(ROOT / "bench" / "generate.py"), str(corpus), "--mb", f"{mb:g}"])
    return corpus


def extra_issue() -> Path:
    """One generated issue outside every corpus (its own seed), cached in bench/data/extra."""
    out = DATA / "extra"
    if not corpus_files(out):
        run([sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--mb", "0.001", "--seed", str(EXTRA_SEED)])
    return corpus_files(out)[0]


# -- the child modes: rjieba, tantivy ---------------------------------------------------------


def child_rjieba(corpus: Path, sample_mb: float) -> None:
    """Print {bytes, cpu}: a bare rjieba.cut over the first sample_mb MB of the corpus."""
    import rjieba

    texts, size = [], 0
    for path in corpus_files(corpus):
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        size += len(text.encode("utf-8"))
        if size >= sample_mb * 1e6:
            break
    rjieba.cut("预热")  # the dictionary's load is not the cut
    started = time.process_time()
    for text in texts:
        rjieba.cut(text)
    print(json.dumps({"bytes": size, "cpu": time.process_time() - started}))


def _tantivy_records(path: str, positions: bool = False) -> tuple[list[tuple[list, bytes]], float]:
    """(per field of TANTIVY_FIELDS its terms joined by spaces — or, with `positions`, the
    text and its (term, position, start, end) list; the texts to store) of each record of one
    file, and the CPU this worker spent on it (parse and analysis)."""
    from govdocs import parse_file
    from govdocs.index.analyzer import default_analysis
    from govdocs.index.records import records

    started = time.process_time()
    analysis = default_analysis()
    out = []
    for rec in records(parse_file(Path(path)), path):
        texts = [rec.get(f) or "" for f in TANTIVY_FIELDS]
        fields = [(text, list(analysis.terms(text))) if positions else " ".join(t for t, *_ in analysis.terms(text))
                  for text in texts]
        out.append((fields, "\x1f".join(texts).encode("utf-8")))
    return out, time.process_time() - started


#: the text fields govdocs searches (`query.TEXT_FIELDS`), as tantivy fields of spaced terms
TANTIVY_FIELDS = ("title", "content", "parties")


def tantivy_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    for name in TANTIVY_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace")
    sb.add_bytes_field("stored", stored=True)  # the original texts, as ours stores them
    return sb.build()


def child_tantivy(corpus: Path, out_dir: Path, jobs: int, positions: bool) -> None:
    """Print {records, analysis_cpu}: the corpus indexed into tantivy at out_dir."""
    import multiprocessing
    from functools import partial

    import tantivy

    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    index = tantivy.Index(tantivy_schema(), path=str(out_dir))
    writer = index.writer(heap_size=max(jobs, 1) * 100_000_000, num_threads=jobs)
    n, analysis_cpu = 0, 0.0
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        work = partial(_tantivy_records, positions=positions)
        for recs, cpu in pool.imap(work, [str(p) for p in corpus_files(corpus)], chunksize=4):
            analysis_cpu += cpu
            for fields, stored in recs:
                doc = tantivy.Document()
                for name, value in zip(TANTIVY_FIELDS, fields, strict=True):
                    if positions:  # the Token objects are made here: they do not pickle
                        text, terms = value
                        doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(
                            text, [tantivy.Token(t, pos, start, end) for t, pos, start, end in terms]))
                    else:
                        doc.add_text(name, value)
                doc.add_bytes("stored", stored)
                writer.add_document(doc)
                n += 1
    writer.commit()
    writer.wait_merging_threads()
    print(json.dumps({"records": n, "analysis_cpu": analysis_cpu}))


# -- tantivy queries ---------------------------------------------------------------------------

#: what the tantivy side leaves out of a query, named in the output
TANTIVY_SKIPS = ("filters (kind, issuer, type, year, since/until, number) are dropped; sort by date and "
                 "facets are not done; a filter-only query is skipped; 文号 are searched as their words")


def tantivy_query(text: str, index, analysis, positions: bool = False):
    """The query `text` over the same terms: a word → its terms (one: a term query; several: a
    phrase, as govdocs treats a run jieba cuts in several words, or any dictionary word holding
    the run), in any of the fields; words →
    AND; `OR` between words or groups of words; `-word` → must not; a quoted phrase → a
    phrase of its terms. The phrase is over tantivy's positions, one per token of the spaced
    terms, sub-words included: it holds only where no sub-word stands between the words —
    unless `positions` (the index made with --tantivy-positions): then each term of a phrase
    is given its offset from the first, as govdocs' positions have it, and a phrase starting
    with a name's last character (省) may also start at its marked term, as ours does."""
    import re

    import tantivy

    from govdocs.index.analyzer import NAME_END_MARK, NAME_ENDS

    schema = index.schema

    def clause(word: str):
        found = list(analysis.terms(word.replace(" ", ""), subwords=False))
        if not found:
            return None
        if len(found) == 1:
            per_field = [tantivy.Query.term_query(schema, f, found[0][0]) for f in TANTIVY_FIELDS]
        elif not positions:
            per_field = [tantivy.Query.phrase_query(schema, f, [t for t, *_ in found]) for f in TANTIVY_FIELDS]
        else:
            phrases = [[(pos - found[0][1], t) for t, pos, *_ in found]]
            if found[0][0] in NAME_ENDS:  # 省人民政府 also where 省 ends 青海省 (its marked term), as govdocs does
                phrases.append([(0, NAME_END_MARK + found[0][0]), *phrases[0][1:]])
            per_field = [tantivy.Query.phrase_query(schema, f, p) for f in TANTIVY_FIELDS for p in phrases]
        if len(found) > 1:  # or a dictionary word holding the whole run (云南省人民政府 for 省人民政府), as ours
            holding = analysis.segmenter.containing(word.replace(" ", ""))
            per_field += [tantivy.Query.term_query(schema, f, w) for w in holding for f in TANTIVY_FIELDS]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in per_field])

    groups: list[list] = [[]]
    for tok in re.findall(r'"[^"]*"|\S+', text):
        if tok == "OR":
            groups.append([])
            continue
        occur = tantivy.Occur.Must
        if tok.startswith("-") and len(tok) > 1:
            occur, tok = tantivy.Occur.MustNot, tok[1:]
        q = clause(tok.strip('"'))
        if q is not None:
            groups[-1].append((occur, q))
    built = [tantivy.Query.boolean_query(g) for g in groups if any(o == tantivy.Occur.Must for o, _ in g)]
    if not built:
        return None
    return built[0] if len(built) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in built])


# -- the measurements ---------------------------------------------------------------------------


def queries_for(index_dir: Path, searcher) -> tuple[list, dict]:
    """The search bench's queries with 文号 that exist in this index."""
    from bench.search_bench import QUERIES

    with searcher.ix.reader() as reader:
        numbers = [t.decode("utf-8") for t in reader.lexicon("doc_number")]
    picks = {"number0": numbers[len(numbers) // 3], "number2": numbers[2 * len(numbers) // 3],
             "number1_square": numbers[len(numbers) // 2].replace("〔", "[").replace("〕", "]")}
    return [(t.format(**picks), {k: v.format(**picks) for k, v in f.items()}, o) for t, f, o in QUERIES], picks


def warm_search(index_dir: Path, repeat: int) -> dict:
    from govdocs.index.search import Filters, Searcher

    with Searcher(index_dir) as searcher:
        queries, picks = queries_for(index_dir, searcher)
        cold, warm, totals = [], [], {}
        for text, filters, opts in queries:
            started = time.perf_counter()
            searcher.search(text, Filters(**filters), limit=10, **opts)
            cold.append((time.perf_counter() - started) * 1000)
        for _ in range(repeat):
            for text, filters, opts in queries:
                started = time.perf_counter()
                res = searcher.search(text, Filters(**filters), limit=10, **opts)
                warm.append((time.perf_counter() - started) * 1000)
                totals[f"{text} {filters} {opts}".strip()] = res.total
    return {"queries": len(queries), "cold_p50": pct(cold, 50), "cold_max": max(cold), "p50": pct(warm, 50),
            "p95": pct(warm, 95), "max": max(warm), "picks": picks, "totals": totals}


def tantivy_search(tindex_dir: Path, index_dir: Path, repeat: int, picks: dict, positions: bool) -> dict:
    import tantivy

    from bench.search_bench import QUERIES
    from govdocs.index.analyzer import Analysis
    from govdocs.index.segmenter import QuerySegmenter
    from govdocs.index.store import DICTIONARY_FILE

    index = tantivy.Index(tantivy_schema(), path=str(tindex_dir))
    index.reload()
    searcher = index.searcher()
    analysis = Analysis(QuerySegmenter(index_dir / DICTIONARY_FILE))  # a search's segmenter, as ours
    built, skipped = [], []
    for t, f, o in QUERIES:
        text, f = t.format(**picks), {k: v.format(**picks) for k, v in f.items()}
        if tantivy_query(text, index, analysis, positions) is None:
            skipped.append(f"{text} {f}".strip())
        else:
            built.append((f"{text} {f} {o}".strip(), text))
    cold, warm, totals = [], [], {}
    for i in range(repeat + 1):
        for name, text in built:
            started = time.perf_counter()  # the query's analysis and building included, as in ours
            res = searcher.search(tantivy_query(text, index, analysis, positions), limit=10)
            for _, address in res.hits:
                searcher.doc(address)
            took = (time.perf_counter() - started) * 1000
            (cold if i == 0 else warm).append(took)
            totals[name] = res.count
    return {"queries": len(built), "skipped": skipped, "cold_p50": pct(cold, 50), "p50": pct(warm, 50),
            "p95": pct(warm, 95), "max": max(warm), "totals": totals}


def child_search(index_dir: Path, repeat: int, tantivy_dir: Path | None, positions: bool) -> None:
    """Print {govdocs, tantivy}: the warm searches, in a child process (the parent stays small:
    the kernel carries its peak RSS into every child it starts) whose allocator is set as the
    `govdocs` program sets it — as `govdocs serve` searches (`govdocs.allocator`; tantivy's
    searches, in the same process, allocate through the same malloc)."""
    from govdocs.allocator import keep_freed_memory

    keep_freed_memory()
    ours = warm_search(index_dir, repeat)
    theirs = tantivy_search(tantivy_dir, index_dir, repeat, ours["picks"], positions) if tantivy_dir else None
    print(json.dumps({"govdocs": ours, "tantivy": theirs}, ensure_ascii=False))


def fresh_commands(index_dir: Path, corpus: Path, picks: dict, runs: int = 10) -> list[dict]:
    """Each command run from the folder that holds the corpus, as its user would: from
    elsewhere, `search` warns that the index holds files from outside the current folder."""
    # as `pip install` leaves it: bytecode compiled (with PYTHONDONTWRITEBYTECODE set, every
    # command would compile govdocs from source, ~40 ms)
    import compileall

    compileall.compile_dir(ROOT / "govdocs", quiet=1)
    env = {**os.environ, "GOVDOCS_INDEX": str(index_dir)}
    out = []
    for query, extra in COMMANDS:
        q = query.format(**picks)
        walls, took = [], []
        for _ in range(runs):
            started = time.perf_counter()
            proc = subprocess.run([*GOVDOCS, "search", q, *extra, "--format", "json", "--index", str(index_dir)],
                                  env=env, check=True, capture_output=True, cwd=corpus.resolve().parent)
            walls.append((time.perf_counter() - started) * 1000)
            took.append(float(json.loads(proc.stdout)["took_ms"]))
        out.append({"command": f"govdocs search {q} {' '.join(extra)}".strip(), "wall_median": statistics.median(walls),
                    "wall_p95": pct(walls, 95), "took_p50": pct(took, 50), "took_p95": pct(took, 95)})
    return out


def incremental(index_dir: Path, mb: float, jobs: int, repeat: int) -> dict:
    """Add one issue to the index in its own folder, search, then remove it again."""
    folder = DATA / f"add{mb:g}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    extra = extra_issue()
    shutil.copy(extra, folder / "extra_issue.txt")
    cmd = [*GOVDOCS, "index", str(folder), "--index", str(index_dir), "--jobs", str(jobs)]
    add = run(cmd)
    after = json.loads(run([*SELF, "--child-search", str(index_dir), str(repeat), "", "-"]).out)["govdocs"]
    (folder / "extra_issue.txt").unlink()
    # `govdocs index` refuses a folder without files: the library call removes what the index
    # holds under it
    remove = run([sys.executable, "-c", "import sys; from pathlib import Path; "
                  "from govdocs.index.indexer import update_index; "
                  "update_index([], [Path(sys.argv[1])], Path(sys.argv[2]))", str(folder), str(index_dir)])
    return {"bytes": extra.stat().st_size, "add_wall": add.wall, "add_cpu": add.cpu, "search_cold_p50": after["cold_p50"],
            "search_p50": after["p50"], "search_p95": after["p95"], "remove_wall": remove.wall}


def real_texts(jobs: int, paths: list[Path], generated: Path) -> list[dict]:
    """Index size of the real texts: as `govdocs index` takes them (.txt, .html, .md); their
    .txt files alone (HTML markup counts in the files' bytes, not in the index); and, to
    compare at the same size (an index's fixed parts weigh more on a small one), the first
    generated files holding as many bytes as those .txt files."""
    from govdocs.inputs import collect

    every = collect(paths).files
    txt = [p for p in every if p.suffix == ".txt"]
    want, same = sum(p.stat().st_size for p in txt), []
    for p in corpus_files(generated):
        if sum(q.stat().st_size for q in same) >= want:
            break
        same.append(p)
    out = []
    for label, files in (("as `govdocs index` takes them", every), (".txt only", txt),
                         (f"generated, as many bytes ({generated.name})", same)):
        html = sum(p.stat().st_size for p in files if p.suffix.lower() in (".html", ".htm"))
        text = sum(p.stat().st_size for p in files) - html
        index_dir = DATA / "scale-real"
        shutil.rmtree(index_dir, ignore_errors=True)
        child = run([*GOVDOCS, "index", *map(str, files), "--index", str(index_dir), "--jobs", str(jobs)])
        size, words = dir_bytes(index_dir), (index_dir / "dictionary.words").stat().st_size
        out.append({"label": label, "paths": sorted({str(p.parent) for p in files}), "files": len(files), "text_bytes": text,
                    "html_bytes": html, "index_bytes": size, "dictionary_bytes": words,
                    "index_per_file_byte": size / (text + html),
                    "without_words_per_file_byte": (size - words) / (text + html), "wall": child.wall, "cpu": child.cpu})
    return out


def one_size(mb: float, args, have_tantivy: bool) -> dict:
    corpus = ensure_corpus(mb)
    files = corpus_files(corpus)
    text_bytes = sum(p.stat().st_size for p in files)
    index_dir = DATA / f"scale{mb:g}"
    r: dict = {"mb": mb, "corpus": str(corpus.relative_to(ROOT)), "files": len(files), "text_bytes": text_bytes,
               "jobs": args.jobs, "repeat": args.repeat}
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else (lambda *a: print(*a, flush=True))
    log(f"— {mb:g} MB: {len(files)} files, {text_bytes / 1e6:.1f} MB in {r['corpus']}")

    def rjieba_pass() -> dict:
        return json.loads(run([*SELF, "--child-rjieba", str(corpus), str(args.rjieba_mb)]).out)

    passes = []  # the machine's speed swings within a run: a pass before each indexing and one after
    if args.keep_index and (index_dir / "dictionary.words").exists():
        r["index"] = None
        log("  index: kept from an earlier run (not timed; its size includes what earlier adds and removes left)")
    else:
        runs = []
        for _ in range(args.index_runs):  # each from no index, between rjieba passes
            shutil.rmtree(index_dir, ignore_errors=True)
            passes.append(rjieba_pass())
            child = run([*GOVDOCS, "index", str(corpus), "--index", str(index_dir), "--jobs", str(args.jobs)])
            runs.append(child)
            log(f"  index: {child.wall:.1f} s wall, {child.cpu:.1f} s CPU, peak RSS {child.maxrss_mb:.0f} MB "
                f"(tree {child.tree_mb:.0f} MB)")
        child = sorted(runs, key=lambda c: c.cpu)[len(runs) // 2]  # the median run (the later of two)
        r["index"] = asdict(child) | {"out": None, "runs_cpu": [c.cpu for c in runs], "runs_wall": [c.wall for c in runs]}
    r["index_bytes"] = dir_bytes(index_dir)
    r["dictionary_bytes"] = (index_dir / "dictionary.words").stat().st_size  # the same at every size

    passes.append(rjieba_pass())
    rj = {"bytes": passes[0]["bytes"], "cpu": statistics.mean(p["cpu"] for p in passes)}
    r["rjieba"] = {"sample_bytes": rj["bytes"], "cpu": rj["cpu"], "mb_per_cpu_s": rj["bytes"] / 1e6 / rj["cpu"],
                   "cpu_whole_corpus": rj["cpu"] * text_bytes / rj["bytes"], "cpu_100kb_ms": rj["cpu"] * 1e8 / rj["bytes"],
                   "passes_mb_per_cpu_s": [p["bytes"] / 1e6 / p["cpu"] for p in passes]}
    speeds = " and ".join(f"{v:.2f}" for v in r["rjieba"]["passes_mb_per_cpu_s"])
    log(f"  rjieba.cut: {rj['bytes'] / 1e6:.1f} MB in {rj['cpu']:.2f} CPU-s = {r['rjieba']['mb_per_cpu_s']:.2f} MB/CPU-s"
        + (f" (the mean of passes before and after each indexing: {speeds})" if len(passes) > 1 else ""))

    tmode = "positions" if args.tantivy_positions else "spaced"
    tdir = DATA / f"scale{mb:g}-tantivy-{tmode}"
    if have_tantivy and args.keep_index and (tdir / "meta.json").exists():
        log("  tantivy index: kept from an earlier run (not timed)")
        r["tantivy"] = {"mode": tmode, "index_bytes": dir_bytes(tdir)}
    elif have_tantivy:
        child = run([*SELF, "--child-tantivy", str(corpus), str(tdir), str(args.jobs), tmode])
        info = json.loads(child.out)
        r["tantivy"] = asdict(child) | {"out": None, "mode": tmode, "records": info["records"],
                                        "analysis_cpu": info["analysis_cpu"], "index_bytes": dir_bytes(tdir)}
        log(f"  tantivy index: {child.wall:.1f} s wall, {child.cpu:.1f} s CPU (parse + analysis "
            f"{info['analysis_cpu']:.1f}), {info['records']} records")

    child = run([*SELF, "--child-search", str(index_dir), str(args.repeat), str(tdir) if have_tantivy else "", tmode])
    found = json.loads(child.out)
    r["search"] = found["govdocs"] | {"maxrss_mb": child.maxrss_mb}
    log(f"  search: p50 {r['search']['p50']:.1f} ms, p95 {r['search']['p95']:.1f} ms")
    if have_tantivy:
        r["tantivy"]["search"] = found["tantivy"]
        if not args.keep_index:
            shutil.rmtree(tdir, ignore_errors=True)
    r["commands"] = fresh_commands(index_dir, corpus, r["search"]["picks"])
    r["incremental"] = incremental(index_dir, mb, args.jobs, args.repeat)
    return r


# -- output ---------------------------------------------------------------------------------------


def _x(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def table(r: dict) -> str:
    rj, t, ix, s = r["rjieba"], r.get("tantivy"), r["index"], r["search"]
    ts = t["search"] if t else {}
    mb = r["text_bytes"] / 1e6
    unit = rj["cpu_100kb_ms"]
    rows = [f"### {r['mb']:g} MB: {r['files']} files, {mb:.1f} MB of text, {r['jobs']} jobs",
            "", "| what | govdocs | × rjieba | tantivy | × tantivy |", "|---|---|---|---|---|",
            f"| bare rjieba.cut | {rj['mb_per_cpu_s']:.2f} MB per CPU-s ({rj['sample_bytes'] / 1e6:.1f} MB sample"
            + (f"; the mean of passes before and after each indexing: "
               f"{' and '.join(f'{v:.2f}' for v in rj['passes_mb_per_cpu_s'])}" if len(rj.get("passes_mb_per_cpu_s", ())) > 1
               else "") + ") | | | |"]
    if ix:
        ti = t if t and "wall" in t else None  # None: no tantivy, or its index kept from an earlier run
        tail = (lambda ours, theirs, text: f" {text} | {_x(ours, theirs)} |") if ti else (lambda *_: " | |")
        whole = rj["cpu_whole_corpus"]
        rows += [
            f"| index: wall | {ix['wall']:.1f} s ({mb / ix['wall']:.2f} MB/s) | {_x(ix['wall'], whole)} |"
            + tail(ix["wall"], ti and ti["wall"], ti and f"{ti['wall']:.1f} s"),
            f"| index: CPU | {ix['cpu']:.1f} s"
            + (f" (the median of {', '.join(f'{c:.1f}' for c in ix['runs_cpu'])})"
               if len(ix.get("runs_cpu", ())) > 1 else "")
            + f" | {_x(ix['cpu'], whole)} |"
            + tail(ix["cpu"], ti and ti["cpu"], ti and f"{ti['cpu']:.1f} s (parse + analysis {ti['analysis_cpu']:.1f} s)"),
            f"| index: peak RSS, largest process | {ix['maxrss_mb']:.0f} MB | |"
            + tail(ix["maxrss_mb"], ti and ti["maxrss_mb"], ti and f"{ti['maxrss_mb']:.0f} MB"),
            f"| index: peak RSS, process tree (sampled) | {ix['tree_mb']:.0f} MB | |"
            + tail(ix["tree_mb"], ti and ti["tree_mb"], ti and f"{ti['tree_mb']:.0f} MB"),
        ]
    rest = r["index_bytes"] - r["dictionary_bytes"]
    rows.append(f"| index size | {r['index_bytes'] / 1e6:.0f} MB ({r['index_bytes'] / r['text_bytes']:.2f}× the text; "
                f"{rest / r['text_bytes']:.2f}× without the word list, {r['dictionary_bytes'] / 1e6:.1f} MB at any size) | "
                + (f"| {t['index_bytes'] / 1e6:.0f} MB | {_x(r['index_bytes'], t['index_bytes'])} |" if t else "| | |"))
    for key, label in (("p50", "p50"), ("p95", "p95"), ("max", "max"), ("cold_p50", "p50")):
        tv = ts.get(key)
        what = "first pass" if key == "cold_p50" else f"warm, {s['queries']} queries × {r['repeat']}"
        rows.append(f"| search {label} ({what}; limit 10, snippets) | {s[key]:.1f} ms | "
                    f"{_x(s[key], unit)} | " + (f"{tv:.1f} ms | {_x(s[key], tv)} |" if tv is not None else "| |"))
    for c in r["commands"]:
        rows.append(f"| `{c['command']}`: wall median / p95; took_ms p50 / p95 | {c['wall_median']:.0f} / "
                    f"{c['wall_p95']:.0f} ms; {c['took_p50']:.1f} / {c['took_p95']:.1f} ms | "
                    f"{_x(c['wall_median'], unit)} | | |")
    inc = r["incremental"]
    rows += [f"| add one issue ({inc['bytes'] / 1e3:.0f} KB): wall, CPU | {inc['add_wall']:.2f} s, {inc['add_cpu']:.2f} s "
             f"| {_x(inc['add_cpu'], rj['cpu'] * inc['bytes'] / rj['sample_bytes'])} | | |",
             f"| search right after the add: first pass p50, warm p50 / p95 | {inc['search_cold_p50']:.1f}, "
             f"{inc['search_p50']:.1f} / {inc['search_p95']:.1f} ms | {_x(inc['search_p50'], unit)} | | |",
             f"| remove that issue again: wall | {inc['remove_wall']:.2f} s | | | |",
             f"| peak RSS of the searching process | {s['maxrss_mb']:.0f} MB | | | |", ""]
    rows.append(f"× rjieba: indexing over rjieba's CPU for the same bytes; a latency over rjieba's CPU for 100 KB "
                f"({unit:.1f} ms this run). × tantivy: govdocs over tantivy.")
    if t:
        diff = {k: (v, ts["totals"].get(k)) for k, v in s["totals"].items() if k in ts["totals"] and ts["totals"][k] != v}
        spaced = t["mode"] == "spaced"
        how = "our terms joined by spaces, whitespace tokenizer" if spaced else "our terms at our positions, pre-tokenized"
        if not spaced:
            how += "; its indexing CPU includes building a Python Token per term"
        rows.append(f"tantivy ({how}): "
                    f"{ts['queries']} of {s['queries']} queries ({TANTIVY_SKIPS}; skipped: "
                    f"{', '.join(ts['skipped']) or 'none'}); top 10 stored documents fetched, no snippets. "
                    f"Matches differ on {len(diff)} queries (filters dropped"
                    f"{', phrases over spaced terms' if spaced else ''})"
                    + (": " + "; ".join(f"{k} {a} vs {b}" for k, (a, b) in list(diff.items())[:6]) if diff else "") + ".")
    return "\n".join(rows)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-rjieba":
        return child_rjieba(Path(sys.argv[2]), float(sys.argv[3]))
    if len(sys.argv) > 1 and sys.argv[1] == "--child-search":
        return child_search(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]) if sys.argv[4] else None,
                            sys.argv[5] == "positions")
    if len(sys.argv) > 1 and sys.argv[1] == "--child-tantivy":
        return child_tantivy(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "positions")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, nargs="+", default=[5.0, 100.0, 1000.0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rjieba-mb", type=float, default=50.0, help="the rjieba pass's sample (MB from the corpus's start)")
    ap.add_argument("--index-runs", type=int, default=1,
                    help="index each size this many times from no index, an rjieba pass before each; "
                         "the median run is reported")
    ap.add_argument("--no-tantivy", action="store_true")
    ap.add_argument("--tantivy-positions", action="store_true",
                    help="give tantivy our terms with their positions (pre-tokenized) instead of spaced: phrases then "
                         "match as ours do; the Token objects cost tantivy's process Python time")
    ap.add_argument("--keep-index", action="store_true", help="reuse an earlier run's index: searches only")
    ap.add_argument("--real", type=Path, nargs="*", default=[ROOT / "corpus", Path("/work/shared/govcn")],
                    help="real texts whose index size is reported (none: skip)")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout (progress on stderr)")
    ap.add_argument("--render", type=Path, help="print the tables of a document an earlier --json run wrote, and stop")
    args = ap.parse_args()
    if args.index_runs < 1:
        ap.error("--index-runs must be 1 or more")
    if args.render:
        return report(json.loads(args.render.read_text(encoding="utf-8")))
    have_tantivy = not args.no_tantivy
    note = None
    if have_tantivy:
        try:
            import tantivy  # noqa: F401
        except ImportError:
            have_tantivy, note = False, "tantivy cannot be imported (pip install tantivy into the venv): skipped"
            print(note, file=sys.stderr)
    import resource

    # the kernel carries this process's peak RSS into the children it starts: what their
    # ru_maxrss cannot fall below
    doc: dict = {"day": time.strftime("%Y-%m-%d"), "load": os.getloadavg()[0], "tantivy_note": note,
                 "parent_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                 "python": interpreter()}
    doc["sizes"] = [one_size(mb, args, have_tantivy) for mb in args.mb]
    if args.real:
        doc["real"] = real_texts(args.jobs, [p.resolve() for p in args.real], ensure_corpus(min(args.mb)))
    doc["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        report(doc)


def interpreter() -> dict:
    """The Python the children run (this one), and its speed: how it was linked (a libpython
    shared library, as pyenv builds by default, or inside the executable, as Debian builds it
    with PGO and LTO) and the best of five timings of a pure-Python loop — most of indexing
    and searching is Python, which rjieba's pass (native code) does not calibrate."""
    import platform

    with open("/proc/self/maps", encoding="utf-8") as maps:
        shared = "libpython" in maps.read()
    loop = []
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        loop.append((time.perf_counter() - started) * 1000)
    return {"version": platform.python_version(), "executable": sys.executable, "libpython_shared": shared,
            "loop_ms": min(loop)}


def summary(sizes: list[dict]) -> str:
    """One row per size, and each figure's growth exponent from the smallest size to the largest."""
    import math

    def figures(r: dict) -> dict[str, float | None]:
        ix, t = r["index"] or {}, r.get("tantivy") or {}
        return {"index wall s": ix.get("wall"), "index CPU s": ix.get("cpu"),
                "index CPU × rjieba": ix.get("cpu") and ix["cpu"] / r["rjieba"]["cpu_whole_corpus"],
                "index CPU × tantivy": ix.get("cpu") and t.get("cpu") and ix["cpu"] / t["cpu"],
                "peak RSS tree MB": ix.get("tree_mb"), "index MB": r["index_bytes"] / 1e6,
                "index × text": r["index_bytes"] / r["text_bytes"],
                "p50 ms": r["search"]["p50"], "p95 ms": r["search"]["p95"], "max ms": r["search"]["max"],
                "p95 × tantivy": t.get("search") and r["search"]["p95"] / t["search"]["p95"],
                "command took_ms p95 (worst of 5)": max(c["took_p95"] for c in r["commands"]),
                "command wall median ms (worst of 5)": max(c["wall_median"] for c in r["commands"]),
                "add one issue s": r["incremental"]["add_wall"]}

    cols = [figures(r) for r in sizes]
    head = "| figure | " + " | ".join(f"{r['text_bytes'] / 1e6:.0f} MB" for r in sizes) + " | growth exponent |"
    rows = [head, "|---" * (len(sizes) + 2) + "|"]
    span = math.log(sizes[-1]["text_bytes"] / sizes[0]["text_bytes"])
    for name in cols[0]:
        vals = [c[name] for c in cols]
        grow = (f"{math.log(vals[-1] / vals[0]) / span:.2f}" if vals[0] and vals[-1] and span > 0
                and "×" not in name else "")
        rows.append(f"| {name} | " + " | ".join("—" if v is None else f"{v:.2f}" if v < 10 else f"{v:.0f}"
                                                 for v in vals) + f" | {grow} |")
    return "\n".join(rows)


def report(doc: dict) -> None:
    print(f"\n{doc['day']}, load {doc['load']:.2f} → {doc['load_after']:.2f}; this process's peak RSS before "
          f"the children {doc['parent_maxrss_mb']:.0f} MB (the floor of their ru_maxrss)")
    if py := doc.get("python"):  # runs before 2026-12-03 did not say
        print(f"Python {py['version']} ({py['executable']}, libpython {'shared' if py['libpython_shared'] else 'linked in'}"
              f"): a million-step generator sum in {py['loop_ms']:.1f} ms")
    print()
    if doc.get("tantivy_note"):
        print(doc["tantivy_note"] + "\n")
    for r in doc["sizes"]:
        print(table(r) + "\n")
    if len(doc["sizes"]) > 1:
        print("### The curve\n\n" + summary(doc["sizes"]) + "\n")
    for real in doc.get("real") or []:
        print(f"index size, {real['label']} ({', '.join(real['paths'])}): {real['files']} files, "
              f"{real['text_bytes'] / 1e6:.2f} MB of text + {real['html_bytes'] / 1e6:.2f} MB of HTML → index "
              f"{real['index_bytes'] / 1e6:.1f} MB = {real['index_per_file_byte']:.2f}× the files' bytes, "
              f"{real['without_words_per_file_byte']:.2f}× without the word list ({real['wall']:.1f} s wall, "
              f"{real['cpu']:.1f} s CPU)")


if __name__ == "__main__":
    main()
