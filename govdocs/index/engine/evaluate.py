"""Query evaluation on whole posting lists: exact totals, filters, facets and scores.

Whoosh's matchers walk the matching documents one at a time in Python, so a common word in
a large index is slow to score and count (docs/engine.md). Here a posting list is read whole,
as NumPy arrays taken from its blocks' bytes (document numbers, weights and where each value
lies in the occurrence file: `block_format.ool_lists` for a term's lists in every segment at
once, else `codec.OccTermsReader.postings_ndarrays` segment by segment), and a query is
combined as sorted arrays of document numbers with their scores — union, intersection,
difference — the BM25F arithmetic done on whole arrays. No Python code runs per posting, so a
query costs a few nanoseconds per posting it reads (docs/performance.md). The formula, its parameters and its statistics
(idf, average field length, the quantised field length of each document) are Whoosh's own,
and each score is computed by the same floating-point operations in the same order as
Whoosh's scorer, so the scores are the ones Whoosh's matchers give. A phrase's candidates are
the documents holding every word; the rarest word's positions, gathered from the segments'
occurrence files, make the places the phrase could start, and each further word keeps those
it stands after (consecutive positions, as Whoosh's phrase matcher requires:
`postings.held_phrase`); a phrase scores the sum of its words' scores.

Facet counts and date order read the `RefBytesColumn` of a field — one array of value
numbers per segment — instead of a column lookup per document; so do a facet's terms and a
date range (`_in_column`: the column's distinct values compared with the bounds at once, as
UTF-8 bytes, and gathered by value number) and the dates a status is worked out from
(`compared`: each date against the day).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from whoosh import columns, fields
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from govdocs.index.engine.block_format import ool_lists
from govdocs.index.engine.codec import (
    OccTermsReader,
    TermTables,
    column_bytes,
    column_values,
    out_of_line,
    same_length,
)
from govdocs.index.engine.occurrences import occurrence_arrays
from govdocs.index.engine.postings import EMPTY, IDS, NO_IDS, NO_SCORES, Postings, common, distinct, held_phrase, union


class ForeignSegment(Exception):
    """A segment of the index was not written by this engine's codec (`codec.OccCodec`)."""


def one_apart(words: list[str]) -> list[int]:
    """Whoosh's phrase geometry: word k of a phrase stands k positions after the first."""
    return list(range(len(words)))


class UnsupportedQuery(TypeError):
    """A query node this evaluator does not know (a bug: the query parser made it)."""


