"""Export: every kind validates against its schema, reads back, is stable; CSV opens cleanly;
the people register."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from govdocs import parse_file
from govdocs.cli import app
from govdocs.export.records import KINDS
from govdocs.export.schema import json_schema
from govdocs.index.people import register, whole_name_at
from govdocs.model import Document, Record
from govdocs.relations.catalog import entries_of
from govdocs.vocab import plural
from tests.conftest import CORPUS, ISSUE_2019

runner = CliRunner()


@pytest.fixture(scope="module")
def exported(tmp_path_factory, corpus_index):
    out = tmp_path_factory.mktemp("export")
    res = runner.invoke(app, ["export", "--kind", "all", "--out", str(out), "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    return out


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_validates_against_its_schema(exported, kind):
    schema = json_schema(kind)
    Draft202012Validator.check_schema(schema)
    records = read_jsonl(exported / f"{plural(kind)}.jsonl")
    assert records and {r["kind"] for r in records} == {kind}
    validator = Draft202012Validator(schema)
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, f"{record['id']}: {errors[0].message}"


def test_counts_and_provenance_match_the_corpus(exported):
    parsed = [parse_file(p) for p in sorted(CORPUS.glob("*.txt"))]
    counts = {k: len(read_jsonl(exported / f"{k}.jsonl")) for k in map(plural, KINDS)}  # the files keep their names
    assert counts == {
        "documents": sum(len(p.documents) for p in parsed),
        "appointments": sum(len(d.appointments) for p in parsed for d in p.documents),
        "chronicle": sum(len(p.chronicle.entries) for p in parsed),
        "references": sum(len(d.references) for p in parsed for d in p.documents)
        + sum(len(e.references) for p in parsed for e in p.chronicle.entries),
        "toc": sum(len(p.issue.toc) for p in parsed),
    }
    source = ISSUE_2019.read_text(encoding="utf-8-sig")
    removal = next(r for r in read_jsonl(exported / "appointments.jsonl") if r["person"] == "王予波")
    assert removal["doc_number"] == "青政人〔2019〕9号" and removal["action"] == "remove"
    s = removal["source"]
    assert (s["gazette"], s["year"], s["issue_number"]) == ("青海政报", 2019, 12)
    assert source[s["start"]:s["end"]] == removal["text"]
    assert s["sha256"] == parse_file(ISSUE_2019).source.sha256
    ref = next(r for r in read_jsonl(exported / "references.jsonl") if r["doc_number"] == "青政〔2018〕49号")
    assert source[ref["source"]["start"]:ref["source"]["end"]] == ref["text"]
    assert (ref["relation"], ref["resolution"], ref["citing_number"]) == ("repeals", "not_in_corpus", "青政〔2019〕45号")


def test_documents_read_back_equal_the_parse(exported):
    records = read_jsonl(exported / "documents.jsonl")
    parsed = {d.id: d for p in sorted(CORPUS.glob("*.txt")) for d in parse_file(p).documents}
    for record in records:
        original = parsed[record["id"]]
        back = Document.from_dict(record)
        for ref in back.references:  # the export resolves citations across the corpus; the parse does not
            if ref.resolution != "self":
                ref.resolution = ref.target_id = ref.target_title = None
        assert back == original


def test_ids_are_identical_across_runs_and_sources(exported, tmp_path):
    again = tmp_path / "again"
    res = runner.invoke(app, ["export", str(CORPUS), "--kind", "all", "--out", str(again)])
    assert res.exit_code == 0, res.output
    for kind in KINDS:
        first = [r["id"] for r in read_jsonl(exported / f"{plural(kind)}.jsonl")]
        assert first == [r["id"] for r in read_jsonl(again / f"{plural(kind)}.jsonl")]
        assert len(set(first)) == len(first)


def test_csv_of_appointments_opens_cleanly(corpus_index):
    res = runner.invoke(app, ["export", "--kind", "appointment", "--format", "csv", "--out", "-",
                              "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    assert list(rows[0])[:8] == ["kind", "id", "document_id", "doc_number", "issuer", "date", "action", "person"]
    assert "source.path" in rows[0] and "source.line_start" in rows[0]
    assert len(rows) == 13
    wang = next(r for r in rows if r["person"] == "王予波")
    assert (wang["action"], wang["position"], wang["doc_number"]) == ("remove", "青海省行政学院院长", "青政人〔2019〕9号")
    assert all(r["kind"] == "appointment" and r["id"] for r in rows)


def test_json_is_one_array_and_filters_fields_and_no_body_apply(corpus_index, tmp_path):
    out = tmp_path / "docs.json"
    res = runner.invoke(app, ["export", "--out", str(out), "--format", "json", "--since", "2019", "--type", "通知",
                              "--no-body", "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    docs = json.loads(out.read_text(encoding="utf-8"))
    assert docs and all(d["date"] >= "2019-01-01" and d["doc_type"] == "通知" for d in docs)
    assert all("body" not in d and "sections" not in d for d in docs)
    picked = runner.invoke(app, ["export", "--out", "-", "--fields", "id,doc_number,title", "--issuer",
                                 "青海省人民政府办公厅", "--index", str(corpus_index)])
    lines = [json.loads(x) for x in picked.stdout.splitlines()]
    assert lines and all(list(x) == ["id", "doc_number", "title"] for x in lines)
    assert {x["doc_number"][:4] for x in lines} == {"青政办〔"}


def test_documents_as_csv_for_spreadsheets(corpus_index):
    """Scalar fields, lists of names as JSON text, nested parts as counts; one row a document."""
    import csv
    import io

    res = runner.invoke(app, ["export", "--format", "csv", "--out", "-", "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    row = next(r for r in rows if r["doc_number"] == "青政办〔2019〕68号")
    assert json.loads(row["issuers"]) == ["青海省人民政府办公厅"] and row["attachment.verb"] == "印发"
    assert int(row["references_count"]) > 0 and sum(int(r["sections_count"]) for r in rows) > 0
    assert row["source.path"].endswith("000_2d9c3dd783fd086b.txt") and row["body"].startswith("《")
    assert len(rows) == 14


def test_export_usage_errors(corpus_index, tmp_path):
    assert runner.invoke(app, ["export", "--kind", "all", "--out", "-", "--index", str(corpus_index)]).exit_code == 2
    bad_field = runner.invoke(app, ["export", "--out", "-", "--fields", "id,nope", "--index", str(corpus_index)])
    assert bad_field.exit_code == 2 and "nope" in bad_field.output
    assert runner.invoke(app, ["export"]).exit_code == 2  # --out is required


def test_schema_command_prints_each_kind():
    for kind in KINDS:
        res = runner.invoke(app, ["schema", kind])
        assert res.exit_code == 0
        schema = json.loads(res.stdout)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert "source" in schema["required"] and schema["properties"]["kind"]["const"] == kind
    assert runner.invoke(app, ["schema", "people"]).exit_code == 2


def test_kinds_are_singular_everywhere_and_the_old_plurals_still_read(corpus_index):
    """One spelling (document|appointment|chronicle|reference|toc) in every command; the plurals
    export and schema took at first are read as the singular, and --kind all's files keep their names."""
    assert KINDS == ("document", "appointment", "chronicle", "reference", "toc")
    assert runner.invoke(app, ["schema", "documents"]).stdout == runner.invoke(app, ["schema", "document"]).stdout
    old, new = (runner.invoke(app, ["export", "--kind", k, "--out", "-", "--fields", "kind,id", "--index",
                                    str(corpus_index)]) for k in ("appointments", "appointment"))
    assert old.exit_code == new.exit_code == 0 and old.stdout == new.stdout
    assert {json.loads(line)["kind"] for line in new.stdout.splitlines()} == {"appointment"}
    search = [runner.invoke(app, ["search", "刘宁", "--kind", k, "--index", str(corpus_index), "-f", "json"])
              for k in ("chronicle", "documents")]
    assert [r.exit_code for r in search] == [0, 0]
    assert {h["kind"] for h in json.loads(search[0].stdout)["hits"]} == {"chronicle"}
    assert {h["kind"] for h in json.loads(search[1].stdout)["hits"]} == {"document"}
    for command in (["search", "x", "--kind", "reference"], ["export", "--out", "-", "--kind", "people"]):
        res = runner.invoke(app, [*command, "--index", str(corpus_index)])
        assert res.exit_code == 2 and "is not one of" in res.output, res.output


