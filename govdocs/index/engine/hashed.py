"""Whoosh's hashed terms table, opened and probed over the memory-mapped segment.

A segment's terms table is Whoosh's `OrderedHashWriter` file: the items (key length, value
length, key, value), then 256 hash tables of (key hash, item position) slots, a directory of
the 256 tables (position, slot count), the extras (a pickle) and the ordered keys' positions.
Whoosh's reader reads that directory one entry per `read()` call: 256 calls a segment, 8,192
to open the 32 segments of a 1 GB index (~12 ms of every search command), and probes a slot
per file read through a generator and a `KeyError` (~7 µs for an absent term; a query for
省人民政府 looks up ~50 terms in every segment, mostly absent). `HashIndex` reads the
directory in one call and `item_value` probes the mapped bytes directly (`values_in`: one key in
every segment's table, by one call of `_postings.c`'s `table_values`); the layout is the one
`whoosh.filedb.filetables` writes (its structs are imported; its header tag, a default argument
there, is spelt out as `MAGIC`).
"""

from __future__ import annotations

from whoosh.filedb.filetables import FileFormatError, OrderedHashReader, _hash_functions
from whoosh.filedb.filetables import _dir_entry as _DIRECTORY_ENTRY  # a table's (position, slot count)
from whoosh.filedb.filetables import _lengths as _ROW_HEAD  # an item's (key length, value length)
from whoosh.filedb.filetables import _pointer as _SLOT  # a table's slot: (key hash, item position)
from whoosh.system import _INT_SIZE

# the probe of many tables at once (`_postings.c`'s `table_values`), None where it was not built
from govdocs.index.engine.block_format import compiled

#: the tag a hashed table file starts with (`HashWriter`'s default)
MAGIC = b"HSH3"


class HashIndex(OrderedHashReader):
    """`OrderedHashReader` whose opening reads the table directory at once; what it sets up is
    what `HashReader.__init__` sets up (the same attributes, from the same bytes), so every
    method of Whoosh's reader works on it."""

    def __init__(self, dbfile, length: int) -> None:
        self.dbfile = dbfile
        self.startoffset = 0
        self.is_closed = False
        dbfile.seek(0)
        if (magic := dbfile.read(len(MAGIC))) != MAGIC:
            raise FileFormatError(f"Unknown file header {magic!r}")
        self.hashtype = dbfile.read_byte()
        self.hashfn = _hash_functions[self.hashtype]
        dbfile.read_int()  # two ints reserved for later versions
        dbfile.read_int()
        self.startofdata = dbfile.tell()
        extras_end = length - _INT_SIZE
        extras_start = extras_end - dbfile.get_int(extras_end)
        dbfile.seek(extras_start)
        self._read_extras()
        size = 256 * _DIRECTORY_ENTRY.size
        #: the directory's bytes, as `values_in` hands them to the compiled probe
        self.directory = bytes(dbfile.get(extras_start - size, size))
        self.tables = list(_DIRECTORY_ENTRY.iter_unpack(self.directory))
        self.endofdata = self.tables[0][0]  # the first table starts where the items end


def item_value(buf, index: HashIndex, key: bytes, keyhash: int | None = None) -> bytes | None:
    """The value stored under `key` in the mapped table `buf`, None if it holds none —
    Whoosh's look-up (`HashReader.ranges_for_key`: the key's hash picks one of the 256 tables
    and a first slot, slots are probed in turn until an empty one) in one function. `keyhash`:
    the key's hash, where the caller made it already (an MD5: `values_in` makes one a key)."""
    if keyhash is None:
        keyhash = index.hashfn(key)
    tablestart, numslots = index.tables[keyhash & 255]
    if not numslots:
        return None
    size = _SLOT.size
    tableend = tablestart + numslots * size
    slot = tablestart + (keyhash >> 8) % numslots * size
    for _ in range(numslots):
        slothash, item = _SLOT.unpack_from(buf, slot)
        if not item:
            return None
        if slothash == keyhash:
            keylen, datalen = _ROW_HEAD.unpack_from(buf, item)
            start = item + _ROW_HEAD.size
            if keylen == len(key) and buf[start : start + keylen] == key:
                return bytes(buf[start + keylen : start + keylen + datalen])
        slot += size
        if slot == tableend:
            slot = tablestart
    return None


def values_in(key: bytes, tables: list[tuple[object, HashIndex]]) -> list[bytes | None]:
    """`item_value` of one key in several mapped tables ((bytes, index) each): one compiled call
    for the tables of one hash function where `_postings.c` was built (a look-up in Python costs
    ~6 µs; a query for 省人民政府 makes ~1,600 at 1 GB, 15,000 at 10 GB), else table by table."""
    found: list[bytes | None] = [None] * len(tables)
    by_hash: dict[int, list[int]] = {}
    for i, (_buf, index) in enumerate(tables):
        by_hash.setdefault(index.hashtype, []).append(i)
    for hashtype, members in by_hash.items():
        keyhash = _hash_functions[hashtype](key)
        values = None if compiled is None else compiled.table_values(
            key, keyhash, [(tables[i][0], tables[i][1].directory) for i in members])
        for k, i in enumerate(members):  # a table pointing past its bytes: Python's look-up says so
            found[i] = values[k] if values is not None else item_value(tables[i][0], tables[i][1], key, keyhash)
    return found
