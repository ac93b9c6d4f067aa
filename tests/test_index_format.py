"""The index's compact format round-trips: occurrence values (`engine.occurrences`), the
out-of-line posting blocks and the stored fields (`engine.codec`) give back exactly
what went in, edge cases included; and an index of the bundled corpus answers the searches
of `ANSWERED` as the uncompressed format did (`tests/golden/index_answers.json`, written by
the code before the format changed)."""

from __future__ import annotations

import io
import json
import pickle
import struct
from array import array
from itertools import accumulate
from operator import add
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import columns
from whoosh.filedb.structfile import StructFile

from govdocs.index.analyzer import NAME_END_MARK, JiebaText
from govdocs.index.engine import block_format, occurrences
from govdocs.index.engine.block_format import ValueOffsets, block_info, ool_block_data, ool_postings, read_ool_block
from govdocs.index.engine.codec import STORED_COLUMN, VarBytesColumn
from govdocs.index.engine.occurrences import (
    Occurrences,
    encode_flat,
    encode_grouped,
    encode_occurrences,
    occurrence_arrays,
    occurrence_count,
    positions_in,
    positions_of,
    value_at,
    value_size,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "index_answers.json"

#: (positions, starts, ends), and what makes each case an edge
VALUES = [
    (([], [], []), "empty"),
    (([7], [9], [11]), "one occurrence"),
    (([0, 1, 2], [0, 1, 2], [2, 3, 4]), "adjacent"),
    (([3, 200, 70_000], [3, 210, 70_100], [5, 212, 70_102]), "gaps of 1, 2 and 3 bytes"),
    (([55_296, 57_000], [55_296, 57_343], [55_298, 57_345]), "deltas in the surrogate range"),
    (([5, 1_200_000], [5, 1_200_010], [6, 1_200_011]), "a delta past 0x10FFFF: raw"),
    (([2**32 - 1], [2**32 - 1], [2**32 - 1]), "the greatest uint32: raw"),
    (([5, 3], [5, 3], [6, 4]), "positions that descend: raw"),
    (([0, 10], [20, 15], [21, 16]), "gaps that shrink: raw"),
    (([1, 4], [1, 4], [2, 6]), "spans that differ (1 and 2)"),
    (([1], [1], [1]), "a span of 0"),
    (([1], [1], [400]), "a span past 255"),
    (([1, 9], [1, 9], [1_200_001, 1_200_009]), "a span past 0x10FFFF: raw"),
    ((list(range(0, 300, 3)), list(range(0, 600, 6)), list(range(2, 602, 6))), "100 occurrences"),
]


@pytest.mark.parametrize(("value", "edge"), VALUES, ids=[edge for _value, edge in VALUES])
def test_a_value_round_trips(value, edge):
    positions, starts, ends = value
    encoded = encode_occurrences(positions, starts, ends)
    assert tuple(map(list, occurrence_arrays(encoded))) == value
    assert occurrence_count(encoded) == len(positions)
    assert Occurrences().decode_characters(encoded) == list(zip(*value, strict=True))
    # read from its offset alone, whatever follows it in the file
    for after in (b"", encode_occurrences([1], [1], [2]), encode_occurrences([5, 1], [5, 1], [6, 2])):
        occ = memoryview(encode_occurrences([9], [9], [10]) + encoded + after)
        at = len(encode_occurrences([9], [9], [10]))
        assert value_size(occ, at) == len(encoded)
        assert value_at(occ, at) == encoded
    if positions:  # the analysis' route gives the same bytes
        assert encode_flat([[n for o in zip(*value, strict=True) for n in o]]) == [encoded]


def test_common_values_are_small():
    assert len(encode_occurrences([7], [9], [11])) == 4  # n, span, position, gap: a byte each
    assert len(encode_occurrences([60_000], [60_010], [60_012])) == 6  # n, span, a 3-byte position, gap
    # 12 bytes an occurrence before (uint32 position, start, end): here 2 for close ones
    assert len(encode_occurrences(list(range(0, 300, 3)), list(range(0, 300, 3)), list(range(2, 302, 3)))) == 202


def _split(counts, positions) -> list[list[int]]:
    ends = list(accumulate(counts.tolist(), initial=0))
    return [positions[a:b].tolist() for a, b in zip(ends, ends[1:], strict=False)]


def test_positions_of_many_values_at_once():
    """`positions_of` decodes many values as arrays: every edge case (raw ones decoded apart),
    the common ones alone, and each value's head."""
    values = [v for v, _edge in VALUES]
    encoded = [encode_occurrences(*v) for v in values]
    offsets = np.array(list(accumulate(map(len, encoded), initial=0)), dtype=np.int64)
    occ = memoryview(b"".join(encoded))
    assert _split(*positions_of(occ, offsets[:-1], offsets[1:])) == [v[0] for v in values]
    common = [i for i, (v, edge) in enumerate(VALUES) if v[0] and "raw" not in edge]
    starts, ends = offsets[common], offsets[[i + 1 for i in common]]
    assert _split(*positions_of(occ, starts, ends)) == [values[i][0] for i in common]
    assert _split(*positions_of(occ, starts, ends, 2)) == [values[i][0][:2] for i in common]


@given(st.lists(st.lists(st.integers(0, 70_000), min_size=0, max_size=30), min_size=1, max_size=12), st.integers(1, 5))
def test_positions_of_any_ascending_values(lists, head):
    """Ascending positions of any size: `positions_of` gives them back, and a head of each —
    the same whether the heads are sliced value by value or gathered as rows."""
    values = [sorted(set(ps)) for ps in lists]
    encoded = [encode_occurrences(ps, [p + 1 for p in ps], [p + 3 for p in ps]) for ps in values]
    offsets = np.array(list(accumulate(map(len, encoded), initial=0)), dtype=np.int64)
    occ = memoryview(b"".join(encoded))
    assert _split(*positions_of(occ, offsets[:-1], offsets[1:])) == values
    # a head: each value's first places, as many as its first 4 + 4 × head bytes hold
    heads = _split(*positions_of(occ, offsets[:-1], offsets[1:], head))
    assert all(h == ps[:len(h)] and len(h) <= head for h, ps in zip(heads, values, strict=True))
    assert sum(map(len, heads)) >= sum(min(len(ps), head) for ps in values) // 2
    with pytest.MonkeyPatch.context() as mp:  # NumPy's two ways to cut the heads: rows, slices
        mp.setattr(occurrences, "compiled", None)
        for rows_from in (0, 10**9):
            mp.setattr(occurrences, "ROWS_FROM", rows_from)
            assert _split(*positions_of(occ, offsets[:-1], offsets[1:], head)) == heads


@given(st.lists(st.lists(st.lists(st.integers(0, 70_000), max_size=30), min_size=1, max_size=6), min_size=1, max_size=4),
       st.sampled_from([None, 1, 3]))
def test_positions_in_several_files_are_each_files_positions(files, head):
    """`positions_in` decodes the values of several occurrence files at once: the counts and
    positions are those `positions_of` gives file by file, one after the other."""
    parts = []
    for lists in files:
        encoded = [encode_occurrences(ps, [p + 1 for p in ps], [p + 3 for p in ps]) for ps in map(sorted, map(set, lists))]
        offsets = np.array(list(accumulate(map(len, encoded), initial=0)), dtype=np.int64)
        parts.append((memoryview(b"".join(encoded)), offsets[:-1], offsets[1:]))
    counts, positions = positions_in(parts, head)
    each = [positions_of(*part, head) for part in parts]
    assert counts.tolist() == [n for c, _p in each for n in c.tolist()]
    assert positions.tolist() == [n for _c, p in each for n in p.tolist()]


occurrence_lists = st.lists(st.tuples(st.integers(0, 3_000_000), st.integers(0, 3_000_000), st.integers(0, 300)),
                            max_size=20)


@given(st.lists(occurrence_lists, min_size=1, max_size=8))
def test_any_values_round_trip(lists):
    """Any numbers (ascending or not), one value at a time and a document's at once."""
    values = [([p for p, _s, _n in occ], [s for _p, s, _n in occ], [s + n for _p, s, n in occ]) for occ in lists]
    encoded = [encode_occurrences(*v) for v in values]
    assert [tuple(map(list, occurrence_arrays(e))) for e in encoded] == values
    if all(v[0] for v in values):
        assert encode_flat([[n for o in zip(*v, strict=True) for n in o] for v in values]) == encoded


@given(st.lists(occurrence_lists.filter(len), min_size=1, max_size=8))
def test_values_encoded_from_arrays_are_those_encoded_one_by_one(lists):
    """`encode_grouped` (a document's values from NumPy arrays) gives each value the bytes
    `encode_occurrences` gives it — the common form, and a descending, oversized or
    mixed-span value encoded apart."""
    values = [([p for p, _s, _n in occ], [s for _p, s, _n in occ], [s + n for _p, s, n in occ]) for occ in lists]
    bounds = np.array(list(accumulate((len(v[0]) for v in values), initial=0)), dtype=np.int64)
    positions, starts, ends = (np.array([n for v in values for n in v[k]], dtype=np.int64) for k in range(3))
    assert encode_grouped(positions, starts, ends, bounds) == [encode_occurrences(*v) for v in values]


def test_a_span_that_is_not_the_terms_length_is_kept():
    """A place's marked last character (a term of two characters for one in the text) and a
    letter that lower-cases to two characters keep their spans in the text."""
    field = JiebaText()
    text = "青海省 İ"
    postings = {term.decode(): value for term, _freq, _weight, value in field.index(text)}
    assert tuple(map(list, occurrence_arrays(postings[NAME_END_MARK + "省"]))) == ([2], [2], [3])
    lowered = "İ".lower()
    assert len(lowered) == 2
    (position,), (start,), (end,) = occurrence_arrays(postings[lowered])
    assert (position, text[start:end]) == (3, "İ")


@pytest.mark.parametrize(("weights", "base"), [
    ([1.0, 2.0, 300.0], 0),  # integer weights: 'B' and 'H' counts
    ([0.5, 1.5, 2.0], 12),  # a half boost: float32
    ([70_000.0, 1.0, 1.0], 2**33),  # a wide count, a base past 4 GB
])
def test_an_out_of_line_block_round_trips(weights, base):
    ids, sizes = [3, 4, 400], [2, 300, 70_000]
    ids_back, weights_back, base_back, sizes_back = read_ool_block(ool_block_data(ids, weights, base, sizes), 3)
    assert (ids_back, list(weights_back), base_back, list(sizes_back)) == (ids, weights, base, sizes)
    offsets = ValueOffsets()
    offsets.add_block(base_back, sizes_back)
    offsets.add_block(base + 70_302, array("B", [5]))
    expected = [base, base + 2, base + 302, base + 70_302, base + 70_307]
    assert [offsets[i] for i in range(len(offsets))] == list(offsets) == expected
    assert offsets[-1] == expected[-1]


def _posting_list(blocks: list[tuple[list[int], list[float], int, list[int]]]) -> bytes:
    """A posting list's bytes as W3 lays them out: the magic tag, then per block its size
    (negative for the last), its pickled info and its packed arrays (`ool_block_data`)."""
    out = [b"W3Bl"]
    for k, (ids, weights, base, sizes) in enumerate(blocks):
        body = block_info(len(ids), ids[-1], max(weights), 0, 1, 300) + ool_block_data(ids, weights, base, sizes)
        out.append(struct.pack("!i", -len(body) if k == len(blocks) - 1 else len(body)) + body)
    return b"".join(out)


#: a block: document number gaps (the first from the block before), weights, value sizes —
#: widths 1, 2 and 4 bytes, integer and fractional weights, values of no byte
_BLOCK = st.lists(st.tuples(st.integers(1, 70_000), st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([0.5, 2.5])),
                            st.integers(0, 70_000)), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=5), st.sampled_from([0, 77, 2**32 - 9, 2**40]), st.integers(0, 2**31 - 1),
       st.booleans())
