"""The Whoosh analyzer: jieba words and their dictionary sub-words, at character positions.

A token's *position* is its compact character offset: how many non-white-space characters
stand before it in the field. A word's *sub-words* — every dictionary word of two or more
characters inside it, e.g. 青海 / 人民 / 政府 / 人民政府 / 办公厅 inside 青海省人民政府办公厅 —
are emitted at their own positions inside the word, with exact `startchar`/`endchar`. So a
search for 政府 finds 青海省人民政府, and a phrase matches wherever its words stand next to
each other in the text, at word or sub-word boundaries alike: word k of a phrase must stand at
the first word's position plus the lengths of the words before it. `"人民政府 办公厅"` thus finds
青海省人民政府办公厅, whether jieba cut 人民政府办公厅 into words or kept it as one. Line wraps
(white space) do not count, so a phrase runs across them; punctuation counts without being
indexed, so a phrase does not run across a comma. A word that is not in the dictionary — jieba's
HMM joins unknown runs, often a name and the next character (刘宁作 in 省长刘宁作题为…) — has
*every* part of one or more characters as a sub-word, single characters included, so 刘宁 is still found there and the
委 of 国家发展改革委副主任 (cut 国家/发展/改革/委副/主任) stands where a phrase wants it.

A dictionary word of three or more characters that ends like a place or an organ (省, 市, 县,
局, 委 … `NAME_ENDS`) also gives that last character: a query word can begin there and run into
the next word (省政府 in 青海省|政府, found as the phrase 省 / 政府) — jieba's longest match cuts
names off exactly there. That character's term is marked (`NAME_END_MARK`), so it does not
lengthen the postings of 省 printed alone.

Full-width letters, digits and the symbols jieba joins into words (Ａ１２．－) are folded to
ASCII, and traditional characters to simplified ones (OpenCC's character table, `fold.py`),
before segmentation — one character for one, so offsets do not move — and terms are
lower-cased; there is no stemmer and no stop list. Queries (`mode="query"`) get words only,
no sub-words.

Indexing analyses a batch of records at once (`Analysis.many_columns`, from
`BulkWriter.add_documents`): the words jieba cuts are numbered in a `word_table.WordTable`
(each word classified once: its term, sub-words and kind), and every occurrence, position and
offset of the batch comes from those numbers, grouped by text and term and encoded
(`WordTable.columns`: in C where it was built, else by array operations and
`engine.encode_grouped`) — the postings the loop over words (`_columns_by_loop`, still used
for a short text analysed alone and, piece by piece, for a text over `PIECE` characters) gives,
at a fraction of its CPU. Where the C parts were built, the bulk writer has them filed straight
into its `Pool` (`Analysis.file_many`: `WordTable.batch` lays the batch's postings out in
buffers, `Pool.add_batch` files them), with no Python object made a posting.

`JiebaTokenizer` implements Whoosh's tokenizer protocol (reused `Token`, `positions`,
`chars`, `start_pos`, `start_char`, `keeporiginal`, `tokenize=False`, `mode`). `JiebaText`
is a `TEXT` field whose `index()` produces the same postings without a `Token` per word —
indexing speed depends on it; a test checks both give identical postings.
"""

from __future__ import annotations

import enum
import re  # the standard module: importing `regex` would lengthen every search command (docs/performance.md)
from array import array
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import accumulate, repeat
from operator import floordiv, mul
from typing import Final, Protocol

from whoosh import fields
from whoosh.analysis import Token, Tokenizer

from govdocs.index import word_table
from govdocs.index.engine import Occurrences, encode_flat
from govdocs.index.fold import fold_many, fold_wide, fold_words
from govdocs.index.segmenter import shared_segmenter
from govdocs.index.word_table import PUNCT, SPACE, WordTable

#: U+4E00–9FFF, all of it \p{Han} (a test checks): most Han runs are decided without `regex`
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: punctuation, none of it \p{Han}, \p{L} or \p{N} (a test checks)
_PUNCTUATION = frozenset("。，、；：？！“”‘’（）《》〔〕【】—…·「」『』,.;:?!\"'()[]{}<>-_/\\|@#$%^&*+=~`")


class _NotIndexed(enum.Enum):
    """What a word that gives no term is (the per-word cache holds it instead of a term)."""

    SPACE = 0
    PUNCT = 1


