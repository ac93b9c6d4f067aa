"""`evaluate` gives Whoosh's answers: the same documents, scores, order, facet counts and date
order as Whoosh's own matchers and collectors — on one segment and on several segments with
deleted documents."""

from __future__ import annotations

import shutil
from itertools import accumulate
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as Q
from whoosh import sorting

from govdocs.index.engine import block_format, occurrences
from govdocs.index.engine import evaluate as E
from govdocs.index.engine import postings as P
from govdocs.index.engine.occurrences import encode_occurrences, occurrence_arrays
from govdocs.index.indexer import update_index
from govdocs.index.schema import FACETS
from govdocs.index.search import Filters, Searcher
from tests.conftest import CORPUS, ISSUE_2019

QUERIES = [
    ("刘宁", {}),
    ("人民政府", {}),
    ('"省人民政府"', {}),
    ("工作规则", {}),  # a run jieba cuts in two: a phrase
    ("互联网 政务服务", {}),
    ("营商环境 OR 通用航空", {}),
    ("人民政府 -国务院", {}),
    ("(副省长 OR 秘书长) 任命", {}),
    ("青政〔2019〕45号", {}),
    ("", {"kind": "chronicle", "since": "2019-06-10", "until": "2019-06-30"}),
    ("会议", {"kind": "chronicle", "since": "2019-06-10"}),
    ("通知", {"issuer": "青海省人民政府办公厅"}),
    ("实施方案", {"doc_type": "通知", "year": "2019"}),
    ("", {"number": "青政〔2019〕45号"}),
    ("NGB", {}),
]


#: the score a hand-checked phrase adds in the Whoosh answer (compared to 1e-9)
NO_SCORE = 1e-12


def whoosh_answer(s: Searcher, text: str, filters: Filters, **kwargs):
    """Whoosh's answer, its phrases checked by hand: Whoosh's phrase matchers want consecutive
    word ordinals, our positions count characters (`analyzer`) — so each phrase becomes the AND
    of its words (Whoosh scores a phrase as that sum too), narrowed at no score to the records
    whose text holds the words next to each other."""
    parsed = s.parser.parse(text)
    query = _phrases_by_hand(s, parsed.query)
    return s.searcher.search(query, filter=filters.whoosh_query(), limit=None, optimize=False, **kwargs)


def _phrases_by_hand(s: Searcher, query):
    from whoosh import query as Q

    if isinstance(query, Q.Phrase):
        ids = [stored["id"] for stored in s.searcher.all_stored_fields()
               if _holds_phrase(stored.get(query.fieldname) or "", query.words)]
        if not ids:
            return Q.NullQuery
        # Whoosh reads a constant score of 0.0 as "no constant" (and scores 1.0): a negligible one
        narrow = Q.ConstantScoreQuery(Q.Or([Q.Term("id", i) for i in ids]), NO_SCORE)
        return Q.And([Q.Term(query.fieldname, w, boost=query.boost) for w in query.words] + [narrow])
    if isinstance(query, Q.AndNot):
        return Q.AndNot(_phrases_by_hand(s, query.a), _phrases_by_hand(s, query.b))
    if isinstance(query, Q.CompoundQuery):
        return query.__class__([_phrases_by_hand(s, q) for q in query.subqueries], boost=query.boost)
    return query


def _holds_phrase(text: str, words: list[str]) -> bool:
    """Some position p holds word 0 and p + (the lengths of the words before it) word k."""
    from govdocs.index.analyzer import Analysis

    at: dict[str, set[int]] = {}
    for term, pos, _start, _end in Analysis().terms(text):
        at.setdefault(term, set()).add(pos)
    shifts = [sum(len(w.lstrip("\x01")) for w in words[:k]) for k in range(len(words))]  # a marked name end is one character
    return any(all(p + shift in at.get(w, ()) for w, shift in zip(words, shifts, strict=True)) for p in at.get(words[0], ()))


def assert_same_as_whoosh(s: Searcher) -> int:
    compared = 0
    for text, opts in QUERIES:
        filters = Filters(**opts)
        ours = s.search(text, filters, limit=100000, snippets=False)
        theirs = whoosh_answer(s, text, filters)
        expected = sorted(((r.docnum, r.score) for r in theirs), key=lambda ds: (-round(ds[1], 9), ds[0]))
        assert ours.total == len(theirs), text
        got = [(s.searcher.document_number(id=h.id), h.score) for h in ours.hits]
        assert [d for d, _ in got] == [d for d, _ in expected], text
        assert all(abs(a - round(b, 4)) < 1e-9 for (_, a), (_, b) in zip(got, expected, strict=True)), text
        compared += len(got)
    return compared


