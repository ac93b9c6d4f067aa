"""The people register: who was appointed to, removed from or retired from which post, who
sits in which leading group (领导小组) with which post, and the chronicle entries naming them.

Read from the index: appointment records by the exact `person` keyword (so 刘宁 never
finds 刘宁宁's appointments), chronicle entries by a search for the name and then a
whole-name check of each occurrence (below); a post's holders by the post's words and a
substring check of each appointment's position.

Members lists (组长/副组长/成员 and their posts, `Document.members`) are read from the
document records: the indexer stores a document's members in its `meta` (`members`) and their
names in its `person` keyword (`records.records`), so a person's places are found by the exact
name as appointments are, and a post's by every document listing members and a substring
check of each member's position. An index built before members were stored has no `members`
key in its documents' `meta`: the register then asks for `govdocs index --rebuild`.

Every option applies to every kind of record returned:

- `name`: appointments and members by the exact name; chronicle entries by a whole-name
  occurrence. Chronicle entries are only listed for a name (with `post` alone there are none).
- `post`: appointments and members whose position contains it; chronicle entries (of the
  name) whose text contains it.
- `since` / `until` (ISO dates, inclusive): appointments and members by their notice's date,
  chronicle entries by their date range (kept when it overlaps the range, as `search` does). A
  record without a date is dropped when either bound is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex as re
from whoosh import query as Q

from govdocs.model import Record


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
class Membership(Record):
    """A person's place in a members list (领导小组 组长/副组长/成员 …) a notice sets up."""

    date: str | None  # the notice's
    role: str
    person: str
    position: str
    id: str  # the notice's id and the member's place in its list: d….m3
    document_id: str
    doc_numbers: list[str]
    notice: str | None  # the notice's title
    issuer: str | None
    path: str | None
    line: int | None


@dataclass(slots=True)
class Register(Record):
    name: str | None
    post: str | None
    since: str | None = None
    until: str | None = None
    appointments: list[PersonEvent] = field(default_factory=list)
    chronicle: list[Mention] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)


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


def register(index_dir: Path, name: str | None = None, post: str | None = None,
             since: str | None = None, until: str | None = None) -> Register:
    """The register of a person, a post or both, within `since` … `until` (ISO dates, inclusive;
    the module docstring tells how each option applies to each kind of record)."""
    from govdocs.index.search import Filters, Searcher

    out = Register(name=name, post=post, since=since, until=until)
    with Searcher(index_dir) as s:
        searcher = s.searcher
        if name:
            hits = searcher.search(Q.And([Q.Term("kind", "appointment"), Q.Term("person", name)]), limit=None)
            out.appointments = [_event(searcher, h.fields()) for h in hits]
            known = {t.decode("utf-8") for t in searcher.reader().lexicon("person")}
            found = s.search(_phrase(name), Filters(kind="chronicle"), limit=100000, snippets=False)
            for hit in found.hits:
                stored = searcher.document(id=hit.id)
                if whole_name_at(stored.get("content", ""), name, known):
                    meta = stored.get("meta") or {}
                    out.chronicle.append(Mention(date=stored.get("date"), date_end=meta.get("date_end"),
                                                 text=stored.get("content", ""), id=hit.id,
                                                 path=stored.get("source_path"), line=meta.get("line")))
        if post:
            found = s.search(_phrase(post), Filters(kind="appointment"), limit=100000, snippets=False)
            for hit in found.hits:
                stored = searcher.document(id=hit.id)
                if post in (stored.get("meta") or {}).get("position", "") and (not name or stored.get("person") == name):
                    if not any(e.id == hit.id for e in out.appointments):
                        out.appointments.append(_event(searcher, stored))
            if name:  # both given: the person's events and the entries naming them, at that post
                out.appointments = [e for e in out.appointments if post in e.position]
                out.chronicle = [m for m in out.chronicle if post in m.text]
        out.members = _members(searcher, index_dir, name, post)
    out.appointments = [e for e in out.appointments if overlaps(e.date, None, since, until)]
    out.members = [m for m in out.members if overlaps(m.date, None, since, until)]
    out.chronicle = [m for m in out.chronicle if overlaps(m.date, m.date_end, since, until)]
    out.appointments.sort(key=lambda e: (e.date or "", e.id))
    out.members.sort(key=lambda m: (m.date or "", m.document_id, m.line or 0, m.id))
    out.chronicle.sort(key=lambda m: (m.date or "", m.id))
    return out


def _phrase(words: str) -> str:
    """A name or post as one quoted phrase of the query language (quotes inside it dropped:
    they would end the phrase and let the rest be read as query syntax)."""
    return '"' + "".join(ch for ch in words if ch not in '"“”') + '"'


def overlaps(start: str | None, end: str | None, since: str | None, until: str | None) -> bool:
    """A record dated `start` (… `end`, its last day) overlaps `since` … `until` (inclusive, ISO);
    an undated record overlaps no bounded range."""
    if not (since or until):
        return True
    if not start:
        return False
    return (not since or (end or start) >= since) and (not until or start <= until)


def _members(searcher, index_dir: Path, name: str | None, post: str | None) -> list[Membership]:
    """The places in members lists of `name` (by the exact `person` keyword of the documents),
    or of every document listing members when only `post` is given; at `post` when given."""
    if not (name or post):
        return []
    listing = Q.Term("person", name) if name else Q.Every("person")
    out = []
    for hit in searcher.search(Q.And([Q.Term("kind", "document"), listing]), limit=None):
        stored = hit.fields()
        meta = stored.get("meta") or {}
        for i, m in enumerate(meta.get("members") or [], 1):
            if (name and m["person"] != name) or (post and post not in m["position"]):
                continue
            out.append(Membership(
                date=stored.get("date"), role=m["role"], person=m["person"], position=m["position"],
                id=f"{stored['id']}.m{i}", document_id=stored["id"],
                doc_numbers=stored["doc_number"].split(",") if stored.get("doc_number") else [],
                notice=stored.get("title"), issuer=stored.get("issuer"), path=stored.get("source_path"),
                line=m.get("line")))
    if not out:
        _check_members_stored(searcher, index_dir)
    return out


def _check_members_stored(searcher, index_dir: Path) -> None:
    """An index built before documents stored their members finds none: say so."""
    from govdocs.index.store import IndexProblem

    stored = searcher.document(kind="document")
    if stored is not None and "members" not in (stored.get("meta") or {}):
        raise IndexProblem(f"the index at {index_dir} was built before members lists were indexed — "
                           "run `govdocs index --rebuild`")


def _event(searcher, stored: dict) -> PersonEvent:
    meta = stored.get("meta") or {}
    parent = searcher.document(id=meta["parent_id"]) if meta.get("parent_id") else None
    return PersonEvent(
        date=stored.get("date"), action=meta.get("action", ""), person=stored.get("person", ""),
        position=meta.get("position", ""), reason=meta.get("reason"), text=stored.get("content", ""), id=stored["id"],
        document_id=meta.get("parent_id"),
        doc_numbers=(stored.get("doc_number") or "").split(",") if stored.get("doc_number") else [],
        notice=parent.get("title") if parent else None, issuer=stored.get("issuer"), path=stored.get("source_path"),
        line=meta.get("line"))
