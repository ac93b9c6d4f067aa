"""What researchers asked of search (the recall and option needs of the search-quality
issue), on an index of the corpus and the thirty gov.cn documents."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from govdocs.index.search import Filters, Searcher
from govdocs.index.store import IndexProblem
from tests.conftest import CORPUS

runner = CliRunner()


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """An index of corpus/ and tests/data/govcn/*.txt."""
    from govdocs.index.indexer import update_index
    from tests.test_govcn import GOVCN

    folder = tmp_path_factory.mktemp("both")
    files = sorted(CORPUS.glob("*.txt")) + sorted(GOVCN.glob("*.txt"))
    update_index(files, [CORPUS, GOVCN], folder, jobs=1)
    with Searcher(folder) as s:
        yield s, folder


def numbers(results):
    return [h.doc_number for h in results.hits]


def test_a_number_finds_its_document_then_the_records_citing_it(both):
    s, _ = both
    res = s.search("青政〔2019〕45号")
    assert [(h.doc_number, h.match) for h in res.hits][:1] == [("青政〔2019〕45号", "number")]
    cited = s.search("国办发〔2018〕104号")  # not held: the notice that forwards it cites it
    assert [(h.doc_number, h.match) for h in cited.hits] == [("青政办〔2019〕82号", "cites")]
    assert numbers(s.search("國辦發〔2018〕104號")) == ["青政办〔2019〕82号"]  # traditional forms
    assert [(h.doc_number, h.match) for h in s.search("国务院令第707号").hits] == [("国令第707号", "number")]


def test_an_agency_code_alone_finds_its_documents(both):
    s, _ = both
    res = s.search("国办函", Filters(year="2004"), limit=20)
    assert sorted(numbers(res)) == ["国办函〔2004〕57号", "国办函〔2004〕80号", "国办函〔2004〕88号"]


def test_hits_carry_type_numbers_and_the_section_of_their_snippet(both):
    s, _ = both
    [hit] = s.search("难以界定应纳税所得项目").hits
    data = hit.to_dict()
    assert (data["doc_type"], data["doc_numbers"], data["path"]) == ("令", ["国令第707号"], "第六条/第二款")
    two = next(h for h in s.search("谢宏敏", Filters(kind="document")).hits)
    assert two.to_dict()["doc_numbers"] == ["青政人〔2019〕9号", "青政人〔2019〕10号"]
    assert two.to_dict()["doc_number"] == "青政人〔2019〕9号"


def test_removals_include_retirements(both):
    s, _ = both
    res = s.search("免去", Filters(kind="appointment"), limit=50)
    assert res.total == 9 and sum("退休" in h.title for h in res.hits) == 3


def test_several_kinds_annexes_and_pages(both):
    s, _ = both
    two_kinds = s.search("谢宏敏", Filters(kind=["appointment", "document"]), limit=100)
    assert {h.kind for h in two_kinds.hits} == {"appointment", "document"}
    with_annex = s.search("", Filters(kind="document", has_annex=True), limit=100)
    assert with_annex.total and all(h.kind == "document" for h in with_annex.hits)
    assert with_annex.total + s.search("", Filters(kind="document", has_annex=False)).total == \
        s.search("", Filters(kind="document")).total
    first, second = s.search("刘宁", limit=5), s.search("刘宁", limit=5, offset=5)
    assert first.total == second.total == 40
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert [h.id for h in s.search("刘宁", limit=10).hits] == [h.id for h in first.hits + second.hits]


def test_an_entry_spanning_days_is_found_on_its_later_days(both):
    s, _ = both
    spanning = [h for h in s.search("", Filters(kind="chronicle"), limit=500).hits]
    entry = next(h for h in spanning if h.snippets is not None and _date_end(s, h) not in (None, h.date))
    late_day = _date_end(s, entry)
    found = s.search("", Filters(kind="chronicle", since=late_day, until=late_day), limit=500)
    assert entry.id in {h.id for h in found.hits}


def _date_end(s: Searcher, hit) -> str | None:
    return (s.searcher.document(id=hit.id).get("meta") or {}).get("date_end")


def test_issuer_short_forms_and_suggestions(both):
    s, _ = both
    assert s.resolve_issuer("省政府办公厅") == "青海省人民政府办公厅"
    assert s.resolve_issuer("青海省人民政府") == "青海省人民政府"
    with pytest.raises(IndexProblem, match="did you mean"):
        s.resolve_issuer("国务院办公室")


def test_cli_several_words_csv_and_date_checks(both):
    _, folder = both
    result = runner.invoke(app, ["search", "危险化学品", "运输", "--index", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert hits and all(k in hits[0] for k in ("doc_type", "doc_numbers", "path", "match"))
    result = runner.invoke(app, ["search", "收费公路", "--index", str(folder), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0]["doc_type"] == "通知" and "收费公路" in rows[0]["title"]
    assert json.loads(rows[0]["doc_numbers"]) == [rows[0]["doc_number"]]
    for bad in ("2019-13", "2019-02-30", "19-01"):
        result = runner.invoke(app, ["search", "", "--since", bad, "--index", str(folder)])
        assert result.exit_code == 2 and bad in result.output
    result = runner.invoke(app, ["search", "营商", "--issuer", "国务院办公室", "--index", str(folder)])
    assert result.exit_code == 1 and "did you mean" in result.output


def test_csv_cells_that_look_like_formulas_are_neutralised():
    from govdocs.export.writers import CsvWriter

    out = io.StringIO()
    writer = CsvWriter(out, ["a", "b", "c"])
    writer.write({"a": "=HYPERLINK(\"x\")", "b": "-2+3", "c": "通知"})
    row = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))[1]
    assert row == ["'=HYPERLINK(\"x\")", "'-2+3", "通知"]
