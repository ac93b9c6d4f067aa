"""Pausing Python's cyclic garbage collector around work that makes no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector is off inside the block and back as it was on leaving it.

    Indexing: a segment's postings are millions of long-lived lists; full collections walked
    all of them again and again (a third of the indexing time), so the indexer runs inside this
    block and collects young objects itself after each file. Searching: a query builds and
    drops thousands of container objects (slices, sets, tuples); the collections they set off
    walk the ones still alive — a few per cent of a phrase query (docs/engine.md). Neither makes reference cycles (one
    made by, say, an exception's traceback is freed by a later collection).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