#: module-level names, compared with `is` in the loops (Final: mypy narrows the cache's union on them)
_SPACE: Final = _NotIndexed.SPACE
_PUNCT: Final = _NotIndexed.PUNCT
#: a sub-word inside a word: (sub-word, start, end), offsets into the word
SubWord = tuple[str, int, int]
#: the per-word cache's entry: (term, sub-words) of an indexable word, or what the word is
WordInfo = tuple[str, tuple[SubWord, ...]] | _NotIndexed
#: the last characters of place and organ names (青海省, 西宁市, 国资委, 教育厅 …)
NAME_ENDS = frozenset("省市县区州盟旗乡镇村局委厅部办院署处")
#: marks the term of such a last character (\x01省), apart from the word 省 printed alone: a
#: query for 省 or a phrase starting with it does not read every 青海省
NAME_END_MARK = "\x01"


def fold(text: str) -> str:
    return fold_wide(text)


@cache
def _scripts():
    """\\p{Han}+ and [\\p{Han}\\p{L}\\p{N}] (the `regex` module, imported for the words
    that need it)."""
    import regex

    return regex.compile(r"\p{Han}+"), regex.compile(r"[\p{Han}\p{L}\p{N}]")


def is_han_run(word: str) -> bool:
    """Every character of `word` is \\p{Han}."""
    return _CJK_RUN.fullmatch(word) is not None or _scripts()[0].fullmatch(word) is not None


def is_indexable(word: str) -> bool:
    """`word` has a \\p{Han}, \\p{L} or \\p{N} character (a letter, digit or ideograph)."""
    if word.isalpha() or word.isdecimal():  # every character \p{L}, or every one \p{Nd}
        return True
    if _PUNCTUATION.issuperset(word):
        return False
    return _scripts()[1].search(word) is not None


def _classify(word: str, has_word) -> WordInfo:
    """(term, sub-words) for an indexable word; _SPACE or _PUNCT otherwise (cached per word)."""
    if word.isspace():
        return _SPACE
    if not is_indexable(word):
        return _PUNCT
    term = word.lower()
    subs: tuple[SubWord, ...] = ()
    n = len(word)
    if n > 1 and is_han_run(word):
        if has_word(word):  # a dictionary word: the dictionary words inside it
            subs = tuple((word[i:j], i, j) for i in range(n - 1) for j in range(i + 2, n + 1)
                         if (i, j) != (0, n) and has_word(word[i:j]))
            if n > 2 and word[-1] in NAME_ENDS:  # a place's or organ's last character, where a query
                subs += ((NAME_END_MARK + word[-1], n - 1, n),)  # word may begin: 青海省|政府 holds 省政府
        else:  # a word jieba's HMM made up (a name and the next character, mostly): every part
            subs = tuple((word[i:j], i, j) for i in range(n) for j in range(i + 1, n + 1) if (i, j) != (0, n))
    return term, subs


class WordSegmenter(Protocol):
    """What `Analysis` needs of a segmenter: `segmenter.Segmenter` (the full dictionary, for
    indexing) and `segmenter.QuerySegmenter` (a search's) both have it."""

    def tokenize(self, text: str) -> Iterable[tuple[str, int, int]]: ...

    def cut(self, text: str) -> list[str]: ...

    def has_word(self, word: str) -> bool: ...


