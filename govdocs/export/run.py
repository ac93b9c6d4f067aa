"""Batch export: parsed files → records of the chosen kinds → writers, one file at a time.

Sources: the files the index holds (default) — their citations resolved with the index's
catalog — or files named directly, read twice: once for the catalog, once for the records.
The catalog is loaded without its citations (one small entry per document: numbers,
title, date) and each file's citations are resolved as it is exported, so only one parsed
file is held at a time and memory barely grows with the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govdocs.export.records import kind_records
from govdocs.export.writers import Writer
from govdocs.inputs import path_of, path_text
from govdocs.model import ParsedIssue
from govdocs.relations.catalog import Catalog
from govdocs.vocab import ExportKind

#: document fields that hold running text, dropped by `--no-body`
BODY_FIELDS = ("body", "sections")
Progress = Callable[[int], None]


@dataclass
class Options:
    kinds: list[ExportKind]
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    issuer: str | None = None
    doc_type: str | None = None
    fields: list[str] | None = None
    no_body: bool = False
    #: documents with one of these statuses on `as_of` (default today), of this 效力级别
    statuses: set[str] | None = None
    as_of: str | None = None
    level: str | None = None

    def keep(self, date: str | None, issuer: str | None, doc_type: str | None) -> bool:
        if (self.since or self.until) and (not date or self.since and date < self.since
                                           or self.until and date > self.until):
            return False
        return (not self.issuer or issuer == self.issuer) and (not self.doc_type or doc_type == self.doc_type)

    def shape(self, record: dict) -> dict:
        if self.no_body and record["kind"] == "document":
            record = {k: v for k, v in record.items() if k not in BODY_FIELDS}
            if record.get("attachment"):
                record["attachment"] = {k: v for k, v in record["attachment"].items() if k not in BODY_FIELDS}
            record["annexes"] = [{k: v for k, v in a.items() if k != "text"} for a in record.get("annexes", [])]
        if self.fields:
            record = {k: record[k] for k in self.fields if k in record}
        return record


@dataclass
class Report:
    files: int = 0
    counts: dict[ExportKind, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def export(sources: Iterator[tuple[ParsedIssue, str]], catalog: Catalog, options: Options,
           writers: dict[ExportKind, Writer]) -> Report:
    report = Report(counts={k: 0 for k in options.kinds})
    for parsed, path in sources:
        report.files += 1
        resolve_in(parsed, catalog)
        for kind in options.kinds:
            for record in kind_records(kind, parsed, path, options.keep):
                if kind == "document" and not _document_wanted(record, catalog, options):
                    continue
                writers[kind].write(options.shape(record))
                report.counts[kind] += 1
    for w in writers.values():
        w.close()
    return report


def _document_wanted(record: dict, catalog: Catalog, options: Options) -> bool:
    """--level and --status (on --as-of) — the status worked out as `refs` and search do."""
    if options.level and record.get("level") != options.level:
        return False
    if options.statuses:
        from govdocs.relations.status import status_of

        entry = catalog.entries.get(record["id"])
        if entry is None or status_of(catalog, entry, as_of=options.as_of).status not in options.statuses:
            return False
    return True


def resolve_in(parsed: ParsedIssue, catalog: Catalog) -> None:
    """Resolve the parsed file's citations against the catalog (which needs no references)."""
    from govdocs.relations.resolve import resolve_one

    citing = [(doc.id, doc.references) for doc in parsed.documents]
    if parsed.chronicle is not None:
        citing += [(f"{parsed.chronicle.id}.e{i}", e.references) for i, e in enumerate(parsed.chronicle.entries, 1)]
    for citing_id, references in citing:
        for ref in references:
            resolve_one(catalog, citing_id, ref)


def _parse(path: Path, problems: list[str]) -> ParsedIssue | None:
    from govdocs.parse import DecodeError, parse_file

    try:
        return parse_file(path)
    except (DecodeError, OSError) as exc:
        problems.append(f"{path_text(path)}: {exc} — pass UTF-8, GB18030 or UTF-16 text files")
        return None


def from_files(files: list[Path], problems: list[str], progress: Progress | None = None,
               with_references: bool = False) -> tuple[Catalog, Iterator[tuple[ParsedIssue, str]]]:
    """Files named directly: a first pass builds the catalog (documents' numbers and titles, and
    their citations `with_references`, unresolved), the iterator parses again."""
    from govdocs.relations.catalog import entries_of

    catalog = Catalog()
    for path in files:
        if parsed := _parse(path, []):
            for entry in entries_of(parsed, path_text(path)):
                if entry.kind == "document":
                    if not with_references:
                        entry.references = []
                    catalog.add(entry)
        if progress:
            progress(path.stat().st_size)

    def records() -> Iterator[tuple[ParsedIssue, str]]:
        for path in files:
            if parsed := _parse(path, problems):
                yield parsed, path_text(path)
            if progress:
                progress(path.stat().st_size)

    return catalog, records()


def from_index(index_dir: Path, problems: list[str], progress: Progress | None = None
               ) -> tuple[Catalog, list[Path], Iterator[tuple[ParsedIssue, str]]]:
    """The files the index holds, skipping (with a problem) those changed since indexing.

    The file list comes from the catalog, which the indexer keeps equal to the Whoosh
    index's: reading it from Whoosh's lexicon would map most of the index into memory."""
    from govdocs.index import catalog_store
    from govdocs.index.indexer import sha256_of
    from govdocs.index.store import open_index

    ix = open_index(index_dir)  # the usual errors: no index, another version
    known = dict(k.split("\0", 1) for k in catalog_store.stored_keys(index_dir))
    if not known and ix.doc_count():  # records but no catalog (deleted): an export would be empty
        from govdocs.index.store import damaged

        raise damaged(index_dir)
    files = {key: path_of(key) for key in sorted(known)}  # keys are paths as text (`inputs.path_text`)
    paths = list(files.values())

    def records() -> Iterator[tuple[ParsedIssue, str]]:
        for key, path in files.items():
            if not path.is_file() or sha256_of(path) != known[key]:
                problems.append(f"{key}: changed or removed since it was indexed — run `govdocs index` first")
            elif parsed := _parse(path, problems):
                yield parsed, key
            if progress and path.is_file():
                progress(path.stat().st_size)

    return catalog_store.load(index_dir, with_references=False), paths, records()