def test_scores_totals_and_order_match_whoosh(searcher):
    assert assert_same_as_whoosh(searcher) > 100


def test_facets_and_date_order_match_whoosh(searcher):
    for text, opts in QUERIES:
        filters = Filters(**opts)
        ours = searcher.search(text, filters, facets=True, limit=0, snippets=False)
        theirs = whoosh_answer(searcher, text, filters, groupedby={n: sorting.FieldFacet(n) for n in FACETS},
                               maptype=sorting.Count)
        for name in FACETS:
            expected = {k: v for k, v in theirs.groups(name).items() if k not in (None, "")}
            assert ours.facets[name] == expected, (text, name)
        by_date = searcher.search(text, filters, sort="date", limit=100000, snippets=False)
        dates = [h.date or "" for h in by_date.hits]
        assert dates == sorted(dates, reverse=True) and len(dates) == ours.total


@pytest.mark.slow  # builds an index of many segments
def test_several_segments_with_deleted_documents(tmp_path):
    """Re-indexing a changed file deletes its old records from the segment it shares with
    the other file, and writes a second segment (a segment emptied whole would be dropped)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    index_dir = tmp_path / "ix"
    files = [shutil.copy(p, folder / p.name) for p in sorted(CORPUS.glob("*.txt"))]
    update_index(files, [folder], index_dir)
    changed = folder / ISSUE_2019.name
    changed.write_text(changed.read_text(encoding="utf-8").replace("刘宁", "刘 宁", 3), encoding="utf-8")
    update_index(files, [folder], index_dir)
    with Searcher(index_dir) as s:
        assert len(s.searcher.reader().leaf_readers()) >= 2 and s.searcher.reader().has_deletions()
        assert assert_same_as_whoosh(s) > 100
        # a term's lists in every segment read at once (`block_format.ool_lists`) or segment by segment
        ev = s._evaluator()
        joined = 0
        for word in ("人民政府", "刘宁", "省", "通知", "会议", "政府"):
            ev.reset()
            at_once = ev.postings("content", word)
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(block_format, "compiled", None)
                ev.reset()
                by_segment = ev.postings("content", word)
            joined += at_once.every is not None and len(at_once.parts) > 1
            assert at_once.ids.tolist() == by_segment.ids.tolist() and len(at_once.ids) > 0
            assert at_once.weights.tolist() == by_segment.weights.tolist()
            assert [p[0].tolist() for p in at_once.parts] == [p[0].tolist() for p in by_segment.parts]
            assert at_once._joined()[0].tolist() == by_segment._joined()[0].tolist()
            # where the values lie: left unread by the compiled reader, then read for the
            # postings wanted (all, every third, one) as the NumPy route read them all
            assert by_segment.parts[0][1] is not None
            assert (at_once.parts[0][1] is None) == (block_format.compiled is not None)
            every = np.arange(len(by_segment._joined()[0]))
            for wanted in (every, every[::3], every[-1:], every[:0]):
                assert ([a.tolist() for a in at_once._values_at(wanted)]
                        == [a.tolist() for a in by_segment._values_at(wanted)])
            # and a document's value, as a snippet reads it
            assert all(at_once.value_of(d) == by_segment.value_of(d) for d in by_segment.ids[::5].tolist())
        assert joined >= 3


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_top_hits_are_the_head_of_the_full_ranking(searcher, limit):
    full = searcher.search("人民政府", limit=100000, snippets=False)
    head = searcher.search("人民政府", limit=limit, snippets=False)
    assert [h.id for h in head.hits] == [h.id for h in full.hits[:limit]] and head.total == full.total


def test_a_segment_written_without_govdocs_codec_asks_for_a_rebuild(tmp_path, issue2019):
    from whoosh.writing import SegmentWriter

    from govdocs.index.records import records
    from govdocs.index.store import IndexProblem, create_index

    ix = create_index(tmp_path / "ix")
    writer = SegmentWriter(ix)  # Whoosh's default codec: occurrences inside the blocks
    for rec in records(issue2019, issue2019.source.path):
        writer.add_document(**rec)
    writer.commit()
    with Searcher(tmp_path / "ix") as s, pytest.raises(IndexProblem, match="--rebuild"):
        s.search("人民政府")


def _phrase_docs_by_hand(columns):
    """The indexes of the documents where some p holds word 0 and p + i word i."""
    return [k for k in range(len(columns[0]))
            if any(all(p + i in columns[i][k] for i in range(1, len(columns))) for p in columns[0][k])]


def _postings_of(column: list[list[int]], cut: int) -> P.Postings:
    """A word's postings over documents 0, 1, … (`column[k]`: its positions in document k), its
    values in one occurrence file, its documents in two parts (segments) split at `cut`."""
    docs = [k for k, positions in enumerate(column) if positions]
    values = [encode_occurrences(column[k], column[k], [p + 1 for p in column[k]]) for k in docs]
    offsets = np.array(list(accumulate(map(len, values), initial=0)), dtype=np.int64)
    terms = SimpleNamespace(occurrences=memoryview(b"".join(values)))
    ids = np.array(docs, dtype=np.int64)
    cut = min(cut, len(docs))
    parts = [(ids[:cut], offsets[:cut], offsets[1:cut + 1], terms), (ids[cut:], offsets[cut:-1], offsets[cut + 1:], terms)]
    return P.Postings(ids, np.array([float(len(column[k])) for k in docs]), [p for p in parts if len(p[0])])


@given(st.lists(st.lists(st.lists(st.integers(0, 120), min_size=0, max_size=60), min_size=2, max_size=4),
                min_size=1, max_size=30),
       st.integers(2, 4), st.integers(0, 30), st.lists(st.sampled_from([None, None, 1, 2, 5]), min_size=4, max_size=4))
@settings(max_examples=300, deadline=None)
def test_phrase_positions_check_agrees_with_a_check_by_hand(documents, n_words, cut, heads):
    """`held_phrase`: the word with the fewest places makes the start keys (document index << 32,
    position − shift), each further word keeps those it has (`Postings.having`: by the compiled
    decoder, reading each value up to its document's last key, or by intersecting its own keys)
    — whichever word is rarer, a word missing from some documents, starts before the text and
    documents in two segments included. With heads (some words read at each document's first
    places only) both routes find the same documents, some of those the check by hand finds."""
    documents = [words[:n_words] for words in documents if len(words) >= n_words]
    if not documents:
        return
    columns = [[sorted(set(words[i])) for words in documents] for i in range(n_words)]
    postings = [_postings_of(column, cut) for column in columns]
    candidates = np.array([k for k in range(len(documents)) if all(column[k] for column in columns)], dtype=np.int64)
    if not len(candidates):
        return
    places = [sum(len(column[k]) for k in candidates.tolist()) for column in columns]
    heads = heads[:n_words]
    found = {}
    for compiled in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            if not compiled:
                mp.setattr(occurrences, "compiled", None)
            found[compiled] = [candidates[P.held_phrase(postings, list(range(n_words)), candidates, places, h)].tolist()
                               for h in (None, heads)]
    by_hand = [k for k in _phrase_docs_by_hand(columns) if k in set(candidates.tolist())]
    assert found[True] == found[False]
    assert found[True][0] == by_hand and set(found[True][1]) <= set(by_hand)


def test_phrase_keys_inside_leave_out_starts_before_the_text_and_values_are_found_in_their_part():
    """A second word at position 0 would start the phrase before the text: its key falls among
    the document before's keys unless `inside` leaves it out. A value is looked up in the
    part (segment) whose numbers it falls among: none below the first, in a gap or past the last."""
    postings = _postings_of([[0, 4], [2], [], [0, 9]], 2)  # documents 0, 1 | 3: two parts
    docs = np.array([0, 1, 3], dtype=np.int64)
    assert postings.phrase_keys(docs, 1).tolist() == [-1, 3, (1 << 32) + 1, (2 << 32) - 1, (2 << 32) + 8]
    assert postings.phrase_keys(docs, 1, inside=True).tolist() == [3, (1 << 32) + 1, (2 << 32) + 8]
    assert postings.phrase_keys(docs, 0, inside=True).tolist() == [0, 4, (1 << 32) + 2, 2 << 32, (2 << 32) + 9]
    found = [postings.value_of(d) for d in range(-1, 6)]
    assert [v is not None for v in found] == [False, True, True, False, True, False, False]
    assert [list(occurrence_arrays(v)[0]) for v in found if v is not None] == [[0, 4], [2], [0, 9]]


def test_phrase_keys_come_from_the_occurrence_file(searcher):
    """A word's keys are its positions in each candidate document, shifted, by document."""
    ev = searcher._evaluator()
    ev.reset()
    postings = ev.postings("content", "人民政府")
    docs = postings.ids[::2]
    keys = postings.phrase_keys(docs, 2)
    expected = [(k << 32) + int(p) - 2 for k, d in enumerate(docs.tolist())
                for p in ev.occurrences("content", "人民政府", d)[0]]
    assert len(expected) > 20 and keys.tolist() == expected


PHRASES = [["人民", "政府"], ["省", "人民政府"], ["政务", "服务"], ["国务院", "办公厅"], ["互联网", "政务", "服务"]]


@pytest.mark.parametrize("words", PHRASES)
def test_the_head_pass_finds_what_the_whole_check_finds(searcher, words, monkeypatch):
    """`_holding` with a head of one place (most documents go on to the whole check), of a
    few (some words read whole, some by their heads) and with none (the head pass never runs)
    gives the documents of the whole check."""
    ev = searcher._evaluator()
    ev.reset()
    candidates = ev.postings("content", words[0]).ids
    for w in words[1:]:
        candidates = np.intersect1d(candidates, ev.postings("content", w).ids)
    shifts = ev.phrase_shifts(words)
    keys = [ev.postings("content", w).phrase_keys(candidates, shift) for w, shift in zip(words, shifts, strict=True)]
    common = keys[0]
    for other in keys[1:]:
        common = np.intersect1d(common, other)
    whole = np.unique(candidates[common >> 32])  # every word's keys made and intersected
    monkeypatch.setattr(E, "HEAD", 0)  # every word "stands many times": the head pass runs
    assert ev._holding("content", words, candidates).tolist() == whole.tolist()
    for head in (1, 2, 3):
        monkeypatch.setattr(E, "HEAD", head)
        assert ev._holding("content", words, candidates).tolist() == whole.tolist()
    monkeypatch.setattr(E, "HEAD", 10**9)
    assert ev._holding("content", words, candidates).tolist() == whole.tolist()
    assert len(whole) > 0


def test_a_search_does_not_load_numpys_lazy_modules(corpus_index):
    """NumPy's set functions (`unique`, `isin`, `union1d` …) import `numpy.ma` on first use,
    ~50 ms of a search command: the evaluator does without them."""
    import subprocess
    import sys

    code = ("import sys\nfrom govdocs import Filters, Searcher\ns = Searcher(sys.argv[1])\n"
            "for q in ['互联网 政务服务', '人民政府 -国务院', '\"省人民政府\"', '营商环境 OR 通用航空']:\n"
            "    s.search(q, facets=True)\n"
            "s.search('会议', Filters(since='2019-01-01', until='2019-06-30', status='in_force'), sort='date')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[:2] == ['numpy', 'ma']))\n")
    out = subprocess.run([sys.executable, "-c", code, str(corpus_index)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_columns_read_as_whoosh_reads_them(searcher):
    """`codec.column_bytes` reads a column's value numbers and distinct values as two byte
    ranges, `column_values` cuts the values apart: the same as Whoosh's `RefBytesColumn`
    reader gives, for every column."""
    from whoosh import columns

    from govdocs.index.engine.codec import column_bytes, column_values
    from govdocs.index.schema import STATUS_DATES

    checked = 0
    for reader, _offset in searcher._evaluator().segments:
        for name in (*FACETS, "date", *STATUS_DATES):
            if not reader.has_column(name):
                continue
            theirs = reader._perdoc.column_reader(name, columns.RefBytesColumn())
            raw, typecode, data, at, count = column_bytes(reader._perdoc, name)
            uniques = column_values(data, at, count)
            assert (typecode, uniques) == (theirs._typecode, theirs._uniques)
            assert [uniques[r] for r in np.frombuffer(raw, dtype=">" + typecode).tolist()] == list(theirs)
            checked += 1
    assert checked >= len(FACETS)


def test_a_columns_value_numbers_read_at_their_width():
    """`_native`: a column's big-endian value numbers as native numbers of the same width
    (one byte: the stored bytes themselves)."""
    import struct

    numbers = [0, 1, 255, 7, 200]
    for typecode, wider in (("B", []), ("H", [256, 65535]), ("i", [65536, 2**31 - 1])):
        raw = memoryview(struct.pack(f">{len(numbers) + len(wider)}{typecode}", *numbers, *wider))
        refs = E._native(raw, typecode)
        assert refs.tolist() == numbers + wider
        assert refs.dtype.itemsize == struct.calcsize(typecode) and refs.dtype.isnative


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=140), max_size=12), st.booleans())
def test_a_columns_equally_long_values_are_cut_at_once(values, same):
    """A column's distinct values are those the varint-by-varint reading gives, whichever way
    `column_values` cuts them; its short cut for equally long values (`same_length`) is taken
    for that layout only, not for lengths that differ, an empty value not first or a length of
    two varint bytes."""
    from whoosh.util.varints import varint

    from govdocs.index.engine.codec import _varint, column_values, same_length

    if same and values:  # the layout of a date column: "" first, then values of one width
        values = [b"", *(v.ljust(10, b"-")[:10] for v in values)]
    data = varint(len(values)) + b"".join(varint(len(v)) + v for v in values)
    count, at = _varint(data, 0)
    assert column_values(data, at, count) == values
    widths = {len(v) for v in values[values[:1] == [b""]:]}
    layout = same_length(data, at, count)
    if len(widths) == 1 and 0 < min(widths) < 0x80:
        assert layout == (values[0] == b"", at + (values[0] == b""), min(widths))
    else:
        assert layout is None


