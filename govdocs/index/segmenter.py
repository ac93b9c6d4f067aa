"""Chinese word segmentation for the index: jieba's dictionary and algorithm, run by rjieba.

rjieba binds jieba-rs, a port of jieba with the same dictionary (`jieba/dict.txt`), the same
DAG + max-probability route and the same HMM for unknown words; it segments this corpus as
jieba does except on runs of Latin letters joined by `-` (`NGB-W` is one token here, three in
jieba) — `tests/test_segmenter.py` compares the two and lists every difference.

Two engines:

* `Segmenter.load()` — the whole dictionary plus `userdict.txt` (issuers and posts of the
  corpus), built once per process (~0.15 s) and used for indexing.
* `QuerySegmenter` — for a search command, which cannot afford building the dictionary.
  jieba's segmentation of a string depends only on the dictionary words that occur inside
  it, their frequencies and the dictionary's total frequency. The index directory keeps the
  dictionary in SQLite (`dictionary.sqlite`); a query's segmenter is an empty engine given
  just the words found inside the query plus one filler entry that restores the total, so it
  cuts the query exactly as the full engine would (tested on every corpus line).

Each engine is its own instance: nothing touches a module-global tokenizer.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sqlite3
from collections.abc import Iterable
from functools import cache
from pathlib import Path

USERDICT = Path(__file__).with_name("userdict.txt")
#: longest dictionary word looked up for a query (jieba's dictionary has none longer)
MAX_WORD = 16
#: a private-use character: never in text, carries the frequency the query engine lacks
_FILLER = "\U000f0000"


@cache
def _engine_class():
    """rjieba's `Jieba` class, without running `rjieba/__init__.py`.

    That file builds a module-global engine with the full dictionary (~0.12 s) on import,
    which a search command would pay for nothing.
    """
    spec = importlib.util.find_spec("rjieba")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for so in sorted(Path(folder).glob("rjieba*.so")) + sorted(Path(folder).glob("rjieba*.pyd")):
            loader = importlib.machinery.ExtensionFileLoader("rjieba", str(so))
            module = importlib.util.module_from_spec(importlib.util.spec_from_loader("rjieba", loader))
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


def dictionary_entries(userdict: Path = USERDICT) -> dict[str, int]:
    """word → frequency of jieba's dictionary with the user dictionary applied on top."""
    import jieba  # only for the location of its dictionary file

    words: dict[str, int] = {}
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, freq = line.split(" ", 2)[:2]
            words[word] = int(freq)
    for word, freq, _tag in read_userdict(userdict):
        words[word] = freq
    return words


_BUILT: dict[int, bytes] = {}


def write_dictionary(path: Path, userdict: Path = USERDICT) -> None:
    """Store the dictionary for `QuerySegmenter` (written to a temporary file, then renamed).

    Building it takes ~1.4 s; a process that creates several indexes builds it once.
    """
    tmp = path.with_name(path.name + ".tmp")
    key = hash(userdict.read_bytes())
    if key in _BUILT:
        tmp.write_bytes(_BUILT[key])
        tmp.replace(path)
        return
    tmp.unlink(missing_ok=True)
    entries = dictionary_entries(userdict)
    with sqlite3.connect(tmp) as db:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        db.executemany("INSERT INTO words VALUES (?, ?)", entries.items())
        db.execute("INSERT INTO meta VALUES ('total', ?)", (sum(entries.values()),))
    db.close()
    _BUILT[key] = tmp.read_bytes()
    tmp.replace(path)


class QuerySegmenter:
    """Segments short texts (queries) exactly as `Segmenter.load()` would, without loading it."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        (self.total,) = self.db.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()
        self._engine_cls = _engine_class()

    def _engine_for(self, text: str):
        grams = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + MAX_WORD) + 1)}
        found = self._lookup(grams)
        engine = self._engine_cls.empty()
        engine.add_word(_FILLER, max(self.total - sum(found.values()), 1), None)
        for word, freq in found.items():
            engine.add_word(word, freq, None)
        return engine

    def _lookup(self, grams: Iterable[str]) -> dict[str, int]:
        grams = list(grams)
        found: dict[str, int] = {}
        for i in range(0, len(grams), 500):
            chunk = grams[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT word, freq FROM words WHERE word IN ({marks})", chunk))
        return found

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        return self._engine_for(text).tokenize(text)

    def cut(self, text: str) -> list[str]:
        return self._engine_for(text).cut(text)

    def has_word(self, word: str) -> bool:
        return bool(self._lookup([word]))