class Analysis:
    """Turns text into (term, position, startchar, endchar) with a per-word cache."""

    def __init__(self, segmenter: WordSegmenter | None = None) -> None:
        self._segmenter = segmenter
        self._cache: dict[str, WordInfo] = {}
        self._table: WordTable | None = None

    @property
    def segmenter(self) -> WordSegmenter:
        if self._segmenter is None:
            self._segmenter = shared_segmenter()
        return self._segmenter

    def terms(self, text: str, subwords: bool = True) -> Iterator[tuple[str, int, int, int]]:
        """(term, position, start, end) of each word and sub-word; the position is the number
        of non-white-space characters before it."""
        seg = self.segmenter
        cache = self._cache
        spaces = 0  # white space seen so far: position = start - spaces
        for word, start, end in seg.tokenize(fold_words(text)):
            info = cache.get(word)
            if info is None:
                info = cache[word] = _classify(word, seg.has_word)
            if info is _SPACE:
                spaces += end - start
                continue
            if info is _PUNCT:
                continue
            term, subs = info
            pos = start - spaces
            yield term, pos, start, end
            if subwords:
                for sub, i, j in subs:
                    yield sub, pos + i, start + i, start + j

    def postings(self, text: str, fmt: Occurrences) -> list[tuple[bytes, int, float, bytes]]:
        """What `Field.index()` returns for an `Occurrences` format."""
        terms, counts, weights, values = self.posting_columns(text, fmt.field_boost)
        return list(zip(map(str.encode, terms), counts, map(float, weights), values, strict=False))

    def posting_columns(self, text: str, boost: float = 1.0) -> tuple[list[str], list[int], list[float], list[bytes]]:
        """`postings()` as four columns — terms, frequencies, weights, values — built by
        `map()`s: the only Python code that runs per word is the grouping loop. The terms
        stay `str` (`BulkWriter` encodes each once, when it writes the segment, instead of
        once per document), and with no boost the weights are the frequencies themselves
        (ints: a float each would cost memory until the segment is written; W3 stores
        weights as float32 either way)."""
        if ARRAYS_FROM < len(text) <= PIECE:
            terms, counts, values = self._array_columns([text])[0]
        else:
            terms, counts, values = self._columns_by_loop(text)
        return terms, counts, _weights(counts, boost), values

    def _columns_by_loop(self, text: str) -> tuple[list[str], list[int], list[bytes]]:
        """Terms, frequencies and values of a text, grouped by a loop over its words (a short
        text: cheaper than NumPy's calls), a long one piece by piece (`occurrence_arrays`)."""
        if len(text) > PIECE:
            seen = self.occurrence_arrays(text)
            terms, arrays = list(seen), list(seen.values())
            del seen
            counts = list(map(floordiv, map(len, arrays), repeat(3)))
            values: list[bytes] = []
            for i in range(0, len(arrays), _ENCODE_BATCH):  # the arrays freed batch by batch
                values += encode_flat(arrays[i:i + _ENCODE_BATCH])
                arrays[i:i + _ENCODE_BATCH] = repeat(_EMPTY, len(arrays[i:i + _ENCODE_BATCH]))
            return terms, counts, values
        found_in = self.occurrences(text)
        terms, found = list(found_in), list(found_in.values())
        return terms, list(map(floordiv, map(len, found), repeat(3))), encode_flat(found)

    def many_columns(self, texts: list[str], boost: float = 1.0) -> list[tuple[list[str], list[int], list, list[bytes]]]:
        """`posting_columns()` of each text, found together: the words of all of them pass
        through one set of array operations (`word_table`), so NumPy's cost per call is paid
        once for the lot, not per text. A text over `PIECE` characters is analysed alone."""
        out: list = [None] * len(texts)
        batch = []
        for i, text in enumerate(texts):
            if len(text) > PIECE or not text:
                out[i] = self.posting_columns(text, boost)
            else:
                batch.append(i)
        if batch:
            found = self._array_columns([texts[i] for i in batch])
            for i, (terms, counts, values) in zip(batch, found, strict=True):
                out[i] = (terms, counts, _weights(counts, boost), values)
        return out

    def file_many(self, texts: list[str], pool, docnums: list[int], boost: float = 1.0) -> list[int] | None:
        """`many_columns()`'s postings filed straight into `pool` (a compiled `_bulk.Pool`),
        text i's as document docnums[i], texts in order; each text's field length (how many
        term occurrences it has). Runs of texts up to `PIECE` characters are made by
        `WordTable.batch` and filed by `Pool.add_batch`: no Python object a posting (a term,
        count, weight and value each, ~850,000 a 14 MB of files). None, with nothing filed,
        where the C postings maker was not built (or built without `batch`)."""
        if not word_table.batched:
            return None
        lengths = [0] * len(texts)
        run: list[int] = []
        for i, text in enumerate(texts):
            if len(text) > PIECE or not text:  # analysed alone, filed after the run before it
                self._file_run(texts, run, pool, docnums, boost, lengths)
                run = []
                terms, counts, weights, values = self.posting_columns(text, boost)
                pool.add(terms, weights, values, docnums[i])
                lengths[i] = sum(counts)
            else:
                run.append(i)
        self._file_run(texts, run, pool, docnums, boost, lengths)
        return lengths

    def _file_run(self, texts: list[str], run: list[int], pool, docnums: list[int], boost: float,
                  lengths: list[int]) -> None:
        if not run:
            return
        batch = [texts[i] for i in run]
        table = self._word_table()
        found = table.batch(list(map(self.segmenter.cut, fold_many(batch))), list(map(len, batch)))
        if found is None:  # never seen: the words of some text do not cover it
            for i in run:
                terms, counts, values = self._columns_by_loop(texts[i])
                pool.add(terms, _weights(counts, boost), values, docnums[i])
                lengths[i] = sum(counts)
            return
        pairs, totals, numbers, pair_counts, ends = (memoryview(b).cast("q") for b in found[:5])  # native int64
        pool.add_batch(table.terms, array("q", map(docnums.__getitem__, run)), pairs, numbers, pair_counts, ends,
                       found[5], boost)
        for i, total in zip(run, totals, strict=True):
            lengths[i] = total

    def _array_columns(self, texts: list[str]) -> list[tuple[list[str], list[int], list[bytes]]]:
        """Terms, frequencies and values of each text (none empty): the texts' words, cut and
        numbered, made into postings together (`WordTable.columns`)."""
        found = self._word_table().columns(list(map(self.segmenter.cut, fold_many(texts))), list(map(len, texts)))
        if found is None:  # never seen: the words of some text do not cover it
            return list(map(self._columns_by_loop, texts))
        return found

    def _word_table(self) -> WordTable:
        if self._table is None:
            seg, cache = self.segmenter, self._cache

            def classify(word: str):
                info = cache.get(word)
                if info is None:
                    info = cache[word] = _classify(word, seg.has_word)
                return SPACE if info is _SPACE else PUNCT if info is _PUNCT else info

            self._table = WordTable(classify)
        return self._table

    def occurrences(self, text: str) -> dict[str, list[int]]:
        """term → [position, start, end of each occurrence, …]."""
        return self._occurrences(text, 0, 0)[0]

    def occurrence_arrays(self, text: str) -> dict[str, array]:
        """`occurrences()` as uint32 arrays, the text analysed piece by piece.

        A long text's lists of Python ints would take 36 bytes an int (a 50 MB document's,
        2 GB): its pieces of about `PIECE` characters, cut after a line break or a 。
        (where jieba's cut starts afresh: the words are the same, a test checks), are
        analysed one at a time and each term's occurrences appended to its array (4 bytes
        an int)."""
        out: dict[str, array] = {}
        offset = spaces = 0
        for piece in _pieces(text):
            seen, spaces = self._occurrences(piece, offset, spaces)
            offset += len(piece)
            for term, found in seen.items():
                have = out.get(term)
                if have is None:
                    out[term] = array("I", found)
                else:
                    have.extend(found)
        return out

    def _occurrences(self, text: str, offset: int, spaces: int) -> tuple[dict[str, list[int]], int]:
        """`occurrences()` of a text that stands at `offset` in the field, after `spaces`
        characters of white space, and the white space counted at its end (`terms()`
        inlined: this loop runs once per word of the corpus)."""
        seg, cache = self.segmenter, self._cache
        seen: dict[str, list[int]] = {}
        cached, found_in = cache.get, seen.get  # bound once: this loop runs once per word
        for word, start, end in _spans(seg, fold_words(text), offset):
            info = cached(word)
            if info is None:
                info = cache[word] = _classify(word, seg.has_word)
            if info is _SPACE:
                spaces += end - start
                continue
            if info is _PUNCT:
                continue
            term, subs = info
            pos = start - spaces
            found = found_in(term)
            if found is None:
                seen[term] = [pos, start, end]
            else:
                found += (pos, start, end)
            if subs:
                for sub, i, j in subs:
                    found = found_in(sub)
                    if found is None:
                        seen[sub] = [pos + i, start + i, start + j]
                    else:
                        found += (pos + i, start + i, start + j)
        return seen, spaces