def test_a_date_columns_values_are_viewed_from_the_bytes_as_they_lie():
    """Equally long values with an empty first one (a date column) become a bytes array viewed
    from the column's bytes, no value cut out in Python; a NUL in one keeps the list."""
    from whoosh.util.varints import varint

    from govdocs.index.engine.codec import _varint

    for values, viewed in (([b"", b"2019-01-02", b"2018-12-31", b"2019-01-01"], True),
                           ([b"2019-01-02", b"2018-12-31"], True), ([b"", b"2019-01\x0002"], False)):
        data = varint(len(values)) + b"".join(varint(len(v)) + v for v in values)
        count, at = _varint(data, 0)
        texts = E.sortable_values(data, at, count)
        assert isinstance(texts, np.ndarray) == viewed
        assert [bytes(t) for t in texts] == values
        assert E.value_codes(texts, "2019-01-01").tolist() == [2 if not v else (v > b"2019-01-01") - (v < b"2019-01-01")
                                                              for v in values]


def test_a_column_read_without_bounds_holds_every_document_with_a_value():
    """`_in_column` with neither bound: the live documents that have any value, not those
    without one."""
    ev = E.Evaluator.__new__(E.Evaluator)
    ev.segments, ev.live, ev._texts = [(None, 0), (None, 4)], None, {}
    ev._sortable = lambda s, f: [(np.array([0, 1, 2, 1], np.uint8), np.array([b"", b"b", b"a"])),
                                 (np.array([1, 0], np.uint8), np.array([b"", b"c"]))][s]
    assert ev._in_column("date", None, None).tolist() == [1, 2, 3, 4]
    assert ev._in_column("date", "a", "a").tolist() == [2]
    assert ev._in_column("date", "a", "c", low_excluded=True).tolist() == [1, 3, 4]
    assert ev._in_column("date", None, "b", high_excluded=True).tolist() == [2]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_columns_compared_with_a_value_as_strings_compare(searcher, data):
    """`compared`: each document's column value against a day, as Python compares the
    strings (-1 below, 0 equal, 1 above), 2 where it has none."""
    evaluator = searcher._evaluator()
    docs = np.array(sorted(data.draw(st.sets(st.integers(0, evaluator.doc_count - 1), max_size=60))), dtype=np.int64)
    dates = [v for v in evaluator.values_of("date", np.arange(evaluator.doc_count)) if v]
    day = data.draw(st.sampled_from([*dates, "2017-06", "2019-07-15", "1999-01-01", "9999"]))
    for name in ("date", "effective", "kind"):
        expected = [2 if not v else (v > day) - (v < day) for v in evaluator.values_of(name, docs)]
        assert evaluator.compared(name, docs, day).tolist() == expected


