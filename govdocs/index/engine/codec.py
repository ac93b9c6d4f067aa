"""The index codec: Whoosh's W3 format with the text fields' occurrences kept out of its blocks.

W3 stores a posting list as zlib-compressed pickled blocks of (document numbers, weights,
values), decompressed whole. A text field's value is its occurrences (positions and character
spans), so reading which documents hold 服务 and how often meant inflating megabytes of
positions nobody asked for (docs/engine.md has the figures). `OccCodec` writes those values to
a file of their own in the segment (`.occ`, in posting order: a term's values one after the
other), packed small by their format (`occurrences`: deltas as UTF-8 code points, ~2 bytes
an occurrence). Those fields' blocks (1,024 postings) are not zlib'd pickles of number tuples
but packed little-endian arrays — document number deltas, integer weights, value sizes, in the
narrowest width that holds them, after the block's first document number and the offset of
its first value (`block_format`, which writes and reads those blocks) — that `frombytes()`
and `accumulate` read at once. A term
query reads only these blocks; a phrase or a snippet reads the occurrences of the documents
it checks, sliced out of the memory-mapped segment. Stored fields are a pickle per document,
not zlib'd as W3's are: a hit's text is read, not inflated (`STORED_COLUMN`).

Every Whoosh code path still sees ordinary values: the postings writer moves them out as it
receives them (so `SegmentWriter`, its merges and `BulkWriter` write the same bytes) and the
terms reader's matchers put them back (so Whoosh's phrase matchers, `iter_postings()` and
segment merging work unchanged). The evaluator reads a term's lists in every segment at once
(`block_format.ool_lists`, from `ool_extent()`'s bytes); `postings_ndarrays()` gives one
segment's list as arrays, values as offsets (and the end of the last one), and
`postings_arrays()` the same as Python numbers.

Which fields go out of line is a property of their format (`out_of_line = True`).
"""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from itertools import accumulate, repeat
from operator import sub

from whoosh import columns
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort

from govdocs.index.engine.block_format import (
    ValueOffsets,
    block_info,
    mini_ids,
    mini_weights,
    ool_block_data,
    ool_postings,
    posting_blocks,
    read_ool_block,
)
from govdocs.index.engine.hashed import HashIndex, item_value, values_in
from govdocs.index.engine.occurrences import value_at, value_size
from govdocs.index.engine.zero_copy import ViewCompoundStorage

OCC_EXT = ".occ"
#: `OccTermsReader._term_info_bytes`: the table is not mapped, ask Whoosh
_WHOOSH = object()


class VarBytesColumn(columns.VarBytesColumn):
    """Whoosh's `VarBytesColumn`, whose reader derives each document's offset from the
    lengths by one C-level `accumulate` — Whoosh appends them one at a time in Python, which
    every search command paid on its first hit."""

    class Writer(columns.VarBytesColumn.Writer):
        def finish(self, doccount) -> None:
            """Whoosh's, the documents after the last value filled in first: Whoosh takes the
            offsets array before filling them, and a fill that widens the array (the end offset
            past 255 or 65,535) left the array it writes short of those documents. (Its `fill`
            does not advance the count, so the count is set here, or the fill would be twice.)"""
            self.fill(doccount)
            self._count: int = max(self._count, doccount)
            super().finish(doccount)

    class Reader(columns.VarBytesColumn.Reader):
        def _read_offsets_and_lengths(self) -> None:
            lastbyte = self._basepos + self._length - 1
            lens_code = chr(self._dbfile.get_byte(lastbyte))
            if lens_code == "X":  # the writer stored the offsets too
                super()._read_offsets_and_lengths()
                return
            start = lastbyte - struct.calcsize(lens_code) * self._doccount
            self._lengths = self._dbfile.get_array(start, lens_code, self._doccount)
            self._offsets = array("L", accumulate(self._lengths, initial=0))
            self._offsets.pop()


#: a document's stored fields, pickled — not zlib-compressed as W3 does: a hit's text is read,
#: not inflated. zlib (level 3) took the 50 MB bench's stored fields from 56 to 27 MB, but
#: inflating a 45 KB plan costs ~0.5 ms a hit, and the searches whose hits are long plans
#: slowed by a fifth (docs/performance.md)
#: Each document's offset is written beside the lengths (Whoosh writes them past 32,768
#: documents): a fresh search read a segment's lengths and summed them for the offsets, ~0.5 ms
#: for each segment its hits come from; an index written before reads as before.
STORED_COLUMN = columns.PickleColumn(VarBytesColumn(write_offsets_cutoff=0))
#: postings per block of an out-of-line field (W3's default is 128): its blocks are arrays
#: read whole by the evaluator, so fewer blocks mean fewer reads; Whoosh's matchers do not care
OUT_OF_LINE_BLOCK = 1024