def test_the_compiled_posting_reader_gives_the_numpy_arrays(blocks, base, first, apart):
    """`ool_postings` by the compiled reader (`_postings.c`): the document numbers, weights and
    offsets the NumPy route reads, and those that went in — blocks of any widths, a base past
    4 GB (a wide base), blocks whose values lie one after the other or apart (each block from
    its own base)."""
    made, ids, weights, offsets = [], [], [], []
    doc, at = first, base
    for block in blocks:
        block_ids = []
        for gap, _weight, _size in block:
            doc += gap if block_ids or ids else 0
            block_ids.append(doc)
        block_weights, sizes = [float(w) for _g, w, _s in block], [size for _g, _w, size in block]
        made.append((block_ids, block_weights, at, sizes))
        ids += block_ids
        # a block with a fractional weight keeps all its weights as float32
        weights += block_weights if all(w % 1 == 0 for w in block_weights) else array("f", block_weights).tolist()
        offsets += list(accumulate(sizes[:-1], initial=at))
        at += sum(sizes) + (5 if apart else 0)
    end = at - (5 if apart else 0)
    extent = _posting_list(made)
    found = ool_postings(memoryview(extent))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(block_format, "compiled", None)
        expected = ool_postings(extent)
    for got, want, dtype in zip(found, expected, (np.int64, np.float64, np.int64), strict=True):
        assert got.dtype == want.dtype == dtype and got.tolist() == want.tolist()
    assert found[0].tolist() == ids and found[1].tolist() == weights
    assert found[2].tolist() == [*offsets, end]


