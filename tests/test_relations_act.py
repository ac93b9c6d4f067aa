"""Status an editor can trust: a relation needs a relation word that acts, a cited issuer is an
organ (never 你局), and every finding of the editors' check says what to do.

The collection-wide tests read every reference of the two corpus issues and of the 30 State
Council documents in tests/data/govcn/.
"""

from __future__ import annotations

import json

import pytest
import regex
from typer.testing import CliRunner

from govdocs import parse_file
from govdocs.cli import app
from govdocs.parse.citations import CitationContext, addressed_organ, find_references, printed_organs
from govdocs.parse.lines import split_lines
from govdocs.parse.paragraphs import paragraphs
from govdocs.relations.catalog import Catalog
from govdocs.relations.check import check
from govdocs.relations.resolve import resolve
from tests.conftest import CORPUS, FIXTURES, ISSUE_2017, ISSUE_2019

GOVCN = CORPUS.parent / "tests" / "data" / "govcn"
SOURCES = sorted(CORPUS.glob("*.txt")) + sorted(GOVCN.glob("*.txt"))
runner = CliRunner()


@pytest.fixture(scope="module")
def collections():
    """(path, parsed) of every file of both collections."""
    return [(path, parse_file(path)) for path in SOURCES]


def all_references(collections):
    """(file name, citing 文号, reference) of every reference, chronicle entries included."""
    for path, parsed in collections:
        for d in parsed.documents:
            for r in d.references:
                yield path.name, d.doc_number, r
        if parsed.chronicle is not None:
            for e in parsed.chronicle.entries:
                for r in e.references:
                    yield path.name, None, r


def refs(text: str, place: str | None = "青海", carried: str | None = None, recipients: str | None = None):
    return find_references(paragraphs(split_lines(text)), CitationContext(place, carried, recipients=recipients))


# --- 1. relations only with a relation word that acts ---------------------------------------

CITED = "《青海省测试办法》（青政〔2015〕7号）"


@pytest.mark.parametrize("text", [
    # a revision asked for, or its suggestions
    f"请于6月底前将对{CITED}的修订建议报送省司法厅。",
    f"请对{CITED}提出修订意见。",
    f"{CITED}修订稿已印送各地。",
    f"做好{CITED}的修订工作。",
    f"修订完善{CITED}，综合运用组织处理。",
    f"各地区要抓紧修订{CITED}。",
    f"抓紧对{CITED}进行修订。",
    f"适时修订{CITED}。",
    f"研究修订{CITED}，提高针对性。",
    f"加快推进修订{CITED}。",
    f"省司法厅负责修订{CITED}。",
    # another body revising it, or having revised it
    f"有关部门正在修订{CITED}。",
    f"国家发展改革委正在会同有关部门修订{CITED}。",
    f"有关部门正在对{CITED}进行修订。",
    f"由省发展改革委会同有关部门修订{CITED}。",
    f"2016年，国务院修订了{CITED}。",
    # repeals planned, suggested or reported
    f"拟废止{CITED}。",
    f"建议废止{CITED}。",
    f"适时废止{CITED}。",
    f"{CITED}已废止。",
])
def test_a_change_not_made_by_the_citing_text_is_a_mention(text):
    (ref,) = refs(text)
    assert (ref.doc_number, ref.relation) == ("青政〔2015〕7号", "mentions")


@pytest.mark.parametrize("text, relation", [
    (f"经研究，决定对{CITED}部分内容进行修订，现将相关修订内容印发给你们。", "amends"),
    (f"省政府研究决定对{CITED}进行修订。", "amends"),  # 研究决定 decides
    (f"决定对{CITED}作相应修改。", "amends"),  # 相应 is no 应 (ought to)
    (f"现将{CITED}第三条修订为：", "amends"),
    (f"决定修改{CITED}第三条。", "amends"),
    (f"同时，{CITED}予以废止。", "repeals"),
    (f"自本通知印发之日起，{CITED}停止执行。", "repeals"),
    (f"省政府研究决定废止{CITED}。", "repeals"),
])
def test_a_change_the_citing_text_makes_keeps_its_relation(text, relation):
    (ref,) = refs(text)
    assert ref.relation == relation


def test_a_notice_issuing_the_revised_text_it_carries_issues_it():
    sentence = "《国务院工作规则》已经2004年6月16日召开的国务院第54次常务会议修订通过，现予印发。"
    (ref,) = refs(sentence, carried="国务院工作规则")
    assert (ref.relation, ref.resolution) == ("issues", "self")


