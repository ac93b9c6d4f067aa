from _typeshed import ReadableBuffer as Buffer

class Pool:
    """A text field's postings, per term, in arrays."""

    def __len__(self) -> int: ...
    def add(self, keys: list | tuple, weights: list | tuple, values: list | tuple, docnum: int, /) -> None:
        """File docnum's posting of each term: its weight and value (bytes)."""
    def add_batch(self, terms: list[str], docnums: Buffer, pairs: Buffer, numbers: Buffer, counts: Buffer,
                  ends: Buffer, values: Buffer, boost: float, /) -> None:
        """File texts' postings made together (`_wordtable.batch`): text i's pairs[i] pairs
        under docnums[i], each term terms[number], weight count * boost; all checked first."""
    def truncate(self, docnum: int, /) -> None:
        """Drop the postings of documents from docnum on, and the terms left with none."""
    def keys(self) -> list:
        """The terms, in the order they came."""
    def flat(self, key: str | bytes, /) -> list:
        """A term's postings as [docnum, weight, value, ...]."""
    def blocks(self, key: str | bytes, lengths: Buffer, limit: int, base: int, /
               ) -> tuple[bytes, list[tuple[int, int, int, float, int | None, int, bytes, bytes]]]:
        """A term's values joined, and per block (postings, first and last document number,
        greatest weight, least and greatest field length, float32 weights, block data)."""

def file_postings(terms: dict, keys: list | tuple, weights: list | tuple, values: list | tuple, docnum: int, /
                  ) -> None:
    """Append (docnum, weight, value) to terms[key] for each key, a new list for a new key."""
