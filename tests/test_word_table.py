"""`WordTable.columns`: a batch of texts' postings, in C (`_wordtable.c`) and by NumPy — the
same terms, counts and values, both equal to the loop over words (`test_analyzer`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdocs.index import word_table
from govdocs.index.analyzer import Analysis
from govdocs.index.engine import decode_occurrences, encode_occurrences
from govdocs.index.fold import fold_many
from govdocs.index.word_table import PUNCT, SPACE, WordTable

needs_c = pytest.mark.skipif(word_table.compiled is None, reason="the C postings maker was not built")

#: words of every kind the analysis tells apart (see test_analyzer._MIXED)
_TEXT = st.lists(st.sampled_from(["青海省人民政府办公厅", "人民政府", "省长刘宁作", "國務院", "通知", "的", " ", "\n", "　",
                                  "，", "。", "（", "）", "ＡＢ", "abc", "2019", "〔", "〕", "号", "x"]),
                 max_size=30).map("".join)


def test_the_c_postings_maker_is_built():
    """CI's machine has a C compiler: the compiled route is the one its tests run."""
    assert word_table.compiled is not None


@pytest.mark.parametrize("route", ["c", "numpy"])
@settings(max_examples=100, deadline=None)
@given(texts=st.lists(_TEXT.filter(bool), max_size=6))
def test_either_route_gives_the_postings_of_the_loop(route, texts):
    """`many_columns` through C and through NumPy: each text's terms, counts and values as
    the loop over its words gives them."""
    if route == "c" and word_table.compiled is None:
        pytest.skip("the C postings maker was not built")
    analysis = Analysis()
    expected = [analysis._columns_by_loop(t) for t in texts]
    with pytest.MonkeyPatch.context() as patch:
        if route == "numpy":
            patch.setattr(word_table, "compiled", None)
        found = analysis.many_columns(texts)
    assert [(terms, counts, values) for terms, counts, _w, values in found] == expected


#: a word → its expansion, arbitrary: terms anywhere inside or outside the word, spans that
#: differ or are negative, places far away (deltas past a code point) — every value form
_EXPANSION = st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙"]), st.integers(0, 5), st.integers(0, 8)),
                      max_size=4)


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_c_and_numpy_encode_every_value_form_alike(data):
    """Expansions no analysis makes (a sub-word before its word, spans that differ, a place
    1.2 million characters on) give raw and span-0 values: C writes the bytes NumPy's encoder
    and `encode_occurrences` write, and they decode to the occurrences."""
    words = ["一", "二二", "三三三", " ", "，", "远"]
    table_of = {w: data.draw(_EXPANSION, label=w) for w in words}
    far = data.draw(st.booleans(), label="far")

    def classify(word):
        if word == " ":
            return SPACE
        if word == "，":
            return PUNCT
        subs = tuple((t, s + (1_200_000 if far and word == "远" else 0), e) for t, s, e in table_of[word])
        return (word, subs)

    cuts = data.draw(st.lists(st.lists(st.sampled_from(words), min_size=1, max_size=12), max_size=5), label="cuts")
    lengths = [sum(map(len, c)) for c in cuts]
    table = WordTable(classify)
    c_found = table.columns(cuts, lengths)
    numpy_found = table._numpy_columns(cuts, lengths)
    assert c_found == numpy_found
    for _terms, counts, values in c_found or []:
        for count, value in zip(counts, values, strict=True):
            found = decode_occurrences(value)
            assert len(found) == count
            assert encode_occurrences(*map(list, zip(*found, strict=True))) == value


@needs_c
def test_c_declines_texts_its_words_do_not_cover_and_refuses_numbers_outside_its_tables():
    """None, as NumPy's route, when a text has no words or its words do not add up to its
    length (the caller analyses those by the loop); ValueError for a word or term number the
    tables do not hold, before any value is made."""
    table = WordTable(lambda w: (w, ()))
    assert table.columns([["人民", "政府"]], [4]) is not None
    assert table.columns([["人民", "政府"]], [5]) is None
    assert table.columns([["人民"], []], [2, 0]) is None
    args = (table.kind, table.length, table.first, table.count, table.exp_term, table.exp_start, table.exp_end)
    compiled = word_table.compiled
    with pytest.raises(ValueError, match="outside"):
        compiled.columns(np.array([len(table.kind)], np.int64), [["x"]], [1], *args, table.terms)
    with pytest.raises(ValueError, match="outside"):
        compiled.columns(np.array([0, 1], np.int64), [["人民", "政府"]], [4], *args, table.terms[:1])
    with pytest.raises(ValueError, match="fewer numbers"):
        compiled.columns(np.array([0], np.int64), [["人民", "政府"]], [4], *args, table.terms)
    with pytest.raises(ValueError, match="8-byte"):
        compiled.columns(np.array([0], np.int32), [["人民"]], [2], *args, table.terms)


