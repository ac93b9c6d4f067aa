"""A text field's postings values: where each occurrence of a term stands, packed small.

A value holds n occurrences (position, start character, end character). Within a value the
positions ascend, and so does start − position (the white space before the occurrence: the
analysis counts positions without it); the span end − start is the same for every occurrence
(the word's length: folding is one character for one). So a value stores deltas, and the span
once, each number as one code point of a UTF-8 string — a variable-length integer (1 byte
below 128, 2 below 2,048, 3 below 65,536, 4 up to 0x10FFFF) that Python's UTF-8 codec
encodes and decodes in C (surrogate code points pass: `surrogatepass`):

    n, span, then (position delta, gap delta) for each occurrence, then, when span is 0, the
    n spans

where the first position delta is the position itself, the gap is start − position (its first
delta the gap itself), and span is end − start when every occurrence has the same one (≥ 1),
else 0. An empty value is (0, 0). A value whose numbers do not fit (a delta that is negative,
a number from 0x110000 on — never made by govdocs' analysis below a 1.1-million-character
document) is stored raw: 0, 1, then n and the position, start and end of each occurrence, each
number as two code points (its high and low 16 bits). Nothing is lost either way:
`occurrence_arrays(encode_occurrences(p, s, e)) == (p, s, e)`.

The whole occurrence file is valid UTF-8 (with surrogates), so a value can be read from its
offset alone (`value_at`). `encode_flat` encodes all the values of a document by `map()`s over
all their numbers at once; `positions_of` decodes the positions of many values as NumPy arrays.
`Occurrences` is the Whoosh format that stores them so, and the codec (`codec.OccCodec`) keeps
these values out of the posting blocks, in the segment's `.occ` file.
"""

from __future__ import annotations

import codecs
import sys
from array import array
from collections import deque
from itertools import accumulate, chain, repeat
from operator import add, and_, lshift, or_, rshift, sub
from types import ModuleType

from whoosh import formats

#: the compiled decoder, built from _positions.c where govdocs was installed with a C compiler
#: (setup.py); None: NumPy decodes the same positions, ~3× slower
compiled: ModuleType | None
try:
    from govdocs.index.engine import _positions as compiled
except ImportError:
    compiled = None

_BIG_ENDIAN = sys.byteorder == "big"


class DamagedValue(ValueError):
    """An occurrence value the compiled decoder cannot read: it runs past its end or its file,
    or claims more places than its bytes hold (a damaged index)."""


#: exhausts an iterator of `map()` calls made for their effect
consume = deque[object](maxlen=0).extend

#: the greatest number one code point holds
_MAX = 0x10FFFF
_UTF8 = "utf-8"
_ERRORS = "surrogatepass"
_utf8_decode = codecs.utf_8_decode
#: a raw value's second number (its first is 0, as an empty value's)
_RAW = 1


def little_endian(a: array) -> bytes:
    if _BIG_ENDIAN:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def from_little_endian(typecode: str, raw) -> array:
    a = array(typecode)
    a.frombytes(raw)
    if _BIG_ENDIAN:
        a.byteswap()
    return a


def _text(numbers) -> bytes:
    return "".join(map(chr, numbers)).encode(_UTF8, _ERRORS)


def _deltas(values) -> list[int]:
    return list(map(sub, values, chain((0,), values)))


def _interleaved(a: list, b: list) -> list:
    out = [0] * (2 * len(a))
    out[0::2], out[1::2] = a, b
    return out