def test_the_state_council_work_rules_are_issued_not_amended(collections):
    parsed = dict(collections)[GOVCN / "47_国发_2004_18号.txt"]
    (doc,) = parsed.documents
    (ref,) = [r for r in doc.references if r.title == "国务院工作规则"]
    assert ref.sentence == "《国务院工作规则》已经2004年6月16日召开的国务院第54次常务会议修订通过，现予印发。"
    assert (ref.relation, ref.resolution, ref.target_id) == ("issues", "self", doc.id)


#: every amendment and repeal of both collections: (file, citing 文号, cited, relation, sentence)
CHANGES_IN_THE_COLLECTIONS = [
    ("000_2d9c3dd783fd086b.txt", "青政〔2019〕45号", "青政〔2014〕22号", "amends",
     "为深入落实中央环保督察整改要求，进一步强化自然保护区管理，根据《中华人民共和国自然保护区条例》和《全国主体功能区规划》"
     "有关规定，经研究，决定对《青海省人民政府关于印发青海省主体功能区规划的通知》（青政〔2014〕22号）部分内容进行修订，"
     "现将相关修订内容印发给你们，请遵照执行。"),
    ("000_2d9c3dd783fd086b.txt", "青政〔2019〕45号", "《青海省主体功能区规划》", "amends",
     "将《青海省主体功能区规划》第四章第四条第二款“管制原则”中的第1条“自然保护区”部分修订为：“1. 自然保护区。"),
    ("000_2d9c3dd783fd086b.txt", "青政〔2019〕45号", "青政〔2018〕49号", "repeals",
     "同时，《青海省人民政府关于修订青海省主体功能区规划部分内容的通知》（青政〔2018〕49号）予以废止。"),
    ("37_国办发_2018_117号.txt", "国办发〔2018〕117号", "国办发〔2016〕82号", "repeals",
     "自本通知印发之日起，《国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知》（国办发〔2016〕82号）停止执行。"),
]


def test_every_amendment_and_repeal_of_both_collections(collections):
    found = [(name, citing, r.doc_number or f"《{r.title}》", r.relation, r.sentence)
             for name, citing, r in all_references(collections) if r.relation in ("amends", "repeals")]
    assert found == CHANGES_IN_THE_COLLECTIONS


# --- 2. cited issuers are organs, never pronouns ---------------------------------------------

PRONOUN = regex.compile(r"^[你我该本]\p{Han}")