def _weights(counts: list[int], boost: float) -> list:
    """A field's posting weights: the frequencies themselves with no boost (ints, until the
    segment stores them as float32), else each times the boost."""
    return counts if boost == 1 else list(map(mul, counts, repeat(boost)))


_EMPTY = array("I")
#: a text analysed alone (`posting_columns`) longer than this (characters) and no longer than
#: `PIECE` is analysed by array operations (`word_table`): below it, NumPy's cost per call
#: exceeds the loop's per word; `many_columns` takes every text the array way
ARRAYS_FROM = 200
#: the values of a long text encoded so many at a time (`posting_columns`)
_ENCODE_BATCH = 4096
#: the longest text analysed in one piece (characters); a longer one is cut (`_pieces`): the
#: lists of one piece take ~150 bytes a character until they are appended to the arrays
PIECE = 1 << 16
#: where a piece may end: after a line break or a 。 — white space and punctuation are
#: words of their own for jieba, which cuts each run of Han characters, letters and digits
#: separately, so a text's words are its pieces' words (a test checks)
_PIECE_END = re.compile("[\n。]")


def _pieces(text: str) -> Iterator[str]:
    """`text` in consecutive pieces of about `PIECE` characters, each ending at `_PIECE_END`
    (a text without one is one piece)."""
    begin = 0
    while begin < len(text):
        m = _PIECE_END.search(text, begin + PIECE)
        end = len(text) if m is None else m.end()
        yield text[begin:end]
        begin = end


