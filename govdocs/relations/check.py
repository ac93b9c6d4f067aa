"""The editors' check: findings about an issue's own consistency and about its citations.

Each finding has a code, a severity (error, warning, info), the file and line, and a
message. Parser warnings (TOC vs documents, chronicle heading vs entries, 成文日期 year vs
文号 year, text that could not be placed …) are findings too; the rest come from the
catalog: titles cited wrongly, citations of repealed documents, changes to documents the
corpus lacks, one 文号 on two documents, one document cited under two numbers, and gaps
in each 文号 series.

Every finding says what to do (`action`): what an editor checks or corrects, and where.
When one title is cited under two numbers (国办发〔2016〕38号 / 国发〔2016〕38号), the organ printed
next to the citations (国务院办公厅印发了《…》) decides which number the source supports: the one
whose 机关代字 stands for that organ (`parse/agencies.py`: 国办发 → 国务院办公厅, 国发 → 国务院).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from govdocs.model import ParsedIssue, Record, Reference
from govdocs.parse.agencies import issuer_of, place_of
from govdocs.parse.citations import printed_organs
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

#: what to do about a parser warning, by code (what the parser could not prove is checked in the
#: printed issue)
PARSE_ACTIONS = {
    "text.unplaced": "read these lines in the printed issue and say which document they belong to",
    "layout.unplaced": "read these lines in the printed issue and say which document they belong to",
    "issue.empty": "check that the file holds a gazette issue or a document (its extraction may have failed)",
    "issue.no-masthead": "check the inferred year against the printed issue",
    "toc.unmatched": "look for the document in the printed issue: restore it if the text lost it, else "
                     "correct the TOC entry",
    "toc.missing": "add the document to the TOC, or correct its title where it differs from the TOC entry",
    "chronicle.heading": "correct the chronicle heading's month and year to its entries'",
    "chronicle.unplaced": "move this text into its entry, or remove it if it is no part of the chronicle",
    "chronicle.impossible-date": "correct the entry's date from the original chronicle",
    "document.no-number": "add the 发文字号 from the original document, if it has one",
    "document.no-closing": "add the signature and 成文日期 from the original document",
    "document.impossible-date": "correct the 成文日期 from the original document",
    "effect.impossible-date": "correct the date the text takes effect or expires from the original document",
    "document.year-mismatch": "check the 成文日期 and the 文号 against the original document: one of them is "
                              "misprinted",
    "document.issuer-differs": "check the issuing organ against the original document's head and signature",
    "document.no-issuer": "add the issuing organ from the original document",
    "page.metadata-differs": "check which of the two is right against the original document",
}
#: for a parser warning whose code is not listed
PARSE_ACTION = "check this line against the printed issue"


@dataclass(slots=True)
class Finding(Record):
    code: str
    severity: str
    file: str | None
    line: int | None
    #: what was found, with the evidence
    message: str
    #: what the editor should do about it
    action: str
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
            yield Finding(w.code, PARSE_SEVERITY.get(w.code, "warning"), p.source.path, w.line, w.message,
                          PARSE_ACTIONS.get(w.code, PARSE_ACTION))
        for d in p.documents:
            for w in d.warnings:
                yield Finding(w.code, PARSE_SEVERITY.get(w.code, "warning"), p.source.path, w.line, w.message,
                              PARSE_ACTIONS.get(w.code, PARSE_ACTION), d.id)


def _citation_findings(catalog: Catalog):
    for citing, ref in catalog.citations():
        cited = ref.doc_number or f"《{ref.title}》"
        if ref.target_title:
            yield Finding("citation.title", "warning", citing.path, ref.line,
                          f"{_name(citing)} cites {cited} as 《{ref.title}》; its title is «{ref.target_title}»",
                          f"correct the cited title to 《{ref.target_title}》, unless the original prints it so",
                          citing.id)
        if ref.relation in CHANGES:
            if ref.resolution == "not_in_corpus":
                yield Finding("relation.target-missing", "info", citing.path, ref.line,
                              f"{_name(citing)} {ref.relation} {cited}, which the corpus does not hold",
                              f"nothing to correct: {cited} is {PAST[ref.relation]} either way; add the issue that "
                              f"prints it to show its text beside this change", citing.id)
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
                          f"{by.by_number or by.by_title}",
                          f"cite what replaces {cited} (see {by.by_number or '«' + by.by_title + '»'}), or drop "
                          "the citation if it no longer applies", citing.id)


#: a change relation as a past participle: 青政〔2018〕49号 is repealed (by …)
PAST = {"repeals": "repealed", "amends": "amended"}


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
                                  f"and «{e.title}»",
                                  "check both documents' 发文字号 against the originals and correct the misprinted one",
                                  e.id)


def _bare_title(title: str) -> str:
    k = key(title)
    return k[k.index("关于"):] if "关于" in k[:12] else k


def _conflicting_citations(catalog: Catalog):
    """One number cited under two titles, or one title cited under two numbers."""
    by_number: dict[str, dict[str, tuple[Entry, Reference]]] = defaultdict(dict)
    for citing, ref in catalog.citations():
        if ref.doc_number and ref.title and ref.form in ("title_number",):
            by_number[ref.doc_number].setdefault(_bare_title(ref.title), (citing, ref))
    for number, titles in by_number.items():
        if len(titles) > 1 and number not in catalog.by_number:  # held numbers: `citation.title`
            (_, (c1, r1)), *rest = titles.items()
            for _, (c2, r2) in rest:
                yield Finding("citation.inconsistent", "warning", c2.path, r2.line,
                              f"{number} is cited as 《{r1.title}》 ({_where(c1, r1, c2)}) and as 《{r2.title}》",
                              f"find which title {number} bears and correct the other citation", c2.id)
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
                    yield _number_conflict((n1, c1, r1), (n2, c2, r2))


def _number_conflict(one: tuple[str, Entry, Reference], other: tuple[str, Entry, Reference]) -> Finding:
    """One title cited under two numbers. When the organ printed with the citations is the organ
    of one number's 机关代字 only, the source supports that number: the finding stands at the
    other citation and says to correct it."""
    supported = _supported_number(one, other)
    if supported is None:
        n1, c1, r1 = one
        n2, c2, r2 = other
        organs = sorted(_organs_printed(r1) | _organs_printed(r2))
        why = (f"the organ printed with them ({'、'.join(organs)}) does not settle which" if organs
               else "no organ is printed with them to settle which")
        return Finding("citation.number-conflict", "warning", c2.path, r2.line,
                       f"《{r2.title}》 is cited as {n2} here and as {n1} ({_where(c1, r1, c2)}) — one of them is "
                       f"wrong; {why}",
                       "check the cited document's 发文字号 and correct the wrong citation", c2.id)
    (right, c1, r1), (wrong, c2, r2), organ = supported
    there = _where(c1, r1, c2)
    printed_at = [w for w, r in (("here", r2), (there, r1)) if organ in _organs_printed(r)]
    printed_with = "both citations" if len(printed_at) == 2 else (
        "the citation here" if printed_at == ["here"] else f"the citation at {there}")
    wrong_organ = _organ_of(wrong, c2)
    return Finding("citation.number-conflict", "warning", c2.path, r2.line,
                   f"《{r2.title}》 is cited as {wrong} here and as {right} ({there}); the source supports "
                   f"{right}: the organ printed with {printed_with} is {organ}, whose 机关代字 is {_code(right)} "
                   f"({_code(wrong)} {'stands for ' + wrong_organ if wrong_organ else 'is not in the registry'})",
                   f"correct {wrong} to {right} here", c2.id)


def _supported_number(one, other):
    """((right number, citing, ref), (wrong number, citing, ref), organ) when the organs printed
    with the two citations match the organ of exactly one number's code; else None."""
    printed = _organs_printed(one[2]) | _organs_printed(other[2])
    matching = [x for x in (one, other) if (organ := _organ_of(x[0], x[1])) and organ in printed]
    if len(matching) != 1:
        return None
    right = matching[0]
    wrong = other if right is one else one
    return right, wrong, _organ_of(right[0], right[1])


def _organs_printed(ref: Reference) -> set[str]:
    """The organs printed right before a citation in its sentence: 国务院办公厅印发了《…》."""
    at = ref.sentence.find(ref.text)
    if at < 0:
        return set()
    return set(printed_organs(ref.sentence[:at]))


def _organ_of(number: str, citing: Entry) -> str | None:
    """The organ a number's 机关代字 stands for, a shared code read in the citing gazette's place."""
    found = find_doc_numbers(number)
    place = place_of(citing.gazette) or place_of(citing.issuer)
    return issuer_of(found[0].code, place) if found else None


def _code(number: str) -> str:
    found = find_doc_numbers(number)
    return found[0].code if found else number


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
        for low, high in pairwise(serials):
            if high - low > 1:
                missing = f"{low + 1}号" if high - low == 2 else f"{low + 1}–{high - 1}号"
                after = held[high]
                yield Finding("series.gap", "info", after.path, after.line,
                              f"{code}〔{year}〕: {missing} not in the corpus (between {low}号 and {high}号; "
                              f"held: {'、'.join(str(s) for s in serials)})",
                              "nothing, unless the issue should print them: numbers not published in a gazette "
                              "leave gaps", after.id)
