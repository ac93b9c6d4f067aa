"""A Whoosh segment writer for indexing many records at once; it writes the same files.

Whoosh's `SegmentWriter` sends every posting through a sorting pool — a tuple per posting,
a size estimate, a sort — and when the segment is written reads each document's field
length back from disk, posting by posting, and copies postings into blocks one call at a
time. On a large corpus that is most of the indexing time. `BulkWriter` keeps each term's
postings in per-term lists as documents arrive (documents arrive in number order, so the
lists are sorted), remembers each document's field lengths, and writes each term's blocks
from those lists in one call (`blocks.TermWriter`); where the compiled part was built
(`_bulk.c`), filing a document's postings and making a term's blocks run in C. Blocks, block statistics,
term infos, stored fields, lengths and columns are byte-for-byte what `SegmentWriter`
writes (`tests/test_bulk.py`).

Documents merged in from older segments (`add_reader`) still go through the pool; a segment
with both is written by merging the two sorted streams. A commit merges no segments
through Whoosh (`live_segments`): its default policy would copy small segments posting by
posting in Python whenever their sizes fell under its Fibonacci line — on a 1 GB index, the
removal of one issue ran for over 18 CPU-minutes that way. A commit that adds segments merges
small ones by re-adding their records (`merge`).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import repeat
from typing import Any

from whoosh.analysis import IDTokenizer
from whoosh.fields import UnknownFieldError
from whoosh.formats import Existence
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import CLEAR, SegmentWriter

from govdocs.index.engine.blocks import TermWriter, compiled
from govdocs.index.engine.codec import OccCodec, out_of_line
from govdocs.index.engine.merge import readd, to_merge
from govdocs.index.engine.occurrences import consume

#: how many (field, value) analyses a writer remembers
SEEN_VALUES = 100_000


def _term_bytes(term: str | bytes) -> bytes:
    return term.encode("utf-8") if isinstance(term, str) else term


def live_segments(writer, segments: list) -> list:
    """The commit's merge policy: keep every segment that still holds a live document, as it
    is, and drop those whose documents were all deleted (a removed or re-indexed file's)."""
    return [segment for segment in segments if segment.doc_count() > 0]


def _pooled(terms) -> bool:
    """Does a field keep its postings in a compiled `_bulk.Pool` (else a dict of lists)?"""
    return compiled is not None and isinstance(terms, compiled.Pool)


def quantised(length: int) -> int:
    """A field length as the segment stores it (one byte) and reads it back."""
    return byte_to_length(length_to_byte(length))


class BulkWriter(SegmentWriter):
    def __init__(self, ix, **kwargs) -> None:
        kwargs.setdefault("codec", OccCodec())
        super().__init__(ix, **kwargs)
        #: field → term → [docnum, weight, value, docnum, weight, value, …]; a term is `str`
        #: for fields with `index_columns` (encoded when written), bytes for the others. A
        #: field whose values go out of line keeps its postings in a compiled `_bulk.Pool`
        #: instead (the same, per term, in arrays) where it was built
        self._terms: dict[str, Any] = {}
        #: field → docnum → quantised field length (scorable fields)
        self._lengths: dict[str, dict[int, int]] = {}
        #: (field, value) → postings columns of values analysed by Whoosh (`_analysed`); looked
        #: up with the key None for a value not remembered (not a string), never stored under it
        self._seen_values: dict[tuple[str, str] | None, tuple] = {}
        #: the fields analysed as Whoosh's plain ID analyses (`_analysed`)
        self._plain_ids: set[str] = set()
        #: field name → (field, indexed, scorable, stored, column type), checked once (`_plan_field`)
        self._plan: dict[str, tuple] = {}

    def close_segment(self):
        """Write the records added so far as a segment and return it (None if there were
        none), without committing: another process's writer commits it (`commit_with`)."""
        if self._added:
            return self._finalize_segment()
        self._close_segment()
        return None

    def commit_with(self, segments: list, clear: bool = False) -> None:
        """One atomic commit of this writer's records plus `segments` written by other
        writers (`close_segment`) — the sequence `whoosh.multiproc.MpWriter` uses for its
        sub-writers; `clear` drops every segment the index had before. Small segments are
        merged on the way (`merge.to_merge`)."""
        if not segments:
            self.commit(mergetype=CLEAR if clear else None)
            return
        final = self._merge_segments(CLEAR if clear else None, False, False)
        final += segments
        merging = to_merge(final)
        if merging:  # small segments merged into this writer's own (`merge`)
            readd(self, merging)
            final = [segment for segment in final if segment not in merging]
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()

    def _merge_segments(self, mergetype, optimize, merge):
        """Every commit's policy is `live_segments`, unless the commit names another or
        optimizes."""
        if mergetype is None and not optimize:
            mergetype = live_segments
        return super()._merge_segments(mergetype, optimize, merge)

    def abandon(self, then=None) -> None:
        """Cancel, and never fail doing so: `SegmentWriter.cancel` closes the new segment's
        files first and raises when that fails (the disk that ended the run is still full, the
        temporary folder that writers share is gone), leaving the lock held. Here whatever can
        be closed is, `then()` runs while the lock is still held, and the lock is released."""
        if getattr(self, "is_closed", False):  # SegmentWriter's
            return
        try:
            for step in (self._close_segment, self._tempstorage.destroy):
                try:
                    step()
                except Exception:  # the run is failing already; its files are removed as dead  # noqa: S112
                    continue
            if then is not None:
                try:
                    then()
                except OSError:  # left for the next run, which removes dead files first
                    pass
        finally:
            self.is_closed = True
            if self.writelock:
                self.writelock.release()

    def add_documents(self, records: list[dict]) -> None:
        """`add_document(**record)` for each record, the values of a field that analyses many
        at once (`index_columns_many`, e.g. `analyzer.JiebaText`) analysed together — filed
        straight into its pool before the records are added where it can (`_file_many`), and
        taken out again for the records a failure leaves unadded. Every field name is checked
        first."""
        self._check_state()
        names = sorted({name for record in records for name in record})
        for name in names:  # every name checked before anything is filed
            if name not in self._plan:
                self._plan_field(name)
        prepared: list[dict[str, tuple | int]] = [{} for _ in records]
        filed_into: list[Any] = []  # the pools (compiled `Pool`s) the batch's postings went into
        try:
            for name in names:
                field, indexed = self._plan[name][:2]
                many = getattr(field, "index_columns_many", None)
                if not (indexed and many):
                    continue
                holding = [i for i, record in enumerate(records) if record.get(name) is not None]
                values = [records[i][name] for i in holding]
                filed = self._file_many(name, field, values, [self.docnum + i for i in holding], filed_into)
                for i, columns in zip(holding, many(values) if filed is None else filed, strict=True):
                    prepared[i][name] = columns
            for record, columns in zip(records, prepared, strict=True):
                self._add(record, columns)
        except BaseException:  # the records not added leave no posting behind: the writer goes on as before
            for pool in filed_into:
                pool.truncate(self.docnum)
            raise

    def _file_many(self, name: str, field, values: list, docnums: list[int], filed_into: list) -> list[int] | None:
        """Where the field files its values' postings straight into a compiled `Pool`
        (`index_into`, e.g. `analyzer.JiebaText`): filed as the documents `docnums` (the pool
        appended to `filed_into` first), and each value's length; else None, nothing filed.
        The records are then added in that order, as those documents; if one fails, the
        postings of those not added are taken out again (`Pool.truncate`)."""
        into = getattr(field, "index_into", None)
        terms = self._terms_of(name, field)
        if into is None or not _pooled(terms) or not hasattr(terms, "add_batch"):  # no pool, or one built before it
            return None
        filed_into.append(terms)
        return into(values, terms, docnums)

    def add_document(self, **fields) -> None:
        self._add(fields, {})

    def _add(self, fields: dict, prepared: dict[str, tuple | int]) -> None:
        """Add a document; `prepared` holds the index columns of fields already analysed."""
        self._check_state()
        docnum, perdoc, plan = self.docnum, self.perdocwriter, self._plan
        names = sorted(fields)
        for name in names:
            if name not in plan:
                self._plan_field(name)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field, indexed, scorable, stored, column_type = plan[name]
                length = 0
                if indexed:
                    length = self._file_postings(name, field, value, docnum, prepared.get(name))
                    if not scorable:
                        length = 0
                    elif length:
                        self._lengths.setdefault(name, {})[docnum] = quantised(length)
                perdoc.add_field(name, field, value if stored else None, length)
                if column_type:
                    perdoc.add_column_value(name, column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _plan_field(self, name: str) -> None:
        """Check a field name once and remember what `add_document` asks of its field."""
        if name not in self.schema:
            raise UnknownFieldError(f"No field named {name!r} in {self.schema}")
        if name.startswith("_"):
            raise ValueError(f"{name!r}: per-document boosts and stored overrides are not supported")
        field = self.schema[name]
        self._plan[name] = (field, field.indexed, field.scorable, field.stored, field.column_type)
        if type(field.analyzer) is IDTokenizer and type(field.format) is Existence:  # no filter, no frequency
            self._plain_ids.add(name)

    def _file_postings(self, name: str, field, value, docnum: int, columns: tuple | int | None = None) -> int:
        """Append the document's postings of one field (`columns`, if they were found
        already; their length if they were filed already, `_file_many`) to its terms' lists,
        by `map()`s; returns the field's length (the sum of frequencies)."""
        if isinstance(columns, int):
            return columns
        index_columns = getattr(field, "index_columns", None)
        if columns is not None:
            keys, freqs, weights, values = columns
        elif index_columns is not None:
            keys, freqs, weights, values = index_columns(value)
        else:
            keys, freqs, weights, values = self._analysed(name, field, value)
        terms = self._terms_of(name, field)
        if compiled is not None:  # no Python object kept a posting (`Pool`), or no tuple made
            if _pooled(terms):
                terms.add(keys, weights, values, docnum)
            else:
                compiled.file_postings(terms, keys, weights, values, docnum)
            return freqs[0] if len(freqs) == 1 else sum(freqs)
        if len(keys) == 1:  # an ID field
            terms[keys[0]] += (docnum, weights[0], values[0])
            return freqs[0]
        consume(map(list.extend, map(terms.__getitem__, keys), zip(repeat(docnum), weights, values)))
        return sum(freqs)

    def _terms_of(self, name: str, field) -> Any:
        """The field's postings so far: a compiled `Pool` for a field whose values go out of
        line, else a dict of lists (a new term's list is made in C, either way)."""
        terms = self._terms.get(name)
        if terms is None:
            terms = self._terms[name] = (defaultdict(list) if compiled is None else
                                         compiled.Pool() if out_of_line(field.format) else {})
        return terms

    def _analysed(self, name: str, field, value) -> tuple:
        """Whoosh's `field.index(value)` as columns, remembered: most ID and KEYWORD values
        recur (kind, issuer, year, status …) and Whoosh's analysis of a value is slow. A
        plain ID field's is written down instead — its value, once, frequency 1, the field's
        boost, no value bytes: what IDTokenizer and Existence give — for its values never
        recur in the fields that matter (each record's id, file, path: 14,000 analyses of
        ~5 µs per 25 MB indexed, and as many entries filling the memory of values seen)."""
        if name in self._plain_ids and isinstance(value, str):
            return (value.encode("utf-8"),), (1,), (field.format.field_boost,), (b"",)
        key = (name, value) if isinstance(value, str) else None
        columns = self._seen_values.get(key)
        if columns is None:
            postings = list(field.index(value))
            columns = tuple(zip(*postings, strict=False)) if postings else ((), (), (), ())
            if key is not None and len(self._seen_values) < SEEN_VALUES:
                self._seen_values[key] = columns
        return columns

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        if self.pool.current or self.pool.runs:  # documents merged in from other segments
            pdr = self.per_document_reader()
            fw.add_postings(self.schema, pdr, heapq.merge(self.pool.iter_postings(), self._postings()))
            pdr.close()
        else:
            for name in sorted(self._terms):
                terms = self._terms[name]
                fw.start_field(name, self.schema[name])
                out = TermWriter(fw, self._lengths.get(name, {}), self.docnum)
                pooled = _pooled(terms)
                for key in sorted(terms.keys()):  # code point order is UTF-8 byte order
                    if pooled:
                        out.write_pooled(_term_bytes(key), terms, key)
                    else:
                        out.write_flat(_term_bytes(key), terms[key])
                out.finish()
                fw.finish_field()
        fw.close()

    def _postings(self):
        """This writer's own postings as the pool yields them: (field, term, docnum, weight, value)."""
        for name in sorted(self._terms):
            terms = self._terms[name]
            flat = terms.flat if _pooled(terms) else terms.__getitem__
            for key in sorted(terms.keys()):
                postings, tbytes = flat(key), _term_bytes(key)
                for docnum, weight, value in zip(postings[0::3], postings[1::3], postings[2::3], strict=False):
                    yield name, tbytes, docnum, float(weight), value  # a frequency may stand for its weight
