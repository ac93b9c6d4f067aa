"""Annexes (附件1 …) after a document or its carried text, and the 附件说明 list.

An annex starts at a label line (`附件 1`), at a title printed just above its label
(the extraction sometimes puts the title first), or — when the label was lost with an
image — at a line equal to a title listed in the 附件说明. Its title lines follow the
label; tab-separated lines form its tables; the rest is its text.
"""

from __future__ import annotations

from govdocs.model import Annex
from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, is_annex_label, join_wrapped, key, span_of, squash
from govdocs.parse.numbers import cn_to_int
from govdocs.parse.segment import is_title_like
from govdocs.parse.tables import parse_table


def parse_annex_list(lines: list[Line]) -> tuple[list[str], set[int]]:
    """Titles listed after `附件：` (one or several numbered items) and their line idxs."""
    titles: list[str] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        m = P.ANNEX_LIST_HEAD.match(line.text)
        if m is None:
            continue
        used.add(line.idx)
        rest = m["rest"].strip()
        item = P.ANNEX_LIST_ITEM.match(rest)
        titles.append(squash(item["title"] if item else rest))
        for nxt in lines[i + 1 :]:
            item = P.ANNEX_LIST_ITEM.match(nxt.text)
            if item is None or nxt.is_table_row:
                break
            titles.append(squash(item["title"]))
            used.add(nxt.idx)
        break
    return [t for t in titles if t], used


def _title_before_label(lines: list[Line], j: int) -> bool:
    """lines[j] is an annex title printed above its label (`…规划表` / `附件 1` / table)."""
    if j + 1 >= len(lines) or not is_annex_label(lines[j + 1].text):
        return False
    if not is_title_like(lines[j]) or P.ANNEX_LIST_ITEM.match(lines[j].text):
        return False
    after = lines[j + 2] if j + 2 < len(lines) else None
    return after is None or after.is_table_row or is_annex_label(after.text)


def starts_annex(lines: list[Line], j: int, listed_keys: frozenset[str] = frozenset()) -> bool:
    """Does an annex start at lines[j]? `listed_keys`: `key()`s of the 附件说明 titles."""
    if j >= len(lines):
        return False
    if is_annex_label(lines[j].text) or _title_before_label(lines, j):
        return True
    return bool(listed_keys) and is_title_like(lines[j]) and key(lines[j].text) in listed_keys


def listed_keys(listed: list[str]) -> frozenset[str]:
    return frozenset(key(t) for t in listed)


def parse_annexes(lines: list[Line], listed: list[str]) -> list[Annex]:
    keys = listed_keys(listed)
    starts = [j for j in range(len(lines)) if starts_annex(lines, j, keys)]
    # a label and the title next to it (above or below) start one annex, not two
    starts = [j for j in starts if not (j - 1 in starts and _label_and_title(lines, j - 1, j))]
    annexes = []
    for n, j in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        annexes.append(_annex(lines[j:end], listed))
    return annexes


def _label_and_title(lines: list[Line], a: int, b: int) -> bool:
    label_a = is_annex_label(lines[a].text)
    label_b = is_annex_label(lines[b].text)
    return (label_a and not label_b) or (label_b and _title_before_label(lines, a))


def _annex(block: list[Line], listed: list[str]) -> Annex:
    label = number = None
    title_lines: list[Line] = []
    rest = list(block)
    if _title_before_label(rest, 0):
        title_lines.append(rest.pop(0))
    if rest and (m := P.ANNEX_LABEL.match(rest[0].text)):
        label = squash(rest.pop(0).text)
        number = cn_to_int(m["num"]) if m["num"] else None
    if not title_lines:
        while rest and is_title_like(rest[0]) and len(title_lines) < 3 and not _unit_line(rest[0]):
            title_lines.append(rest.pop(0))
            if key("".join(t.text for t in title_lines)) in listed_keys(listed):
                break
            if len(rest) > 0 and (rest[0].is_table_row or not is_title_like(rest[0])):
                break
    title = squash(join_wrapped([t.text for t in title_lines])) if title_lines else None
    if number is None and title:
        keys = [key(t) for t in listed]
        if key(title) in keys:
            number = keys.index(key(title)) + 1
    tables, text, run = [], [], []
    for line in rest:
        if line.is_table_row:
            run.append(line)
            continue
        if run:
            tables.append(parse_table(run))
            run = []
        text.append(line.text)
    if run:
        tables.append(parse_table(run))
    span = span_of(block)
    return Annex(label=label, number=number, title=title, text="\n".join(text), tables=tables,
                 line_start=span.line_start, line_end=span.line_end, start=span.start, end=span.end)


def _unit_line(line: Line) -> bool:
    return squash(line.text).startswith(("单位：", "单位:"))
