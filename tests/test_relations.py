"""Resolution, status (with --as-of), the editors' check, `refs` and the index's status field.

The corpus's two issues cite nothing the corpus holds, so `tests/fixtures/relations/` adds
three small issues: 青政〔2014〕22号 (amended by 2018's 49号 and 2019's 45号), 青政〔2018〕49号
(repealed by 45号), and a 2020 issue that cites the repealed 49号, cites 22号 under a wrong
title, and prints one number on two documents.
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from govdocs import parse_file
from govdocs.cli import app
from govdocs.relations.catalog import Catalog, Entry
from govdocs.relations.check import check
from govdocs.relations.refs import NotFound, refs
from govdocs.relations.resolve import resolve
from govdocs.relations.status import change_dates, status_of
from tests.conftest import CORPUS, FIXTURES, ISSUE_2017, ISSUE_2019

RELATIONS = FIXTURES / "relations"
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus_only():
    parsed = [parse_file(p) for p in (ISSUE_2019, ISSUE_2017)]
    return parsed, resolve(Catalog.from_parsed(parsed))


@pytest.fixture(scope="module")
def with_fixtures():
    parsed = [parse_file(p) for p in (ISSUE_2019, ISSUE_2017, *sorted(RELATIONS.glob("*.txt")))]
    return parsed, resolve(Catalog.from_parsed(parsed))


def held(catalog, number):
    (entry,) = catalog.lookup(number)
    return entry


def test_a_repealed_number_the_corpus_lacks(corpus_only):
    _, catalog = corpus_only
    assert catalog.lookup("青政〔2018〕49号") == []
    status = status_of(catalog, None, "青政〔2018〕49号")
    assert (status.status, status.in_corpus) == ("repealed", False)
    (ev,) = status.evidence
    assert (ev.relation, ev.by_number, ev.date, ev.gazette, ev.line) == (
        "repeals", "青政〔2019〕45号", "2019-07-05", "青海政报 2019年第12期", 84)
    assert ev.sentence == "同时，《青海省人民政府关于修订青海省主体功能区规划部分内容的通知》（青政〔2018〕49号）予以废止。"


def test_not_in_corpus_and_no_change_known_are_kept_apart(corpus_only):
    _, catalog = corpus_only
    assert status_of(catalog, None, "国发〔2015〕63号").status == "not_in_corpus"
    plain = status_of(catalog, held(catalog, "青政〔2019〕46号"))
    assert (plain.status, plain.evidence) == ("no_change_known", [])  # no claim without a fact
    undated = Entry(id="x", kind="document", doc_numbers=["青政〔2019〕99号"], title="t", issuer=None, date=None,
                    path=None, line=None)
    assert status_of(Catalog([undated]), undated).status == "no_change_known"
    assert change_dates(catalog) == {}  # nothing in the corpus repeals or amends a document it holds


def test_status_as_of_a_day(with_fixtures):
    _, catalog = with_fixtures
    repealed = held(catalog, "青政〔2018〕49号")
    assert status_of(catalog, repealed).status == "repealed"
    assert status_of(catalog, repealed, as_of="2019-07-05").status == "repealed"
    assert status_of(catalog, repealed, as_of="2019-07-04").status == "no_change_known"
    before = status_of(catalog, repealed, as_of="2018-10-14")  # dated 2018-10-15
    assert before.status == "not_yet_effective" and [ev.relation for ev in before.evidence] == ["dated"]
    amended = held(catalog, "青政〔2014〕22号")
    now = status_of(catalog, amended)
    assert now.status == "amended"
    assert [(ev.by_number, ev.date) for ev in now.evidence] == [("青政〔2018〕49号", "2018-10-15"),
                                                               ("青政〔2019〕45号", "2019-07-05")]
    assert [ev.by_number for ev in status_of(catalog, amended, as_of="2019-01-01").evidence] == ["青政〔2018〕49号"]
    assert status_of(catalog, amended, as_of="2015-01-01").status == "no_change_known"


def test_citations_resolve_across_files_and_compare_titles(with_fixtures):
    _, catalog = with_fixtures
    citing = catalog.lookup("青政〔2020〕5号")[0]  # the number is on two documents: the first cites
    by_number = {r.doc_number: r for r in citing.references}
    assert by_number["青政〔2018〕49号"].target_id == held(catalog, "青政〔2018〕49号").id
    assert by_number["青政〔2018〕49号"].target_title is None  # cited with its exact title
    wrong = by_number["青政〔2014〕22号"]
    assert (wrong.resolution, wrong.title, wrong.target_title) == (
        "in_corpus", "青海省人民政府关于印发主体功能区规划的通知", "青海省人民政府关于印发青海省主体功能区规划的通知")
    forty_five = held(catalog, "青政〔2019〕45号")
    plan = next(r for r in forty_five.references if r.form == "title" and r.title == "青海省主体功能区规划")
    assert plan.target_id == held(catalog, "青政〔2014〕22号").id  # the text 22号 issues, named alone
    law = next(r for r in forty_five.references if r.title == "中华人民共和国自然保护区条例")
    assert (law.resolution, law.target_id) == ("not_in_corpus", None)


def test_check_on_the_corpus(corpus_only):
    parsed, catalog = corpus_only
    found = [(f.severity, f.code, f.file.split("/")[-1][:3], f.line, f.message) for f in check(parsed, catalog)]
    assert not [f for f in found if f[0] == "error"]
    assert ("warning", "chronicle.heading", "004", 1086,
            "chronicle heading says 2016年10月 but its 78 entries are dated 1月; dated them 2017-01 from the issue") in found
    gaps = [(f[2], f[4].split(" (")[0]) for f in found if f[1] == "series.gap"]
    assert gaps == [("000", "青政办〔2019〕: 69–77号 not in the corpus"),
                    ("000", "青政办〔2019〕: 80–81号 not in the corpus"),
                    ("004", "青政办〔2017〕: 12号 not in the corpus"), ("004", "青政办〔2017〕: 14号 not in the corpus")]
    assert "held: 68、78、79、82" in next(f[4] for f in found if f[1] == "series.gap")
    conflict = next(f for f in found if f[1] == "citation.number-conflict")
    assert conflict[3] == 568 and "国发〔2016〕38号" in conflict[4] and "国办发〔2016〕38号" in conflict[4]
    missing = [(f[3], f[4].split(", which")[0]) for f in found if f[1] == "relation.target-missing"]
    assert missing == [(78, "青政〔2019〕45号 amends 青政〔2014〕22号"),
                       (80, "青政〔2019〕45号 amends 《青海省主体功能区规划》"),
                       (84, "青政〔2019〕45号 repeals 青政〔2018〕49号")]
    assert ("info", "issue.no-masthead") in [(f[0], f[1]) for f in found]


def test_check_finds_repealed_citations_wrong_titles_and_duplicate_numbers(with_fixtures):
    parsed, catalog = with_fixtures
    found = check(parsed, catalog)
    codes = [(f.severity, f.code, f.line) for f in found if f.file.endswith("2020_issue.txt")]
    assert ("error", "citation.repealed", 8) in codes
    assert ("error", "number.duplicate", 13) in codes
    assert ("warning", "citation.title", 8) in codes
    repealed = next(f for f in found if f.code == "citation.repealed")
    assert repealed.message == ("青政〔2020〕5号 (2020-03-02) cites 青政〔2018〕49号, repealed on 2019-07-05 by "
                                "青政〔2019〕45号")
    assert found[0].severity == "error"  # errors first
    # the repeal and amendment of documents the corpus now holds are no longer "missing"
    assert not [f for f in found if f.code == "relation.target-missing" and "49号" in f.message]


def test_refs_both_ways(with_fixtures):
    _, catalog = with_fixtures
    (r,) = refs(catalog, "青政[2018]49号")
    assert r.status.status == "repealed"
    assert [(c.relation, c.doc_number) for c in r.cited_by] == [("repeals", "青政〔2019〕45号"),
                                                                ("based_on", "青政〔2020〕5号")]
    assert [(x.relation, x.doc_number, x.resolution) for x in r.cites] == [("amends", "青政〔2014〕22号", "in_corpus")]
    with pytest.raises(NotFound):
        refs(catalog, "青政〔2030〕1号")


def test_cli_refs_shows_the_repeal_with_its_sentence(corpus_index):
    res = runner.invoke(app, ["refs", "青政〔2018〕49号", "--index", str(corpus_index), "-f", "json"])
    assert res.exit_code == 0, res.output
    (doc,) = json.loads(res.stdout)["documents"]
    assert (doc["id"], doc["status"]["status"], doc["status"]["in_corpus"]) == (None, "repealed", False)
    (by,) = doc["cited_by"]
    assert (by["relation"], by["doc_number"], by["line"]) == ("repeals", "青政〔2019〕45号", 84)
    assert by["sentence"].endswith("（青政〔2018〕49号）予以废止。")
    table = runner.invoke(app, ["refs", "青政〔2018〕49号", "--index", str(corpus_index)], env={"COLUMNS": "200"})
    assert "repealed" in table.stdout and "青政〔2019〕45号" in table.stdout and "予以废止" in table.stdout
    as_of = runner.invoke(app, ["refs", "青政〔2018〕49号", "--as-of", "2019-07-04", "--index", str(corpus_index),
                                "-f", "json"])
    assert json.loads(as_of.stdout)["documents"][0]["status"]["status"] == "not_in_corpus"
    missing = runner.invoke(app, ["refs", "青政〔2030〕1号", "--index", str(corpus_index)])
    assert missing.exit_code == 1 and "nothing cites it" in missing.output


def test_cli_check_and_strict(tmp_path):
    res = runner.invoke(app, ["check", str(CORPUS), "-f", "json", "--strict"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["counts"]["error"] == 0 and {"chronicle.heading", "series.gap"} <= {f["code"] for f in data["findings"]}
    bad = runner.invoke(app, ["check", str(CORPUS), str(RELATIONS), "--strict"], env={"COLUMNS": "200"})
    assert bad.exit_code == 1 and "citation.repealed" in bad.stdout
    assert runner.invoke(app, ["check", str(CORPUS), str(RELATIONS)]).exit_code == 0


def test_catalog_heads_keep_the_changes_and_an_older_catalog_gains_them(tmp_path):
    """Each file in the catalog has its entries' heads: the entries with only the references
    that change a status. What the indexer reads of the whole catalog after a run — the change
    dates — and the entries without references come out the same from them; a catalog written
    before heads, or with some files' heads missing, is read from the entries where it must
    and gets every file's heads from the next writer."""
    import sqlite3

    from govdocs.index import catalog_store
    from govdocs.index.indexer import update_index
    from govdocs.vocab import CHANGES

    index = tmp_path / "index"
    update_index([ISSUE_2019, *sorted(RELATIONS.glob("*.txt"))], [RELATIONS, ISSUE_2019.parent], index)

    def rows():
        with sqlite3.connect(index / catalog_store.CATALOG_FILE) as db:
            return db.execute(f"SELECT file_key, entries, heads FROM files JOIN {catalog_store.HEADS} USING (file_key) "
                              "ORDER BY file_key").fetchall()

    def bare(catalog):
        return sorted((e.id, e.title, tuple(e.doc_numbers), e.date, e.path) for e in catalog.entries.values())

    written = rows()
    assert len(written) == 4
    for _key, entries, heads in written:
        assert json.loads(heads) == [{**e, "references": [r for r in e["references"] if r["relation"] in CHANGES]}
                                     for e in json.loads(entries)]
    relations = [r["relation"] for _k, entries, _h in written for e in json.loads(entries) for r in e["references"]]
    assert "repeals" in relations and {"mentions", "based_on"} & set(relations)  # the others stay in the entries
    dates = change_dates(catalog_store.load(index))
    assert dates and change_dates(catalog_store.load(index, relations=CHANGES)) == dates
    entries = bare(catalog_store.load(index, with_references=False))
    assert len(entries) > 4 and entries == bare(catalog_store.load(index))

    for older in (f"DELETE FROM {catalog_store.HEADS} WHERE file_key IN (SELECT min(file_key) FROM files)",
                  f"DROP TABLE {catalog_store.HEADS}"):  # some files' heads lost; a catalog before heads
        db = sqlite3.connect(index / catalog_store.CATALOG_FILE)
        with db:
            db.execute(older)
        db.close()
        assert change_dates(catalog_store.load(index, relations=CHANGES)) == dates
        assert bare(catalog_store.load(index, with_references=False)) == entries
    catalog_store.apply(index, [], [])
    assert rows() == written