def encode_occurrences(positions, starts, ends) -> bytes:
    """A posting value (the format in the module's docstring)."""
    n = len(positions)
    if not (n == len(starts) == len(ends)):
        raise ValueError(f"{n} positions, {len(starts)} starts, {len(ends)} ends")
    if not n:
        return _text((0, 0))
    dp = _deltas(positions)
    dg = _deltas(list(map(sub, starts, positions)))
    spans = list(map(sub, ends, starts))
    if min(min(dp), min(dg), min(spans)) < 0 or max(max(dp), max(dg), max(spans)) > _MAX:
        numbers = [n, *chain.from_iterable(zip(positions, starts, ends, strict=True))]
        if min(numbers) < 0 or max(numbers) > 0xFFFFFFFF:
            raise OverflowError(f"an occurrence outside 0..2**32-1: {numbers}")
        highs, lows = list(map(rshift, numbers, repeat(16))), list(map(and_, numbers, repeat(0xFFFF)))
        return _text([0, _RAW, *_interleaved(highs, lows)])
    span = spans[0] if spans.count(spans[0]) == n and spans[0] else 0
    return _text([n, span, *_interleaved(dp, dg), *([] if span else spans)])


def encode_flat(flats: list) -> list[bytes]:
    """The values of many terms (a document's), each given flat: (position, start, end) × n,
    n ≥ 1 (lists or uint32 arrays) — `encode_occurrences` of each, by `map()`s over all their
    numbers at once: no Python code runs per value or per occurrence. When one needs more than
    the common form (descending numbers, spans that differ), each is encoded apart."""
    if not flats:
        return []
    every = list(chain.from_iterable(flats))
    positions, starts, ends = every[0::3], every[1::3], every[2::3]
    del every
    ns = list(map((3).__rfloordiv__, map(len, flats)))
    bounds = list(accumulate(ns, initial=0))
    firsts = bounds[:-1]
    gaps = list(map(sub, starts, positions))
    dp, dg = _deltas(positions), _deltas(gaps)
    # a value's first deltas are from 0, not from the value before it
    consume(map(dp.__setitem__, firsts, map(positions.__getitem__, firsts)))
    consume(map(dg.__setitem__, firsts, map(gaps.__getitem__, firsts)))
    spans = list(map(sub, map(ends.__getitem__, firsts), map(starts.__getitem__, firsts)))
    try:  # chr() refuses a negative delta and one past 0x10FFFF (OverflowError past a C int)
        text = "".join(map(chr, _interleaved(dp, dg)))
        uniform = (1 <= min(spans) and max(spans) <= _MAX
                   and list(map(sub, ends, starts)) == list(chain.from_iterable(map(repeat, spans, ns))))
    except (ValueError, OverflowError):
        uniform = False
    if not uniform:
        return [encode_occurrences(f[0::3], f[1::3], f[2::3]) for f in flats]
    doubled = list(map(add, bounds, bounds))
    heads = map(add, map(chr, ns), map(chr, spans))
    return list(map(str.encode, map(add, heads, map(text.__getitem__, map(slice, doubled, doubled[1:]))),
                    repeat(_UTF8), repeat(_ERRORS)))


