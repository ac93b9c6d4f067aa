"""Snippets: the sentences of a hit that hold its matches, with the matched words marked.

Match offsets are read from the index (the postings store each word's character span), never
by re-tokenizing the text, so a mark covers exactly the word that matched — 刘宁 is not marked
inside 刘宁宁. A phrase is marked only where its words stand consecutively. Sentences end at
。！？； or a line break; a long sentence is cut around its first match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as Q

SENTENCE_END = "。！？；\n"
MAX_CHARS = 120
MAX_SNIPPETS = 3


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
        later = [{p: (s, e) for p, s, e in o} for o in occ[1:]]
        for p, s, _e in occ[0]:
            ends = [later[i].get(p + i + 1) for i in range(len(later))]
            if all(ends):
                spans.add((s, ends[-1][1]))
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            if text[start:i + 1].strip():
                out.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def make_snippets(text: str, spans: list[tuple[int, int]], fieldname: str = "content",
                  limit: int = MAX_SNIPPETS) -> list[Snippet]:
    """Up to `limit` sentences with the most distinct matched words, in text order."""
    if not spans:
        return []
    scored = []
    for s, e in sentences(text):
        inside = [(a, b) for a, b in spans if a >= s and b <= e]
        if inside:
            scored.append((len({text[a:b] for a, b in inside}), len(inside), s, e, inside))
    best = sorted(scored, key=lambda t: (-t[0], -t[1], t[2]))[:limit]
    return [_cut(text, s, e, inside, fieldname) for _d, _n, s, e, inside in sorted(best, key=lambda t: t[2])]


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
    """The first sentence, for hits that matched filters only."""
    sents = sentences(text)
    if not sents:
        return []
    snippet = _cut(text, sents[0][0], sents[0][1], [(sents[0][0], sents[0][0])], fieldname)
    snippet.marks = []
    return [snippet]