@dataclass
class Scored:
    """Matching documents: their global numbers (ascending, unique) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def taken(self, keep: np.ndarray) -> Scored:
        """The documents where the boolean array `keep` (one per document here) is true."""
        return Scored(self.ids[keep], self.scores[keep])

    @classmethod
    def constant(cls, ids: np.ndarray, score: float = 1.0) -> Scored:
        return cls(ids, np.full(len(ids), score, dtype=np.float64))


EMPTY_SCORED = Scored(NO_IDS, NO_SCORES)


class Evaluator:
    """Evaluates queries against one open Whoosh searcher.

    Per-index data (field-length norms, column arrays) is cached for the searcher's life;
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
        live = np.ones(self.doc_count, dtype=bool)
        for reader, offset in self.segments:
            if reader.has_deletions():
                live[np.fromiter(reader.deleted_docs_set, dtype=IDS) + offset] = False
        #: None when no document is deleted
        self.live = None if live.all() else live
        #: (segment, field) → a column's value numbers and distinct values as read (`_column_area`),
        #: the values as the field reads them (`_column`), as comparable bytes (`_sortable`)
        self._areas: dict[tuple[int, str], tuple[np.ndarray, bytes, int, int]] = {}
        self._columns: dict[tuple[int, str], tuple[np.ndarray, list]] = {}
        self._texts: dict[tuple[int, str], tuple[np.ndarray, np.ndarray | list[bytes]]] = {}
        self._norms_by_doc: dict[str, tuple[float, np.ndarray, np.ndarray]] = {}
        self._postings: dict[tuple[str, str], Postings] = {}
        self._holders: dict[tuple[str, bytes], list[tuple[OccTermsReader, int]]] = {}
        #: (field, term) → its posting lists' bytes in the holding segments (`_read`), kept likewise
        self._extents: dict[tuple[str, bytes], list] = {}
        #: the segments with a lexicon: (terms reader, first global number), and their tables
        self._terms_readers = [(terms, offset) for reader, offset in self.segments
                               if (terms := getattr(reader, "_terms", None)) is not None]
        self._tables = TermTables([terms for terms, _offset in self._terms_readers])

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
        if _by_column(field) and text:  # an empty value is no value in the column: its postings say who holds ""
            value = text.decode("utf-8") if isinstance(text, bytes) else text
            held = self._in_column(fieldname, value, value)
            return Postings(held, np.ones(len(held), dtype=np.float64), []) if len(held) else EMPTY
        btext = field.to_bytes(text)
        holders = self._holding_segments(fieldname, btext)
        if not holders:
            return EMPTY
        if out_of_line(field.format):  # every segment's list read into one set of arrays, the values' places left
            extents = _kept(self._extents, (fieldname, btext),  # memory views of the lists' bytes
                            lambda: [terms.ool_extent(fieldname, btext, field.format) for terms, _offset in holders])
            if None not in extents and (found := ool_lists(extents, [offset for _terms, offset in holders], False)):
                every, weights, _starts, _ends, counts = found
                bounds = [0, *accumulate(counts.tolist())]
                parts = [(every[a:b], None, None, terms)
                         for (terms, _offset), a, b in zip(holders, bounds, bounds[1:], strict=False)]
                return self._live(every, weights, parts, every, (every, None, None, bounds), extents)
        ids, weights_of, parts = [], [], []
        for terms, offset in holders:
            seg_ids, seg_weights, offsets = terms.postings_ndarrays(fieldname, btext, field.format)
            if offset:
                seg_ids += offset
            ids.append(seg_ids)
            weights_of.append(seg_weights)
            if offsets is not None:  # a value ends where the next starts: govdocs lays a term's values back to back
                parts.append((seg_ids, offsets[:-1], offsets[1:], terms))
        all_ids, all_weights = ((ids[0], weights_of[0]) if len(ids) == 1
                                else (np.concatenate(ids), np.concatenate(weights_of)))
        return self._live(all_ids, all_weights, parts, all_ids if len(parts) == len(ids) else None)

    def _live(self, ids: np.ndarray, weights: np.ndarray, parts: list, every: np.ndarray | None,
              joined: tuple | None = None, extents: list | None = None) -> Postings:
        """The postings of the live documents of `ids` (the parts keep the deleted ones: their
        values lie between the others')."""
        if self.live is not None:
            keep = self.live[ids]
            ids, weights = ids[keep], weights[keep]
        return Postings(ids, weights, parts, every, joined, extents)

    def _holding_segments(self, fieldname: str, btext: bytes) -> list[tuple[OccTermsReader, int]]:
        """(terms reader, first global document number) of the segments whose lexicon holds
        the term, kept for the searcher's life (a segment never changes): a query for
        省人民政府 looks up some fifty terms, most of them in no segment or a few — every
        segment's table probed by one compiled call a term (`codec.TermTables`; ~6 µs a
        segment in Python, Whoosh's own ~7 µs)."""
        return _kept(self._holders, (fieldname, btext),
                     lambda: [self._terms_readers[i] for i in self._tables.holding(fieldname, btext)])

    # -- scoring ----------------------------------------------------------------------------

    def _lengths_of(self, reader, fieldname: str) -> bytes:
        """The quantised length byte of `fieldname` for every document of a segment."""
        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        n = reader.doc_count_all()
        raw = col._dbfile.get(col._basepos, min(col._count, n)) if col is not None else b""
        return bytes(raw) + bytes(n - len(raw))

    def _term_scores(self, fieldname: str, text: str, within: np.ndarray | None = None,
                     boost: float = 1.0) -> Scored:
        """The documents holding the term (those of the boolean array `within` only, when
        given) and their BM25F scores times `boost`."""
        p = self.postings(fieldname, text)
        ids, tf = p.ids, p.weights
        if within is not None and len(ids):
            keep = within[ids]
            ids, tf = ids[keep], tf[keep]
        if not len(ids):
            return EMPTY_SCORED
        field = self.schema[fieldname]
        if not field.scorable:
            return Scored.constant(ids, boost)
        idf, (K1, table, lengths) = self.searcher.idf(fieldname, text), self._norms(fieldname)
        # bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))), fl quantised —
        # the same operations in the same order as Whoosh's scorer, so the same float results
        scores = idf * ((tf * (K1 + 1)) / (tf + table[lengths[ids]]))
        if boost != 1:  # as Whoosh's matchers weigh a boosted query: the score, then times the boost
            scores *= boost
        return Scored(ids, scores)

    def _norms(self, fieldname: str) -> tuple[float, np.ndarray, np.ndarray]:
        """K1, BM25's K1 * ((1 - B) + B * length / avgfl) for each of the 256 quantised field
        lengths, and the quantised length byte of every document (global numbers) — the
        parameters `BM25F.scorer()` gives its scorer, worked out once per field and searcher.
        A document's value is looked up for the documents scored only: spread over every
        document as floats, it cost a fresh search ~5 ms for each text field at 1 GB."""
        if fieldname not in self._norms_by_doc:
            weighting = self.searcher.weighting
            B, K1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            table = np.array([K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)])
            lengths = b"".join(self._lengths_of(reader, fieldname) for reader, _offset in self.segments)
            self._norms_by_doc[fieldname] = (K1, table, np.frombuffer(lengths, dtype=np.uint8))
        return self._norms_by_doc[fieldname]

    # -- queries ----------------------------------------------------------------------------

    def mask(self, docs: Scored | np.ndarray | Iterable[int]) -> np.ndarray:
        """A boolean array over all documents, true for those of `docs`."""
        ids = docs.ids if isinstance(docs, Scored) else docs if isinstance(docs, np.ndarray) else np.fromiter(docs, IDS)
        out = np.zeros(self.doc_count, dtype=bool)
        out[ids] = True
        return out

    def run(self, query: Q.Query, within: Scored | np.ndarray | None = None) -> Scored:
        """Every live document matching `query`, with its score (only those in `within`, when
        given — matching documents, or a boolean array over all documents: the other operands
        of an AND, or the filter)."""
        if within is not None and not (isinstance(within, np.ndarray) and within.dtype == bool):
            within = self.mask(within)
        return self._run(query, within)

    def _run(self, query: Q.Query, within: np.ndarray | None) -> Scored:
        if isinstance(query, (Q.Term, Q.Phrase)):
            words = [query.text] if isinstance(query, Q.Term) else list(query.words)
            return self._phrase(query.fieldname, words, within, query.boost)
        if isinstance(query, Q.Or):
            return self._summed([self._run(child, within) for child in query.subqueries])
        if isinstance(query, Q.And):
            parts: list[Scored] = []
            for child in sorted(query.subqueries, key=self.cost):  # the cheapest narrows the rest
                parts.append(self._run(child, within))
                if not len(parts[-1]):
                    return EMPTY_SCORED
                within = self.mask(parts[-1])
            # each part holds only documents of the ones before it: the last holds the matches
            ids = parts[-1].ids
            total = _scores_at(parts[0], ids)
            for part in parts[1:]:
                total = total + _scores_at(part, ids)
            return Scored(ids, total)
        if isinstance(query, Q.AndNot):
            positive = self._run(query.a, within)
            if not len(positive):
                return positive
            negative = self._run(query.b, self.mask(positive))
            return positive.taken(~self.mask(negative)[positive.ids])
        if isinstance(query, Q.TermRange):
            found = Scored.constant(self._range(query))
        elif isinstance(query, Q.Every):
            found = Scored.constant(np.arange(self.doc_count, dtype=IDS) if self.live is None
                                    else np.flatnonzero(self.live).astype(IDS))
        elif query is Q.NullQuery:
            return EMPTY_SCORED
        else:
            raise UnsupportedQuery(f"cannot evaluate {type(query).__name__}: {query!r}")
        return found if within is None else found.taken(within[found.ids])

    def _summed(self, parts: list[Scored]) -> Scored:
        """Documents of any part; a document in several scores the sum, added part by part in
        order (the order Whoosh's union matcher adds them in)."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return EMPTY_SCORED
        if len(parts) == 1:
            return parts[0]
        size = sum(map(len, parts))
        if size * 16 > self.doc_count:  # dense: one slot per document of the index
            total = np.zeros(self.doc_count, dtype=np.float64)
            seen = np.zeros(self.doc_count, dtype=bool)
            for p in parts:
                total[p.ids] += p.scores  # a part's ids are unique: no slot is added twice
                seen[p.ids] = True
            ids = np.flatnonzero(seen).astype(IDS)
            return Scored(ids, total[ids])
        every = np.concatenate([p.ids for p in parts])
        order = np.argsort(every, kind="stable")
        ordered = every[order]
        first = np.concatenate(([True], ordered[1:] != ordered[:-1]))
        where = np.empty(len(every), dtype=IDS)
        where[order] = np.cumsum(first) - 1  # each posting's slot among the distinct documents
        total = np.zeros(int(first.sum()), dtype=np.float64)
        np.add.at(total, where, np.concatenate([p.scores for p in parts]))  # in order, one at a time
        return Scored(ordered[first], total)

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

    def _phrase(self, fieldname: str, words: list[str], within: np.ndarray | None = None,
                boost: float = 1.0) -> Scored:
        """Documents where `words` stand at consecutive positions, scored the sum of their
        words' scores (computed for those documents only) times `boost`; a single word is a term."""
        if len(words) == 1:
            return self._term_scores(fieldname, words[0], within, boost)
        lists = sorted((self.postings(fieldname, w).ids for w in words), key=len)
        if not all(map(len, lists)):
            return EMPTY_SCORED
        candidates = lists[0] if within is None else lists[0][within[lists[0]]]
        for ids in lists[1:]:
            candidates = common(candidates, ids)
        if not len(candidates):
            return EMPTY_SCORED
        matched = self._holding(fieldname, words, candidates)
        if not len(matched):
            return EMPTY_SCORED
        keep = self.mask(matched)
        total = self._term_scores(fieldname, words[0], keep).scores
        for w in words[1:]:
            total = total + self._term_scores(fieldname, w, keep).scores
        if boost != 1:
            total = total * boost
        return Scored(matched, total)

    def _holding(self, fieldname: str, words: list[str], candidates: np.ndarray) -> np.ndarray:
        """The documents of `candidates` (each holding every word) where the phrase stands.
        Where a word stands many times in each document — 服务 through long plans, 省 before
        every 人民政府 — the phrase is looked for first among that word's first HEAD places in
        each document (the other words' places as far as the phrase could stand), and all places
        are read only in the documents where it was not found there: a phrase found in part of
        the text is there. The words are taken fewest places first (`postings.held_phrase`),
        counted over all the candidates (the second pass too: an order, not a total)."""
        shifts = self.phrase_shifts(words)
        postings = [self.postings(fieldname, w) for w in words]
        places = [int(p.weights[np.searchsorted(p.ids, candidates)].sum()) for p in postings]
        heads = [HEAD if n > 2 * HEAD * len(candidates) else None for n in places]
        if any(head is not None for head in heads):
            # a head pass makes at most HEAD keys a document
            bounded = [n if head is None else min(n, head * len(candidates)) for n, head in zip(places, heads, strict=True)]
            early = held_phrase(postings, shifts, candidates, bounded, heads)
            unsure = np.ones(len(candidates), dtype=bool)
            unsure[early] = False
            rest = candidates[unsure]
            later = rest[held_phrase(postings, shifts, rest, places)] if len(rest) else NO_IDS
            return union(candidates[early], later)
        return candidates[held_phrase(postings, shifts, candidates, places)]

    def _range(self, query: Q.TermRange) -> np.ndarray:
        if query.fieldname in self.schema and _by_column(self.schema[query.fieldname]):
            start = query.start
            held = self._in_column(query.fieldname, start, query.end, query.startexcl, query.endexcl)
            if start is None or (start == "" and not query.startexcl):  # "" is below every value: its postings too
                held = union(held, self.postings(query.fieldname, "").ids)
            return held
        found = [self.postings(query.fieldname, term).ids for term in self._terms_between(query)]
        return distinct(np.sort(np.concatenate(found))) if found else NO_IDS

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

    def _column_area(self, segment: int, fieldname: str) -> tuple[np.ndarray, bytes, int, int]:
        """(value number per document, as narrow as the column keeps them (`_native`); the
        distinct values' area: its bytes, where the first value starts, how many) of a
        `RefBytesColumn` field in one segment (`codec.column_bytes`); a segment where no
        document has a value: every number 0, one value, the empty one."""
        key = (segment, fieldname)
        if key not in self._areas:
            reader, _offset = self.segments[segment]
            if not reader.has_column(fieldname):
                self._areas[key] = (np.zeros(reader.doc_count_all(), dtype=np.uint8), b"\0", 0, 1)
            else:
                raw, typecode, data, at, count = column_bytes(reader._perdoc, fieldname)
                self._areas[key] = (_native(raw, typecode), data, at, count)
        return self._areas[key]

    def _column(self, segment: int, fieldname: str) -> tuple[np.ndarray, list]:
        """(value number per document, values as the field reads them: None for the empty one)
        of a `RefBytesColumn` field in one segment."""
        key = (segment, fieldname)
        if key not in self._columns:
            refs, data, at, count = self._column_area(segment, fieldname)
            self._columns[key] = (refs, _column_values(self.schema[fieldname], column_values(data, at, count)))
        return self._columns[key]

    def _sortable(self, segment: int, fieldname: str) -> tuple[np.ndarray, np.ndarray | list[bytes]]:
        """(value number per document, the distinct values as UTF-8 bytes, which compare as
        their strings do: `sortable_values`) of a `RefBytesColumn` field in one segment."""
        key = (segment, fieldname)
        if key not in self._texts:
            refs, data, at, count = self._column_area(segment, fieldname)
            self._texts[key] = (refs, sortable_values(data, at, count))
        return self._texts[key]

    def _by_segment(self, docs: np.ndarray):
        """(segment, local numbers) for ascending global document numbers."""
        cuts = np.searchsorted(docs, [offset for _reader, offset in self.segments] + [self.doc_count])
        for s, (_reader, offset) in enumerate(self.segments):
            lo, hi = cuts[s], cuts[s + 1]
            if lo < hi:
                yield s, docs[lo:hi] - offset

    def occurrences(self, fieldname: str, text: str, docnum: int):
        """(positions, start characters, end characters) of the term in the document."""
        value = self.postings(fieldname, text).value_of(docnum)
        return occurrence_arrays(value) if value else None

    def facet_counts(self, fieldname: str, docs: np.ndarray) -> Counter:
        """How many of `docs` (ascending global numbers) have each value of the column."""
        counts: Counter = Counter()
        for s, local in self._by_segment(np.asarray(docs, dtype=IDS)):
            refs, values = self._column(s, fieldname)
            found = np.bincount(refs[local], minlength=len(values))
            for ref in np.flatnonzero(found).tolist():
                counts[values[ref]] += int(found[ref])
        return counts

    def compared(self, fieldname: str, docs: np.ndarray, value: str) -> np.ndarray:
        """How each document's column value (`docs`: ascending global numbers) compares with
        `value` as strings: -1 below, 0 equal, 1 above, 2 none (no value, or empty) — an
        int8 array, worked out on the column's distinct values (`value_codes`) and gathered by
        value number."""
        out = np.empty(len(docs), dtype=np.int8)
        done = 0
        for s, local in self._by_segment(np.asarray(docs, dtype=IDS)):
            refs, texts = self._sortable(s, fieldname)
            out[done:done + len(local)] = value_codes(texts, value)[refs[local]]
            done += len(local)
        return out

    def _in_column(self, fieldname: str, low: str | None, high: str | None, low_excluded: bool = False,
                   high_excluded: bool = False) -> np.ndarray:
        """The live documents (ascending global numbers) whose column value lies between `low`
        and `high` (None: unbounded; each bound itself in unless excluded) — a value's
        documents when both are that value."""
        found = []
        for s, (_reader, offset) in enumerate(self.segments):
            refs, texts = self._sortable(s, fieldname)
            wanted = np.ones(len(texts), dtype=bool)
            if low is not None:
                codes = value_codes(texts, low)
                wanted &= (codes == 1) | ((codes == 0) & (not low_excluded))
            if high is not None:
                codes = codes if high == low else value_codes(texts, high)  # a term: one comparison
                wanted &= (codes == -1) | ((codes == 0) & (not high_excluded))
            if low is None and high is None:
                wanted &= value_codes(texts, "") != 2
            if wanted.any():
                found.append(np.flatnonzero(wanted[refs]) + offset)
        ids = (np.concatenate(found) if len(found) > 1 else found[0]).astype(IDS) if found else NO_IDS
        return ids[self.live[ids]] if self.live is not None and len(ids) else ids

    def values_of(self, fieldname: str, docs) -> list:
        """The column value of each document (ascending global numbers), in order."""
        out: list = []
        for s, local in self._by_segment(np.asarray(docs, dtype=IDS)):
            refs, values = self._column(s, fieldname)
            out.extend(map(values.__getitem__, refs[local].tolist()))
        return out


