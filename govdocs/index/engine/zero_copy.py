"""Read a segment's parts in place instead of copying them into memory.

Whoosh opens each part of a compound segment (postings, terms, stored fields) as a
`BufferFile` over the memory-mapped segment and wraps it in `io.BytesIO(buf)` — which copies
the whole part: time and memory of every search command spent before the query runs
(docs/engine.md). `ViewCompoundStorage` (which `codec.OccSegment` opens instead of
Whoosh's `CompoundStorage`) gives each part a `ViewBufferFile`: the same file protocol (read,
readinto, readline, seek, tell) answered by slicing the memory map, copying only what is read.
Whoosh's own classes are left as they are.
"""

from __future__ import annotations

import io

from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import StorageError
from whoosh.filedb.structfile import BufferFile


class ViewFile(io.RawIOBase):
    """A read-only, seekable file over a buffer (a memoryview of a memory map)."""

    def __init__(self, buf) -> None:
        super().__init__()
        self._view = memoryview(buf).cast("B")
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            offset += len(self._view)
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        self._pos = offset
        return offset

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = self._view[self._pos:end].tobytes() if end > self._pos else b""
        self._pos = max(self._pos, end)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        limit = len(view) if size is None or size < 0 else min(len(view), start + size)
        end = start
        while end < limit:  # lines are short in Whoosh's files (pickles' text opcodes)
            end += 1
            if view[end - 1] == 0x0A:
                break
        self._pos = end
        return view[start:end].tobytes()

    def close(self) -> None:
        self._view.release()
        super().close()


class ViewBufferFile(BufferFile):
    """Whoosh's `BufferFile` over a `ViewFile` instead of a `BytesIO` copy of the buffer."""

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = ViewFile(buf)

    def subset(self, position, length, name=None):
        return ViewBufferFile(self.get(position, length), name=name or self._name)


class ViewCompoundStorage(CompoundStorage):
    """A compound segment whose parts are read in place (`ViewBufferFile`) when it is
    memory-mapped; as Whoosh reads it otherwise."""

    def open_file(self, name, *args, **kwargs):
        if self.is_closed:
            raise StorageError("Storage was closed")
        if not self._source:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return ViewBufferFile(memoryview(self._source)[offset:offset + length], name=name)
