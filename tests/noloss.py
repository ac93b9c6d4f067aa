"""The no-loss oracle: every non-blank line's text reaches the output, or is reported.

Independent of `parse/coverage.py` (which the parser uses to find its leftovers): here a
line counts as kept when its text, white space removed, occurs in some string of the
result's JSON, or when the spans of metadata read from it (a 发文字号, a date) cover it,
or when it lies in the issue's front matter or is a layout marker; else it must be among
the `leftovers`, which a `text.unplaced` warning names.
"""

from __future__ import annotations

import regex as re

from govdocs.model import ParsedIssue
from govdocs.parse.lines import split_lines

_WS = re.compile(r"\s+")
_ENTITY = re.compile(r"&(?:nbsp|sp|ensp|emsp);?", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MARKER = re.compile(r"^[（(]\s*(?:上转|上接|接上|下转|下接|转下|转)\s*(?:第\s*)?\d{1,3}\s*页\s*[)）]$")
_ENTRY_DATE = re.compile(r"^●\s*\d{1,2}月\d{1,2}日(?:\s*(?:至|—|-|~|～|和|、)\s*(?:\d{1,2}月)?\d{1,2}日)?")


def _strings(value, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_WS.sub("", value))
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


def lost_lines(text: str, result: ParsedIssue) -> list[int]:
    """Line numbers whose text reaches no field and that no leftover span reports."""
    strings: list[str] = []
    _strings(result.to_dict(), strings)
    hay = "\x00".join(strings)
    covered = [(s.start, s.end) for s in result.issue.front_matter] + [(s.start, s.end) for s in result.leftovers]
    meta = [(s.start, s.end) for d in result.documents for s in d.spans]
    lost = []
    for line in split_lines(text):
        if any(a <= line.start and line.end <= b for a, b in covered) or _MARKER.match(line.text):
            continue
        # each cell, each HTML paragraph inside a cell (a cell repeating its header drops that line)
        pieces = [_WS.sub("", part) for cell in line.text.split("\t") for part in _TAG.split(cell)]
        pieces = [p.strip("()（）") for p in pieces if p]
        if pieces and line.text.startswith("●"):
            pieces[0] = _WS.sub("", _ENTRY_DATE.sub("", line.text))
        if all(p in hay for p in pieces):
            continue
        raw = _ENTITY.sub(lambda m: " " * len(m.group()), line.raw)  # same length: offsets hold
        rest = [ch for i, ch in enumerate(raw) if not any(a <= line.start + i < b for a, b in meta)]
        if all(ch in "、,，和及第（）()：: \u3000\t" for ch in rest):
            continue
        lost.append(line.no)
    return lost


def assert_nothing_lost(text: str, result: ParsedIssue) -> None:
    lost = lost_lines(text, result)
    assert not lost, f"lines whose text reached no field and no leftover: {lost[:20]}"
    assert result.coverage.lines == len(split_lines(text))
    unplaced = sum(s.line_end - s.line_start + 1 for s in result.leftovers)
    assert result.coverage.placed <= result.coverage.lines
    assert unplaced >= result.coverage.lines - result.coverage.placed
