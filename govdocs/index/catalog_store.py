"""The relations catalog kept beside the Whoosh files: `relations.sqlite`.

One row per indexed file (its `path\\0sha256` key) holding the file's catalog entries as
JSON, unresolved: citations are resolved against the whole catalog when it is loaded, so
adding a file never leaves another file's resolution stale. The indexer keeps the rows
equal to the index's file list after every run (`sync` also repairs a run killed between
the Whoosh commit and this one).

Beside each file's entries, a table of their *heads* (`HEADS`) keeps the same entries with
only the references that change a document's status (`HEAD_RELATIONS`: repeals, amends).
After every run the indexer reads the whole catalog for those (`load(relations=CHANGES)`);
the heads are a sixth of the entries' bytes, so at 10 GB adding one issue decoded ~0.3 GB of
JSON instead of ~1.6 GB (docs/performance.md). They are a table of their own so that reading
them never walks the entries' pages, and its name holds the relations kept: heads made for
other relations are never read for these. A file without heads (a catalog an earlier version
wrote) is read from its entries; the next `apply` gives every file its heads.
"""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from govdocs.relations.catalog import Catalog, Entry
from govdocs.vocab import CHANGES

CATALOG_FILE = "relations.sqlite"
#: the relations whose references a file's heads keep: what `relations.status.change_dates` reads
HEAD_RELATIONS = CHANGES
#: the heads' table, named after the relations it keeps
HEADS = "heads_" + "_".join(HEAD_RELATIONS)
#: a file's row: (file key, entries as JSON, heads as JSON)
Row = tuple[str, str, str]


def _connect(index_dir: Path, write: bool = False) -> sqlite3.Connection:
    """The catalog's database; a file that is no SQLite database (damaged) is an `IndexProblem`
    that says to rebuild. Only a writer creates it or its table: a reader (search, export, a
    read-only index) writes nothing — sqlite opens a file it may not write for reading only."""
    from govdocs.index.store import damaged

    try:
        if write:
            db = sqlite3.connect(index_dir / CATALOG_FILE)
            db.execute("CREATE TABLE IF NOT EXISTS files (file_key TEXT PRIMARY KEY, entries TEXT NOT NULL)")
        else:
            db = sqlite3.connect(f"{(index_dir / CATALOG_FILE).resolve().as_uri()}?mode=rw", uri=True)
            db.execute("SELECT 1 FROM files LIMIT 1")
    except sqlite3.DatabaseError:
        raise damaged(index_dir) from None
    return db


def stored_keys(index_dir: Path) -> set[str]:
    if not (index_dir / CATALOG_FILE).exists():
        return set()
    db = _connect(index_dir)
    try:
        return {k for (k,) in db.execute("SELECT file_key FROM files")}
    finally:
        db.close()


def _has_heads(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (HEADS,)).fetchone() is not None


def row_of(key: str, entries: list[Entry]) -> Row:
    """A file's row: its entries as JSON, and their heads (`HEAD_RELATIONS` references only)."""
    dicts = [e.to_dict() for e in entries]
    whole = json.dumps(dicts, ensure_ascii=False)
    return key, whole, _heads_of(dicts)


def _heads_of(dicts: list[dict]) -> str:
    return json.dumps([{**d, "references": _only(d["references"], HEAD_RELATIONS)} for d in dicts], ensure_ascii=False)


def _only(references: list[dict], relations: Collection[str]) -> list[dict]:
    """The references (as JSON dicts) of those relations."""
    return [r for r in references if r["relation"] in relations]