@pytest.mark.slow  # several index runs
def test_index_restates_status_when_a_repeal_or_its_target_arrives_or_leaves(tmp_path):
    from govdocs.index import catalog_store
    from govdocs.index.indexer import update_index
    from govdocs.index.search import Filters, Searcher

    corpus = tmp_path / "corpus"
    shutil.copytree(RELATIONS, corpus)
    index = tmp_path / "index"

    def status_of_49():
        with Searcher(index) as s:
            (hit,) = s.search("", Filters(number="青政〔2018〕49号")).hits
            return hit.status

    update_index(sorted(corpus.glob("*.txt")), [corpus], index)
    assert status_of_49() == "no_change_known"
    shutil.copy(ISSUE_2019, corpus / ISSUE_2019.name)  # brings 45号, which repeals 49号
    report = update_index(sorted(corpus.glob("*.txt")), [corpus], index)
    assert report.restated == 1 and status_of_49() == "repealed"  # 22号 was amended already (by 49号)
    with Searcher(index) as s:
        assert [h.doc_number for h in s.search("", Filters(status="repealed")).hits] == ["青政〔2018〕49号"]
        assert s.search("", Filters(status="amended"), facets=True).facets["status"] == {"amended": 1}
        citing = s.search("", Filters(cites="青政（2018）49号"), sort="date").hits
        assert [h.doc_number for h in citing] == ["青政〔2020〕5号", "青政〔2019〕45号"]
    (corpus / ISSUE_2019.name).unlink()
    update_index(sorted(corpus.glob("*.txt")), [corpus], index)
    assert status_of_49() == "no_change_known"
    # a run killed between the Whoosh commit and the catalog's is repaired by the next run
    catalog_store.clear(index)
    update_index(sorted(corpus.glob("*.txt")), [corpus], index)
    assert len(catalog_store.stored_keys(index)) == 3


def test_cli_search_cites_and_status(corpus_index):
    res = runner.invoke(app, ["search", "", "--cites", "青政(2018)49号", "--index", str(corpus_index), "-f", "json",
                              "--facets"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [h["doc_number"] for h in data["hits"]] == ["青政〔2019〕45号"]
    assert data["hits"][0]["status"] == "no_change_known" and data["facets"]["status"] == {"no_change_known": 1}
    none = runner.invoke(app, ["search", "规划", "--status", "repealed", "--index", str(corpus_index), "-f", "json"])
    assert json.loads(none.stdout)["total"] == 0  # the corpus holds nothing it repeals
    assert runner.invoke(app, ["search", "规划", "--status", "gone", "--index", str(corpus_index)]).exit_code == 2
    bad = runner.invoke(app, ["search", "", "--cites", "45号", "--index", str(corpus_index)])
    assert bad.exit_code == 1 and "is not a 发文字号" in bad.output
