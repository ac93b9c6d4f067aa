from _typeshed import ReadableBuffer as Buffer

def ool_blocks(postings: list, lengths: Buffer, limit: int, base: int, /
               ) -> tuple[bytes, list[tuple[int, int, int, float, int | None, int, bytes, bytes]]]:
    """A term's values joined, and per block (postings, first and last document number, greatest
    weight, least and greatest field length, float32 weights, block data)."""

def file_postings(terms: dict, keys: list | tuple, weights: list | tuple, values: list | tuple, docnum: int, /
                  ) -> None:
    """Append (docnum, weight, value) to terms[key] for each key, a new list for a new key."""
