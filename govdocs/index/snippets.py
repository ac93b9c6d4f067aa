"""Snippets: the sentences of a hit that hold its matches, with the matched words marked.

Match offsets are read from the index (the postings store each word's character span), never
by re-tokenizing the text, so a mark covers exactly the word that matched — 刘宁 is not marked
inside 刘宁宁. A phrase is marked only where its words stand consecutively. Sentences end at
。！？； or a line break; a long sentence is cut around its first match, and "…" marks
each side where the cut falls inside it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import and_, itemgetter, le, lt, neg

import numpy as np
from whoosh import query as Q

from govdocs.index.analyzer import phrase_shifts

SENTENCE_END = "。！？；\n"
MAX_CHARS = 120
#: shown where a long sentence was cut
ELLIPSIS = "…"
MAX_SNIPPETS = 3
#: above this many matches in a field, every sentence end is found in one scan
MANY_SPANS = 16
#: how many matches of one record `_best_of_many` weighs at most
SPAN_CAP = 256


@dataclass
class Snippet:
    text: str
    #: [start, end) of each mark within `text`
    marks: list[list[int]] = field(default_factory=list)
    #: where `text` lies in the record's field (`field` is "title", "content" or "parties")
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


#: (positions, start characters, end characters) of a word in a field: three parallel sequences
OccurrenceArrays = tuple


def match_spans(occurrences: Callable[[str], OccurrenceArrays | None],
                sequences: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Character spans of `sequences` in one field of one record; `occurrences(word)` gives
    the word's positions, start and end characters there (read from its postings), or None.
    In a record where a word stands more than SPAN_CAP times only the text before its SPAN_CAP-th
    place is read, for every word alike: the snippets weigh no more (`_best_of_many`)."""
    whole: dict[str, OccurrenceArrays | None] = {w: occurrences(w) for seq in sequences for w in seq}
    cut = _same_prefix(whole)
    spans = _spans(cut or whole, sequences)
    if not spans and cut is not None:  # what matched stands only past the cut: read it all
        spans = _spans(whole, sequences)
    return _merge(sorted(spans))


def _spans(cache: dict[str, OccurrenceArrays | None], sequences: list[tuple[str, ...]]) -> set[tuple[int, int]]:
    spans: set[tuple[int, int]] = set()
    for seq in sequences:
        occ = [o for o in map(cache.__getitem__, seq) if o and len(o[0])]
        if len(occ) < len(seq):  # a word with no places
            continue
        positions, starts, ends = occ[0]
        if len(seq) == 1:
            spans.update(zip(starts, ends, strict=False))
            continue
        # the phrase's start p: p + shift[i] holds word i (positions count characters), the
        # last word gives the end
        shifts = phrase_shifts(list(seq))
        last_positions, _s, last_ends = occ[-1]
        last = dict(zip(map((-shifts[-1]).__add__, last_positions), last_ends, strict=False))
        ok = list(map(last.__contains__, positions))
        for shift, (middle, _s, _e) in zip(shifts[1:-1], occ[1:-1], strict=False):
            ok = list(map(and_, ok, map(set(map((-shift).__add__, middle)).__contains__, positions)))
        spans.update(zip(compress(starts, ok), map(last.__getitem__, compress(positions, ok)), strict=False))
    return spans


def _same_prefix(found: dict[str, OccurrenceArrays | None]) -> dict[str, OccurrenceArrays | None] | None:
    """Every word's places cut to the text before the SPAN_CAP-th place of the most frequent
    one — the same stretch of text for all, so a phrase's words still line up there — or None
    when no word stands that often."""
    cuts = [starts[SPAN_CAP - 1] for o in found.values() if o is not None and len(starts := o[1]) > SPAN_CAP]
    if not cuts:
        return None
    cutoff = min(cuts)
    return {word: o if o is None or not len(o[1]) or o[1][-1] < cutoff
            else tuple(column[:bisect.bisect_left(o[1], cutoff)] for column in o) for word, o in found.items()}


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those that overlap or touch joined (most records have none: checked
    in one C-level pass)."""
    if all(map(lt, map(itemgetter(1), spans), map(itemgetter(0), islice(spans, 1, None)))):
        return spans
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


#: sentence → (its spans, the distinct words they mark)
Groups = dict[tuple[int, int], tuple[list[tuple[int, int]], set[str]]]


def make_snippets(text: str, spans: list[tuple[int, int]], fieldname: str = "content",
                  limit: int = MAX_SNIPPETS) -> list[Snippet]:
    """Up to `limit` sentences with the most distinct matched words (the earlier among
    equals), in text order. A span that runs past its sentence's end is not shown."""
    best = _best_of_few(text, spans, limit) if len(spans) <= MANY_SPANS else _best_of_many(text, spans, limit)
    return [_cut(text, s, e, inside, fieldname) for (s, e), inside in best]


