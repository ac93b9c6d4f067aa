"""Thirty State Council documents as saved from the government website (tests/data/govcn,
a copy of shared/govcn): each parses into exactly one document whose number, issuers,
title and date equal the website's metadata, from the text and from the HTML page with the
site's metadata table removed — and no line's text is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex as re

from govdocs import parse_file
from govdocs.parse.html import extract_html, strip_metadata_table
from govdocs.parse.lines import squash
from govdocs.parse.pipeline import parse_bytes
from tests.noloss import assert_nothing_lost

GOVCN = Path(__file__).resolve().parent / "data" / "govcn"
METAS = sorted(GOVCN.glob("*.meta.json"))

#: the 文种 each metadata title ends with, read by eye (a 令's title is its regulation's)
DOC_TYPES = {
    "01": "意见", "03": "通知", "05": "意见", "07": "通知", "09": "意见", "11": "决定", "13": "意见", "15": "意见",
    "17": "意见", "19": "通知", "21": "函", "23": "复函", "25": "复函", "27": "答复", "29": "答复", "31": "复函",
    "33": "令", "35": "意见", "37": "通知", "39": "意见", "41": "函", "43": "复函", "46": "批复", "47": "通知",
    "49": "通报", "51": "通知", "53": "批复", "55": "批复", "57": "通知", "59": "通知",
}


def _expected(meta_path: Path) -> dict:
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    y, m, d = (int(x) for x in re.match(r"(\d+)年(\d+)月(\d+)日", meta["written_date"]).groups())
    return {"doc_number": meta["doc_number"], "issuers": meta["issuer"].split("、"), "title": meta["title"],
            "date": f"{y:04d}-{m:02d}-{d:02d}", "doc_type": DOC_TYPES[meta_path.name[:2]]}


def _got(result) -> dict:
    assert len(result.documents) == 1, [d.title for d in result.documents]
    doc = result.documents[0]
    assert doc.issuer == doc.issuers[0]
    return {"doc_number": doc.doc_number, "issuers": doc.issuers, "title": doc.title, "date": doc.date,
            "doc_type": doc.doc_type}


def test_the_set_is_complete():
    assert len(METAS) == 30 and set(DOC_TYPES) == {p.name[:2] for p in METAS}


@pytest.mark.parametrize("meta", METAS, ids=lambda p: p.name[:2])
def test_text_matches_the_published_metadata(meta: Path):
    path = meta.with_name(meta.name.replace(".meta.json", ".txt"))
    result = parse_file(path)
    assert _got(result) == _expected(meta)
    assert result.coverage.placed == result.coverage.lines and not result.leftovers
    assert_nothing_lost(path.read_text(encoding="utf-8"), result)


@pytest.mark.parametrize("meta", METAS, ids=lambda p: p.name[:2])
def test_html_page_without_its_metadata_table_gives_the_same(meta: Path):
    page = (GOVCN / "html" / meta.name.replace(".meta.json", ".html")).read_text(encoding="utf-8")
    stripped = strip_metadata_table(page)
    result = parse_bytes(stripped.encode("utf-8"), "page.html")
    assert _got(result) == _expected(meta)
    assert result.source.format == "html" and result.source.metadata == []
    text = extract_html(stripped).text
    assert_nothing_lost(text, result)
    title = result.documents[0].span("title")  # offsets index the text extracted from the page
    assert squash("".join(text[title.start:title.end].split())) == result.documents[0].title


@pytest.mark.parametrize("meta", METAS[:6], ids=lambda p: p.name[:2])
def test_html_page_with_its_table_agrees_and_keeps_it_as_evidence(meta: Path):
    page = GOVCN / "html" / meta.name.replace(".meta.json", ".html")
    result = parse_file(page)
    assert _got(result) == _expected(meta)
    labels = {f.label: f.value for f in result.source.metadata}
    assert labels["发文字号"] == _expected(meta)["doc_number"]
    assert not [w for w in result.warnings if w.code == "page.metadata-differs"]


def test_a_page_whose_table_disagrees_is_warned_about_not_overridden():
    page = (GOVCN / "html" / "11_国发_2018_44号.html").read_text(encoding="utf-8")
    result = parse_bytes(page.replace("国发〔2018〕44号</td>", "国发〔2018〕45号</td>").encode(), "p.html")
    assert result.documents[0].doc_number == "国发〔2018〕44号"
    [warning] = [w for w in result.warnings if w.code == "page.metadata-differs"]
    assert "国发〔2018〕45号" in warning.message and "国发〔2018〕44号" in warning.message


def test_the_state_council_decree_carries_its_regulation_article_by_article():
    doc = parse_file(GOVCN / "33_国令第707号.txt").documents[0]
    assert (doc.doc_number, doc.doc_type, doc.regulation, doc.signatories) == ("国令第707号", "令", "条例", ["总理 李克强"])
    carried = doc.attachment
    assert (carried.verb, carried.title) == ("公布", "中华人民共和国个人所得税法实施条例")
    articles = [s for s in carried.sections if s.kind == "article"]
    assert [a.number for a in articles][:3] == ["第一条", "第二条", "第三条"] and len(articles) == 36
    assert articles[-1].text == "本条例自2019年1月1日起施行。"
    sixth = articles[5]  # two 款: the list of incomes with its 项, then a sentence on doubtful cases
    assert [c.path for c in sixth.children] == ["第六条/第一款", "第六条/第二款"]
    assert sixth.children[0].children[8].path == "第六条/第一款/（九）"
    assert sixth.children[1].text.startswith("个人取得的所得，难以界定应纳税所得项目的")
    third = articles[2]  # one 款: its 项 hang from the article itself
    assert [c.path for c in third.children][:2] == ["第三条/（一）", "第三条/（二）"]
    assert "第一次修订" in carried.body.split("\n")[0]  # the regulation's history, kept with its text


def test_joint_issuers_and_their_two_signatures():
    doc = parse_file(GOVCN / "19_国办发_1996_25号.txt").documents[0]
    assert doc.issuers == ["国务院办公厅", "中央军委办公厅"] and doc.issuer == "国务院办公厅"
    assert doc.signatories == ["国务院办公厅", "中央军委办公厅"]
    assert doc.date == "1996-06-29"


def test_forwarded_report_keeps_its_own_signature_out_of_the_notice():
    doc = parse_file(GOVCN / "51_国办发_1997_2号.txt").documents[0]
    assert (doc.date, doc.signatories, doc.note) == ("1997-02-04", ["国务院办公厅"], "（本文有删减）")
    assert doc.attachment.verb == "转发" and doc.attachment.author == "国家地震局"
    assert doc.attachment.title == "关于1997年地震趋势和加强防震减灾工作意见的报告"
    assert "国务院：" in doc.attachment.body  # the report's own recipients stay in the report


def test_an_approval_with_its_annex():
    doc = parse_file(GOVCN / "46_国函_2006_38号.txt").documents[0]
    assert doc.recipients == "民航总局"
    [annex] = doc.annexes
    assert annex.title == "2008年北京奥运会首都国际机场协调委员会组建方案"
