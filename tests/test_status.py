"""Effect dates, validity periods, 效力级别 and status as of a day — each claim with its
evidence — on both collections and on small fixtures of the common printed forms."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from govdocs import parse_file, parse_text
from govdocs.cli import app
from govdocs.relations.catalog import Catalog, entries_of
from govdocs.relations.status import status_of
from tests.conftest import CORPUS
from tests.test_govcn import GOVCN

runner = CliRunner()
SOURCES = sorted(CORPUS.glob("*.txt")) + sorted(GOVCN.glob("*.txt"))

#: every document of both collections that states its effect, found by grep (起施行, 起实施,
#: 起执行, 起生效, 有效期) and read: (effective date, how it was stated, the words)
EFFECT = {
    "青政办〔2019〕79号": ("2019-06-28", "on_issue", "自印发之日起施行"),  # 此方案自印发之日起施行。
    "青政办〔2019〕82号": ("2019-07-05", "on_issue", "自发布之日起施行"),  # 本通知自发布之日起施行。
    "国令第707号": ("2019-01-01", "printed", "自2019年1月1日起施行"),     # and 第三十六条, the same day
    "国办函〔2005〕57号": ("2005-06-11", "on_issue", "自印发之日起实施"),  # 7.3 本预案自印发之日起实施。
}

#: 效力级别 of every document, by the rule of parse/level.py, read by eye
LEVEL = {
    "青政〔2019〕45号": "规范性文件", "青政〔2019〕46号": "规范性文件", "青政〔2019〕47号": "工作文件",
    "青政办〔2019〕68号": "规范性文件", "青政办〔2019〕78号": "规范性文件", "青政办〔2019〕79号": "规范性文件",
    "青政办〔2019〕82号": "规范性文件", "青政人〔2019〕9号": "工作文件", "青政〔2017〕12号": "规范性文件",
    "青政办〔2017〕10号": "规范性文件", "青政办〔2017〕11号": "规范性文件", "青政办〔2017〕13号": "规范性文件",
    "青政办〔2017〕15号": "规范性文件", "青政人〔2017〕7号": "工作文件", "国发〔2019〕5号": "规范性文件",
    "国发〔2019〕4号": "规范性文件", "国发〔2019〕3号": "规范性文件", "国办发〔2018〕128号": "规范性文件",
    "国办发〔2018〕129号": "规范性文件", "国发〔2018〕44号": "规范性文件", "国办发〔2018〕118号": "规范性文件",
    "国发〔2018〕42号": "规范性文件", "国办发〔2018〕123号": "规范性文件",
    "国办发〔1996〕25号": "规范性文件",  # to 22 provincial governments and five military regions
    "国办函〔2004〕57号": "工作文件", "国办函〔2004〕80号": "工作文件", "国办函〔2005〕21号": "工作文件",
    "国办函〔2006〕71号": "工作文件", "国办函〔2006〕69号": "工作文件", "国办函〔2004〕88号": "工作文件",
    "国令第707号": "行政法规", "国办发〔2018〕115号": "规范性文件", "国办发〔2018〕117号": "规范性文件",
    "国发〔2018〕39号": "规范性文件", "国办函〔2005〕57号": "工作文件",  # a 函, though it issues a plan
    "国办函〔1996〕14号": "工作文件", "国函〔2006〕38号": "工作文件", "国发〔2004〕18号": "规范性文件",
    "国办发〔2004〕7号": "工作文件", "国办发〔1997〕2号": "规范性文件", "国函〔2018〕145号": "工作文件",
    "国函〔2018〕144号": "工作文件", "国发〔2018〕38号": "规范性文件",
    "国办函〔2018〕74号": "工作文件",  # adjusts a committee's members
}


@pytest.fixture(scope="module")
def collections():
    parsed = [parse_file(p) for p in SOURCES]
    docs = {d.doc_number: d for p in parsed for d in p.documents}
    catalog = Catalog([e for p, path in zip(parsed, SOURCES, strict=True) for e in entries_of(p, str(path))])
    return docs, catalog


def test_effect_statements_of_both_collections(collections):
    docs, _ = collections
    stated = {n: d for n, d in docs.items() if d.effect}
    assert set(stated) == set(EFFECT)
    for number, (date, basis, words) in EFFECT.items():
        doc = stated[number]
        assert (doc.effective_date, doc.effect[-1].basis, doc.effect[-1].text) == (date, basis, words)
        assert doc.expires is None
    source = (GOVCN / "33_国令第707号.txt").read_text(encoding="utf-8")
    last = docs["国令第707号"].effect[-1]
    assert source[last.start:last.end] == "自2019年1月1日起施行"
    assert last.sentence == "第三十六条\u3000本条例自2019年1月1日起施行。"


def test_levels_of_both_collections(collections):
    docs, _ = collections
    assert {n: d.level for n, d in docs.items()} == LEVEL


@pytest.mark.parametrize("day", ["2019-01-01", "2024-01-01"])
def test_status_of_every_document_on_two_days(collections, day):
    """Dated after the day → not yet effective (its date the evidence); an effect date on or
    before it → effective (its sentence); else no change known, with no evidence at all."""
    docs, catalog = collections
    for number, doc in docs.items():
        entry = catalog.lookup(number)[0]
        status = status_of(catalog, entry, as_of=day)
        if doc.effective_date and doc.effective_date <= day:
            assert status.status == "effective", number
            assert status.evidence[0].sentence.endswith(("施行。", "实施。")) and status.evidence[0].line
        elif (doc.effective_date or doc.date) > day:
            assert status.status == "not_yet_effective", number
            assert status.evidence and status.evidence[0].date == (doc.effective_date or doc.date)
        else:
            assert (status.status, status.evidence) == ("no_change_known", []), number
    if day == "2019-01-01":  # 国令第707号 takes effect that very day
        assert status_of(catalog, catalog.lookup("国令第707号")[0], as_of=day).status == "effective"
        assert status_of(catalog, catalog.lookup("国令第707号")[0], as_of="2018-12-31").status == "not_yet_effective"


FORMS = [
    ("本办法自2019年8月1日起施行，有效期5年。", "2019-08-01", "2024-07-31"),
    ("本意见自印发之日起施行，有效期至2022年12月31日。", "2019-03-01", "2022-12-31"),
    ("本规定自公布之日起施行。", "2019-03-01", None),
    ("本通知自2019年4月1日起实施，有效期为三年。", "2019-04-01", "2022-03-31"),
    ("本办法自二〇一九年五月一日起施行，有效期限2年。", "2019-05-01", "2021-04-30"),
    ("本实施细则有效期5年。", None, "2024-02-29"),  # counted from the document's date (2024 a leap year)
]


@pytest.mark.parametrize("sentence,effective,expires", FORMS)
def test_printed_forms_of_effect_and_validity(sentence, effective, expires):
    text = (f"青海省人民政府关于某事的通知\n青政〔2019〕9号\n各市、自治州人民政府：\n为了规范管理。\n{sentence}\n"
            "青海省人民政府\n2019年3月1日\n")
    doc = parse_text(text).documents[0]
    assert (doc.effective_date, doc.expires) == (effective, expires)
    assert all(s.sentence == sentence and text[s.start:s.end] == s.text for s in doc.effect)


@pytest.mark.parametrize("sentence", [
    "第二条 认定证书有效期为三年。",  # a certificate's validity, not the text's
    "《青海省安全生产条例》自2019年10月1日起施行。",  # another text's effect
    "对许可证有效期至2020年12月31日的，予以延续。",
])
def test_statements_about_other_things_are_not_the_texts_own(sentence):
    text = (f"青海省人民政府关于某事的通知\n青政〔2019〕9号\n各市、自治州人民政府：\n{sentence}\n"
            "青海省人民政府\n2019年3月1日\n")
    doc = parse_text(text).documents[0]
    assert (doc.effective_date, doc.expires, doc.effect) == (None, None, [])


EXPIRING = ("青海省人民政府关于某事的通知\n青政〔2019〕90号\n各市、自治州人民政府：\n本通知自2019年4月1日起施行，"
            "有效期至2022年12月31日。\n青海省人民政府\n2019年3月1日\n")


@pytest.mark.slow  # builds an index
def test_expired_and_level_search_and_export_agree(tmp_path):
    """`search "" --status expired --as-of 2024-01-01` and `--level 规范性文件` count what export writes."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "expiring.txt").write_text(EXPIRING, encoding="utf-8")
    for path in sorted(CORPUS.glob("*.txt")):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    ix = str(tmp_path / "ix")
    assert runner.invoke(app, ["index", str(folder), "--index", ix]).exit_code == 0
    for options in (["--status", "expired", "--as-of", "2024-01-01"], ["--level", "规范性文件"],
                    ["--status", "effective", "--as-of", "2020-01-01"], ["--status", "in_force"]):
        found = runner.invoke(app, ["search", "", *options, "--index", ix, "--format", "json", "--limit", "100"])
        total = json.loads(found.stdout)["total"]
        exported = runner.invoke(app, ["export", "--out", "-", *options, "--index", ix])
        assert exported.exit_code == 0, exported.output
        assert total == len(exported.stdout.splitlines()) > 0, options
    expired = json.loads(runner.invoke(app, ["search", "", "--status", "expired", "--as-of", "2024-01-01",
                                             "--index", ix, "--format", "json"]).stdout)["hits"]
    assert [(h["doc_number"], h["status"]) for h in expired] == [("青政〔2019〕90号", "expired")]
    before = json.loads(runner.invoke(app, ["search", "", "--number", "青政〔2019〕90号", "--as-of", "2019-03-15",
                                            "--index", ix, "--format", "json"]).stdout)["hits"]
    assert before[0]["status"] == "not_yet_effective"


_DAYS = st.sampled_from([None, "", "2016", "2016-12", "2016-12-31", "2017-01-01", "2017-01-02", "2018-05-20"])


@given(st.lists(st.tuples(st.booleans(), _DAYS, _DAYS, _DAYS, _DAYS, _DAYS), max_size=30),
       st.sampled_from(["2017-01-01", "2016-12", "2018"]))
def test_status_codes_give_status_on_for_many_at_once(rows, day):
    """`status_codes` (whole arrays of dates compared with the day) gives each record the
    status `status_on` gives it, None for a record that is not a document."""
    import numpy as np

    from govdocs.relations.on_day import CODED, status_codes, status_on

    def compared(values):
        return np.array([2 if not v else (v > day) - (v < day) for v in values], dtype=np.int8)

    columns = list(zip(*rows, strict=True)) or [(), (), (), (), (), ()]
    codes = status_codes(np.array(columns[0], dtype=bool), *map(compared, columns[1:]))
    assert [CODED[c] for c in codes.tolist()] == [status_on(day, *(d or None for d in row[1:])) if row[0] else None
                                                   for row in rows]
