"""Unit tests per stage: tables of (input, expected)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdocs import parse_text
from govdocs.parse import patterns as P
from govdocs.parse.annexes import parse_annex_list
from govdocs.parse.chronicle import parse_chronicle
from govdocs.parse.closing import is_date_line
from govdocs.parse.decode import DecodeError, _looks_binary, decode_bytes
from govdocs.parse.lines import (
    Line,
    _lines_by_pattern,
    _source_lines,
    clean,
    html_text,
    is_annex_label,
    is_jump_from,
    is_jump_marker,
    lxml_text,
    split_lines,
    squash,
)
from govdocs.parse.masthead import parse_front_matter
from govdocs.parse.numbers import cn_to_int, find_date, find_doc_numbers
from govdocs.parse.paragraphs import paragraphs, section_marker
from govdocs.parse.personnel import find_appointments, find_members
from govdocs.parse.segment import is_announcement_number, is_number_line
from govdocs.parse.structure import build_sections
from govdocs.parse.tables import parse_table
from tests.conftest import ISSUE_2017

# --- decode -------------------------------------------------------------------

TEXT = "青海省人民政府\n2019年7月5日\n"


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
])
def test_decode_encodings(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT and decoded.encoding == encoding


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"), (b"  \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_decode_refuses_with_a_reason(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


@pytest.mark.parametrize("text,binary", [
    ("青海" * 2000 + "\x01\x02", False),  # two control characters: never binary
    ("ab\x01\x02\x03", True),  # three in a short text
    ("\t\n\r\f\v" * 900, False),  # white space is text
    ("a" * 4096 + "\x01" * 100, False),  # only the first 4,096 characters count
    ("a" * 4000 + "\x1f" * 40 + "\x00" + "a" * 55, True),  # 41 > 40
    ("a" * 4000 + "\x1f" * 40 + "a" * 56, False),
])
def test_binary_is_told_by_control_characters(text, binary):
    assert _looks_binary(text) is binary


@given(st.text(alphabet=st.sampled_from("a青\t\n\r\f\v\x00\x01\x08\x0e\x1b\x1f\x7f "), max_size=5000))
def test_binary_counts_what_a_loop_over_the_characters_counts(text):
    sample = text[:4096]
    by_hand = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    assert _looks_binary(text) == (by_hand > max(2, len(sample) // 100))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_keep_offsets(newline):
    text = newline.join(["青海省人民政府", "", "关于张三同志任职的通知", "青政人〔2019〕3号"]) + newline
    lines = split_lines(text)
    assert [ln.no for ln in lines] == [1, 3, 4]
    assert all(text[ln.start:ln.end] == ln.raw for ln in lines)
    doc = parse_text(text).documents[0]
    assert doc.doc_number == "青政人〔2019〕3号"


def test_clean_removes_markdown_and_html_debris():
    assert clean("- 附件：1. 《方案》") == "附件：1. 《方案》"
    assert clean("1. **完善平台。**以平台为基础") == "1. 完善平台。以平台为基础"
    assert clean("<p>2019 年底前</p>") == "2019 年底前"
    assert clean("——众创空间构建工程") == "——众创空间构建工程"


# --- numbers and dates ---------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("青政〔2019〕45号", ["青政〔2019〕45号"]),
    ("青政[2019]45号", ["青政〔2019〕45号"]),
    ("青政（2019）45號", ["青政〔2019〕45号"]),
    ("青政﹝２０１９﹞４５号", ["青政〔2019〕45号"]),
    ("青政【2019】 第45号", ["青政〔2019〕45号"]),
    ("青政人〔2019〕9号、10号", ["青政人〔2019〕9号", "青政人〔2019〕10号"]),
    ("国办发明电〔2019〕3号", ["国办发明电〔2019〕3号"]),
])
def test_doc_numbers(text, expected):
    assert [f.normalized for f in find_doc_numbers(text)] == expected


@pytest.mark.parametrize("text,iso", [
    ("2019年7月5日", "2019-07-05"), ("2019 年 7 月 5 日", "2019-07-05"),
    ("二〇〇四年八月十二日", "2004-08-12"), ("二○○四年十二月三十一日", "2004-12-31"),
    ("二零一一年一月二十日", "2011-01-20"), ("2019年13月5日", None),
])
def test_dates(text, iso):
    assert find_date(text).iso == iso


@pytest.mark.parametrize("text,n", [("十", 10), ("十二", 12), ("二十", 20), ("二十二", 22), ("一百零五", 105), ("甲", None)])
def test_chinese_numerals(text, n):
    assert cn_to_int(text) == n


# --- masthead and TOC -------------------------------------------------------------

def test_toc_joins_wrapped_entries_and_reads_rubrics():
    text = "\n".join([
        "青海政报", "2019 年第 12 期", "(总第 456 期)半月刊", "目 录", "省 政 府 文 件",
        "- 青海省人民政府关于加强对“低慢小”", "航空器管理的通告 (3)", "人 事 任 免", "青海省人民政府职务任免通知 (42)",
        "编辑委员会", "主 任：王子波",
    ])
    issue = parse_front_matter(split_lines(text))
    assert (issue.gazette, issue.year, issue.number, issue.total_number) == ("青海政报", 2019, 12, 456)
    assert [(t.rubric, t.title, t.page) for t in issue.toc] == [
        ("省政府文件", "青海省人民政府关于加强对“低慢小”航空器管理的通告", 3),
        ("人事任免", "青海省人民政府职务任免通知", 42),
    ]


# --- paragraphs and structure --------------------------------------------------------

def test_paragraph_rejoin_rules():
    lines = split_lines("\n\n".join([
        "一、领导小组成员", "组长：刘宁 省长", "副组长：张西明 省委常委", " 刘涛 副省长",
        "6. 深化机关事业单位工资制度改革，按国", "家部署适时建立地区附加津贴制度。",
        "推动各地", "区加快人才培养。", "支持 ETC", "门架系统建设。",
    ]))
    _, member_idx = find_members(lines)
    got = [p.text for p in paragraphs(lines, member_idx)]
    assert got == [
        "一、领导小组成员", "组长：刘宁 省长", "副组长：张西明 省委常委", "刘涛 副省长",
        "6. 深化机关事业单位工资制度改革，按国家部署适时建立地区附加津贴制度。",
        "推动各地区加快人才培养。", "支持 ETC门架系统建设。",
    ]


def test_section_tree_paths_and_headings():
    lines = split_lines("\n".join([
        "一、总体要求", "（一）指导思想。牢固树立发展理念。", "1. 加快构建众创空间。加快建设平台。", "（1）细则一。",
        "二、保障措施", "(二) 整治阶段（2017年3月至2018年3月开展深入整治，并取得阶段性成果）。各地要精心组织。",
        "第一章 总则", "第一条 为了规范管理，制定本办法。",
    ]))
    sections = build_sections(paragraphs(lines))
    flat = []

    def walk(nodes):
        for s in nodes:
            flat.append((s.path, s.heading, s.text))
            walk(s.children)

    walk(sections)
    assert flat == [
        ("一", "总体要求", ""),
        ("一/（一）", "指导思想", "牢固树立发展理念。"),
        ("一/（一）/1", "加快构建众创空间", "加快建设平台。"),
        ("一/（一）/1/（1）", "细则一", ""),
        ("二", "保障措施", ""),
        ("二/（二）", "整治阶段", "整治阶段（2017年3月至2018年3月开展深入整治，并取得阶段性成果）。各地要精心组织。"),
        ("第一章", "总则", ""),
        ("第一章/第一条", "", "为了规范管理，制定本办法。"),
    ]



def test_a_section_gathers_every_paragraph_without_a_marker_in_order():
    """Paragraphs join a section's text once (`structure._Texts`), each after a line break;
    an article's 款 read the article's own first paragraph."""
    body = [f"第{i}段正文。" for i in range(300)]
    text = "\n".join(["一、总体要求", *body, "第一条 为了规范管理。", "第二款正文。"])
    sections = build_sections(paragraphs(split_lines(text)))
    assert sections[0].text == "\n".join(body)
    article = sections[-1]
    assert [(c.path, c.text) for c in article.children] == [
        ("第一条/第一款", "为了规范管理。"), ("第一条/第二款", "第二款正文。")]


# --- tables ------------------------------------------------------------------------------

def test_table_header_merge_html_cells_and_split_rows():
    rows = [
        "序号\t标准\t适用范围",
        "1\t<p>甲标准</p>\t本标准适用于",
        "序号\t标准\t适用范围",  # repeated on the next page
        "\t\t各地区政务服务平台。",  # the rest of row 1, cut by the page break
        "2\t<p>乙</p> <p>标准</p>\t<p>适用范围</p> <p>全部。</p>",
        "序号\t政务标准\t适用范围",  # a repeat with an OCR variant
        "3\t丙\t部分。",
    ]
    table = parse_table(split_lines("\n".join(rows)))
    assert table.header == ["序号", "标准", "适用范围"]
    assert table.rows == [["1", "甲标准", "本标准适用于各地区政务服务平台。"], ["2", "乙\n标准", "全部。"],
                          ["3", "丙", "部分。"]]
    assert (table.merged_headers, table.rejoined_rows) == (2, 1)


def test_two_level_header():
    table = parse_table(split_lines("空间布局\t运输机场\t\t通用机场\t\n\t名称\t数量\t近期规划\t数量\n"
                                    "东部\t西宁\t1\t循化\t4"))
    assert table.header == ["空间布局", "运输机场 · 名称", "运输机场 · 数量", "通用机场 · 近期规划", "通用机场 · 数量"]
    assert table.rows == [["东部", "西宁", "1", "循化", "4"]]


def test_annex_list():
    lines = split_lines("附件：1. 2019年ETC发行任务\n2. 领导小组名单\n青海省人民政府办公厅")
    titles, used = parse_annex_list(lines)
    assert titles == ["2019年ETC发行任务", "领导小组名单"] and used == {0, 1}


# --- personnel -----------------------------------------------------------------------------

def test_appointment_heading_governs_following_lines():
    lines = split_lines("\n".join([
        "根据工作需要，任命：", "甲乙同志为某局局长；", "丙丁同志兼任某办主任。",
        "免去：", "戊己同志的某局副局长职务；", "因任职年龄到限，免去：", "庚辛壬同志的某厅巡视员职务并退休。",
        "辛丑同志为某某。",  # no heading governs this line any more
    ]))
    got = [(a.action, a.person, a.position, a.reason) for a in find_appointments(lines)]
    assert got == [
        ("appoint", "甲乙", "某局局长", None), ("concurrent", "丙丁", "某办主任", None),
        ("remove", "戊己", "某局副局长", None), ("retire", "庚辛壬", "某厅巡视员", "因任职年龄到限"),
    ]


def test_member_table_in_two_columns():
    lines = split_lines("组 长：匡 湧\t省政府副省长\t王永祥\t省交通厅副厅长\n"
                        "成 员：杨 扬\t省发改委副主任\t牛永涛\t银保监局副局长\n李生才\t省财政厅副厅长\t\t")
    members, _ = find_members(lines)
    assert [(m.role, m.person, m.position) for m in members] == [
        ("组长", "匡湧", "省政府副省长"), ("成员", "杨扬", "省发改委副主任"), ("成员", "李生才", "省财政厅副厅长"),
        ("成员", "王永祥", "省交通厅副厅长"), ("成员", "牛永涛", "银保监局副局长"),
    ]


# --- chronicle ------------------------------------------------------------------------------

def test_chronicle_dates_and_ranges():
    lines = split_lines("\n".join([
        "省政府 2019 年 12 月份大事记", "●12月4日 会议召开。", "●12月11日至12日 省长在海北州祁", "连县调研。",
        "●12月30日至1月2日 跨年活动。", "●12月4日和5日 座谈会。", "(责任编辑：甲 辑录：乙)",
    ]))
    chron, warnings = parse_chronicle(lines, "c1", 2019, (2019, 12))
    assert [(e.date, e.date_end, e.text) for e in chron.entries] == [
        ("2019-12-04", None, "会议召开。"),
        ("2019-12-11", "2019-12-12", "省长在海北州祁连县调研。"),
        ("2019-12-30", "2020-01-02", "跨年活动。"),
        ("2019-12-04", "2019-12-05", "座谈会。"),
    ]
    assert chron.credits == "责任编辑：甲 辑录：乙" and warnings == []


def test_chronicle_wrong_heading_is_corrected_and_warned():
    lines = split_lines("省政府 2016 年 10 月份大事记\n●1月4日 会议。\n●1月9日 会议。")
    chron, warnings = parse_chronicle(lines, "c1", 2017, (2017, 2))
    assert (chron.year, chron.month) == (2017, 1) and chron.entries[1].date == "2017-01-09"
    assert [w.code for w in warnings] == ["chronicle.heading"]


def test_chronicle_impossible_dates_are_warnings_and_no_date():
    lines = split_lines("省政府 2019 年 2 月份大事记\n●2月29日 会议。\n●2月27日至30日 调研。\n●2月28日 座谈会。")
    chron, warnings = parse_chronicle(lines, "c1", 2019, (2019, 2))
    assert [(e.date, e.date_end, e.text) for e in chron.entries] == [
        (None, None, "会议。"), ("2019-02-27", None, "调研。"), ("2019-02-28", None, "座谈会。")]
    assert [(w.code, w.message, w.line) for w in warnings] == [
        ("chronicle.impossible-date", "the entry's date 2月29日 does not exist (chronicle of 2019-02)", 2),
        ("chronicle.impossible-date", "the entry's date 2月27日至30日 does not exist (chronicle of 2019-02)", 3),
    ]


# --- patterns -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,issuer", [
    ("青海省人民政府办公厅 关于印发", "青海省人民政府办公厅"), ("青海省人民政府职务任免通知", "青海省人民政府"),
    ("国务院办公厅关于", "国务院办公厅"), ("省国资委", "省国资委"),
])
def test_issuer_pattern(text, issuer):
    assert P.ISSUER.match(text)["issuer"] == issuer


def test_squash_removes_only_wrapping_spaces():
    assert squash("关于修订自然保护区 管制原则的通知") == "关于修订自然保护区管制原则的通知"
    assert squash("支持 ETC 门架") == "支持ETC门架"
    assert squash("ETC and OBU") == "ETC and OBU"


# --- crosschecks ---------------------------------------------------------------------------

ISSUE = """青海政报
2019 年第 1 期
目 录
- 青海省人民政府关于甲的通知 (3)
- 青海省人民政府关于不存在的通知 (4)
编辑委员会
青海省人民政府
关于甲的通知
青政〔2019〕1号
各市、自治州人民政府：
现通知如下。
青海省人民政府
2018年12月30日
青海省人民政府
关于乙的通知
青政〔2019〕2号
各市、自治州人民政府：
现通知如下。
青海省人民政府
2019年1月3日
"""


def test_toc_and_year_warnings():
    result = parse_text(ISSUE)
    codes = [(w.code, w.line) for w in result.warnings]
    assert ("toc.unmatched", 5) in codes
    assert ("toc.missing", 14) in codes
    assert [w.code for w in result.documents[0].warnings] == ["document.year-mismatch"]
    assert result.issue.toc[0].document_id == result.documents[0].id


def test_document_without_closing_and_unplaced_text_are_reported():
    result = parse_text("前言一行\n青海省人民政府\n关于丙的通知\n青政〔2019〕3号\n各市、自治州人民政府：\n正文。\n")
    assert [w.code for w in result.documents[0].warnings] == ["document.no-closing"]
    assert [w.code for w in result.warnings] == ["text.unplaced"] and result.leftovers[0].line_start == 1


# --- the parser's cheap pre-checks decide exactly what the full patterns decide ---------------

#: characters the patterns care about, plus some they do not
_PARSER_ALPHABET = st.sampled_from(list("第章节条一二三十〇（()）、.．0１9号號〔〕青政年月日记任命：: \t\u3000\r\n"
                                        "ab-*•《》<p>"))


def _all_markers(text: str):
    for kind, pattern in P.SECTION_MARKERS:
        if m := pattern.match(text):
            return kind, m.span()
    return None


@settings(max_examples=400)
@given(st.text(_PARSER_ALPHABET, max_size=14))
def test_prechecks_agree_with_the_patterns(text):
    found = section_marker(text)
    assert (found and (found[0], found[1].span())) == _all_markers(text)
    assert squash(text) == P.CJK_GAP.sub("", text).strip()
    t = P.CJK_GAP.sub("", text).strip()
    assert is_number_line(text) == bool(P.DOC_NUMBER_LINE.match(t) or P.DECREE_NUMBER_LINE.match(t))


@settings(max_examples=300)
@given(st.text(_PARSER_ALPHABET, max_size=40))
def test_split_lines_fast_path_is_the_pattern_path(text):
    text = text.replace("\r", "")  # the fast path is taken for texts without \r
    assert [x for x in _source_lines(text) if x[2].strip()] == [x for x in _lines_by_pattern(text) if x[2].strip()]


@settings(max_examples=300)
@given(st.text(st.sampled_from(list("（(2019年第11号)）公告 \u3000\t关于")), max_size=12),
       st.text(st.sampled_from(list("（(2019年第11号)）公告 \u3000\t关于")), max_size=12))
def test_announcement_number_precheck_agrees_with_the_pattern(above, text):
    lines = [Line(0, 1, 0, 0, above, above), Line(1, 2, 0, 0, text, text)]
    t = squash(text)
    by_pattern = (t.endswith(("号", "号）", "号)")) and "年" in t and P.DECREE_SERIAL.match(t) is not None
                  and squash(above).endswith("公告"))
    assert is_announcement_number(lines, 1) == by_pattern


@settings(max_examples=300)
@given(st.text(st.sampled_from(list("二〇一九2019年七7月十五日 \u3000\t\n")), max_size=14)
       | st.sampled_from(["2019年7月15日", "2019 年 7 月 15 日", "二〇一九年七月十五日", "2019年7月15日\t"]))
def test_date_line_precheck_agrees_with_the_pattern(text):
    line = Line(0, 1, 0, len(text), text, text)
    assert is_date_line(line) == ("\t" not in text and P.DATE_LINE.match(squash(text)) is not None)


@settings(max_examples=300)
@given(st.text(st.sampled_from(list("（(上转下接第4页) ）\t")), max_size=10)
       | st.sampled_from(["（上转4页）", "(下接第12页)"]))
def test_jump_markers_are_told_as_the_patterns_tell_them(text):
    assert is_jump_from(text) == bool(P.JUMP_FROM.match(text))
    assert is_jump_marker(text) == bool(P.JUMP_FROM.match(text) or P.JUMP_TO.match(text))


@settings(max_examples=300)
@given(st.text(st.sampled_from(list("附 件12一：:\t说明")), max_size=8) | st.sampled_from(["附件", "附件2", "附 件 十："]))
def test_annex_labels_are_told_as_the_pattern_tells_them(text):
    assert is_annex_label(text) == bool(P.ANNEX_LABEL.match(text))


@settings(max_examples=300)
@given(st.text(st.sampled_from(list("题为纪录片电影\n 《》刊物展a")), max_size=16), st.integers(0, 16))
def test_work_of_art_words_are_looked_for_only_as_far_as_they_reach(text, end):
    end = min(end, len(text))
    windowed = P.NOT_A_DOCUMENT_BEFORE.search(text, max(0, end - P.NOT_A_DOCUMENT_REACH), end)
    assert bool(windowed) == bool(P.NOT_A_DOCUMENT_BEFORE.search(text, 0, end))


#: a table cell's HTML: bare blocks, with the white space, marks and characters lxml might
#: treat apart (line breaks, no-break and ideographic spaces, a BOM, controls, entities)
_CELL_TEXT = st.text(st.sampled_from(list("甲乙 丙\t\n\r\u3000\xa0\u2028\u200b\ufeff\x85\x0c\x01\"'=/.&;amp")), max_size=8)


@settings(max_examples=400)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "\n", "\r\n", "\t", "\u3000", "x"]), _CELL_TEXT), min_size=1,
                max_size=4), st.sampled_from(["", " ", "\n"]))
def test_bare_blocks_read_as_lxml_reads_them(blocks, tail):
    fragment = "".join(f"{before}<p>{text}</p>" for before, text in blocks) + tail
    assert html_text(fragment) == lxml_text(fragment)


# --- scale: no stage rescans what it has already read ---------------------------------------

def test_layout_repair_finds_closings_a_bounded_number_of_times(monkeypatch):
    """The owner of a fragment is found by bisection over kept closings (`layout._Owners`):
    the 2017 issue printed eight times over (one layout repair in each copy) looks for each
    document's closing about once. Rescanning the earlier documents for every fragment — the
    quadratic step that made a 200 MB file take minutes — looked 300 times here, and more with
    every copy."""
    from govdocs.parse import layout

    calls = 0
    real = layout.find_closing

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(layout, "find_closing", counting)
    result = parse_text("\n".join([ISSUE_2017.read_text(encoding="utf-8")] * 8))
    assert len(result.documents) == 48 and [r.code for r in result.repairs] == ["layout.interleaved"] * 8
    assert calls <= 2 * len(result.documents)
