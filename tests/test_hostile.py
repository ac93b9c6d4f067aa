"""Hostile input to the commands: each case ends with its documented exit code and one line
that says what to do — never a traceback, never a silent loss."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from govdocs.cli import app
from tests.conftest import ISSUE_2019

runner = CliRunner()


def said(result) -> str:
    """The output as one line (Rich boxes and wraps usage errors)."""
    return " ".join(result.output.replace("│", " ").split())


def test_an_export_onto_its_own_input_is_refused_and_the_input_kept(tmp_path):
    source = tmp_path / "issue.txt"
    shutil.copy(ISSUE_2019, source)
    before = source.read_bytes()
    result = runner.invoke(app, ["export", str(source), "--out", str(source)])
    assert result.exit_code == 2 and "is one of the files exported" in said(result)
    assert source.read_bytes() == before


def test_an_export_is_written_whole_or_not_at_all(tmp_path):
    out = tmp_path / "docs.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(ISSUE_2019), "--out", str(out)])
    assert result.exit_code == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl"]  # no temporary file left
    failed = runner.invoke(app, ["export", str(ISSUE_2019), "--out", str(out), "--fields", "id,nope"])
    assert failed.exit_code == 2 and len(out.read_text(encoding="utf-8").splitlines()) == 8


def test_an_export_into_a_missing_folder_says_so(tmp_path):
    result = runner.invoke(app, ["export", str(ISSUE_2019), "--out", str(tmp_path / "no" / "x.jsonl")])
    assert result.exit_code == 2 and "does not exist" in said(result)


def test_paths_are_printed_as_text_not_markup():
    result = runner.invoke(app, ["parse", "[/x]"])
    assert result.exit_code == 1 and "[/x]: no such file or folder" in said(result)
    result = runner.invoke(app, ["parse", "[bold]x"])
    assert result.exit_code == 1 and "[bold]x: no such file" in said(result)


def test_an_empty_or_file_index_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["search", "x", "--index", ""])
    assert result.exit_code == 2 and "empty folder name" in said(result)
    a_file = tmp_path / "f"
    a_file.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["search", "x", "--index", str(a_file)])
    assert result.exit_code == 2 and "is a file" in said(result)
