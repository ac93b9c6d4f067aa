"""Segmentation and the Whoosh analyzer: same words as jieba, exact offsets, sub-words."""

from __future__ import annotations

import logging
import pickle
import sys

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import formats

from govdocs.index import analyzer, query, word_table
from govdocs.index.analyzer import Analysis, JiebaText, JiebaTokenizer, fold, fold_words, is_han_run, is_indexable
from govdocs.index.engine import decode_occurrences
from govdocs.index.fold import _traditional, fold_many, to_simplified
from govdocs.index.segmenter import QuerySegmenter, read_userdict, shared_segmenter
from govdocs.index.store import DICTIONARY_FILE
from tests.conftest import CORPUS


def corpus_lines() -> list[str]:
    return [line for p in sorted(CORPUS.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.mark.slow  # builds jieba's own dictionary (seconds)
def test_rjieba_segments_the_corpus_as_jieba_does():
    """Differences are listed; the only kind allowed is a Latin run joined by '-' (NGB-W)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    for word, freq, tag in read_userdict():
        reference.add_word(word, freq, tag)
    ours = shared_segmenter()
    differences = []
    for line in corpus_lines():
        a, b = list(reference.cut(line)), ours.cut(line)
        if a != b:
            differences.append((line, [w for w in b if w not in a], [w for w in a if w not in b]))
    for _line, only_ours, only_jieba in differences:
        assert all("-" in w and w.replace("-", "").isascii() for w in only_ours), (only_ours, only_jieba)
        assert "".join(only_jieba) == "".join(only_ours)
    assert len(differences) <= 3, differences


def test_offsets_from_cut_words_are_tokenize_offsets():
    from govdocs.index.analyzer import _spans

    seg = shared_segmenter()
    text = "\n".join(corpus_lines())
    assert list(_spans(seg, text)) == seg.tokenize(text)


def test_user_dictionary_takes_effect():
    seg = shared_segmenter()
    assert "青海省行政学院" in seg.cut("免去王予波的青海省行政学院院长职务")
    assert "副秘书长" in seg.cut("任命谢宏敏为青海省人民政府副秘书长")


@pytest.mark.slow  # every line of the corpus, cut twice
def test_query_segmenter_cuts_every_corpus_line_like_the_full_engine(corpus_index):
    query_seg = QuerySegmenter(corpus_index / DICTIONARY_FILE)
    full = shared_segmenter()
    lines = corpus_lines()
    mismatches = [line for line in lines if query_seg.cut(line) != full.cut(line)]
    assert mismatches == [] and len(lines) > 1000


@pytest.mark.parametrize("dict_txt", [
    "政府 900 n\n人民 800 n\n省 50 n\n—— 3 x\n",  # every line "word freq tag"
    "政府 900 n\n人民 800\n省 50 n\n—— 3 x",  # a line without its tag, no last newline
])
def test_the_word_list_holds_jiebas_words_with_the_user_dictionary_on_top(tmp_path, monkeypatch, dict_txt):
    import govdocs.index.segmenter as segmenter

    (tmp_path / "dict.txt").write_text(dict_txt, encoding="utf-8")
    (tmp_path / "user.txt").write_text("省 70\n人民政府 5 nt  # ours\n", encoding="utf-8")
    monkeypatch.setattr(segmenter, "jieba_dictionary", lambda: tmp_path / "dict.txt")
    segmenter.write_dictionary(tmp_path / "words", tmp_path / "user.txt")
    words = segmenter._Words(tmp_path / "words")
    assert [words[i].decode() for i in range(len(words))] == sorted(["政府", "人民", "省", "——", "人民政府"])
    assert words.total == 900 + 800 + 70 + 3 + 5
    assert words.frequencies("省人民政府") == {"省": 70, "人民": 800, "人民政府": 5, "政府": 900}


TEXT = "青海省人民政府关于印发省人民政府工作规则的通知，PM2.5 Services ＡＢＣ１２３。"


def tokens(text: str, **kw):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in JiebaTokenizer(Analysis())(text, positions=True, chars=True, **kw)]


def test_positions_count_characters_and_offsets_are_exact():
    toks = tokens(TEXT, mode="query")
    assert [t[0] for t in toks][:9] == ["青海省人民政府", "关于", "印发", "省", "人民政府", "工作", "规则", "的", "通知"]
    assert [t[1] for t in toks][:9] == [0, 7, 9, 11, 12, 16, 18, 20, 21]
    for text, _pos, start, end in toks:
        assert fold(TEXT[start:end]).lower() == text


def test_digits_and_latin_kept_lowercased_fullwidth_folded_no_stemming():
    words = [t[0] for t in tokens(TEXT, mode="query")]
    assert "services" in words and "service" not in words
    assert "pm2" in words or "pm2.5" in words
    assert "abc123" in words


def test_subwords_stand_at_their_own_characters():
    toks = tokens("青海省人民政府办公厅", mode="index")
    assert toks[0] == ("青海省人民政府办公厅", 0, 0, 10)
    subs = {t[0]: t for t in toks[1:]}
    assert {"青海", "人民", "政府", "人民政府", "办公厅"} <= set(subs)
    assert all(pos == start for _w, pos, start, _e in subs.values())  # no white space before them
    assert subs["人民政府"][1:] == (3, 3, 7) and subs["办公厅"][1:] == (7, 7, 10)
    assert len(tokens("青海省人民政府", mode="query")) == 1  # queries get no sub-words


def test_words_jieba_made_up_give_every_part_single_characters_included():
    toks = {t[0]: t[1] for t in tokens("国家发展改革委副主任", mode="index")}
    assert "委副" in toks and toks["委"] == 6 and toks["副"] == 7


def test_white_space_takes_no_position_punctuation_takes_its_characters():
    toks = tokens("人民 政府，通知", mode="query")
    assert [(w, p) for w, p, _s, _e in toks] == [("人民", 0), ("政府", 2), ("通知", 5)]


def test_traditional_characters_fold_to_simplified_one_for_one():
    toks = tokens("營商環境", mode="query")
    assert [(w, p, s, e) for w, p, s, e in toks] == [(w, p, s, e) for w, p, s, e in tokens("营商环境", mode="query")]
    assert fold_words("國務院辦公廳關於") == "国务院办公厅关于"


def test_fast_postings_equal_whoosh_generic_path():
    field = JiebaText()
    assert isinstance(field.format, formats.Characters)
    text = CORPUS.joinpath("000_2d9c3dd783fd086b.txt").read_text(encoding="utf-8")[:20000]
    fast = sorted(field.index(text))
    generic = sorted((w.encode("utf-8"), f, wt, v)
                     for w, f, wt, v in field.format.word_values(text, field.analyzer, mode="index"))
    assert fast == generic and len(fast) > 500



@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_long_text_analysed_in_pieces_has_the_postings_of_the_whole(monkeypatch, newline):
    """A text over `PIECE` characters is analysed piece by piece, cut after line breaks and
    。, its occurrences kept in arrays (a 50 MB document's lists took 2 GB): the postings are
    those of the text analysed at once, positions and offsets included."""
    text = newline.join(CORPUS.joinpath("000_2d9c3dd783fd086b.txt").read_text(encoding="utf-8").splitlines())[:40000]
    whole = Analysis().posting_columns(text, 2.0)
    monkeypatch.setattr(analyzer, "PIECE", 64)
    assert len(list(analyzer._pieces(text))) > 100 and "".join(analyzer._pieces(text)) == text
    assert Analysis().posting_columns(text, 2.0) == whole
    unbroken = text.replace(newline, "").replace("。", "")  # nowhere to cut: one piece
    assert list(analyzer._pieces(unbroken)) == [unbroken]


def _by_loop(analysis: Analysis, text: str, boost: float) -> tuple:
    terms, counts, values = analysis._columns_by_loop(text)
    return terms, counts, counts if boost == 1 else [c * boost for c in counts], values


#: Han words, names jieba's HMM joins, traditional characters, white space of every kind,
#: punctuation, full-width letters and digits: every kind of word the analysis tells apart
_MIXED = st.lists(st.sampled_from(["青海省人民政府办公厅", "人民政府", "省长刘宁作", "國務院", "通知", "印发", "关于", "的",
                                   " ", "\n", "\r\n", "　", "\t", "，", "。", "（", "）", "《", "》", "-",
                                   "ＡＢ", "abc", "１２", "2019", "〔", "〕", "号", "_", "％", "x"]),
                  max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_MIXED, max_size=6), st.sampled_from([1.0, 2.5]))
def test_texts_analysed_together_by_arrays_have_the_postings_of_the_loop(texts, boost):
    """`many_columns` (the texts' words through array operations, grouped by text and term)
    gives each text the terms, in the same order, frequencies, weights and values that the
    loop over its words gives — offsets and white space counted per text."""
    analysis = Analysis()
    assert analysis.many_columns(texts, boost) == [_by_loop(analysis, t, boost) for t in texts]


def _filed(analysis: Analysis, texts: list[str], boost: float, by: str):
    """Pools holding the texts' postings as documents 3, 5, 7 …: filed by `file_many`, or
    `many_columns`' columns filed text by text; and the lengths `file_many` gave."""
    from govdocs.index.engine.bulk import compiled

    pool, docnums = compiled.Pool(), [3 + 2 * i for i in range(len(texts))]
    if by == "batch":
        return pool, analysis.file_many(texts, pool, docnums, boost)
    for docnum, (terms, _counts, weights, values) in zip(docnums, analysis.many_columns(texts, boost), strict=True):
        pool.add(terms, weights, values, docnum)
    return pool, None


def _same_pools(a, b) -> bool:
    return a.keys() == b.keys() and all(a.flat(k) == b.flat(k) for k in a.keys())


@pytest.mark.skipif(word_table.compiled is None, reason="the C postings maker was not built")
@pytest.mark.parametrize("piece", [analyzer.PIECE, 25])  # 25: long texts among short ones
@settings(max_examples=100, deadline=None)
@given(texts=st.lists(_MIXED, max_size=6), boost=st.sampled_from([1.0, 2.0, 0.5]))
def test_texts_filed_in_a_batch_are_the_postings_many_columns_gives(piece, texts, boost):
    """`file_many` (runs of short texts made in C and filed by `Pool.add_batch`, a long or
    empty text on its own, in order) files what `many_columns` gives, filed text by text:
    the same terms, documents, weights and values; each text's length its occurrences."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analyzer, "PIECE", piece)
        analysis = Analysis()
        batch, lengths = _filed(analysis, texts, boost, "batch")
        one_by_one, _ = _filed(analysis, texts, boost, "add")
        assert lengths == [sum(counts) for _t, counts, _w, _v in analysis.many_columns(texts, boost)]
    assert _same_pools(batch, one_by_one)


@pytest.mark.skipif(word_table.compiled is None, reason="the C postings maker was not built")
def test_a_word_table_built_without_batch_files_nothing_and_the_writer_takes_the_columns(monkeypatch, tmp_path):
    """A `_wordtable` built from an older source (a checkout updated without rebuilding) has
    no `batch`: `file_many` files nothing and says so, and the bulk writer adds the records
    from `many_columns` — the same postings."""
    from govdocs.index.engine.bulk import BulkWriter, compiled
    from govdocs.index.store import create_index

    texts = ["青海省人民政府关于印发通知", "国务院 办公厅。通知"]
    monkeypatch.setattr(word_table, "batched", False)
    assert Analysis().file_many(texts, compiled.Pool(), [0, 1]) is None
    pools = []
    for batched in (False, True):
        monkeypatch.setattr(word_table, "batched", batched)
        writer = BulkWriter(create_index(tmp_path / f"ix{batched}"))
        writer.add_documents([{"id": str(i), "content": t} for i, t in enumerate(texts)])
        pools.append(writer._terms["content"])
        writer.cancel()
    assert _same_pools(*pools) and len(pools[0]) > 5


def test_arrays_take_the_words_where_tokenize_puts_them_when_a_cut_does_not_cover_its_text(monkeypatch):
    """Never seen: if a text's cut words do not add up to it, each text is analysed by the
    loop, which asks `tokenize()` where the words are."""
    analysis = Analysis()
    segmenter = analysis.segmenter
    texts = ["青海省人民政府关于印发通知", "国务院 办公厅。通知"]
    expected = [_by_loop(analysis, t, 1.0) for t in texts]

    class Dropping:
        def cut(self, text):
            return segmenter.cut(text)[1:]  # the first word lost

        def __getattr__(self, name):
            return getattr(segmenter, name)

    monkeypatch.setattr(analysis, "_segmenter", Dropping())
    assert analysis.many_columns(texts) == expected
    if word_table.compiled is not None:  # filed straight into a pool: the same postings
        pool, lengths = _filed(analysis, texts, 1.0, "batch")
        assert lengths == [sum(counts) for _t, counts, _w, _v in expected]
        assert _same_pools(pool, _filed(Analysis(), texts, 1.0, "add")[0])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="青海省人民政府关于印发通知ＡＢｃｚ１２９０AbZ12.-．－，。：（）　 \n%％+＋#＃&＆_＿", max_size=30))
def test_folding_only_word_characters_analyses_as_folding_everything(text):
    analysis = Analysis()
    assert list(analysis.terms(text)) == list(analysis.terms(fold(text)))
    folded = fold_words(text)
    assert len(folded) == len(text) and fold(folded) == fold(text)  # no traditional characters here


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="青海國務院營商環境ＡＢｃ１２．－%％　 \n\ud800x", max_size=12), max_size=8))
def test_texts_folded_together_are_folded_as_each_alone(texts):
    """`fold_many` looks for foldable characters in all the texts at once and folds those
    that have one: each text comes back as `fold_words` makes it."""
    assert fold_many(texts) == [fold_words(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="國務院營商環境於后裡面发展著青海省人民政府ＡＢ１\n\t 	#", max_size=40))
def test_a_short_text_is_simplified_as_by_the_whole_table(text):
    """`to_simplified` looks a short text's characters up in the table's text before building
    the table: the result is the table's, for short and long texts alike."""
    table, _characters = _traditional()
    assert to_simplified(text) == text.translate(table)


def test_occurrences_value_is_packed_deltas():
    field = JiebaText()
    (term, freq, weight, value), = [p for p in field.index("通知。通知") if p[0] == "通知".encode()]
    assert (freq, weight) == (2, 2.0)
    # n = 2, the span 2 once, then (position, gap = start - position) deltas: (0, 0), (+3, +0)
    assert value == bytes((2, 2, 0, 0, 3, 0))
    assert decode_occurrences(value) == [(0, 0, 2), (3, 3, 5)]
    assert field.format.encode([(0, 0, 2), (3, 3, 5)]) == value


def test_tokenizer_pickles_without_its_engine():
    tok = JiebaTokenizer(Analysis())
    clone = pickle.loads(pickle.dumps(tok))
    assert clone.analysis is None and clone == tok
    assert [t.text for t in clone("通知", mode="query")] == ["通知"]


@pytest.mark.parametrize("keep", [True, False])
def test_keeporiginal_and_no_tokenize(keep):
    tok = JiebaTokenizer(Analysis())
    if keep:
        assert [t.original for t in tok("Ｐ人民", keeporiginal=True, mode="query")][-1] == "人民"
    else:
        assert [t.text for t in tok("原文 不切", tokenize=False)] == ["原文 不切"]


# --- the search path decides \p{Han} without importing `regex`, exactly as `regex` would ------

_HAN, _WORDLIKE = regex.compile(r"\p{Han}"), regex.compile(r"[\p{Han}\p{L}\p{N}]")


@pytest.mark.slow  # every Unicode character
def test_shortcuts_for_han_letters_and_punctuation_are_exact():
    assert all(_HAN.match(chr(c)) for c in range(0x4E00, 0xA000))  # the block _CJK_RUN trusts
    assert not any(_WORDLIKE.match(ch) for ch in analyzer._PUNCTUATION)
    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    letters_or_digits = [ch for ch in every if ch.isalpha() or ch.isdecimal()]
    assert all(_WORDLIKE.match(ch) for ch in letters_or_digits)
    space = regex.compile(r"\s")
    assert [ch for ch in every if regex.fullmatch(query._WS, ch)] == [ch for ch in every if space.match(ch)]


@settings(max_examples=500)
@given(st.text(st.sampled_from(list("人民〇々⺀𠀀aZ9٣Ⅻ½，。《》- \u3000·") + ["\u2e80", "\u3400"]), max_size=6))
def test_word_classes_are_the_unicode_property_patterns(word):
    assert is_indexable(word) == bool(_WORDLIKE.search(word))
    assert is_han_run(word) == bool(regex.fullmatch(r"\p{Han}+", word))


_OLD_TOKEN = regex.compile(r'\s*(?:(?P<quote>"[^"]*"?|“[^”]*”?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"“]+))')


@settings(max_examples=500)
@given(st.text(st.sampled_from(list('ab 人()"“”\u3000\t\x1c\n号〔〕2')), max_size=12))
def test_query_tokens_without_regex_are_the_regex_tokens(text):
    for pos in range(len(text) + 1):
        a, b = _OLD_TOKEN.match(text, pos), query._TOKEN.match(text, pos)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
