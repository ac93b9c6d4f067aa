"""Citation extraction: forms, relation words, issuers, spans — on the corpus and on tables of
short texts."""

from __future__ import annotations

import pytest

from govdocs import parse_file, parse_text
from govdocs.parse.agencies import issuer_of, trim_code
from govdocs.parse.citations import CitationContext, find_references
from govdocs.parse.lines import split_lines
from govdocs.parse.paragraphs import paragraphs
from tests.golden import CORPUS

C2019 = CORPUS / "000_2d9c3dd783fd086b.txt"
C2017 = CORPUS / "004_c08b9330cf72774e.txt"


def refs(text: str, place: str | None = "青海", carried: str | None = None):
    return find_references(paragraphs(split_lines(text)), CitationContext(place, carried))


def numbered(path):
    """(citing 文号, cited 文号, relation) of every numbered citation in a corpus file."""
    parsed = parse_file(path)
    return [(d.doc_number, r.doc_number, r.relation) for d in parsed.documents for r in d.references if r.doc_number]


def test_every_numbered_citation_of_the_2019_issue():
    assert numbered(C2019) == [
        ("青政〔2019〕45号", "青政〔2014〕22号", "amends"),
        ("青政〔2019〕45号", "青政〔2018〕49号", "repeals"),
        ("青政办〔2019〕78号", "国发〔2015〕63号", "based_on"),
        ("青政办〔2019〕78号", "青政〔2016〕42号", "based_on"),
        ("青政办〔2019〕78号", "国办发〔2017〕38号", "refers_to"),
        ("青政办〔2019〕78号", "国发〔2018〕23号", "based_on"),
        ("青政办〔2019〕78号", "国发〔2019〕9号", "based_on"),
        ("青政办〔2019〕78号", "青政办〔2018〕40号", "mentions"),  # 修订完善《…》: a task, not an amendment
        ("青政办〔2019〕79号", "国办发〔2019〕23号", "based_on"),
        ("青政办〔2019〕79号", "国办发〔2019〕23号", "based_on"),  # 按照《实施方案》: the short name
        ("青政办〔2019〕79号", "国办发〔2019〕23号", "based_on"),  # 依照《实施方案》
        ("青政办〔2019〕82号", "国办发〔2018〕104号", "implements"),
    ]


def test_every_numbered_citation_of_the_2017_issue():
    assert numbered(C2017) == [
        ("青政〔2017〕12号", "国发〔2015〕40号", "implements"),
        ("青政办〔2017〕11号", "国办发〔2016〕38号", "based_on"),
        ("青政办〔2017〕11号", "青政办〔2010〕13号", "mentions"),
        ("青政办〔2017〕11号", "青政〔2013〕42号", "mentions"),
        ("青政办〔2017〕11号", "国发〔2010〕25号", "mentions"),  # 国务院、中央军委颁发了《…》: their act
        ("青政办〔2017〕11号", "国发〔2016〕38号", "mentions"),
        ("青政办〔2017〕11号", "青政〔2013〕42号", "based_on"),
        ("青政办〔2017〕15号", "国办发〔2016〕88号", "based_on"),
        ("青政办〔2017〕15号", "安委〔2016〕7号", "based_on"),
        ("青政办〔2017〕15号", "GB 18218-2009", "based_on"),
        ("青政办〔2017〕15号", "青政办〔2016〕182号", "based_on"),
    ]


def test_repeal_in_the_corpus_keeps_sentence_span_and_issuer():
    text = C2019.read_text(encoding="utf-8-sig")
    doc = parse_file(C2019).documents[0]
    repeal = next(r for r in doc.references if r.relation == "repeals")
    assert repeal.sentence == ("同时，《青海省人民政府关于修订青海省主体功能区规划部分内容的通知》（青政〔2018〕49号）"
                               "予以废止。")
    assert repeal.issuer == "青海省人民政府"
    assert repeal.form == "title_number"
    assert text[repeal.start:repeal.end] == repeal.text == (
        "《青海省人民政府关于修订青海省主体功能区规划部分内容的通知》（青政〔2018〕49号）")
    assert repeal.line == 84
    assert doc.doc_number == "青政〔2019〕45号"  # the cited numbers in （） are not its own


