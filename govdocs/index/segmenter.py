"""Chinese word segmentation for the index: jieba's dictionary and algorithm, run by rjieba.

rjieba binds jieba-rs, a port of jieba with the same dictionary (`jieba/dict.txt`), the same
DAG + max-probability route and the same HMM for unknown words; it segments this corpus as
jieba does except on runs of Latin letters joined by `-` (`NGB-W` is one token here, three in
jieba) — `tests/test_segmenter.py` compares the two and lists every difference.

Two engines:

* `Segmenter.load()` — the whole dictionary plus `userdict.txt` (issuers and posts of the
  corpus), built once per process and used for indexing.
* `QuerySegmenter` — for a search command, which cannot afford building the dictionary.
  jieba's segmentation of a string depends only on the dictionary words that occur inside
  it, their frequencies and the dictionary's total frequency. The index directory keeps the
  dictionary as a sorted word list (`dictionary.words`, memory-mapped and binary-searched);
  a query's segmenter is an empty engine given just the words found inside the query plus
  one filler entry that restores the total, so it cuts the query exactly as the full engine
  would (tested on every corpus line).

Each engine is its own instance: nothing touches a module-global tokenizer.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import mmap
import sys
from array import array
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate
from pathlib import Path

USERDICT = Path(__file__).with_name("userdict.txt")
#: longest dictionary word looked up for a query (jieba's dictionary has none longer)
MAX_WORD = 16
#: a private-use character: never in text, carries the frequency the query engine lacks
_FILLER = "\U000f0000"


@cache
def _engine_class():
    """rjieba's `Jieba` class, without running `rjieba/__init__.py`.

    That file builds a module-global engine with the full dictionary on import,
    which a search command would pay for nothing.
    """
    spec = importlib.util.find_spec("rjieba")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for so in sorted(Path(folder).glob("rjieba*.so")) + sorted(Path(folder).glob("rjieba*.pyd")):
            loader = importlib.machinery.ExtensionFileLoader("rjieba", str(so))
            spec_of_so = importlib.util.spec_from_loader("rjieba", loader)
            assert spec_of_so is not None  # given a loader, spec_from_loader always makes a spec
            module = importlib.util.module_from_spec(spec_of_so)
            loader.exec_module(module)
            return module.Jieba
    import rjieba  # an unusual install layout: fall back to the package

    return rjieba.Jieba


def read_userdict(path: Path = USERDICT) -> list[tuple[str, int, str | None]]:
    """(word, frequency, tag) entries of a jieba user dictionary; `#` starts a comment."""
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.split("#", 1)[0].split()
        if not parts:
            continue
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 else 1
        entries.append((word, freq, parts[2] if len(parts) > 2 else None))
    return entries


class Segmenter:
    """An rjieba engine with our user dictionary: `tokenize(text)` → (word, start, end)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.tokenize = engine.tokenize
        self.has_word = engine.has_word

    @classmethod
    def load(cls, userdict: Path = USERDICT) -> Segmenter:
        engine = _engine_class()()
        for word, freq, tag in read_userdict(userdict):
            engine.add_word(word, freq, tag)
        return cls(engine)

    def cut(self, text: str) -> list[str]:
        return self.engine.cut(text)


@cache
def shared_segmenter() -> Segmenter:
    """The process-wide full engine (built on first use)."""
    return Segmenter.load()


def jieba_dictionary() -> Path:
    """jieba's `dict.txt`, found without importing jieba (~0.2 s)."""
    spec = importlib.util.find_spec("jieba")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "dict.txt").is_file():
            return Path(folder) / "dict.txt"
    import jieba  # an unusual install layout

    return Path(jieba.__file__).with_name("dict.txt")


def dictionary_entries(userdict: Path = USERDICT) -> dict[bytes, int]:
    """UTF-8 word → frequency of jieba's dictionary with the user dictionary applied on top.
    Read as bytes, split at ASCII white space as jieba splits its lines (the words are stored
    as UTF-8 and sorted by their bytes: no decoding and encoding of 350,000 words, a fifth
    of writing the word list)."""
    data = jieba_dictionary().read_bytes()
    fields = data.split()
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if len(fields) == 3 * lines:  # "word freq tag" on every line
        words = dict(zip(fields[0::3], map(int, fields[1::3]), strict=False))
    else:  # some line lacks its tag: line by line
        pairs = (line.split()[:2] for line in data.splitlines() if line.strip())
        words = {word: int(freq) for word, freq in pairs}
    for word, freq, _tag in read_userdict(userdict):
        words[word.encode("utf-8")] = freq
    return words


#: `dictionary.words`: magic, word count n and total frequency, then n + 1 uint32 byte offsets,
#: n uint32 frequencies and the UTF-8 words, sorted (all numbers little-endian)
_MAGIC = b"govdocs-words-1\n"
_HEAD = len(_MAGIC) + 12
_BIG_ENDIAN = sys.byteorder == "big"


