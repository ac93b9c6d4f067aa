"""`kill -9` of `govdocs index` exactly at each stage of a run, through the test hook
(`GOVDOCS_TEST_PAUSE=STAGE:MARKER`, read by `indexer.pause_for_tests`): the run writes MARKER
and waits at STAGE, the test kills it there. A search between the kill and the next run sees
the old index or the new one, never an error; the next `govdocs index` recovers to the totals
of a clean build (search total, export counts) and leaves no dead file behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from govdocs.index.indexer import PAUSE_STAGES
from tests.conftest import ISSUE_2017, ISSUE_2019

runner = CliRunner()


def search_total(index: Path) -> int:
    result = runner.invoke(app, ["search", "", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return json.loads(result.stdout)["total"]


def export_counts(index: Path, out: Path) -> dict[str, int]:
    """Records per kind of `export --kind all` (every kind, one file each)."""
    result = runner.invoke(app, ["export", "--kind", "all", "--out", str(out), "--index", str(index)])
    assert result.exit_code == 0, result.output
    return {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def clean(corpus_index, tmp_path_factory) -> tuple[int, dict[str, int]]:
    """A clean build's totals (the bundled corpus: both issues)."""
    return search_total(corpus_index), export_counts(corpus_index, tmp_path_factory.mktemp("clean-export"))


def old_index(root: Path) -> tuple[Path, Path]:
    """The old state: a folder holding the 2019 issue, indexed (built per test: the index
    knows files by their path)."""
    (root / "gazettes").mkdir()
    shutil.copy(ISSUE_2019, root / "gazettes" / ISSUE_2019.name)
    result = runner.invoke(app, ["index", str(root / "gazettes"), "--index", str(root / "ix"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return root / "gazettes", root / "ix"


def killed_at(stage: str, folder: Path, index: Path, marker: Path) -> None:
    """Run `govdocs index FOLDER` until it reaches `stage`, then kill -9 it there."""
    env = {**os.environ, "GOVDOCS_TEST_PAUSE": f"{stage}:{marker}"}
    run = subprocess.Popen([sys.executable, "-m", "govdocs", "index", str(folder), "--index", str(index), "--jobs", "1"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert run.poll() is None, f"the run ended before {stage}: {run.communicate()}"
            assert time.monotonic() < deadline, f"the run never reached {stage}"
            time.sleep(0.05)
        assert int(marker.read_text(encoding="utf-8")) == run.pid  # paused in the run itself
    finally:
        run.send_signal(signal.SIGKILL)
        run.communicate()


@pytest.mark.slow  # a killed run and its recovery per stage
@pytest.mark.parametrize("stage", PAUSE_STAGES)
def test_a_run_killed_at_each_stage_is_recovered_by_the_next(stage, clean, tmp_path):
    from whoosh.index import TOC

    from govdocs.index.store import open_index

    folder, index = old_index(tmp_path)
    old = search_total(index)
    shutil.copy(ISSUE_2017, folder / ISSUE_2017.name)  # the run adds the 2017 issue
    killed_at(stage, folder, index, tmp_path / "paused")

    between = search_total(index)  # the old state, or (killed after the Whoosh commit) the new one
    assert between == (clean[0] if stage == "catalog" else old)

    again = runner.invoke(app, ["index", str(folder), "--index", str(index), "--jobs", "1"])
    assert again.exit_code == 0 and "Traceback" not in again.output, again.output
    assert search_total(index) == clean[0]
    assert export_counts(index, tmp_path / "export") == clean[1]
    names = {p.name for p in index.iterdir()}
    live = {s.segment_id() for s in TOC.read(open_index(index).storage, "MAIN").segments}
    assert {n.split(".")[0] for n in names if n.startswith("MAIN_") and "." in n} == live  # no dead segment
    assert len([n for n in names if n.startswith("_MAIN_")]) == 1
    assert not names & {"MAIN.tmp", "govdocs.json.tmp", "dictionary.words.tmp", "relations.sqlite-journal"}


def test_the_pause_hook_is_inert_unless_it_names_the_stage(monkeypatch, tmp_path):
    from govdocs.index.indexer import pause_for_tests

    monkeypatch.setenv("GOVDOCS_TEST_PAUSE", f"commit:{tmp_path / 'paused'}")
    for stage in ("parse", "segment", "catalog"):
        pause_for_tests(stage)  # returns at once
    monkeypatch.delenv("GOVDOCS_TEST_PAUSE")
    pause_for_tests("commit")
    assert not (tmp_path / "paused").exists()
