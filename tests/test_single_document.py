"""A single document saved from a government website: no masthead, Chinese-numeral date."""

from __future__ import annotations

import functools
import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from govdocs import parse_file
from govdocs.parse import number_syntax as syntax
from tests.conftest import FIXTURES


def test_single_web_document():
    result = parse_file(FIXTURES / "single_web_document.txt")
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.doc_number == "国发〔2004〕10号"
    assert doc.issuer == "国务院"
    assert doc.title == "国务院关于印发全面推进依法行政实施纲要的通知"
    assert doc.doc_type == "通知"
    assert doc.recipients == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert doc.date == "2004-03-22"
    assert doc.note == "（此件公开发布）"
    assert doc.body.endswith("制定具体实施办法，并将贯彻执行情况及时报告国务院。")
    assert result.chronicle is None and result.issue.toc == []
    assert result.issue.year == 2004


def test_single_document_in_other_encodings(tmp_path):
    text = (FIXTURES / "single_web_document.txt").read_text(encoding="utf-8")
    for name, data in [("gbk.txt", text.encode("gbk")), ("bom.txt", b"\xef\xbb\xbf" + text.encode()),
                       ("utf16.txt", text.encode("utf-16")), ("crlf.txt", text.replace("\n", "\r\n").encode())]:
        path = tmp_path / name
        path.write_bytes(data)
        doc = parse_file(path).documents[0]
        assert (doc.doc_number, doc.date, doc.title) == (
            "国发〔2004〕10号", "2004-03-22", "国务院关于印发全面推进依法行政实施纲要的通知"), name


def test_a_number_in_any_bracket_search_knows_is_read_by_the_parser(tmp_path):
    """Parser and query language share one 发文字号 syntax (`parse/number_syntax.py`): the
    full-width ［］ a user types into a search is a number the parser reads too."""
    from govdocs.index.query import normalize_number

    text = (FIXTURES / "single_web_document.txt").read_text(encoding="utf-8")
    for printed in ("国发［2004］10号", "国发[2004]第10號", "国发（2004）10号"):
        path = tmp_path / "doc.txt"
        path.write_text(text.replace("国发〔2004〕10号", printed, 1), encoding="utf-8")
        assert parse_file(path).documents[0].doc_number == "国发〔2004〕10号", printed
        assert normalize_number(printed) == "国发〔2004〕10号", printed


def test_the_classes_for_the_standard_re_module_hold_what_regex_means():
    """The search command compiles the parser's number patterns with `re`
    (`number_syntax.for_standard_re`): its \\p{Han} class holds exactly the code points
    `regex`'s \\p{Han} does, its \\s class exactly `regex`'s \\s."""
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for ours, theirs in ((syntax.HAN_CLASS, r"\p{Han}"), (syntax.WHITE_SPACE_CLASS, r"\s")):
        mine, reference = re.compile(ours), regex.compile(theirs)
        assert [c for c in points if (mine.fullmatch(c) is None) != (reference.fullmatch(c) is None)] == []


_NUMBERS = ["青政办〔2019〕45号", "国发[2004]第10號", "国 发（２００４） 10 号", "𠀀政〔2019〕1号", "国令第707号",
            "国家税务总局公告2019年第11号", "主席令第二十四号", "青海省人民政府令 第 120 号", "〔2019〕45号"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(_NUMBERS),
                 st.text(st.sampled_from(list("青政办国发令公告年第号號〔〕[]（）0123４5二十 \u3000\x1c𠀀")), max_size=20)))
def test_the_number_patterns_read_by_the_standard_re_module_match_as_regex_does(text):
    """The two number patterns, compiled by `re` and by `regex`, find the same numbers at every
    place of a text, groups included."""
    for name in ("DOC_NUMBER", "DECREE_NUMBER"):
        source = getattr(syntax, name)
        mine, reference = _compiled(source)
        for at in range(len(text)):
            a, b = mine.match(text, at), reference.match(text, at)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (name, text, at)


@functools.cache
def _compiled(source: str):
    return re.compile(syntax.for_standard_re(source)), regex.compile(source)
