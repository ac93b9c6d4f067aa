"""A text field's posting lists as bytes: W3's blocks with the out-of-line fields' packed arrays.

W3 lays a posting list out as a magic tag, then per block its size (negative for the last), a
pickled info tuple (count, last document number, greatest weight, compression, least and
greatest length bytes) and the block's data. For a text field (`codec.out_of_line`) the data
is not W3's zlib'd pickle of number tuples but packed little-endian arrays — document number
deltas, weights, value sizes — after the block's first document number and the offset of its
first value in the occurrence file (`ool_block_data`). This module writes those blocks
(`ool_block_data`, `block_info`, and W3's own `mini_ids`/`mini_weights` for other fields) and
reads them back: a block at a time (`read_ool_block`, `ValueOffsets`, for Whoosh's matchers),
a list at once as NumPy arrays (`ool_postings`), or a term's lists in several segments in one
call (`ool_lists`, by `_postings.c` where it was built: the evaluator's route).
"""

from __future__ import annotations

import io
import pickle
import struct
from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain
from operator import sub
from types import ModuleType

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.util.numeric import length_to_byte

from govdocs.index.engine.occurrences import from_little_endian, little_endian

#: the posting-list reader's compiled part, built from _postings.c where govdocs was installed
#: with a C compiler (setup.py); None: `ool_lists` gives None and the lists are read segment by
#: segment with NumPy (`ool_postings`), the same arrays (`hashed.values_in` uses it too)
compiled: ModuleType | None
try:
    from govdocs.index.engine import _postings as compiled
except ImportError:
    compiled = None
if compiled is not None and not all(hasattr(compiled, f) for f in ("ool_values", "table_values")):
    compiled = None  # built from an older _postings.c (a checkout pulled, not rebuilt): left unused

_INT = struct.Struct("!i")  # Whoosh's write_int


def block_info(count: int, last_id: int, maxweight: float, compression: int, minlength, maxlength) -> bytes:
    """W3's pickled block info: postings, last document number, greatest weight, compression
    level, and the least and greatest field lengths as length bytes."""
    return pickle.dumps((count, last_id, maxweight, compression, length_to_byte(minlength),
                         length_to_byte(maxlength)), 2)


#: width code (an out-of-line block's flags) → array typecode and item size; 3 (weights
#: only): float32
_TYPECODES = "BHIf"
_WIDTHS = (1, 2, 4, 4)
#: the same widths as NumPy types (little-endian)
_NP_TYPES = ("<u1", "<u2", "<u4", "<f4")
#: the greatest value of widths 0 and 1 (`bisect_left` of a maximum gives its width code)
_LIMITS = (0xFF, 0xFFFF)
_FLOAT = 3
_WIDE_BASE = 0x40
#: a block of one posting whose weight and value size are below 256: flags 0, first document
#: number, base offset (uint32), weight, size — what `ool_block_data` writes for it, made at once
_ONE_POSTING = struct.Struct("<BIIBB")


def ool_block_data(ids, weights, base: int, sizes) -> bytes:
    """The data of an out-of-line field's block of n postings, all little-endian:

        byte 0      width codes (0 'B', 1 'H', 2 'I') of the document number deltas (bits
                    0–1), the weights (bits 2–3; 3: float32) and the value sizes (bits 4–5);
                    bit 6: the base offset is a uint64 (else a uint32)
        uint32      the first document number
        base        the offset of the block's first value in the occurrence file
        n − 1       deltas of the document numbers
        n           weights: integers (occurrence counts × an integer boost) in the narrowest
                    width, or float32 when one is not an integer
        n           value sizes in bytes (a value starts where the one before it ends)
    """
    if len(ids) == 1 and 0 <= weights[0] <= 0xFF and weights[0] == int(weights[0]) and sizes[0] <= 0xFF \
            and base <= 0xFFFFFFFF:  # most terms: one posting, all in single bytes (flags 0)
        return _ONE_POSTING.pack(0, ids[0], base, int(weights[0]), sizes[0])
    deltas = list(map(sub, ids[1:], ids))
    iw = bisect_left(_LIMITS, max(deltas, default=0))
    weights = list(weights)
    counts = list(map(int, weights))
    integral = counts == weights and 0 <= min(counts) and max(counts) <= 0xFFFFFFFF
    ww = bisect_left(_LIMITS, max(counts)) if integral else _FLOAT
    sw = bisect_left(_LIMITS, max(sizes))
    wide = base > 0xFFFFFFFF
    return b"".join((bytes((iw | ww << 2 | sw << 4 | (_WIDE_BASE if wide else 0),)), ids[0].to_bytes(4, "little"),
                     base.to_bytes(8 if wide else 4, "little"), little_endian(array(_TYPECODES[iw], deltas)),
                     little_endian(array(_TYPECODES[ww], weights if ww == _FLOAT else counts)),
                     little_endian(array(_TYPECODES[sw], sizes))))