@pytest.mark.skipif(block_format.compiled is None, reason="the compiled posting reader is not built")
def test_the_compiled_posting_reader_joins_lists_and_leaves_what_it_does_not_know():
    """`ool_lists`: several lists (a term's in several segments) in one set of arrays, each
    list's numbers plus its base; a list without the magic tag, cut short anywhere, with a
    compressed block, or with a block info the reader does not parse (another pickle opcode)
    is left to the NumPy route (None for the whole call), which says what is wrong; nothing
    is read past a buffer."""
    ool_lists = block_format.compiled.ool_lists
    extent = _posting_list([([3, 9], [1.0, 2.0], 0, [4, 6]), ([12], [0.5], 10, [300])])
    other = _posting_list([([0, 2], [7.0, 1.0], 40, [2, 3])])
    ids, weights, starts, ends, counts = block_format.ool_lists([extent, memoryview(other)], [0, 100])
    assert ids.tolist() == [3, 9, 12, 100, 102] and weights.tolist() == [1.0, 2.0, 0.5, 7.0, 1.0]
    assert starts.tolist() == [0, 4, 10, 40, 42] and ends.tolist() == [4, 10, 310, 42, 45] and counts.tolist() == [3, 2]
    assert [a.tolist() for a in block_format.ool_lists([], [])] == [[], [], [], [], []]
    # a block claiming more postings than it has bytes, or counts that would wrap the total:
    # refused before anything is allocated for them
    data = ool_block_data([5], [1.0], 0, [2])
    for counts in ([1 << 58], [1 << 62] * 3 + [(1 << 62) + 3], [len(data) + 1]):
        blocks = [block_info(n, 5, 1.0, 0, 1, 1) + data for n in counts]
        hostile = b"W3Bl" + b"".join(struct.pack("!i", -len(b) if k == len(blocks) - 1 else len(b)) + b
                                     for k, b in enumerate(blocks))
        assert ool_lists([hostile], [0]) is None
    with pytest.raises(ValueError, match="one base a list"):
        ool_lists([extent], [])
    assert all(ool_lists([other, extent[:cut]], [0, 0]) is None for cut in range(len(extent)))
    assert ool_lists([b"W3Bx" + extent[4:]], [0]) is None
    info = block_info(1, 5, 1.0, 0, 1, 1)
    compressed = block_info(1, 5, 1.0, 1, 1, 1)
    assert ool_lists([b"W3Bl" + struct.pack("!i", -len(info + data)) + info + data], [0]) is not None
    assert ool_lists([b"W3Bl" + struct.pack("!i", -len(compressed + data)) + compressed + data], [0]) is None
    protocol0 = pickle.dumps((1, 5, 1.0, 0, 1, 1), 0)  # text opcodes
    assert ool_lists([b"W3Bl" + struct.pack("!i", -len(protocol0 + data)) + protocol0 + data], [0]) is None
    with pytest.raises(ValueError, match="not a W3 posting list"):
        ool_postings(b"W3Bx" + extent[4:], "content:'x'")


