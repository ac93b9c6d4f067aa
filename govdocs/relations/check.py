"""The editors' check: findings about an issue's own consistency and about its citations.

Each finding has a code, a severity (error, warning, info), the file and line, and a
message. Parser warnings (TOC vs documents, chronicle heading vs entries, 成文日期 year vs
文号 year, text that could not be placed …) are findings too; the rest come from the
catalog: titles cited wrongly, citations of repealed documents, changes to documents the
corpus lacks, one 文号 on two documents, one document cited under two numbers, and gaps
in each 文号 series.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from govdocs.model import ParsedIssue, Record
from govdocs.parse.lines import key
from govdocs.parse.numbers import find_doc_numbers
from govdocs.relations.catalog import Catalog, Entry
from govdocs.relations.status import CHANGES, status_of

SEVERITIES = ("error", "warning", "info")

#: severity of the parser's warnings, by code (unlisted codes are warnings)
PARSE_SEVERITY = {
    "text.unplaced": "error", "layout.unplaced": "error", "issue.empty": "error",
    "issue.no-masthead": "info",
}


@dataclass(slots=True)
class Finding(Record):
    code: str
    severity: str
    file: str | None
    line: int | None
    message: str
    document_id: str | None = None


def check(parsed: list[ParsedIssue], catalog: Catalog) -> list[Finding]:
    """All findings, errors first, then by file and line. `catalog` must be resolved."""
    findings = list(_parse_findings(parsed))
    findings += _citation_findings(catalog)
    findings += _duplicate_numbers(catalog)
    findings += _conflicting_citations(catalog)
    findings += _series_gaps(catalog)
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.file or "", f.line or 0, f.code))


def _parse_findings(parsed: list[ParsedIssue]):
    for p in parsed:
        for w in p.warnings:
            yield Finding(w.code, PARSE_SEVERITY.get(w.code, "warning"), p.source.path, w.line, w.message)
        for d in p.documents:
            for w in d.warnings:
                yield Finding(w.code, PARSE_SEVERITY.get(w.code, "warning"), p.source.path, w.line, w.message, d.id)


def _citation_findings(catalog: Catalog):
    for citing, ref in catalog.citations():
        cited = ref.doc_number or f"《{ref.title}》"
        if ref.target_title:
            yield Finding("citation.title", "warning", citing.path, ref.line,
                          f"{_name(citing)} cites {cited} as 《{ref.title}》; its title is «{ref.target_title}»", citing.id)
        if ref.relation in CHANGES:
            if ref.resolution == "not_in_corpus":
                yield Finding("relation.target-missing", "info", citing.path, ref.line,
                              f"{_name(citing)} {ref.relation} {cited}, which the corpus does not hold", citing.id)
            continue
        if ref.resolution == "self" or not citing.date:
            continue
        target = catalog.entries.get(ref.target_id) if ref.target_id else None
        if target is None and not ref.doc_number:
            continue
        status = status_of(catalog, target, ref.doc_number, as_of=citing.date)
        if status.status == "repealed":
            by = status.evidence[-1]
            yield Finding("citation.repealed", "error", citing.path, ref.line,
                          f"{_name(citing)} ({citing.date}) cites {cited}, repealed on {by.date} by "
                          f"{by.by_number or by.by_title}", citing.id)


def _name(entry: Entry) -> str:
    return entry.doc_number or f"«{entry.title}»"


def _duplicate_numbers(catalog: Catalog):
    for number, entries in catalog.by_number.items():
        titles = {key(e.title) for e in entries}
        if len(titles) > 1:
            first, *others = entries
            for e in others:
                if key(e.title) != key(first.title):
                    yield Finding("number.duplicate", "error", e.path, e.line,
                                  f"{number} is on two documents: «{first.title}» ({first.path}:{first.line}) "
                                  f"and «{e.title}»", e.id)


def _bare_title(title: str) -> str:
    k = key(title)
    return k[k.index("关于"):] if "关于" in k[:12] else k


def _conflicting_citations(catalog: Catalog):
    """One number cited under two titles, or one title cited under two numbers."""
    by_number: dict[str, dict[str, tuple[Entry, object]]] = defaultdict(dict)
    for citing, ref in catalog.citations():
        if ref.doc_number and ref.title and ref.form in ("title_number",):
            by_number[ref.doc_number].setdefault(_bare_title(ref.title), (citing, ref))
    for number, titles in by_number.items():
        if len(titles) > 1 and number not in catalog.by_number:  # held numbers: `citation.title`
            (_, (c1, r1)), *rest = titles.items()
            for _, (c2, r2) in rest:
                yield Finding("citation.inconsistent", "warning", c2.path, r2.line,
                              f"{number} is cited as 《{r1.title}》 ({_where(c1, r1, c2)}) and as 《{r2.title}》", c2.id)
    # a title cited under two numbers: the same title, or a near-same one under the same year and
    # serial (国办发〔2016〕38号 / 国发〔2016〕38号); grouped so that the check stays linear
    groups: dict[object, list] = defaultdict(list)
    for n, titles in by_number.items():
        found = find_doc_numbers(n)
        for t, (c, r) in titles.items():
            groups[("title", t)].append((t, n, c, r))
            if found:
                groups[("serial", found[0].year, found[0].serial)].append((t, n, c, r))
    reported = set()
    for group in groups.values():
        for i, (t1, n1, c1, r1) in enumerate(group):
            for t2, n2, c2, r2 in group[i + 1:]:
                if n1 == n2 or (id(r1), id(r2)) in reported:
                    continue
                if t1 == t2 or difflib.SequenceMatcher(None, t1, t2).ratio() >= 0.9:
                    reported.add((id(r1), id(r2)))
                    yield Finding("citation.number-conflict", "warning", c2.path, r2.line,
                                  f"《{r2.title}》 is cited as {n2} here and as {n1} ({_where(c1, r1, c2)}) — "
                                  "one of them is wrong", c2.id)


def _where(citing: Entry, ref, here: Entry) -> str:
    return f"line {ref.line}" if citing.path == here.path else f"{citing.path}:{ref.line}"


def _series_gaps(catalog: Catalog):
    series: dict[tuple[str, int], dict[int, Entry]] = defaultdict(dict)
    for doc in catalog.documents():
        for number in doc.doc_numbers:
            for f in find_doc_numbers(number):
                series[(f.code, f.year)].setdefault(f.serial, doc)
    for (code, year), held in sorted(series.items()):
        serials = sorted(held)
        for low, high in zip(serials, serials[1:]):
            if high - low > 1:
                missing = f"{low + 1}号" if high - low == 2 else f"{low + 1}–{high - 1}号"
                after = held[high]
                yield Finding("series.gap", "info", after.path, after.line,
                              f"{code}〔{year}〕: {missing} not in the corpus (between {low}号 and {high}号; "
                              f"held: {'、'.join(str(s) for s in serials)})", after.id)
