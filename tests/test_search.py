"""Search on the bundled corpus: words, phrases, 文号, filters, facets, sorting, snippets."""

from __future__ import annotations

from collections import Counter

import pytest

from govdocs.index.query import QuerySyntaxError
from govdocs.index.records import records
from govdocs.index.search import Filters


@pytest.fixture(scope="session")
def all_records(issue2019, issue2017):
    return [r for p in (issue2019, issue2017) for r in records(p, p.source.path)]


def marked_words(results):
    return {s.text[a:b] for h in results.hits for s in h.snippets for a, b in s.marks}


def test_a_word_finds_every_record_that_contains_it(searcher, all_records):
    expected = {r["id"] for r in all_records if "刘宁" in r["content"] or "刘宁" in r["title"]}
    res = searcher.search("刘宁", limit=100)
    assert {h.id for h in res.hits} == expected and res.total == len(expected) == 40
    assert marked_words(res) == {"刘宁"}
    # 省长刘宁作题为…: jieba's HMM makes 刘宁作 one word; its parts are sub-words
    assert any("刘宁作题为" in s.text for h in res.hits for s in h.snippets)


def test_phrase_query_of_a_dictionary_word_inside_longer_words(searcher):
    """人民政府 is a sub-word of 青海省人民政府: the phrase query still finds it (jieba's own analyzer does not)."""
    for query in ('"人民政府"', "人民政府"):
        res = searcher.search(query, limit=100)
        assert res.total == 20
        assert marked_words(res) == {"人民政府"}


def test_phrase_across_words_is_marked_where_the_words_stand_together(searcher):
    """Every record printing 省人民政府 (20, by grep), also inside 青海省人民政府: the words stand
    together as sub-words there; a dictionary word holding the run is marked whole."""
    res = searcher.search('"省人民政府"', limit=100)
    assert res.total == 20
    assert "省人民政府" in marked_words(res) and all("省人民政府" in w for w in marked_words(res))
    assert any("任命田锦尘为省人民政府副省长" in s.text for h in res.hits for s in h.snippets)


def test_sub_word_search_marks_the_sub_word_only(searcher):
    res = searcher.search("人民", limit=5)
    assert res.total > 0 and marked_words(res) == {"人民"}


def test_person_query_matches_whole_words(searcher):
    res = searcher.search("王予波", limit=50)
    assert res.total == 9
    kinds = Counter(h.kind for h in res.hits)
    assert kinds == {"chronicle": 7, "appointment": 1, "document": 1}
    assert marked_words(res) == {"王予波"}


@pytest.mark.parametrize("typed", ["青政〔2019〕45号", "青政[2019]45号", "青政(2019)45号", "青政（2019）45号",
                                   "青政〔２０１９〕４５号", "青政〔2019〕第45号", "青政 〔2019〕 45 号", "青政［2019］45號",
                                   "青政﹝2019﹞45号", "青政【2019】45号"])
def test_doc_number_variants_find_the_document(searcher, typed):
    res = searcher.search(typed)
    assert [h.doc_number for h in res.hits] == ["青政〔2019〕45号"]
    res = searcher.search("", Filters(number=typed))
    assert res.total == 1


def test_number_9_does_not_match_19(searcher):
    res = searcher.search("青政人〔2019〕9号", limit=50)
    assert res.total == 10  # the notice and its 9 appointments
    assert all("青政人〔2019〕9号" in h.doc_number.split(",") for h in res.hits)
    assert searcher.search("青政人〔2019〕1号").total == 0
    assert searcher.search("青政〔2019〕4号").total == 0  # not 45, 46, 47


def test_kind_and_date_range(searcher, all_records):
    res = searcher.search("刘宁", Filters(kind="chronicle", since="2019-06-10"), limit=100)
    assert res.total == sum(r["kind"] == "chronicle" and "刘宁" in r["content"] and r["date"] >= "2019-06-10"
                            for r in all_records) == 32
    assert all(h.kind == "chronicle" and h.date >= "2019-06-10" for h in res.hits)
    res = searcher.search("刘宁", Filters(kind="chronicle", since="2019-06-10", until="2019-06-11"), limit=100)
    assert sorted(h.date for h in res.hits) == sorted(
        r["date"] for r in all_records if r["kind"] == "chronicle" and "刘宁" in r["content"]
        and "2019-06-10" <= r["date"] <= "2019-06-11")
    assert {h.date for h in res.hits} == {"2019-06-10", "2019-06-11"}


