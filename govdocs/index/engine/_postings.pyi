from collections.abc import Sequence

from _typeshed import ReadableBuffer as Buffer

def ool_lists(
    extents: Sequence[Buffer], bases: Sequence[int], /
) -> tuple[bytearray, bytearray, bytearray, bytearray, bytearray] | None:
    """(document numbers + bases int64, weights float64, value starts and ends int64, each list's count int64)."""
