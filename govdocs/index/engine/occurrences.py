"""A text field's postings values: where each occurrence of a term stands, packed small.

A value holds n occurrences (position, start character, end character). Within a value the
positions ascend, and so does start − position (the white space before the occurrence: the
analysis counts positions without it); the span end − start is the same for every occurrence
(the word's length: folding is one character for one). So a value is stored as deltas in the
narrowest array type that holds them, and the span once:

    byte 0      bits 0–1: width code of the positions (0 'B', 1 'H', 2 'I'; 3: a raw value)
                bits 2–3: width code of the gaps (start − position)
                bits 4–7: n if n < 15; 15: n is the uint32 after byte 1
    byte 1      the span (end − start) of every occurrence, 1–255; 0: the spans follow
                the gaps as a uint32 array (spans that differ, or longer than 255)
    [uint32 n]  when bits 4–7 are 15
    positions   n deltas (the first from 0), little-endian, of the positions' width
    gaps        n deltas of start − position (the first from 0), of the gaps' width
    [spans]     n uint32, when byte 1 is 0

A value whose positions or gaps do not ascend (never made by govdocs' analysis, possible from
another tokenizer) is stored raw: byte 0 is 3, then uint32 n and n uint32 triples. Nothing is
lost either way: `occurrence_arrays(encode_occurrences(p, s, e)) == (p, s, e)`.

Decoding is C-level: `array.frombytes` (or a cast memoryview) and `itertools.accumulate`;
`positions_at` decodes the positions of many values with `map()`s only (the phrase check).
`Occurrences` is the Whoosh format that stores them so, and the codec (`codec.OccCodec`) keeps
these values out of the posting blocks, in the segment's `.occ` file.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from itertools import accumulate, chain, compress, repeat
from operator import add, eq, getitem, mul, not_, or_, sub

from whoosh import formats

_BIG_ENDIAN = sys.byteorder == "big"

#: exhausts an iterator of `map()` calls made for their effect
consume = deque[object](maxlen=0).extend

#: width code → array typecode and item size
_TYPECODES = "BHI"
_WIDTHS = (1, 2, 4)
#: the greatest value of widths 0 and 1 (`bisect_left` of a maximum gives its width code)
_LIMITS = (0xFF, 0xFFFF)
RAW = 3
#: n at and above this is stored as a uint32 after byte 1
_LONG = 15
_MAX_SPAN = 0xFF
#: per first byte: n (0 when stored apart), where the positions start (from the value's
#: start), the positions' typecode and width (None for a raw value)
_NIBBLE = [b >> 4 if b >> 4 < _LONG else 0 for b in range(256)]
_HEAD = [6 if b >> 4 == _LONG else 2 for b in range(256)]
_POS_TYPECODE = [_TYPECODES[b & 3] if b & 3 != RAW else None for b in range(256)]
_POS_WIDTH = [_WIDTHS[b & 3] if b & 3 != RAW else 0 for b in range(256)]


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


def _deltas(values) -> list[int]:
    return list(map(sub, values, chain((0,), values)))


def encode_occurrences(positions, starts, ends) -> bytes:
    """A posting value (the format in the module's docstring)."""
    n = len(positions)
    if not (n == len(starts) == len(ends)):
        raise ValueError(f"{n} positions, {len(starts)} starts, {len(ends)} ends")
    dp = _deltas(positions)
    dg = _deltas(list(map(sub, starts, positions)))
    spans = list(map(sub, ends, starts))
    if n and min(min(dp), min(dg), min(spans)) < 0:
        values = [n]
        for occurrence in zip(positions, starts, ends, strict=True):
            values += occurrence
        return bytes((RAW,)) + little_endian(array("I", values))
    pw = bisect_left(_LIMITS, max(dp, default=0))
    gw = bisect_left(_LIMITS, max(dg, default=0))
    span = spans[0] if n and spans.count(spans[0]) == n and 0 < spans[0] <= _MAX_SPAN else 0
    head = bytes((pw | gw << 2 | min(n, _LONG) << 4, span)) + (n.to_bytes(4, "little") if n >= _LONG else b"")
    body = little_endian(array(_TYPECODES[pw], dp)) + little_endian(array(_TYPECODES[gw], dg))
    return head + body + (little_endian(array("I", spans)) if n and not span else b"")


def encode_flat(flats: list) -> list[bytes]:
    """The values of many terms, each given flat: (position, start, end) × n, n ≥ 1 (lists
    or uint32 arrays) — `encode_occurrences` of each, by `map()`s over all of them (the
    analysis encodes a document's values so: no Python code runs per value). A value that
    needs more than the common form (n ≥ 15, numbers that descend, spans that differ or
    exceed 255) is encoded by `encode_occurrences`."""
    if not flats:
        return []
    ps = list(map(getitem, flats, repeat(slice(0, None, 3))))
    ss = list(map(getitem, flats, repeat(slice(1, None, 3))))
    spans = list(map(list, map(map, repeat(sub), map(getitem, flats, repeat(slice(2, None, 3))), ss)))
    gaps = list(map(list, map(map, repeat(sub), ss, ps)))
    dps = list(map(list, map(map, repeat(sub), ps, map(chain, repeat((0,)), ps))))
    dgs = list(map(list, map(map, repeat(sub), gaps, map(chain, repeat((0,)), gaps))))
    ns = list(map(len, ps))
    firsts = list(map(getitem, spans, repeat(0)))
    common = list(map(all, zip(map(eq, map(list.count, spans, firsts), ns), map(_SHORT.__contains__, ns),
                               map(_SPANS.__contains__, firsts), map(int.__le__, repeat(0), map(min, dps)),
                               map(int.__le__, repeat(0), map(min, dgs)), strict=False)))
    if _BIG_ENDIAN:  # the arrays below are native
        common = [False] * len(flats)
    if all(common):
        return _encode_common(dps, dgs, ns, firsts)
    out = [b""] * len(flats)
    keep = list(compress(range(len(flats)), common))
    for i, value in zip(keep, _encode_common(*(list(compress(c, common)) for c in (dps, dgs, ns, firsts))), strict=True):
        out[i] = value
    for i in compress(range(len(flats)), map(not_, common)):
        out[i] = encode_occurrences(ps[i], ss[i], list(map(add, ss[i], spans[i])))
    return out


#: n and spans of the common form (`encode_flat`)
_SHORT = frozenset(range(1, _LONG))
_SPANS = frozenset(range(1, _MAX_SPAN + 1))


def _encode_common(dps: list, dgs: list, ns: list, spans: list) -> list[bytes]:
    """Values of the common form, from position and gap deltas, counts and spans."""
    pws = list(map(bisect_left, repeat(_LIMITS), map(max, dps)))
    gws = list(map(bisect_left, repeat(_LIMITS), map(max, dgs)))
    firsts = map(or_, map(or_, pws, map(int.__lshift__, gws, repeat(2))), map(int.__lshift__, ns, repeat(4)))
    heads = map(bytes, zip(firsts, spans, strict=False))
    pbytes = map(array.tobytes, map(array, map(_TYPECODES.__getitem__, pws), dps))
    gbytes = map(array.tobytes, map(array, map(_TYPECODES.__getitem__, gws), dgs))
    return list(map(b"".join, zip(heads, pbytes, gbytes, strict=False)))


def occurrence_count(value: bytes) -> int:
    b = value[0]
    if b & 3 == RAW:
        return int.from_bytes(value[1:5], "little")
    return b >> 4 if b >> 4 < _LONG else int.from_bytes(value[2:6], "little")


def value_size(occ, offset: int) -> int:
    """The length in bytes of the value at `offset` of `occ` (bytes or a memoryview)."""
    b = occ[offset]
    if b & 3 == RAW:
        return 5 + 12 * int.from_bytes(occ[offset + 1:offset + 5], "little")
    n = occurrence_count(occ[offset:offset + 6])
    return _HEAD[b] + n * (_WIDTHS[b & 3] + _WIDTHS[b >> 2 & 3] + (0 if occ[offset + 1] else 4))


def value_at(occ, offset: int) -> bytes:
    """The whole value stored at `offset` of an occurrence file (bytes or a memoryview)."""
    return bytes(occ[offset:offset + value_size(occ, offset)])


def occurrence_arrays(value) -> tuple[array, array, array]:
    """(positions, start characters, end characters) of a posting value, as uint32 arrays."""
    b = value[0]
    n = occurrence_count(value)
    if b & 3 == RAW:
        a = from_little_endian("I", value[5:5 + 12 * n])
        return a[0::3], a[1::3], a[2::3]
    at, pw, gw = _HEAD[b], _WIDTHS[b & 3], _WIDTHS[b >> 2 & 3]
    positions = array("I", accumulate(from_little_endian(_TYPECODES[b & 3], value[at:at + n * pw])))
    at += n * pw
    starts = array("I", map(add, positions, accumulate(from_little_endian(_TYPECODES[b >> 2 & 3], value[at:at + n * gw]))))
    at += n * gw
    span = value[1]
    spans = repeat(span, n) if span else from_little_endian("I", value[at:at + 4 * n])
    return positions, starts, array("I", map(add, starts, spans))


def decode_positions(value: bytes) -> array:
    return occurrence_arrays(value)[0]


def decode_occurrences(value: bytes) -> list[tuple[int, int, int]]:
    """(position, startchar, endchar) of each occurrence."""
    return list(zip(*occurrence_arrays(value), strict=True))


def positions_at(occ: memoryview, offsets) -> list[list[int]]:
    """The positions (ascending lists) of the values at `offsets` of an occurrence file (a
    memoryview of bytes), decoded by `map()`s over all of them: each value's positions are a
    slice of the file cast to its width and accumulated — no Python code runs per value. Raw
    values, and a big-endian machine, take `occurrence_arrays` instead."""
    offsets = list(offsets)
    firsts = list(map(occ.__getitem__, offsets))
    if _BIG_ENDIAN or None in map(_POS_TYPECODE.__getitem__, firsts):
        return [occurrence_arrays(value_at(occ, o))[0].tolist() for o in offsets]
    heads = list(map(add, offsets, map(_HEAD.__getitem__, firsts)))
    # n: in the first byte, or the uint32 from byte 2 to the positions (an empty slice otherwise)
    from_bytes: Callable[..., int] = int.from_bytes
    longs = map(from_bytes, map(occ.__getitem__, map(slice, map(add, offsets, repeat(2)), heads)), repeat("little"))
    ns = map(add, map(_NIBBLE.__getitem__, firsts), longs)
    stops = map(add, heads, map(mul, ns, map(_POS_WIDTH.__getitem__, firsts)))
    cast: Callable[..., memoryview] = memoryview.cast
    views = map(cast, map(occ.__getitem__, map(slice, heads, stops)), map(_POS_TYPECODE.__getitem__, firsts))
    return list(map(list, map(accumulate, views)))


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