def test_a_facet_term_and_a_date_range_read_from_columns_hold_their_postings(searcher):
    """A term of an unscored field with a column (a facet, a date) and a range over one are
    read from the column (`_in_column`): the same documents as their posting lists hold."""
    evaluator = searcher._evaluator()
    reader = searcher.searcher.reader()
    assert len(list(reader.lexicon("date_end"))) >= 2  # entries covering several days
    for name in ("kind", "doc_type", "year", "date", "date_end"):
        for term in [t.decode() for t in reader.lexicon(name)][:40]:
            expected = sorted(reader.postings(name, term).all_ids())
            assert evaluator.postings(name, term).ids.tolist() == expected, (name, term)
    dates = sorted(t.decode() for t in reader.lexicon("date"))
    for start, end, excl in ((dates[3], dates[-3], False), (dates[3], dates[-3], True), (None, dates[5], False),
                             (dates[-5], None, True), ("2017-01", "2017-02", False)):
        query = Q.TermRange("date", start, end, startexcl=excl, endexcl=excl)
        inside = [t for t in dates if (start is None or (t > start if excl else t >= start))
                  and (end is None or (t < end if excl else t <= end))]
        expected = sorted(d for t in inside for d in reader.postings("date", t).all_ids())
        assert inside or start == "2017-01"
        assert evaluator._range(query).tolist() == expected, (start, end, excl)
    ends = sorted(t.decode() for t in reader.lexicon("date_end"))
    for start in (None, ends[0], ends[-1], "2019"):
        query = Q.TermRange("date_end", start, None)
        expected = sorted(d for t in ends if start is None or t >= start for d in reader.postings("date_end", t).all_ids())
        assert evaluator._range(query).tolist() == expected, start


