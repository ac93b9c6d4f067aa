"""Incremental, atomic indexing and the CLI around it."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from govdocs.index.indexer import indexed_files, update_index
from govdocs.index.search import Filters, Searcher
from govdocs.index.store import open_index
from tests.conftest import CORPUS, ISSUE_2019

runner = CliRunner()


@pytest.fixture()
def folder(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus


def numbers(index_dir, number):
    with Searcher(index_dir) as s:
        return [h.doc_number for h in s.search(number, Filters(kind="document"), limit=50).hits]


def renumber(path, old="青政人〔2019〕9号", new="青政人〔2019〕19号"):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow  # several index runs
def test_unchanged_changed_and_removed_files(folder, tmp_path):
    index_dir = tmp_path / "ix"
    files = sorted(folder.glob("*.txt"))
    first = update_index(files, [folder], index_dir)
    assert len(first.added) == 2 and first.records == 193
    again = update_index(files, [folder], index_dir)
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 2)

    renumber(folder / ISSUE_2019.name)
    changed = update_index(files, [folder], index_dir)
    assert len(changed.updated) == 1 and changed.unchanged == 1
    assert numbers(index_dir, "青政人〔2019〕19号") == ["青政人〔2019〕19号,青政人〔2019〕10号"]
    assert numbers(index_dir, "青政人〔2019〕9号") == []  # 9号 is gone and never matched 19号

    (folder / ISSUE_2019.name).unlink()
    removed = update_index(sorted(folder.glob("*.txt")), [folder], index_dir)
    assert len(removed.removed) == 1
    assert list(indexed_files(open_index(index_dir))) == [str((folder / "004_c08b9330cf72774e.txt").resolve())]
    with Searcher(index_dir) as s:
        assert s.search("", limit=1).total == 6 + 4 + 78


def test_the_spool_gives_back_the_rows_it_was_given_and_leaves_no_file(tmp_path):
    """A run's catalog rows wait on disk, in a file without a name in the index's folder."""
    from govdocs.index.catalog_store import Spool

    rows = [("/a/青海\t政报\n.txt\0" + "f" * 64, json.dumps([{"title": "关于…的通知"}], ensure_ascii=False), "[]"),
            ("/b/\\xff.txt\0" + "0" * 64, "[]", "[]"), ("", "", "")]
    spool = Spool(tmp_path)
    for row in rows:
        spool.add(row)
    assert list(tmp_path.iterdir()) == []
    assert list(spool.rows()) == rows and list(spool.rows()) == rows  # read again from the start
    assert spool.keys == [row[0] for row in rows]
    reading = spool.rows()
    next(reading)
    spool.add(("late", "[1]", "[]"))  # added after the rows, however far they were read
    assert list(spool.rows()) == [*rows, ("late", "[1]", "[]")]
    spool.close()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # worker processes
def test_parallel_indexing_gives_the_same_records(folder, tmp_path):
    import sqlite3

    from govdocs.index.catalog_store import CATALOG_FILE

    serial = update_index(sorted(folder.glob("*.txt")), [folder], tmp_path / "a", jobs=1)
    parallel = update_index(sorted(folder.glob("*.txt")), [folder], tmp_path / "b", jobs=2)
    assert serial.records == parallel.records == 193
    catalogs = [sqlite3.connect(tmp_path / run / CATALOG_FILE).execute("SELECT * FROM files ORDER BY file_key").fetchall()
                for run in ("a", "b")]
    assert len(catalogs[0]) == 2 and catalogs[0] == catalogs[1]  # the workers' rows, spooled by the parent
    with Searcher(tmp_path / "a") as a, Searcher(tmp_path / "b") as b:
        for q in ("人民政府", "刘宁", "青政〔2019〕45号"):
            assert {h.id for h in a.search(q, limit=100).hits} == {h.id for h in b.search(q, limit=100).hits}


def _killed_run(files, root, index_dir, jobs):
    """Index, but die like a killed process just before the commit is written."""
    from whoosh.writing import SegmentWriter

    SegmentWriter._commit_toc = lambda self, segments: os._exit(9)
    update_index(files, [root], index_dir, jobs=jobs)


@pytest.mark.slow  # kills an index run
@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupted_run_leaves_the_old_index_and_the_next_run_completes(folder, tmp_path, jobs):
    index_dir = tmp_path / "ix"
    files = sorted(folder.glob("*.txt"))
    update_index(files, [folder], index_dir, jobs=jobs)
    renumber(folder / ISSUE_2019.name)
    for f in files:  # both files change, so the killed run has real work in flight
        f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    child = multiprocessing.get_context("fork").Process(target=_killed_run, args=(files, folder, index_dir, jobs))
    child.start()
    child.join(60)
    assert child.exitcode == 9
    assert numbers(index_dir, "青政人〔2019〕9号") == ["青政人〔2019〕9号,青政人〔2019〕10号"]  # still the old index
    report = update_index(files, [folder], index_dir, jobs=jobs)  # the lock died with the process
    assert len(report.updated) == 2
    assert numbers(index_dir, "青政人〔2019〕19号") == ["青政人〔2019〕19号,青政人〔2019〕10号"]
    assert numbers(index_dir, "青政人〔2019〕9号") == []


def test_the_collector_is_paused_inside_the_block_and_restored_after_it():
    import gc

    from govdocs.index.engine import paused

    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), paused():
        raise KeyError("a failed run")
    assert gc.isenabled()


@pytest.mark.slow  # several index runs
def test_a_missing_dictionary_is_reported_and_rewritten_by_the_next_run(folder, tmp_path):
    from govdocs.index.segmenter import shared_segmenter
    from govdocs.index.store import DICTIONARY_FILE, IndexProblem

    index_dir = tmp_path / "ix"
    files = sorted(folder.glob("*.txt"))
    update_index(files, [folder], index_dir, jobs=2)  # written while the workers index
    (index_dir / DICTIONARY_FILE).unlink()
    with pytest.raises(IndexProblem, match="govdocs index"):
        Searcher(index_dir)
    report = update_index(files, [folder], index_dir, jobs=2)
    assert report.unchanged == 2 and (index_dir / DICTIONARY_FILE).exists()
    assert numbers(index_dir, "青政人〔2019〕9号") == ["青政人〔2019〕9号,青政人〔2019〕10号"]
    text = "青海省人民政府办公厅关于印发危险化学品安全综合治理实施方案"
    with Searcher(index_dir) as s:  # the rewritten dictionary segments queries as the full engine
        words = s.parser.parse(text).tokens[0][1]
    assert words == shared_segmenter().cut(text) and len(words) > 5


@pytest.mark.slow  # builds the bundled index
def test_cli_first_search_builds_the_bundled_index(tmp_path):
    env = {"GOVDOCS_INDEX": str(tmp_path / "fresh")}
    res = runner.invoke(app, ["search", "刘宁", "--kind", "chronicle", "--since", "2019-06-10", "--format", "json",
                              "--show-query"], env=env)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["total"] == 32 and isinstance(data["took_ms"], float)
    assert all(h["kind"] == "chronicle" and h["date"] >= "2019-06-10" for h in data["hits"])
    assert set(data["hits"][0]) >= {"id", "kind", "doc_number", "title", "issuer", "date", "score", "snippets"}
    assert data["query"]["tokens"] == [{"text": "刘宁", "words": ["刘宁"]}]
    snippet = data["hits"][0]["snippets"][0]
    assert any(snippet["text"][a:b] == "刘宁" for a, b in snippet["marks"])

    res = runner.invoke(app, ["search", "青政[2019]45号", "--facets"], env={**env, "COLUMNS": "80"})
    assert res.exit_code == 0 and "issuer: 青海省人民政府 1" in res.stdout
    lines = [line.rstrip() for line in res.stdout.splitlines()]
    assert lines[0].startswith("1 hit · ")
    assert " 1  青海省人民政府关于修订青海省主体功能区规划自然保护区管制原则的通知" in lines
    assert "    文件 · 青政〔2019〕45号 · 2019-07-05" in lines
    assert any(line.startswith("    ") and line.endswith("000_2d9c3dd783fd086b.txt:70") for line in lines)  # not folded

    res = runner.invoke(app, ["search", "政府", "--format", "jsonl", "--limit", "3", "--sort", "date"], env=env)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 3 and rows[0]["date"] >= rows[-1]["date"]


def test_cli_errors(tmp_path, corpus_index):
    env = {"GOVDOCS_INDEX": str(corpus_index)}
    res = runner.invoke(app, ["search", '"人民政府'], env=env)
    assert res.exit_code == 1 and "bad query: unclosed quote" in res.output and len(res.output.strip().splitlines()) == 1
    res = runner.invoke(app, ["search", "刘宁", "--since", "June"], env=env)
    assert res.exit_code == 2
    res = runner.invoke(app, ["search", "", "--number", "45号"], env=env)
    assert res.exit_code == 1 and "not a 发文字号" in res.output
    res = runner.invoke(app, ["index", str(tmp_path / "missing")], env=env)
    assert res.exit_code == 1 and "no such file or folder" in res.output


@pytest.mark.slow  # builds an index
def test_cli_index_reports_what_it_did(folder, tmp_path):
    env = {"GOVDOCS_INDEX": str(tmp_path / "ix")}
    res = runner.invoke(app, ["index", str(folder), "--jobs", "1"], env=env)
    assert res.exit_code == 0 and "2 added, 0 updated, 0 removed, 0 unchanged · 193 records" in res.stdout
    res = runner.invoke(app, ["index", str(folder)], env=env)
    assert "0 added, 0 updated, 0 removed, 2 unchanged" in res.stdout
    res = runner.invoke(app, ["index", str(folder), "--rebuild"], env=env)
    assert "2 added" in res.stdout and "193 records" in res.stdout


@pytest.mark.slow  # builds an index twice
def test_rebuild_replaces_an_index_of_another_version(folder, tmp_path):
    from govdocs.index.store import INFO_FILE, IndexProblem

    index_dir = tmp_path / "ix"
    files = sorted(folder.glob("*.txt"))
    update_index(files, [folder], index_dir, jobs=1)
    (index_dir / INFO_FILE).write_text('{"schema": 0}', encoding="utf-8")
    with pytest.raises(IndexProblem, match="--rebuild"):
        update_index(files, [folder], index_dir, jobs=1)
    report = update_index(files, [folder], index_dir, jobs=1, rebuild=True)
    assert len(report.added) == 2 and report.records == 193
    assert numbers(index_dir, "青政〔2019〕45号") == ["青政〔2019〕45号"]


@pytest.mark.slow  # builds an index of many segments
def test_small_segment_limit_splits_the_work_without_changing_answers(folder, tmp_path, monkeypatch, searcher):
    """A writer closes its segment after SEGMENT_BYTES of text: one segment per file here."""
    from govdocs.index import indexer

    monkeypatch.setattr(indexer, "SEGMENT_BYTES", 1)
    for jobs in (1, 2):
        index_dir = tmp_path / f"ix{jobs}"
        update_index(sorted(folder.glob("*.txt")), [folder], index_dir, jobs=jobs)
        with Searcher(index_dir) as s:
            assert len(s.searcher.reader().leaf_readers()) == 2
            for query in ("刘宁", '"省人民政府"', "人民政府 -国务院"):
                ours, whole = s.search(query, limit=50), searcher.search(query, limit=50)
                assert ours.total == whole.total > 0
                # equal scores rank by document number, which follows the order the workers
                # finished their files in: the same hits, tied ones in either order
                assert sorted((-h.score, h.id) for h in ours.hits) == sorted((-h.score, h.id) for h in whole.hits)
                assert [h.score for h in ours.hits] == [h.score for h in whole.hits]
                # the marks are read from each hit's own segment
                assert {h.id: h.snippets for h in ours.hits} == {h.id: h.snippets for h in whole.hits}


def test_folders_give_their_text_and_html_files_and_index_reports_what_it_could_not_place(tmp_path):
    """A folder of website documents: texts and pages are indexed, .json metadata is not;
    --issuer finds a joint document by either organ; a file without a document is reported."""
    from tests.test_govcn import GOVCN

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("19_国办发_1996_25号", "33_国令第707号"):
        shutil.copy(GOVCN / f"{name}.txt", folder)
        shutil.copy(GOVCN / f"{name}.meta.json", folder)
    shutil.copy(GOVCN / "html" / "47_国发_2004_18号.html", folder)
    (folder / "notes.md").write_text("这是一份说明，不是公文。\n", encoding="utf-8")
    result = runner.invoke(app, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "skipped 2 files in the folders given (.json 2): not text or HTML" in result.output
    assert "notes.md: no document found" in result.output
    assert "4 added" in result.output and "3 records" in result.output
    with Searcher(tmp_path / "ix") as s:
        joint = s.search("", Filters(issuer="中央军委办公厅")).hits
        assert [h.doc_number for h in joint] == ["国办发〔1996〕25号"] and joint[0].issuer == "国务院办公厅"
        assert [h.doc_number for h in s.search("居住累计满183天").hits] == ["国令第707号"]
        assert [h.doc_number for h in s.search("国务院工作规则", Filters(kind="document")).hits][:1] == ["国发〔2004〕18号"]


def test_a_removal_merges_no_segments_and_drops_the_emptied_one(tmp_path, monkeypatch):
    """Removing a file rewrites nothing: the other segments stay as they were (Whoosh's
    default policy merged the small ones posting by posting — minutes on a large index),
    and the segment the file's records filled leaves the table of contents."""
    from govdocs.index import indexer
    from tests.test_govcn import GOVCN

    monkeypatch.setattr(indexer, "SEGMENT_BYTES", 1)  # one segment per file
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("21_国办函_2004_57号", "23_国办函_2004_80号", "25_国办函_2005_21号", "27_国办函_2006_71号",
                 "29_国办函_2006_69号", "31_国办函_2004_88号"):
        shutil.copy(GOVCN / f"{name}.txt", folder)
    index_dir = tmp_path / "ix"
    update_index(sorted(folder.glob("*.txt")), [folder], index_dir)

    def segments():
        return {s.segment_id(): s.doc_count() for s in open_index(index_dir).refresh()._segments()}

    before = segments()
    assert len(before) == 6 and sum(before.values()) < 34  # small enough for Whoosh's policy to merge
    (folder / "25_国办函_2005_21号.txt").unlink()
    report = update_index(sorted(folder.glob("*.txt")), [folder], index_dir)
    assert [k.rsplit("/", 1)[1] for k in report.removed] == ["25_国办函_2005_21号.txt"]
    after = segments()
    assert len(after) == 5 and {k: before[k] for k in after} == after  # the same segments, untouched
    with Searcher(index_dir) as s:
        assert [h.doc_number for h in s.search("", Filters(kind="document"), limit=50).hits].count("国办函〔2005〕21号") == 0
        assert s.search("", Filters(kind="document"), limit=50).total == 5


