"""govdocs.parse.html: www.gov.cn pages (tests/data/govcn/html, copied from the govcn set) to text."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdocs.parse.html import HtmlPage, extract_html, is_html, strip_metadata_table

PAGES = Path(__file__).resolve().parent / "data" / "govcn" / "html"
ORDER = PAGES / "33_国令第707号.html"  # 国务院令: 令 number, 总理 signature, the regulation's title
JOINT = PAGES / "19_国办发_1996_25号.html"  # joint issuers, title over three <br> lines, 〇-date
REPLY = PAGES / "46_国函_2006_38号.html"  # 批复 with an annex listing members, 主题词 filled in
ALL = [ORDER, JOINT, REPLY]


def page(path: Path) -> HtmlPage:
    return extract_html(path.read_bytes())


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_order_text_lines():
    text = page(ORDER).text
    assert lines(text)[:6] == [
        "中华人民共和国国务院令",
        "第707号",
        "现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。",
        "总理　　李克强",  # inner full-width spaces kept, trailing &nbsp; run stripped
        "2018年12月18日",  # ends in a `&nbsp` without its semicolon in the page
        "中华人民共和国个人所得税法实施条例",
    ]
    assert text.startswith("中华人民共和国国务院令\n\n第707号\n\n")  # one blank line between paragraphs
    assert lines(text)[-1] == "第三十六条　本条例自2019年1月1日起施行。"
    assert text.endswith("施行。\n") and "\n\n\n" not in text
    assert len(lines(text)) == 89


def test_order_metadata():
    assert page(ORDER).metadata == {
        "索引号": "000014349/2018-00218",
        "主题分类": "财政、金融、审计\\税务",
        "发文机关": "国务院",
        "成文日期": "2018年12月18日",
        "标题": "中华人民共和国个人所得税法实施条例",
        "发文字号": "国令第707号",
        "发布日期": "2018年12月22日",
    }  # 主题词 is empty on this page: omitted


def test_joint_issuers_title_lines_and_date():
    result = page(JOINT)
    # <br> inside the title paragraph: lines with no blank line between them
    assert result.text.startswith(
        "国务院办公厅、中央军委办公厅\n关于加强对侵华日军遗弃化学武器\n调查和管理工作的通知\n\n国办发〔1996〕25号\n\n"
    )
    assert lines(result.text)[-2:] == ["国务院办公厅　中央军委办公厅", "一九九六年六月二十九日"]
    assert result.metadata["发文机关"] == "国务院办公厅、中央军委办公厅"
    assert result.metadata["标题"] == "国务院办公厅、中央军委办公厅关于加强对侵华日军遗弃化学武器调查和管理工作的通知"
    assert result.metadata["发文字号"] == "国办发〔1996〕25号"
    assert result.metadata["成文日期"] == "1996年06月29日"  # the site's; the printed date is 一九九六年六月二十九日


def test_reply_indented_lines_keep_inner_fullwidth_spaces():
    result = page(REPLY)
    found = lines(result.text)
    assert found[:3] == ["国务院关于同意组建2008年北京奥运会", "首都国际机场协调委员会的批复", "国函〔2006〕38号"]
    assert "主　任：尤　权　　国务院副秘书长" in found
    # the page indents continuation lines with U+3000: stripped at the edge, kept inside
    assert "刘金国　　公安部副部长" in found and "吉　林　　北京市副市长" in found
    after = found[found.index("附件：2008年北京奥运会首都国际机场协调委员会组建方案") + 1 :]
    assert after[:2] == ["国务院", "二〇〇六年五月二十三日"]
    assert result.metadata["主题词"] == "体育　运动会　机场　机构　批复"
    assert result.metadata["标题"] == "国务院关于同意组建2008年北京奥运会首都国际机场协调委员会的批复"
    assert result.metadata["发文字号"] == "国函〔2006〕38号"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_site_chrome_is_not_text(path):
    text = page(path).text
    for chrome in ("索 引 号", "索引号", "主题分类", "000014349/", "扫一扫在手机打开当前页"):
        assert chrome not in text
    assert all(line == line.strip(" \u3000\u00a0") for line in text.splitlines())
    assert "&nbsp" not in text and "\u00a0" not in text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_strip_metadata_table(path):
    html = path.read_text(encoding="utf-8")
    stripped = strip_metadata_table(html)
    assert "索 引 号" not in stripped and "发文机关" not in stripped
    assert 'id="UCAP-CONTENT"' in stripped and "扫一扫在手机打开当前页" in stripped
    without = extract_html(stripped)
    assert without.metadata == {}
    assert without.text == page(path).text


@pytest.mark.parametrize("strip", [False, True], ids=["with-table", "without-table"])
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_without_content_id_the_largest_p_block_is_the_body(path, strip):
    html = path.read_text(encoding="utf-8")
    html = (strip_metadata_table(html) if strip else html).replace('id="UCAP-CONTENT"', "")
    assert extract_html(html).text == page(path).text


def test_entity_debris_and_spaces():
    html = (
        "<div><p>&amp;nbsp;&nbsp;第一条&sp;内容&amp;nbsp;在此。&nbsp</p>"
        "<p>　　总理　　李克强 &nbsp; &nbsp;&sp;</p><p>R&amp;D  投入\n  增长</p></div>"
    )
    assert extract_html(html).text == "第一条 内容 在此。\n\n总理　　李克强\n\nR&D 投入 增长\n"


def test_blocks_breaks_and_dropped_elements():
    html = (
        "<html><head><title>页面</title><style>p{}</style></head><body>"
        "<nav><p>首页</p></nav><h1>标题</h1><div>甲<br>乙<br><br>丙</div>"
        "<p> </p><p><br></p><!-- 注释 --><script>var p = '<p>x</p>';</script>"
        "<ul><li>一</li><li>二 <b>三</b></li></ul><p>末段</p></body></html>"
    )
    assert extract_html(html).text == "标题\n\n甲\n乙\n丙\n\n一\n\n二 三\n\n末段\n"


def test_table_rows_are_tab_separated_lines():
    html = (
        '<td id="UCAP-CONTENT"><p>附表</p><table><thead><tr><th>序号</th><th>名称</th><th>备注</th></tr></thead>'
        "<tbody><tr><td>1</td><td><p>甲</p><p>乙</p></td><td></td></tr>"
        "<tr><td> </td><td>&nbsp;</td><td></td></tr><tr><td>2</td><td>丙</td><td>无</td></tr></tbody></table>"
        "<p>完</p></td>"
    )
    page_ = extract_html(f"<table><tr>{html}</tr></table>")
    assert page_.text == "附表\n\n序号\t名称\t备注\n1\t甲 乙\t\n2\t丙\t无\n\n完\n"


def test_metadata_needs_label_cells_outside_the_body():
    table = "<table><tr><td>发文机关：</td><td>国务院</td><td>成文日期：</td><td> 2018年12月18日 </td></tr></table>"
    inside = f'<div id="UCAP-CONTENT">{table}<p>正文</p></div>'
    assert extract_html(inside).metadata == {}
    assert extract_html(inside).text == "发文机关：\t国务院\t成文日期：\t2018年12月18日\n\n正文\n"
    outside = extract_html(f"<div>{table}<div><p>正文</p></div></div>")
    assert outside.metadata == {"发文机关": "国务院", "成文日期": "2018年12月18日"}
    assert outside.text == "正文\n"
    lone = "<table><tr><td>标　　题：</td><td>某某</td></tr></table><p>正文</p>"  # one label: not the site's table
    assert extract_html(lone).metadata == {}
    assert strip_metadata_table(lone) == lone


def test_bytes_are_decoded():
    body = "<p>国务院关于印发的通知</p>"
    declared = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
                f"<body>{body}</body></html>")
    assert extract_html(declared.encode("gb18030")).text == "国务院关于印发的通知\n"
    assert extract_html(body.encode("gb18030")).text == "国务院关于印发的通知\n"  # not UTF-8: GB18030
    assert extract_html(body.encode("utf-8")).text == "国务院关于印发的通知\n"
    assert extract_html(b"\xef\xbb\xbf" + body.encode("utf-8")).text == "国务院关于印发的通知\n"
    assert extract_html(ORDER.read_text(encoding="utf-8")) == page(ORDER)


@pytest.mark.parametrize("data", ["", "  \n", b"", "<!-- -->"])
def test_empty_input_gives_an_empty_page(data):
    assert extract_html(data) == HtmlPage("", {})


@pytest.mark.parametrize(
    "start",
    ["<!DOCTYPE html>", "  \n<html lang=zh>", "<HTML>", "<div class=wrap>", "<table width=930>", "<p>", "<P style=''>",
     "<body>", "<head>", "<meta charset=utf-8>", "\ufeff<html>", "<!-- saved from url -->\n<html>"],
)
def test_is_html(start):
    assert is_html(start)


@pytest.mark.parametrize("start", ["", "国务院文件", "<pre>", "<pan>", "<tablet>", "< p>", "<?xml version='1.0'?>", "a <p>"])
def test_is_not_html(start):
    assert not is_html(start)