def read_ool_block(data, n: int) -> tuple[list[int], array, int, array]:
    """(document numbers, weights, the offset of the first value, value sizes) of an
    out-of-line block of n postings (`ool_block_data`): `frombytes()` and `accumulate`, no
    Python code per posting. The weights are an array of integers (their values are those of
    the float weights: BM25's arithmetic gives the same scores) or of float32."""
    first, base, ((iw, at_ids), (ww, at_weights), (sw, at_sizes)) = ool_block_layout(data, n)
    ids = list(accumulate(from_little_endian(_TYPECODES[iw], data[at_ids:at_weights]), initial=first))
    weights = from_little_endian(_TYPECODES[ww], data[at_weights:at_sizes])
    return ids, weights, base, from_little_endian(_TYPECODES[sw], data[at_sizes:at_sizes + n * _WIDTHS[sw]])


def ool_block_layout(data, n: int) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    """(the first document number, the offset of the first value, and (width code, where it
    starts) of the document number deltas, the weights and the value sizes) of an out-of-line
    block of n postings (`ool_block_data`)."""
    flags = data[0]
    iw, ww, sw = flags & 3, flags >> 2 & 3, flags >> 4 & 3
    at = 13 if flags & _WIDE_BASE else 9
    at_weights = at + (n - 1) * _WIDTHS[iw]
    at_sizes = at_weights + n * _WIDTHS[ww]
    return (int.from_bytes(data[1:5], "little"), int.from_bytes(data[5:at], "little"),
            ((iw, at), (ww, at_weights), (sw, at_sizes)))


class ValueOffsets:
    """Where a term's values are in the occurrence file: one offset per posting and, last,
    where the last value ends (a term's values are written one after the other, so value i is
    occurrences[offsets[i]:offsets[i + 1]]). Kept as the blocks give them — each block's first
    offset and its value sizes — and worked out only when asked: one offset by a sum over its
    block's sizes (a snippet's value), all of them once by `accumulate` (a phrase's check)."""

    __slots__ = ("_all", "_bases", "_count", "_firsts", "_sizes")

    def __init__(self) -> None:
        self._firsts: list[int] = []  # the posting number each block starts at
        self._bases: list[int] = []
        self._sizes: list[array] = []
        self._count = 0
        self._all: array | None = None

    def add_block(self, base: int, sizes: array) -> None:
        self._firsts.append(self._count)
        self._bases.append(base)
        self._sizes.append(sizes)
        self._count += len(sizes)
        self._all = None

    def __len__(self) -> int:
        return self._count + 1 if self._count else 0

    def __getitem__(self, i: int) -> int:
        if self._all is not None:
            return self._all[i]
        if not 0 <= i <= self._count:
            if -len(self) <= i < 0:
                return self[len(self) + i]
            raise IndexError(f"value offset {i} of {self._count + 1}")
        b = bisect_right(self._firsts, i) - 1
        return self._bases[b] + sum(self._sizes[b][:i - self._firsts[b]])

    def __iter__(self):
        if self._all is None:
            every = array("Q")
            for base, sizes in zip(self._bases, self._sizes, strict=True):
                every.extend(accumulate(sizes, initial=base))
                every.pop()
            if self._sizes:
                every.append(self._bases[-1] + sum(self._sizes[-1]))
            self._all = every
        return iter(self._all)


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


