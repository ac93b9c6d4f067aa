"""Query evaluation on whole posting lists: exact totals, filters, facets and scores.

Whoosh's matchers walk the matching documents one at a time in Python, so a common word in
a large index is slow to score and count (docs/engine.md). Here a posting list is read whole (document
numbers, weights and occurrence offsets, block by block: `codec.OccTermsReader.postings_arrays`)
and a query is combined as dicts — union, intersection, difference — with the BM25F arithmetic
done by C-level `map()` over whole lists. The formula, its parameters and its statistics
(idf, average field length, the quantised field length of each document) are Whoosh's own,
so the scores are the ones Whoosh's matchers give. A phrase's candidates are the documents
holding every word; each is checked on its positions, read from the segment's occurrence file
(consecutive positions, as Whoosh's phrase matcher requires), and scores the sum of its words'
scores.

Facet counts and date order read the `RefBytesColumn` of a field — one array of value
numbers per segment — instead of a column lookup per document.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import add, and_, getitem, lt, mul, not_, truediv

from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from govdocs.index.engine.codec import OccTermsReader, ValueOffsets
from govdocs.index.engine.occurrences import occurrence_arrays, positions_at


class ForeignSegment(Exception):
    """A segment of the index was not written by this engine's codec (`codec.OccCodec`)."""


def one_apart(words: list[str]) -> list[int]:
    """Whoosh's phrase geometry: word k of a phrase stands k positions after the first."""
    return list(range(len(words)))


class UnsupportedQuery(TypeError):
    """A query node this evaluator does not know (a bug: the query parser made it)."""


@dataclass
class Postings:
    """One term's postings over the whole index: sorted global document numbers and weights
    of the live documents; for a text field, where each document's occurrences are."""

    ids: list[int]
    weights: list[float]
    #: per segment holding the term: (its end document number, its global document numbers
    #: incl. deleted ones, their values' offsets in the occurrence file — one more, the last
    #: value's end —, the segment's terms reader)
    parts: list[tuple[int, list[int], ValueOffsets, OccTermsReader]]

    def restricted(self, docs) -> Postings:
        """The postings of the documents in `docs` only (no occurrences)."""
        ids, found = self.ids, []
        for d in docs:
            i = bisect.bisect_left(ids, d)
            if i < len(ids) and ids[i] == d:
                found.append(i)
        found.sort()
        return Postings([ids[i] for i in found], [self.weights[i] for i in found], [])

    def _locate(self, docnum: int) -> tuple[memoryview, int, int] | None:
        """(occurrence file, start, end) of the document's value."""
        for end, ids, offsets, terms in self.parts:
            if docnum < end:
                i = bisect.bisect_left(ids, docnum)
                return (terms.occurrences, offsets[i], offsets[i + 1]) if i < len(ids) and ids[i] == docnum else None
        return None

    def positions_in(self, docs: set[int]) -> list:
        """The positions of the term in each document of `docs` that holds it, by document
        number: ascending lists, decoded from the segments' occurrence files by `map()`s over
        the posting list (`occurrences.positions_at`: no Python code runs per document)."""
        out: list = []
        for _end, ids, offsets, terms in self.parts:
            held = list(map(docs.__contains__, ids))  # offsets: one more than ids, the last value's end
            out.extend(positions_at(terms.occurrences, compress(offsets, held), compress(islice(offsets, 1, None), held)))
        return out

    def value_of(self, docnum: int) -> bytes | None:
        found = self._locate(docnum)
        if found is None:
            return None
        occ, start, end = found
        return occ[start:end].tobytes()


EMPTY = Postings([], [], [])


