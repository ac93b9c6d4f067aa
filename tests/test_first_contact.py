"""What a new user meets first: help that shows every default, and a search that says which
index answered when that index holds files from elsewhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer
from typer.testing import CliRunner

from govdocs.cli import app
from govdocs.cli.common import files_outside
from tests.conftest import CORPUS, ISSUE_2019

runner = CliRunner()


def _commands() -> dict:
    return typer.main.get_command(app).commands


def test_every_option_with_a_default_shows_it_in_the_help():
    """An option or argument that has a default (a value, or a text such as the per-user
    index's place) shows `default: …` in its help; a default written into the help text as
    `[default: …]` would be read as Rich markup and vanish ("Index folder .")."""
    shown = 0
    for name, command in _commands().items():
        ctx = command.context_class(command, info_name=name)
        for param in command.params:
            assert "[default" not in (getattr(param, "help", None) or ""), (name, param.name)
            has_default = isinstance(param.show_default, str) or not (param.default is None or param.default is False)
            if param.required or param.name == "help" or not has_default:
                continue
            _names, help_text = param.get_help_record(ctx)
            expected = (f"({param.show_default})" if isinstance(param.show_default, str)
                        else getattr(param.default, "value", param.default))
            assert f"default: {expected}" in help_text, (name, param.name, help_text)
            shown += 1
    assert shown >= 22  # formats, limit, offset, sort, kind, index folders, paths, jobs, as-of days


def test_the_help_users_see_names_the_index_jobs_paths_and_day_defaults():
    wide = {"COLUMNS": "250"}
    index_help = runner.invoke(app, ["index", "--help"], env=wide).stdout
    assert "[default: ($GOVDOCS_INDEX, else ~/.local/share/govdocs/index)]" in index_help
    assert "[default: (the CPU count)]" in index_help and "[default: (the bundled corpus)]" in index_help
    assert "Index folder ." not in index_help and "Worker processes ." not in index_help
    search_help = runner.invoke(app, ["search", "--help"], env=wide).stdout
    assert "[default: (today)]" in search_help and "[default: 10]" in search_help
    assert "[default: (every file the index holds)]" in runner.invoke(app, ["export", "--help"], env=wide).stdout


def test_files_outside_a_folder_are_counted_among_the_files_the_index_holds(corpus_index, tmp_path):
    """`files_outside`: how many files the index holds, how many lie outside a folder, the
    first of those — as the catalog's paths say, compared as Python compares prefixes."""
    from govdocs.index import catalog_store

    paths = sorted(k.split("\0", 1)[0] for k in catalog_store.stored_keys(corpus_index))
    assert paths == sorted(str(p.resolve()) for p in CORPUS.glob("*.txt"))
    for here in (CORPUS, CORPUS.parent, tmp_path, CORPUS / "000_2d9c3dd783fd086b", CORPUS.parent / CORPUS.name[:3],
                 Path("/")):
        prefix = str(here.resolve()).rstrip("/") + "/"
        outside = [p for p in paths if not p.startswith(prefix)]
        assert files_outside(corpus_index, here.resolve()) == (len(paths), len(outside), outside[0] if outside else None)


def test_no_catalog_gives_no_count_and_creates_no_file(tmp_path):
    assert files_outside(tmp_path, tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_a_search_names_its_index_on_stderr_when_it_holds_files_from_elsewhere(tmp_path, monkeypatch):
    """From inside the folder of the indexed files: no note. From another folder: one line on
    stderr naming the index and a file outside; the JSON on stdout is the same."""
    from govdocs.index.indexer import update_index

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ISSUE_2019, project / "issue.txt")
    index = tmp_path / "index"
    update_index([project / "issue.txt"], [project], index, jobs=1)
    args = ["search", "刘宁", "--format", "json", "--index", str(index)]
    monkeypatch.chdir(project)
    inside = runner.invoke(app, args)
    assert inside.exit_code == 0 and inside.stderr == ""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    outside = runner.invoke(app, args)
    assert outside.exit_code == 0
    assert json.loads(outside.stdout) | {"took_ms": 0} == json.loads(inside.stdout) | {"took_ms": 0}
    [note] = outside.stderr.splitlines()
    assert note.startswith(f"searched the index at {index}, which holds files from outside {elsewhere.resolve()}")
    assert f"(1 of 1, e.g. {(project / 'issue.txt').resolve()})" in note and "--index DIR" in note
    people = runner.invoke(app, ["people", "刘宁", "--format", "json", "--index", str(index)])
    assert people.exit_code == 0 and people.stderr.startswith("searched the index at ")


def test_make_run_searches_an_index_inside_the_checkout():
    from tests.conftest import ROOT

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "govdocs search" in run and "--index .govdocs-index" in run
    assert ".govdocs-index/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
