"""Snippets look only around the matches; they are the sentences a full split would give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


@given(texts, st.data(), st.integers(1, 4))
def test_snippets_are_the_sentences_with_most_distinct_words_earliest_first(text, data, limit):
    words = sorted({(i, i + 2) for i in range(len(text) - 1) if text[i:i + 2] in ("政府", "人民")})
    spans = data.draw(st.lists(st.sampled_from(words), unique=True).map(sorted)) if words else []
    groups = {}
    for s, e in all_sentences(text):
        inside = [(a, b) for a, b in spans if a >= s and b <= e]
        if inside:
            groups[(s, e)] = len({text[a:b] for a, b in inside})
    expected = sorted(sorted(groups, key=lambda se: (-groups[se], se[0]))[:limit])
    got = [next(se for se in groups if se[0] <= sn.start < se[1]) for sn in make_snippets(text, spans, limit=limit)]
    assert got == expected