class Evaluator:
    """Evaluates queries against one open Whoosh searcher.

    Per-index data (field-length bytes, column arrays) is cached for the searcher's life;
    postings are cached for one query only (`reset()`), so repeated queries pay full price.
    """

    def __init__(self, searcher, phrase_shifts: Callable[[list[str]], list[int]] = one_apart) -> None:
        """`phrase_shifts(words)`: where each word of a phrase stands from the first one's
        position (the analysis decides what a position counts)."""
        self.searcher = searcher
        self.phrase_shifts = phrase_shifts
        self.schema = searcher.schema
        self.segments = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        for reader, _offset in self.segments:
            if not isinstance(getattr(reader, "_terms", None), (OccTermsReader, type(None))):
                raise ForeignSegment(f"segment {reader!r} was written without govdocs' codec")
        self.bounds = [offset + reader.doc_count_all() for reader, offset in self.segments]
        self.doc_count = searcher.doc_count_all()
        self.deleted = frozenset(offset + d for reader, offset in self.segments
                                 for d in (reader.deleted_docs_set if reader.has_deletions() else ()))
        self._columns: dict[tuple[int, str], tuple[array, list]] = {}
        self._norms_by_doc: dict[str, tuple[float, list[float]]] = {}
        self._postings: dict[tuple[str, str], Postings] = {}

    def reset(self) -> None:
        self._postings = {}

    # -- posting lists ---------------------------------------------------------------------

    def postings(self, fieldname: str, text: str) -> Postings:
        key = (fieldname, text)
        if key not in self._postings:
            self._postings[key] = self._read(fieldname, text)
        return self._postings[key]

    def _read(self, fieldname: str, text: str) -> Postings:
        if fieldname not in self.schema:
            return EMPTY
        field = self.schema[fieldname]
        btext = field.to_bytes(text)
        ids: list[int] = []
        weights: list[float] = []
        parts = []
        for (reader, offset), end in zip(self.segments, self.bounds, strict=False):
            terms = getattr(reader, "_terms", None)
            if terms is None:
                continue
            try:
                seg_ids, seg_weights, offsets = terms.postings_arrays(fieldname, btext, field.format)
            except (TermNotFound, KeyError):
                continue
            if offset:
                seg_ids = list(map(offset.__add__, seg_ids))
            ids.extend(seg_ids)
            weights.extend(seg_weights)
            if offsets is not None:
                parts.append((end, seg_ids, offsets, terms))
        if self.deleted and ids:
            keep = [i for i, d in enumerate(ids) if d not in self.deleted]
            ids, weights = [ids[i] for i in keep], [weights[i] for i in keep]
        return Postings(ids, weights, parts)

    # -- scoring ----------------------------------------------------------------------------

    def _lengths_of(self, reader, fieldname: str) -> bytes:
        """The quantised length byte of `fieldname` for every document of a segment."""
        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        n = reader.doc_count_all()
        raw = col._dbfile.get(col._basepos, min(col._count, n)) if col is not None else b""
        return bytes(raw) + bytes(n - len(raw))

    def _term_scores(self, fieldname: str, text: str, within=None) -> dict[int, float]:
        """Document → BM25F score of the term (of the documents in `within`, when given and
        much smaller than the posting list; a superset of them otherwise)."""
        p = self.postings(fieldname, text)
        if within is not None and 4 * len(within) < len(p.ids):
            p = p.restricted(within)
        if not p.ids:
            return {}
        field = self.schema[fieldname]
        if not field.scorable:
            return dict.fromkeys(p.ids, 1.0)
        idf, (K1, norm_of) = self.searcher.idf(fieldname, text), self._norms(fieldname)
        # bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))), fl quantised
        tf = p.weights
        norms = map(norm_of.__getitem__, p.ids)
        scores = map(mul, repeat(idf), map(truediv, map(mul, tf, repeat(K1 + 1)), map(add, tf, norms)))
        return dict(zip(p.ids, scores, strict=False))

    def _norms(self, fieldname: str) -> tuple[float, list[float]]:
        """K1 and, per global document number, BM25's K1 * ((1 - B) + B * length / avgfl) of
        the document's quantised field length — the parameters `BM25F.scorer()` gives its
        scorer (whose setup, reading the term's info again for a bound we do not use, is
        skipped), worked out once per field and searcher: a term's scores then cost one
        lookup per document for its length."""
        if fieldname not in self._norms_by_doc:
            weighting = self.searcher.weighting
            B, K1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            table = [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)]
            lengths = b"".join(self._lengths_of(reader, fieldname) for reader, _offset in self.segments)
            self._norms_by_doc[fieldname] = (K1, list(map(table.__getitem__, lengths)))
        return self._norms_by_doc[fieldname]

    # -- queries ----------------------------------------------------------------------------

    def run(self, query: Q.Query, within: set[int] | dict | None = None) -> dict[int, float]:
        """Global document number → score of every live document matching `query`
        (only those in `within`, when given: the other operands of an AND, or the filter)."""
        if isinstance(query, (Q.Term, Q.Phrase)):
            words = [query.text] if isinstance(query, Q.Term) else list(query.words)
            found = self._phrase(query.fieldname, words, within)
            if query.boost != 1:  # as Whoosh's matchers weigh a boosted query
                found = dict(zip(found, map(mul, found.values(), repeat(query.boost)), strict=False))
        elif isinstance(query, Q.Or):
            found = {}
            for child in query.subqueries:
                found = _summed(found, self.run(child, within))
            return found
        elif isinstance(query, Q.And):
            parts: list[dict[int, float]] = []
            for child in sorted(query.subqueries, key=self.cost):  # the cheapest narrows the rest
                parts.append(self.run(child, within))
                within = parts[-1]
                if not within:
                    return {}
            # each part holds only documents of the ones before it: the last holds the matches
            return _sum_over(sorted(parts[-1]), parts)
        elif isinstance(query, Q.AndNot):
            positive = self.run(query.a, within)
            negative = self.run(query.b, positive) if positive else {}
            return {d: s for d, s in positive.items() if d not in negative}
        elif isinstance(query, Q.TermRange):
            found = dict.fromkeys(self._range(query), 1.0)
        elif isinstance(query, Q.Every):
            found = dict.fromkeys((d for d in range(self.doc_count) if d not in self.deleted), 1.0)
        elif query is Q.NullQuery:
            return {}
        else:
            raise UnsupportedQuery(f"cannot evaluate {type(query).__name__}: {query!r}")
        if within is not None and len(within) < len(found):
            return {d: found[d] for d in within if d in found}
        return found if within is None else {d: s for d, s in found.items() if d in within}

    def cost(self, query: Q.Query) -> float:
        """A guess at how much `run(query)` costs: documents to read (phrases ×4, for the
        positions they check) — counted on the posting lists, which the query reads anyway."""
        if isinstance(query, Q.Term):
            return len(self.postings(query.fieldname, query.text).ids)
        if isinstance(query, Q.Phrase):
            return 4 * min((len(self.postings(query.fieldname, w).ids) for w in query.words), default=0)
        if isinstance(query, Q.Or):
            return sum(self.cost(c) for c in query.subqueries)
        if isinstance(query, Q.And):
            return min((self.cost(c) for c in query.subqueries), default=0)
        if isinstance(query, Q.AndNot):
            return self.cost(query.a)
        return self.doc_count

    def _phrase(self, fieldname: str, words: list[str], within=None) -> dict[int, float]:
        """Documents where `words` stand at consecutive positions, scored the sum of their
        words' scores (computed for those documents only); a single word is a term."""
        if len(words) == 1:
            return self._term_scores(fieldname, words[0], within)
        lists = [self.postings(fieldname, w).ids for w in words]
        if not all(lists):
            return {}
        shortest = min(lists, key=len)
        candidates = set(shortest).intersection(*lists)
        if within is not None:
            candidates.intersection_update(within)
        columns = [self.postings(fieldname, w).positions_in(candidates) for w in words]
        matched = _holding_phrase(sorted(candidates), columns, self.phrase_shifts(words))
        scores = [self._term_scores(fieldname, w, matched) for w in words]
        return _sum_over(matched, scores)

    def _range(self, query: Q.TermRange) -> set[int]:
        docs: set[int] = set()
        for term in self._terms_between(query):
            docs.update(self.postings(query.fieldname, term).ids)
        return docs

    def _terms_between(self, query: Q.TermRange) -> set[str]:
        start, end = query.start or "", query.end
        found = set()
        for reader, _offset in self.segments:
            if getattr(reader, "_terms", None) is None:
                continue
            for fieldname, btext in reader.terms_from(query.fieldname, start):
                text = btext.decode("utf-8")
                if fieldname != query.fieldname or (end is not None and text > end):
                    break
                if not ((query.startexcl and text == start) or (query.endexcl and text == end)):
                    found.add(text)
        return found

    # -- columns: facets and sorting --------------------------------------------------------

    def _column(self, segment: int, fieldname: str) -> tuple[array, list]:
        """(value number per document, values) of a `RefBytesColumn` field in one segment."""
        key = (segment, fieldname)
        if key not in self._columns:
            reader, _offset = self.segments[segment]
            field = self.schema[fieldname]
            if not reader.has_column(fieldname):  # no document of the segment has a value
                self._columns[key] = (array("B", bytes(reader.doc_count_all())), [None])
                return self._columns[key]
            col = reader._perdoc.column_reader(fieldname, field.column_type)
            refs = array(col._typecode)
            refs.frombytes(col._dbfile.get(col._basepos, col._doccount * col._itemsize))
            if refs.itemsize > 1:
                refs.byteswap()  # stored big-endian
            values = [field.from_column_value(u) if u else None for u in col._uniques]
            self._columns[key] = (refs, values)
        return self._columns[key]

    def _by_segment(self, docs: list[int]):
        """(segment, offset, local numbers) for sorted global document numbers."""
        bounds = self.bounds
        for s, (_reader, offset) in enumerate(self.segments):
            lo, hi = bisect.bisect_left(docs, offset), bisect.bisect_left(docs, bounds[s])
            if lo < hi:
                yield s, offset, list(map((-offset).__add__, docs[lo:hi]))

    def occurrences(self, fieldname: str, text: str, docnum: int) -> tuple[array, array, array] | None:
        """(positions, start characters, end characters) of the term in the document."""
        value = self.postings(fieldname, text).value_of(docnum)
        return occurrence_arrays(value) if value else None

    def facet_counts(self, fieldname: str, docs: list[int]) -> Counter:
        counts: Counter = Counter()
        for s, _offset, local in self._by_segment(docs):
            refs, values = self._column(s, fieldname)
            for ref, n in Counter(map(refs.__getitem__, local)).items():
                counts[values[ref]] += n
        return counts

    def values_of(self, fieldname: str, docs: list[int]) -> list:
        """The column value of each document (sorted global numbers), in order."""
        out: list = []
        for s, _offset, local in self._by_segment(docs):
            refs, values = self._column(s, fieldname)
            out.extend(map(values.__getitem__, map(refs.__getitem__, local)))
        return out