def test_an_empty_facet_value_is_found_by_its_postings_not_the_column(tmp_path):
    """A column cannot tell "" from no value; Whoosh indexes "" as a term: `issuer:""` and a
    range open below find the records holding "" as their postings say, the others by the
    column."""
    from govdocs.index.engine import BulkWriter, Evaluator
    from govdocs.index.store import create_index

    ix = create_index(tmp_path / "ix", dictionary=False)
    writer = BulkWriter(ix)
    for i, issuer in enumerate(["", "国务院", None, "", "青海省人民政府", "国务院"]):
        writer.add_document(id=f"r{i}", kind="document", **({} if issuer is None else {"issuer": issuer}))
    writer.commit()
    with ix.searcher() as searcher:
        evaluator = Evaluator(searcher, lambda words: [0] * len(words))
        evaluator.reset()
        assert evaluator.postings("issuer", "").ids.tolist() == [0, 3]
        assert evaluator.postings("issuer", "国务院").ids.tolist() == [1, 5]
        assert evaluator.postings("issuer", b"\xe5\x9b\xbd\xe5\x8a\xa1\xe9\x99\xa2").ids.tolist() == [1, 5]
        assert evaluator._range(Q.TermRange("issuer", None, "国务院")).tolist() == [0, 1, 3, 5]
        assert evaluator._range(Q.TermRange("issuer", "", None, startexcl=True)).tolist() == [1, 4, 5]