def _lists_of(blocks_per_list) -> list[bytes]:
    """Posting lists of the given blocks (`_BLOCK`s), each list's document numbers ascending,
    its values laid one after the other from 100 on."""
    out = []
    for blocks in blocks_per_list:
        made, doc, at = [], 0, 100
        for block in blocks:
            ids = []
            for gap, _weight, _size in block:
                doc += gap
                ids.append(doc)
            sizes = [size for _g, _w, size in block]
            made.append((ids, [float(w) for _g, w, _s in block], at, sizes))
            at += sum(sizes)
        out.append(_posting_list(made))
    return out


@pytest.mark.skipif(block_format.compiled is None, reason="the compiled posting reader is not built")
@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_BLOCK, min_size=1, max_size=4), min_size=1, max_size=3), st.data())
def test_values_read_for_some_postings_are_those_read_for_all(blocks_per_list, data):
    """`ool_lists(..., values=False)` leaves where the values lie unread (the same numbers and
    weights); `ool_values` then reads them for any ascending postings (repeats allowed) of
    lists one after the other, as `ool_lists` reads them for all."""
    extents = _lists_of(blocks_per_list)
    bases = [1000 * k for k in range(len(extents))]
    ids, weights, starts, ends, counts = block_format.ool_lists(extents, bases)
    lean = block_format.ool_lists(extents, bases, False)
    assert lean[2] is None and lean[3] is None
    assert [a.tolist() for a in (lean[0], lean[1], lean[4])] == [a.tolist() for a in (ids, weights, counts)]
    total = len(ids)
    wanted = sorted(data.draw(st.lists(st.integers(0, total - 1), max_size=2 * total)))
    got_starts, got_ends = block_format.ool_values(extents, np.array(wanted, dtype=np.int64))
    assert got_starts.tolist() == starts[wanted].tolist() and got_ends.tolist() == ends[wanted].tolist()


@pytest.mark.skipif(block_format.compiled is None, reason="the compiled posting reader is not built")
def test_values_are_read_only_for_postings_the_lists_hold_in_order():
    ool_values = block_format.compiled.ool_values
    extents = _lists_of([[[(1, 1, 4), (2, 1, 6)]], [[(5, 2, 3)]]])  # postings 0, 1 | 2
    starts, ends = block_format.ool_values(extents, np.array([0, 2], dtype=np.int64))
    assert (starts.tolist(), ends.tolist()) == ([100, 100], [104, 103])
    assert [bytes(a) for a in ool_values(extents, b"")] == [b"", b""]
    for wanted, error in (([3], IndexError), ([-1], ValueError), ([2, 1], ValueError), ([1, 0], ValueError)):
        with pytest.raises(error):
            ool_values(extents, np.array(wanted, dtype=np.int64).tobytes())
    with pytest.raises(ValueError, match="int64"):
        ool_values(extents, b"123")
    # past the first block, an index far below: refused before it is subtracted (no wrap-around)
    two_blocks = _lists_of([[[(1, 1, 4), (2, 1, 6)], [(3, 1, 5), (4, 1, 7)]]])
    with pytest.raises(ValueError, match="ascend"):
        ool_values(two_blocks, np.array([2, -2**63], dtype=np.int64).tobytes())
    assert ool_values([b"W3Bx" + extents[0][4:]], np.array([0], dtype=np.int64).tobytes()) is None


def test_a_stored_document_round_trips():
    content = "青海省人民政府关于印发实施方案的通知\n" * 200
    docs = [{"id": "a", "content": content, "meta": {"line": 3, "sections": [[1, "一"]]}}, None, {"id": "b"}]
    buf = io.BytesIO()
    writer = STORED_COLUMN.writer(StructFile(buf))
    for docnum, doc in enumerate(docs):
        writer.add(docnum, doc)
    writer.finish(len(docs))
    size = len(buf.getvalue())
    reader = STORED_COLUMN.reader(StructFile(io.BytesIO(buf.getvalue())), 0, size, len(docs))
    assert [reader[i] for i in range(len(docs))] == docs
    assert list(reader) == docs  # Whoosh's merges read the column so
    assert type(STORED_COLUMN._child) is VarBytesColumn  # not zlib'd: a hit's text is read, not inflated
    assert reader._child.had_stored_offsets  # each document's offset read, not summed from the lengths
    # a column written without offsets (an index of an earlier release) reads the same
    older = columns.PickleColumn(VarBytesColumn())
    buf = io.BytesIO()
    writer = older.writer(StructFile(buf))
    for docnum, doc in enumerate(docs):
        writer.add(docnum, doc)
    writer.finish(len(docs))
    reader = older.reader(StructFile(io.BytesIO(buf.getvalue())), 0, len(buf.getvalue()), len(docs))
    assert not reader._child.had_stored_offsets and [reader[i] for i in range(len(docs))] == docs


@pytest.mark.parametrize("sizes", [(100, 200), (30_000, 40_000), (10,)])
def test_stored_documents_after_the_last_value_read_back(sizes):
    """Documents with no stored value after the last one that has one (filled in when the
    column is finished) read back empty, and the others whole — also when their offset needs a
    wider array than the values before it did (past 255, past 65,535)."""
    docs = [{"id": "x" * n} for n in sizes] + [None, None]
    buf = io.BytesIO()
    writer = STORED_COLUMN.writer(StructFile(buf))
    for docnum, doc in enumerate(docs):
        if doc is not None:
            writer.add(docnum, doc)
    writer.finish(len(docs))
    reader = STORED_COLUMN.reader(StructFile(io.BytesIO(buf.getvalue())), 0, len(buf.getvalue()), len(docs))
    assert reader._child.had_stored_offsets
    assert [reader[i] for i in range(len(docs))] == docs
    assert len(reader._child._offsets) == len(reader._child._lengths) == len(docs)