def _sum_over(docs: list[int], parts: list[dict[int, float]]) -> dict[int, float]:
    """Document → the sum of its scores in every part (each holds every document of `docs`)."""
    total = map(parts[0].__getitem__, docs)
    for part in parts[1:]:
        total = map(add, total, map(part.__getitem__, docs))
    return dict(zip(docs, total, strict=False))


def _summed(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    """Scores of either; a document in both scores the sum (dict and set operations in C)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return a
    out = a.copy()  # a copy of a dict is one block copy; b's scores are added to it in C
    out.update(zip(b, map(add, map(a.get, b, repeat(0.0)), b.values()), strict=False))
    return out


def _holding_phrase(docs: list[int], columns: list[list], shifts: list[int] | None = None) -> list[int]:
    """The documents of `docs` where the words stand next to each other: some p is in
    columns[0][k], p + shifts[1] in columns[1][k], … (columns[i][k]: the positions of word i in
    docs[k]; shifts default to 0, 1, 2 …). Each step is a `map()` over all documents, so no
    Python code runs per document; sets are built from the word with the fewest positions,
    the others are scanned."""
    shifts = list(range(len(columns))) if shifts is None else shifts
    order = sorted(range(len(columns)), key=lambda i: sum(map(len, columns[i])))
    first = order[0]
    if len(columns) == 2:  # most phrases
        other = order[1]
        return list(compress(docs, _adjacent(columns[first], columns[other], shifts[other] - shifts[first])))
    # starts: positions where word 0 would stand, narrowed word by word (rarest first)
    starts = list(map(set, map(map, repeat((-shifts[first]).__add__), columns[first])))
    for i in order[1:]:
        starts = list(map(set.intersection, starts, map(map, repeat((-shifts[i]).__add__), columns[i])))
    return list(compress(docs, starts))


#: a pair of words whose rarer one stands more than 2 × HEAD times in a document on average
#: is checked on its first HEAD positions first (`_adjacent`)
HEAD = 8


def _adjacent(rare: list, common: list, shift: int) -> list[bool]:
    """For each document k: does some p of rare[k] have p + shift in common[k]?

    A set of the rarer word's positions, shifted, and a scan of the other's until a hit. When
    the rarer word is itself frequent in the documents — a phrase that recurs all through a
    long document — its first HEAD positions are checked first against the other's up to
    there, and the whole lists only for the documents without a hit. All in `map()`s over the
    documents.
    """
    if sum(map(len, rare)) <= 2 * HEAD * len(rare):
        return list(map(not_, map(set.isdisjoint, map(set, map(map, repeat(shift.__add__), rare)), common)))
    heads = list(map(getitem, rare, repeat(slice(0, HEAD))))
    reach = map(add, map(getitem, heads, repeat(-1)), repeat(shift))
    near = map(getitem, common, map(slice, repeat(0), map(bisect.bisect_right, common, reach)))
    found = list(map(not_, map(set.isdisjoint, map(set, map(map, repeat(shift.__add__), heads)), near)))
    rest = list(compress(range(len(found)), map(and_, map(not_, found), map(lt, repeat(HEAD), map(len, rare)))))
    if rest:
        full = map(set, map(map, repeat(shift.__add__), map(rare.__getitem__, rest)))
        hits = map(not_, map(set.isdisjoint, full, map(common.__getitem__, rest)))
        for k in compress(rest, hits):
            found[k] = True
    return found


def top_by_score(matches: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score): higher score first, then lower document number."""
    if not matches or limit <= 0:
        return []
    floor = min(heapq.nlargest(limit, matches.values()))
    best = [(d, s) for d, s in matches.items() if s >= floor]
    best.sort(key=lambda ds: (-ds[1], ds[0]))
    return best[:limit]


def top_by_value(evaluator: Evaluator, fieldname: str, matches: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The `limit` documents with the greatest column value (missing values last), then by
    lower document number."""
    docs = sorted(matches)
    keyed = [(v is not None, v or "", -d) for d, v in zip(docs, evaluator.values_of(fieldname, docs), strict=False)]
    return [(-k[2], matches[-k[2]]) for k in heapq.nlargest(limit, keyed)]
