"""`export --format opensearch`: bulk NDJSON that parses, fits its template and carries our tokens.

No cluster is run here (docs/scaling.md): the checks are those a cluster's strict mapping
would make, against the template we write."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from govdocs.export import opensearch
from govdocs.index.analyzer import NAME_END_MARK, default_analysis

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@pytest.fixture(scope="module")
def bulk(tmp_path_factory, corpus_index):
    out = tmp_path_factory.mktemp("opensearch")
    res = CliRunner().invoke(app, ["export", "--format", "opensearch", "--kind", "all", "--out", str(out),
                                   "--index", str(corpus_index)])
    assert res.exit_code == 0, res.output
    lines = (out / "govdocs.ndjson").read_text(encoding="utf-8").splitlines()
    return lines, json.loads((out / "govdocs.template.json").read_text(encoding="utf-8"))


def _index_records(corpus_index) -> dict[str, dict]:
    from govdocs.index.store import open_index

    with open_index(corpus_index).searcher() as s:
        return {f["id"]: f for f in s.all_stored_fields()}


def test_lines_parse_and_alternate_with_unique_ids_those_of_the_index(bulk, corpus_index):
    lines, _ = bulk
    parsed = [json.loads(line) for line in lines]
    assert len(parsed) % 2 == 0 and parsed
    actions, sources = parsed[::2], parsed[1::2]
    assert all(list(a) == ["index"] and a["index"]["_index"] == "govdocs" for a in actions)
    assert all("index" not in s for s in sources)
    ids = [a["index"]["_id"] for a in actions]
    assert ids == [s["id"] for s in sources]
    assert len(set(ids)) == len(ids)
    assert set(ids) == set(_index_records(corpus_index))


def test_every_field_is_declared_with_a_compatible_type(bulk):
    lines, tmpl = bulk
    mappings = tmpl["template"]["mappings"]
    assert mappings["dynamic"] == "strict"
    props = mappings["properties"]
    similarity = tmpl["template"]["settings"]["index"]["similarity"][opensearch.SIMILARITY]
    assert (similarity["type"], similarity["k1"], similarity["b"]) == ("BM25", 1.6, 0.5)
    assert mappings["_meta"]["query_boosts"]["title_tokens"] == 2.0
    for name in ("kind", "issuer", "doc_type", "year", "gazette", "rubric", "has_annex", "level", "doc_number", "cites"):
        assert props[name]["type"] == "keyword"
    seen_dates = 0
    for line in lines[1::2]:
        for key, value in json.loads(line).items():
            kind = props[key]["type"]  # KeyError: a field the template does not declare
            values = value if isinstance(value, list) else [value]
            if kind in ("keyword", "text"):
                assert all(isinstance(v, str) for v in values), key
            elif kind == "date":
                assert all(ISO_DATE.match(v) for v in values), (key, value)
                seen_dates += 1
            elif kind == "object":
                assert isinstance(value, dict) and props[key]["enabled"] is False
            else:
                pytest.fail(f"{key}: unexpected type {kind}")
    assert seen_dates


def test_tokens_are_our_analyzers_terms(bulk):
    lines, _ = bulk
    analysis = default_analysis()
    checked = 0
    for line in lines[1::2]:
        src = json.loads(line)
        for name in opensearch.TEXT_FIELDS:
            if name not in src:
                assert f"{name}_tokens" not in src
                continue
            terms = [(t, start, end) for t, _pos, start, end in analysis.terms(src[name])]
            words = {(t, start, end) for t, _pos, start, end in analysis.terms(src[name], subwords=False)}
            tokens = src[f"{name}_tokens"].split(" ") if src[f"{name}_tokens"] else []
            subwords = src[f"{name}_subwords"].split(" ") if src[f"{name}_subwords"] else []
            # the words in order, then every other term in order but the name-end marks
            assert tokens == [t for t, start, end in terms if (t, start, end) in words]
            assert subwords == [t for t, start, end in terms
                                if (t, start, end) not in words and not t.startswith(NAME_END_MARK)]
            checked += 1
    assert checked > 100


def test_status_dates_are_the_indexs(bulk, corpus_index):
    lines, _ = bulk
    held = _index_records(corpus_index)
    for line in lines[1::2]:
        src = json.loads(line)
        for name in ("repealed_on", "amended_on", "effective", "expires", "date"):
            assert src.get(name) == (held[src["id"]].get(name) or None), (src["id"], name)


def test_files_named_directly_and_a_file_out(tmp_path):
    from tests.conftest import CORPUS

    out = tmp_path / "bulk.ndjson"
    res = CliRunner().invoke(app, ["export", "--format", "opensearch", "--kind", "appointment", "--out", str(out),
                                   str(CORPUS)])
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(x)["kind"] == "appointment" for x in lines[1::2])
    assert json.loads((tmp_path / "bulk.template.json").read_text(encoding="utf-8"))["index_patterns"] == ["govdocs"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulk.ndjson", "bulk.template.json"]


def test_what_it_cannot_do_is_refused(tmp_path):
    for extra in (["--kind", "reference"], ["--no-body"], ["--fields", "id"], ["--status", "repealed"]):
        res = CliRunner().invoke(app, ["export", "--format", "opensearch", "--out", str(tmp_path / "x"), *extra])
        assert res.exit_code == 2, (extra, res.output)
    assert not list(tmp_path.iterdir())
