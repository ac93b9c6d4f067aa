"""Document kinds the gazette corpus lacks, as printed: provincial and departmental 令, a
公告 numbered by year, a regulation printed on its own, the 文种 vocabulary, impossible
dates, joint titles and website debris."""

from __future__ import annotations

import pytest

from govdocs import parse_text
from govdocs.parse.document import kind_of
from govdocs.vocab import DOC_TYPES
from tests.noloss import assert_nothing_lost

PROVINCIAL_DECREE = """青海省人民政府令
第120号
《青海省某某管理办法》已经2019年6月1日省人民政府第10次常务会议审议通过，现予公布，自2019年8月1日起施行。
省长　刘宁
2019年6月10日
青海省某某管理办法
第一章　总则
第一条　为了加强管理，制定本办法。
第二条　本办法适用于本省。
单位和个人应当遵守本办法。
第二章　附则
第三条　本办法自2019年8月1日起施行。
"""

MINISTRY_DECREE = """交通运输部令2026年第8号
《某某规定》已于2026年3月1日经第5次部务会议通过，现予公布，自2026年5月1日起施行。
部长　张三
2026年3月10日
某某规定
第一条　为了规范。
第二条　本规定自2026年5月1日起施行。
"""

ANNOUNCEMENT = """国家税务总局关于某某事项的公告
（2019年第11号）
为了规范某事，现将有关事项公告如下：
一、某某。
特此公告。
国家税务总局
2019年3月1日
"""

NOTICE_THEN_REGULATION = """青海省人民政府关于甲的通知
青政〔2019〕1号
各市、自治州人民政府：
现通知如下。
青海省人民政府
2019年1月3日
青海省实施《中华人民共和国某某法》办法
（2019年5月30日青海省第十三届人民代表大会常务委员会第十次会议通过）
第一条　为了实施某某法，制定本办法。
第二条　本办法自2019年8月1日起施行。
"""


def _one(text: str):
    result = parse_text(text)
    assert_nothing_lost(text, result)
    assert result.coverage.placed == result.coverage.lines
    [doc] = result.documents
    return doc


def test_provincial_decree_promulgates_its_regulation():
    doc = _one(PROVINCIAL_DECREE)
    assert (doc.doc_number, doc.doc_type, doc.regulation) == ("青海省人民政府令第120号", "令", "办法")
    assert (doc.title, doc.issuers, doc.signatories, doc.date) == (
        "青海省某某管理办法", ["青海省人民政府"], ["省长 刘宁"], "2019-06-10")
    chapters = doc.attachment.sections
    assert [c.path for c in chapters] == ["第一章", "第二章"]
    second = chapters[0].children[1]
    assert [c.path for c in second.children] == ["第一章/第二条/第一款", "第一章/第二条/第二款"]
    assert second.children[1].text == "单位和个人应当遵守本办法。"
    [issued] = [r for r in doc.references if r.relation == "issues"]
    assert issued.resolution == "self" and issued.title == "青海省某某管理办法"


def test_ministry_decree_numbered_by_year():
    doc = _one(MINISTRY_DECREE)
    assert (doc.doc_number, doc.issuers, doc.title, doc.regulation) == (
        "交通运输部令2026年第8号", ["交通运输部"], "某某规定", "规定")


def test_announcement_numbered_by_year():
    doc = _one(ANNOUNCEMENT)
    assert (doc.doc_number, doc.doc_type, doc.issuers) == ("国家税务总局公告2019年第11号", "公告", ["国家税务总局"])


def test_regulation_printed_on_its_own_is_no_part_of_the_notice_before_it():
    result = parse_text(NOTICE_THEN_REGULATION)
    assert_nothing_lost(NOTICE_THEN_REGULATION, result)
    notice, regulation = result.documents
    assert notice.body == "现通知如下。"
    assert (regulation.doc_type, regulation.regulation, regulation.doc_number) == (None, "办法", None)
    assert regulation.title == "青海省实施《中华人民共和国某某法》办法"
    assert [s.path for s in regulation.sections] == ["第一条", "第二条"]
    assert "document.no-closing" not in [w.code for w in regulation.warnings]


@pytest.mark.parametrize("title,kind", [
    ("国务院办公厅关于广东与香港合建自动气象站网有关问题的复函", ("复函", None)),
    ("国务院办公厅对十届全国人大四次会议第7264号建议的答复", ("答复", None)),
    ("国务院关于加快发展的指导意见", ("意见", None)),
    ("青海省人民政府常务会议纪要", ("会议纪要", None)),
    ("某某工作座谈纪要", ("纪要", None)),
    ("某某工作会议会议纪要", ("会议纪要", None)),
    ("国务院关于某事的命令", ("令", None)),
    ("青海省某某管理办法", (None, "办法")),
    ("中华人民共和国个人所得税法实施条例", (None, "条例")),
    ("青海省某某实施细则", (None, "实施细则")),
])
def test_doc_type_vocabulary(title, kind):
    assert kind_of(title) == kind
    assert kind[0] is None or kind[0] in DOC_TYPES


def test_impossible_date_is_a_warning_and_no_date():
    doc = _one("国务院关于某事的通知\n国发〔2019〕5号\n各省：\n正文。\n国务院\n2019年2月31日\n")
    assert doc.date is None
    assert [w.code for w in doc.warnings] == ["document.impossible-date"]


