"""The search engine under govdocs' index: Whoosh's storage and formats, faster where it counts.

What the rest of the index layer uses is imported here, and only from here:

* `Occurrences` — the text fields' postings format (positions and character spans as packed
  delta arrays); `consume`, `little_endian`, the value encoders and decoders go with it;
* `BulkWriter` — a `SegmentWriter` that files whole posting lists at once (with the codec
  `OccCodec`, whose segments keep occurrences out of line and are read in place);
* `Evaluator`, `top_by_score`, `top_by_value` — exact query evaluation, totals, facets and
  scores over whole posting lists;
* `paused` — the cyclic garbage collector paused around work that makes no cycles;
* `ForeignSegment` — raised for a segment not written by this engine's codec.

Each change to Whoosh's behaviour lives in a subclass of ours (docs/engine.md lists them, the
private names of Whoosh they rely on, and how to upgrade Whoosh); nothing of Whoosh's is
replaced. `lean_imports.install()` trims what importing Whoosh costs: only the command-line
entry point calls it.
"""

from typing import TYPE_CHECKING

import whoosh

#: the whoosh-reloaded release the engine is written against: it relies on private names of
#: Whoosh (its codec, segment writer and readers), which another release may change
SUPPORTED_WHOOSH = "2.7.5"


def _check_whoosh() -> None:
    """Whoosh's own version string (importlib.metadata would lengthen every search command)."""
    found = whoosh.versionstring()
    if found != SUPPORTED_WHOOSH:
        raise ImportError(f"govdocs needs whoosh-reloaded {SUPPORTED_WHOOSH}, found {found} — "
                          f"run `pip install whoosh-reloaded=={SUPPORTED_WHOOSH}`")


_check_whoosh()

# after the version check: these modules use Whoosh's private names (the writer's, `bulk` and
# `blocks`, load on first use of `BulkWriter`: a search command never writes)
from govdocs.index.engine.codec import OccCodec  # noqa: E402
from govdocs.index.engine.collector import paused  # noqa: E402
from govdocs.index.engine.evaluate import (  # noqa: E402
    Evaluator,
    ForeignSegment,
    Scored,
    UnsupportedQuery,
    top_by_score,
    top_by_value,
)
from govdocs.index.engine.occurrences import (  # noqa: E402
    DamagedValue,
    Occurrences,
    consume,
    decode_occurrences,
    encode_flat,
    encode_grouped,
    encode_occurrences,
    little_endian,
    occurrence_arrays,
)
from govdocs.index.engine.postings import union  # noqa: E402

if TYPE_CHECKING:
    from govdocs.index.engine.bulk import BulkWriter


def __getattr__(name: str):
    if name == "BulkWriter":
        from govdocs.index.engine.bulk import BulkWriter

        return BulkWriter
    raise AttributeError(f"module 'govdocs.index.engine' has no attribute {name!r}")


__all__ = ["SUPPORTED_WHOOSH", "BulkWriter", "DamagedValue", "Evaluator", "ForeignSegment", "OccCodec", "Occurrences",
           "Scored", "UnsupportedQuery", "consume", "decode_occurrences", "encode_flat", "encode_grouped",
           "encode_occurrences", "little_endian", "occurrence_arrays", "paused", "top_by_score", "top_by_value", "union"]