def encode_grouped(positions, starts, ends, bounds) -> list[bytes]:
    """The values of a document's terms from NumPy arrays: the occurrences of term k are
    positions/starts/ends[bounds[k]:bounds[k + 1]] (each run ≥ 1). `encode_flat` by array
    operations: the code points of every value are laid out in one uint32 array, turned into
    UTF-8 by two codec calls, and cut at each value's byte offset (a code point's UTF-8 length
    follows from its size). A value that needs more than the common form (a descending number,
    spans that differ, a number past 0x10FFFF) is encoded apart."""
    import numpy as np

    if len(bounds) < 2:
        return []
    heads = bounds[:-1]
    counts = np.diff(bounds)
    gaps = starts - positions
    dp = np.diff(positions, prepend=0)
    dg = np.diff(gaps, prepend=0)
    dp[heads], dg[heads] = positions[heads], gaps[heads]  # a value's first deltas are from 0
    spans = ends - starts
    span = np.minimum.reduceat(spans, heads)
    lowest = np.minimum(np.minimum.reduceat(dp, heads), np.minimum.reduceat(dg, heads))
    highest = np.maximum(np.maximum.reduceat(dp, heads), np.maximum.reduceat(dg, heads))
    odd = ((span != np.maximum.reduceat(spans, heads)) | (span < 1) | (span > _MAX) | (counts > _MAX)
           | (lowest < 0) | (highest > _MAX))
    k = np.arange(len(counts))
    value_starts = 2 * k + 2 * heads  # each value: n, span, then two code points an occurrence
    codes = np.empty(2 * (len(counts) + len(positions)), np.uint32)
    codes[value_starts], codes[value_starts + 1] = counts, span
    slots = 2 * np.repeat(k, counts) + 2 * np.arange(len(positions)) + 2
    codes[slots], codes[slots + 1] = np.clip(dp, 0, _MAX), np.clip(dg, 0, _MAX)
    codes[np.repeat(odd, 2 * counts + 2)] = 0  # encoded apart below; any code point does here
    blob = codes.astype("<u4").tobytes().decode("utf-32-le", _ERRORS).encode(_UTF8, _ERRORS)
    sizes = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)
    offsets = np.concatenate(([0], np.cumsum(sizes)))[np.append(value_starts, len(codes))].tolist()
    values = list(map(blob.__getitem__, map(slice, offsets, offsets[1:])))
    for i in np.flatnonzero(odd).tolist():
        a, b = int(bounds[i]), int(bounds[i + 1])
        values[i] = encode_occurrences(positions[a:b].tolist(), starts[a:b].tolist(), ends[a:b].tolist())
    return values


def _head(value) -> tuple[int, int, int]:
    """(n, span, code points) of the value starting at value[0] (a longer buffer may follow)."""
    head = _utf8_decode(value[:16], _ERRORS, False)[0]
    n, span = ord(head[0]), ord(head[1])
    if n:
        return n, span, 2 + 2 * n + (0 if span else n)
    if span == _RAW:
        n = ord(head[2]) << 16 | ord(head[3])
        return n, span, 4 + 6 * n
    return 0, 0, 2


def occurrence_count(value) -> int:
    return _head(value)[0]


def value_size(occ, offset: int) -> int:
    """The length in bytes of the value at `offset` of `occ` (bytes or a memoryview)."""
    count = _head(occ[offset:offset + 16])[2]
    return len(_utf8_decode(occ[offset:offset + 4 * count], _ERRORS, False)[0][:count].encode(_UTF8, _ERRORS))


def value_at(occ, offset: int) -> bytes:
    """The whole value stored at `offset` of an occurrence file (bytes or a memoryview)."""
    return bytes(occ[offset:offset + value_size(occ, offset)])


def occurrence_arrays(value) -> tuple[array, array, array]:
    """(positions, start characters, end characters) of a posting value, as uint32 arrays
    (by the compiled decoder where it was built: a hit's marks read a few per record)."""
    if compiled is not None:
        try:
            found = compiled.occurrences(value)
        except ValueError as error:
            raise DamagedValue(str(error)) from None
        if found is not None:  # None: a raw value, read below
            numbers = array("I")
            numbers.frombytes(found)
            n = len(numbers) // 3
            return numbers[:n], numbers[n:2 * n], numbers[2 * n:]
    text = str(value, _UTF8, _ERRORS)
    n, span = ord(text[0]), ord(text[1])
    if not n:
        if span != _RAW:
            return array("I"), array("I"), array("I")
        halves = text[4:]
        numbers = array("I", map(or_, map(lshift, map(ord, halves[0::2]), repeat(16)), map(ord, halves[1::2])))
        return numbers[0::3], numbers[1::3], numbers[2::3]
    if n > _MANY:
        return _many_occurrences(text, n, span)
    pairs = text[2:2 + 2 * n]
    positions = array("I", accumulate(map(ord, pairs[0::2])))
    starts = array("I", map(add, positions, accumulate(map(ord, pairs[1::2]))))
    spans = repeat(span, n) if span else map(ord, text[2 + 2 * n:])
    return positions, starts, array("I", map(add, starts, spans))


