"""Snippets look only around the matches; they are the sentences a full split would give."""

from __future__ import annotations

from array import array
from itertools import pairwise

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from govdocs.index import snippets
from govdocs.index.snippets import SENTENCE_END, lead_snippet, make_snippets, sentence_at


def all_sentences(text: str) -> list[tuple[int, int]]:
    """The reference: split after every sentence end, drop blank pieces."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            if text[start:i + 1].strip():
                out.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        out.append((start, len(text)))
    return out


texts = st.text(alphabet="政府人民。！？；\n 　a", max_size=60)


@given(texts, st.data())
def test_sentence_at_is_the_sentence_of_the_full_split(text, data):
    if not text.strip():
        return
    i = data.draw(st.integers(0, len(text) - 1))
    if text[i] in SENTENCE_END or text[i].isspace():
        return
    assert sentence_at(text, i) in all_sentences(text)


@given(texts, st.data())
def test_snippets_hold_every_span_inside_a_sentence(text, data):
    words = sorted({(i, i + 2) for i in range(len(text) - 1) if text[i:i + 2] in ("政府", "人民")})
    spans = data.draw(st.lists(st.sampled_from(words), unique=True).map(sorted)) if words else []
    snippets = make_snippets(text, spans, limit=100)
    inside = {(a, b) for s, e in all_sentences(text) for a, b in spans if a >= s and b <= e}
    shown = {(sn.start + m[0], sn.start + m[1]) for sn in snippets for m in sn.marks}
    assert shown == inside
    for sn in snippets:
        assert sn.text == text[sn.start:sn.end] and sn.text.strip() == sn.text


def test_lead_snippet_skips_blank_sentences():
    [lead] = lead_snippet("\n  \n青海省人民政府。第二句。")
    assert lead.text == "青海省人民政府。" and lead.marks == []
    assert lead_snippet(" \n ") == []


@pytest.mark.parametrize("many", [0, 16])  # sentence ends found by one scan, or around each match
@given(text=texts, data=st.data(), limit=st.integers(1, 4))
def test_snippets_are_the_sentences_with_most_distinct_words_earliest_first(many, text, data, limit):
    words = sorted({(i, i + 2) for i in range(len(text) - 1) if text[i:i + 2] in ("政府", "人民")})
    spans = data.draw(st.lists(st.sampled_from(words), unique=True).map(sorted)) if words else []
    groups = {}
    for s, e in all_sentences(text):
        inside = [(a, b) for a, b in spans if a >= s and b <= e]
        if inside:
            groups[(s, e)] = len({text[a:b] for a, b in inside})
    expected = sorted(sorted(groups, key=lambda se: (-groups[se], se[0]))[:limit])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snippets, "MANY_SPANS", many)
        found = make_snippets(text, spans, limit=limit)
    got = [next(se for se in groups if se[0] <= sn.start < se[1]) for sn in found]
    assert got == expected


def test_phrase_spans_need_every_word_at_consecutive_positions():
    from govdocs.index.snippets import match_spans

    occ = {"a": [(0, 0, 1), (5, 10, 11)], "b": [(1, 1, 2), (6, 11, 12), (9, 20, 21)], "c": [(2, 2, 3), (8, 15, 16)]}
    # as the index gives them
    occ = {w: tuple(array("I", column) for column in zip(*o, strict=True)) for w, o in occ.items()}
    assert match_spans(occ.get, [("a", "b", "c")]) == [(0, 3)]  # at 5, 6 the third word is missing
    assert match_spans(occ.get, [("a", "b")]) == [(0, 2), (10, 12)]
    assert match_spans(occ.get, [("b",)]) == [(1, 2), (11, 12), (20, 21)]


@given(texts)
def test_sentence_ends_are_the_offsets_after_every_end_mark(text):
    assert snippets.sentence_ends(text) == [i + 1 for i, ch in enumerate(text) if ch in SENTENCE_END]


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6)).map(lambda t: (t[0], t[0] + t[1])), unique=True))
def test_spans_that_overlap_or_touch_are_joined(raw):
    spans = sorted(raw)
    joined = snippets._merge(list(spans))
    covered = {i for a, b in spans for i in range(a, b)}
    assert {i for a, b in joined for i in range(a, b)} == covered
    assert all(b < a2 for (_a, b), (a2, _b) in pairwise(joined))  # apart: neither overlap nor touch


def test_a_phrase_is_marked_in_a_record_whose_word_stands_hundreds_of_times():
    """The places read are cut to the same stretch of text for every word: 统一 负责 still line
    up although 负责 stands 300 times."""
    from govdocs.index.analyzer import Analysis
    from govdocs.index.snippets import match_spans

    text = "各部门负责。" * 300 + "省政府统一负责。"
    places: dict[str, tuple[list[int], list[int], list[int]]] = {}
    for term, pos, start, end in Analysis().terms(text):
        p = places.setdefault(term, ([], [], []))
        p[0].append(pos), p[1].append(start), p[2].append(end)
    spans = match_spans(lambda w: places.get(w), [("统一", "负责")])
    assert [text[a:b] for a, b in spans] == ["统一负责"]  # only past the cut: the whole record is read
    short = "省政府统一负责。" + "各部门负责。" * 300
    places.clear()
    for term, pos, start, end in Analysis().terms(short):
        p = places.setdefault(term, ([], [], []))
        p[0].append(pos), p[1].append(start), p[2].append(end)
    assert [short[a:b] for a, b in match_spans(lambda w: places.get(w), [("统一", "负责")])] == ["统一负责"]


def test_a_long_sentence_cut_on_both_sides_shows_an_ellipsis_at_each_cut():
    field = "一" * 200 + "省人民政府" + "二" * 200 + "。"
    [sn] = make_snippets(field, [(203, 205)])  # 政府
    assert sn.text == "…" + field[sn.start:sn.end] + "…"
    assert len(sn.text) == snippets.MAX_CHARS and 0 < sn.start < 203 < sn.end < len(field) - 1
    assert [sn.text[a:b] for a, b in sn.marks] == ["政府"]  # the marks index the text shown, "…" included


def test_an_ellipsis_only_where_the_cut_falls_inside_the_sentence():
    head = "省人民政府决定" + "一" * 200 + "。第二句。"
    [sn] = make_snippets(head, [(3, 5)])  # the match opens the sentence: cut at its end only
    assert sn.start == 0 and sn.text == head[:snippets.MAX_CHARS - 1] + "…"
    assert [sn.text[a:b] for a, b in sn.marks] == ["政府"]
    tail = "第一句。" + "一" * 200 + "由省人民政府负责。"
    at = tail.index("政府")
    [sn] = make_snippets(tail, [(at, at + 2)])  # near the sentence's end: cut at its start only
    assert sn.end == len(tail) and sn.text == "…" + tail[sn.start:] and len(sn.text) == snippets.MAX_CHARS
    assert [sn.text[a:b] for a, b in sn.marks] == ["政府"]
    [short] = make_snippets("第一句。省人民政府负责。", [(7, 9)])
    assert short.text == "省人民政府负责。" and short.marks == [[3, 5]]
    [lead] = lead_snippet("一" * 300)
    assert lead.text == "一" * (snippets.MAX_CHARS - 1) + "…" and (lead.start, lead.end) == (0, snippets.MAX_CHARS - 1)


#: texts whose sentences are often longer than a 6-character snippet
long_sentences = st.lists(st.sampled_from(["政府", "人民", "一", "二三", "。", "\n", " "]), max_size=40).map("".join)


@given(long_sentences, st.data())
def test_cut_snippets_are_their_field_text_with_an_ellipsis_at_each_inner_cut(text, data):
    words = sorted({(i, i + 2) for i in range(len(text) - 1) if text[i:i + 2] in ("政府", "人民")})
    spans = data.draw(st.lists(st.sampled_from(words), unique=True).map(sorted)) if words else []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snippets, "MAX_CHARS", 6)
        found = make_snippets(text, spans, limit=100)
    for sn in found:
        s, e = next((s, e) for s, e in all_sentences(text) if s <= sn.start < e)
        s += len(text[s:e]) - len(text[s:e].lstrip())
        e -= len(text[s:e]) - len(text[s:e].rstrip())
        before, after = "…" * (sn.start > s), "…" * (sn.end < e)
        assert sn.text == before + text[sn.start:sn.end] + after and len(sn.text) <= 6
        assert all(sn.text[a:b] == text[sn.start + a - len(before):sn.start + b - len(before)] for a, b in sn.marks)
        assert all(sn.text[a:b] in ("政府", "人民", "政", "府", "人", "民") for a, b in sn.marks)
    cut = [sn for sn in found if "…" in sn.text]
    event(f"cut snippets: {min(len(cut), 2)}")


def _spans_one_by_one(places, sequences, cap):
    """The reference for `match_spans`: each phrase start checked word by word, the places of
    every word asked for cut to the text before the cap-th place of the most frequent one (all
    of them when nothing matched there), spans joined where they overlap or touch."""
    from govdocs.index.analyzer import phrase_shifts

    def spans(cutoff):
        found = set()
        for seq in sequences:
            if not all(places.get(w) for w in seq):
                continue
            shifts = phrase_shifts(list(seq))
            last = {p: e for p, _s, e in places[seq[-1]] if cutoff is None or _s < cutoff}
            for p, s, _e in places[seq[0]]:
                if cutoff is not None and s >= cutoff:
                    continue
                held = all(any(q == p + shift and (cutoff is None or qs < cutoff) for q, qs, _ in places[w])
                           for w, shift in zip(seq[1:], shifts[1:], strict=True))
                if held:
                    found.add((s, last[p + shifts[-1]]))
        return found

    asked = {w for seq in sequences for w in seq if w in places}
    cuts = [sorted(s for _p, s, _e in places[w])[cap - 1] for w in asked if len(places[w]) > cap]
    found = spans(min(cuts) if cuts else None)
    if not found and cuts:
        found = spans(None)
    joined: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if joined and s <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], e))
        else:
            joined.append((s, e))
    return joined


@given(st.lists(st.sampled_from(["甲", "乙乙", "丙", "甲乙乙", "，"]), max_size=40),
       st.lists(st.sampled_from([("甲",), ("乙乙",), ("甲", "乙乙"), ("甲", "乙乙", "丙"), ("甲乙乙",), ("丙", "甲"),
                                 ("丁",), ("丙", "丁")]), min_size=1, max_size=4),
       st.sampled_from([2, 3, 256]))
def test_match_spans_are_those_found_phrase_start_by_phrase_start(words, sequences, cap):
    places: dict[str, list[tuple[int, int, int]]] = {}
    at = 0
    for w in words:
        places.setdefault(w, []).append((at, at, at + len(w)))
        at += len(w)
    as_index = {w: tuple(array("I", column) for column in zip(*o, strict=True)) for w, o in places.items()}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snippets, "SPAN_CAP", cap)
        assert snippets.match_spans(as_index.get, sequences) == _spans_one_by_one(places, sequences, cap)