def test_website_debris_around_the_closing():
    text = ("国务院办公厅关于某事的\n\n通知\n\n国办发〔2019〕5号\n\n各省：\n\n正文。\n\n国务院办公厅&sp;&nbsp;\n\n"
            "二〇一九年七月五日&nbsp;&nbsp; \n\n（此件公开发布）\n")
    doc = _one(text)
    assert (doc.title, doc.date, doc.signatories, doc.note) == (
        "国务院办公厅关于某事的通知", "2019-07-05", ["国务院办公厅"], "（此件公开发布）")


def test_a_wrapped_line_ending_like_an_organ_is_no_issuer():
    text = ("国务院办公厅关于辽宁省在曾培炎副总理考察\n工作时所提问题和建议办理情况的函\n国办函〔2004〕57号\n"
            "辽宁省人民政府：\n正文。\n国务院办公厅\n二〇〇四年八月十二日\n")
    doc = _one(text)
    assert doc.issuers == ["国务院办公厅"] and doc.title.startswith("国务院办公厅关于辽宁省")


def test_no_issuer_rather_than_a_fragment():
    text = "关于某某工作时所提问题和建议办理情况的函\n国办函〔2004〕57号\n辽宁省人民政府：\n正文。\n二〇〇四年八月十二日\n"
    doc = parse_text(text).documents[0]
    assert doc.issuers == ["国务院办公厅"]  # no organ in the head or signature: the 机关代字 registry's
    text = text.replace("国办函", "某某函")
    doc = parse_text(text).documents[0]
    assert doc.issuers == [] and doc.issuer is None
    assert "document.no-issuer" in [w.code for w in doc.warnings]


def test_stray_space_after_the_signature_does_not_hand_the_date_to_the_forwarded_request():
    text = ("国务院办公厅转发国家教委关于某事请示的通知\n国办发〔1996〕32号\n各省、自治区、直辖市人民政府：\n"
            "国家教委《关于某事的请示》已经国务院同意，现转发给你们，请遵照执行。\n"
            "国务院办公厅\u2002\u2002\u200b\n一九九六年七月十七日\u2003\n"
            "关于某事的请示\n国务院：\n请示内容。\n国家教委\n一九九六年五月十三日\n")
    doc = _one(text)
    assert (doc.date, doc.signatories) == ("1996-07-17", ["国务院办公厅"])
    assert doc.attachment.title == "关于某事的请示" and doc.attachment.author == "国家教委"


def test_a_regulation_printed_as_an_annex_stays_in_its_notice():
    text = ("青海省人民政府办公厅关于加强政府网站管理的通知\n青政办〔2019〕90号\n各市、自治州人民政府：\n"
            "现就有关事项通知如下。\n"
            "附件：青海省政府网站管理办法\n青海省人民政府办公厅\n2019年7月1日\n附件\n青海省政府网站管理办法\n"
            "第一章　总则\n第一条　为了加强管理，制定本办法。\n")
    result = parse_text(text)
    assert_nothing_lost(text, result)
    [doc] = result.documents
    [annex] = doc.annexes
    assert annex.title == "青海省政府网站管理办法" and "第一条" in annex.text


@pytest.mark.parametrize("head,signature,organs", [
    ("财政部 税务总局关于某事的通知", "财政部　税务总局", ["财政部", "税务总局"]),
    ("国家发展改革委 财政部关于某事的通知", "国家发展改革委　　财政部", ["国家发展改革委", "财政部"]),
    ("国务院办公厅、中央军委办公厅关于某事的通知", "国务院办公厅　中央军委办公厅", ["国务院办公厅", "中央军委办公厅"]),
])
def test_joint_organs_set_apart_by_spaces_or_by_a_comma(head, signature, organs):
    doc = _one(f"{head}\n财税〔2019〕9号\n各省：\n正文。\n{signature}\n2019年3月1日\n")
    assert (doc.issuers, doc.signatories, doc.warnings) == (organs, organs, [])


def test_a_presidential_order_numbered_in_words():
    text = ("中华人民共和国主席令\n第二十四号\n《中华人民共和国某某法》已由中华人民共和国第十三届全国人民代表大会常务委员会"
            "第七次会议于2018年12月29日通过，现予公布，自2019年1月1日起施行。\n中华人民共和国主席　习近平\n2018年12月29日\n"
            "中华人民共和国某某法\n第一条　为了规范，制定本法。\n")
    doc = _one(text)
    assert (doc.doc_number, doc.issuers, doc.title, doc.level) == ("中华人民共和国主席令第24号", ["中华人民共和国主席"],
                                                                    "中华人民共和国某某法", None)


def test_impossible_effect_date_is_a_warning_and_no_date():
    doc = _one("国务院关于某事的通知\n国发〔2019〕5号\n各省：\n本通知自2019年2月29日起施行，有效期至2021年4月31日。\n"
               "国务院\n2019年2月1日\n")
    assert doc.date == "2019-02-01"
    assert [(s.kind, s.date) for s in doc.effect] == [("effective", None), ("expires", None)]
    assert (doc.effective_date, doc.expires) == (None, None)
    assert [(w.code, w.message) for w in doc.warnings] == [
        ("effect.impossible-date", "the printed date 2019年2月29日 in «自2019年2月29日起施行» does not exist"),
        ("effect.impossible-date", "the printed date 2021年4月31日 in «有效期至2021年4月31日» does not exist"),
    ]


def test_a_possible_effect_date_gives_no_warning():
    doc = _one("国务院关于某事的通知\n国发〔2020〕5号\n各省：\n本通知自2020年2月29日起施行。\n国务院\n2020年2月1日\n")
    assert (doc.effective_date, doc.warnings) == ("2020-02-29", [])