def test_status_and_level_choices_are_the_librarys(corpus_index):
    """--status takes every status the library works out (not_in_corpus too) and the earlier
    names; --level the 效力级别; anything else is a usage error naming the choices."""
    from govdocs.vocab import LEVELS, RENAMED, STATUSES

    for command in ("search", "export"):
        base = [command, "--index", str(corpus_index)] + (["--out", "-"] if command == "export" else [])
        for status in (*STATUSES, *RENAMED):
            res = runner.invoke(app, [*base, "--status", status, "--as-of", "2019-08-01"])
            assert res.exit_code == 0, (command, status, res.output)
        for level in LEVELS:
            assert runner.invoke(app, [*base, "--level", level]).exit_code == 0, (command, level)
        bad = runner.invoke(app, [*base, "--status", "gone"])
        said = "".join(bad.output.replace("│", "").split())  # the message as Rich wrapped it in its box
        assert bad.exit_code == 2 and "not_in_corpus" in said and "'gone'isnotoneof" in said, bad.output
        assert runner.invoke(app, [*base, "--level", "规范性"]).exit_code == 2


def test_people_shows_removal_and_chronicle_entries(corpus_index):
    found = register(corpus_index, "王予波")
    (removal,) = found.appointments
    assert (removal.action, removal.position, removal.doc_numbers) == (
        "remove", "青海省行政学院院长", ["青政人〔2019〕9号", "青政人〔2019〕10号"])
    assert removal.notice == "青海省人民政府职务任免通知"
    assert [m.date for m in found.chronicle] == ["2017-01-11", "2017-01-12", "2017-01-14", "2017-01-15",
                                                 "2017-01-16", "2017-01-26", "2019-06-01"]
    assert all("王予波" in m.text for m in found.chronicle)
    res = runner.invoke(app, ["people", "王予波", "--index", str(corpus_index)], env={"COLUMNS": "160"})
    assert res.exit_code == 0 and "青海省行政学院院长" in res.stdout and "青政人〔2019〕9号、10号" in res.stdout


