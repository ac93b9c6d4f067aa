from typing import Literal

from _typeshed import ReadableBuffer as Buffer

def decode(file: Buffer, starts: Buffer, ends: Buffer, head: int, /) -> tuple[bytearray, bytearray] | None:
    """(each value's count, all their positions) as native int64 bytes; head -1 for all."""

def occurrences(value: Buffer, /) -> bytearray | None:
    """One value's positions, start and end characters, n each, as native uint32 bytes."""

def having(
    file: Buffer, starts: Buffer, ends: Buffer, labels: Buffer, keys: Buffer, shift: int, head: int, marks: Buffer, /
) -> Literal[False] | None:
    """Marks (one byte a key) the keys the values' positions make (head -1: all); False for a raw value."""
