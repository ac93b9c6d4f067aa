"""Stage 4 — find where documents and the chronicle begin.

A document head is a 发文字号 line (or a 令 number) together with the title lines just
above it, the first of which starts with the issuing organ (`青海省人民政府办公厅 关于…`).
A document without a number is recognised by a `关于……的通知` title followed by a
主送机关 line. The chronicle starts at its `……年…月份大事记` heading. Everything before the
first head is the issue's front matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, squash


@dataclass(slots=True)
class Head:
    start: int  # index of the first title line
    number: int | None  # index of the 发文字号 line (None when the document has none)
    title: list[int]  # indices of the title lines


@dataclass(slots=True)
class Segments:
    heads: list[Head]
    chronicle: int | None  # index of the chronicle heading

    def front_end(self, n_lines: int) -> int:
        firsts = [h.start for h in self.heads] + ([self.chronicle] if self.chronicle is not None else [])
        return min(firsts) if firsts else n_lines


def is_number_line(text: str) -> bool:
    if "号" not in text and "號" not in text:  # both patterns end in one
        return False
    t = squash(text)
    return bool(P.DOC_NUMBER_LINE.match(t) or P.DECREE_NUMBER_LINE.match(t))


def is_title_like(line: Line) -> bool:
    text = line.text
    return (
        not line.is_table_row
        and len(text) <= 90
        and not line.terminated
        and not P.DATE_LINE.match(squash(text))
        and not is_number_line(text)
        and not P.ANNEX_LABEL.match(text)
        and not text.startswith("●")
        and not P.CHRONICLE_HEADING.match(text)
    )


def is_recipients(line: Line) -> bool:
    text = line.text
    return bool(P.RECIPIENTS.match(text)) and len(text) <= 120 and not line.is_table_row and (
        "、" in text or "，" in text or "," in text or P.ISSUER.match(text) is not None
    )


def find_segments(lines: list[Line]) -> Segments:
    heads: list[Head] = []
    floor = 0  # a title never reaches back past the previous head's number line
    for k, line in enumerate(lines):
        if is_number_line(line.text):
            head = _head_at(lines, k, floor)
            if head is not None:
                heads.append(head)
                floor = k + 1
    if not heads:
        heads = _heads_without_numbers(lines)
    chronicle = None
    after = heads[0].start if heads else 0
    for i in range(after, len(lines)):
        text = lines[i].text
        if text.endswith("记") and P.CHRONICLE_HEADING.match(text) and not P.TOC_PAGE.search(text):
            chronicle = i
            break
    if chronicle is not None:
        # after the chronicle only a numbered document can begin
        heads = [h for h in heads if h.start < chronicle or h.number is not None]
    return Segments(heads, chronicle)


def _head_at(lines: list[Line], k: int, floor: int) -> Head | None:
    back: list[int] = []
    for j in range(k - 1, max(floor, k - 4) - 1, -1):
        if not is_title_like(lines[j]):
            break
        back.append(j)
        if P.ISSUER.match(lines[j].text):
            title = sorted(back)
            return Head(title[0], k, title)
    # no issuer line: the line above the number must itself read like a title
    if back and ("关于" in lines[back[0]].text or P.DOC_TYPE_AT_END.search(lines[back[0]].text)):
        j = back[0]
        title = [back[1], j] if len(back) > 1 and "关于" not in lines[j].text else [j]
        return Head(title[0], k, title)
    # the number printed above the title (as on some web pages)
    after = []
    for j in range(k + 1, min(k + 4, len(lines))):
        if is_recipients(lines[j]) or not is_title_like(lines[j]):
            break
        after.append(j)
    if after:
        return Head(k, k, after)
    return None


def _heads_without_numbers(lines: list[Line]) -> list[Head]:
    heads = []
    for i in range(len(lines) - 1):
        if is_title_like(lines[i]) and P.TITLE_WITH_ABOUT.search(squash(lines[i].text)) and is_recipients(lines[i + 1]):
            title = [i]
            if i > 0 and is_title_like(lines[i - 1]) and P.ORG_LINE.match(squash(lines[i - 1].text)):
                title = [i - 1, i]
            heads.append(Head(title[0], None, title))
    return heads