def test_people_by_post(corpus_index):
    found = register(corpus_index, post="副秘书长")
    assert [(e.person, e.action, e.position) for e in found.appointments] == [
        ("谢宏敏", "appoint", "青海省人民政府副秘书长")]
    res = runner.invoke(app, ["people", "--post", "副秘书长", "-f", "json", "--index", str(corpus_index)])
    assert json.loads(res.stdout)["appointments"][0]["person"] == "谢宏敏"
    assert runner.invoke(app, ["people", "--index", str(corpus_index)]).exit_code == 2


def test_whole_names_only():
    assert whole_name_at("省长刘宁作了报告", "刘宁", set()) == [2]
    assert whole_name_at("副省长刘宁宁出席", "刘宁", set()) == []  # a doubled given name
    assert whole_name_at("刘宁波、刘宁出席", "刘宁", {"刘宁波"}) == [4]  # a longer name the register knows
    assert whole_name_at("王刘宁出席", "刘宁", {"王刘宁"}) == []


def _dumped(value):
    """`to_dict()` by its definition: every field of a record, records and lists recursively."""
    if isinstance(value, Record):
        return {f.name: _dumped(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_dumped(v) for v in value]
    return value


def test_to_dict_by_annotations_is_the_recursive_dump():
    for path in sorted(CORPUS.glob("*.txt")):
        parsed = parse_file(path)
        assert parsed.to_dict() == _dumped(parsed)
        assert [e.to_dict() for e in entries_of(parsed, str(path))] == [_dumped(e) for e in entries_of(parsed, str(path))]