def posting_blocks(extent, where: str = "a posting list"):
    """(postings, compression, last document number, data) of each block of a posting list,
    in order: W3's layout, a magic tag, then blocks of [length (negative for the last)]
    [pickled block info] [the data]. `where` names the list in an error."""
    stream = io.BytesIO(extent)
    if stream.read(4) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"not a W3 posting list: {where}")
    while True:
        size = _INT.unpack(stream.read(4))[0]
        end = stream.tell() + abs(size)
        n, maxid, _maxweight, compression, _minlen, _maxlen = pickle.load(stream)
        yield n, compression, maxid, stream.read(end - stream.tell())
        if size < 0:
            return


def ool_lists(extents: list, bases: list[int], values: bool = True):
    """Several out-of-line posting lists (a term's in several segments: their bytes from the
    magic tag on) read at once by the compiled reader (`_postings.c`) into one set of NumPy
    arrays: document numbers (each list's plus its `bases` entry, int64), weights (float64),
    where each value starts and ends in its occurrence file (int64; with `values` false, None:
    `ool_values` reads them where wanted), and each list's count — or None where the reader
    was not built or does not know a list."""
    import numpy as np

    if compiled is None or (found := compiled.ool_lists(extents, bases, values)) is None:
        return None
    return tuple(None if a is None else np.frombuffer(a, dtype=t)
                 for a, t in zip(found, (np.int64, np.float64, np.int64, np.int64, np.int64), strict=True))


def ool_values(extents: list, indexes):
    """Where the values of some postings of `extents` (as `ool_lists` reads them) start and
    end: `indexes` number the lists' postings one after the other, ascending. Only the blocks
    holding one are decoded. None where `ool_lists` would give None."""
    import numpy as np

    if compiled is None:
        return None
    found = compiled.ool_values(extents, np.ascontiguousarray(indexes, dtype=np.int64))
    return None if found is None else (np.frombuffer(found[0], dtype=np.int64), np.frombuffer(found[1], dtype=np.int64))


def ool_postings(extent, where: str = "a posting list"):
    """An out-of-line field's posting list (its bytes from the magic tag on) as NumPy arrays:
    document numbers (int64), weights (float64) and the values' offsets with, last, the end of
    the last value (int64). The compiled reader walks the blocks once where it was built
    (`ool_lists`; a query reading ~350 lists at 1 GB, 20 → 9 ms); else, or for a list it
    does not know, one cumulative sum each over all the blocks' packed arrays
    (`ool_block_data`), taken from their bytes."""
    import numpy as np

    if (found := ool_lists([extent], [0])) is not None:  # a list holds a posting at least
        return found[0], found[1], np.append(found[2], found[3][-1:])
    # a block's first document number follows the last one of the block before it (its block
    # info's), and a term's values lie one after the other (as `blocks.TermWriter` writes
    # them), so a block's values start where the block before it ends — checked, and worked
    # out block by block where they do not
    steps: list = []
    weights: list = []
    sizes: list = []
    bases: list[int] = []
    last = 0
    for n, _compression, block_last, data in posting_blocks(extent, where):
        first, base, ((iw, at_ids), (ww, at_weights), (sw, at_sizes)) = ool_block_layout(data, n)
        steps += (np.array([first - last], dtype=np.int64), np.frombuffer(data, _NP_TYPES[iw], n - 1, at_ids))
        weights.append(np.frombuffer(data, _NP_TYPES[ww], n, at_weights))
        sizes.append(np.frombuffer(data, _NP_TYPES[sw], n, at_sizes))
        bases.append(base)
        last = block_last
    ids = np.cumsum(np.concatenate(steps, dtype=np.int64, casting="unsafe"))
    offsets = np.empty(len(ids) + 1, dtype=np.int64)  # where each value starts, and the last one's end
    offsets[0] = 0
    np.cumsum(np.concatenate(sizes, dtype=np.int64, casting="unsafe"), out=offsets[1:])
    offsets += bases[0]
    if len(bases) > 1:
        heads = np.cumsum([0, *map(len, sizes[:-1])])  # each block's first posting
        if (offsets[heads] != bases).any():  # never written so: each block from its own base
            offsets[:-1] += np.repeat(bases - offsets[heads], list(map(len, sizes)))
            offsets[-1] = bases[-1] + int(sizes[-1].sum())
    return ids, np.concatenate(weights, dtype=np.float64, casting="unsafe"), offsets
