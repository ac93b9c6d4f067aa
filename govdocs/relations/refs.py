"""`govdocs refs`: one document's citations both ways, and its status with the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from govdocs.model import Record, Reference
from govdocs.relations.catalog import Catalog, Entry
from govdocs.relations.status import Status, status_of


@dataclass(slots=True)
class Citing(Record):
    """A citation seen from the cited side: who cites, how, in which words."""

    relation: str
    id: str
    kind: str
    doc_number: str | None
    title: str
    date: str | None
    gazette: str | None
    path: str | None
    line: int
    text: str
    sentence: str


@dataclass(slots=True)
class Refs(Record):
    id: str | None  # None: the corpus does not hold the number
    doc_number: str | None
    title: str | None
    issuer: str | None
    date: str | None
    gazette: str | None
    path: str | None
    line: int | None
    status: Status
    cites: list[Reference] = field(default_factory=list)
    cited_by: list[Citing] = field(default_factory=list)


class NotFound(LookupError):
    """Neither the corpus nor any citation in it knows the number or id."""


def refs(catalog: Catalog, wanted: str, as_of: str | None = None) -> list[Refs]:
    """Refs of every document with this id or number; of the number itself when not held."""
    held = catalog.lookup(wanted)
    if held:
        return [_held(catalog, e, as_of) for e in held]
    from govdocs.index.query import normalize_number  # any printed form search accepts

    number = normalize_number(wanted)
    citations = [ref for _, ref in catalog.citations_of(None, number)] if number else []
    if not citations:
        raise NotFound(wanted)
    titles = [ref.title for ref in citations if ref.title]
    return [Refs(id=None, doc_number=number, title=titles[0] if titles else None, issuer=citations[0].issuer, date=None,
                 gazette=None, path=None, line=None, status=status_of(catalog, None, number, as_of),
                 cited_by=_cited_by(catalog, None, number))]


def _held(catalog: Catalog, entry: Entry, as_of: str | None) -> Refs:
    return Refs(id=entry.id, doc_number=entry.doc_number, title=entry.title, issuer=entry.issuer, date=entry.date,
                gazette=entry.gazette, path=entry.path, line=entry.line, status=status_of(catalog, entry, as_of=as_of),
                cites=[r for r in entry.references if r.resolution != "self"],
                cited_by=_cited_by(catalog, entry, entry.doc_number))


def _cited_by(catalog: Catalog, target: Entry | None, number: str | None) -> list[Citing]:
    out = [Citing(relation=ref.relation, id=citing.id, kind=citing.kind, doc_number=citing.doc_number,
                  title=citing.title, date=citing.date, gazette=citing.gazette, path=citing.path, line=ref.line,
                  text=ref.text, sentence=ref.sentence)
           for citing, ref in catalog.citations_of(target.id if target is not None else None, number)]
    return sorted(out, key=lambda c: (c.date or "", c.path or "", c.line))