def write_dictionary(path: Path, userdict: Path = USERDICT) -> None:
    """Store the dictionary for `QuerySegmenter` (written to a temporary file, then renamed)."""
    from govdocs.index.engine import little_endian

    entries = dictionary_entries(userdict)
    words = sorted(entries)  # UTF-8 byte order is code point order
    offsets = array("I", accumulate(map(len, words), initial=0))
    freqs = array("I", map(entries.__getitem__, words))
    total = sum(freqs)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(_MAGIC + len(words).to_bytes(4, "little") + total.to_bytes(8, "little"))
        fh.write(little_endian(offsets))
        fh.write(little_endian(freqs))
        fh.write(b"".join(words))
    tmp.replace(path)


#: how many dictionary words a query run is looked up inside at most
MAX_CONTAINING = 200


class _Words:
    """The sorted words of a `dictionary.words` file as a sequence of bytes (for `bisect`)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(self._map)
        if view[:len(_MAGIC)] != _MAGIC:
            raise ValueError(f"{path} is not a govdocs dictionary")
        n = int.from_bytes(view[len(_MAGIC):len(_MAGIC) + 4], "little")
        self.total = int.from_bytes(view[len(_MAGIC) + 4:_HEAD], "little")
        if len(view) < _HEAD + 4 * (2 * n + 1):
            raise ValueError(f"{path} is cut short (a run killed while writing it, or a full disk)")
        self._offsets = self._uint32(view[_HEAD:_HEAD + 4 * (n + 1)])
        self._freqs = self._uint32(view[_HEAD + 4 * (n + 1):_HEAD + 4 * (2 * n + 1)])
        self._blob_start = _HEAD + 4 * (2 * n + 1)
        self._blob = view[self._blob_start:]
        self._n = n
        if len(self._blob) != self._offsets[n]:
            raise ValueError(f"{path} is cut short (a run killed while writing it, or a full disk)")

    @staticmethod
    def _uint32(raw: memoryview):
        if not _BIG_ENDIAN:
            return raw.cast("I")
        a = array("I", raw.tobytes())
        a.byteswap()
        return a

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> bytes:
        return self._blob[self._offsets[i]:self._offsets[i + 1]].tobytes()

    def frequencies(self, text: str) -> dict[str, int]:
        """word → frequency of every dictionary word inside `text`. From each start, longer
        pieces are looked up only while some word begins with the piece."""
        found: dict[str, int] = {}
        n = self._n
        for i in range(len(text)):
            for j in range(i + 1, min(len(text), i + MAX_WORD) + 1):
                piece = text[i:j].encode("utf-8")
                k = bisect_left(self, piece)
                if k == n:
                    break
                word = self[k]
                if word == piece:
                    found[text[i:j]] = self._freqs[k]
                elif not word.startswith(piece):
                    break
        return found


    def containing(self, text: str, limit: int = MAX_CONTAINING) -> list[str]:
        """The dictionary words that hold `text` inside them (省发展改革委 holds 发展改革委),
        found by scanning the words' bytes, at most `limit`."""
        needle = text.encode("utf-8")
        blob, offsets, n = self._blob, self._offsets, self._n
        words = self._map  # the mmap `blob` views: found in place, no copy
        found: dict[str, None] = {}
        at = words.find(needle, blob_start := self._blob_start) if needle else -1
        while at >= 0 and len(found) < limit:
            pos = at - blob_start
            k = bisect_right(offsets, pos, 0, n + 1) - 1  # the word the match starts in
            if pos + len(needle) <= offsets[k + 1]:  # and ends in: not across two words
                word = blob[offsets[k]:offsets[k + 1]].tobytes().decode("utf-8")
                if word != text:
                    found[word] = None
            at = words.find(needle, at + 1)
        return list(found)


class QuerySegmenter:
    """Segments short texts (queries) exactly as `Segmenter.load()` would, without loading it."""

    def __init__(self, path: Path) -> None:
        self.words = _Words(path)
        self.total = self.words.total
        self._containing: dict[str, list[str]] = {}
        self._engine_cls = _engine_class()

    def _engine_for(self, text: str):
        found = self.words.frequencies(text)
        engine = self._engine_cls.empty()
        engine.add_word(_FILLER, max(self.total - sum(found.values()), 1), None)
        for word, freq in found.items():
            engine.add_word(word, freq, None)
        return engine

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        return self._engine_for(text).tokenize(text)

    def cut(self, text: str) -> list[str]:
        return self._engine_for(text).cut(text)

    def has_word(self, word: str) -> bool:
        return word in self.words.frequencies(word)

    def containing(self, text: str) -> list[str]:
        """Dictionary words holding `text` inside them (a scan of the dictionary,
        remembered for the last 256 runs asked: a server or a paging user asks again)."""
        found = self._containing.get(text)
        if found is None:
            if len(self._containing) >= 256:
                self._containing.pop(next(iter(self._containing)))
            found = self._containing[text] = self.words.containing(text)
        return found