def _cut_at_a_character(data, starts, ends):
    """`ends` moved back, where needed, to the first byte of the UTF-8 character they fall in
    (never before the value's start): 10xxxxxx bytes continue a character."""

    ends = ends.copy()
    for _ in range(3):  # a character has 3 continuation bytes at most
        inside = (ends > starts) & (ends < len(data))
        inside[inside] = (data[ends[inside]] & 0xC0) == 0x80
        if not inside.any():
            break
        ends[inside] -= 1
    return ends


#: a value of more occurrences is decoded as NumPy arrays (`_many_occurrences`)
_MANY = 64


def _many_occurrences(text: str, n: int, span: int) -> tuple[array, array, array]:
    """`occurrence_arrays` of a common-form value of n occurrences, its text decoded: the
    running sums as whole-array operations (a long plan's 服务 stands hundreds of times)."""
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", _ERRORS), dtype="<u4").astype(np.int64)
    positions = np.cumsum(points[2:2 + 2 * n:2])
    starts = positions + np.cumsum(points[3:3 + 2 * n:2])
    ends = starts + (span if span else points[2 + 2 * n:2 + 3 * n])
    return tuple(array("I", column.astype("=u4").tobytes()) for column in (positions, starts, ends))  # type: ignore[return-value]


def decode_positions(value) -> array:
    return occurrence_arrays(value)[0]


def decode_occurrences(value) -> list[tuple[int, int, int]]:
    """(position, startchar, endchar) of each occurrence."""
    return list(zip(*occurrence_arrays(value), strict=True))


def positions_of(occ, starts, ends, head: int | None = None):
    """The positions of many values — those between `starts` and `ends` (byte offsets, NumPy
    int64 arrays) of an occurrence file — as NumPy arrays: (each value's count, all the
    positions, value by value, ascending within each); with `head`, each value's first places,
    `head` at most: as many as its first 4 + 4 × head bytes hold (`positions_in`)."""
    return positions_in([(occ, starts, ends)], head)