class Spool:
    """The rows of the files an index run has indexed, kept on disk until the run's catalog
    step reads them back (`rows`) into `apply`: an unnamed temporary file in the index's folder,
    gone with the process however it ends. Held in memory until then, a 10 GB run's entries
    took its processes to 4.4 GB (docs/performance.md). A row is its three texts' UTF-8 lengths
    and bytes (no escaping: they are JSON already)."""

    _LENGTHS = struct.Struct("<III")

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)
        #: the rows' file keys, in the order added
        self.keys: list[str] = []

    def add(self, row: Row) -> None:
        parts = [text.encode("utf-8") for text in row]
        self._file.seek(0, io.SEEK_END)  # after the rows, even once `rows` has read some
        self._file.write(self._LENGTHS.pack(*map(len, parts)) + b"".join(parts))
        self.keys.append(row[0])

    def flush(self) -> None:
        """Write what is buffered (a full disk fails here, not after the index's commit)."""
        self._file.flush()

    def rows(self) -> Iterator[Row]:
        self._file.flush()
        self._file.seek(0)
        read, size = self._file.read, self._LENGTHS.size
        while head := read(size):
            lengths = self._LENGTHS.unpack(head)
            key, entries, heads = (read(n).decode("utf-8") for n in lengths)
            yield key, entries, heads

    def close(self) -> None:
        self._file.close()


def apply(index_dir: Path, drop: Iterable[str], add: Iterable[Row],
          before_commit: Callable[[], None] | None = None) -> None:
    """Remove and add files' rows (`row_of`) in one transaction, in which every file also gets
    its heads — those an older catalog lacks included — and heads without a file go
    (`before_commit` runs inside it: the indexer's test hook)."""
    db = _connect(index_dir, write=True)
    try:
        with db:
            db.execute(f"CREATE TABLE IF NOT EXISTS {HEADS} (file_key TEXT PRIMARY KEY, heads TEXT NOT NULL)")
            db.executemany("DELETE FROM files WHERE file_key = ?", [(k,) for k in drop])
            for key, entries, heads in add:
                db.execute("INSERT OR REPLACE INTO files (file_key, entries) VALUES (?, ?)", (key, entries))
                db.execute(f"INSERT OR REPLACE INTO {HEADS} (file_key, heads) VALUES (?, ?)", (key, heads))
            db.execute(f"DELETE FROM {HEADS} WHERE file_key NOT IN (SELECT file_key FROM files)")
            headless = (f"SELECT file_key, entries FROM files WHERE file_key NOT IN (SELECT file_key FROM {HEADS}) "
                        "LIMIT 256")
            while missing := db.execute(headless).fetchall():
                db.executemany(f"INSERT INTO {HEADS} (file_key, heads) VALUES (?, ?)",
                               [(k, _heads_of(json.loads(data))) for k, data in missing])
            if before_commit:
                before_commit()
    finally:
        db.close()


def clear(index_dir: Path) -> None:
    apply(index_dir, stored_keys(index_dir), [])


def load(index_dir: Path, with_references: bool = True, relations: Collection[str] | None = None) -> Catalog:
    """The whole catalog, resolved; without references (numbers, titles, dates only — what
    resolving a citation needs) it stays small however large the corpus. With `relations`,
    only the references of those relations are kept (and resolved): what the changes of
    status need (`relations.status.change_dates`), at a fraction of the cost — most of a
    large catalog is its other citations: such loads read the rows' heads."""
    from govdocs.relations.resolve import resolve

    catalog = Catalog()
    if not (index_dir / CATALOG_FILE).exists():
        return catalog
    db = _connect(index_dir)
    try:
        heads = (not with_references or relations is not None and set(relations) <= set(HEAD_RELATIONS)) \
            and _has_heads(db)
        # a file's heads where it has them (COALESCE reads its entries only where it has none)
        query = (f"SELECT coalesce(h.heads, f.entries) FROM files f LEFT JOIN {HEADS} h USING (file_key) "
                 "ORDER BY f.file_key" if heads else "SELECT entries FROM files ORDER BY file_key")
        for (data,) in db.execute(query):  # row by row
            for entry in json.loads(data):
                if not with_references:
                    entry["references"] = []
                elif relations is not None:
                    entry["references"] = _only(entry["references"], relations)
                catalog.add(Entry.from_dict(entry))
    finally:
        db.close()
    return resolve(catalog) if with_references else catalog