#: searches whose answers (totals, hits, scores, snippets, facets) the format must not change
ANSWERED = [
    ("人民政府", {}),
    ('"省人民政府"', {}),
    ('"人民政府 办公厅"', {}),
    ("工作规则", {}),
    ("互联网 政务服务", {}),
    ("营商环境 OR 通用航空", {}),
    ("人民政府 -国务院", {}),
    ("(副省长 OR 秘书长) 任命", {}),
    ("刘宁", {"kind": "chronicle"}),
    ("青政〔2019〕45号", {}),
    ("会议", {"kind": "chronicle", "since": "2019-06-10"}),
    ("通知", {"issuer": "青海省人民政府办公厅"}),
    ("NGB", {}),
]


def answers(searcher) -> list[dict]:
    from govdocs.index.search import Filters

    out = []
    for text, filters in ANSWERED:
        found = searcher.search(text, Filters(**filters), limit=20, facets=True).to_dict()
        del found["took_ms"]
        for hit in found["hits"]:  # the corpus' folder differs from one checkout to another
            hit["source"] = Path(hit["source"]).name
        out.append({"query": text, "filters": filters, **found})
    return out


def test_the_index_answers_as_before(searcher):
    assert json.loads(json.dumps(answers(searcher), ensure_ascii=False)) == json.loads(GOLDEN.read_text(encoding="utf-8"))


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 9), st.integers(1, 4)), min_size=60, max_size=200),
       st.booleans())
def test_values_of_many_occurrences_decode_as_the_few(steps, same_span):
    """A value of more than 64 occurrences takes the array decoding: the same numbers."""
    positions = list(accumulate(p for p, _g, _s in steps))
    starts = list(map(add, positions, accumulate(g for _p, g, _s in steps)))
    ends = [s + (2 if same_span else n) for s, (_p, _g, n) in zip(starts, steps, strict=True)]
    assert tuple(map(list, occurrence_arrays(encode_occurrences(positions, starts, ends)))) == (positions, starts, ends)


def test_the_compiled_decoder_is_built():
    """setup.py builds `_positions.c` and `_postings.c` where a C compiler is (CI's machine has
    one): without them phrases and posting lists are read the NumPy way, 2–3× slower, and the
    tests below check only that way."""
    assert occurrences.compiled is not None, "govdocs/index/engine/_positions.c was not built: install gcc, reinstall"
    assert block_format.compiled is not None, "govdocs/index/engine/_postings.c was not built: install gcc, reinstall"


@pytest.mark.skipif(occurrences.compiled is None, reason="the compiled decoder is not built")
@settings(max_examples=60)
@given(st.lists(st.lists(st.lists(st.integers(0, 200_000), max_size=40), min_size=1, max_size=100), min_size=1, max_size=3),
       st.sampled_from([None, 1, 2, 3, 16]), st.booleans(), st.booleans(), st.randoms(use_true_random=False))
def test_the_compiled_decoder_gives_the_numpy_positions(files, head, raw, same_span, rnd):
    """`positions_in` by the compiled decoder: the counts and positions of the NumPy route (its
    rows and its slices), for values of any size — one span or several, code points of 1 to 4
    bytes —, heads of any width, several files; a raw value (a position past one code point's
    reach) in the last file sends the whole call the NumPy way."""
    parts = []
    for k, lists in enumerate(files):
        values = [sorted(set(ps)) for ps in lists]
        if raw and k == len(files) - 1:
            values[-1] = [0x110000 + 5]  # stored raw
        encoded = [encode_occurrences(ps, [p + 1 for p in ps],
                                      [p + 3 if same_span else p + rnd.randint(1, 3000) for p in ps]) for ps in values]
        offsets = np.array(list(accumulate(map(len, encoded), initial=0)), dtype=np.int64)
        parts.append((memoryview(b"".join(encoded)), offsets[:-1], offsets[1:]))
    counts, positions = positions_in(parts, head)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(occurrences, "compiled", None)
        expected = positions_in(parts, head)
    assert counts.tolist() == expected[0].tolist() and positions.tolist() == expected[1].tolist()


@pytest.mark.skipif(occurrences.compiled is None, reason="the compiled decoder is not built")
def test_the_compiled_decoder_refuses_values_outside_the_file():
    """A value cut short, lying past the file's end or claiming more places than its bytes hold
    is refused (ValueError; `DamagedValue` from the wrappers), never read beyond nor allocated
    for: a damaged index does not crash the process. A raw value is left to the other route."""
    value = encode_occurrences([3, 9, 400], [3, 9, 400], [5, 11, 402])
    occ = memoryview(value)
    decode = occurrences.compiled.decode
    counts, positions = decode(occ, np.array([0]), np.array([len(value)]), -1)
    assert np.frombuffer(positions, dtype=np.int64).tolist() == [3, 9, 400]
    for start, end in ((0, len(value) - 1), (0, len(value) + 1), (len(value), len(value) + 4), (-1, 2), (3, 2)):
        with pytest.raises(ValueError):
            decode(occ, np.array([start]), np.array([end]), -1)
    with pytest.raises(ValueError):
        decode(occ, np.array([0, 1]), np.array([len(value)]), -1)
    with pytest.raises(ValueError):  # int32 numbers are no int64 ones
        decode(occ, np.array([0], dtype=np.int32), np.array([len(value)], dtype=np.int32), -1)
    claims = "\U0010FFFF\x01".encode()  # a million places in 5 bytes: refused before any is read
    with pytest.raises(ValueError):
        decode(claims, np.zeros(3000, dtype=np.int64), np.full(3000, len(claims)), -1)
    with pytest.raises(occurrences.DamagedValue):
        positions_in([(memoryview(claims), np.array([0]), np.array([len(claims)]))])
    with pytest.raises(occurrences.DamagedValue):
        occurrence_arrays(claims)
    raw = encode_occurrences([0x110000], [0x110001], [0x110002])
    assert decode(raw, np.array([0]), np.array([len(raw)]), -1) is None  # raw: read the other way
    assert occurrences.compiled.occurrences(raw) is None
    assert decode(occ, np.array([0]), np.array([len(value)]), 2**62) is not None  # a head past every place


