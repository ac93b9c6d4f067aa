"""The two real issues: every document, repair, appointment and chronicle entry."""

from __future__ import annotations

import json

import pytest

from govdocs import parse_file
from govdocs.parse.lines import split_lines, squash
from tests.conftest import ISSUE_2017, ISSUE_2019, doc_by_number
from tests.golden import GOLDEN_SOURCES, digest, golden_path
from tests.noloss import assert_nothing_lost

RECIPIENTS = "各市、自治州人民政府，省政府各委、办、厅、局"

EXPECTED_2019 = [
    (["青政〔2019〕45号"], "青海省人民政府", "通知", "2019-07-05",
     "青海省人民政府关于修订青海省主体功能区规划自然保护区管制原则的通知"),
    (["青政〔2019〕46号"], "青海省人民政府", "通告", "2019-07-09",
     "青海省人民政府关于在第十八届环青海湖国际公路自行车赛期间加强对“低慢小”航空器管理的通告"),
    (["青政〔2019〕47号"], "青海省人民政府", "通知", "2019-07-08",
     "青海省人民政府关于成立青海理工类本科大学筹建工作领导小组的通知"),
    (["青政办〔2019〕68号"], "青海省人民政府办公厅", "通知", "2019-07-01",
     "青海省人民政府办公厅关于印发青海省深化“互联网+政务服务”推进“一网通办、一事通办”改革实施方案的通知"),
    (["青政办〔2019〕78号"], "青海省人民政府办公厅", "通知", "2019-07-08",
     "青海省人民政府办公厅关于转发省国资委以管资本为主推进职能转变实施方案的通知"),
    (["青政办〔2019〕79号"], "青海省人民政府办公厅", "通知", "2019-06-28",
     "青海省人民政府办公厅关于印发青海省深化收费公路制度改革取消高速公路省界收费站实施方案的通知"),
    (["青政办〔2019〕82号"], "青海省人民政府办公厅", "通知", "2019-07-05",
     "青海省人民政府办公厅关于青海省聚焦企业关切进一步推动优化营商环境政策落实的通知"),
    (["青政人〔2019〕9号", "青政人〔2019〕10号"], "青海省人民政府", "通知", "2019-07-05", "青海省人民政府职务任免通知"),
]
EXPECTED_2017 = [
    (["青政〔2017〕12号"], "青海省人民政府", "意见", "2017-01-24", "青海省人民政府关于积极推进“互联网+”行动的实施意见"),
    (["青政办〔2017〕10号"], "青海省人民政府办公厅", "意见", "2017-02-08",
     "青海省人民政府办公厅关于优化全省财政支出结构的实施意见"),
    (["青政办〔2017〕11号"], "青海省人民政府办公厅", "通知", "2017-01-06",
     "青海省人民政府办公厅关于印发青海省“十三五”通用航空业发展规划的通知"),
    (["青政办〔2017〕13号"], "青海省人民政府办公厅", "通知", "2017-01-26",
     "青海省人民政府办公厅关于做好2017年民生十件实事工作及任务分工的通知"),
    (["青政办〔2017〕15号"], "青海省人民政府办公厅", "通知", "2017-02-07",
     "青海省人民政府办公厅关于印发青海省危险化学品安全综合治理实施方案的通知"),
    (["青政人〔2017〕7号"], "青海省人民政府", "通知", "2017-02-09", "青海省人民政府关于张蓝青等同志免职的通知"),
]


@pytest.mark.parametrize("fixture,expected", [("issue2019", EXPECTED_2019), ("issue2017", EXPECTED_2017)])
def test_every_document_with_its_metadata(request, fixture, expected):
    result = request.getfixturevalue(fixture)
    got = [(d.doc_numbers, d.issuer, d.doc_type, d.date, d.title) for d in result.documents]
    assert got == expected
    for d in result.documents:
        # kept as printed: 青政办〔2017〕15号 uses a half-width comma
        assert d.recipients.replace(",", "，") == RECIPIENTS
        assert d.signatories == [d.issuer]
        assert d.doc_number == d.doc_numbers[0]


def test_masthead_and_toc(issue2019):
    issue = issue2019.issue
    assert (issue.gazette, issue.year, issue.number, issue.total_number) == ("青海政报", 2019, 12, 456)
    assert [(t.rubric, t.page) for t in issue.toc] == [
        ("省政府文件", 3), ("省政府文件", 3), ("省政府文件", 4), ("省政府办公厅文件", 5), ("省政府办公厅文件", 27),
        ("省政府办公厅文件", 33), ("省政府办公厅文件", 37), ("人事任免", 42), ("大事记", 43)]
    # every TOC entry is matched: 8 documents in print order, then the chronicle
    ids = [d.id for d in issue2019.documents]
    assert [t.document_id for t in issue.toc[:8]] == ids
    assert issue.toc[8].target == "chronicle" and issue.toc[8].document_id == issue2019.chronicle.id
    # a title wrapped over two TOC lines is joined
    assert issue.toc[1].title == EXPECTED_2019[1][4]
    assert not [w for w in issue2019.warnings if w.code.startswith("toc.")]