def out_of_line(format_) -> bool:
    return getattr(format_, "out_of_line", False)


class OccCodec(W3Codec):
    def __init__(self, *args, text_blocklimit: int = OUT_OF_LINE_BLOCK, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: postings per block of an out-of-line field
        self.text_blocklimit = text_blocklimit

    def new_segment(self, storage, indexname):
        return OccSegment(self, indexname)

    def per_document_writer(self, storage, segment):
        return OccPerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return OccPerDocReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return OccPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                 compression=self._compression, inlinelimit=self._inlinelimit)

    def field_writer(self, storage, segment):
        return OccFieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        occname = segment.make_filename(OCC_EXT)
        occfile = storage.open_file(occname) if storage.file_exists(occname) else None
        return OccTermsReader(self, storage.open_file(tiname), storage.file_length(tiname),
                              segment.open_file(storage, self.POSTS_EXT), occfile)


class OccSegment(W3Segment):
    """W3's segment, whose compound file is read in place (`zero_copy`)."""

    def open_compound_file(self, storage):
        name = self.make_filename(self.COMPOUND_EXT)
        return ViewCompoundStorage(storage.open_file(name), use_mmap=storage.supports_mmap)


class OccPerDocWriter(W3PerDocWriter):
    def _create_column(self, fieldname, column) -> None:
        super()._create_column(fieldname, STORED_COLUMN if fieldname == "_stored" else column)


class OccPerDocReader(W3PerDocReader):
    def stored_fields(self, docnum) -> dict:
        return self._cached_reader("_stored", STORED_COLUMN)[docnum] or {}


class OccPostingsWriter(W3PostingsWriter):
    #: the segment's occurrence file while an out-of-line field is written; None otherwise
    occfile = None

    #: where the current block's first value starts in the occurrence file
    _block_base = 0

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        """For an out-of-line field, the value goes to the occurrence file and its size to
        the block (`_values`)."""
        if self.occfile is None:
            super().add_posting(id_, weight, vbytes, length)
            return
        if len(self._ids) >= self._blocklimit:
            self._write_block()  # as W3 would at the next line, but before the value is written
        if not self._ids:
            self._block_base = self.occfile.tell()
        self.occfile.write(vbytes)
        super().add_posting(id_, weight, b"", length)
        self._values.append(len(vbytes))

    def _mini_ids(self):
        return super()._mini_ids() if self._byteids else mini_ids(self._ids)

    def _mini_weights(self):
        return mini_weights(self._weights)

    def _write_block(self, last=False) -> None:
        """W3's block, but for an out-of-line field: its data is packed arrays, uncompressed
        (`ool_block_data`) — read back by `frombytes()`, not by unpickling and inflating a
        tuple of Python numbers per block."""
        if self.occfile is None:
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        databytes = ool_block_data(ids, self._weights, self._block_base, self._values)
        infobytes = block_info(len(ids), ids[-1], self._maxweight, 0, self._minlength, self._maxlength)
        size = len(infobytes) + len(databytes)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class OccFieldWriter(W3FieldWriter):
    def __init__(self, codec, storage, segment) -> None:
        super().__init__(codec, storage, segment)
        self._occfile = self._create_file(OCC_EXT)

    def start_field(self, fieldname, fieldobj) -> None:
        super().start_field(fieldname, fieldobj)
        ool = out_of_line(fieldobj.format)
        self._postwriter.occfile = self._occfile if ool else None
        self._postwriter._blocklimit = self._codec.text_blocklimit if ool else self._codec._blocklimit

    def close(self) -> None:
        super().close()
        self._occfile.close()


