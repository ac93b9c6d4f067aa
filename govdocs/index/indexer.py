"""Getting files into the index: incremental, atomic, optionally parallel.

`update_index()` mirrors files into the index: files are known by their resolved path and
SHA-256; unchanged files are skipped, changed ones replaced, files that disappeared from a
folder being indexed are removed. All changes land in one Whoosh commit (a new table of
contents written last), so a run that is killed leaves the previous index searchable and the
next run redoes what was lost. New records go into new segments, written by `BulkWriter`
(a new segment every `SEGMENT_BYTES` of text, to bound memory) — with `jobs > 1` by worker
processes that parse and index disjoint files; the parent deletes the records of changed and
removed files and adds every new segment in that single commit.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import queue
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from whoosh.index import TOC, LockError

from govdocs.index import catalog_store
from govdocs.index.engine import BulkWriter, paused
from govdocs.index.store import (
    IndexProblem,
    check_not_foreign,
    check_writable,
    clear_index,
    create_index,
    damaged,
    has_dictionary,
    holds_index_files,
    index_exists,
    open_index,
    remove_dead_files,
    write_dictionary,
)
from govdocs.inputs import path_of, path_text


@dataclass
class IndexReport:
    index_dir: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    records: int = 0
    bytes: int = 0
    #: (path, one-line problem) for files that could not be indexed
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: (path, one-line note) for files indexed in part: no document found, or lines whose
    #: text the parser could not place (`ParsedIssue.leftovers`)
    incomplete: list[tuple[str, str]] = field(default_factory=list)
    #: documents whose status changed (an amendment or repeal was indexed)
    restated: int = 0


def file_key(path: Path) -> str:
    """The resolved path as text (a name's bytes that are not UTF-8 as `\\xNN`: `inputs.path_text`)."""
    return path_text(path.resolve())


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def indexed_files(ix) -> dict[str, str]:
    """path → sha256 of every file the index holds: segment by segment, each segment's own
    `file_key` lexicon (a deleted file's term stays in a segment's lexicon until the segment is
    merged or emptied, so where a segment has deletions, its term must still have a live
    posting there). Asking the whole index about every key looked each one up in every
    segment: 2.9 s of adding one issue to a 1 GB index."""
    keys: set[str] = set()
    with ix.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            if "file_key" not in leaf.indexed_field_names():
                continue
            deletions = leaf.has_deletions()
            keys.update(k.decode("utf-8") for k in leaf.lexicon("file_key")
                        if not deletions or leaf.postings("file_key", k).is_active())
    return dict(k.split("\0", 1) for k in sorted(keys))


Progress = Callable[[str, int], None]


def update_index(files: list[Path], roots: list[Path], index_dir: Path, *, rebuild: bool = False, jobs: int = 1,
                 progress: Progress | None = None, planned: Callable[[int], None] | None = None,
                 keep: Sequence[Path] = ()) -> IndexReport:
    """Bring the index at `index_dir` in line with `files` (found under `roots`); `keep` are
    files that exist but cannot be read: what the index holds of them stays as it is."""
    report = IndexReport(path_text(index_dir))
    check_writable(index_dir)
    if rebuild:  # from any state: every file of the old index goes, derived ones included
        if index_dir.is_dir():
            clear_index(index_dir)
        ix = create_index(index_dir, dictionary=False)
    elif not index_exists(index_dir):
        if holds_index_files(index_dir):  # never silently start over on a damaged index
            raise damaged(index_dir)
        check_not_foreign(index_dir)  # nor fill someone else's folder
        ix = create_index(index_dir, dictionary=False)
    else:
        ix = open_index(index_dir)  # e.g. built by another govdocs version: the message says --rebuild
    known = {} if rebuild else indexed_files(ix)
    current = {file_key(p): p for p in files}
    root_keys = [file_key(r) for r in roots]
    todo: list[tuple[str, Path]] = []
    for key, path in current.items():
        if key not in known:
            report.added.append(key)
            todo.append((key, path))
        elif known[key] != sha256_of(path):
            report.updated.append(key)
            todo.append((key, path))
        else:
            report.unchanged += 1
    unread = {file_key(p) for p in keep}
    report.removed = sorted(k for k in known if k not in current and k not in unread and _under(k, root_keys))
    if planned:
        planned(sum(p.stat().st_size for _, p in todo))
    # a new index's dictionary (or one a killed run did not write) is written before the
    # commit: while the workers index, when there are workers
    parallel = jobs > 1 and len(todo) > 1
    dictionary = None if has_dictionary(index_dir) else lambda: write_dictionary(index_dir)
    if dictionary and not parallel:
        dictionary()
    if not (todo or report.removed or rebuild):
        clean_dead_files(ix, index_dir)
        _relations(ix, index_dir, report, known)  # repairs a run killed after the Whoosh commit
        return report

    spool = catalog_store.Spool(index_dir)  # the catalog rows of the files indexed
    try:
        writer = locked_writer(ix, index_dir)
        try:
            for key in report.updated + report.removed:
                writer.delete_by_term("source_path", key)
            if parallel:
                segments = _index_parallel(ix, todo, jobs, report, progress, spool, meanwhile=dictionary)
            else:
                batches = Segments(ix)
                try:
                    with paused():  # Segments collects young objects after each file
                        for key, path in todo:
                            batches.add(key, path, report, progress, spool.add)
                        segments = batches.finish()
                except BaseException:
                    batches.cancel()
                    raise
            spool.flush()
            pause_for_tests("commit")
            writer.commit_with(segments, clear=rebuild)
        except BaseException:  # what this run wrote goes, while its lock is still held
            writer.abandon(then=lambda: remove_dead_files(index_dir, writer.generation - 1,
                                                          _segment_ids(writer.segments)))
            raise
        # what the index now holds, derived rather than read back from Whoosh's lexicon (that
        # read maps most of the index into memory): the files kept, plus those indexed in this
        # run (an updated file that failed was deleted, so it is in neither)
        gone = set(report.removed) | set(report.updated)
        kept = {k: sha for k, sha in known.items() if k not in gone}
        for entry in spool.keys:  # "path\0sha256"
            key, sha = entry.split("\0", 1)
            kept[key] = sha
        _relations(ix, index_dir, report, kept, rebuild, spool)
    finally:
        spool.close()
    return report


#: how long an `index` run waits for another one writing the same index before giving up
LOCK_WAIT = 30.0
#: who holds the index's write lock (Whoosh's lock file says nothing): read when a run must wait
HOLDER_FILE = "govdocs.holder"


def locked_writer(ix, index_dir: Path) -> BulkWriter:
    """The index's writer, once its write lock is ours: another run holding it is waited for
    (LOCK_WAIT seconds), then named in the error. The lock is an fcntl lock, so one whose holder
    died is free: a killed run never blocks the next. With the lock held, what failed or killed
    runs left (segments no table of contents references, temporary files) is removed."""
    try:
        writer = BulkWriter(ix, timeout=LOCK_WAIT, delay=0.2)
    except LockError:
        holder = index_dir / HOLDER_FILE
        who = holder.read_text(encoding="utf-8").strip() if holder.is_file() else "another process"
        raise IndexProblem(f"the index at {index_dir} is being written by {who} — wait for it to finish, "
                           "then run again") from None
    try:
        (index_dir / HOLDER_FILE).write_text(f"govdocs index (pid {os.getpid()})\n", encoding="utf-8")
        # the writer's own new segment and temporary folder are alive
        remove_dead_files(index_dir, writer.generation - 1, _segment_ids([*writer.segments, writer.newsegment]),
                          keep=frozenset({TEMP_FOLDER}))
    except BaseException:
        writer.abandon()
        raise
    return writer


#: Whoosh's temporary folder, made by each writer and removed when it finishes
TEMP_FOLDER = "MAIN.tmp"


def _segment_ids(segments) -> set[str]:
    return {segment.segment_id() for segment in segments}


def clean_dead_files(ix, index_dir: Path) -> None:
    """Remove what failed or killed runs left, when no other run holds the lock (a run that
    changes nothing takes no writer; one that holds the lock is writing files of its own)."""
    lock = ix.lock("WRITELOCK")
    if not lock.acquire(blocking=False):
        return
    try:
        toc = TOC.read(ix.storage, ix.indexname)
        remove_dead_files(index_dir, toc.generation, _segment_ids(toc.segments))
    finally:
        lock.release()


#: the test hook: `GOVDOCS_TEST_PAUSE=STAGE:MARKER` makes a run that reaches STAGE write the
#: file MARKER and wait there to be killed (tests/test_hostile_kill.py)
PAUSE_STAGES = ("parse", "segment", "commit", "catalog")


def pause_for_tests(stage: str) -> None:
    """Wait at `stage` for ever, once MARKER is written, when the test hook names it (the
    one place it is read). Stages: `parse` (a file parsed, its records not yet written),
    `segment` (a segment's files half-written), `commit` (every segment written, the table of
    contents not yet), `catalog` (inside the catalog's transaction, after the Whoosh commit)."""
    hook = os.environ.get("GOVDOCS_TEST_PAUSE")
    if not hook or hook.split(":", 1)[0] != stage:
        return
    import time

    marker = hook.split(":", 1)[1] if ":" in hook else f"govdocs-paused-{stage}"
    Path(marker).write_text(f"{os.getpid()}\n", encoding="utf-8")
    while True:
        time.sleep(60)


def _relations(ix, index_dir: Path, report: IndexReport, held: dict[str, str], rebuild: bool = False,
               spool: catalog_store.Spool | None = None) -> None:
    """Bring the catalog in line with the files the index holds (`held`: path → sha256) — the
    rows of this run's files are in `spool` — then the indexed statuses with the catalog."""
    live = {f"{path}\0{sha}" for path, sha in held.items()}
    stored = set() if rebuild else catalog_store.stored_keys(index_dir)
    spooled = set(spool.keys) if spool else set()
    repaired = []
    for k in live - stored - spooled:  # indexed by a run that was killed before this step
        path, sha = k.split("\0", 1)
        if path_of(path).is_file() and sha256_of(path_of(path)) == sha:
            repaired.append(catalog_store.row_of(k, _entries(path_of(path), path)))
    if rebuild:
        catalog_store.clear(index_dir)
    if spooled & live or repaired or stored - live:
        new = (row for row in spool.rows() if row[0] in live) if spool else ()
        catalog_store.apply(index_dir, stored - live, chain(new, repaired),
                            before_commit=lambda: pause_for_tests("catalog"))
    report.restated = _restate(ix, index_dir)


def _entries(path: Path, key: str) -> list:
    from govdocs.parse import parse_file
    from govdocs.relations.catalog import entries_of

    return entries_of(parse_file(path), key)


def _restate(ix, index_dir: Path) -> int:
    """Re-add the documents whose change dates (the first day a document of the corpus repeals
    or amends them, from the whole catalog) differ from the index's.

    A document is indexed with none, so only the documents the catalog says are amended or
    repealed, and those the index marks so, are looked up — not every document."""
    from govdocs.relations.status import CHANGES, change_dates

    wanted = change_dates(catalog_store.load(index_dir, relations=CHANGES))
    with ix.searcher() as searcher:
        reader = searcher.reader()

        def stored(docnum: int) -> tuple[str | None, str | None]:
            fields = searcher.stored_fields(docnum)
            return fields.get("repealed_on") or None, fields.get("amended_on") or None

        # the documents the index marks repealed or amended: the (few) postings of those fields
        marked = {docnum for name in ("repealed_on", "amended_on") if name in reader.indexed_field_names()
                  for term in reader.lexicon(name) for docnum in reader.postings(name, term).all_ids()
                  if not reader.is_deleted(docnum)}
        changed = []
        for docnum in marked:
            fields = searcher.stored_fields(docnum)
            dates = wanted.get(fields["id"], (None, None))
            if dates != stored(docnum):
                changed.append(_with_dates(fields, dates))
        for doc_id, dates in wanted.items():
            docnum = searcher.document_number(id=doc_id)
            if docnum is not None and docnum not in marked and dates != stored(docnum):
                changed.append(_with_dates(searcher.stored_fields(docnum), dates))
    if changed:
        writer = locked_writer(ix, index_dir)
        try:
            for fields in changed:
                writer.update_document(**fields)
            writer.commit()
        except BaseException:
            writer.abandon()
            raise
    return len(changed)


def _with_dates(fields: dict, dates: tuple[str | None, str | None]) -> dict:
    return {**fields, "repealed_on": dates[0], "amended_on": dates[1]}


def incompleteness(parsed) -> str | None:
    """What a user must know of a parse that is indexed only in part, in one line (or None)."""
    if not parsed.documents and parsed.chronicle is None:
        return "no document found"
    if parsed.leftovers:
        cov = parsed.coverage
        spans = ", ".join(f"{s.line_start}–{s.line_end}" if s.line_end > s.line_start else str(s.line_start)
                          for s in parsed.leftovers[:5])
        more = "…" if len(parsed.leftovers) > 5 else ""
        return f"{cov.lines - cov.placed} of {cov.lines} lines not placed in any document (lines {spans}{more})"
    return None


def _under(key: str, roots: list[str]) -> bool:
    return any(key == r or key.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


#: where a file's catalog row goes: the run's spool, or the queue to the process that keeps it
CatalogSink = Callable[[catalog_store.Row], None]


def _index_file(writer, key: str, path: Path, report: IndexReport, progress: Progress | None,
                catalog: CatalogSink) -> None:
    from govdocs.index.records import records
    from govdocs.parse import DecodeError, parse_file

    size = path.stat().st_size
    try:
        parsed = parse_file(path)
    except DecodeError as exc:
        report.failed.append((key, str(exc)))
        for lst in (report.added, report.updated):
            if key in lst:
                lst.remove(key)
    else:
        from govdocs.relations.catalog import entries_of

        pause_for_tests("parse")
        batch: list[dict] = []
        characters = 0
        for rec in records(parsed, key):  # analysed a batch at a time: the batches bound the memory
            batch.append(rec)
            characters += len(rec.get("content") or "")
            if characters >= BATCH_CHARACTERS:
                writer.add_documents(batch)
                report.records += len(batch)
                batch, characters = [], 0
        writer.add_documents(batch)
        report.records += len(batch)
        if note := incompleteness(parsed):
            report.incomplete.append((key, note))
        catalog(catalog_store.row_of(f"{key}\0{parsed.source.sha256}", entries_of(parsed, key)))
        report.bytes += size
    if progress:
        progress(key, size)


#: a file's records are analysed together (`BulkWriter.add_documents`) up to about this much
#: content (characters): NumPy's cost per call is paid once per batch, and a batch's arrays
#: (~100 bytes an occurrence) stay small
BATCH_CHARACTERS = 1 << 20

#: a segment is closed after this much text: `BulkWriter` holds a segment's postings in
#: memory, so this bounds a worker's memory (docs/performance.md)
SEGMENT_BYTES = 32_000_000


class Segments:
    """Indexes files into new segments of at most ~SEGMENT_BYTES of text each."""

    def __init__(self, ix) -> None:
        self.ix = ix
        self.writer: BulkWriter | None = None
        self.size = 0
        self.done: list = []

    def add(self, key: str, path: Path, report: IndexReport, progress: Progress | None, catalog: CatalogSink) -> None:
        if self.writer is None:
            self.writer, self.size = BulkWriter(self.ix, _lk=False), 0
        before = report.bytes
        _index_file(self.writer, key, path, report, progress, catalog)
        self.size += report.bytes - before
        pause_for_tests("segment")
        gc.collect(1)
        if self.size >= SEGMENT_BYTES:
            self._close()

    def _close(self) -> None:
        writer, self.writer = self.writer, None
        assert writer is not None  # called with a segment open
        if (segment := writer.close_segment()) is not None:
            self.done.append(segment)

    def finish(self) -> list:
        """The segments written (for the parent's one commit)."""
        if self.writer is not None:
            self._close()
        return self.done

    def cancel(self) -> None:
        """Drop the segment being written (the parent removes its files and those of the
        segments closed: nothing references them)."""
        if self.writer is not None:
            self.writer.abandon()
            self.writer = None


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux: PR_SET_PDEATHSIG), so a
    killed `govdocs index` leaves no worker behind holding the index's lock; elsewhere, or if
    the parent is already gone, the worker ends at once."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _worker(ix, tasks, results, parent: int) -> None:
    _die_with(parent)
    report = IndexReport("")
    batches = Segments(ix)
    try:
        with paused():  # Segments collects young objects after each file
            while (task := tasks.get()) is not None:
                key, path = task
                batches.add(key, Path(path), report, lambda k, size: results.put(("progress", k, size)),
                            lambda row: results.put(("catalog", row)))
            segments = batches.finish()
        results.put(("done", segments, report))
    except OSError as exc:  # a full disk, a file size limit: the parent says so as for its own writes
        batches.cancel()
        results.put(("oserror", (exc.errno, exc.strerror or str(exc), exc.filename), None))
    except BaseException as exc:  # reported to the parent, which cancels the commit
        batches.cancel()
        results.put(("error", f"{type(exc).__name__}: {exc}", None))


def _index_parallel(ix, todo, jobs, report, progress, spool: catalog_store.Spool,
                    meanwhile: Callable[[], None] | None = None) -> list:
    """Index `todo` in `jobs` worker processes; the segments they wrote. `meanwhile` runs in
    this process once the workers have started (forking with a thread running is unsafe)."""
    from govdocs.index.analyzer import default_analysis

    _ = default_analysis().segmenter  # build the dictionary once; forked workers share it
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    for key, path in sorted(todo, key=lambda t: -t[1].stat().st_size):
        tasks.put((key, str(path)))
    n = min(jobs, len(todo))
    for _ in range(n):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(ix, tasks, results, os.getpid()), daemon=True) for _ in range(n)]
    for p in procs:
        p.start()
    segments, done = [], 0
    try:
        if meanwhile:
            meanwhile()
        while done < n:
            try:
                msg = results.get(timeout=1.0)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise IndexProblem("an indexing worker died — run `govdocs index` again (use --jobs 1 to see "
                                       "the error)") from None
                continue
            if msg[0] == "catalog":
                spool.add(msg[1])
            elif msg[0] == "progress":
                if progress:
                    progress(msg[1], msg[2])
            elif msg[0] == "done":
                done += 1
                segments += msg[1]
                sub = msg[2]
                report.records += sub.records
                report.bytes += sub.bytes
                report.failed += sub.failed
                report.incomplete += sub.incomplete
            elif msg[0] == "oserror":
                raise OSError(*msg[1])
            else:
                raise IndexProblem(f"indexing failed: {msg[1]}")
    except BaseException:  # the run fails: the other workers' work is not wanted, and they would
        for p in procs:  # wait to hand their queued rows to a parent no longer reading them
            if p.is_alive():
                p.kill()
        raise
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
    failed = {k for k, _ in report.failed}
    report.added = [k for k in report.added if k not in failed]
    report.updated = [k for k in report.updated if k not in failed]
    return segments
