"""Relevance of search on the judged needs (tests/data/relevance/judgments.jsonl).

Usage: python bench/relevance.py [--index DIR] [--json]
Indexes corpus/*.txt and tests/data/govcn/*.txt into a temporary folder (or reuses --index),
runs every need with its filters and prints, per need and overall (mean over needs): P@3,
recall@100 and nDCG@10 with binary relevance, and the recall of the must-find-all needs.
`tests/test_relevance.py` holds the overall figures at their committed value.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = ROOT / "tests" / "data" / "relevance" / "judgments.jsonl"
SOURCES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "govcn").glob("*.txt"))


def _keys_module():
    spec = importlib.util.spec_from_file_location("check_keys", JUDGMENTS.with_name("check_keys.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Need:
    id: str
    query: str
    filters: dict
    group: str
    must_find_all: bool
    relevant: set[str]  # record ids
    primary: set[str]


@dataclass
class Scores:
    p3: float
    recall100: float
    ndcg10: float


def load_needs(records: list[dict]) -> list[Need]:
    keys = _keys_module()

    def ids(need_id: str, key_list: list[dict]) -> set[str]:
        out = set()
        for key in key_list:
            found = [r["id"] for r in records if keys.matches(key, r)]
            if len(found) > 1:
                raise SystemExit(f"{need_id}: key {key} names {len(found)} records — run check_keys.py")
            # a key no record answers (an older parser missed the document) stays relevant, unfound
            out.add(found[0] if found else f"missing:{json.dumps(key, ensure_ascii=False)}")
        return out

    needs = []
    for line in JUDGMENTS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        needs.append(Need(raw["id"], raw["query"], raw.get("filters", {}), raw["group"], raw.get("must_find_all", False),
                          ids(raw["id"], raw["relevant"]), ids(raw["id"], raw.get("primary", []))))
    return needs


def score(ranked: list[str], relevant: set[str]) -> Scores:
    p3 = sum(1 for i in ranked[:3] if i in relevant) / 3
    recall = sum(1 for i in ranked[:100] if i in relevant) / len(relevant) if relevant else 1.0
    dcg = sum(1 / math.log2(k + 2) for k, i in enumerate(ranked[:10]) if i in relevant)
    ideal = sum(1 / math.log2(k + 2) for k in range(min(len(relevant), 10)))
    return Scores(p3, recall, dcg / ideal if ideal else 1.0)


def evaluate(index_dir: Path, needs: list[Need]) -> dict[str, Scores]:
    from govdocs.index.search import Filters, Searcher

    out = {}
    with Searcher(index_dir) as searcher:
        for need in needs:
            hits = searcher.search(need.query, Filters(**need.filters), limit=100, snippets=False).hits
            out[need.id] = score([h.id for h in hits], need.relevant)
    return out


def overall(needs: list[Need], scores: dict[str, Scores]) -> dict[str, float]:
    n = len(needs)
    must = [need for need in needs if need.must_find_all]
    return {
        "P@3": sum(scores[x.id].p3 for x in needs) / n,
        "recall@100": sum(scores[x.id].recall100 for x in needs) / n,
        "nDCG@10": sum(scores[x.id].ndcg10 for x in needs) / n,
        "must_find_all_recall": sum(scores[x.id].recall100 for x in must) / len(must),
        "needs": n,
    }


def run(index_dir: Path | None = None) -> tuple[list[Need], dict[str, Scores]]:
    from govdocs import parse_file
    from govdocs.index.indexer import update_index
    from govdocs.index.records import records

    all_records = [r for path in SOURCES for r in records(parse_file(path), str(path))]
    needs = load_needs(all_records)
    if index_dir is None:
        with tempfile.TemporaryDirectory() as tmp:
            update_index(SOURCES, [ROOT / "corpus", ROOT / "tests" / "data" / "govcn"], Path(tmp) / "ix", jobs=1)
            return needs, evaluate(Path(tmp) / "ix", needs)
    if not (index_dir / "govdocs.json").exists():
        update_index(SOURCES, [ROOT / "corpus", ROOT / "tests" / "data" / "govcn"], index_dir, jobs=1)
    return needs, evaluate(index_dir, needs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="index folder to build or reuse")
    ap.add_argument("--json", action="store_true", help="print the overall figures as JSON")
    args = ap.parse_args()
    needs, scores = run(args.index)
    summary = overall(needs, scores)
    if args.json:
        print(json.dumps(summary))
        return
    print(f"{'need':5} {'group':12} {'P@3':>5} {'R@100':>6} {'nDCG@10':>8}  query")
    for need in needs:
        s = scores[need.id]
        flag = " (all)" if need.must_find_all else ""
        filters = " ".join(f"--{k} {v}" for k, v in need.filters.items())
        print(f"{need.id:5} {need.group:12} {s.p3:5.2f} {s.recall100:6.2f} {s.ndcg10:8.2f}  {need.query} {filters}{flag}")
    print(" · ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in summary.items()))


if __name__ == "__main__":
    sys.path.append(str(ROOT))  # after PYTHONPATH: another checkout can be measured with the same needs
    main()