@pytest.mark.parametrize("pronoun, recipients, organ", [
    ("你局", "民航总局", "民航总局"),
    ("你部", "教育部", "教育部"),
    ("贵委", "国家发展和改革委员会", "国家发展和改革委员会"),
    ("你省", "辽宁省人民政府", "辽宁省人民政府"),
    ("你局", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构", None),  # not one organ
    ("你局", None, None),
    ("我省", "教育部", None),  # the writer's own, not the addressee: left empty
    ("该局", "民航总局", None),
])
def test_a_pronoun_is_the_organ_addressed_or_nothing(pronoun, recipients, organ):
    assert addressed_organ(pronoun, recipients) == organ


def test_a_reply_cites_the_request_of_the_organ_it_answers():
    text = "你局《关于报送2008年北京奥运会首都国际机场协调委员会组建方案的请示》（民航总局〔2006〕80号）收悉。"
    (ref,) = refs(text, place=None, recipients="民航总局")
    assert (ref.doc_number, ref.issuer) == ("民航总局〔2006〕80号", "民航总局")
    (unknown,) = refs(text, place=None)  # the addressee unknown: no issuer rather than 你局
    assert unknown.issuer is None
    (ref,) = refs("你省《关于设立测试区的请示》（辽政〔2018〕5号）收悉。", place=None, recipients="辽宁省人民政府")
    assert (ref.doc_number, ref.issuer) == ("辽政〔2018〕5号", "辽宁省人民政府")


@pytest.mark.parametrize("before, organs", [
    ("按照国务院办公厅", ["国务院办公厅"]),
    ("2016年5月,国务院办公厅印发了", ["国务院办公厅"]),
    ("国务院、中央军委颁发了", ["国务院", "中央军委"]),
    ("省政府转发了", []),  # the forwarding organ is not the author
    ("为深入贯彻", []),
])
def test_the_organs_printed_before_a_citation(before, organs):
    assert printed_organs(before) == organs


def test_no_cited_issuer_is_a_pronoun(collections):
    references = list(all_references(collections))
    assert len(references) > 100
    assert [(name, r.text, r.issuer) for name, _, r in references if r.issuer and PRONOUN.match(r.issuer)] == []


@pytest.mark.parametrize("name, number, organ", [
    ("46_国函_2006_38号.txt", "民航总局〔2006〕80号", "民航总局"),
    ("55_国函_2018_144号.txt", "教职成〔2018〕8号", "教育部"),
])
def test_the_replies_cite_their_addressees_requests(collections, name, number, organ):
    parsed = dict(collections)[GOVCN / name]
    (ref,) = [r for d in parsed.documents for r in d.references if r.doc_number == number]
    assert ref.issuer == organ


# --- 3. the editors' check says what to do -----------------------------------------------------


@pytest.fixture(scope="module")
def corpus_check():
    parsed = [parse_file(p) for p in (ISSUE_2019, ISSUE_2017)]
    return check(parsed, resolve(Catalog.from_parsed(parsed)))


def test_the_number_conflict_says_which_reading_the_source_supports(corpus_check):
    (conflict,) = [f for f in corpus_check if f.code == "citation.number-conflict"]
    assert (conflict.file.split("/")[-1], conflict.line) == (ISSUE_2017.name, 568)
    assert conflict.message == (
        "《关于促进通用航空发展的指导意见》 is cited as 国发〔2016〕38号 here and as 国办发〔2016〕38号 (line 542); "
        "the source supports 国办发〔2016〕38号: the organ printed with both citations is 国务院办公厅, whose "
        "机关代字 is 国办发 (国发 stands for 国务院)")
    assert conflict.action == "correct 国发〔2016〕38号 to 国办发〔2016〕38号 here"


def test_every_finding_says_what_to_do(corpus_check):
    assert corpus_check
    assert all(f.action for f in corpus_check)
    heading = next(f for f in corpus_check if f.code == "chronicle.heading")
    assert heading.action == "correct the chronicle heading's month and year to its entries'"
    gap = next(f for f in corpus_check if f.code == "series.gap")
    assert gap.action.startswith("nothing, unless the issue should print them")
    missing = next(f for f in corpus_check if f.code == "relation.target-missing" and "49号" in f.message)
    assert missing.message == "青政〔2019〕45号 repeals 青政〔2018〕49号, which the corpus does not hold"
    assert missing.action == ("nothing to correct: 青政〔2018〕49号 is repealed either way; add the issue that "
                              "prints it to show its text beside this change")


def test_a_repealed_citation_says_what_to_cite_instead():
    parsed = [parse_file(p) for p in (ISSUE_2019, ISSUE_2017, *sorted((FIXTURES / "relations").glob("*.txt")))]
    found = check(parsed, resolve(Catalog.from_parsed(parsed)))
    repealed = next(f for f in found if f.code == "citation.repealed")
    assert repealed.action == ("cite what replaces 青政〔2018〕49号 (see 青政〔2019〕45号), or drop the citation "
                               "if it no longer applies")
    title = next(f for f in found if f.code == "citation.title")
    assert title.action == ("correct the cited title to 《青海省人民政府关于印发青海省主体功能区规划的通知》, "
                            "unless the original prints it so")


def test_check_prints_the_action_and_json_carries_it():
    res = runner.invoke(app, ["check", str(CORPUS), "-f", "json"])
    assert res.exit_code == 0, res.output
    findings = json.loads(res.stdout)["findings"]
    conflict = next(f for f in findings if f["code"] == "citation.number-conflict")
    assert conflict["action"] == "correct 国发〔2016〕38号 to 国办发〔2016〕38号 here"
    table = runner.invoke(app, ["check", str(CORPUS)], env={"COLUMNS": "300"})
    assert "→ correct 国发〔2016〕38号 to 国办发〔2016〕38号 here" in table.stdout


@pytest.mark.slow  # builds an index
def test_refs_says_repealed_by_not_repeals_by(tmp_path):
    from govdocs.index.indexer import update_index

    index = tmp_path / "index"
    update_index([ISSUE_2019], [CORPUS], index, jobs=1)
    table = runner.invoke(app, ["refs", "青政〔2018〕49号", "--index", str(index)], env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.output
    assert "repealed by 青政〔2019〕45号 on 2019-07-05" in table.stdout  # its status
    assert "repealed by 废止 青政〔2019〕45号" in table.stdout  # the citing document, under "cited by"
    assert "repeals by" not in table.stdout


@pytest.mark.parametrize("relation, date, wording", [
    ("repeals", "2019-07-05", "repealed by 青政〔2019〕45号 on 2019-07-05"),
    ("amends", "2019-07-05", "amended by 青政〔2019〕45号 on 2019-07-05"),
    ("effective", "2019-08-01", "in effect from 2019-08-01 (its own text)"),
    ("expires", "2024-07-31", "valid until 2024-07-31 (its own text)"),
])
def test_status_evidence_is_worded_from_the_cited_side(relation, date, wording):
    from govdocs.relations.status import Evidence
    from govdocs.views import _evidence

    ev = Evidence(relation, "d1", "青政〔2019〕45号", "t", date, None, None, 1, "s")
    assert _evidence(ev) == wording