def test_no_masthead_infers_year(issue2017):
    assert issue2017.issue.year == 2017 and issue2017.issue.year_source == "documents"
    assert issue2017.issue.number is None and issue2017.issue.toc == []


def test_tail_after_jump_marker_returns_to_its_document(issue2019):
    doc47 = doc_by_number(issue2019, "青政〔2019〕47号")
    assert [(f.line_start, f.line_end) for f in doc47.fragments] == [(114, 149), (170, 180)]
    assert "研究决策工作中的重大事项,协调解决筹建工作中的重大问题" in doc47.body
    assert "上转" not in doc47.body
    assert doc47.date == "2019-07-08"
    doc68 = doc_by_number(issue2019, "青政办〔2019〕68号")
    assert [(f.line_start, f.line_end) for f in doc68.fragments] == [(151, 168), (182, 411)]
    assert "按照以人为本、高效快捷，整合共享、统一标准" in doc68.attachment.body
    assert "领导小组" not in doc68.attachment.body


def test_personnel_notice_printed_inside_another_is_separated(issue2019):
    doc82 = doc_by_number(issue2019, "青政办〔2019〕82号")
    assert [(f.line_start, f.line_end) for f in doc82.fragments] == [(678, 744), (782, 792)]
    assert "把责任落实到具体部门和工作人员。" in doc82.body
    assert doc82.date == "2019-07-05" and doc82.body.endswith("本通知自发布之日起施行。")
    notice = doc_by_number(issue2019, "青政人〔2019〕9号")
    assert [(f.line_start, f.line_end) for f in notice.fragments] == [(746, 778)]
    assert "具体部门" not in notice.body


def test_removal_notice_inside_annex_text_rejoins_split_word(issue2017):
    doc15 = doc_by_number(issue2017, "青政办〔2017〕15号")
    assert [(f.line_start, f.line_end) for f in doc15.fragments] == [(910, 1050), (1074, 1084)]
    assert "推动各地区加快人才培养" in doc15.attachment.body
    removal = doc_by_number(issue2017, "青政人〔2017〕7号")
    assert [(f.line_start, f.line_end) for f in removal.fragments] == [(1052, 1072)]
    assert [r.code for r in issue2017.repairs] == ["layout.interleaved"]


def test_appointments(issue2019, issue2017):
    got = [(a.action, a.person, a.position, a.reason)
           for r in (issue2019, issue2017) for d in r.documents for a in d.appointments]
    assert len(got) == 13
    assert got[:9] == [
        ("concurrent", "李晓南", "祁连山国家公园青海省管理局局长", None),
        ("appoint", "谢宏敏", "青海省人民政府副秘书长", None),
        ("concurrent", "石建平", "青海省引黄济宁工程建设管理局（筹）局长", None),
        ("appoint", "刘青", "青海广播电视大学副校长", None),
        ("remove", "王予波", "青海省行政学院院长", None),
        ("remove", "杨自沿", "青海广播电视大学校长", None),
        ("retire", "刘敏", "青海省公安厅巡视员", "因任职年龄到限"),
        ("retire", "张艳山", "青海省人力资源和社会保障厅巡视员", "因任职年龄到限"),
        ("retire", "张艳", "青海省科学技术厅副巡视员", "因任职年龄到限"),
    ]
    assert got[9] == ("remove", "张蓝青", "青海省环境保护厅巡视员、副厅长", None)


def test_leading_group_members(issue2019):
    doc47 = doc_by_number(issue2019, "青政〔2019〕47号")
    members = [(m.role, m.person, m.position) for m in doc47.members]
    assert members[:3] == [("组长", "刘宁", "省长"), ("副组长", "张西明", "省委常委、省委宣传部部长"),
                           ("副组长", "刘涛", "副省长")]
    assert members[-1] == ("成员", "董林", "省教育厅副厅长") and len(members) == 15
    doc79 = doc_by_number(issue2019, "青政办〔2019〕79号")
    members = [(m.role, m.person, m.position) for m in doc79.members]
    assert members[0] == ("组长", "匡湧", "省政府副省长")
    assert ("成员", "王永祥", "省交通运输厅副厅长") in members and len(members) == 15


def test_chronicle(issue2019, issue2017):
    c19, c17 = issue2019.chronicle, issue2017.chronicle
    assert (len(c19.entries), len(c17.entries)) == (88, 78)
    assert (c19.year, c19.month) == (2019, 6)
    assert all(e.date.startswith("2019-06-") for e in c19.entries)
    spans = {(e.date, e.date_end) for e in c19.entries if e.date_end}
    assert ("2019-06-11", "2019-06-12") in spans
    joined = next(e for e in c19.entries if e.text.startswith("省政府召开青海省旅游业发展"))
    assert joined.text.startswith("省政府召开青海省旅游业发展规划座谈会。")
    # the 2017 heading says 2016年10月 over January entries: corrected and warned
    assert (c17.year, c17.month, c17.heading_year, c17.heading_month) == (2017, 1, 2016, 10)
    assert c17.entries[0].date == "2017-01-04" and c17.entries[0].date_end == "2017-01-05"
    assert all(e.date.startswith("2017-01-") for e in c17.entries)
    assert any(w.code == "chronicle.heading" and w.line == 1086 for w in issue2017.warnings)