def _kept(cache: dict, key, make: Callable):
    """`cache[key]`, made by `make()` the first time; a cache of a searcher's life (its segments
    never change), emptied once it holds `OccTermsReader.TERM_INFO_CACHE` entries."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= OccTermsReader.TERM_INFO_CACHE:
            cache.clear()
        found = cache[key] = make()
    return found


def _native(raw, typecode: str) -> np.ndarray:
    """A column's value numbers (big-endian, `typecode` wide) as a native array of that width:
    one byte a number is the mapped bytes themselves, wider ones swapped once. Widening them
    to int64 (the gathers and `bincount` take any integer array) wrote 8 bytes a document for
    every column a search reads — at 1 GB, 6 columns × 32 segments for the status facet alone."""
    stored = np.dtype(typecode).newbyteorder(">")
    refs = np.frombuffer(raw, dtype=stored)
    return refs if stored.itemsize == 1 else refs.astype(stored.newbyteorder("="))


def _column_values(field, uniques: list[bytes]) -> list:
    """A column's distinct values as the field reads them (None for the empty one): an ID's
    are UTF-8, decoded all at once (a value at a time, through the field, cost ~0.6 µs each:
    37,000 values, 22 ms of a fresh search with facets at 1 GB)."""
    if isinstance(field, fields.ID) and uniques:
        joined = b"\0".join(uniques)
        if joined.count(b"\0") == len(uniques) - 1:  # no value holds the separator
            return [v or None for v in joined.decode("utf-8").split("\0")]
    return [field.from_column_value(u) if u else None for u in uniques]


def sortable_values(data: bytes, at: int, count: int) -> np.ndarray | list[bytes]:
    """A column's `count` distinct values laid out in `data` from `at` (`codec.column_bytes`)
    as a NumPy bytes array: UTF-8 bytes compare as their strings do (byte order is code-point
    order), so comparing them with a value is one array operation — no decoding, no sorting (a
    date column of 32 segments holds ~32,000 values at 1 GB: decoded, arrayed and sorted as
    strings, ~20 ms of a fresh `--facets` search; as bytes, ~1 ms). Equally long values (a date
    column) are viewed from the bytes as they lie. NumPy's bytes drop trailing NULs, so a
    column with a NUL in a value stays a list, compared in Python."""
    if (layout := same_length(data, at, count)) is not None:
        empty, first, width = layout
        n = count - empty
        cells = np.frombuffer(data, dtype=np.uint8, count=n * (width + 1), offset=first).reshape(n, width + 1)[:, 1:]
        if cells.all():
            texts = np.ascontiguousarray(cells).view(f"S{width}").ravel()
            return np.concatenate((np.zeros(1, dtype=texts.dtype), texts)) if empty else texts
    values = column_values(data, at, count)
    if any(b"\0" in v for v in values):
        return values
    return np.array(values, dtype=np.bytes_) if values else np.zeros(0, dtype="S1")


def value_codes(texts: np.ndarray | list[bytes], value: str) -> np.ndarray:
    """How each of a column's distinct values (`sortable_values`) compares with `value` as
    strings: -1 below, 0 equal, 1 above, 2 for the empty one (no value) — int8."""
    key = value.encode("utf-8", "surrogatepass")
    if isinstance(texts, np.ndarray) and b"\0" not in key:
        codes = np.where(texts < key, -1, np.where(texts == key, 0, 1)).astype(np.int8)
        codes[texts == b""] = 2
        return codes
    return np.array([2 if not t else (t > key) - (t < key) for t in texts], dtype=np.int8)


def _by_column(field) -> bool:
    """A field whose documents holding a term are read from its column (one value number a
    document: `Evaluator._in_column`) rather than its posting lists — an unscored field with
    a `RefBytesColumn` (the facets, the dates), whose terms are its column's values (but "",
    which the column cannot tell from no value: that term is read from its postings). At 1 GB
    `--kind chronicle` read ~200,000 postings from pickled, zlib'd blocks (35 ms); the column
    gives them in ~1 ms."""
    return not field.scorable and isinstance(field.column_type, columns.RefBytesColumn)


def _scores_at(part: Scored, ids: np.ndarray) -> np.ndarray:
    """`part`'s scores of `ids` (every one of which it holds)."""
    if len(part.ids) == len(ids):
        return part.scores
    return part.scores[np.searchsorted(part.ids, ids)]


#: a phrase word standing more than 2 × HEAD times a candidate document on average is read for
#: each document's first HEAD places first (`Evaluator._holding`)
HEAD = 16


def top_by_score(matches: Scored, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score): higher score first, then lower document number."""
    n = len(matches)
    if not n or limit <= 0:
        return []
    ids, scores = matches.ids, matches.scores
    if n > limit:  # the documents scoring at least the limit-th best score (ties included)
        keep = scores >= np.partition(scores, n - limit)[n - limit]
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:limit]
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


def top_by_value(evaluator: Evaluator, fieldname: str, matches: Scored, limit: int) -> list[tuple[int, float]]:
    """The `limit` documents with the greatest column value (missing values last), then by
    lower document number."""
    docs = matches.ids.tolist()
    keyed = [(v is not None, v or "", -d) for d, v in zip(docs, evaluator.values_of(fieldname, matches.ids), strict=True)]
    score_of = dict(zip(docs, matches.scores.tolist(), strict=True))
    return [(-k[2], score_of[-k[2]]) for k in heapq.nlargest(limit, keyed)]
