"""Where the index lives and how it is opened or created (`indexer` fills it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as windex

from govdocs.index.schema import SCHEMA_VERSION

INFO_FILE = "govdocs.json"
DICTIONARY_FILE = "dictionary.words"


class IndexProblem(Exception):
    """A problem with the index itself; the message says how to fix it."""


def default_index_dir() -> Path:
    if env := os.environ.get("GOVDOCS_INDEX"):
        return Path(env)
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "govdocs" / "index"


#: the files an index folder holds (Whoosh's segments and table of contents, ours beside them)
_OURS = ("govdocs.json", "govdocs.json.tmp", "dictionary.words", "dictionary.words.tmp", "relations.sqlite",
         "relations.sqlite-journal", "MAIN_WRITELOCK", "govdocs.holder", "_MAIN_*.toc", "MAIN_*.seg", "MAIN_*.tmp", "*.occ")


def index_exists(index_dir: Path) -> bool:
    """An index was created there (cheap: no file is read)."""
    return (index_dir / INFO_FILE).exists() and any(index_dir.glob("_MAIN_*.toc"))


def holds_index_files(index_dir: Path) -> bool:
    """Does the folder hold any file of an index (whole or not)?"""
    return index_dir.is_dir() and any(next(index_dir.glob(pattern), None) for pattern in _OURS)


def damaged(index_dir: Path) -> IndexProblem:
    return IndexProblem(f"the index at {index_dir} is damaged or half-built — run `govdocs index --rebuild` "
                        "(with the files to index) to build it anew")


def open_index(index_dir: Path):
    """The Whoosh index, after checking it is ours, whole and of this version: every problem
    is an `IndexProblem` whose message says how to fix it."""
    if not index_exists(index_dir):
        if holds_index_files(index_dir):
            raise damaged(index_dir)
        raise IndexProblem(f"no index at {index_dir} — run `govdocs index` first")
    try:
        info = json.loads((index_dir / INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise damaged(index_dir) from None
    if not isinstance(info, dict) or info.get("schema") != SCHEMA_VERSION:
        raise IndexProblem(f"the index at {index_dir} was built by another govdocs version — run `govdocs index --rebuild`")
    try:
        return windex.open_dir(str(index_dir))
    except Exception:  # a damaged table of contents or segment: Whoosh raises what it meets
        raise damaged(index_dir) from None


def clear_index(index_dir: Path) -> None:
    """Remove every file of an index from the folder (`--rebuild`: whatever state it is in)."""
    for pattern in _OURS:
        for path in index_dir.glob(pattern):
            path.unlink(missing_ok=True)


def create_index(index_dir: Path, dictionary: bool = True):
    """A new, empty index with the query dictionary beside it (unless `dictionary` is false:
    the caller writes it with `write_dictionary` before its first commit)."""
    from govdocs.index.schema import build_schema

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index_dir), build_schema())
    if dictionary:
        write_dictionary(index_dir)
    tmp = index_dir / (INFO_FILE + ".tmp")
    tmp.write_text(json.dumps({"schema": SCHEMA_VERSION}), encoding="utf-8")
    tmp.replace(index_dir / INFO_FILE)
    return ix


def write_dictionary(index_dir: Path) -> None:
    """The word list a search's segmenter reads (`segmenter.QuerySegmenter`)."""
    from govdocs.index.segmenter import write_dictionary as write

    write(index_dir / DICTIONARY_FILE)


def has_dictionary(index_dir: Path) -> bool:
    return (index_dir / DICTIONARY_FILE).exists()
