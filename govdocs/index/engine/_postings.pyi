from collections.abc import Sequence

from _typeshed import ReadableBuffer as Buffer

def ool_lists(
    extents: Sequence[Buffer], bases: Sequence[int], values: bool = True, /
) -> tuple[bytearray, bytearray, bytearray | None, bytearray | None, bytearray] | None:
    """(document numbers + bases int64, weights float64, value starts and ends int64 — None
    without `values` — each list's count int64)."""

def ool_values(extents: Sequence[Buffer], indexes: Buffer, /) -> tuple[bytearray, bytearray] | None:
    """(value starts int64, value ends int64) of the postings at `indexes` (ascending int64)."""

def table_values(key: Buffer, keyhash: int, tables: Sequence[tuple[Buffer, Buffer]], /) -> list[bytes | None] | None:
    """The value under `key` in each Whoosh hashed table (its bytes, its 256-entry directory's
    bytes), None where it has none; None for the whole call where a table points past its bytes."""
