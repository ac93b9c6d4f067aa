"""Check judgments.jsonl against the parsed collections: every key names exactly one record.

    .venv/bin/python tests/data/relevance/check_keys.py [judgments.jsonl]

Parses corpus/*.txt and tests/data/govcn/*.txt with the (trusted) parser, builds the index
records (govdocs.index.records.records) and, for every information need, asserts that

* each key in `relevant` and `primary` matches exactly one record,
* `primary` is a subset of `relevant`, no record is listed twice,
* the need's fields are well formed (id, group, filters, must_find_all), and
* every relevant record satisfies the need's filters (kind, issuer, doc_type, year, since, until).

It never calls the search. Exit status 0 when all is well, 1 with a list of problems otherwise.

Key format
  document     {"doc_number": "青政办〔2019〕68号"}            a number of the document (kind document)
  appointment  {"kind": "appointment", "person": "谢宏敏", "doc_number": "青政人〔2019〕9号"}
               (+ "action": appoint|concurrent|remove|retire when a person has several)
  chronicle    {"kind": "chronicle", "date": "2019-06-04", "contains": "…"}
               `contains` is matched against the entry's text with all white space removed.
A record's doc_number may hold several numbers (青政人〔2019〕9号,青政人〔2019〕10号); a key matches any of them.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GROUPS = {"word", "phrase", "name", "number", "filter", "traditional", "agency_part", "title_topic"}
FILTERS = {"kind", "issuer", "doc_type", "year", "since", "until"}
KINDS = {"document", "appointment", "chronicle"}


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def load_records() -> list[dict]:
    from govdocs import parse_file
    from govdocs.index.records import records

    paths = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests/data/govcn").glob("*.txt"))
    assert paths, f"no input files under {ROOT}"
    out: list[dict] = []
    for path in paths:
        out.extend(records(parse_file(path), str(path)))
    return out


def numbers(rec: dict) -> list[str]:
    return [n for n in (rec.get("doc_number") or "").split(",") if n]


def matches(key: dict, rec: dict) -> bool:
    kind = key.get("kind", "document")
    if rec["kind"] != kind:
        return False
    if kind == "document":
        return set(key) <= {"kind", "doc_number"} and key.get("doc_number") in numbers(rec)
    if kind == "appointment":
        if set(key) - {"kind", "person", "doc_number", "action"}:
            return False
        return (rec.get("person") == key.get("person") and key.get("doc_number") in numbers(rec)
                and ("action" not in key or rec["meta"].get("action") == key["action"]))
    if kind == "chronicle":
        if set(key) != {"kind", "date", "contains"} or not norm(key["contains"]):
            return False
        return rec.get("date") == key["date"] and norm(key["contains"]) in norm(rec.get("content"))
    return False


def date_ok(rec: dict, since: str | None, until: str | None) -> bool:
    date = rec.get("date")
    if not date:
        return False
    # since/until may be a year, a month or a day (inclusive), as the CLI accepts
    if since and date < since:
        return False
    if until and date[: len(until)] > until:
        return False
    return True


def satisfies(rec: dict, filters: dict) -> bool:
    if "kind" in filters and rec["kind"] != filters["kind"]:
        return False
    if "doc_type" in filters and rec.get("doc_type") != filters["doc_type"]:
        return False
    if "year" in filters and rec.get("year") != str(filters["year"]):
        return False
    if "issuer" in filters:
        issuers = (rec.get("issuers") or rec.get("issuer") or "").split(",")
        if filters["issuer"] not in issuers:
            return False
    if ("since" in filters or "until" in filters) and not date_ok(rec, filters.get("since"), filters.get("until")):
        return False
    return True


def check(path: Path, recs: list[dict]) -> tuple[list[str], list[dict]]:
    problems: list[str] = []
    needs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = Counter(n.get("id") for n in needs)
    problems += [f"id {i!r} used {c} times" for i, c in ids.items() if c > 1]
    for need in needs:
        nid = need.get("id")
        missing = {"id", "query", "filters", "group", "must_find_all", "relevant", "note"} - set(need)
        if missing:
            problems.append(f"{nid}: missing {sorted(missing)}")
            continue
        if need["group"] not in GROUPS:
            problems.append(f"{nid}: unknown group {need['group']!r}")
        if not isinstance(need["must_find_all"], bool):
            problems.append(f"{nid}: must_find_all is not a boolean")
        bad = set(need["filters"]) - FILTERS
        if bad:
            problems.append(f"{nid}: unknown filters {sorted(bad)}")
        if need["filters"].get("kind") not in (None, *KINDS):
            problems.append(f"{nid}: unknown kind {need['filters']['kind']!r}")
        if not need["relevant"]:
            problems.append(f"{nid}: no relevant records")
        resolved: dict[str, list[str]] = {}
        for field in ("relevant", "primary"):
            found: list[str] = []
            for key in need.get(field) or []:
                hits = [r for r in recs if matches(key, r)]
                if len(hits) != 1:
                    problems.append(f"{nid} {field}: {key} matches {len(hits)} records "
                                    f"{[h['id'] for h in hits][:5]}")
                    continue
                found.append(hits[0]["id"])
                if field == "relevant" and not satisfies(hits[0], need["filters"]):
                    problems.append(f"{nid}: {key} does not satisfy the filters {need['filters']}")
            dup = [i for i, c in Counter(found).items() if c > 1]
            if dup:
                problems.append(f"{nid} {field}: the same record listed twice {dup}")
            resolved[field] = found
        if not set(resolved.get("primary", [])) <= set(resolved["relevant"]):
            problems.append(f"{nid}: a primary record is not in relevant")
        need["_ids"] = resolved["relevant"]
    return problems, needs


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("judgments.jsonl")
    recs = load_records()
    problems, needs = check(path, recs)
    by_group = Counter(n.get("group") for n in needs)
    print(f"{len(recs)} records ({dict(Counter(r['kind'] for r in recs))}); {len(needs)} needs "
          f"({dict(sorted(by_group.items()))}), must_find_all {sum(bool(n.get('must_find_all')) for n in needs)}, "
          f"{sum(len(n.get('relevant', [])) for n in needs)} judged-relevant keys")
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