@pytest.mark.skipif(occurrences.compiled is None, reason="the compiled decoder is not built")
def test_keys_having_marks_the_keys_a_word_has_and_refuses_damage():
    """`keys_having`: a key is marked where the word stands at its position + shift in the
    key's document; a value cut short or outside the file is a `DamagedValue`; a raw value
    sends the call the other way (None)."""
    first = encode_occurrences([1, 5, 9], [1, 5, 9], [2, 6, 10])
    second = encode_occurrences([2, 4], [2, 4], [3, 5])
    occ = memoryview(first + second)
    starts, ends, labels = np.array([0, len(first)]), np.array([len(first), len(first) + len(second)]), np.array([0, 3])
    keys = np.array([(0 << 32) + 4, (0 << 32) + 7, (3 << 32) + 1, (3 << 32) + 2], dtype=np.int64)
    marks = occurrences.keys_having([(occ, starts, ends, labels)], keys, 1)
    assert marks.tolist() == [True, False, True, False]  # 5 − 1 = 4 and 2 − 1 = 1
    cut = memoryview(first[:-2] + second)  # the first value's last place cut off
    with pytest.raises(occurrences.DamagedValue):
        occurrences.keys_having([(cut, starts[:1], np.array([len(first) - 2]), labels[:1])], keys[:1], 1)
    with pytest.raises(occurrences.DamagedValue):
        occurrences.keys_having([(occ, starts, ends + 1, labels)], keys, 1)
    raw = encode_occurrences([0x110000], [0x110001], [0x110002])
    assert occurrences.keys_having([(memoryview(raw), np.array([0]), np.array([len(raw)]), np.array([0]))], keys, 1) is None
    # labels need not ascend from one call's part to the next, nor within one
    back = occurrences.keys_having([(occ, starts[::-1], ends[::-1], labels[::-1])], keys, 1)
    assert back.tolist() == [True, False, True, False]
    with pytest.raises(occurrences.DamagedValue, match="out of range"):
        occurrences.keys_having([(occ, starts[:1], ends[:1], np.array([2**31]))], keys, 1)


@pytest.mark.parametrize("compiled", [True, False])
def test_a_head_holds_the_pairs_its_bytes_hold(compiled):
    """A head of 3 places reads the value's first 16 bytes: n and span, two (position, gap)
    pairs of a 4-byte and a 1-byte code point, and the third position's 4 bytes without its
    gap — two places, not three."""
    ps = [70_000, 140_000, 210_000, 280_000]
    value = encode_occurrences(ps, [p + 1 for p in ps], [p + 3 for p in ps])
    ends = np.array([len(value)])
    with pytest.MonkeyPatch.context() as mp:
        if not compiled:
            mp.setattr(occurrences, "compiled", None)
        assert _split(*positions_of(memoryview(value), np.array([0]), ends, 3)) == [ps[:2]]
        assert _split(*positions_of(memoryview(value), np.array([0]), ends, 4)) == [ps[:3]]


@pytest.mark.skipif(occurrences.compiled is None, reason="the compiled decoder is not built")
@given(st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 3), st.integers(1, 5)), max_size=90), st.booleans())
def test_the_compiled_decoder_reads_a_value_as_python_does(steps, same_span):
    """`occurrence_arrays` by the compiled decoder: a value's positions, starts and ends as the
    Python route reads them — few or many, one span or several, empty, code points of 1 to 4
    bytes (surrogates too); a raw value (a number past one code point's reach) is read by
    Python; a value cut short is a `DamagedValue`."""
    positions = list(accumulate(p for p, _g, _s in steps))
    starts = list(map(add, positions, accumulate(g for _p, g, _s in steps)))
    ends = [s + (1 if same_span else w) for s, (_p, _g, w) in zip(starts, steps, strict=True)]
    for value in (encode_occurrences(positions, starts, ends), encode_occurrences([0x110000], [0x110001], [0x110002])):
        found = occurrence_arrays(value)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(occurrences, "compiled", None)
            assert tuple(map(list, found)) == tuple(map(list, occurrence_arrays(value)))
    assert tuple(map(list, occurrence_arrays(encode_occurrences(positions, starts, ends)))) == (positions, starts, ends)
    if positions:
        with pytest.raises(occurrences.DamagedValue):
            occurrence_arrays(encode_occurrences(positions, starts, ends)[:-1])


def test_the_compiled_bulk_writer_part_is_built():
    """setup.py builds `_bulk.c` where a C compiler is (CI's machine has one)."""
    from govdocs.index.engine import blocks

    assert blocks.compiled is not None, "govdocs/index/engine/_bulk.c was not built: install gcc, reinstall"