@given(st.lists(st.text(alphabet="政府2019-0\0a", max_size=6), unique=True, max_size=30))
def test_a_columns_values_decoded_at_once_are_those_the_field_reads(texts):
    """An ID column's distinct values decoded all at once (one join, one split) are those
    Whoosh's field reads one by one — the empty one None; a value holding the separator
    (NUL) sends the column the slow way."""
    from whoosh import fields

    field = fields.ID(stored=True)
    uniques = [t.encode("utf-8") for t in texts]
    assert E._column_values(field, uniques) == [field.from_column_value(u) if u else None for u in uniques]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="政府2019-0\0a\U0001f600\ud7ff\ue000", max_size=6), unique=True, max_size=30),
       st.text(alphabet="政府2019-0\0a\U0001f600\ud7ff\ue000\udc80", max_size=6), st.booleans())
def test_a_columns_values_compare_with_a_value_as_python_compares_strings(texts, value, same):
    """`sortable_values` + `value_codes`: each of a column's distinct values against a value
    as Python compares the strings (-1 below, 0 equal, 1 above), 2 for the empty one — on the
    bytes array, the equally long values' view of the raw bytes, and the list a NUL keeps."""
    from whoosh.util.varints import varint

    from govdocs.index.engine.codec import _varint

    if same:  # a date column's layout: the empty value first, the others one length
        texts = list(dict.fromkeys(["", *(t.ljust(4, "-")[:4] for t in texts if t)]))
    uniques = [t.encode("utf-8") for t in texts]
    data = varint(len(uniques)) + b"".join(varint(len(u)) + u for u in uniques)
    count, at = _varint(data, 0)
    sortable = E.sortable_values(data, at, count)
    assert isinstance(sortable, list) == any("\0" in t for t in texts)
    for probe in (value, *texts[:3]):
        expected = [2 if not t else (t > probe) - (t < probe) for t in texts]
        assert E.value_codes(sortable, probe).tolist() == expected


def test_a_damaged_occurrence_value_is_reported_as_a_damaged_index(searcher, monkeypatch):
    """An occurrence value the compiled decoder cannot read (`DamagedValue`) makes the search
    an `IndexProblem` saying how to rebuild, never a traceback."""
    from govdocs.index.engine import occurrences
    from govdocs.index.store import IndexProblem

    class Refusing:
        @staticmethod
        def decode(*_args):
            raise ValueError("value 0 is cut short")

        @staticmethod
        def occurrences(_value):
            raise ValueError("a value cut short")

    monkeypatch.setattr(occurrences, "compiled", Refusing)
    with pytest.raises(IndexProblem, match="--rebuild"):
        searcher.search('"省人民政府"')