@needs_c
def test_c_lookup_numbers_known_words_and_counts_the_others():
    numbers, unknown = word_table.compiled.lookup([["甲", "乙"], [], ["甲", "丙"]], {"甲": 0, "丙": 7})
    assert np.frombuffer(numbers, np.int64).tolist() == [0, -1, 0, 7] and unknown == 1


@needs_c
def test_c_refuses_forged_tables_and_foreign_objects_without_reading_past_them():
    """What the review's fuzzing found, each refused: a word's term range whose end overflows
    (was an endless loop), buffers whose format is not the integers asked for (an int32 or
    float64 array of the right byte length), a word that is not exactly a str (its own
    __eq__ could change the list being read), a text's words that are not a list."""
    i64 = lambda *v: np.array(v, np.int64)  # noqa: E731
    compiled = word_table.compiled
    with pytest.raises(ValueError, match="outside"):
        compiled.columns(i64(0), [["x"]], [1], np.array([0], np.int8), i64(1), i64(1), i64(2**63 - 1),
                         i64(0), i64(0), i64(1), ["t"])
    with pytest.raises(ValueError, match="outside"):
        compiled.columns(i64(0, 1), [["a", "b"]], [2], np.array([0, 0], np.int8), i64(1, 1), i64(2**62, 0),
                         i64(2**62, 1), i64(0), i64(0), i64(1), ["t"])
    table = (np.array([0], np.int8), i64(1), i64(0), i64(1), i64(0), i64(0), i64(1))
    assert compiled.columns(i64(0), [["x"]], [1], *table, ["t"]) == [(["t"], [1], [encode_occurrences([0], [0], [1])])]
    with pytest.raises(ValueError, match="8-byte integers"):
        compiled.columns(np.array([0, 0], np.int32), [["x"]], [1], *table, ["t"])
    with pytest.raises(ValueError, match="8-byte integers"):
        compiled.columns(np.array([0.0]), [["x"]], [1], *table, ["t"])
    with pytest.raises(ValueError, match="1-byte integers"):
        compiled.columns(i64(0), [["x"]], [1], np.array([0], np.float32).view(np.uint32).astype(np.int64), *table[1:],
                         ["t"])
    with pytest.raises(TypeError, match="list"):
        compiled.columns(i64(0), [("x",)], [1], *table, ["t"])

    class Word(str):
        pass

    with pytest.raises(TypeError, match="str"):
        compiled.lookup([[Word("x")]], {"x": 0})
    with pytest.raises(TypeError, match="int"):
        compiled.lookup([["x"]], {"x": 0.0})


@needs_c
@settings(max_examples=100, deadline=None)
@given(texts=st.lists(_TEXT.filter(bool), max_size=6))
def test_a_batch_holds_the_columns_of_each_text(texts):
    """`WordTable.batch`'s buffers hold what `columns` gives: per text its pairs and its
    occurrences (the sum of its counts); per pair the term's number, its count and value."""
    analysis = Analysis()
    cuts = [analysis.segmenter.cut(t) for t in fold_many(texts)]
    lengths = list(map(len, texts))
    table = analysis._word_table()
    expected = table.columns(cuts, lengths)
    found = table.batch(cuts, lengths)
    assert (found is None) == (expected is None)
    if found is None:
        return
    pairs, totals, numbers, counts, ends = (memoryview(b).cast("q").tolist() for b in found[:5])
    values = found[5]
    assert pairs == [len(terms) for terms, _, _ in expected]
    assert totals == [sum(c) for _, c, _ in expected]
    assert [table.terms[n] for n in numbers] == [t for terms, _, _ in expected for t in terms]
    assert counts == [c for _, cs, _ in expected for c in cs]
    assert [values[a:b] for a, b in zip([0, *ends], ends, strict=False)] == [v for _, _, vs in expected for v in vs]


@needs_c
def test_a_batch_is_none_where_columns_is():
    table = WordTable(lambda w: (w, ()))
    assert table.batch([["人民", "政府"]], [5]) is None
    assert table.batch([["人民"], []], [2, 0]) is None
    assert table.batch([["人民", "政府"]], [4]) is not None
    numbers = np.array([table.ids["人民"], table.ids["政府"]], np.int64)
    with pytest.raises(ValueError, match="outside the terms"):  # fewer terms than the tables name
        word_table.compiled.batch(numbers, [["人民", "政府"]], [4], *table._tables(), 1)
    with pytest.raises(ValueError, match="negative"):
        word_table.compiled.batch(numbers, [["人民", "政府"]], [4], *table._tables(), -1)
    with pytest.raises(OverflowError):  # a size that would wrap round
        word_table.compiled.batch(numbers, [["人民", "政府"]], [4], *table._tables(), 2**61 + 1)
    unaligned = np.frombuffer(bytearray(17), np.uint8)[1:].view(np.int64)  # starts between two int64
    with pytest.raises(ValueError, match="aligned"):
        word_table.compiled.batch(unaligned, [["人民", "政府"]], [4], *table._tables(), len(table.terms))
