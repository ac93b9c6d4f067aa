from _typeshed import ReadableBuffer as Buffer

def lookup(cuts: list[list[str]], ids: dict[str, int], /) -> tuple[bytearray, int]:
    """Every word's number (native int64 bytes, -1 where `ids` lacks it) and how many lacked one."""

def columns(numbers: Buffer, cuts: list[list[str]], lengths: list[int], kind: Buffer, length: Buffer, first: Buffer,
            count: Buffer, exp_term: Buffer, exp_start: Buffer, exp_end: Buffer, terms: list[str], /
            ) -> list[tuple[list[str], list[int], list[bytes]]] | None:
    """Each text's terms (first-occurrence order), counts and encoded values; None if some
    text's words do not add up to its length."""

def batch(numbers: Buffer, cuts: list[list[str]], lengths: list[int], kind: Buffer, length: Buffer, first: Buffer,
          count: Buffer, exp_term: Buffer, exp_start: Buffer, exp_end: Buffer, n_terms: int, /
          ) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes] | None:
    """`columns()` as six buffers: per text its pairs and occurrences, per pair its term
    number, count and value end (native int64), and the values laid end to end; None as
    columns()."""
