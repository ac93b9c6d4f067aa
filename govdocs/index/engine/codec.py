"""The index codec: Whoosh's W3 format with the text fields' occurrences kept out of its blocks.

W3 stores a posting list as zlib-compressed pickled blocks of (document numbers, weights,
values), decompressed whole. A text field's value is its occurrence arrays (positions and
character spans: 12 bytes an occurrence), so reading which documents hold 服务 and how often
meant inflating megabytes of positions nobody asked for (docs/engine.md has the figures). `OccCodec` writes those values to a
file of their own in the segment (`.occ`, uncompressed, in posting order) and puts each
value's offset in the block instead (8 bytes, little-endian). Those fields' blocks (1,024
postings) are not zlib'd pickles of number tuples but three little-endian arrays — document
numbers, float32 weights, offsets — that `frombytes()` reads at once. A term query reads only
these blocks; a phrase or a snippet reads the occurrences of the documents it checks, sliced
out of the memory-mapped segment. Stored fields are pickled without W3's zlib: a hit's text is
read, not inflated.

Every Whoosh code path still sees ordinary values: the postings writer moves them out as it
receives them (so `SegmentWriter`, its merges and `BulkWriter` write the same bytes) and the
terms reader's matchers put them back (so Whoosh's phrase matchers, `iter_postings()` and
segment merging work unchanged). `postings_arrays()` is the evaluator's direct route: a
whole posting list as arrays, values as offsets.

Which fields go out of line is a property of their format (`out_of_line = True`).
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from array import array
from itertools import accumulate, chain, repeat
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
    W3TermsReader,
)
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import length_to_byte

from govdocs.index.engine.zero_copy import ViewCompoundStorage

OCC_EXT = ".occ"


class VarBytesColumn(columns.VarBytesColumn):
    """Whoosh's `VarBytesColumn`, whose reader derives each document's offset from the
    lengths by one C-level `accumulate` — Whoosh appends them one at a time in Python, which
    every search command paid on its first hit."""

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


#: a document's stored fields, pickled — not zlib-compressed as W3 does: a hit's text (a long
#: document is tens of KB) is then read without inflating it
STORED_COLUMN = columns.PickleColumn(VarBytesColumn())
#: postings per block of an out-of-line field (W3's default is 128): its blocks are arrays
#: read whole by the evaluator, so fewer blocks mean fewer reads; Whoosh's matchers do not care
OUT_OF_LINE_BLOCK = 1024
_BIG_ENDIAN = sys.byteorder == "big"
_INT = struct.Struct("!i")  # Whoosh's write_int


def out_of_line(format_) -> bool:
    return getattr(format_, "out_of_line", False)


def little_endian(a: array) -> bytes:
    if _BIG_ENDIAN:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _from_little_endian(typecode: str, raw) -> array:
    a = array(typecode)
    a.frombytes(raw)
    if _BIG_ENDIAN:
        a.byteswap()
    return a


def pack_offsets(offsets) -> bytes:
    return little_endian(array("Q", offsets))


#: pickle protocol of an out-of-line block's data. W3 pickles blocks with protocol 2, which
#: has no bytes type: each array went in as a latin-1 `str` re-encoded to UTF-8, and came back
#: through both codecs again — much slower to write and to read than protocol 5, and larger.
#: `pickle.loads` reads either, so indexes written before read as they did.
OOL_PICKLE_PROTOCOL = 5


def block_info(count: int, last_id: int, maxweight: float, compression: int, minlength, maxlength) -> bytes:
    """W3's pickled block info: postings, last document number, greatest weight, compression
    level, and the least and greatest field lengths as length bytes."""
    return pickle.dumps((count, last_id, maxweight, compression, length_to_byte(minlength),
                         length_to_byte(maxlength)), 2)


def ool_block_data(ids, weights: array, offsets) -> bytes:
    """The pickled data of an out-of-line field's block: (document numbers as uint32, weights
    as float32, value offsets as uint64), each array as little-endian bytes."""
    return pickle.dumps((little_endian(array("I", ids)), little_endian(weights), pack_offsets(offsets)),
                        OOL_PICKLE_PROTOCOL)


def unpack_offsets(raw) -> array:
    return _from_little_endian("Q", raw)


def mini_ids(ids) -> tuple:
    """A block's document numbers as W3 pickles them: deltas (W3's writer makes them with a
    generator loop per posting; this is one C-level `map()`)."""
    return tuple(map(sub, ids, chain((0,), ids)))


def mini_weights(weights):
    """A block's weights as W3 pickles them: None when all are 1, the one value when all are
    equal, else the tuple (the same results as W3's per-posting loops)."""
    n = len(weights)
    if weights.count(1.0) == n:
        return None
    if weights.count(weights[0]) == n:
        return weights[0]
    return tuple(weights)


def value_at(occ: memoryview, offset: int) -> bytes:
    """The whole value stored at `offset` (an `Occurrences` value: uint32 count n, then n
    uint32 triples: position, start character, end character)."""
    n = int.from_bytes(occ[offset:offset + 4], "little")
    return occ[offset:offset + 4 + 12 * n].tobytes()


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

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        if self.occfile is None:
            super().add_posting(id_, weight, vbytes, length)
            return
        offset = self.occfile.tell()
        self.occfile.write(vbytes)
        super().add_posting(id_, weight, b"", length)  # may start a new block: append after
        self._values.append(offset)

    def _mini_ids(self):
        return super()._mini_ids() if self._byteids else mini_ids(self._ids)

    def _mini_weights(self):
        return mini_weights(self._weights)

    def _write_block(self, last=False) -> None:
        """W3's block, but for an out-of-line field: its data is three native arrays,
        uncompressed — document numbers (uint32, not deltas), weights (float32), value
        offsets (uint64) — read back by `frombytes()`, not by unpickling and inflating a
        tuple of Python numbers per block (`ool_block_data`)."""
        if self.occfile is None:
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        databytes = ool_block_data(ids, self._weights, self._values)
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
        super().__init__(codec, dbfile, length, postfile)
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
        key = (fieldname, tbytes)
        cache = self.__dict__.setdefault("_term_infos", {})
        found = cache.get(key)
        if found is None:
            if len(cache) >= self.TERM_INFO_CACHE:
                cache.clear()
            try:
                found = super().term_info(fieldname, tbytes)
            except TermNotFound:
                found = False
            cache[key] = found
        if found is False:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return found

    @property
    def occurrence_words(self):
        """The occurrence file as uint32 values (native order; a value at byte offset o starts
        at index o >> 2): a memoryview of the mapped file, copied and byte-swapped only on a
        big-endian machine. Slicing it copies nothing."""
        words = self.__dict__.get("_words")
        if words is None:
            occ = self.occurrences
            if _BIG_ENDIAN:
                words = array("I")
                words.frombytes(occ[:len(occ) & ~3])
                words.byteswap()
            else:
                words = occ[:len(occ) & ~3].cast("I")
            self._words = words
        return words

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

    def postings_arrays(self, fieldname, tbytes, format_) -> tuple[list[int], list[float], array | None]:
        """A whole posting list: document numbers, weights and (out-of-line fields) value
        offsets, read block by block without going through a matcher posting by posting.
        Raises `TermNotFound`."""
        terminfo = self.term_info(fieldname, tbytes)
        ool = out_of_line(format_)
        if terminfo.is_inlined():
            inlined_ids, inlined_weights, values = terminfo.inlined_postings()
            return list(inlined_ids), list(inlined_weights), array("Q", values) if ool else None
        ids: list[int] = []
        weights: list[float] = []
        offsets = array("Q")  # filled, and returned, for out-of-line fields only
        # W3's layout, read from one copy of the term's extent: a magic tag, then blocks of
        # [length (negative for the last)] [pickled block info] [zlib'd pickle of the data]
        start, length = terminfo.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps the unpacked 1-tuple
            length = length[0]
        extent = io.BytesIO(self._postfile.get(start, length))
        if extent.read(4) != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"not a W3 posting list at {start} of {fieldname}:{tbytes!r}")
        while True:
            size = _INT.unpack(extent.read(4))[0]
            end = extent.tell() + abs(size)
            n, _maxid, _maxweight, compression, _minlen, _maxlen = pickle.load(extent)
            data = extent.read(end - extent.tell())
            block_ids, block_weights, block_values = pickle.loads(zlib.decompress(data) if compression else data)
            if ool:  # arrays (OccPostingsWriter)
                ids.extend(_from_little_endian("I", block_ids))
                weights.extend(_from_little_endian("f", block_weights))
                offsets.extend(unpack_offsets(block_values))
            else:
                ids.extend(accumulate(block_ids))  # stored as deltas, the first from 0
                if block_weights is None:
                    weights.extend(repeat(1.0, n))
                elif isinstance(block_weights, float):
                    weights.extend(repeat(block_weights, n))
                else:
                    weights.extend(block_weights)
            if size < 0:
                return ids, weights, offsets if ool else None

    def postings_ndarrays(self, fieldname, tbytes, format_):
        """`postings_arrays` as NumPy arrays — document numbers (int64), weights (float64) and,
        for out-of-line fields, value offsets (uint64; None otherwise) — each out-of-line
        block's arrays taken from its bytes as they are (little-endian), no Python number made
        per posting. Raises `TermNotFound`."""
        import numpy as np

        terminfo = self.term_info(fieldname, tbytes)
        ool = out_of_line(format_)
        if terminfo.is_inlined() or not ool:
            ids, weights, offsets = self.postings_arrays(fieldname, tbytes, format_)
            return (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64),
                    np.frombuffer(offsets, dtype=np.uint64).copy() if offsets is not None else None)
        start, length = terminfo.extent()
        if isinstance(length, tuple):
            length = length[0]
        extent = io.BytesIO(self._postfile.get(start, length))
        if extent.read(4) != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"not a W3 posting list at {start} of {fieldname}:{tbytes!r}")
        id_parts, weight_parts, offset_parts = [], [], []
        while True:
            size = _INT.unpack(extent.read(4))[0]
            end = extent.tell() + abs(size)
            _n, _maxid, _maxweight, compression, _minlen, _maxlen = pickle.load(extent)
            data = extent.read(end - extent.tell())
            block_ids, block_weights, block_values = pickle.loads(zlib.decompress(data) if compression else data)
            id_parts.append(np.frombuffer(block_ids, dtype="<u4"))
            weight_parts.append(np.frombuffer(block_weights, dtype="<f4"))
            offset_parts.append(np.frombuffer(block_values, dtype="<u8"))
            if size < 0:
                break
        return (np.concatenate(id_parts).astype(np.int64), np.concatenate(weight_parts).astype(np.float64),
                np.concatenate(offset_parts).astype(np.uint64))

    def occurrence_ndarray(self):
        """The occurrence file as a NumPy uint32 array over the mapped bytes (no copy)."""
        import numpy as np

        arr = self.__dict__.get("_occ_ndarray")
        if arr is None:
            occ = self.occurrences
            arr = self._occ_ndarray = np.frombuffer(occ, dtype="<u4", count=len(occ) // 4)
        return arr

    def close(self) -> None:
        self.__dict__.pop("_occ_ndarray", None)
        words = self.__dict__.pop("_words", None)
        if isinstance(words, memoryview):
            words.release()
        self.occurrences.release()
        if self._occfile is not None:
            self._occfile.close()
        super().close()


class OccLeafMatcher(W3LeafMatcher):
    """W3's block matcher whose values are read back from the occurrence file."""

    def __init__(self, terms: OccTermsReader, startoffset, length, format_, term=None, scorer=None) -> None:
        self._occ_terms = terms
        super().__init__(terms._postfile, startoffset, length, format_, term=term, scorer=scorer)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = tuple(_from_little_endian("I", self._data[0]))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = _from_little_endian("f", self._data[1])

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        occ = self._occ_terms.occurrences
        self._values = tuple(value_at(occ, o) for o in unpack_offsets(self._data[2]))
