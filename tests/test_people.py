"""The people register over the bundled corpus: appointments, members lists of leading groups
and chronicle entries, and how --post, --since and --until apply to each kind."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from govdocs.index.people import _check_members_stored, overlaps, register
from govdocs.index.store import IndexProblem
from tests.conftest import ISSUE_2019, ROOT

runner = CliRunner()
ISSUE_2019_LINES = ISSUE_2019.read_text(encoding="utf-8").splitlines()
ISSUE_2019_PATH = ISSUE_2019.relative_to(ROOT).as_posix()


def _source_line(path: str, line: int) -> str:
    assert path.endswith(ISSUE_2019.name), path
    return ISSUE_2019_LINES[line - 1]


def test_post_finds_appointments_and_members_with_their_lines(corpus_index):
    found = register(corpus_index, post="副秘书长")
    assert [(e.person, e.line) for e in found.appointments] == [("谢宏敏", 756)]
    assert [(m.person, m.role, m.position, m.doc_numbers, m.line) for m in found.members] == [
        ("晁海军", "副组长", "省政府副秘书长", ["青政办〔2019〕79号"], 667),  # an annex's list, 2019-06-28
        ("王述友", "成员", "省政府副秘书长", ["青政〔2019〕47号"], 129),  # 2019-07-08
    ]
    for record in (*found.appointments, *found.members):
        line = _source_line(record.path, record.line)
        assert record.person in line.replace(" ", "") and "副秘书长" in line
    wang = next(m for m in found.members if m.person == "王述友")
    assert wang.doc_numbers == ["青政〔2019〕47号"] and "领导小组" in wang.notice and wang.issuer == "青海省人民政府"
    assert wang.date and wang.date.startswith("2019-")


def test_post_json_and_table_list_all_three(corpus_index):
    res = runner.invoke(app, ["people", "--post", "副秘书长", "-f", "json", "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [a["person"] for a in data["appointments"]] == ["谢宏敏"]
    members = {m["person"]: m for m in data["members"]}
    assert set(members) == {"王述友", "晁海军"}
    assert (members["王述友"]["line"], members["晁海军"]["line"]) == (129, 667)
    assert all(m["path"].endswith(ISSUE_2019.name) for m in data["members"])
    assert set(members["王述友"]) >= {"role", "person", "position", "doc_numbers", "notice", "date", "issuer",
                                     "path", "line"}
    assert (data["since"], data["until"]) == (None, None)
    res = runner.invoke(app, ["people", "--post", "副秘书长", "--index", str(corpus_index)], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert all(name in res.stdout for name in ("谢宏敏", "王述友", "晁海军"))
    assert "1 appointments, 2 group memberships" in res.stdout and "青政〔2019〕47号" in res.stdout


def test_a_persons_register_lists_their_member_roles(corpus_index):
    found = register(corpus_index, "刘宁")
    assert found.members and all(m.person == "刘宁" for m in found.members)
    leader = next(m for m in found.members if m.doc_numbers == ["青政〔2019〕47号"])
    assert (leader.role, leader.position, leader.line) == ("组长", "省长", 126)
    assert "刘宁" in _source_line(leader.path, leader.line)
    # an exact name: 王述友's register holds his place, nobody else's
    (wang,) = register(corpus_index, "王述友").members
    assert (wang.role, wang.position, wang.line) == ("成员", "省政府副秘书长", 129)
    assert register(corpus_index, "王述").members == []
    res = runner.invoke(app, ["people", "刘宁", "--index", str(corpus_index)], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "组长" in res.stdout and "领导小组成员" in res.stdout


def test_post_applies_to_chronicle_entries_and_members(corpus_index):
    everything = register(corpus_index, "刘宁")
    deputy = register(corpus_index, "刘宁", post="副省长")  # entries whose text holds 副省长, whoever it names
    assert deputy.chronicle == [m for m in everything.chronicle if "副省长" in m.text]
    assert 0 < len(deputy.chronicle) < len(everything.chronicle)
    assert deputy.members == []  # his place in 青政〔2019〕47号 is as 省长
    governor = register(corpus_index, "刘宁", post="省长")
    assert [(m.role, m.position) for m in governor.members] == [("组长", "省长")]
    assert governor.chronicle == [m for m in everything.chronicle if "省长" in m.text]
    narrow = register(corpus_index, "刘宁", post="副秘书长")
    assert (narrow.appointments, narrow.members, narrow.chronicle) == ([], [], [])
    res = runner.invoke(app, ["people", "刘宁", "--post", "副省长", "-f", "json", "--index", str(corpus_index)])
    data = json.loads(res.stdout)
    assert len(data["chronicle"]) == len(deputy.chronicle) and all("副省长" in m["text"] for m in data["chronicle"])


def test_since_and_until_filter_every_kind(corpus_index):
    everything = register(corpus_index, "王予波")
    assert [m.date for m in everything.chronicle][-1] == "2019-06-01"
    in_2019 = register(corpus_index, "王予波", since="2019-01-01", until="2019-12-31")
    assert [e.position for e in in_2019.appointments] == ["青海省行政学院院长"]
    assert [m.date for m in in_2019.chronicle] == ["2019-06-01"]
    before = register(corpus_index, "王予波", until="2018-12-31")
    assert before.appointments == [] and len(before.chronicle) == len(everything.chronicle) - 1
    # members by their notice's date
    members = register(corpus_index, post="副秘书长").members
    dates = sorted({m.date for m in members})
    for since in dates:
        kept = register(corpus_index, post="副秘书长", since=since).members
        assert kept == [m for m in members if m.date >= since]
        kept = register(corpus_index, post="副秘书长", until=since).members
        assert kept == [m for m in members if m.date <= since]
    assert register(corpus_index, post="副秘书长", since="2020-01-01").members == []
    # a chronicle entry covering several days overlaps a range that holds its last day
    spanning = [m for m in register(corpus_index, "王建军").chronicle if m.date_end and m.date_end != m.date]
    assert spanning
    entry = spanning[0]
    kept = register(corpus_index, "王建军", since=entry.date_end, until=entry.date_end).chronicle
    assert entry in kept


def test_since_and_until_on_the_command_line(corpus_index):
    res = runner.invoke(app, ["people", "王予波", "--since", "2019", "-f", "json", "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["since"], data["until"]) == ("2019-01-01", None)
    assert [m["date"] for m in data["chronicle"]] == ["2019-06-01"] and len(data["appointments"]) == 1
    res = runner.invoke(app, ["people", "王予波", "--until", "2018-06", "-f", "json", "--index", str(corpus_index)])
    data = json.loads(res.stdout)
    assert data["until"] == "2018-06-30" and data["appointments"] == [] and data["chronicle"]
    assert all(m["date"] <= "2018-06-30" for m in data["chronicle"])


@pytest.mark.parametrize("option, value", [("--since", "2019-13"), ("--until", "2019-02-30"), ("--since", "yesterday"),
                                           ("--until", "19-06-01")])
def test_invalid_dates_are_usage_errors(corpus_index, option, value):
    res = runner.invoke(app, ["people", "王予波", option, value, "--index", str(corpus_index)])
    assert res.exit_code == 2
    assert value in res.output


def test_overlaps():
    assert overlaps("2019-06-01", None, None, None) and overlaps(None, None, None, None)
    assert not overlaps(None, None, "2019-01-01", None)
    assert overlaps("2019-06-01", None, "2019-06-01", "2019-06-01")
    assert not overlaps("2019-06-01", None, "2019-06-02", None)
    assert overlaps("2019-05-30", "2019-06-02", "2019-06-01", "2019-06-30")
    assert not overlaps("2019-07-01", None, None, "2019-06-30")


def test_an_index_without_members_asks_for_a_rebuild(tmp_path):
    class OldSearcher:
        def document(self, **terms):
            return {"id": "d1", "meta": {"line": 3, "sections": None}}

    with pytest.raises(IndexProblem, match="--rebuild"):
        _check_members_stored(OldSearcher(), tmp_path)

    class NewSearcher:
        def document(self, **terms):
            return {"id": "d1", "meta": {"line": 3, "members": []}}

    _check_members_stored(NewSearcher(), tmp_path)  # no members anywhere is not a problem
