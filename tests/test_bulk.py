"""`BulkWriter` writes the segment files Whoosh's own `SegmentWriter` writes, byte for byte."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from whoosh import columns
from whoosh.filedb.structfile import StructFile
from whoosh.index import open_dir
from whoosh.writing import SegmentWriter

from govdocs.index.engine import block_format
from govdocs.index.engine.block_format import mini_ids, mini_weights
from govdocs.index.engine.bulk import BulkWriter
from govdocs.index.engine.codec import OccCodec, VarBytesColumn, value_at
from govdocs.index.records import records
from govdocs.index.store import create_index


def segment_files(folder: Path) -> dict[str, bytes]:
    """Segment files by extension (their names carry a random segment id)."""
    files = {}
    for p in folder.iterdir():
        if p.name.startswith("MAIN_") and p.suffix not in (".toc",) and not p.name.endswith("WRITELOCK"):
            files[p.name.split(".", 1)[1]] = p.read_bytes()
    return files


@pytest.mark.slow  # indexes the corpus twice
def test_bulk_writer_writes_what_segment_writer_writes(tmp_path, issue2019, issue2017):
    recs = [r for p in (issue2019, issue2017) for r in records(p, p.source.path)]
    written = {}
    for name, cls in (("whoosh", SegmentWriter), ("bulk", BulkWriter)):
        ix = create_index(tmp_path / name)
        writer = cls(ix, compound=False, codec=OccCodec(text_blocklimit=16))
        for rec in recs:
            writer.add_document(**rec)
        writer.commit()
        written[name] = segment_files(tmp_path / name)
    assert set(written["bulk"]) >= {"pst", "trm", "occ", "_stored.col", "_content_len.col", "kind.col", "date.col"}
    assert written["bulk"] == written["whoosh"]


def matcher_values(m) -> list[bytes]:
    values = []
    while m.is_active():
        values.append(m.value())
        m.next()
    return values


def test_whole_block_format_read_as_arrays_are_what_whoosh_matchers_read(tmp_path, issue2019):
    """`OccTermsReader.postings_arrays` and `postings_ndarrays` (the evaluator's route, by the
    compiled reader and by NumPy) against Whoosh's matcher, on small blocks so that long posting lists span many of them."""
    ix = create_index(tmp_path / "ix")
    writer = BulkWriter(ix, codec=OccCodec(text_blocklimit=16))
    for rec in records(issue2019, issue2019.source.path):
        writer.add_document(**rec)
    writer.commit()
    multi_block = 0
    with ix.reader() as reader:
        for fieldname in ("content", "title", "kind"):
            fmt = reader.schema[fieldname].format
            for tbytes in reader.lexicon(fieldname):
                ids, weights, offsets = reader._terms.postings_arrays(fieldname, tbytes, fmt)
                m = reader.postings(fieldname, tbytes)
                expected = list(m.items_as("weight"))
                assert list(zip(ids, weights, strict=True)) == expected, (fieldname, tbytes)
                # the NumPy reader (one cumulative sum over all the blocks) gives the same
                for compiled in (block_format.compiled, None):  # the C reader where built, and NumPy's
                    with pytest.MonkeyPatch.context() as mp:
                        mp.setattr(block_format, "compiled", compiled)
                        a_ids, a_weights, a_offsets = reader._terms.postings_ndarrays(fieldname, tbytes, fmt)
                    assert (a_ids.tolist(), a_weights.tolist()) == (ids, [float(w) for w in weights])
                    assert (a_offsets is None) == (offsets is None)
                    assert a_offsets is None or a_offsets.tolist() == list(offsets)
                if fieldname != "kind":
                    m = reader.postings(fieldname, tbytes)
                    occ = reader._terms.occurrences
                    values = matcher_values(m)
                    assert [offsets[i] for i in range(len(offsets))] == list(offsets)  # one by one: by their block
                    offsets = list(offsets)
                    assert [value_at(occ, o) for o in offsets[:-1]] == values  # the last offset: the end
                    assert [occ[a:b].tobytes() for a, b in zip(offsets, offsets[1:], strict=False)] == values
                    multi_block += len(ids) > 16
    assert multi_block > 50


def test_fast_block_minifying_matches_whoosh():
    from array import array

    from whoosh.util.numlists import delta_encode

    ids = array("I", [3, 4, 9, 200, 201])
    assert mini_ids(ids) == tuple(delta_encode(ids))
    assert mini_weights(array("f", [1.0, 1.0])) is None
    assert mini_weights(array("f", [2.0, 2.0])) == 2.0
    assert mini_weights(array("f", [2.0, 1.0])) == (2.0, 1.0)