def positions_in(parts: list, head: int | None = None):
    """`positions_of` for values of several occurrence files (a segment's each): `parts` are
    (occurrence file, starts, ends); the values come out part by part. The compiled decoder
    reads them where it was built (`_compiled_positions`); else, or for raw values, the values'
    bytes are joined and decoded once for all the parts (UTF-8, then UTF-32 into an array of
    code points); each value's first code point is found by counting the bytes that start a
    character, and its positions are the running sums of its position deltas: whole-array
    operations, no Python code per value or per part's value (raw values, never made by
    govdocs' analysis below a 1.1-million-character document, are decoded one by one). Where
    a part's values hold a quarter of their stretch of its file or more, the stretch is read
    as one slice (joining thousands of slices cost ~5 ms for 省 at 100 MB)."""
    import numpy as np

    parts = [(occ, starts, ends) for occ, starts, ends in parts if len(starts)]
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if compiled is not None:
        found = _compiled_positions(compiled, parts, head)
        if found is not None:
            return found
    pieces: list = []
    spans_of = []  # per value: its bytes and those up to the next value's (its own only, when sliced)
    owns = []  # with `head`: per value, its own bytes in its row
    for occ, starts, ends in parts:
        sizes = ends - starts
        lo, hi = int(starts[0]), int(ends[-1])
        if head is not None:  # each value's first bytes only, cut where a character starts
            width = 4 + 4 * head
            data = np.frombuffer(occ, dtype=np.uint8)
            sizes = _cut_at_a_character(data, starts, np.minimum(ends, starts + width)) - starts
            owns.append(sizes)
            if len(starts) >= ROWS_FROM:
                pieces.append(_rows(data, starts, sizes, width))
                spans_of.append(np.full(len(starts), width, dtype=np.int64))
            else:
                pieces += map(occ.__getitem__, map(slice, starts.tolist(), (starts + sizes).tolist()))
                spans_of.append(sizes)
        elif 4 * int(sizes.sum()) >= hi - lo and bool((starts[1:] >= ends[:-1]).all()):
            pieces.append(occ[lo:hi])  # the values and those between them, as one slice
            at = starts - lo
            spans_of.append(np.append(at[1:], hi - lo) - at)
        else:
            pieces += map(occ.__getitem__, map(slice, starts.tolist(), ends.tolist()))
            spans_of.append(sizes)
    joined = b"".join(pieces) if len(pieces) > 1 else pieces[0]
    spans = np.concatenate(spans_of) if len(spans_of) > 1 else spans_of[0]
    if not len(joined):
        return np.zeros(len(spans), dtype=np.int64), np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(joined, dtype=np.uint8)
    # each value's code points: its span's bytes but the UTF-8 continuation bytes (10xxxxxx)
    at = np.minimum(np.cumsum(spans) - spans, len(raw) - 1)
    continued = np.add.reduceat((raw & 0xC0) == 0x80, at, dtype=np.int64)
    continued[spans == 0] = 0  # (never written: a value has 2 bytes at least) reduceat counts the next byte
    points_in = spans - continued
    first = np.cumsum(points_in) - points_in  # each value's first code point
    points = np.frombuffer(str(joined, _UTF8, _ERRORS).encode("utf-32-le", _ERRORS), dtype="<u4")
    counts = points[first].astype(np.int64)
    if ((counts == 0) & (points[first + 1] == _RAW)).any():
        values = [occurrence_arrays(occ[a:b]) for occ, starts, ends in parts
                  for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        found = [v[0][:head] if head is not None else v[0] for v in values]
        return (np.fromiter(map(len, found), dtype=np.int64, count=len(found)),
                np.concatenate([np.frombuffer(f, dtype=np.uint32) for f in found]).astype(np.int64))
    if head is not None:  # as many (position, gap) pairs as the cut bytes hold, `head` at most
        own_points = (np.concatenate(owns) if len(owns) > 1 else owns[0]) - continued  # (the rows' zeros aside)
        np.minimum(counts, np.minimum((own_points - 2) // 2, head), out=counts)
    before = np.cumsum(counts) - counts  # positions of the earlier values
    total = int(before[-1] + counts[-1])
    if not total:
        return counts, np.zeros(0, dtype=np.int64)
    # a value: n, span, then (position delta, gap delta) n times: the deltas at first + 2, + 4 …
    where = np.arange(total, dtype=np.int64) * 2
    where += np.repeat(first + 2 - 2 * before, counts)
    deltas = points[where].astype(np.int64)
    positions = np.cumsum(deltas)
    # each value's running sum starts afresh: take away what the values before it added (a
    # value without positions is repeated no time: any place will do for it)
    at = np.minimum(before, total - 1)
    positions -= np.repeat(positions[at] - deltas[at], counts)
    return counts, positions


def _compiled_positions(decoder: ModuleType, parts: list, head: int | None):
    """`positions_in` by the compiled decoder (`_positions.c`: each value walked once, ~3×
    faster than the NumPy passes at 1 GB), or None where it finds a raw value (the NumPy route
    reads those apart). A value it cannot read is a `DamagedValue`."""
    import numpy as np

    counts, positions = [], []
    for occ, starts, ends in parts:
        try:
            found = decoder.decode(occ, np.ascontiguousarray(starts, dtype=np.int64),
                                   np.ascontiguousarray(ends, dtype=np.int64), -1 if head is None else head)
        except ValueError as error:
            raise DamagedValue(str(error)) from None
        if found is None:
            return None
        c, p = found
        counts.append(np.frombuffer(c, dtype=np.int64))
        positions.append(np.frombuffer(p, dtype=np.int64))
    if len(parts) == 1:
        return counts[0], positions[0]
    return np.concatenate(counts), np.concatenate(positions)


def keys_having(parts: list, keys, shift: int, head: int | None = None):
    """Which of a phrase's `keys` (ascending: (label << 32) + position − shift of the words
    read so far, `postings.Postings.phrase_keys`) a further word standing `shift` positions
    after the first has too (with `head`: among each value's first places, as `positions_in`
    reads them): `parts` are (occurrence file, starts, ends, labels) of its values in the
    keys' documents (labels ascending). Marks over the keys, by the compiled decoder
    (`_positions.c`: a value read only up to its document's last key, none built for the
    word); None where it was not built or a value is raw — the caller makes the word's keys
    and intersects them. A value it cannot read is a `DamagedValue`."""
    import numpy as np

    if compiled is None:
        return None
    marks = np.zeros(len(keys), dtype=np.bool_)
    keys = np.ascontiguousarray(keys, dtype=np.int64)
    for occ, starts, ends, labels in parts:
        try:
            done = compiled.having(occ, np.ascontiguousarray(starts, dtype=np.int64),
                                   np.ascontiguousarray(ends, dtype=np.int64),
                                   np.ascontiguousarray(labels, dtype=np.int64), keys, shift,
                                   -1 if head is None else head, marks)
        except ValueError as error:
            raise DamagedValue(str(error)) from None
        if done is False:
            return None
    return marks


#: from this many values of one file on, a head pass gathers them as rows (`_rows`): below,
#: a slice each costs less than making the strided view and its mask
ROWS_FROM = 64


def _rows(data, starts, sizes, width: int) -> bytes:
    """The first `sizes` bytes of the values at `starts` of `data` (a uint8 array), each in a
    row of `width` bytes filled up with zeros (one code point each, never part of a
    character): one gather for all the values instead of a slice each (a phrase's first pass
    reads thousands: 4.8 → 1.1 ms for 13,700 values)."""
    import numpy as np
    from numpy.lib.stride_tricks import as_strided

    inside = starts + width <= len(data)
    # every `width` bytes of `data`, a row for each byte they may start at (a view, no copy)
    windows = as_strided(data, shape=(max(len(data) - width + 1, 0), width), strides=(1, 1), writeable=False)
    if inside.all():
        rows = windows[starts]
    else:
        rows = np.zeros((len(starts), width), dtype=np.uint8)
        rows[inside] = windows[starts[inside]]
        for i in np.flatnonzero(~inside).tolist():  # the file's last values: less than a row after them
            rows[i, :sizes[i]] = data[starts[i]:starts[i] + sizes[i]]
    rows *= np.arange(width) < sizes[:, None]
    return rows.tobytes()


class Occurrences(formats.Characters):
    """Positions and character spans, stored as packed arrays instead of Whoosh's pickled deltas.

    `Characters` pickles a list of (position, start, end) deltas per posting; unpickling
    them is what a phrase query spent its time on (docs/engine.md). Packed arrays decode in
    C, and encode in C at indexing time (`encode_flat`). Whoosh's own readers (phrase
    matchers, `value_as("characters")`) use the decode methods below. The codec stores these
    values outside the posting blocks (`codec.OccCodec`).
    """

    out_of_line = True

    def encode(self, poslist) -> bytes:
        if not poslist:
            return encode_occurrences([], [], [])
        positions, starts, ends = zip(*poslist, strict=True)
        return encode_occurrences(positions, starts, ends)

    def decode_frequency(self, valuestring: bytes) -> int:
        return occurrence_count(valuestring)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring).tolist()

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        return decode_occurrences(valuestring)

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(p, 1.0) for p in decode_positions(valuestring)]

    def decode_character_boosts(self, valuestring: bytes) -> list[tuple[int, int, int, float]]:
        return [(p, s, e, 1.0) for p, s, e in decode_occurrences(valuestring)]