def test_the_terms_table_opened_at_once_as_whoosh_opens_it(searcher):
    """`hashed.HashIndex` (the table directory read in one call) sets up what Whoosh's
    `OrderedHashReader` sets up from the same file, so Whoosh's own methods on it (ordered
    keys, closest key, items) give what they give on Whoosh's reader."""
    from whoosh.filedb.filetables import OrderedHashReader

    from govdocs.index.engine.hashed import HashIndex

    fields = ("startoffset", "is_closed", "hashtype", "hashfn", "startofdata", "tables", "endofdata", "extras",
              "indexbase", "indexlen", "indexsize")
    for reader, _offset in searcher._evaluator().segments:
        dbfile = reader._terms._dbfile
        length = len(dbfile._buf)
        ours, whooshs = HashIndex(dbfile, length), OrderedHashReader(dbfile, length)
        assert isinstance(reader._terms._tindex, HashIndex)
        assert {f: getattr(ours, f) for f in fields} == {f: getattr(whooshs, f) for f in fields}
        assert len(ours.tables) == 256 and any(n for _position, n in ours.tables)
        assert list(ours.keys()) == list(whooshs.keys()) and len(list(ours.keys())) > 1000
        middle = list(whooshs.keys())[500]
        assert ours.closest_key(middle[:-1]) == whooshs.closest_key(middle[:-1])


def test_a_term_looked_up_in_every_table_at_once_as_in_each(searcher, monkeypatch):
    """`hashed.values_in` (one compiled call for a key in several tables) gives each table's
    own `item_value`, for every key of every table and for absent ones, compiled or not; a
    table whose slot points past its bytes is left to `item_value`, which says so."""
    import struct

    from govdocs.index.engine import hashed

    tables = [(reader._terms._dbfile._buf, reader._terms._tindex) for reader, _o in searcher._evaluator().segments]
    keys = [k for _buf, index in tables for k, _v in list(index.items())[::40]]
    keys += [b"\x00\x02" + "不在索引里的词".encode(), b"", b"\xff" * 40]
    expected = [[hashed.item_value(buf, index, key) for buf, index in tables] for key in keys]
    assert sum(v is not None for row in expected for v in row) > 100 and any(None in row for row in expected)
    assert [hashed.values_in(key, tables) for key in keys] == expected
    monkeypatch.setattr(hashed, "compiled", None)
    assert [hashed.values_in(key, tables) for key in keys] == expected
    monkeypatch.undo()
    # a table whose slots lie past its bytes: the compiled probe declines, Python's raises
    buf, index = tables[0]
    key = next(k for k, _v in index.items())
    keyhash = index.hashfn(key)
    start, slots = index.tables[keyhash & 255]
    short = bytes(buf[:start + 5])
    assert hashed.compiled is None or hashed.compiled.table_values(key, keyhash, [(short, index.directory)]) is None
    with pytest.raises(struct.error):
        hashed.values_in(key, [(short, index)])


@pytest.mark.slow  # builds an index of two segments
def test_the_segments_holding_a_term_are_those_each_reader_finds(tmp_path):
    """`codec.TermTables.holding` (every segment's table probed at once) names the segments
    whose own `find_term_info` finds the term, and leaves each of them its term info."""
    from govdocs.index.engine.codec import TermTables

    files = sorted(CORPUS.glob("*.txt"))
    update_index(files[:1], [CORPUS], tmp_path / "ix")
    update_index(files, [CORPUS], tmp_path / "ix")  # the second file in a segment of its own
    with Searcher(tmp_path / "ix") as ours, Searcher(tmp_path / "ix") as theirs:
        readers = [reader._terms for reader, _offset in ours._evaluator().segments]
        fresh = [reader._terms for reader, _offset in theirs._evaluator().segments]  # other objects
        assert len(readers) == 2
        terms = {t._keydecoder(k) for t in readers for k, _v in list(t._tindex.items())[::25]}
        terms |= {("content", "不在索引里的词".encode()), ("nofield", b"x"), ("title", b"")}
        tables = TermTables(readers)
        seen = set()
        for fieldname, tbytes in sorted(terms):
            expected = [i for i, reader in enumerate(fresh) if reader.find_term_info(fieldname, tbytes) is not None]
            for reader in readers:
                reader.__dict__.pop("_term_infos", None)
            assert tables.holding(fieldname, tbytes) == expected
            # every reader whose segment knows the field keeps the answer, absent too: scoring
            # asks each segment again (one without the field answers without a look-up)
            assert all((fieldname, tbytes) in reader._infos() for reader in readers if fieldname in reader._fieldmap)
            for i in expected:
                kept = readers[i]._infos()[fieldname, tbytes]
                assert vars(kept) == vars(fresh[i].find_term_info(fieldname, tbytes))
            seen.add(tuple(expected))
        assert seen == {(), (0,), (1,), (0, 1)}  # in neither segment, in one of them, in both