def test_every_reference_span_points_at_its_text():
    for path in (C2019, C2017):
        text = path.read_text(encoding="utf-8-sig")
        parsed = parse_file(path)
        references = [r for d in parsed.documents for r in d.references]
        references += [r for e in parsed.chronicle.entries for r in e.references]
        assert references
        for r in references:
            printed = text[r.start:r.end]
            if r.line == r.line_end:
                assert printed == r.text
            else:  # broken by a page break: the same characters with the break between
                assert "".join(printed.split()) == "".join(r.text.split())
            assert r.text in r.sentence.replace(" ", "") or r.text in r.sentence


def test_citation_across_a_page_break_is_joined():
    doc = next(d for d in parse_file(C2017).documents if d.doc_number == "青政办〔2017〕11号")
    ref = next(r for r in doc.references if r.doc_number == "青政办〔2010〕13号")
    assert ref.title == "关于促进青海民航事业发展的若干意见"
    assert (ref.line, ref.line_end) == (556, 558)


def test_short_name_resolves_to_the_number_that_defined_it():
    doc = next(d for d in parse_file(C2019).documents if d.doc_number == "青政办〔2019〕79号")
    first, *later = [r for r in doc.references if r.doc_number == "国办发〔2019〕23号"]
    assert first.alias == "实施方案" and first.form == "title_number"
    assert [r.form for r in later] == ["alias", "alias"]
    assert not any(r.title == "实施方案" and r.doc_number is None for r in doc.references)


def test_the_text_a_notice_carries_is_marked_self():
    doc = next(d for d in parse_file(C2019).documents if d.doc_number == "青政办〔2019〕78号")
    carrier = doc.references[0]
    assert (carrier.relation, carrier.resolution, carrier.target_id) == ("forwards", "self", doc.id)
    assert carrier.issuer == "省国资委"


@pytest.mark.parametrize("text, form, number, title", [
    ("根据《国务院关于积极推进“互联网+”行动的指导意见》（国发〔2015〕40号），制定本方案。",
     "title_number", "国发〔2015〕40号", "国务院关于积极推进“互联网+”行动的指导意见"),
    ("根据国发〔2015〕40号文件精神，制定本方案。", "number", "国发〔2015〕40号", None),
    ("依据《中华人民共和国自然保护区条例》有关规定。", "title", None, "中华人民共和国自然保护区条例"),
    ("按照《重大危险源辨识》（GB 18218—2009）规定。", "standard", "GB 18218-2009", "重大危险源辨识"),
    ("根据青政[2019]45号、青政（2019）46号要求。", "number", "青政〔2019〕45号", None),
    ("按照青政人〔2019〕9号、10号执行。", "number", "青政人〔2019〕9号", None),
])
def test_citation_forms(text, form, number, title):
    found = refs(text)
    assert (found[0].form, found[0].doc_number, found[0].title) == (form, number, title)


def test_shared_serials_and_variants_are_expanded_and_normalised():
    assert [r.doc_number for r in refs("根据青政[2019]45号、青政（２０１９）46号要求。")] == [
        "青政〔2019〕45号", "青政〔2019〕46号"]
    assert [r.doc_number for r in refs("按照青政人〔2019〕9号、10号执行。")] == ["青政人〔2019〕9号", "青政人〔2019〕10号"]


@pytest.mark.parametrize("text", [
    "青年报《青春之歌》发表了评论。",
    "话剧《永怀之歌》在青海大剧院上演。",
    "作了题为《深入学习贯彻习近平生态文明思想》的报告。",
    "签署了《关于加快推进藏青工业园区重点项目落地协议》。",
    "学习《习近平新时代中国特色社会主义思想学习纲要》。",
])
def test_books_films_talks_and_agreements_are_not_citations(text):
    assert refs(text) == []


