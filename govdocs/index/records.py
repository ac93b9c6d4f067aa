"""Parsed issues → flat index records, one per document, appointment and chronicle entry.

A record is a dict of schema fields. Appointment and chronicle records carry the id and
number of the document (or chronicle) they come from in `meta`, and every record its line
and character span in the source. A document record carries its members lists (领导小组
组长/副组长/成员: role, person, position, line) in `meta["members"]` (always present, empty
when it has none) and their names in `person`, for the people register.
"""

from __future__ import annotations

from collections.abc import Iterator

from govdocs.model import ACTION_LABELS, Document, ParsedIssue, Reference, Table
from govdocs.parse.docnumber import number_code


def table_text(table: Table) -> str:
    return "\n".join(" | ".join(cells) for cells in [table.header, *table.rows] if cells)


def document_text(doc: Document) -> str:
    """Everything searchable in a document besides its title, in reading order."""
    parts = [doc.body]
    if doc.attachment:
        parts += [doc.attachment.title, doc.attachment.body]
    for annex in doc.annexes:
        parts += [" ".join(x for x in (annex.label, annex.title) if x), annex.text]
        parts += [table_text(t) for t in annex.tables]
    return "\n".join(p for p in parts if p)


def section_offsets(doc: Document, content: str) -> list[tuple[int, str]]:
    """(offset in `content`, path) of each section of the document and its carried text, in
    order: where a snippet's section is looked up. Each section is found by its first words
    from where the previous one was."""
    out: list[tuple[int, str]] = []
    cursor = 0

    def walk(sections) -> None:
        nonlocal cursor
        for section in sections:
            probe = (section.heading or section.text)[:12]
            at = content.find(probe, cursor) if probe else -1
            if at >= 0:
                out.append((at, section.path))
                cursor = at
            walk(section.children)

    walk(doc.sections)
    if doc.attachment:
        walk(doc.attachment.sections)
    return out


def headline(text: str, limit: int = 60) -> str:
    """A chronicle entry's first sentence (its own heading would repeat the chronicle's)."""
    first = text.split("。", 1)[0].strip()
    return first if len(first) <= limit else first[:limit] + "…"


def cited_numbers(references: list[Reference]) -> str | None:
    numbers = sorted({r.doc_number for r in references if r.doc_number and r.resolution != "self"})
    return ",".join(numbers) or None


def records(parsed: ParsedIssue, path: str) -> Iterator[dict]:
    """The records of one parsed file; `path` is the key the index knows the file by."""
    common = {
        "source_path": path,
        "file_key": f"{path}\0{parsed.source.sha256}",
        "gazette": parsed.issue.label,
    }
    rubrics = {t.document_id: t.rubric for t in parsed.issue.toc if t.document_id}
    for doc in parsed.documents:
        span = doc.fragments[0] if doc.fragments else None
        base = {
            **common,
            "issuer": doc.issuer,
            "issuers": ",".join(doc.issuers) or None,
            "doc_type": doc.doc_type,
            "doc_number": ",".join(doc.doc_numbers) or None,
            "date": doc.date,
            "year": doc.date[:4] if doc.date else None,
            "rubric": rubrics.get(doc.id),
        }
        yield {
            **base,
            "id": doc.id,
            "kind": "document",
            # the dates a status on any day is worked out from (`relations.status.status_on`);
            # the indexer sets repealed_on / amended_on from the whole corpus's catalog
            "effective": doc.effective_date,
            "expires": doc.expires,
            "level": doc.level,
            "cites": cited_numbers(doc.references),
            "title": doc.title,
            "content": (content := document_text(doc)),
            "parties": "\n".join(x for x in (doc.recipients, *doc.signatories, doc.note) if x) or None,
            "has_annex": "true" if doc.annexes else "false",
            "codes": ",".join(sorted({c for n in doc.doc_numbers if (c := number_code(n))})) or None,
            # the people of its members lists, for the people register (`people.py`)
            "person": ",".join(dict.fromkeys(m.person for m in doc.members)) or None,
            "meta": {"line": span.line_start if span else None, "start": span.start if span else None,
                     "end": doc.fragments[-1].end if span else None,
                     "sections": section_offsets(doc, content) or None,
                     "members": [{"role": m.role, "person": m.person, "position": m.position, "line": m.line}
                                 for m in doc.members]},
        }
        for i, a in enumerate(doc.appointments, 1):
            yield {
                **base,
                "id": f"{doc.id}.a{i}",
                "kind": "appointment",
                "title": f"{ACTION_LABELS.get(a.action, a.action)} {a.person} {a.position}",
                "content": a.text + (f"（{a.reason}）" if a.reason and a.reason not in a.text else ""),
                "person": a.person,
                "meta": {"line": a.line, "start": a.start, "end": a.end, "action": a.action,
                         "position": a.position, "reason": a.reason, "parent_id": doc.id, "parent_number": doc.doc_number},
            }
    chron = parsed.chronicle
    if chron is not None:
        for i, e in enumerate(chron.entries, 1):
            yield {
                **common,
                "id": f"{chron.id}.e{i}",
                "kind": "chronicle",
                "title": headline(e.text),
                "content": e.text,
                "cites": cited_numbers(e.references),
                "date": e.date,
                "date_end": e.date_end if e.date_end and e.date_end != e.date else None,
                "year": e.date[:4] if e.date else None,
                "rubric": rubrics.get(chron.id),
                "meta": {"line": e.line, "start": e.start, "end": e.end, "date_end": e.date_end,
                         "parent_id": chron.id, "heading": chron.heading},
            }
