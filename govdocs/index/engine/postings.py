"""One term's postings over the whole index, and the phrase check on them.

`Postings` holds a term's live documents and weights and, for a text field, where each
document's value lies in its segment's occurrence file — the parts (segments) as slices of one
run when the reader made them at once (`block_format.ool_lists`), where the values lie then
read only for the documents a phrase or a snippet asks about (`Postings._values_at`:
`block_format.ool_values` decodes the blocks that hold them). A phrase's places are checked on
them (`held_phrase`): the rarest word's positions make the places the phrase could start
(`Postings.phrase_keys`), and each further word keeps those it stands after
(`Postings.having`, in C where `_positions.c` was built). The set operations on ascending
arrays the evaluator combines queries with are here too (NumPy's own import `numpy.ma` on
first use, ~50 ms of a search command).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from govdocs.index.engine.block_format import ool_values
from govdocs.index.engine.codec import OccTermsReader
from govdocs.index.engine.occurrences import DamagedValue, keys_having, positions_in

#: document numbers' type, and empty arrays of numbers and of scores
IDS = np.int64
NO_IDS = np.zeros(0, dtype=IDS)
NO_SCORES = np.zeros(0, dtype=np.float64)


@dataclass
class Postings:
    """One term's postings over the whole index: ascending global document numbers and
    weights of the live documents; for a text field, where each document's occurrences are."""

    ids: np.ndarray
    weights: np.ndarray
    #: per segment holding the term: (its global document numbers incl. deleted ones, where
    #: their values start and end in the occurrence file — both None when left unread, see
    #: `extents` — the segment's terms reader)
    parts: list[tuple[np.ndarray, np.ndarray | None, np.ndarray | None, OccTermsReader]]
    #: the parts' document numbers as one array, when the reader made it anyway (`_joined`)
    every: np.ndarray | None = field(default=None, repr=False)
    #: the parts as one run (`_joined`), when the reader made them so
    joined: tuple[np.ndarray, np.ndarray | None, np.ndarray | None, list[int]] | None = field(default=None, repr=False)
    #: the parts' posting lists as bytes, when the reader left where their values lie unread
    #: (the parts' and the run's starts and ends None): `_values_at` reads the few a phrase or
    #: a snippet wants, instead of 16 bytes a posting for all of them
    extents: list | None = field(default=None, repr=False)
    #: each part's first document number (`_locate`)
    _firsts: list[int] | None = field(default=None, repr=False)

    def _locate(self, docnum: int) -> tuple[memoryview, int, int] | None:
        """(occurrence file, start, end) of the document's value: looked for in the one part
        (segment) whose numbers it falls among (a hit's marks look up ~20 values, each in a
        part of 32 at 1 GB)."""
        if self._firsts is None:
            self._firsts = [int(ids[0]) for ids, _starts, _ends, _terms in self.parts]
        k = bisect.bisect_right(self._firsts, docnum) - 1
        if k < 0:
            return None
        ids, starts, ends, terms = self.parts[k]
        i = int(ids.searchsorted(docnum))
        if i < len(ids) and ids[i] == docnum:
            if starts is None or ends is None:  # read from the one list (segment) that holds it
                first, last = _values([(self.extents or [])[k]], np.array([i], dtype=np.int64))
                return terms.occurrences, int(first[0]), int(last[0])
            return terms.occurrences, int(starts[i]), int(ends[i])
        return None

    def _values_at(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the values of the postings at `at` (ascending indexes in the parts as one
        run, `_joined`) start and end in their occurrence files."""
        _ids, starts, ends, _bounds = self._joined()
        if starts is not None and ends is not None:
            return starts[at], ends[at]
        return _values(self.extents or [], at)

    def phrase_keys(self, docs: np.ndarray, shift: int, head: int | None = None, inside: bool = False) -> np.ndarray:
        """Where the phrase would start if this term is its word standing `shift` positions
        after the first, in the documents of `docs` (ascending global numbers): one key per
        occurrence, (the index in `docs` of the document << 32) + position − shift, ascending
        (documents in order; a value keeps its positions ascending). A start before the text
        (position < shift) makes a key no first word has (the first word's shift is 0): it is
        left in (it falls among the document before's keys), or out with `inside`. With
        `head`, each document's first places only. Decoded from the mapped occurrence files of
        every segment at once, in whole-array operations (`occurrences.positions_in`;
        `_values_in`)."""
        if not len(docs):
            return NO_IDS
        held, values = self._values_in(docs)
        if not values:
            return NO_IDS
        counts, found = positions_in(values, head)  # every segment's values decoded at once
        documents = np.repeat(np.flatnonzero(held) << 32, counts)
        if inside and shift and len(found) and found.min() < shift:
            kept = found >= shift
            found, documents = found[kept], documents[kept]
        found += documents - shift
        if len(found) > 1 and (found[1:] < found[:-1]).any():  # not written in order: never seen, but cheap to check
            found.sort()
        return found

    def having(self, keys: np.ndarray, docs: np.ndarray, shift: int, head: int | None = None) -> np.ndarray:
        """The keys of `keys` (ascending `phrase_keys` of the phrase's other words, in the
        documents of `docs`) that this word, standing `shift` positions after the first, has
        too (with `head`: among each document's first places). Only the documents the keys are
        in are read, each value no further than its document's last key (`keys_having`); where
        that cannot be, this word's keys are made and intersected with them."""
        if len(keys):
            labels = distinct(keys >> 32)  # keys of starts inside the text (`phrase_keys`' `inside`)
            held, values = self._values_in(docs[labels])
            labels = labels[held]
            cuts = np.cumsum([0, *(len(part_starts) for _occ, part_starts, _ends in values)]).tolist()
            marks = keys_having([(occ, part_starts, part_ends, labels[lo:hi])
                                 for (occ, part_starts, part_ends), lo, hi in zip(values, cuts, cuts[1:], strict=False)],
                                keys, shift, head)
            if marks is not None:
                return keys[marks]
        return common(keys, self.phrase_keys(docs, shift, head))

    def _values_in(self, docs: np.ndarray) -> tuple[np.ndarray, list]:
        """Which of `docs` (ascending global numbers) hold the term, and where their values
        are: (occurrence file, starts, ends) for each segment that holds some, in order — the
        documents found in all segments' postings at once (`_joined`: at 1 GB a segment at a
        time cost a phrase ~150 NumPy calls a word)."""
        ids, _starts, _ends, bounds = self._joined()
        if not len(ids):
            return np.zeros(len(docs), dtype=bool), []
        at = np.searchsorted(ids, docs)
        at[at == len(ids)] = 0
        held = ids[at] == docs
        at = at[held]
        first, last = self._values_at(at)
        cuts = np.searchsorted(at, bounds).tolist()  # where each segment's postings begin among them
        return held, [(terms.occurrences, first[lo:hi], last[lo:hi])
                      for (_ids, _starts, _ends, terms), lo, hi in zip(self.parts, cuts, cuts[1:], strict=False)
                      if lo < hi]

    def _joined(self) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, list[int]]:
        """Every segment's postings of the term as one run (kept for the query): the global
        document numbers (deleted ones too), each value's start and end in its segment's
        occurrence file (None: left unread, `_values_at`), and where each segment's postings
        begin (and the last ends)."""
        if self.joined is None:
            bounds = [0]
            for ids, _starts, _ends, _terms in self.parts:
                bounds.append(bounds[-1] + len(ids))
            if not self.parts:
                self.joined = (NO_IDS, NO_IDS, NO_IDS, bounds)
            elif len(self.parts) == 1:
                ids, starts, ends, _terms = self.parts[0]
                self.joined = (ids, starts, ends, bounds)
            else:
                every = self.every if self.every is not None else np.concatenate([p[0] for p in self.parts])
                self.joined = (every, np.concatenate([p[1] for p in self.parts]),
                               np.concatenate([p[2] for p in self.parts]), bounds)
        return self.joined

    def value_of(self, docnum: int) -> bytes | None:
        found = self._locate(docnum)
        if found is None:
            return None
        occ, start, end = found
        return occ[start:end].tobytes()


EMPTY = Postings(NO_IDS, NO_SCORES, [])


def _values(extents: list, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`block_format.ool_values`, which knows the lists the same reader read before: where
    it does not, they changed under the searcher."""
    found = ool_values(extents, at)
    if found is None:
        raise DamagedValue("a posting list changed under the searcher")
    return found


def held_phrase(postings: list[Postings], shifts: list[int], candidates: np.ndarray, places: list[int],
                heads: list[int | None] | None = None) -> np.ndarray:
    """The indexes in `candidates` of the documents holding the phrase (with `heads`, a word
    that has one is read at each document's first places only). The keys of the word with the
    fewest `places` are made (`Postings.phrase_keys`: where the phrase would start for each of
    its occurrences), then kept where each further word, fewest places first, has them too
    (`Postings.having`): a common word is read only where a rarer one left a key."""
    heads = heads or [None] * len(postings)
    order = sorted(range(len(postings)), key=places.__getitem__)
    keys = postings[order[0]].phrase_keys(candidates, shifts[order[0]], heads[order[0]], inside=True)
    for i in order[1:]:
        if not len(keys):
            break
        keys = postings[i].having(keys, candidates, shifts[i], heads[i])
    return distinct(keys >> 32)  # the keys ascend: so do their documents


def distinct(a: np.ndarray) -> np.ndarray:
    """An ascending array without repeats."""
    if len(a) < 2:
        return a
    new = a[1:] != a[:-1]
    return a if new.all() else a[np.concatenate(([True], new))]


def union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of either ascending array, ascending, once each. (NumPy's set functions are
    not used: their first call imports `numpy.ma`, ~50 ms of a search command.)"""
    both = np.concatenate((a, b))
    both.sort(kind="stable")  # two ascending runs: a merge
    return distinct(both)


def common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both ascending arrays, ascending, once each: binary search of the much
    shorter one in the other, else one merge (a stable sort of two ascending runs is a merge)."""
    if not len(a) or not len(b):
        return NO_IDS
    a, b = distinct(a), distinct(b)
    if len(a) * 8 < len(b):
        at = np.searchsorted(b, a)
        at[at == len(b)] = 0
        return a[b[at] == a]
    both = np.concatenate((a, b))
    both.sort(kind="stable")
    return both[:-1][both[1:] == both[:-1]]
