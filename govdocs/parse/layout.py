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

from dataclasses import dataclass, field

from govdocs.model import ParseWarning
from govdocs.parse import patterns as P
from govdocs.parse.annexes import starts_annex
from govdocs.parse.attachment import carried_title_at, carrier_of
from govdocs.parse.closing import find_closing
from govdocs.parse.lines import Line
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
    _move_jump_fragments(out)
    _move_foreign_tails(out)
    return out


def _closing_index(doc: DocLines) -> int | None:
    begin = after_head(doc)
    closing = find_closing(doc.lines, begin)
    return None if closing is None else closing.last


def after_head(doc: DocLines) -> int:
    """Index in `doc.lines` of the first line after the title and 发文字号."""
    ids = [doc.head.number] if doc.head.number is not None else []
    last = max(ids + doc.head.title)
    for i, line in enumerate(doc.lines):
        if line.idx == last:
            return i + 1
    return 0


def _owner(docs: list[DocLines], before: int) -> int | None:
    for o in range(before - 1, -1, -1):
        if _closing_index(docs[o]) is None:
            return o
    for o in range(before - 1, -1, -1):
        if docs[o].lines and not docs[o].lines[-1].terminated and not docs[o].lines[-1].is_table_row:
            return o
    return None


def _describe(lines: list[Line]) -> str:
    return f"lines {lines[0].no}–{lines[-1].no}" if len(lines) > 1 else f"line {lines[0].no}"


def _move(out: Assignment, src: int, a: int, b: int, code: str, why: str) -> None:
    docs = out.documents
    fragment = docs[src].lines[a:b]
    owner = _owner(docs, src)
    del docs[src].lines[a:b]
    if owner is None:
        out.leftovers.extend(fragment)
        out.repairs.append(ParseWarning("layout.unplaced", f"{_describe(fragment)} ({why}) have no owner", fragment[0].no))
        return
    docs[owner].lines.extend(fragment)
    out.repairs.append(ParseWarning(code, f"{_describe(fragment)} ({why}) returned to «{docs[owner].title_text}»",
                                    fragment[0].no))


def _move_jump_fragments(out: Assignment) -> None:
    for d, doc in enumerate(out.documents):
        i = after_head(doc)
        while i < len(doc.lines):
            if P.JUMP_FROM.match(doc.lines[i].text):
                closing = find_closing(doc.lines, i + 1)
                if closing is not None and _owner(out.documents, d) is not None:
                    _move(out, d, i, closing.last + 1, "layout.jump", f"after «{doc.lines[i].text}»")
                    continue
            i += 1


def _move_foreign_tails(out: Assignment) -> None:
    for d, doc in enumerate(out.documents):
        c = _closing_index(doc)
        if c is None or c + 1 >= len(doc.lines):
            continue
        j = c + 1
        carrier = carrier_of(doc.title_text, (ln.text for ln in doc.lines[:j]))
        if carried_title_at(carrier, doc.lines, j) is not None or starts_annex(doc.lines, j):
            continue
        end = j
        while end < len(doc.lines) and not starts_annex(doc.lines, end):
            end += 1
        _move(out, d, j, end, "layout.interleaved", f"after the closing of «{doc.title_text}»")