class OccTermsReader(W3TermsReader):
    def __init__(self, codec, dbfile, length, postfile, occfile) -> None:
        # W3TermsReader.__init__, with the terms table opened as `hashed.HashIndex`
        self._codec = codec
        self._dbfile = dbfile
        self._tindex = HashIndex(dbfile, length)
        self._fieldmap = self._tindex.extras["fieldmap"]
        self._postfile = postfile
        self._fieldunmap = [None] * len(self._fieldmap)
        for fieldname, num in self._fieldmap.items():
            self._fieldunmap[num] = fieldname
        self._occfile = occfile
        buf = getattr(occfile, "_buf", None)  # a memory-mapped compound segment
        if occfile is None:
            self.occurrences = memoryview(b"")
        elif buf is not None:
            self.occurrences = memoryview(buf).cast("B")
        else:
            occfile.seek(0)
            self.occurrences = memoryview(occfile.read())

    #: term infos kept per open segment (a segment never changes): a query for 省人民政府 looks
    #: up some fifty terms, most of them absent, at ~40 µs each in Whoosh's hashed table
    TERM_INFO_CACHE = 65536

    def term_info(self, fieldname, tbytes):
        found = self.find_term_info(fieldname, tbytes)
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return found

    def find_term_info(self, fieldname, tbytes) -> W3TermInfo | None:
        """`term_info()`, None for a term the segment lacks (no exception raised: most of a
        query's look-ups miss — `TermTables.holding` asks every segment at once)."""
        found = self._infos().get((fieldname, tbytes))
        if found is None:
            raw = self._term_info_bytes(fieldname, tbytes)
            if raw is _WHOOSH:  # not mapped in memory: Whoosh's own look-up
                try:
                    found = super().term_info(fieldname, tbytes)
                except TermNotFound:
                    found = False
            else:
                found = False if raw is None else W3TermInfo.from_bytes(raw)
            self._remember(fieldname, tbytes, found)
        return found or None

    def _infos(self) -> dict:
        """(field, term bytes) → its term info, False for none (made on first use)."""
        return self.__dict__.setdefault("_term_infos", {})

    def _remember(self, fieldname, tbytes, found) -> None:
        cache = self._infos()
        if len(cache) >= self.TERM_INFO_CACHE:
            cache.clear()
        cache[fieldname, tbytes] = found

    def frequency(self, fieldname, tbytes):
        """The term's total weight, from its cached term info (Whoosh probes the table again:
        `idf` asks every segment for each term a query scores)."""
        return self._found(fieldname, tbytes).weight()

    def doc_frequency(self, fieldname, tbytes):
        return self._found(fieldname, tbytes).doc_frequency()

    def _found(self, fieldname, tbytes) -> W3TermInfo:
        found = self.find_term_info(fieldname, tbytes)
        if found is None:  # what Whoosh's table raises, and its callers expect (reading.SegmentReader)
            raise KeyError(tbytes)
        return found

    def _term_info_bytes(self, fieldname, tbytes):
        """A term's info bytes in the terms table, None if it has none, `_WHOOSH` if the table
        is not memory-mapped (`hashed.item_value`)."""
        buf = getattr(self._dbfile, "_buf", None)
        if buf is None:
            return _WHOOSH
        fnum = self._fieldmap.get(fieldname)
        return None if fnum is None else item_value(buf, self._tindex, pack_ushort(fnum) + tbytes)

    # -- Whoosh's matchers, with the values put back ----------------------------------------

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        if not out_of_line(format_):
            return super().matcher(fieldname, tbytes, format_, scorer=scorer)
        terminfo = self.term_info(fieldname, tbytes)
        term = (fieldname, tbytes)
        if terminfo.is_inlined():
            ids, weights, offsets = terminfo.inlined_postings()
            return ListMatcher(ids, weights, [value_at(self.occurrences, o) for o in offsets], format_, scorer=scorer,
                               term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        return OccLeafMatcher(self, offset, length, format_, term=term, scorer=scorer)

    def postings_arrays(self, fieldname, tbytes, format_) -> tuple[list[int], list[float], ValueOffsets | None]:
        """A whole posting list: document numbers, weights (ints when they are whole numbers)
        and (out-of-line fields) where the values are (`ValueOffsets`: one more than the
        postings), read block by block without going through a matcher posting by posting.
        Raises `TermNotFound`."""
        terminfo = self.term_info(fieldname, tbytes)
        ool = out_of_line(format_)
        if terminfo.is_inlined():
            inlined_ids, inlined_weights, values = terminfo.inlined_postings()
            if not ool:
                return list(inlined_ids), list(inlined_weights), None
            found = ValueOffsets()
            if values:
                ends = [*values[1:], values[-1] + value_size(self.occurrences, values[-1])]
                found.add_block(values[0], array("Q", map(sub, ends, values)))
            return list(inlined_ids), list(inlined_weights), found
        ids: list[int] = []
        weights: list[float] = []
        offsets = ValueOffsets()  # filled, and returned, for out-of-line fields only
        for n, compression, _last, data in posting_blocks(self._extent(terminfo), f"{fieldname}:{tbytes!r}"):
            if ool:  # packed arrays (`ool_block_data`)
                block_ids, block_weights, base, sizes = read_ool_block(data, n)
                ids.extend(block_ids)
                weights.extend(block_weights)
                offsets.add_block(base, sizes)
            else:
                block_ids, block_weights, _values = pickle.loads(zlib.decompress(data) if compression else data)
                ids.extend(accumulate(block_ids))  # stored as deltas, the first from 0
                if block_weights is None:
                    weights.extend(repeat(1.0, n))
                elif isinstance(block_weights, float):
                    weights.extend(repeat(block_weights, n))
                else:
                    weights.extend(block_weights)
        return ids, weights, offsets if ool else None

    def _extent(self, terminfo):
        """A posting list's bytes, from its magic tag on: a view of the mapped file, or a copy."""
        start, length = terminfo.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps the unpacked 1-tuple
            length = length[0]
        buf = getattr(self._postfile, "_buf", None)
        return memoryview(buf)[start:start + length] if buf is not None else self._postfile.get(start, length)

    def ool_extent(self, fieldname, tbytes, format_):
        """The bytes of an out-of-line field's posting list (`ool_lists` reads them), None for
        a list kept in the terms table (one posting) or another field's. Raises `TermNotFound`."""
        terminfo = self.term_info(fieldname, tbytes)
        return None if terminfo.is_inlined() or not out_of_line(format_) else self._extent(terminfo)

    def postings_ndarrays(self, fieldname, tbytes, format_):
        """`postings_arrays` as NumPy arrays — document numbers (int64), weights (float64) and,
        for out-of-line fields, the values' offsets (int64, one more than the postings: the last
        value's end; None for other fields), no Python number made per posting (`ool_postings`).
        Raises `TermNotFound`."""
        import numpy as np

        terminfo = self.term_info(fieldname, tbytes)
        ool = out_of_line(format_)
        if terminfo.is_inlined() or not ool:
            listed = self.postings_arrays(fieldname, tbytes, format_)
            return (np.array(listed[0], dtype=np.int64), np.array(listed[1], dtype=np.float64),
                    None if listed[2] is None else np.fromiter(listed[2], dtype=np.int64, count=len(listed[2])))
        return ool_postings(self._extent(terminfo), f"{fieldname}:{tbytes!r}")

    def close(self) -> None:
        self.occurrences.release()
        if self._occfile is not None:
            self._occfile.close()
        super().close()


class OccLeafMatcher(W3LeafMatcher):
    """W3's block matcher whose values are read back from the occurrence file."""

    def __init__(self, terms: OccTermsReader, startoffset, length, format_, term=None, scorer=None) -> None:
        self._occ_terms = terms
        super().__init__(terms._postfile, startoffset, length, format_, term=term, scorer=scorer)

    def _read_data(self) -> None:
        """The block's (document numbers, weights, values), its values sliced out of the
        occurrence file by their offsets and sizes."""
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        ids, weights, base, sizes = read_ool_block(data, self._blocklength)
        ends = list(accumulate(sizes, initial=base))
        occ = self._occ_terms.occurrences
        values = tuple(map(bytes, map(occ.__getitem__, map(slice, ends, ends[1:]))))
        self._data = (tuple(ids), array("f", weights), values)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = self._data[1]

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        self._values = self._data[2]


def column_bytes(perdoc, fieldname: str) -> tuple[memoryview | bytes, str, bytes, int, int]:
    """A `RefBytesColumn`'s value numbers (the raw big-endian bytes and their struct typecode,
    one per document) and its distinct values' area as read (the bytes, where the first value
    starts, how many there are) — two byte ranges of the segment's column file. Whoosh's
    reader reads the distinct values a `read_varint` call per byte (a date column of a 100 MB
    index: ~4,000 values, ~8,000 calls, 30 ms of a fresh search with facets); the layout is the
    one its `RefBytesColumn.Writer` writes: the numbers, a varint count, each value as a varint
    length and its bytes, the typecode last."""
    if fieldname not in perdoc._colfiles:
        perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
    colfile, offset, length = perdoc._colfiles[fieldname]
    typecode = chr(colfile.get_byte(offset + length - 1))
    size = perdoc._doccount * struct.calcsize(typecode)
    refs = colfile.get(offset, size)
    data = bytes(colfile.get(offset + size, length - 1 - size))
    count, at = _varint(data, 0)
    return refs, typecode, data, at, count


def column_values(data: bytes, at: int, count: int) -> list[bytes]:
    """The `count` distinct values laid out in `data` from `at` (`column_bytes`)."""
    if (layout := same_length(data, at, count)) is not None:
        empty, first, width = layout
        return [b""] * empty + [data[i:i + width] for i in range(first + 1, first + (count - empty) * (width + 1),
                                                                      width + 1)]
    uniques: list[bytes] = []
    for _ in range(count):
        n, at = _varint(data, at)
        uniques.append(data[at:at + n])
        at += n
    return uniques


def same_length(data: bytes, at: int, count: int) -> tuple[bool, int, int] | None:
    """(whether an empty value comes first, where the first other value's length byte is,
    the values' length) when the `count` values laid out from `at` are, but an empty first
    one, equally long and shorter than 128 bytes (a one-byte varint before each) — a date or
    year column, whose thousands of values a loop read at ~0.4 µs each (15 ms of a fresh
    `--facets` search at 1 GB); checked with one slice compare. None for another layout."""
    empty = count > 0 and at < len(data) and data[at] == 0
    first = at + empty
    n = count - empty
    if n <= 0 or first >= len(data):
        return None
    width = data[first]
    step = width + 1
    end = first + n * step
    if not 0 < width < 0x80 or end != len(data) or data[first:end:step] != bytes((width,)) * n:
        return None
    return empty, first, width


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """(the varint at `at`, where the next item starts): 7 bits a byte, low first."""
    b = data[at]
    if b < 0x80:
        return b, at + 1
    value, shift = b & 0x7F, 7
    while b & 0x80:
        at += 1
        b = data[at]
        value |= (b & 0x7F) << shift
        shift += 7
    return value, at + 1


class TermTables:
    """Every segment's terms table, to look a term up in all of them at once: per field, the
    mapped tables grouped by the field's number there, each group probed together
    (`hashed.values_in`: one call of C a hash function, where built) — a look-up in Python costs ~6 µs
    a segment, and a query for 省人民政府 makes ~1,600 of them at 1 GB, 15,000 at 10 GB. A
    table that is not mapped is asked the reader's way (`find_term_info`)."""

    def __init__(self, readers: list[OccTermsReader]) -> None:
        self.readers = readers
        #: field → ([(key prefix, [reader index], [(bytes, index)])], [unmapped reader index])
        self._fields: dict[str, tuple[list, list[int]]] = {}

    def _groups(self, fieldname: str) -> tuple[list, list[int]]:
        if (known := self._fields.get(fieldname)) is None:
            groups: dict[int, tuple[bytes, list[int], list]] = {}
            unmapped = []
            for i, reader in enumerate(self.readers):
                fnum = reader._fieldmap.get(fieldname)
                buf = getattr(reader._dbfile, "_buf", None)
                if buf is None:
                    unmapped.append(i)
                elif fnum is not None:
                    group = groups.setdefault(fnum, (pack_ushort(fnum), [], []))
                    group[1].append(i)
                    group[2].append((buf, reader._tindex))
            known = self._fields[fieldname] = (list(groups.values()), unmapped)
        return known

    def holding(self, fieldname: str, tbytes: bytes) -> list[int]:
        """The indexes of the readers whose segment holds the term, ascending; every reader
        keeps what it was told, the term info or that there is none, as `find_term_info` would
        (scoring asks each segment for the term's frequency again)."""
        groups, unmapped = self._groups(fieldname)
        found = [i for i in unmapped if self.readers[i].find_term_info(fieldname, tbytes) is not None]
        for prefix, members, tables in groups:
            for i, raw in zip(members, values_in(prefix + tbytes, tables), strict=True):
                self.readers[i]._remember(fieldname, tbytes, False if raw is None else W3TermInfo.from_bytes(raw))
                if raw is not None:
                    found.append(i)
        return sorted(found)
