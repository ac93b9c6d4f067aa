"""Annex tables: tab-separated rows, cells that may hold HTML paragraphs.

Guarantees:
1. HTML in a cell is read with lxml; `<p>` blocks become lines of the cell's text.
2. A header row repeated at the top of each page is dropped (counted in
   `merged_headers`); a cell that begins with its column's header text repeats it too.
3. A two-level header (the first row has empty merged cells, the second fills them)
   becomes one header row: `运输机场 · 数量`.
4. A row split by a page break (after a repeated header the row continues with an empty
   first cell while the row above is unfinished) is rejoined (`rejoined_rows`).
"""

from __future__ import annotations

import regex as re

from govdocs.model import Table
from govdocs.parse.lines import Line, ends_terminated, html_text, join_wrapped, key

_SPACES = re.compile(r"[ \u3000]+")
_NUMERIC = re.compile(r"[\d.,%\s]+")


def cells_of(line: Line) -> list[str]:
    """Cells of a row; HTML paragraphs become lines, runs of spaces one space (kept: they
    may separate names, as in `玉树 果洛 久治`)."""
    return [_SPACES.sub(" ", html_text(c) if "<" in c else c).strip() for c in line.raw.split("\t")]


def parse_table(lines: list[Line]) -> Table:
    rows = [cells_of(line) for line in lines]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = rows[0]
    body = rows[1:]
    if body and _is_subheader(header, body[0]):
        header = _merge_header(header, body[0])
        body = body[1:]
        first_two = [rows[0], rows[1]]
    else:
        first_two = [rows[0]]
    table = Table(header=header, rows=[], line_start=lines[0].no, line_end=lines[-1].no)
    after_break = False
    for row in body:
        if any(_same_header(row, h) for h in first_two):
            table.merged_headers += 1
            after_break = True
            continue
        row = _strip_header_echo(row, first_two[-1])
        if after_break and table.rows and _continues(table.rows[-1], row):
            table.rows[-1] = [join_wrapped([a, b]) if b else a for a, b in zip(table.rows[-1], row, strict=False)]
            table.rejoined_rows += 1
        elif any(row):
            table.rows.append(row)
        after_break = False
    return table


def _same_header(row: list[str], header: list[str]) -> bool:
    """Equal to the header, allowing one differing cell (OCR variants like 政务服务标准)."""
    if not row or not row[0] or key(row[0]) != key(header[0]):
        return False
    differ = sum(1 for a, b in zip(row, header, strict=False) if key(a) != key(b))
    return differ <= max(1, len(header) // 4)


def _is_subheader(top: list[str], second: list[str]) -> bool:
    numeric = any(_NUMERIC.fullmatch(c) for c in second)
    return "" in top[1:] and not second[0] and all(second[1:]) and not numeric


def _merge_header(top: list[str], second: list[str]) -> list[str]:
    filled, last = [], ""
    for cell in top:
        last = cell or last
        filled.append(last)
    return [f"{a} · {b}" if b and a and b != a else (a or b) for a, b in zip(filled, second, strict=False)]


def _strip_header_echo(row: list[str], header: list[str]) -> list[str]:
    out = []
    for cell, head in zip(row, header, strict=False):
        lines = cell.split("\n")
        if len(lines) > 1 and head and key(lines[0]) == key(head):
            cell = "\n".join(lines[1:])
        out.append(cell)
    return out


def _continues(prev: list[str], row: list[str]) -> bool:
    """A row cut by a page break: no first cell, and the row above stops mid-sentence."""
    if row[0] or not any(row):
        return False
    return any(b and a and not ends_terminated(a) for a, b in zip(prev, row, strict=False))