def _spans(seg: WordSegmenter, text: str, offset: int = 0) -> Iterable[tuple[str, int, int]]:
    """(word, start, end) of each word, offsets counted from `offset`: `tokenize()`, from
    `cut()`'s words (cheaper: the words cover the text, so their lengths give the offsets)."""
    words = seg.cut(text)
    bounds = list(accumulate(map(len, words), initial=offset))
    if bounds[-1] != offset + len(text):  # never seen; tokenize() says where the words are
        return ((w, offset + a, offset + b) for w, a, b in seg.tokenize(text))
    return zip(words, bounds, bounds[1:], strict=False)


def phrase_shifts(words: list[str]) -> list[int]:
    """Where each word of a phrase stands from the first one's position: positions count
    characters, so word k stands after the lengths of the words before it (a name's marked
    last character, `NAME_END_MARK`, is one character)."""
    return list(accumulate((len(w) - w.startswith(NAME_END_MARK) for w in words[:-1]), initial=0))


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer over `Analysis`; pickles without its engine (the schema is pickled)."""

    def __init__(self, analysis: Analysis | None = None) -> None:
        self.analysis = analysis

    def __getstate__(self):
        return {}

    def __setstate__(self, state) -> None:
        self.analysis = None

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def _analysis(self) -> Analysis:
        if self.analysis is None:
            self.analysis = default_analysis()
        return self.analysis

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for term, pos, start, end in self._analysis().terms(value, subwords=mode != "query"):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


@cache
def default_analysis() -> Analysis:
    """The analysis the schema's fields index with: the full dictionary (`shared_segmenter`),
    built once and never changed — a search builds its own (`search.Searcher`)."""
    return Analysis()


class JiebaText(fields.TEXT):
    """A TEXT field with `JiebaTokenizer`, positions and character offsets, fast `index()`."""

    def __init__(self, stored: bool = False, field_boost: float = 1.0) -> None:
        super().__init__(analyzer=JiebaTokenizer(), phrase=True, chars=True, stored=stored,
                         field_boost=field_boost, spelling=False)
        self.format = Occurrences(field_boost=field_boost)

    def index(self, value, **kwargs):
        return self.analyzer._analysis().postings(value, self.format)

    def index_columns(self, value) -> tuple[list[str], list[int], list[float], list[bytes]]:
        """`index()` as columns, terms not yet encoded (`BulkWriter` files them into its
        posting lists by `map()`s)."""
        return self.analyzer._analysis().posting_columns(value, self.format.field_boost)

    def index_columns_many(self, values: list[str]) -> list[tuple[list[str], list[int], list[float], list[bytes]]]:
        """`index_columns()` of each value, analysed together (`Analysis.many_columns`)."""
        return self.analyzer._analysis().many_columns(values, self.format.field_boost)

    def index_into(self, values: list[str], pool, docnums: list[int]) -> list[int] | None:
        """`index_columns_many()`'s postings filed into `pool` (a compiled `_bulk.Pool`) as
        the documents `docnums`; each value's field length, or None, with nothing filed,
        without the compiled parts (`Analysis.file_many`)."""
        return self.analyzer._analysis().file_many(values, pool, docnums, self.format.field_boost)
