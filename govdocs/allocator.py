"""Keep the memory a search frees for the next one (glibc's malloc only).

A search allocates arrays as large as its posting lists or as the index's document count (a
mask, a dense score table). glibc's malloc serves blocks past its mmap threshold (128 KiB,
raised as big blocks are freed, to at most 32 MiB) from fresh mappings and gives the top of its
heap back to the system past its trim threshold, so each search's arrays are new pages that the
kernel zeroes and maps again: at 1 GB a warm `"省人民政府"` took ~4,500 page faults a search
(64 ms; 830 faults and 54 ms with the thresholds below). `keep_freed_memory()` sets those
thresholds once (`mallopt`): blocks up to 32 MiB come from the heap, and up to 128 MiB of freed
heap is kept. The price is the process's resident size staying near its peak, which a search
process or the web server reaches anyway. Only the `search` and `serve` commands call it
(the library leaves the process's allocator alone, and so does indexing, whose forked workers
gained nothing measurable from it); it does nothing where there is no glibc.
The web server searches in a pool of threads, and glibc gives threads arenas of their own (up
to eight per core), each of which could keep that much: the arenas are capped at two (Python
threads allocate one at a time under the interpreter's lock anyway).
"""

from __future__ import annotations

import ctypes
import sys

#: mallopt's parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -2, -3, -8
#: glibc's greatest mmap threshold: 32 MiB on 64-bit systems, 512 KiB × the size of a long
MMAP_THRESHOLD = 4 * 1024 * 1024 * ctypes.sizeof(ctypes.c_long)
TRIM_THRESHOLD = 128 * 1024 * 1024
TOP_PAD = 16 * 1024 * 1024
ARENA_MAX = 2


def keep_freed_memory() -> bool:
    """Set malloc's thresholds and arena cap (above); False where the C library has no
    `mallopt` or refused one of them."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # a C library without it (musl has none)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = [mallopt(param, value) == 1 for param, value in ((_M_ARENA_MAX, ARENA_MAX),
                                                           (_M_MMAP_THRESHOLD, MMAP_THRESHOLD),
                                                           (_M_TRIM_THRESHOLD, TRIM_THRESHOLD),
                                                           (_M_TOP_PAD, TOP_PAD))]
    return all(done)  # each set on its own: one refused leaves the others set
