"""Stage 8 — link the TOC to what was found, infer what the masthead lacked, and warn.

Warnings are for what the parser could not prove: a TOC entry without a document, a
document missing from the TOC, text it could not place.
"""

from __future__ import annotations

from collections import Counter

from govdocs.model import Chronicle, Document, Issue, ParseWarning
from govdocs.parse import html as H
from govdocs.parse.lines import key
from govdocs.parse.numbers import find_date, find_doc_numbers


def link_toc(issue: Issue, documents: list[Document], chronicle: Chronicle | None) -> list[ParseWarning]:
    warnings: list[ParseWarning] = []
    if not issue.toc:
        return warnings
    by_title = {key(d.title): d for d in documents}
    linked: set[str] = set()
    for entry in issue.toc:
        doc = by_title.get(key(entry.title)) or _fuzzy(entry.title, documents, linked)
        if doc is not None:
            entry.document_id, entry.target = doc.id, "document"
            linked.add(doc.id)
        elif chronicle is not None and "大事记" in entry.title:
            entry.document_id, entry.target = chronicle.id, "chronicle"
        else:
            warnings.append(ParseWarning("toc.unmatched", f"TOC entry «{entry.title}» (p. {entry.page}) has no document",
                                         entry.line))
    for doc in documents:
        if doc.id not in linked:
            span = doc.span("title")
            warnings.append(ParseWarning("toc.missing", f"«{doc.title}» ({doc.doc_number}) is not in the TOC",
                                    span.line if span else None))
    return warnings


def _fuzzy(title: str, documents: list[Document], taken: set[str]) -> Document | None:
    """The one untaken document whose title contains, or is contained in, the entry's."""
    k = key(title)
    hits = [d for d in documents if d.id not in taken and len(k) >= 8 and (k in key(d.title) or key(d.title) in k)]
    return hits[0] if len(hits) == 1 else None


def infer_year(issue: Issue, documents: list[Document]) -> ParseWarning | None:
    if issue.year is not None:
        return None
    years = Counter(int(d.date[:4]) for d in documents if d.date)
    if not years:
        return None
    issue.year, issue.year_source = years.most_common(1)[0][0], "documents"
    if len(documents) == 1:  # a single 公文 (saved from a website) has no masthead to miss
        return None
    return ParseWarning("issue.no-masthead", f"no masthead: year {issue.year} inferred from the documents' dates", None)


def latest_month(documents: list[Document]) -> tuple[int, int] | None:
    dates = sorted(d.date for d in documents if d.date)
    return (int(dates[-1][:4]), int(dates[-1][5:7])) if dates else None


def check_page_metadata(metadata: dict[str, str], documents: list[Document]) -> list[ParseWarning]:
    """A website's metadata table is evidence, never a value: where it disagrees with what
    the page prints (number, issuer, date, title), a `page.metadata-differs` warning says so."""
    if not metadata or len(documents) != 1:
        return []
    doc = documents[0]
    printed: dict[str, tuple[object, object]] = {}
    if value := metadata.get(H.DOC_NUMBER):
        found = find_doc_numbers(value)
        printed["发文字号"] = (found[0].normalized if found else value, doc.doc_number)
    if value := metadata.get(H.ISSUER):
        printed["发文机关"] = (value.replace(" ", "").split("、"), doc.issuers)
    if value := metadata.get(H.WRITTEN_DATE):
        found_date = find_date(value)
        printed["成文日期"] = (found_date.iso if found_date else value, doc.date)
    if value := metadata.get(H.TITLE):
        printed["标题"] = (key(value), key(doc.title))
    return [ParseWarning("page.metadata-differs", f"the page's {label} says {site!r}, the text {text!r}", None)
            for label, (site, text) in printed.items() if site != text]
