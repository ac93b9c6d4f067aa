"""The 署名 + 成文日期 block that closes a document, and the 附注 after it."""

from __future__ import annotations

from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, squash


@dataclass(slots=True)
class Closing:
    signatures: list[int]  # indices of the signature lines
    date: int  # index of the date line
    notes: list[int]  # indices of 附注 lines after the date

    @property
    def first(self) -> int:
        return self.signatures[0] if self.signatures else self.date

    @property
    def last(self) -> int:
        return self.notes[-1] if self.notes else self.date


def is_signature(line: Line) -> bool:
    text = squash(line.text)
    return not line.is_table_row and bool(P.ORG_LINE.match(text) or P.PERSON_SIGNATURE.match(line.text))


def is_date_line(line: Line) -> bool:
    # a date ends in 日: most lines are told without squashing them
    return "日" in line.text and not line.is_table_row and bool(P.DATE_LINE.match(squash(line.text)))


def find_closing(lines: list[Line], begin: int = 0, end: int | None = None) -> Closing | None:
    """The first signature + date pair in lines[begin:end]."""
    end = len(lines) if end is None else end
    for c in range(begin + 1, end):
        if is_date_line(lines[c]) and is_signature(lines[c - 1]):
            sig = [c - 1]
            while sig[0] - 1 >= begin and sig[0] - 1 > c - 4 and is_signature(lines[sig[0] - 1]):
                sig.insert(0, sig[0] - 1)
            notes = []
            k = c + 1
            while k < len(lines) and P.NOTE_LINE.match(squash(lines[k].text)):
                notes.append(k)
                k += 1
            return Closing(sig, c, notes)
    return None
