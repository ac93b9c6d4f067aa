"""A field's posting lists written a term at a time, byte for byte as W3's writers would write them.

Whoosh writes a term through `start_term()`, one `add_posting()` per posting and
`finish_term()`: about a hundred Python calls a term, whatever its length. A segment of 25 MB
of text has ~30,000 terms — most of them the one-posting terms of unique IDs — so that
machinery cost seconds. `TermWriter.write()` produces the same blocks, term info and
terms-table row from a term's lists directly (`tests/test_bulk.py` compares the files with
`SegmentWriter`'s).

W3's block layout: the posting file gets a magic tag, then per block its length (negative
for the last), a pickled info tuple (count, last id, max weight, compression, min and max
length bytes) and the pickled (optionally zlib'd) data (ids, weights, values). Out-of-line
fields (`codec.OccPostingsWriter`) keep values in the occurrence file and put packed
little-endian arrays in the block (`block_format.ool_block_data`: document number deltas, weights,
value sizes).
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate
from pickle import dumps
from types import ModuleType

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths as _ROW_HEAD  # a terms-table row's (key, value) lengths
from whoosh.system import pack_int, pack_ushort

from govdocs.index.engine.block_format import block_info, mini_ids, mini_weights, ool_block_data

#: the bulk writer's compiled part, built from _bulk.c where govdocs was installed with a C compiler
#: (setup.py); None: postings are kept in Python lists and written by `TermWriter.write`, the
#: same bytes
compiled: ModuleType | None
try:
    from govdocs.index.engine import _bulk as compiled
except ImportError:
    compiled = None


class TermWriter:
    """Writes the terms of one field, in ascending order, into a started `OccFieldWriter`:
    each term's blocks (and occurrence values) in one write, the terms-table rows in one
    write at `finish()`. File positions are counted here, not asked of the files (`tell()`
    is a system call, and W3's writers made five a term).

    Posting lists are never inlined into the term info (W3's `inlinelimit` stays 1, i.e.
    off: Whoosh's inlining calls a method its term info lacks, and its reader gives inlined
    postings of value-less formats `''` for a value, which segment merging rejects)."""

    def __init__(self, fw, lengths: dict[int, int], doc_count: int = 0) -> None:
        pw = fw._postwriter
        if pw._inlinelimit > 1:
            raise ValueError("inlined posting lists are not supported")
        self._fw, self._pw, self._lengths = fw, pw, lengths
        self._postfile = pw._postfile
        self._pos = self._postfile.tell()
        self._occfile = pw.occfile  # None unless the field keeps its values out of line
        self._occpos = self._occfile.tell() if self._occfile is not None else 0
        self._prefix = pack_ushort(fw._fieldid)
        self._keys: list[bytes] = []
        self._infos: list[bytes] = []
        self._doc_count = doc_count
        self._length_array: array | None = None

    def write_flat(self, tbytes: bytes, postings: list) -> None:
        """One term, its postings given flat (document number, weight, value, …)."""
        self.write(tbytes, postings[0::3], postings[1::3], postings[2::3])

    def write_pooled(self, tbytes: bytes, pool, key) -> None:
        """One term of an out-of-line field, its postings kept in a compiled `_bulk.Pool`:
        its blocks made in C (`Pool.blocks`: one walk of its arrays), W3's term info and block
        infos here; the same bytes as `write()`."""
        if self._occfile is None:
            raise ValueError("a pool holds an out-of-line field's postings")
        if self._length_array is None:  # each document's field length, 0 for none
            self._length_array = array("q", bytes(8 * max(self._doc_count, max(self._lengths, default=-1) + 1)))
            for docnum, length in self._lengths.items():
                self._length_array[docnum] = length
        data, blocks = pool.blocks(key, self._length_array, self._pw._blocklimit, self._occpos)
        self._append_values(data)
        info = W3TermInfo()
        pieces = [WHOOSH3_HEADER_MAGIC]
        last = len(blocks) - 1
        for k, (n, first, final, maxweight, minlength, maxlength, floats, databytes) in enumerate(blocks):
            block_weights = array("f")
            block_weights.frombytes(floats)
            pieces += _framed_block(info, first, final, n, block_weights, maxweight, minlength, maxlength, 0, databytes,
                                    k == last)
        self._finish_term(tbytes, info, b"".join(pieces))

    def write(self, tbytes: bytes, ids: list[int], weights: list[float], values: list) -> None:
        """One term: its postings (document numbers ascending, weights, encoded values)."""
        pw, lengths = self._pw, self._lengths
        ool = self._occfile is not None
        limit, n = pw._blocklimit, len(ids)
        if ool:
            offsets = self._store(values)  # their offsets in the occurrence file
            sizes = list(map(len, values))
            compression, fixedsize = 0, None
        else:
            compression, fixedsize = pw._compression, self._fw._format.fixed_value_size()
        info = W3TermInfo()
        pieces = [WHOOSH3_HEADER_MAGIC]
        for i in range(0, n, limit):
            j = min(n, i + limit)
            block_ids, given = ids[i:j], weights[i:j]
            block_weights = array("f", given)  # float32, as W3 keeps them
            maxweight = float(max(0, max(given)))  # a float, as W3's writer pickles it
            lens = list(filter(None, map(lengths.get, block_ids)))
            minlength, maxlength = (min(lens), max(lens)) if lens else (None, 0)
            if ool:
                databytes = ool_block_data(block_ids, given, offsets[i], sizes[i:j])
            else:  # W3 keeps only non-empty values
                databytes = dumps((mini_ids(block_ids), mini_weights(block_weights),
                                   _mini_values(list(filter(None, values[i:j])), fixedsize)), 2)
            if compression:
                databytes = zlib.compress(databytes, compression)
            pieces += _framed_block(info, block_ids[0], block_ids[-1], j - i, block_weights, maxweight, minlength,
                                    maxlength, compression, databytes, j == n)
        self._finish_term(tbytes, info, b"".join(pieces))

    def _finish_term(self, tbytes: bytes, info: W3TermInfo, written: bytes) -> None:
        """Write a term's blocks and keep its terms-table row."""
        self._postfile.write(written)
        info.set_extent(self._pos, len(written))
        self._pos += len(written)
        self._keys.append(self._prefix + tbytes)
        self._infos.append(info.to_bytes())

    def _store(self, values: list[bytes]) -> array:
        """Append a term's values to the occurrence file; their offsets, in order."""
        offsets = array("Q", accumulate(map(len, values), initial=self._occpos))
        offsets.pop()
        self._append_values(b"".join(values))
        return offsets

    def _append_values(self, data: bytes) -> None:
        """Append a term's values, joined, to the occurrence file."""
        self._occfile.write(data)
        self._occpos += len(data)

    def finish(self) -> None:
        """The field's terms-table rows: `OrderedHashWriter.add()` of each, in one write."""
        keys, infos, tindex = self._keys, self._infos, self._fw._tindex
        if not keys:
            return
        if keys[0] <= tindex.lastkey:
            raise ValueError(f"terms must ascend: {tindex.lastkey!r}..{keys[0]!r}")
        rows = list(map(b"".join, zip(map(_ROW_HEAD.pack, map(len, keys), map(len, infos)), keys, infos, strict=False)))
        dbfile = tindex.dbfile
        positions = list(accumulate(map(len, rows), initial=dbfile.tell()))
        positions.pop()
        dbfile.write(b"".join(rows))
        index, buckets = tindex.index, tindex.buckets
        for position, h in zip(positions, map(tindex.hashfn, keys), strict=False):
            index.append(position)
            buckets[h & 255].append((h, position))
        tindex.lastkey = keys[-1]
        self._keys, self._infos = [], []


def _framed_block(info: W3TermInfo, first: int, last: int, n: int, weights: array, maxweight, minlength, maxlength,
                  compression: int, databytes: bytes, final: bool) -> tuple[bytes, bytes, bytes]:
    """A block of n postings (documents `first` to `last`) added to the term's info and framed
    as W3 lays it out: its length (negative for the term's last block), its pickled info, its
    data."""
    _add_block(info, first, last, n, weights, maxweight, minlength, maxlength)
    infobytes = block_info(n, last, maxweight, compression, minlength, maxlength)
    size = len(infobytes) + len(databytes)
    return pack_int(-size if final else size), infobytes, databytes


def _add_block(info: W3TermInfo, first: int, last: int, n: int, weights: array, maxweight, minlength,
               maxlength) -> None:
    """`W3TermInfo.add_block()` for a block of n postings, documents `first` to `last`, given
    its weights and statistics."""
    info._weight += sum(weights)
    info._df += n
    info._minlength = minlength if info._minlength is None else min(info._minlength, minlength)
    info._maxlength = max(info._maxlength, maxlength)
    info._maxweight = max(info._maxweight, maxweight)
    if info._minid is None:
        info._minid = first
    info._maxid = last


def _mini_values(values: list, fixedsize: int | None):
    if fixedsize is None or fixedsize < 0:
        return tuple(values)
    return None if fixedsize == 0 else b"".join(values)
