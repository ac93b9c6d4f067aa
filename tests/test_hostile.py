"""Hostile input to the commands: each case ends with its documented exit code and one line
that says what to do — never a traceback, never a silent loss."""

from __future__ import annotations

import json
import shutil

import pytest
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


@pytest.mark.slow  # kills an index run and its workers
def test_workers_die_with_a_killed_index_run(tmp_path):
    """`kill -9` of `govdocs index --jobs 2` leaves no worker holding the index (they had lived
    on for minutes, each with the lock), and the next run completes the work."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "big"
    folder.mkdir()
    text = ISSUE_2019.read_text(encoding="utf-8")
    for i in range(80):
        (folder / f"{i:03}.txt").write_text(text.replace("青政〔2019〕45号", f"青政〔2019〕{100 + i}号"), encoding="utf-8")
    ix = tmp_path / "ix"
    run = subprocess.Popen([sys.executable, "-m", "govdocs", "index", str(folder), "--index", str(ix), "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(run.pid)], capture_output=True, text=True).stdout.split()
        return [int(p) for p in found]

    deadline = time.monotonic() + 30
    while len(children()) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children()
    assert run.poll() is None and len(workers) == 2, "the run ended before its workers could be seen"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") and "Z" not in open(f"/proc/{w}/stat").read().split()[2] for w in workers):
        assert time.monotonic() < deadline, "workers outlived their parent"
        time.sleep(0.05)
    again = subprocess.run([sys.executable, "-m", "govdocs", "index", str(folder), "--index", str(ix), "--jobs", "2"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "80 added" in again.stdout + again.stderr, again.stderr


def _built(tmp_path):
    ix = tmp_path / "ix"
    assert runner.invoke(app, ["index", str(ISSUE_2019), "--index", str(ix)]).exit_code == 0
    return ix


@pytest.mark.slow  # builds and damages an index, many times
def test_a_damaged_index_is_reported_never_replaced_and_rebuild_repairs_it(tmp_path):
    """govdocs.json or the table of contents deleted or corrupt, relations.sqlite garbage: every
    command says in one line to rebuild (a search used to replace the index with the bundled
    corpus), and `index --rebuild` works from that state."""
    for damage in ("delete-info", "corrupt-info", "delete-toc", "corrupt-toc", "corrupt-sqlite"):
        ix = _built(tmp_path / damage)
        if damage == "delete-info":
            (ix / "govdocs.json").unlink()
        elif damage == "corrupt-info":
            (ix / "govdocs.json").write_text("{not json", encoding="utf-8")
        elif damage == "delete-toc":
            next(ix.glob("_MAIN_*.toc")).unlink()
        elif damage == "corrupt-toc":
            next(ix.glob("_MAIN_*.toc")).write_bytes(b"\x00garbage")
        else:
            (ix / "relations.sqlite").write_bytes(b"this is not a database, it is plain text " * 20)
        for command in (["search", "通知"], ["refs", "青政〔2019〕45号"], ["export", "--out", "-"],
                        ["index", str(ISSUE_2019)]):
            result = runner.invoke(app, [*command, "--index", str(ix)])
            if damage == "corrupt-sqlite" and command[0] == "search":  # search reads no catalog: it works
                assert result.exit_code == 0, result.output
                continue
            assert result.exit_code == 1, (damage, command, result.output)
            assert "govdocs index --rebuild" in said(result) and "Traceback" not in result.output, (damage, command)
        assert not (ix / "corpus").exists()
        rebuilt = runner.invoke(app, ["index", str(ISSUE_2019), "--index", str(ix), "--rebuild"])
        assert rebuilt.exit_code == 0, (damage, rebuilt.output)
        found = runner.invoke(app, ["search", "通知", "--index", str(ix), "--format", "json"])
        assert found.exit_code == 0 and '"total"' in found.stdout, damage


@pytest.mark.slow  # many index and export runs
def test_odd_inputs_end_in_one_line(tmp_path):
    """/dev/zero read whole, 400 nested groups, undecodable bytes, a regex as a name, an index
    whose catalog was deleted: one line and exit 1 each (a hang, a MemoryError, a
    RecursionError, a traceback before)."""
    cases = [
        (["parse", "/dev/zero"], "not a regular file"),
        (["search", "(" * 400 + "x" + ")" * 400], "nested more than"),
        (["search", "\udcff\udcfe"], "not UTF-8"),
        (["search", "x" * 5000], "keep it under"),
    ]
    ix = _built(tmp_path)
    cases += [(["people", ".*", "--index", str(ix)], "has no word to search for")]
    for args, words in cases:
        result = runner.invoke(app, args if args[0] in ("parse", "people") else [*args, "--index", str(ix)])
        assert result.exit_code == 1 and words in said(result) and "Traceback" not in result.output, (
            args[:2], result.output)
    (ix / "relations.sqlite").unlink()
    result = runner.invoke(app, ["export", "--out", "-", "--index", str(ix)])
    assert result.exit_code == 1 and "govdocs index --rebuild" in said(result)


@pytest.mark.slow  # builds an index twice
@pytest.mark.parametrize("keep", [0.5, 0.0001])
def test_a_cut_word_list_is_reported_and_rebuild_rewrites_it(tmp_path, keep):
    ix = _built(tmp_path)
    words = ix / "dictionary.words"
    with open(words, "r+b") as fh:
        fh.truncate(max(16, int(words.stat().st_size * keep)))
    result = runner.invoke(app, ["search", '"人民政府 办公厅"', "--index", str(ix)])
    assert result.exit_code == 1 and "govdocs index --rebuild" in said(result)
    assert runner.invoke(app, ["index", str(ISSUE_2019), "--index", str(ix), "--rebuild"]).exit_code == 0
    found = runner.invoke(app, ["search", '"人民政府 办公厅"', "--index", str(ix), "--format", "json"])
    assert found.exit_code == 0 and json.loads(found.stdout)["total"] > 0


@pytest.mark.slow  # builds an index twice
def test_an_unreadable_folder_stops_the_run_and_removes_nothing(tmp_path, monkeypatch):
    """Root reads every folder, so the refusal is injected: the folder's listing fails as it
    does for an unprivileged user. Its files stay in the index (re-indexing removed them)."""
    import os

    from govdocs.index.indexer import indexed_files
    from govdocs.index.store import open_index

    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    shutil.copy(ISSUE_2019, corpus / "locked" / "a.txt")
    ix = tmp_path / "ix"
    assert runner.invoke(app, ["index", str(corpus), "--index", str(ix)]).exit_code == 0
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = runner.invoke(app, ["index", str(corpus), "--index", str(ix)])
    assert result.exit_code == 1 and "cannot read this folder" in said(result)
    monkeypatch.setattr(os, "scandir", real)
    assert len(indexed_files(open_index(ix))) == 1


def test_another_whoosh_release_is_refused_in_one_line(monkeypatch):
    import whoosh

    import govdocs.index.engine as engine

    monkeypatch.setattr(whoosh, "versionstring", lambda: "2.7.6")
    with pytest.raises(ImportError, match=r"needs whoosh-reloaded 2\.7\.5, found 2\.7\.6 — run `pip install"):
        engine._check_whoosh()


@pytest.mark.slow  # waits for a lock
def test_a_second_index_run_waits_then_names_the_holder(tmp_path, monkeypatch):
    """While another run writes the index, `index` waits (LOCK_WAIT) and then says who holds it
    in one line (a LockError traceback before); once the holder is gone the lock is free."""
    import subprocess
    import sys

    from govdocs.index import indexer

    ix = _built(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text(ISSUE_2019.read_text(encoding="utf-8").replace("青政〔2019〕45号", "青政〔2019〕145号"),
                     encoding="utf-8")
    hold = ("import sys, time\nfrom govdocs.index.store import open_index\nfrom govdocs.index.indexer import locked_writer\n"
            "from pathlib import Path\nw = locked_writer(open_index(Path(sys.argv[1])), Path(sys.argv[1]))\n"
            "print('held', flush=True)\ntime.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(ix)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(indexer, "LOCK_WAIT", 0.5)
        result = runner.invoke(app, ["index", str(other), "--index", str(ix)])
        assert result.exit_code == 1 and f"is being written by govdocs index (pid {holder.pid})" in said(result)
    finally:
        holder.kill()
        holder.wait()
    result = runner.invoke(app, ["index", str(other), "--index", str(ix)])  # its holder died: the lock is free
    assert result.exit_code == 0, result.output


def test_a_full_disk_during_an_export_keeps_the_previous_one(tmp_path, monkeypatch):
    """ENOSPC injected into the export's writes: one line, exit 1, the earlier export whole and
    no temporary file left (a cut file under the final name before)."""
    import errno

    from govdocs.export import writers

    out = tmp_path / "docs.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")

    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writers.JsonLinesWriter, "write", full)
    result = runner.invoke(app, ["export", str(ISSUE_2019), "--out", str(out)])
    assert result.exit_code == 1 and "No space left on device" in said(result)
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl"]


def test_a_full_disk_while_indexing_is_one_line(tmp_path, monkeypatch):
    import errno

    from govdocs.index import indexer

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(indexer, "update_index", full)
    result = runner.invoke(app, ["index", str(ISSUE_2019), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1 and "No space left on device" in said(result) and "Traceback" not in result.output


def test_a_file_whose_name_looks_like_markup_is_shown_as_named(tmp_path):
    folder = tmp_path / "[b]x"
    folder.mkdir()
    source = folder / "[bold]a.txt"
    shutil.copy(ISSUE_2019, source)
    result = runner.invoke(app, ["parse", str(source)])
    assert result.exit_code == 0 and "[bold]a.txt" in result.output
