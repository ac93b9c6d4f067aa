"""A text field's postings values: where each occurrence of a term stands.

A value is one little-endian uint32 array: the count n, then (position, start character, end
character) of each occurrence. `Occurrences` is the Whoosh format that stores them so, and
the codec (`codec.OccCodec`) keeps these values out of the posting blocks.
"""

from __future__ import annotations

import sys
from array import array
from collections import deque

from whoosh import formats

from govdocs.index.engine.codec import little_endian

_BIG_ENDIAN = sys.byteorder == "big"

#: exhausts an iterator of `map()` calls made for their effect
consume = deque[object](maxlen=0).extend


def encode_occurrences(positions, starts, ends) -> bytes:
    """A posting value: one little-endian uint32 array — the count n, then (position, start
    character, end character) of each occurrence."""
    values = [len(positions)]
    for occurrence in zip(positions, starts, ends, strict=False):
        values += occurrence
    return little_endian(array("I", values))


def occurrence_count(value: bytes) -> int:
    return int.from_bytes(value[:4], "little")


def decode_positions(value: bytes) -> array:
    return occurrence_arrays(value)[0]


def occurrence_arrays(value: bytes) -> tuple[array, array, array]:
    """(positions, start characters, end characters) of a posting value."""
    a = array("I")
    a.frombytes(value)
    if _BIG_ENDIAN:
        a.byteswap()
    return a[1::3], a[2::3], a[3::3]


def decode_occurrences(value: bytes) -> list[tuple[int, int, int]]:
    """(position, startchar, endchar) of each occurrence."""
    return list(zip(*occurrence_arrays(value), strict=False))


class Occurrences(formats.Characters):
    """Positions and character spans, stored as arrays instead of Whoosh's pickled deltas.

    `Characters` pickles a list of (position, start, end) deltas per posting; unpickling
    them is what a phrase query spent its time on (docs/engine.md). Arrays decode in C, and
    encode in C at indexing time. Whoosh's own readers (phrase matchers,
    `value_as("characters")`) use the decode methods below. The codec stores these values
    outside the posting blocks (`codec.OccCodec`).
    """

    out_of_line = True

    def encode(self, poslist) -> bytes:
        if not poslist:
            return encode_occurrences([], [], [])
        positions, starts, ends = zip(*poslist, strict=False)
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