def test_carried_texts_and_annexes(issue2019, issue2017):
    doc78 = doc_by_number(issue2019, "青政办〔2019〕78号")
    assert (doc78.attachment.verb, doc78.attachment.title, doc78.attachment.author) == (
        "转发", "省国资委以管资本为主推进职能转变实施方案", "省国资委")
    doc68 = doc_by_number(issue2019, "青政办〔2019〕68号")
    assert [(a.number, a.title) for a in doc68.annexes] == [(1, t) for t in doc68.annex_list[:1]] + [
        (2, "政务服务平台相关标准目录表"), (3, "青海省政务服务“一网通办”业务框架图"),
        (4, "青海省政务服务“一事通办”业务流程图")]
    table = doc68.annexes[0].tables[0]
    assert table.header == ["工作目标", "主要任务", "责任分工", "完成时限"]
    assert table.merged_headers == 9 and all(row != table.header for row in table.rows)
    # a repeated header inside a cell (<p>责任分工</p>) is dropped
    row19 = next(r for r in table.rows if r[0].startswith("19."))
    assert row19[2].startswith("(1) 省政府信息与政务公开办")
    assert len(doc68.annexes[1].tables[0].rows) == 47  # 39 standards + 8 group rows
    doc11 = doc_by_number(issue2017, "青政办〔2017〕11号")
    assert [(a.label, a.title) for a in doc11.annexes] == [
        ("附件1", "青海省通用机场布局规划表"), ("附件2", "青海省“十三五”通用机场项目规划表"),
        ("附件4", "青海省通用航空产业布局规划图(2016年-2030年)")]
    assert doc11.annexes[0].tables[0].header[1] == "运输机场 (投运/在建/近期规划) · 名称"


def test_sections(issue2019):
    doc68 = doc_by_number(issue2019, "青政办〔2019〕68号")
    paths = []

    def walk(sections):
        for s in sections:
            paths.append((s.path, s.heading))
            walk(s.children)

    walk(doc68.attachment.sections)
    assert ("三/（二）/10", "规范审批服务标准化") in paths
    assert ("四/（五）", "做好运维保障") in paths


@pytest.mark.parametrize("path", [ISSUE_2019, ISSUE_2017])
def test_nothing_is_lost(path):
    """Every non-blank source line lies in exactly one place, and its text reaches a field."""
    result = parse_file(path)
    owners = [("front", s) for s in result.issue.front_matter]
    owners += [(d.id, f) for d in result.documents for f in d.fragments]
    owners += [("chronicle", result.chronicle)] if result.chronicle else []
    for line in split_lines(path.read_text(encoding="utf-8")):
        holders = [who for who, s in owners if s.start <= line.start and line.end <= s.end]
        assert len(holders) == 1, (line.no, holders)
    assert not result.leftovers and result.coverage.placed == result.coverage.lines
    assert_nothing_lost(path.read_text(encoding="utf-8"), result)


@pytest.mark.parametrize("path", [ISSUE_2019, ISSUE_2017])
def test_spans_point_at_the_printed_text(path):
    result = parse_file(path)
    source = path.read_text(encoding="utf-8")
    for d in result.documents:
        number = d.span("doc_number")
        assert squash(source[number.start:number.end]) == d.doc_number
        title = d.span("title")
        assert squash(source[title.start:title.end]) == d.title
        date = d.span("date")
        assert source[date.start:date.end].replace(" ", "") == f"{int(d.date[:4])}年{int(d.date[5:7])}月{int(d.date[8:])}日"
        for a in d.appointments:
            assert source[a.start:a.end] == a.text and a.person in a.text and a.position in a.text
        for m in d.members:
            assert m.person[0] in source[m.start:m.end]
    for e in result.chronicle.entries:
        assert source[e.start:e.end].startswith("●")
    for t in result.issue.toc:
        assert squash(source[t.start:t.end]).startswith("-") or t.title[:4] in source[t.start:t.end]


@pytest.mark.parametrize("path", GOLDEN_SOURCES, ids=lambda p: p.stem)
def test_golden(path):
    result = parse_file(path)
    result.source.path = path.name
    expected = json.loads(golden_path(path).read_text(encoding="utf-8"))
    assert json.loads(json.dumps(digest(result), ensure_ascii=False)) == expected


def test_ids_are_stable_and_unique():
    a, b = parse_file(ISSUE_2019), parse_file(ISSUE_2019)
    assert [d.id for d in a.documents] == [d.id for d in b.documents]
    assert len({d.id for d in a.documents}) == len(a.documents)


def test_round_trip(issue2019):
    from govdocs.model import ParsedIssue

    data = issue2019.to_dict()
    assert ParsedIssue.from_dict(data).to_dict() == data
