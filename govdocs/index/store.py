"""Where the index lives and how it is opened or created (`indexer` fills it)."""

from __future__ import annotations

import json
import os
import re
import shutil
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


#: the files an index folder holds, by name: ours beside Whoosh's; Whoosh's table of contents,
#: a segment's files (`MAIN_<id>.seg`, or its parts `MAIN_<id>.trm`, `.pst`, `.occ`, `.col` …
#: before they are assembled, and after a killed run) and its temporary folder (`MAIN.tmp`)
_OURS_NAMED = frozenset({"govdocs.json", "govdocs.json.tmp", "dictionary.words", "dictionary.words.tmp",
                         "relations.sqlite", "relations.sqlite-journal", "MAIN_WRITELOCK", "govdocs.holder",
                         "MAIN.tmp"})
_TOC = re.compile(r"_MAIN_([0-9]+)\.toc")
_SEGMENT_FILE = re.compile(r"(MAIN_[0-9a-z]+)\.[A-Za-z0-9_.]+")  # Whoosh's own pattern (TOC._segment_pattern)
#: never removed as dead: sqlite rolls a journal left by a killed run back when it next opens
#: the catalog; the lock and its holder's name belong to a run that may be alive
_NEVER_DEAD = frozenset({"govdocs.json", "dictionary.words", "relations.sqlite", "relations.sqlite-journal",
                         "MAIN_WRITELOCK", "govdocs.holder"})


def is_ours(name: str) -> bool:
    """Is `name` of an index's own naming (a file govdocs or Whoosh writes into the folder)?"""
    return name in _OURS_NAMED or bool(_TOC.fullmatch(name) or _SEGMENT_FILE.fullmatch(name))


def our_files(index_dir: Path) -> list[Path]:
    """The folder's entries of an index's own naming (none if it is no folder)."""
    try:
        names = sorted(os.listdir(index_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [index_dir / name for name in names if is_ours(name)]


def index_exists(index_dir: Path) -> bool:
    """An index was created there (cheap: no file is read)."""
    return (index_dir / INFO_FILE).exists() and any(index_dir.glob("_MAIN_*.toc"))


def holds_index_files(index_dir: Path) -> bool:
    """Does the folder hold any file of an index (whole or not)?"""
    return bool(our_files(index_dir))


def check_not_foreign(index_dir: Path) -> None:
    """An `IndexProblem` when the folder holds files but none of an index: it is someone else's
    folder (a project, the gazettes themselves), never to be filled with an index."""
    if index_dir.is_dir() and not holds_index_files(index_dir) and any(index_dir.iterdir()):
        raise IndexProblem(f"{index_dir} is not a govdocs index: it holds other files — give --index a new or "
                           "empty folder (nothing was written there)")


def check_writable(index_dir: Path) -> None:
    """An `IndexProblem` when the index folder (or, while it does not exist, the folder it would
    be made in) cannot be written: checked before a run starts, so it fails in one line."""
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise not_writable(index_dir)


def not_writable(index_dir: Path) -> IndexProblem:
    return IndexProblem(f"the index folder {index_dir} is not writable — index into a folder you can write "
                        "(--index DIR); searching this one works as it is")


def remove_dead_files(index_dir: Path, generation: int, live: set[str], keep: frozenset[str] = frozenset()) -> int:
    """Remove what failed or killed runs left: files of the index's naming that the table of
    contents of `generation` does not reference (segments of ids not in `live`, older tables of
    contents, temporary files and folders), but none of `keep` and never the catalog's journal,
    the lock or another file of ours that is always current. The bytes freed."""
    freed = 0
    for path in our_files(index_dir):
        name = path.name
        if name in _NEVER_DEAD or name in keep:
            continue
        toc, segment = _TOC.fullmatch(name), _SEGMENT_FILE.fullmatch(name)
        if toc and int(toc.group(1)) == generation or segment and segment.group(1) in live:
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                freed += sum(f.stat().st_size for f in path.iterdir() if f.is_file())
                shutil.rmtree(path)
            else:
                freed += path.stat().st_size
                path.unlink()
        except FileNotFoundError:  # removed meanwhile
            continue
    return freed


def damaged(index_dir: Path) -> IndexProblem:
    return IndexProblem(f"the index at {index_dir} is damaged or half-built — run `govdocs index --rebuild` "
                        "(with the files to index) to build it anew")


def open_index(index_dir: Path):
    """The Whoosh index, after checking it is ours, whole and of this version: every problem
    is an `IndexProblem` whose message says how to fix it."""
    if not index_exists(index_dir):
        if holds_index_files(index_dir):
            raise damaged(index_dir)
        check_not_foreign(index_dir)
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
    for path in our_files(index_dir):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
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
