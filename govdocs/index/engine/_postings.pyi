from _typeshed import ReadableBuffer as Buffer

def ool_blocks(extent: Buffer, /) -> tuple[bytearray, bytearray, bytearray] | None:
    """(document numbers int64, weights float64, value offsets and the last end int64) as native bytes."""
