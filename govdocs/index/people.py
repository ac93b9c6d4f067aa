"""The people register: who was appointed to, removed from or retired from which post, when.

Read from the index: appointment records by the exact `person` keyword (so 刘宁 never
finds 刘宁宁's appointments), chronicle entries by a search for the name and then a
whole-name check of each occurrence (below); a post's holders by the post's words and a
substring check of each appointment's position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex as re
from whoosh import query as Q

from govdocs.model import Record

#: how an action is printed (the title of an appointment record says it: 免去 finds a retirement)
ACTIONS = {"appoint": "任命", "concurrent": "兼任", "remove": "免去", "retire": "免去并退休"}


@dataclass(slots=True)
class PersonEvent(Record):
    """One appointment, removal or retirement of a person, with the notice it is in."""

    date: str | None
    action: str
    person: str
    position: str
    reason: str | None
    text: str
    id: str
    document_id: str | None
    doc_numbers: list[str]
    notice: str | None  # the notice's title
    issuer: str | None
    path: str | None
    line: int | None


@dataclass(slots=True)
class Mention(Record):
    """A chronicle entry that names the person."""

    date: str | None
    date_end: str | None
    text: str
    id: str
    path: str | None
    line: int | None


@dataclass(slots=True)
class Register(Record):
    name: str | None
    post: str | None
    appointments: list[PersonEvent] = field(default_factory=list)
    chronicle: list[Mention] = field(default_factory=list)


def whole_name_at(text: str, name: str, known: set[str]) -> list[int]:
    """Offsets where `name` stands as a whole name: not inside a longer name the register
    knows (刘宁宁), and not followed by its own last character (a doubled given name)."""
    longer = [k for k in known if len(k) > len(name) and name in k]
    out = []
    for m in re.finditer(re.escape(name), text):
        start, end = m.span()
        doubled = end < len(text) and text[end] == name[-1]
        if not (doubled or _inside(text, name, start, longer)):
            out.append(start)
    return out


def _inside(text: str, name: str, start: int, longer: list[str]) -> bool:
    for k in longer:
        j = k.find(name)
        while j >= 0:
            if start - j >= 0 and text.startswith(k, start - j):
                return True
            j = k.find(name, j + 1)
    return False


def register(index_dir: Path, name: str | None = None, post: str | None = None) -> Register:
    from govdocs.index.search import Filters, Searcher

    out = Register(name=name, post=post)
    with Searcher(index_dir) as s:
        searcher = s.searcher
        if name:
            hits = searcher.search(Q.And([Q.Term("kind", "appointment"), Q.Term("person", name)]), limit=None)
            out.appointments = [_event(searcher, h.fields()) for h in hits]
            known = {t.decode("utf-8") for t in searcher.reader().lexicon("person")}
            found = s.search(f'"{name}"', Filters(kind="chronicle"), limit=100000, snippets=False)
            for hit in found.hits:
                stored = searcher.document(id=hit.id)
                if whole_name_at(stored.get("content", ""), name, known):
                    meta = stored.get("meta") or {}
                    out.chronicle.append(Mention(date=stored.get("date"), date_end=meta.get("date_end"),
                                                 text=stored.get("content", ""), id=hit.id,
                                                 path=stored.get("source_path"), line=meta.get("line")))
        if post:
            found = s.search(f'"{post}"', Filters(kind="appointment"), limit=100000, snippets=False)
            for hit in found.hits:
                stored = searcher.document(id=hit.id)
                if post in (stored.get("meta") or {}).get("position", "") and (not name or stored.get("person") == name):
                    if not any(e.id == hit.id for e in out.appointments):
                        out.appointments.append(_event(searcher, stored))
            if name:  # both given: the person's events at that post
                out.appointments = [e for e in out.appointments if post in e.position]
    out.appointments.sort(key=lambda e: (e.date or "", e.id))
    out.chronicle.sort(key=lambda m: (m.date or "", m.id))
    return out


def _event(searcher, stored: dict) -> PersonEvent:
    meta = stored.get("meta") or {}
    parent = searcher.document(id=meta["parent_id"]) if meta.get("parent_id") else None
    return PersonEvent(
        date=stored.get("date"), action=meta.get("action", ""), person=stored.get("person", ""),
        position=meta.get("position", ""), reason=meta.get("reason"), text=stored.get("content", ""), id=stored["id"],
        document_id=meta.get("parent_id"), doc_numbers=(stored.get("doc_number") or "").split(",") if stored.get("doc_number") else [],
        notice=parent.get("title") if parent else None, issuer=stored.get("issuer"), path=stored.get("source_path"),
        line=meta.get("line"))