@pytest.mark.slow  # indexes the corpus twice
def test_documents_merged_from_older_segments_are_written_as_whoosh_writes_them(tmp_path, issue2019, issue2017):
    """An optimizing commit merges older segments through Whoosh's pool; BulkWriter merges
    that stream with its own postings."""
    older = list(records(issue2017, issue2017.source.path))
    newer = list(records(issue2019, issue2019.source.path))
    base = tmp_path / "base"
    ix = create_index(base)
    writer = SegmentWriter(ix, compound=False, codec=OccCodec(text_blocklimit=16))
    for rec in older:
        writer.add_document(**rec)
    writer.commit()
    written = {}
    for name, cls in (("whoosh", SegmentWriter), ("bulk", BulkWriter)):
        shutil.copytree(base, tmp_path / name)
        ix = open_dir(tmp_path / name)
        writer = cls(ix, compound=False, codec=OccCodec(text_blocklimit=16))
        for rec in newer:
            writer.add_document(**rec)
        writer.commit(optimize=True)
        assert ix.refresh().reader().is_atomic()  # one segment: the older one was merged in
        written[name] = segment_files(tmp_path / name)
    assert written["bulk"] == written["whoosh"] and "occ" in written["bulk"]
    # the merged segment's occurrences are where its blocks point: Whoosh reads them back
    compared = 0
    with open_dir(tmp_path / "bulk").searcher() as searcher:
        field = searcher.schema["content"]
        for rec in older[:3] + newer[:3]:
            docnum = searcher.document_number(id=rec["id"])
            expected = {t: v for t, _f, _w, v in field.index(rec["content"])}
            for term in ("人民政府", "省", "会议"):
                if term.encode() in expected:
                    m = searcher.postings("content", term)
                    m.skip_to(docnum)
                    assert m.id() == docnum and m.value() == expected[term.encode()]
                    compared += 1
    assert compared >= 6


@pytest.mark.parametrize("cutoff", [2**15, 2])  # offsets derived from the lengths / stored by the writer
def test_stored_column_reader_reads_what_whoosh_reads(cutoff):
    values = [b"", b"a", "青海".encode(), b"", b"x" * 300, b"z"]
    buf = io.BytesIO()
    writer = VarBytesColumn(write_offsets_cutoff=cutoff).writer(StructFile(buf))
    for docnum, value in enumerate(values):
        writer.add(docnum, value)
    writer.finish(len(values))
    data = StructFile(io.BytesIO(buf.getvalue()))
    ours = VarBytesColumn().reader(data, 0, len(buf.getvalue()), len(values))
    whoosh = columns.VarBytesColumn().reader(data, 0, len(buf.getvalue()), len(values))
    assert list(ours._offsets) == list(whoosh._offsets)
    assert [ours[i] for i in range(len(values))] == [whoosh[i] for i in range(len(values))] == values


def test_unknown_fields_are_refused_every_time(tmp_path):
    from whoosh.fields import UnknownFieldError

    writer = BulkWriter(create_index(tmp_path / "ix"))
    for _ in range(2):  # the second time the writer has planned the fields it knows
        with pytest.raises(UnknownFieldError):
            writer.add_document(id="a", nope="x")
        with pytest.raises(UnknownFieldError):
            writer.add_document(id="a", _title_boost=2.0)  # Whoosh's per-document boosts are not taken
    writer.add_document(id="a", kind="document", content="青海省人民政府")
    assert writer.docnum == 1
    writer.cancel()


def test_a_batch_whose_record_fails_keeps_the_records_before_it_and_no_posting_after(tmp_path):
    """`add_documents` files a batch's text postings before adding its records: a name no
    field has is refused before anything is filed; when a record fails (a value its field
    cannot take), the records before it stay, its own postings and the later records' are
    taken out again (`Pool.truncate`) and the writer goes on as before."""
    from whoosh.fields import UnknownFieldError

    writer = BulkWriter(create_index(tmp_path / "ix"))
    with pytest.raises(UnknownFieldError):
        writer.add_documents([{"id": "x", "content": "青海省人民政府"}, {"id": "y", "nope": "x"}])
    with pytest.raises(ValueError):
        writer.add_documents([{"id": "a", "content": "青海省人民政府"}, {"id": "b", "content": "国务院 通知", "date": 5},
                              {"id": "c", "content": "国务院 批复"}])
    assert writer.docnum == 1
    writer.add_documents([{"id": "d", "content": "国务院 人民政府"}, {"id": "e", "content": "通知"}])
    writer.commit()
    with open_dir(tmp_path / "ix").searcher() as searcher:
        assert [searcher.stored_fields(n)["id"] for n in range(searcher.doc_count_all())] == ["a", "d", "e"]
        ids = {term: list(searcher.postings("content", term).all_ids()) for term in ("人民政府", "国务院", "通知")}
        assert ids == {"人民政府": [0, 1], "国务院": [1], "通知": [2]}
        assert ("content", "批复") not in searcher.reader()  # made by a record never added: gone with it


@pytest.mark.parametrize("value", ["d.2019-3f2a.a1", "", " 空 格 ", "/path/青海 政报.txt\x00abc", "𠀀"])
def test_a_plain_id_is_analysed_as_whoosh_analyses_it(tmp_path, value):
    """`_analysed` writes a plain ID field's analysis down (one term, the value itself)
    instead of asking Whoosh: the same columns as `field.index()` for every ID field of the
    schema; a KEYWORD field still goes to Whoosh."""
    from whoosh import fields

    writer = BulkWriter(create_index(tmp_path / "ix"))
    try:
        ids = [name for name, field in writer.schema.items() if isinstance(field, fields.ID)]
        assert "id" in ids and "kind" in ids
        for name in [*ids, "doc_number"]:
            writer._plan_field(name)
            field = writer.schema[name]
            assert (name in writer._plain_ids) == (name in ids)
            postings = list(field.index(value))
            assert writer._analysed(name, field, value) == (tuple(zip(*postings, strict=True)) if postings
                                                            else ((), (), (), ()))
    finally:
        writer.cancel()
