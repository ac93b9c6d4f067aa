"""Pausing Python's cyclic garbage collector around work that makes no reference cycles."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: blocks open now, and whether the collector was on when the first of them began
_lock = threading.Lock()
_open = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector is off inside the block and back as it was when the first of the
    blocks open at once began. The collector is the process's: blocks in several threads (a
    server's) count themselves under a lock, so the last one out restores it.

    Indexing: a segment's postings are millions of long-lived lists; full collections walked
    all of them again and again (a third of the indexing time), so the indexer runs inside this
    block and collects young objects itself after each file. Searching: a query builds and
    drops thousands of container objects (slices, sets, tuples); the collections they set off
    walk the ones still alive — a few per cent of a phrase query (docs/engine.md). Neither makes
    reference cycles (one made by, say, an exception's traceback is freed by a later collection).
    """
    global _open, _was_enabled
    with _lock:
        if _open == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _open += 1
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            if _open == 0 and _was_enabled:
                gc.enable()
