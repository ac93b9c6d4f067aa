"""One index as a service: what the web page (`govdocs serve`) and `govdocs show` read.

A `Corpus` answers searches, documents, refs, people, chronicle months, the editors' check and
source views from one index, through the same library calls the other commands use. It is
shared by the threads of a server: each thread keeps its own `Searcher` (a searcher refreshes
itself at each search, so a commit made by `govdocs index` meanwhile is seen by the next
search, while a search in flight finishes on the state it started with); the catalog, the
parsed files and the check are read again only when the index changed (`state()`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdocs.export.records import document_record
from govdocs.index import catalog_store
from govdocs.index.search import Filters, Results, Searcher
from govdocs.index.store import INFO_FILE, IndexProblem, open_index
from govdocs.inputs import path_of
from govdocs.model import ParsedIssue
from govdocs.relations.catalog import Catalog, Entry
from govdocs.relations.refs import NotFound, Refs, refs

#: parsed files kept for document and source views
PARSED_CACHE = 32


class FileChanged(Exception):
    """A file of the index was changed or removed since it was indexed."""


@dataclass
class SourceView:
    """An indexed file's lines, and whether it still is the file that was indexed."""

    path: str
    lines: list[str]
    #: "same", "changed" (its content differs from what was indexed) or "missing"
    state: str
    #: (first line, last line, label) of the places to mark: a document's fragments
    marks: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class DocumentView:
    """One document: its record as `govdocs export` writes it (None when its file changed or
    moved since indexing: then `stored` holds what the index keeps of it), its refs (status
    with evidence, what it cites, what cites it) and its source file's state."""

    id: str
    record: dict[str, Any] | None
    refs: Refs
    source_state: str
    stored: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.record) if self.record else {"kind": "document", "id": self.id, **self.stored}
        out["status"] = self.refs.status.to_dict()
        out["cited_by"] = [c.to_dict() for c in self.refs.cited_by]
        out["source_state"] = self.source_state
        return out


