"""Parsed issues → self-describing export records, one kind at a time.

Every record has `kind`, a stable `id` (derived from the source file's SHA-256 and the
record's place in it: the same input gives the same id on any machine) and `source`
provenance: file path and SHA-256, gazette, year, issue number, line and character span.
Appointments and chronicle entries name the document (or chronicle) they come from;
references name the citing record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from govdocs.model import Document, ParsedIssue, Record, Reference
from govdocs.vocab import EXPORT_KINDS, ExportKind, export_kind

#: the kinds of export record, in the order `--kind all` writes them (`vocab.ExportKind`)
KINDS = EXPORT_KINDS


@dataclass(slots=True)
class SourceRef(Record):
    """Where a record was printed."""

    path: str | None
    sha256: str
    gazette: str | None
    year: int | None
    issue_number: int | None
    line_start: int | None
    line_end: int | None
    start: int | None
    end: int | None


@dataclass(slots=True)
class AppointmentRecord(Record):
    """An appointment, removal or retirement, with the notice it comes from."""

    kind: str
    id: str
    document_id: str
    doc_number: str | None  # the notice's 文号
    issuer: str | None
    date: str | None  # the notice's date
    action: str  # appoint | concurrent | remove | retire
    person: str
    position: str
    reason: str | None
    text: str
    source: SourceRef


@dataclass(slots=True)
class ChronicleRecord(Record):
    """A chronicle (大事记) entry, with the chronicle it belongs to."""

    kind: str
    id: str
    chronicle_id: str
    heading: str
    date: str | None
    date_end: str | None
    text: str
    source: SourceRef
    references: list[Reference] = field(default_factory=list)


@dataclass(slots=True)
class ReferenceRecord(Record):
    """A citation of another document, with the record that cites it and its resolution."""

    kind: str
    id: str
    citing_id: str
    citing_kind: str  # document | chronicle
    citing_number: str | None
    citing_date: str | None
    text: str
    title: str | None
    doc_number: str | None
    relation: str
    sentence: str
    issuer: str | None
    form: str
    alias: str | None
    resolution: str | None
    target_id: str | None
    target_title: str | None
    source: SourceRef


@dataclass(slots=True)
class TocRecord(Record):
    """A table-of-contents line and the document or chronicle it points to."""

    kind: str
    id: str
    rubric: str | None
    title: str
    page: int | None
    document_id: str | None
    target: str | None
    source: SourceRef


def _source(parsed: ParsedIssue, path: str | None, lines: tuple, span: tuple) -> SourceRef:
    issue = parsed.issue
    return SourceRef(path=path, sha256=parsed.source.sha256, gazette=issue.gazette, year=issue.year,
                     issue_number=issue.number, line_start=lines[0], line_end=lines[1], start=span[0], end=span[1])


def document_record(doc: Document, parsed: ParsedIssue, path: str | None) -> dict:
    """A document as the parser's JSON plus `kind` and `source` (`Document.from_dict` reads it back)."""
    first, last = (doc.fragments[0], doc.fragments[-1]) if doc.fragments else (None, None)
    source = _source(parsed, path, (first.line_start if first else None, last.line_end if last else None),
                     (first.start if first else None, last.end if last else None))
    return {"kind": "document", **doc.to_dict(), "source": source.to_dict()}


def _reference_records(citing_id: str, kind: str, number: str | None, date: str | None,
                       refs: list[Reference], parsed: ParsedIssue, path: str | None) -> Iterator[dict]:
    for i, r in enumerate(refs, 1):
        yield ReferenceRecord(
            kind="reference", id=f"{citing_id}.r{i}", citing_id=citing_id, citing_kind=kind, citing_number=number,
            citing_date=date, text=r.text, title=r.title, doc_number=r.doc_number, relation=r.relation,
            sentence=r.sentence, issuer=r.issuer, form=r.form, alias=r.alias, resolution=r.resolution,
            target_id=r.target_id, target_title=r.target_title,
            source=_source(parsed, path, (r.line, r.line_end or r.line), (r.start, r.end)),
        ).to_dict()


def kind_records(kind: ExportKind | str, parsed: ParsedIssue, path: str | None,
                 keep=lambda date, issuer, doc_type: True) -> Iterator[dict]:
    """The records of one kind (its earlier plural accepted) in one parsed file; `keep(date,
    issuer, doc_type)` filters them."""
    chron = parsed.chronicle
    kind = export_kind(kind)
    if kind == "document":
        for doc in parsed.documents:
            if keep(doc.date, doc.issuer, doc.doc_type):
                yield document_record(doc, parsed, path)
    elif kind == "appointment":
        for doc in parsed.documents:
            if not keep(doc.date, doc.issuer, doc.doc_type):
                continue
            for i, a in enumerate(doc.appointments, 1):
                yield AppointmentRecord(
                    kind="appointment", id=f"{doc.id}.a{i}", document_id=doc.id, doc_number=doc.doc_number,
                    issuer=doc.issuer, date=doc.date, action=a.action, person=a.person, position=a.position,
                    reason=a.reason, text=a.text, source=_source(parsed, path, (a.line, a.line), (a.start, a.end)),
                ).to_dict()
    elif kind == "chronicle" and chron is not None:
        for i, e in enumerate(chron.entries, 1):
            if keep(e.date, None, None):
                yield ChronicleRecord(
                    kind="chronicle", id=f"{chron.id}.e{i}", chronicle_id=chron.id, heading=chron.heading,
                    date=e.date, date_end=e.date_end, text=e.text, references=list(e.references),
                    source=_source(parsed, path, (e.line, e.line_end or e.line), (e.start, e.end)),
                ).to_dict()
    elif kind == "reference":
        for doc in parsed.documents:
            if keep(doc.date, doc.issuer, doc.doc_type):
                yield from _reference_records(doc.id, "document", doc.doc_number, doc.date, doc.references, parsed, path)
        if chron is not None:
            for i, e in enumerate(chron.entries, 1):
                if keep(e.date, None, None):
                    yield from _reference_records(f"{chron.id}.e{i}", "chronicle", None, e.date, e.references, parsed, path)
    elif kind == "toc":
        for i, t in enumerate(parsed.issue.toc, 1):
            yield TocRecord(kind="toc", id=f"t{parsed.source.sha256[:12]}.{i}", rubric=t.rubric, title=t.title,
                            page=t.page, document_id=t.document_id, target=t.target,
                            source=_source(parsed, path, (t.line, t.line), (t.start, t.end))).to_dict()