#: the sentences chosen, in text order: ((start, end), the spans inside)
Chosen = list[tuple[tuple[int, int], list[tuple[int, int]]]]


def _best_of_few(text: str, spans: list[tuple[int, int]], limit: int) -> Chosen:
    groups = _by_sentence(text, spans, limit)
    best = sorted(groups.items(), key=lambda g: (-len(g[1][1]), g[0][0]))[:limit]
    return [(sentence, inside) for sentence, (inside, _words) in sorted(best)]


def _by_sentence(text: str, spans: list[tuple[int, int]], limit: int) -> Groups:
    """Sentence → (its spans, the distinct words they mark), each sentence looked for around
    its (sorted) spans; the walk stops once `limit` sentences hold every matched word — a
    long record costs no more than a short one."""
    every = len({text[a:b] for a, b in spans})
    groups: Groups = {}
    complete = 0
    current = (0, 0)  # an empty sentence before every span, in no group
    for a, b in spans:
        if a >= current[1]:
            if current in groups and len(groups[current][1]) == every:
                complete += 1
                if complete == limit:
                    break
            current = sentence_at(text, a, current[1])
        if b <= current[1]:
            inside, words = groups.setdefault(current, ([], set()))
            inside.append((a, b))
            words.add(text[a:b])
    return groups


#: the sentence end marks as code points
_END_CODES = [ord(mark) for mark in SENTENCE_END]


def sentence_ends(text: str) -> list[int]:
    """The offset after every sentence end mark, in order: the text's code points compared
    with each mark as one array (UTF-32, so an offset counts characters)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    found = codes == _END_CODES[0]
    for code in _END_CODES[1:]:
        found |= codes == code
    return (np.flatnonzero(found) + 1).tolist()


def _best_of_many(text: str, spans: list[tuple[int, int]], limit: int) -> Chosen:
    """`_best_of_few` for many spans, all in `map()`s: every sentence end found in one scan,
    each span's sentence by bisection, the distinct words of a sentence counted from a set of
    (sentence, word) pairs; the spans of the chosen sentences are then cut out by bisection
    (the spans are sorted, so their sentence numbers are too). Of a record with more than
    SPAN_CAP matches only the first SPAN_CAP are weighed, and only the text up to them read: a
    50-page plan full of 政务服务 costs what a few pages do, and its first pages hold sentences
    with every word as surely as its last."""
    if len(spans) > SPAN_CAP:  # a long record: its first SPAN_CAP matches, up to their sentence's end
        spans = spans[:SPAN_CAP]
        stop = spans[-1][1]
        text = text[:min((i + 1 for mark in SENTENCE_END if (i := text.find(mark, stop)) >= 0), default=len(text))]
    ends = sentence_ends(text)
    ends.append(len(text))  # the tail after the last end mark is a sentence too
    firsts, lasts = zip(*spans, strict=False)
    at = list(map(bisect.bisect_right, repeat(ends), firsts))
    fits = list(map(le, lasts, map(ends.__getitem__, at)))
    words = map(text.__getitem__, map(slice, firsts, lasts))
    counts = Counter(map(itemgetter(0), set(zip(compress(at, fits), compress(words, fits), strict=False))))
    chosen = sorted(k for _minus, k in sorted(zip(map(neg, counts.values()), counts, strict=False))[:limit])
    out: Chosen = []
    for k in chosen:
        lo, hi = bisect.bisect_left(at, k), bisect.bisect_right(at, k)
        out.append(((ends[k - 1] if k else 0, ends[k]), list(compress(spans[lo:hi], fits[lo:hi]))))
    return out


def _cut(text: str, s: int, e: int, inside: list[tuple[int, int]], fieldname: str) -> Snippet:
    """The sentence [s, e) without its edge white space; a sentence longer than MAX_CHARS is
    cut around its first match, with ELLIPSIS at each side where the cut falls inside the
    sentence — MAX_CHARS characters in all, the ellipses included. `start`/`end` place the cut
    text in the field; the marks index the snippet's `text`, the ellipsis included."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    before = after = ""
    if e - s > MAX_CHARS:
        first = inside[0][0]
        width = MAX_CHARS - 1  # a cut sentence shows one ellipsis at least
        cut = max(s, min(first - width // 4, e - width))
        stop = min(e, cut + width)
        if cut > s and stop < e:  # cut at both sides: room for the second ellipsis
            stop -= 1
        before, after = ELLIPSIS * (cut > s), ELLIPSIS * (stop < e)
        s, e = cut, stop
    shift = len(before) - s
    marks = [[max(a, s) + shift, min(b, e) + shift] for a, b in inside if a < e and b > s]
    return Snippet(before + text[s:e] + after, marks, fieldname, s, e)


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