#: a term's postings: document gaps, weights (counts, boosted counts, fractions, huge ones),
#: value sizes past one and two bytes, field lengths (0: none)
_POSTINGS = st.lists(st.tuples(st.integers(1, 70_000), st.one_of(st.integers(0, 2**33), st.sampled_from([0.5, 2.5, 1e-3])),
                               st.binary(max_size=300), st.sampled_from([0, 1, 7, 300, 2**20])), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(_POSTINGS, st.integers(1, 9), st.sampled_from([0, 12_345, 2**32 - 3, 2**40]), st.integers(0, 5))
def test_pooled_blocks_are_the_python_blocks(postings, limit, base, first):
    """`_bulk.Pool`: a term's postings filed one document at a time come back as filed
    (`flat`), and its blocks are what `TermWriter.write` works out in Python — the values
    joined; per block `ool_block_data` of its postings at its values' offset, float32 weights,
    W3's greatest weight and least/greatest field lengths (None and 0 when none)."""
    from govdocs.index.engine import blocks

    if blocks.compiled is None:
        pytest.skip("the C bulk writer part was not built")
    ids = list(accumulate([first + postings[0][0] - 1, *(p[0] for p in postings[1:])]))
    weights, values = [p[1] for p in postings], [p[2] for p in postings]
    lengths = array("q", bytes(8 * (ids[-1] + 1)))
    for docnum, (*_rest, length) in zip(ids, postings, strict=True):
        lengths[docnum] = length
    pool = blocks.compiled.Pool()
    for docnum, weight, value in zip(ids, weights, values, strict=True):
        pool.add(["其他", "词"], [1, weight], [b"x", value], docnum)
    assert pool.keys() == ["其他", "词"] and len(pool) == 2
    assert pool.flat("词") == [x for triple in zip(ids, weights, values, strict=True) for x in triple]
    data, made = pool.blocks("词", lengths, limit, base)
    assert data == b"".join(values)
    offsets = list(accumulate(map(len, values), initial=base))
    expected = []
    for i in range(0, len(ids), limit):
        block_ids, given = ids[i:i + limit], weights[i:i + limit]
        lens = [lengths[d] for d in block_ids if lengths[d]]
        expected.append((len(block_ids), block_ids[0], block_ids[-1], float(max(0, max(given))),
                         min(lens) if lens else None, max(lens, default=0), array("f", given).tobytes(),
                         ool_block_data(block_ids, given, offsets[i], list(map(len, values[i:i + limit])))))
    assert made == expected


def test_a_pool_refuses_what_python_would_not_write():
    """Numbers that do not ascend or have no length, a value that is not bytes, a number
    that is not an int, columns of different lengths, a term the pool lacks: refused; a
    refused record files nothing."""
    from govdocs.index.engine import blocks

    if blocks.compiled is None:
        pytest.skip("the C bulk writer part was not built")
    lengths = array("q", bytes(8 * 4))
    pool = blocks.compiled.Pool()
    pool.add(["a"], [1], [b"1"], 2)
    pool.add(["a"], [1], [b"2"], 1)
    with pytest.raises(ValueError, match="ascend"):
        pool.blocks("a", lengths, 8, 0)
    pool = blocks.compiled.Pool()
    pool.add(["a"], [1], [b"1"], 4)
    with pytest.raises(ValueError, match="ascend"):
        pool.blocks("a", lengths, 8, 0)
    with pytest.raises(TypeError, match="bytes"):
        pool.add(["b", "c"], [1, 1], [b"", "text"], 5)
    assert pool.keys() == ["a"]
    with pytest.raises(TypeError):
        pool.add(["b"], [1], [b""], 1.0)
    with pytest.raises(ValueError, match="one weight"):
        pool.add(["b", "c"], [1], [b"", b""], 5)
    with pytest.raises(TypeError, match="str or bytes"):
        pool.add([1], [1], [b""], 5)
    with pytest.raises(OverflowError):
        pool.add(["b"], [1], [b""], 2**32)
    with pytest.raises(KeyError):
        pool.flat("zz")
    with pytest.raises(KeyError):
        pool.blocks("zz", lengths, 8, 0)
    with pytest.raises(OverflowError):  # a weight no float holds: checked before "b" is filed
        pool.add(["b", "c"], [1, 10**400], [b"x", b"y"], 5)
    assert pool.keys() == ["a"]
    lengths = array("q", bytes(8 * 8))
    for base in (-1, 2**64 + 5):  # a base past what the file's offsets hold
        with pytest.raises(OverflowError):
            pool.blocks("a", lengths, 8, base)
    with pytest.raises(ValueError, match="8-byte"):  # lengths not int64, or not aligned
        pool.blocks("a", memoryview(bytes(8 * 8 + 1))[1:], 8, 0)
    with pytest.raises(ValueError, match="8-byte"):
        pool.blocks("a", array("i", bytes(8 * 8)), 8, 0)
    assert pool.blocks("a", lengths, 8, 0)[0] == b"1"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(["人民", "政府", "a", "b"]), unique=True, max_size=4),
                          st.booleans()), max_size=8))
def test_c_filing_files_what_the_python_filing_files(documents):
    """`_bulk.file_postings`: each key's list gets (docnum, weight, value) per document, in
    order, a new list for a new key — as `map(list.extend, …)` over a defaultdict does; the
    columns may be lists or tuples (an ID field's come as tuples)."""
    from collections import defaultdict

    from govdocs.index.engine import blocks

    if blocks.compiled is None:
        pytest.skip("the C filing was not built")
    theirs: defaultdict = defaultdict(list)
    ours: dict = {}
    for docnum, (keys, as_tuple) in enumerate(documents):
        weights, values = [docnum + 0.5] * len(keys), [f"{docnum}{k}".encode() for k in keys]
        for key, weight, value in zip(keys, weights, values, strict=True):
            theirs[key] += (docnum, weight, value)
        columns = (tuple(keys), tuple(weights), tuple(values)) if as_tuple else (keys, weights, values)
        blocks.compiled.file_postings(ours, *columns, docnum)
    assert ours == dict(theirs)


