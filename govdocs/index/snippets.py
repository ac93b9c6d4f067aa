"""Snippets: the sentences of a hit that hold its matches, with the matched words marked.

Match offsets are read from the index (the postings store each word's character span), never
by re-tokenizing the text, so a mark covers exactly the word that matched — 刘宁 is not marked
inside 刘宁宁. A phrase is marked only where its words stand consecutively. Sentences end at
。！？； or a line break; a long sentence is cut around its first match.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as Q

SENTENCE_END = "。！？；\n"
MAX_CHARS = 120
MAX_SNIPPETS = 3
#: above this many matches in a field, its sentence ends are found in one scan
MANY_SPANS = 16


@dataclass
class Snippet:
    text: str
    #: [start, end) of each mark within `text`
    marks: list[list[int]] = field(default_factory=list)
    #: where `text` lies in the record's field (`field` is "title" or "content")
    field: str = "content"
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return {"text": self.text, "marks": self.marks, "field": self.field, "start": self.start, "end": self.end}


def wanted(query: Q.Query) -> dict[str, list[tuple[str, ...]]]:
    """field → word sequences to mark (a term is a sequence of one)."""
    out: dict[str, list[tuple[str, ...]]] = defaultdict(list)

    def walk(q: Q.Query) -> None:
        if isinstance(q, Q.AndNot):
            walk(q.a)
            return
        if isinstance(q, Q.Phrase):
            out[q.fieldname].append(tuple(q.words))
        elif isinstance(q, Q.Term):
            out[q.fieldname].append((q.text,))
        for child in q.children():
            walk(child)

    walk(query)
    return out


def match_spans(occurrences: Callable[[str], list[tuple[int, int, int]]],
                sequences: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Character spans of `sequences` in one field of one record; `occurrences(word)` gives
    the word's (position, startchar, endchar) there, read from its postings."""
    spans = set()
    cache: dict[str, list[tuple[int, int, int]]] = {}
    for seq in sequences:
        occ = [cache[w] if w in cache else cache.setdefault(w, occurrences(w)) for w in seq]
        if not all(occ):
            continue
        if len(seq) == 1:
            spans.update((s, e) for _p, s, e in occ[0])
            continue
        # the phrase's start p: p + i holds word i for every middle word, the last word's end
        middle = [{p - i for p, _s, _e in o} for i, o in enumerate(occ[1:-1], 1)]
        last = {p - len(seq) + 1: e for p, _s, e in occ[-1]}
        spans.update((s, last[p]) for p, s, _e in occ[0] if p in last and all(p in m for m in middle))
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_ENDS = tuple(SENTENCE_END)
_NEXT_END = re.compile(f"[{SENTENCE_END}]")


def sentence_at(text: str, i: int, lo: int = 0) -> tuple[int, int]:
    """[start, end) of the sentence holding position `i`: after the previous sentence end,
    through the next one (inclusive) or the end of the text. `lo` is a known sentence start
    at or before `i` (the backward search stops there)."""
    start = max(lo, max(text.rfind(c, lo, i) for c in _ENDS) + 1)
    end = _NEXT_END.search(text, i)  # stops at the nearest end, whatever the character
    return start, (end.end() if end else len(text))


def _sentence_between(ends: list[int], i: int, length: int) -> tuple[int, int]:
    """`sentence_at(text, i)` from the sorted ends of every sentence of the text."""
    k = bisect.bisect_right(ends, i)
    return (ends[k - 1] if k else 0), (ends[k] if k < len(ends) else length)


def make_snippets(text: str, spans: list[tuple[int, int]], fieldname: str = "content",
                  limit: int = MAX_SNIPPETS) -> list[Snippet]:
    """Up to `limit` sentences with the most distinct matched words (the earlier among
    equals), in text order.

    Only the sentences around the (sorted) spans are looked for, and the walk stops once
    `limit` sentences hold every matched word — a long record costs no more than a short
    one. A span that runs past its sentence's end is not shown.
    """
    every = len({text[a:b] for a, b in spans})
    #: sentence → (its spans, the distinct words they mark)
    groups: dict[tuple[int, int], tuple[list[tuple[int, int]], set[str]]] = {}
    complete = 0
    current = None
    # many matches: every sentence end found in one scan, each sentence then by bisection
    ends = [m.end() for m in _NEXT_END.finditer(text)] if len(spans) > MANY_SPANS else None
    for a, b in spans:
        if current is None or a >= current[1]:
            if current in groups and len(groups[current][1]) == every:
                complete += 1
                if complete == limit:
                    break
            current = _sentence_between(ends, a, len(text)) if ends is not None else \
                sentence_at(text, a, current[1] if current else 0)
        if b <= current[1]:
            inside, words = groups.setdefault(current, ([], set()))
            inside.append((a, b))
            words.add(text[a:b])
    best = sorted(groups.items(), key=lambda g: (-len(g[1][1]), g[0][0]))[:limit]
    return [_cut(text, s, e, inside, fieldname) for (s, e), (inside, _words) in sorted(best)]


def _cut(text: str, s: int, e: int, inside: list[tuple[int, int]], fieldname: str) -> Snippet:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e - s > MAX_CHARS:
        first = inside[0][0]
        s = max(s, min(first - MAX_CHARS // 4, e - MAX_CHARS))
        e = min(e, s + MAX_CHARS)
    marks = [[max(a, s) - s, min(b, e) - s] for a, b in inside if a < e and b > s]
    return Snippet(text[s:e], marks, fieldname, s, e)


def lead_snippet(text: str, fieldname: str = "content") -> list[Snippet]:
    """The first sentence that is not blank, for hits that matched filters only."""
    i = 0
    while i < len(text):
        s, e = sentence_at(text, i)
        if text[s:e].strip():
            snippet = _cut(text, s, e, [(s, s)], fieldname)
            snippet.marks = []
            return [snippet]
        i = e
    return []