@pytest.mark.parametrize("name,value,field", [
    ("issuer", "青海省人民政府办公厅", "issuer"), ("doc_type", "意见", "doc_type"), ("year", "2017", "year"),
    ("kind", "appointment", "kind")])
def test_each_filter_keeps_only_matching_records(searcher, all_records, name, value, field):
    expected = {r["id"] for r in all_records if r.get(field) == value}
    res = searcher.search("", Filters(**{name: value}), limit=500)
    assert {h.id for h in res.hits} == expected and expected


def test_facets_count_every_match_not_just_the_page(searcher, all_records):
    res = searcher.search("", limit=3, facets=True)
    assert res.total == len(all_records) == 193 and len(res.hits) == 3
    assert res.facets["kind"] == {"chronicle": 166, "document": 14, "appointment": 13}
    assert res.facets["issuer"] == dict(Counter(r["issuer"] for r in all_records if r.get("issuer")).most_common())
    assert res.facets["has_annex"] == {"false": 10, "true": 4}
    assert res.facets["gazette"] == {"青海政报 2019年第12期": 8 + 9 + 88}
    assert res.facets["rubric"]["大事记"] == 88
    assert set(res.facets["year"]) == {"2017", "2019"}
    assert res.facets["doc_type"]["通知"] == sum(r["doc_type"] == "通知" for r in all_records if r.get("doc_type"))


def test_sort_by_date_newest_first(searcher):
    res = searcher.search("政府", sort="date", limit=50)
    dates = [h.date for h in res.hits]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2019-07-09"
    assert all(h.score is None for h in res.hits)


def test_relevance_ranks_titles_first(searcher):
    res = searcher.search("通用航空", limit=3)
    assert res.hits[0].doc_number == "青政办〔2017〕11号"


def test_snippets_are_sentences_holding_the_matches(searcher):
    res = searcher.search("自然保护区", limit=5)
    for hit in res.hits:
        assert hit.snippets
        for s in hit.snippets:
            assert s.marks and all(s.text[a:b] == "自然保护区" for a, b in s.marks)
            assert len(s.text) <= 120
            assert s.text.endswith(("。", "；", "！", "？")) or len(s.text) == 120 or "\n" not in s.text


def test_or_not_and_groups(searcher):
    both = searcher.search("刘宁 王予波", limit=50).total
    either = searcher.search("刘宁 OR 王予波", limit=50).total
    without = searcher.search("刘宁 -王予波", limit=50).total
    assert either == 40 + 9 - both and without == 40 - both
    assert searcher.search("(刘宁 OR 王予波) 西宁", limit=50).total <= either


@pytest.mark.parametrize("bad", ['"人民政府', "刘宁 OR", "(刘宁", "刘宁)", "-刘宁", "NOT", "，。"])
def test_bad_syntax_is_an_error_with_a_hint(searcher, bad):
    with pytest.raises(QuerySyntaxError) as info:
        searcher.search(bad)
    assert " — " in str(info.value)


def test_show_query_tokens(searcher):
    res = searcher.search("省人民政府工作规则")
    assert res.tokens == [("省人民政府工作规则", ["省", "人民政府", "工作", "规则"])]
    assert "Phrase" in res.query


@pytest.mark.parametrize("filters", [
    Filters(kind="chronicle"), Filters(kind="appointment"), Filters(doc_type="意见"), Filters(year="2017"),
    Filters(since="2019-06-10", until="2019-06-20"), Filters(status="repealed"), Filters(cites="国办发〔2019〕23号"),
])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_total_counts_only_the_filtered_matches(searcher, filters, sort):
    """Whoosh's block-skipping collector recounts without the filter: the total must not."""
    total = searcher.search("规划", filters, sort=sort, limit=1).total
    assert total == len(searcher.search("规划", filters, sort=sort, limit=1000, snippets=False).hits)
