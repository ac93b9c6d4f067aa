"""Stage 2 — text to lines with offsets, and the cleaning every later stage relies on.

Guarantees:
1. Every non-blank source line becomes exactly one `Line`, in order; blank lines
   (white space only) are skipped.
2. `source[line.start:line.end] == line.raw`: the line without surrounding spaces (tabs
   at its edges are kept, since they mark empty table cells).
3. `line.text` is the raw line with extraction debris removed: a leading markdown bullet,
   `**` emphasis, HTML tags outside tables, and space entities left as text (`&nbsp;`,
   `&sp;`). Tabs are kept (they separate table cells).
4. Nothing is normalised in place: helpers below build comparison keys instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, count

import regex as re
from lxml import html as lxml_html

from govdocs.model import Span
from govdocs.parse import patterns as P

#: white space stripped at a line's edges: every Unicode space (en/em spaces, narrow no-break,
#: ideographic, zero-width and BOM debris from websites) — but not TAB, which marks table cells
_EDGE_SPACE = (" \u3000\u00a0\f\v\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
               "\u202f\u205f\ufeff")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(slots=True)
class Line:
    idx: int  # position among the non-blank lines
    no: int
    start: int
    end: int
    raw: str
    text: str

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.raw

    @property
    def terminated(self) -> bool:
        """True when the line ends its paragraph (terminal punctuation, maybe closed)."""
        return ends_terminated(self.text)


def split_lines(source: str) -> list[Line]:
    out: list[Line] = []
    for no, offset, body in _source_lines(source):
        # tabs at the edges are kept: they mark empty table cells
        stripped = body.strip(_EDGE_SPACE)
        if stripped.strip():
            start = offset + len(body) - len(body.lstrip(_EDGE_SPACE))
            out.append(Line(len(out), no, start, start + len(stripped), stripped, clean(stripped)))
    return out


def numbered_lines(source: str) -> list[str]:
    """The lines of `source` as line numbers count them (line k is item k - 1), breaks removed."""
    return [body for _no, _offset, body in _source_lines(source)]


def _source_lines(source: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset, text without its line break) of each line of `source`."""
    if "\r" not in source:  # \n breaks only: split, offsets from the lengths
        parts = source.split("\n")
        return zip(count(1), accumulate(map((1).__add__, map(len, parts)), initial=0), parts)
    return _lines_by_pattern(source)


def _lines_by_pattern(source: str) -> Iterator[tuple[int, int, str]]:
    no = 0
    for m in _LINE.finditer(source):
        chunk = m.group(0)
        if not chunk and m.start() >= len(source):
            break
        no += 1
        yield no, m.start(), chunk.rstrip("\r\n")
        if m.end() >= len(source):
            break


def clean(raw: str) -> str:
    text = P.MD_BULLET.sub("", raw) if raw[:1] in "-*•" and not raw.startswith("——") else raw
    if "**" in text:
        text = P.MD_BOLD.sub("", text)
    if "<" in text and "\t" not in text and P.HTML_TAG.search(text):
        text = html_text(text)
    if "&" in text:
        text = P.ENTITY_DEBRIS.sub(" ", text)
    return text.strip()


#: a fragment that is bare `<p>` blocks apart from white space, their text free of markup,
#: entities and control characters (a website's table cell, as most are): what lxml would
#: make of it is known without it — each block's words, one block a line
_PLAIN_BLOCKS = re.compile(r"(?:[ \t\n\r]*<p>[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]*</p>)+[ \t\n\r]*")
_BLOCK = re.compile(r"<p>([^<]*)</p>")


def html_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block (<p>), parsed with lxml — or, for bare
    blocks (`_PLAIN_BLOCKS`), read from them directly: the same text, without lxml's ~40 µs
    a fragment (a table's cells are many)."""
    if not P.HTML_TAG.search(fragment):
        return fragment.strip()
    if _PLAIN_BLOCKS.fullmatch(fragment):
        return "\n".join(words for block in _BLOCK.findall(fragment) if (words := " ".join(block.split())))
    return lxml_text(fragment)


def lxml_text(fragment: str) -> str:
    """`html_text` of any fragment holding a tag, by lxml."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = root.findall(".//p")
    if not blocks:
        return " ".join(root.text_content().split())
    parts = [root.text or ""] + [" ".join(p.text_content().split()) for p in blocks]
    parts += [p.tail or "" for p in blocks]
    return "\n".join(s.strip() for s in parts if s and s.strip())


def is_jump_from(text: str) -> bool:
    """`（上转4页）`: the head of a fragment moved by the layout (`P.JUMP_FROM`)."""
    return text[:1] in "（(" and P.JUMP_FROM.match(text) is not None


def is_jump_marker(text: str) -> bool:
    """`（上转4页）` or `（下转8页）`: a layout marker, no text of the document."""
    return text[:1] in "（(" and (P.JUMP_FROM.match(text) is not None or P.JUMP_TO.match(text) is not None)


def is_annex_label(text: str) -> bool:
    """`附件2` / `附件：` alone on its line (`P.ANNEX_LABEL`): `annexes.starts_annex` asks it
    of every line of a document, most of them twice."""
    return text[:1] == "附" and P.ANNEX_LABEL.match(text) is not None


def ends_terminated(text: str) -> bool:
    t = text.rstrip().rstrip(P.CLOSERS)
    return bool(t) and t[-1] in P.TERMINAL


def span_of(lines: list[Line]) -> Span:
    return Span(lines[0].start, lines[-1].end, lines[0].no, lines[-1].no)


def spans_of(lines: list[Line]) -> list[Span]:
    """Contiguous runs of lines (by source line order) as spans."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs and line.idx == runs[-1][-1].idx + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    return [span_of(r) for r in runs]


def join_wrapped(parts: list[str]) -> str:
    """Join pieces of one paragraph split by line or page breaks.

    No separator between CJK text; a space only between two ASCII letters or digits of which
    one is a letter (a number wrapped as `第7` / `264号` joins as 7264).
    """
    out = ""
    for part in parts:
        part = part.strip()
        if (out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum()
                and not (out[-1].isdigit() and part[0].isdigit())):
            out += " "
        out += part
    return out


@lru_cache(maxsize=4096)
def squash(text: str) -> str:
    """Remove white space next to CJK characters: `…保护区 管制原则` → `…保护区管制原则`."""
    if P.SPACE.search(text) is None:  # most lines: no gap to remove
        return text.strip()
    return P.CJK_GAP.sub("", text).strip()


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """A comparison key for titles: no white space, no quotes/brackets, half-width forms."""
    t = text.translate(_FULLWIDTH_DIGITS)
    t = re.sub(r"[\s《》〈〉“”\"'‘’「」]", "", t)
    return t.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")


def fullwidth_to_ascii_digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)