def test_c_filing_refuses_what_it_cannot_file_safely():
    from collections import defaultdict

    from govdocs.index.engine import blocks

    if blocks.compiled is None:
        pytest.skip("the C filing was not built")
    file = blocks.compiled.file_postings
    with pytest.raises(TypeError, match="dict"):
        file(defaultdict(list), ["a"], [1], [b""], 0)
    with pytest.raises(TypeError, match="str or bytes"):
        file({}, [1], [1], [b""], 0)
    with pytest.raises(ValueError, match="one weight"):
        file({}, ["a", "b"], [1], [b"", b""], 0)
    with pytest.raises(TypeError, match="lists or tuples"):
        file({}, iter(["a"]), [1], [b""], 0)
    with pytest.raises(TypeError, match="list"):
        file({"a": (0, 1, b"")}, ["a"], [1], [b""], 1)


def test_a_pool_files_a_batch_as_it_files_each_text():
    """`Pool.add_batch` (the buffers `_wordtable.batch` makes) files what `add` files text by
    text: each pair under its term (terms[number]), weight count × boost; a term filed by
    `add` before, or met again in a later batch or under another list's numbering, goes to
    its own list. A refused batch files nothing."""
    from govdocs.index.engine import blocks

    if blocks.compiled is None:
        pytest.skip("the C bulk writer part was not built")
    q = lambda *v: array("q", v)  # noqa: E731
    terms = ["甲", "乙", "丙"]
    pool, by_add = blocks.compiled.Pool(), blocks.compiled.Pool()
    for p in (pool, by_add):
        p.add(["丙"], [1], [b"z"], 0)
    # documents 1, 4 and 6: 甲 ×2 and 乙 ×1; 乙 ×3 (an empty value); nothing
    pool.add_batch(terms, q(1, 4, 6), q(2, 1, 0), q(0, 1, 1), q(2, 1, 3), q(2, 3, 3), b"abc", 0.5)
    by_add.add(["甲", "乙"], [1.0, 0.5], [b"ab", b"c"], 1)
    by_add.add(["乙"], [1.5], [b""], 4)
    pool.add_batch(terms, q(7), q(1), q(2), q(1), q(1), b"y", 1.0)
    by_add.add(["丙"], [1], [b"y"], 7)
    pool.add_batch(["丙", "甲"], q(8), q(1), q(1), q(4), q(0), b"", 1.0)  # another numbering
    by_add.add(["甲"], [4], [b""], 8)
    filed = {k: pool.flat(k) for k in pool.keys()}
    assert pool.keys() == by_add.keys() and filed == {k: by_add.flat(k) for k in by_add.keys()}
    refused = [  # (docnums, pairs, numbers, counts, ends, values), the error
        ((q(9, 10), q(1), q(0), q(1), q(1), b"x"), "one docnum"),
        ((q(9), q(2), q(0), q(1), q(1), b"x"), "pairs"),
        ((q(9, 10), q(-1, 2), q(0), q(1), q(1), b"x"), "pairs"),
        ((q(9), q(1), q(3), q(1), q(1), b"x"), "term number"),
        ((q(9), q(1), q(-1), q(1), q(1), b"x"), "term number"),
        ((q(9), q(2), q(0, 1), q(1, 1), q(1, 0), b"x"), "ascend"),
        ((q(9), q(1), q(0), q(1), q(2), b"x"), "ascend"),
        ((q(9), q(1), q(0), q(-1), q(1), b"x"), "counts"),
        ((q(9), q(1), q(0), q(1), array("i", [1]), b"x"), "8-byte"),
    ]
    for args, message in refused:
        with pytest.raises(ValueError, match=message):
            pool.add_batch(terms, *args, 1.0)
    with pytest.raises(ValueError, match="not a str"):
        pool.add_batch(["甲", 2], q(9), q(1), q(1), q(1), q(1), b"x", 1.0)
    with pytest.raises(OverflowError):
        pool.add_batch(terms, q(2**32), q(1), q(0), q(1), q(1), b"x", 1.0)
    assert {k: pool.flat(k) for k in pool.keys()} == filed


def test_a_pool_truncated_keeps_the_postings_before_a_document_and_the_terms_they_hold():
    """`Pool.truncate(d)` (the writer's undo of a batch not wholly added): postings of
    documents from d on go, and the terms left with none — the last made — with them; the
    pool files on afterwards, a batch under the same numbering included."""
    from govdocs.index.engine import blocks

    if blocks.compiled is None:
        pytest.skip("the C bulk writer part was not built")
    q = lambda *v: array("q", v)  # noqa: E731
    terms = ["甲", "乙", "丙"]
    pool = blocks.compiled.Pool()
    pool.add(["甲"], [1], [b"a"], 0)
    pool.add_batch(terms, q(1, 2), q(2, 2), q(0, 1, 0, 2), q(1, 1, 1, 1), q(1, 2, 3, 4), b"bcde", 1.0)
    pool.truncate(2)
    assert pool.keys() == ["甲", "乙"]
    assert pool.flat("甲") == [0, 1.0, b"a", 1, 1.0, b"b"] and pool.flat("乙") == [1, 1.0, b"c"]
    pool.add_batch(terms, q(2), q(2), q(2, 0), q(1, 1), q(1, 2), b"fg", 1.0)
    assert pool.keys() == ["甲", "乙", "丙"]
    assert pool.flat("丙") == [2, 1.0, b"f"] and pool.flat("甲")[-3:] == [2, 1.0, b"g"]
    pool.truncate(0)
    assert pool.keys() == [] and len(pool) == 0