@pytest.mark.parametrize("text, relation", [
    ("现将《青海省测试办法》（青政〔2015〕7号）予以废止。", "repeals"),
    ("《青海省测试办法》（青政〔2015〕7号）同时废止。", "repeals"),
    ("决定废止《青海省测试办法》（青政〔2015〕7号）。", "repeals"),
    ("《青海省测试办法》（青政〔2015〕7号）停止执行。", "repeals"),
    ("本办法代替《青海省测试办法》（青政〔2015〕7号）。", "repeals"),
    ("决定对《青海省测试办法》（青政〔2015〕7号）部分内容进行修订，现印发给你们。", "amends"),
    ("决定修改《青海省测试办法》（青政〔2015〕7号）第三条。", "amends"),
    ("根据《青海省测试办法》（青政〔2015〕7号），制定本细则。", "based_on"),
    ("依据《青海省测试办法》（青政〔2015〕7号）有关规定。", "based_on"),
    ("按照《青海省测试办法》（青政〔2015〕7号）要求。", "based_on"),
    ("参照《青海省测试办法》（青政〔2015〕7号）执行。", "refers_to"),
    ("为贯彻《青海省测试办法》（青政〔2015〕7号），提出如下意见。", "implements"),
    ("认真落实《青海省测试办法》（青政〔2015〕7号）。", "implements"),
    ("《青海省测试办法》已经省政府同意，现印发给你们，请认真贯彻执行。", "issues"),
    ("省财政厅《青海省测试办法》已经省政府同意，现转发给你们，请认真贯彻执行。", "forwards"),
    ("现将《青海省测试办法》批转给你们，请认真贯彻执行。", "forwards"),
    ("修订完善《青海省测试办法》（青政〔2015〕7号），综合运用组织处理。", "mentions"),
    ("加快修订《青海省测试办法》（青政〔2015〕7号）。", "mentions"),
    ("2016年，国务院印发了《青海省测试办法》（青政〔2015〕7号）。", "mentions"),
    ("《青海省测试办法》（青政〔2015〕7号）中明确指出。", "mentions"),
])
def test_relation_words(text, relation):
    assert refs(text)[0].relation == relation


def test_relation_word_covers_a_list_but_not_the_next_clause():
    found = refs("根据《国务院关于甲的意见》（国发〔2015〕63号）、《青海省人民政府关于乙的意见》（青政〔2016〕42号）要求，"
                 "参照《国务院办公厅关于丙的通知》（国办发〔2017〕38号），结合我省实际。")
    assert [r.relation for r in found] == ["based_on", "based_on", "refers_to"]
    assert [r.issuer for r in found] == ["国务院", "青海省人民政府", "国务院办公厅"]


@pytest.mark.parametrize("text", ["根据青政〔2019〕45号要求", "按照青政〔2019〕45号执行", "和青政〔2019〕45号",
                                  "依据国办发〔2019〕23号"])
def test_lead_in_words_are_not_swallowed_into_the_code(text):
    (ref,) = refs(text)
    assert ref.doc_number in ("青政〔2019〕45号", "国办发〔2019〕23号")
    assert ref.text == ref.doc_number


def test_trim_code_keeps_unknown_codes_whole():
    assert trim_code("根据甘政发") == "甘政发"
    assert trim_code("贯彻落实国办发明电") == "国办发明电"


def test_a_code_two_places_share_is_resolved_by_the_gazette():
    assert issuer_of("青政", "青海") == "青海省人民政府"
    assert issuer_of("青政", "青岛") == "青岛市人民政府"
    assert issuer_of("青政", None) is None  # not guessed
    assert issuer_of("国办发", None) == "国务院办公厅"
    head = "{gazette}\n2019年第3期\n\n青岛市人民政府关于废止部分文件的通知\n青政〔2019〕3号\n\n各区、市人民政府：\n"
    body = "决定废止《关于测试的通知》（青政〔2015〕7号）。\n\n青岛市人民政府\n2019年3月1日\n"
    for gazette, issuer in (("青岛政报", "青岛市人民政府"), ("青海政报", "青海省人民政府")):
        parsed = parse_text(head.format(gazette=gazette) + body)
        assert parsed.issue.gazette == gazette
        (ref,) = parsed.documents[0].references
        assert (ref.doc_number, ref.relation, ref.issuer) == ("青政〔2015〕7号", "repeals", issuer)


def test_chronicle_entries_cite_drafts():
    chronicle = parse_file(C2017).chronicle
    titles = [r.title for e in chronicle.entries for r in e.references]
    assert "青海省税收保障办法（草案）" in titles
    assert "草原之子" not in titles  # a play