def test_runs_that_add_files_merge_small_segments_without_changing_answers(tmp_path, monkeypatch):
    """Each run that adds a file adds a segment; when MERGE_FACTOR segments of a tier are
    there, they become one, their records re-added from the stored fields: the searches
    answer as an index built in one run does — hits, order, scores, totals, facets."""
    from govdocs.index.engine import merge
    from tests.test_govcn import GOVCN

    monkeypatch.setattr(merge, "MERGE_FACTOR", 3)
    folder = tmp_path / "docs"
    folder.mkdir()
    names = ("21_国办函_2004_57号", "23_国办函_2004_80号", "25_国办函_2005_21号", "27_国办函_2006_71号",
             "29_国办函_2006_69号", "31_国办函_2004_88号", "33_国令第707号")
    grown = tmp_path / "grown"
    counts = []
    for name in names:  # one run per file
        shutil.copy(GOVCN / f"{name}.txt", folder)
        update_index(sorted(folder.glob("*.txt")), [folder], grown)
        counts.append(len(open_index(grown).refresh()._segments()))
    # the third run merged the three into one (a tier up); tiers of 3 keep the count low
    assert counts[:3] == [1, 2, 1] and max(counts) <= 3 and counts[-1] < len(names) - 2, counts
    whole = tmp_path / "whole"
    update_index(sorted(folder.glob("*.txt")), [folder], whole)
    with Searcher(grown) as a, Searcher(whole) as b:
        assert a.search("", limit=1).total == b.search("", limit=1).total == len(names)
        for text in ("国务院", '"国务院办公厅"', "通知 -函", "居住"):
            ours, theirs = a.search(text, limit=50, facets=True), b.search(text, limit=50, facets=True)
            assert ours.total == theirs.total > 0 and ours.facets == theirs.facets
            assert [(h.id, h.score, [s.text for s in h.snippets]) for h in ours.hits] == \
                   [(h.id, h.score, [s.text for s in h.snippets]) for h in theirs.hits]
