"""Stage 8 — link the TOC to what was found, infer what the masthead lacked, and warn.

Warnings are for what the parser could not prove: a TOC entry without a document, a
document missing from the TOC, text it could not place.
"""

from __future__ import annotations

from collections import Counter

from govdocs.model import Chronicle, Document, Issue, Warning
from govdocs.parse.lines import key


def link_toc(issue: Issue, documents: list[Document], chronicle: Chronicle | None) -> list[Warning]:
    warnings: list[Warning] = []
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
            warnings.append(Warning("toc.unmatched", f"TOC entry «{entry.title}» (p. {entry.page}) has no document", entry.line))
    for doc in documents:
        if doc.id not in linked:
            span = doc.span("title")
            warnings.append(Warning("toc.missing", f"«{doc.title}» ({doc.doc_number}) is not in the TOC",
                                    span.line if span else None))
    return warnings


def _fuzzy(title: str, documents: list[Document], taken: set[str]) -> Document | None:
    """The one untaken document whose title contains, or is contained in, the entry's."""
    k = key(title)
    hits = [d for d in documents if d.id not in taken and len(k) >= 8 and (k in key(d.title) or key(d.title) in k)]
    return hits[0] if len(hits) == 1 else None


def infer_year(issue: Issue, documents: list[Document]) -> Warning | None:
    if issue.year is not None:
        return None
    years = Counter(int(d.date[:4]) for d in documents if d.date)
    if not years:
        return None
    issue.year, issue.year_source = years.most_common(1)[0][0], "documents"
    return Warning("issue.no-masthead", f"no masthead: year {issue.year} inferred from the documents' dates", None)


def latest_month(documents: list[Document]) -> tuple[int, int] | None:
    dates = sorted(d.date for d in documents if d.date)
    return (int(dates[-1][:4]), int(dates[-1][5:7])) if dates else None
