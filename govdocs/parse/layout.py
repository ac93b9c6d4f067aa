"""Stage 5 — layout repair: give every line to its owner, in reading order.

Guarantees:
1. Every line between the front matter and the chronicle ends up in exactly one
   document or in the leftovers; none is duplicated or dropped.
2. A fragment after a `(上转N页)` marker, up to and including the next signature + date,
   is returned to the nearest earlier document that has no closing of its own.
3. Text after a document's closing that is neither its 附注, the text it issues or
   forwards, nor an annex belongs to an earlier document interrupted by this one (the
   two-column layout prints short documents inside long ones): it is returned to the
   nearest earlier document without a closing, else to the nearest one whose last line
   stops mid-sentence. When no such owner exists the lines become leftovers.
Each repair is reported as a `ParseWarning` with code `layout.*` in `repairs`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from govdocs.model import ParseWarning
from govdocs.parse.annexes import starts_annex
from govdocs.parse.attachment import carried_title_at, carrier_of
from govdocs.parse.closing import Closing, find_closing
from govdocs.parse.lines import Line, is_jump_from
from govdocs.parse.segment import Head


@dataclass(slots=True)
class DocLines:
    head: Head
    lines: list[Line]  # in reading order, possibly from several places
    title_text: str = ""  # the title as printed, joined (for carrier detection)


@dataclass(slots=True)
class Assignment:
    documents: list[DocLines]
    leftovers: list[Line] = field(default_factory=list)
    repairs: list[ParseWarning] = field(default_factory=list)


def assign(docs: list[DocLines]) -> Assignment:
    out = Assignment(docs)
    owners = _Owners(docs)
    _move_jump_fragments(out, owners)
    _move_foreign_tails(out, owners)
    return out


def after_head(doc: DocLines) -> int:
    """Index in `doc.lines` of the first line after the title and 发文字号."""
    ids = [doc.head.number] if doc.head.number is not None else []
    last = max(ids + doc.head.title)
    for i, line in enumerate(doc.lines):
        if line.idx == last:
            return i + 1
    return 0


def _dangles(doc: DocLines) -> bool:
    """Does the document's last line stop mid-sentence (and is no table row)?"""
    return bool(doc.lines) and not doc.lines[-1].terminated and not doc.lines[-1].is_table_row


class _Owners:
    """The owner of a fragment: the nearest earlier document without a closing, else the
    nearest earlier one whose last line stops mid-sentence (guarantees 2 and 3).

    Kept current as lines move instead of rescanning every earlier document for each
    fragment (which made the stage quadratic in the number of documents): each
    document's closing is remembered, the documents without one and the dangling ones
    are kept as sorted lists of positions, and a query is a bisection. A document's
    closing is found again only when its lines change: lazily for the document a
    fragment leaves (several fragments can leave one document in a row), and for the
    one it joins from where the last search stopped."""

    def __init__(self, docs: list[DocLines]) -> None:
        self.docs = docs
        self.closings = [find_closing(d.lines, after_head(d)) for d in docs]
        self.open = [d for d, c in enumerate(self.closings) if c is None]
        self.dangling = [d for d, doc in enumerate(docs) if _dangles(doc)]
        self.stale: set[int] = set()  # documents whose lines lost a fragment since their closing was found

    def closing(self, d: int) -> Closing | None:
        if d in self.stale:
            self.stale.discard(d)
            self._set_closing(d, find_closing(self.docs[d].lines, after_head(self.docs[d])))
        return self.closings[d]

    def owner(self, before: int) -> int | None:
        for d in [d for d in self.stale if d < before]:
            self.closing(d)
        if (k := bisect_left(self.open, before)) > 0:
            return self.open[k - 1]
        if (k := bisect_left(self.dangling, before)) > 0:
            return self.dangling[k - 1]
        return None

    def removed(self, d: int) -> None:
        """Lines were deleted from document d."""
        self.stale.add(d)
        _keep_sorted(self.dangling, d, _dangles(self.docs[d]))

    def appended(self, d: int, old_len: int) -> None:
        """Lines were appended to document d, which had `old_len` lines."""
        doc, closing = self.docs[d], self.closing(d)
        if closing is None:
            # no signature + date pair in the old lines: only a pair reaching the new ones
            # can be found (a signature run is at most 3 lines before its date)
            closing = find_closing(doc.lines, max(after_head(doc), old_len - 4))
        elif closing.last >= old_len - 1:  # its 附注 ran to the old end: they may go on
            closing = find_closing(doc.lines, after_head(doc))
        self._set_closing(d, closing)
        _keep_sorted(self.dangling, d, _dangles(doc))

    def _set_closing(self, d: int, closing: Closing | None) -> None:
        self.closings[d] = closing
        _keep_sorted(self.open, d, closing is None)


def _keep_sorted(members: list[int], d: int, member: bool) -> None:
    """Add d to or remove it from the sorted list `members`."""
    k = bisect_left(members, d)
    present = k < len(members) and members[k] == d
    if member and not present:
        members.insert(k, d)
    elif present and not member:
        del members[k]


def _describe(lines: list[Line]) -> str:
    return f"lines {lines[0].no}–{lines[-1].no}" if len(lines) > 1 else f"line {lines[0].no}"


def _move(out: Assignment, owners: _Owners, src: int, a: int, b: int, code: str, why: str) -> None:
    docs = out.documents
    fragment = docs[src].lines[a:b]
    owner = owners.owner(src)
    del docs[src].lines[a:b]
    owners.removed(src)
    if owner is None:
        out.leftovers.extend(fragment)
        out.repairs.append(ParseWarning("layout.unplaced", f"{_describe(fragment)} ({why}) have no owner", fragment[0].no))
        return
    old_len = len(docs[owner].lines)
    docs[owner].lines.extend(fragment)
    owners.appended(owner, old_len)
    out.repairs.append(ParseWarning(code, f"{_describe(fragment)} ({why}) returned to «{docs[owner].title_text}»",
                                    fragment[0].no))


def _move_jump_fragments(out: Assignment, owners: _Owners) -> None:
    for d, doc in enumerate(out.documents):
        i = after_head(doc)
        while i < len(doc.lines):
            if is_jump_from(doc.lines[i].text):
                closing = find_closing(doc.lines, i + 1)
                if closing is None or owners.owner(d) is None:
                    break  # no closing after i means none after a later marker; the owner stays None
                _move(out, owners, d, i, closing.last + 1, "layout.jump", f"after «{doc.lines[i].text}»")
                continue
            i += 1


def _move_foreign_tails(out: Assignment, owners: _Owners) -> None:
    for d, doc in enumerate(out.documents):
        closing = owners.closing(d)
        c = None if closing is None else closing.last
        if c is None or c + 1 >= len(doc.lines):
            continue
        j = c + 1
        carrier = carrier_of(doc.title_text, (ln.text for ln in doc.lines[:j]))
        if carried_title_at(carrier, doc.lines, j) is not None or starts_annex(doc.lines, j):
            continue
        end = j
        while end < len(doc.lines) and not starts_annex(doc.lines, end):
            end += 1
        _move(out, owners, d, j, end, "layout.interleaved", f"after the closing of «{doc.title_text}»")
