"""Rejoin paragraphs that line wrapping and page breaks split.

A line continues into the next one when it stops without terminal punctuation, unless
it is a heading (a section marker and no full stop), a table row, a member/list line,
or the next line starts something new (a section marker, `——`, `●`, `附件`), or either
line is a date alone (the 成文日期 of a carried text).
The pieces are joined without a separator (`推动各地` + `区加快` → `推动各地区加快`).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, is_jump_marker, join_wrapped, squash


@dataclass(slots=True)
class Paragraph:
    text: str
    lines: list[Line]

    @property
    def first(self) -> Line:
        return self.lines[0]


def section_marker(text: str):
    for kind, pattern in P.SECTION_MARKERS_BY_FIRST.get(text[:1], ()):
        if m := pattern.match(text):
            return kind, m
    return None


def _starts_new(text: str) -> bool:
    return bool(
        section_marker(text)
        or text.startswith(("——", "●", "附件", "专栏", "说明：", "备注："))
        or P.ANNEX_LIST_ITEM.match(text) and len(text) < 40
    )


def _is_heading(text: str) -> bool:
    """`一、总体要求`: a marker, short, no sentence punctuation (a comma means a cut sentence)."""
    return section_marker(text) is not None and len(text) <= 40 and not any(ch in text for ch in "。，,；;")


def paragraphs(lines: list[Line], standalone: AbstractSet[int] = frozenset()) -> list[Paragraph]:
    """Group lines into paragraphs; lines whose idx is in `standalone` are never joined."""
    out: list[Paragraph] = []
    for line in lines:
        if is_jump_marker(line.text):
            continue  # layout markers are not text
        if out and _joins(out[-1].lines[-1], line, standalone):
            out[-1].lines.append(line)
            out[-1].text = join_wrapped([out[-1].text, line.text])
        else:
            out.append(Paragraph(line.text, [line]))
    return out


def _joins(prev: Line, line: Line, standalone: AbstractSet[int]) -> bool:
    if prev.idx in standalone or line.idx in standalone:
        return False
    if prev.is_table_row or line.is_table_row or prev.terminated:
        return False
    if _is_heading(prev.text) or _starts_new(line.text) or _starts_new(prev.text) and len(prev.text) < 20:
        return False
    if _is_date(line.text) or _is_date(prev.text):  # a signature's date (of a carried text) stands alone
        return False
    return True


def _is_date(text: str) -> bool:
    return len(text) <= 16 and text[-1:] == "日" and P.DATE_LINE.match(squash(text)) is not None