def test_a_terms_frequencies_from_a_table_not_mapped_are_whooshs(searcher, monkeypatch):
    """A terms table read through a file rather than a memory map (`_term_info_bytes` answers
    `_WHOOSH`): the term infos, and the frequencies taken from them, come from Whoosh's own
    look-up — the same numbers; an absent term is a KeyError, as Whoosh's readers expect."""
    from whoosh.codec.whoosh3 import W3TermsReader

    reader, _offset = searcher._evaluator().segments[0]
    terms = reader._terms
    keys = [terms._keydecoder(k) for k, _v in list(terms._tindex.items())[:300]]
    expected = [(W3TermsReader.doc_frequency(terms, f, t), W3TermsReader.frequency(terms, f, t)) for f, t in keys]
    class Unmapped:  # the table's file without its memory map
        def __init__(self, file) -> None:
            self._file = file

        def __getattr__(self, name: str):
            if name == "_buf":
                raise AttributeError(name)
            return getattr(self._file, name)

    monkeypatch.setattr(terms, "_dbfile", Unmapped(terms._dbfile))
    monkeypatch.setattr(terms, "_term_infos", {}, raising=False)
    assert terms._term_info_bytes(*keys[0]) is codec_module()._WHOOSH
    assert [(terms.doc_frequency(f, t), terms.frequency(f, t)) for f, t in keys] == expected
    with pytest.raises(KeyError):
        terms.doc_frequency("content", "不在索引里的词".encode())


def codec_module():
    from govdocs.index.engine import codec

    return codec


def test_a_terms_table_with_a_foreign_header_is_refused():
    from whoosh.filedb.filetables import FileFormatError
    from whoosh.filedb.structfile import BufferFile

    from govdocs.index.engine.hashed import HashIndex

    with pytest.raises(FileFormatError, match="header"):
        HashIndex(BufferFile(b"HSH2" + bytes(4096)), 4100)


def test_terms_looked_up_in_the_mapped_table_as_whoosh_looks_them_up(searcher):
    """`OccTermsReader._term_info_bytes` (the hashed terms table probed over the mapped bytes)
    finds every term of every field with Whoosh's own term info bytes, and nothing for terms
    the segment lacks, a field it does not know, or a term of another field; the term's
    frequencies read from it are Whoosh's."""
    from whoosh.codec.whoosh3 import W3TermsReader
    from whoosh.reading import TermNotFound

    checked = absent = 0
    for reader, _offset in searcher._evaluator().segments:
        terms = reader._terms
        assert getattr(terms._dbfile, "_buf", None) is not None  # mapped: the lean route runs
        for keybytes, infobytes in terms._tindex.items():
            fieldname, tbytes = terms._keydecoder(keybytes)
            assert terms._term_info_bytes(fieldname, tbytes) == infobytes
            assert terms._tindex[keybytes] == infobytes  # Whoosh's look-up agrees
            assert terms.doc_frequency(fieldname, tbytes) == W3TermsReader.doc_frequency(terms, fieldname, tbytes)
            assert terms.frequency(fieldname, tbytes) == W3TermsReader.frequency(terms, fieldname, tbytes)
            checked += 1
        for fieldname, tbytes in (("content", "不在索引里的词".encode()), ("title", b"zzzz"), ("nofield", b"x"),
                                  ("kind", "人民政府".encode()), ("content", b"")):
            assert terms._term_info_bytes(fieldname, tbytes) is None
            with pytest.raises(TermNotFound):
                W3TermsReader.term_info(terms, fieldname, tbytes)
            for frequency in (terms.doc_frequency, terms.frequency):  # as Whoosh's: a KeyError its readers catch
                with pytest.raises(KeyError):
                    frequency(fieldname, tbytes)
            absent += 1
    assert checked > 1000 and absent
