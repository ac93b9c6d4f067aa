"""Every word the analysis has met, numbered, and the terms each gives — so that a text's
occurrences are found with array operations instead of a Python loop over its words.

The analysis (`analyzer.Analysis`) turns each word jieba cuts into its term and its sub-words
(`analyzer._classify`, once per distinct word). A `WordTable` keeps that answer as arrays: a
word's kind (indexable, white space, punctuation), its length, and its *expansion* — the terms
it gives, the word's own first, each with where it starts and ends inside the word. A text's
words become one array of word numbers (a dictionary look-up per word, in C); their offsets,
positions (offsets less the white space before) and every term occurrence then come from
cumulative sums, `repeat` and gathers over those arrays, in the order `Analysis` emits them
(word by word, a word's own term before its sub-words). `grouped` orders the occurrences
term by term, terms in the order of their first occurrence, as the analysis' dictionary of
lists did.

The arrays grow by doubling; a table lives as long as its `Analysis` (one per indexing
process), so each word is classified once.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, repeat
from types import ModuleType

import numpy as np

from govdocs.index.engine import encode_grouped

#: the compiled postings maker, built from _wordtable.c where govdocs was installed with a C
#: compiler (setup.py); None: `WordTable.columns` takes the NumPy route, the same values
compiled: ModuleType | None
try:
    from govdocs.index import _wordtable as compiled
except ImportError:
    compiled = None
#: `WordTable.batch` works: `_wordtable` was built from a source that has it (a checkout
#: updated without rebuilding keeps an older one, whose `columns` still serves)
batched = compiled is not None and hasattr(compiled, "batch")

#: a word's kind
INDEXED, SPACE, PUNCT = 0, 1, 2
#: (term, sub-words as (sub-word, start, end) inside the word) of an indexable word, or the
#: kind of one that gives no term (SPACE, PUNCT)
Classified = tuple[str, tuple[tuple[str, int, int], ...]] | int
#: a text's terms, how often each occurs, and each one's encoded posting value
Columns = tuple[list[str], list[int], list[bytes]]


class WordTable:
    """Words → numbers → their kinds, lengths and expansions (`analyse`)."""

    def __init__(self, classify: Callable[[str], Classified]) -> None:
        self._classify = classify
        self.ids: dict[str, int] = {}
        #: term number → term
        self.terms: list[str] = []
        self._term_ids: dict[str, int] = {}
        self._words = 0
        self._expanded = 0
        self.kind: np.ndarray = np.zeros(1024, np.int8)
        self.length: np.ndarray = np.zeros(1024, np.int64)
        #: where a word's expansion starts in the `exp_*` arrays, and how many terms it has
        self.first: np.ndarray = np.zeros(1024, np.int64)
        self.count: np.ndarray = np.zeros(1024, np.int64)
        self.exp_term: np.ndarray = np.zeros(4096, np.int64)
        self.exp_start: np.ndarray = np.zeros(4096, np.int64)
        self.exp_end: np.ndarray = np.zeros(4096, np.int64)

    def columns(self, cuts: list[list[str]], lengths: list[int]) -> list[Columns] | None:
        """Each text's terms (in the order they first occur), how often each occurs and its
        encoded posting value, given the words jieba cut from each text (covering it end to
        end: lists of str) and its length (an int); None if some text's words do not add up
        to its length. In C (`_wordtable.columns`: each text's words walked once) where it
        was built, else by NumPy over the whole batch (`analyse`, `grouped`,
        `encode_grouped`)."""
        if compiled is None:
            return self._numpy_columns(cuts, lengths)
        return compiled.columns(self._numbers(cuts), cuts, lengths, *self._tables(), self.terms)

    def batch(self, cuts: list[list[str]], lengths: list[int]) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes] | None:
        """`columns()` as `_wordtable.batch`'s six buffers — per text its number of (term,
        value) pairs and of occurrences; per pair its term number (in `terms`), count and
        value end; the values — with no Python object a posting, for `_bulk.Pool.add_batch`.
        In C only: None where it was not built, as where some text's words do not add up."""
        if compiled is None or not batched:
            return None
        return compiled.batch(self._numbers(cuts), cuts, lengths, *self._tables(), len(self.terms))

    def _numbers(self, cuts: list[list[str]]) -> np.ndarray:
        """The number of every word of `cuts`, text after text, words not met before numbered."""
        assert compiled is not None  # the callers' route where it was built
        raw, unknown = compiled.lookup(cuts, self.ids)
        numbers = np.frombuffer(raw, np.int64)
        if unknown:
            self._known(numbers, list(chain.from_iterable(cuts)))
        return numbers

    def _tables(self) -> tuple[np.ndarray, ...]:
        """The tables' filled parts (views: no stale slot read), in `_wordtable`'s order."""
        w, e = self._words, self._expanded
        return (self.kind[:w], self.length[:w], self.first[:w], self.count[:w], self.exp_term[:e],
                self.exp_start[:e], self.exp_end[:e])

    def _known(self, numbers: np.ndarray, words: list[str]) -> None:
        """Number the words not met before (those numbered -1; `words`: every word, in the
        order of `numbers`), in place."""
        new = np.flatnonzero(numbers < 0)
        fresh = list(map(words.__getitem__, new.tolist()))
        self._add(fresh)
        numbers[new] = np.fromiter(map(self.ids.__getitem__, fresh), np.int64, len(fresh))

    def _numpy_columns(self, cuts: list[list[str]], lengths: list[int]) -> list[Columns] | None:
        found = self.analyse(cuts, lengths)
        if found is None:
            return None
        text_of, term_ids, positions, starts, ends = found
        n_terms = len(self.terms)
        order, bounds, keys = grouped(text_of * n_terms + term_ids)
        values = encode_grouped(positions[order], starts[order], ends[order], bounds)
        counts = np.diff(bounds).tolist()
        terms = list(map(self.terms.__getitem__, (keys % n_terms).tolist()))
        cut_at = np.searchsorted(keys // n_terms, np.arange(len(cuts) + 1)).tolist()
        return [(terms[a:b], counts[a:b], values[a:b]) for a, b in zip(cut_at, cut_at[1:], strict=False)]

    def analyse(self, cuts: list[list[str]], lengths: list[int]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """The term occurrences of several texts, given each text's words as jieba cut them
        (covering it end to end) and its length: each occurrence's text (its index), term
        number, position, start and end (counted from its text's start; a position leaves out
        the white space before it in its text) — text by text, word by word, each word's own
        term first. None if some text's words do not add up to its length."""
        n_words = np.fromiter(map(len, cuts), np.int64, len(cuts))
        words = list(chain.from_iterable(cuts))
        ids = np.fromiter(map(self.ids.get, words, repeat(-1)), np.int64, len(words))
        if len(ids) and ids.min() < 0:  # words not met before: classified, then looked up again alone
            self._known(ids, words)
        del words
        text_lengths = np.array(lengths, np.int64)
        text_ends = np.cumsum(text_lengths)
        word_lengths = self.length[ids]
        word_ends = np.cumsum(word_lengths)
        last_words = np.cumsum(n_words) - 1
        if (n_words < 1).any() or (word_ends[last_words] != text_ends).any():
            return None
        text_of_word = np.repeat(np.arange(len(cuts)), n_words)
        starts = word_ends - word_lengths - (text_ends - text_lengths)[text_of_word]
        kind = self.kind[ids]
        white = np.where(kind == SPACE, word_lengths, 0)
        white_through = np.cumsum(white)
        first_words = last_words - n_words + 1
        white_through -= (white_through - white)[first_words][text_of_word]  # counted from its text's start
        kept = np.flatnonzero(kind == INDEXED)
        words_kept = ids[kept]
        word_starts = starts[kept]
        positions = word_starts - white_through[kept]  # a kept word is no white space: what stood before it
        count = self.count[words_kept]
        # the k-th term of the i-th kept word sits at first[word] + k of the expansion arrays
        before = np.cumsum(count) - count
        at = np.repeat(self.first[words_kept] - before, count) + np.arange(int(count.sum()))
        inner_start = self.exp_start[at]
        base = np.repeat(word_starts, count)
        return (np.repeat(text_of_word[kept], count), self.exp_term[at], np.repeat(positions, count) + inner_start,
                base + inner_start, base + self.exp_end[at])

    def _add(self, words: list[str]) -> None:
        for word in dict.fromkeys(words):
            if word not in self.ids:
                self._add_word(word)

    def _add_word(self, word: str) -> None:
        found = self._classify(word)
        w = self._words
        if w == len(self.kind):
            self.kind, self.length, self.first, self.count = (
                np.resize(a, 2 * w) for a in (self.kind, self.length, self.first, self.count))
        self.kind[w], self.length[w] = (INDEXED if isinstance(found, tuple) else found), len(word)
        self.first[w] = self._expanded
        expansion = [(found[0], 0, len(word)), *found[1]] if isinstance(found, tuple) else []
        self.count[w] = len(expansion)
        needed = self._expanded + len(expansion)
        if needed > len(self.exp_term):
            size = max(needed, 2 * len(self.exp_term))
            self.exp_term, self.exp_start, self.exp_end = (
                np.resize(a, size) for a in (self.exp_term, self.exp_start, self.exp_end))
        for term, start, end in expansion:
            t = self._term_ids.get(term)
            if t is None:
                t = self._term_ids[term] = len(self.terms)
                self.terms.append(term)
            e = self._expanded
            self.exp_term[e], self.exp_start[e], self.exp_end[e] = t, start, end
            self._expanded += 1
        self.ids[word] = w
        self._words += 1


def grouped(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, bounds, group terms): `order` takes the occurrences term by term — terms in
    the order of their first occurrence, each term's occurrences in their own order —
    `bounds` (one more than the terms) cut it into the terms' runs, `group terms` names them."""
    if not len(terms):
        return terms, np.zeros(1, np.int64), terms
    by_term = np.argsort(terms, kind="stable")
    sorted_terms = terms[by_term]
    heads = np.flatnonzero(np.concatenate(([True], sorted_terms[1:] != sorted_terms[:-1])))
    sizes = np.diff(np.append(heads, len(terms)))
    firsts = by_term[heads]  # each term's first occurrence (stable: its run's head)
    runs = np.argsort(firsts)
    sizes = sizes[runs]
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    # the runs laid end to end in first-occurrence order
    at = np.repeat(heads[runs] - bounds[:-1], sizes) + np.arange(len(terms))
    return by_term[at], bounds, sorted_terms[heads[runs]]
