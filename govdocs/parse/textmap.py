"""Joined text with an offset map back to the source.

Extractors that must see a paragraph whole (a citation broken by a page break, say)
work on a `MappedText`: the cleaned lines joined as `lines.join_wrapped` joins them, and
for every character its offset in the source and its line number.

Guarantees:
1. `text` equals `join_wrapped([line.text for line in lines])`.
2. For every character copied from the source, `source[offsets[i]] == text[i]`; a space
   inserted between two wrapped ASCII words maps to the next character's offset.
3. A cleaned line that is not a subsequence of its raw line (HTML turned into text) maps
   all its characters to the line's start: spans stay inside the right line.
"""

from __future__ import annotations

from dataclasses import dataclass

from govdocs.parse.lines import Line


@dataclass(slots=True)
class MappedText:
    text: str
    offsets: list[int]
    line_numbers: list[int]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets (end-exclusive) of `text[start:end]`."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def line_span(self, start: int, end: int) -> tuple[int, int]:
        return self.line_numbers[start], self.line_numbers[end - 1]


def _char_offsets(line: Line) -> list[int]:
    text, raw = line.text, line.raw
    if text == raw:
        return list(range(line.start, line.end))
    out, j = [], 0
    for ch in text:
        k = raw.find(ch, j)
        if k < 0:
            return [line.start] * len(text)
        out.append(line.start + k)
        j = k + 1
    return out


def mapped(lines: list[Line]) -> MappedText:
    text: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    for line in lines:
        part = line.text
        if not part:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            text.append(" ")
            offsets.append(line.start + line.raw.find(part[0]) if part[0] in line.raw else line.start)
            numbers.append(line.no)
        text.extend(part)
        offsets.extend(_char_offsets(line))
        numbers.extend([line.no] * len(part))
    return MappedText("".join(text), offsets, numbers)