class Corpus:
    """One index, read by many threads."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir).expanduser()
        open_index(self.index_dir)  # whole and of this version, or an IndexProblem saying why
        self._local = threading.local()
        self._lock = threading.Lock()
        self._catalog: tuple[tuple, Catalog, dict[str, str]] | None = None
        self._parsed: OrderedDict[tuple[str, str], ParsedIssue] = OrderedDict()
        self._check: tuple[tuple, dict[str, Any]] | None = None
        self._months: list[str] | None = None

    # -- the index's state -------------------------------------------------------------------

    def state(self) -> tuple:
        """Changes with every commit of the index: its table of contents and its catalog."""
        tocs = sorted(p.name for p in self.index_dir.glob("_MAIN_*.toc"))
        stamps: list[int | None] = []
        for name in (INFO_FILE, "relations.sqlite"):
            try:
                stamps.append((self.index_dir / name).stat().st_mtime_ns)
            except OSError:
                stamps.append(None)
        return (tuple(tocs), *stamps)

    def searcher(self) -> Searcher:
        """This thread's searcher. After the index changed, it is checked again as on opening
        (an `IndexProblem` if it was damaged or rebuilt by another version meanwhile); the
        searcher itself moves to the new commit at its next search."""
        state = self.state()
        searcher = getattr(self._local, "searcher", None)
        if getattr(self._local, "state", None) != state:
            open_index(self.index_dir)
            self._local.state = state
            if searcher is not None:  # a rebuild may commit at the same generation: Whoosh's
                searcher.close()  # refresh would keep the old segments, so open anew
                searcher = None
        if searcher is None:
            searcher = self._local.searcher = Searcher(self.index_dir)
        return searcher

    def catalog(self) -> tuple[Catalog, dict[str, str]]:
        """The catalog (citations resolved) and the indexed files (path → SHA-256)."""
        state = self.state()
        with self._lock:
            if self._catalog is None or self._catalog[0] != state:
                catalog = catalog_store.load(self.index_dir)
                files = dict(k.split("\0", 1) for k in catalog_store.stored_keys(self.index_dir))
                self._catalog = (state, catalog, files)
                self._parsed.clear()  # their citations were resolved against the old catalog
                self._months = None
            return self._catalog[1], self._catalog[2]

    # -- what the pages show ------------------------------------------------------------------

    def search(self, text: str, filters: Filters | None = None, **options: Any) -> Results:
        return self.searcher().search(text, filters, **options)

    def refs(self, wanted: str, as_of: str | None = None) -> list[Refs]:
        """`govdocs refs`: raises `NotFound` when neither the corpus nor a citation knows it."""
        return refs(self.catalog()[0], wanted, as_of)

    def entries(self, wanted: str) -> list[Entry]:
        """The documents with this id or 发文字号 (any printed form)."""
        return self.catalog()[0].lookup(wanted)

    def document(self, wanted: str, as_of: str | None = None) -> list[DocumentView]:
        """Every document with this id or number (`govdocs show`); raises `NotFound`."""
        entries = [e for e in self.entries(wanted) if e.kind == "document"]
        if not entries:
            raise NotFound(wanted)
        catalog, _files = self.catalog()
        views = []
        for entry in entries:
            held = refs(catalog, entry.id, as_of)[0]
            try:
                parsed = self.parsed(entry.path or "")
            except FileChanged as exc:
                views.append(DocumentView(entry.id, None, held, str(exc), self._stored(entry.id)))
                continue
            doc = next(d for d in parsed.documents if d.id == entry.id)
            views.append(DocumentView(entry.id, document_record(doc, parsed, entry.path), held, "same"))
        return views

    def parsed(self, path: str) -> ParsedIssue:
        """An indexed file, parsed (its citations resolved against the catalog); raises
        `FileChanged` ("changed" or "missing") when it is not the file that was indexed."""
        from govdocs.index.indexer import sha256_of
        from govdocs.parse import DecodeError, parse_file

        catalog, files = self.catalog()
        if path not in files:
            raise NotFound(path)
        file = path_of(path)  # the key is the path as text (`inputs.path_text`)
        if not file.is_file():
            raise FileChanged("missing")
        key = (path, files[path])
        try:
            if sha256_of(file) != files[path]:
                raise FileChanged("changed")
            with self._lock:
                if key in self._parsed:
                    self._parsed.move_to_end(key)
                    return self._parsed[key]
            parsed = parse_file(file)
        except (OSError, DecodeError):  # unreadable now: not the file that was indexed, as far as we can tell
            raise FileChanged("changed") from None
        from govdocs.export.run import resolve_in

        resolve_in(parsed, catalog)
        with self._lock:
            self._parsed[key] = parsed
            while len(self._parsed) > PARSED_CACHE:
                self._parsed.popitem(last=False)
        return parsed

    def source(self, path: str, document_id: str | None = None) -> SourceView:
        """An indexed file's text by lines, with a document's fragments marked — only while it
        is the file that was indexed (a changed, replaced or unreadable file shows no line:
        what stands at that path now may be anything); raises `NotFound` for a file the index
        does not hold."""
        from govdocs.parse.lines import numbered_lines
        from govdocs.parse.pipeline import DecodeError, source_text

        try:
            parsed = self.parsed(path)  # `NotFound` for a file the index does not hold; the file checked
            lines = numbered_lines(source_text(path_of(path)))
        except FileChanged as exc:  # changed, replaced, unreadable or gone since it was indexed
            return SourceView(path, [], str(exc))
        except (DecodeError, OSError):  # changed after `parsed` checked it
            return SourceView(path, [], "changed")
        marks: list[tuple[int, int, str]] = []
        doc = next((d for d in parsed.documents if d.id == document_id), None)
        if doc is not None:
            several = len(doc.fragments) > 1
            marks = [(f.line_start, f.line_end, f"part {k} of {len(doc.fragments)}" if several else doc.title)
                     for k, f in enumerate(doc.fragments, 1)]
        return SourceView(path, lines, "same", marks)

    def chronicle(self, month: str) -> Results:
        """The chronicle entries of a month (YYYY-MM), in date order."""
        import calendar

        year, mon = (int(part) for part in month.split("-"))
        last = calendar.monthrange(year, mon)[1]
        filters = Filters(kind=["chronicle"], since=f"{month}-01", until=f"{month}-{last:02d}")
        return self.search("", filters, sort="date", limit=1000, snippets=False)

    def months(self) -> list[str]:
        """Every month (YYYY-MM) a chronicle entry of the index is dated in (worked out once
        per state of the index)."""
        self.catalog()  # a new state forgets the months
        if self._months is None:
            reader = self.searcher().current().reader()
            self._months = sorted({stored["date"][:7] for _docnum, stored in reader.iter_docs()
                                   if stored.get("kind") == "chronicle" and stored.get("date")})
        return self._months

    def people_names(self) -> set[str]:
        return {t.decode("utf-8") for t in self.searcher().current().reader().lexicon("person")}

    def people(self, name: str | None = None, post: str | None = None, since: str | None = None,
               until: str | None = None):
        from govdocs.index.people import register

        return register(self.index_dir, name, post, since, until)

    def check(self) -> dict[str, Any]:
        """The editors' report over the indexed files (as `govdocs check` prints for them)."""
        from govdocs.relations.check import SEVERITIES, check

        state = self.state()
        with self._lock:
            if self._check is not None and self._check[0] == state:
                return self._check[1]
        catalog, files = self.catalog()
        parsed, problems = [], []
        for path in sorted(files):
            try:
                parsed.append(self.parsed(path))
            except FileChanged as exc:
                problems.append(f"{path}: {exc} since it was indexed — run `govdocs index`")
        findings = check(parsed, catalog)
        report = {"files": [p.source.path for p in parsed], "problems": problems,
                  "counts": {s: sum(f.severity == s for f in findings) for s in SEVERITIES},
                  "findings": [f.to_dict() for f in findings]}
        with self._lock:
            self._check = (state, report)
        return report

    def _stored(self, record_id: str) -> dict[str, Any]:
        stored = self.searcher().current().document(id=record_id) or {}
        return {k: stored.get(k) for k in ("title", "doc_number", "date", "content", "source_path")}

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()


__all__ = ["Corpus", "DocumentView", "FileChanged", "IndexProblem", "NotFound", "SourceView"]
