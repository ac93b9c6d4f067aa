"""Hostile conditions around the files themselves: what failed or killed runs leave in the
index folder, an index folder that cannot be written or is someone else's, file names that
are not UTF-8, paths that cannot be read, a file size limit. Each case ends with its exit
code and one line — never a traceback, never a file lost or left behind.

Root ignores file modes, and these machines run as root: the permission cases run the
command in a subprocess under `setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
dropped from the bounding set (`unprivileged`) — uid 0 still, so the interpreter under
/root stays reachable, but file modes now bind it as they bind any user. Where a case says
"injected", the error is raised by a stand-in instead.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from govdocs.cli import app
from tests.conftest import CORPUS, ISSUE_2017, ISSUE_2019

runner = CliRunner()


def said(result) -> str:
    return " ".join(result.output.replace("│", " ").split())


def errors(stderr: str) -> list[str]:
    """The `error:` lines a command printed (each problem is one)."""
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def listing(folder: Path) -> dict[str, int]:
    """Every entry of the folder (recursively) with its size: what a run left there."""
    return {str(p.relative_to(folder)): p.stat().st_size if p.is_file() else -1 for p in sorted(folder.rglob("*"))}


def but_holder(entries: dict[str, int]) -> dict[str, int]:
    """A `listing` without the lock holder's file (a run rewrites it whatever happens)."""
    return {k: v for k, v in entries.items() if k != "govdocs.holder"}


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def govdocs(*args: str, unprivileged: bool = False, limit: int | None = None, timeout: float = 120):
    """`govdocs ARGS` in a subprocess: as a user file modes bind, or with a file size limit
    (SIGXFSZ ignored, so a write past it fails with EFBIG instead of killing the process)."""
    command = [sys.executable, "-m", "govdocs", *args]
    if unprivileged and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]

    def limited() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, errors="strict",
                          preexec_fn=limited if limit else None)


@pytest.fixture(scope="module")
def file_modes_bind(tmp_path_factory) -> None:
    """Skip unless a command run by `govdocs(…, unprivileged=True)` is refused a write to a
    read-only folder (no setpriv, or a kernel that does not let it drop capabilities)."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file modes cannot be made to bind")
    folder = tmp_path_factory.mktemp("modes")
    folder.chmod(0o555)
    try:
        probe = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
        done = subprocess.run([*probe, "sh", "-c", f"touch '{folder}/x'"], capture_output=True)
        if done.returncode == 0:
            pytest.skip("file modes do not bind this process")
    finally:
        folder.chmod(0o755)


def copy_index(corpus_index: Path, target: Path) -> Path:
    shutil.copytree(corpus_index, target)
    return target


def totals(index: Path) -> int:
    result = runner.invoke(app, ["search", "", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["total"]


# -- 1. temporary and dead files -------------------------------------------------------------

DEAD = {  # what failed and killed runs leave: segments no table of contents names, their parts, temporaries
    "MAIN_deadbeef01.seg": 100_000, "MAIN_zz9kill._stored.col": 3_000, "MAIN_zz9kill.occ": 5_000,
    "MAIN_zz9kill.trm": 700, "_MAIN_0.toc": 400, "govdocs.json.tmp": 14, "dictionary.words.tmp": 9_000,
}
FOREIGN = {"notes.txt": 10, "backup.occ": 20, "MAIN": 30}  # a user's files: never ours to remove


def plant(index: Path) -> None:
    for name, size in {**DEAD, **FOREIGN}.items():
        (index / name).write_bytes(b"\0" * size)
    (index / "MAIN.tmp").mkdir()
    (index / "MAIN.tmp" / "a1b2c3.run").write_bytes(b"\0" * 32_000)  # a dead run's temporary folder


def test_the_next_run_removes_dead_and_temporary_files_and_nothing_else(corpus_index, tmp_path):
    """A run that changes nothing (so takes no writer) still removes what killed runs left —
    silently — and keeps the user's files; the live files are untouched."""
    index = copy_index(corpus_index, tmp_path / "ix")
    live = listing(index)
    plant(index)
    result = runner.invoke(app, ["index", str(CORPUS), "--index", str(index), "--jobs", "1"])
    assert result.exit_code == 0 and "0 added, 0 updated, 0 removed, 2 unchanged" in said(result)
    assert "error" not in result.output and "warning" not in result.output.lower()
    assert listing(index) == {**live, **FOREIGN}
    assert totals(index) == 193


@pytest.mark.slow  # indexes a file
def test_a_run_that_writes_removes_dead_files_before_it_starts(corpus_index, tmp_path):
    index = copy_index(corpus_index, tmp_path / "ix")
    other = tmp_path / "other.txt"
    other.write_text(ISSUE_2019.read_text(encoding="utf-8").replace("青政〔2019〕45号", "青政〔2019〕145号"),
                     encoding="utf-8")
    plant(index)
    result = runner.invoke(app, ["index", str(other), "--index", str(index), "--jobs", "1"])
    assert result.exit_code == 0 and "1 added" in said(result)
    left = set(listing(index))
    assert not left & (set(DEAD) | {"MAIN.tmp", "MAIN.tmp/a1b2c3.run"}) and set(FOREIGN) <= left
    toc = next(n for n in left if n.startswith("_MAIN_"))
    segments = {n.split(".")[0] for n in left if n.startswith("MAIN_") and "." in n}
    assert len([n for n in left if n.startswith("_MAIN_")]) == 1 and toc != "_MAIN_0.toc"
    from whoosh.index import TOC

    from govdocs.index.store import open_index

    named = {s.segment_id() for s in TOC.read(open_index(index).storage, "MAIN").segments}
    assert segments == named  # every segment file left is one the table of contents names


def test_a_full_disk_mid_write_leaves_no_segment_behind(corpus_index, tmp_path, monkeypatch):
    """ENOSPC injected when a segment is closed (its parts already on disk): one line, exit 1,
    the index as it was, file for file (the parts and Whoosh's MAIN.tmp stayed before)."""
    from govdocs.index.engine import BulkWriter

    index = copy_index(corpus_index, tmp_path / "ix")
    before = listing(index)

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BulkWriter, "close_segment", full)
    other = tmp_path / "other.txt"
    shutil.copy(ISSUE_2019, other)
    result = runner.invoke(app, ["index", str(other), "--index", str(index), "--jobs", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert errors(result.output) == [f"error: could not write the index at {index}: No space left on device — free "
                                     "space or choose another --index, then run again (the index is as it was before "
                                     "this run)"]
    after = listing(index)
    assert but_holder(after) == but_holder(before)
    monkeypatch.undo()
    assert totals(index) == 193


# -- 2. a read-only index; someone else's folder ----------------------------------------------

@pytest.mark.slow  # a subprocess per command
def test_a_read_only_index_answers_and_index_says_it_is_not_writable(corpus_index, tmp_path, file_modes_bind):
    """Unprivileged (setpriv, see the module docstring): every reading command works on an
    index folder nobody may write — no lock taken, nothing written (the sqlite catalog opened
    without creating anything) — and `index` fails in one line."""
    index = copy_index(corpus_index, tmp_path / "ix")
    for path in [index, *index.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = snapshot(index)
    try:
        found = govdocs("search", "营商环境", "--index", str(index), "--format", "json", unprivileged=True)
        assert found.returncode == 0 and json.loads(found.stdout)["total"] == 4, found.stderr
        refs = govdocs("refs", "青政〔2018〕49号", "--as-of", "2019-08-01", "--index", str(index), "--format", "json",
                       unprivileged=True)
        assert refs.returncode == 0 and "repealed" in refs.stdout, refs.stderr
        people = govdocs("people", "王予波", "--index", str(index), "--format", "json", unprivileged=True)
        assert people.returncode == 0 and "王予波" in people.stdout, people.stderr
        export = govdocs("export", "--out", "-", "--index", str(index), unprivileged=True)
        assert export.returncode == 0 and len(export.stdout.splitlines()) == 14, export.stderr
        show = govdocs("show", "青政〔2019〕45号", "--index", str(index), unprivileged=True)
        assert show.returncode == 0 and "青政〔2019〕45号" in show.stdout, show.stderr
        again = govdocs("index", str(CORPUS), "--index", str(index), unprivileged=True)
        assert again.returncode == 1 and "Traceback" not in again.stderr
        assert errors(again.stderr) == [f"error: the index folder {index} is not writable — index into a folder you "
                                        "can write (--index DIR); searching this one works as it is"]
        assert snapshot(index) == before
    finally:
        for path in [index, *index.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_index_on_a_read_only_folder_is_one_line_injected(corpus_index, tmp_path, monkeypatch):
    """Injected: the folder reported not writable (os.access), as for a user who may not write it."""
    index = copy_index(corpus_index, tmp_path / "ix")
    before = snapshot(index)
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == index else real(path, mode))
    result = runner.invoke(app, ["index", str(ISSUE_2019), "--index", str(index)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert errors(result.output) == [f"error: the index folder {index} is not writable — index into a folder you can "
                                     "write (--index DIR); searching this one works as it is"]
    assert snapshot(index) == before


@pytest.mark.parametrize("command", [["search", "通知"], ["refs", "青政〔2019〕45号"], ["people", "刘宁"],
                                     ["export", "--out", "-"], ["show", "青政〔2019〕45号"], ["index", str(ISSUE_2019)]])
def test_a_foreign_folder_is_not_an_index_and_is_left_alone(tmp_path, command):
    """A folder holding other files as --index: one line, exit 1, nothing written into it (a
    search built the bundled corpus's index there, `index` filled it)."""
    folder = tmp_path / "project"
    (folder / "src").mkdir(parents=True)
    (folder / "report.docx").write_bytes(b"PK\3\4 not ours")
    (folder / "src" / "a.py").write_text("print(1)\n", encoding="utf-8")
    before = listing(folder)
    result = runner.invoke(app, [*command, "--index", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert errors(result.output) == [f"error: {folder} is not a govdocs index: it holds other files — give --index a "
                                     "new or empty folder (nothing was written there)"]
    assert listing(folder) == before


# -- 3. file names that are not UTF-8 ---------------------------------------------------------

@given(st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b and b"\\" not in b))
def test_a_name_as_text_is_valid_utf8_and_finds_the_file_again(name):
    """Any bytes: the text is UTF-8, a UTF-8 name is itself, and the bytes come back (a name
    holding a backslash is read as itself when that file exists: see the next test)."""
    from govdocs.inputs import path_of, path_text

    raw = os.fsdecode(b"/nonexistent-govdocs/" + name)
    text = path_text(raw)
    text.encode("utf-8")  # never a lone surrogate
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        assert text != raw
    else:
        assert text == raw
    assert path_of(text) == Path(raw)


def test_a_name_that_looks_escaped_is_itself_when_it_exists(tmp_path):
    from govdocs.inputs import path_of, path_text

    literal = tmp_path / r"a\xff.txt"
    literal.write_text("x", encoding="utf-8")
    assert path_text(literal) == str(literal) and path_of(str(literal)) == literal
    assert os.fsencode(path_of(str(tmp_path / r"b\xff.txt"))) == bytes(tmp_path) + b"/b\xff.txt"


NAME = b"\xff\xfe\xe4\xb8.txt"  # not UTF-8: \xff \xfe, and the first two bytes of 中
SHOWN = r"\xff\xfe\xe4\xb8.txt"


@pytest.fixture
def odd_name(tmp_path) -> Path:
    folder = tmp_path / "gazettes"
    folder.mkdir()
    path = Path(os.fsdecode(bytes(folder) + b"/" + NAME))
    shutil.copy(ISSUE_2019, path)
    return path


def test_parse_writes_a_name_that_is_not_utf8_escaped(odd_name):
    """The JSON stays UTF-8: the name's undecodable bytes are written \\xNN (it held the raw
    bytes before)."""
    result = runner.invoke(app, ["parse", str(odd_name.parent), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout_bytes.decode("utf-8"))
    assert data["source"]["path"] == str(odd_name.parent) + "/" + SHOWN and len(data["documents"]) == 8
    table = runner.invoke(app, ["parse", str(odd_name)], env={"COLUMNS": "400"})  # no wrapped path
    assert table.exit_code == 0 and SHOWN in table.stdout_bytes.decode("utf-8")


@pytest.fixture(scope="module")
def odd_index(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("odd")
    (folder / "gazettes").mkdir()
    path = Path(os.fsdecode(bytes(folder / "gazettes") + b"/" + NAME))
    shutil.copy(ISSUE_2019, path)
    result = runner.invoke(app, ["index", str(folder / "gazettes"), "--index", str(folder / "ix"), "--jobs", "1"])
    assert result.exit_code == 0 and "1 added" in said(result), result.output
    return path, folder / "ix"


@pytest.mark.slow  # builds an index
def test_index_holds_a_file_whose_name_is_not_utf8(odd_index):
    from govdocs.index import catalog_store

    path, index = odd_index
    (key,) = catalog_store.stored_keys(index)
    assert key.split("\0")[0] == str(path.parent.resolve()) + "/" + SHOWN
    again = runner.invoke(app, ["index", str(path.parent), "--index", str(index)])  # the file is known again
    assert again.exit_code == 0 and "0 added, 0 updated, 0 removed, 1 unchanged" in said(again)


@pytest.mark.slow  # builds an index
def test_search_hits_name_the_file_as_text(odd_index):
    path, index = odd_index
    result = runner.invoke(app, ["search", "营商环境", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout_bytes.decode("utf-8"))
    assert data["total"] == 4 and {h["source"] for h in data["hits"]} == {str(path.parent.resolve()) + "/" + SHOWN}
    table = runner.invoke(app, ["search", "营商环境", "--index", str(index)], env={"COLUMNS": "400"})
    assert table.exit_code == 0 and SHOWN in table.stdout_bytes.decode("utf-8")


@pytest.mark.slow  # builds an index
def test_export_reads_a_file_whose_name_is_not_utf8(odd_index, tmp_path):
    """From the index (the file found again from its name as text) and from the file named."""
    path, index = odd_index
    for args in (["--index", str(index)], [str(path)]):
        out = tmp_path / "docs.jsonl"
        result = runner.invoke(app, ["export", *args, "--out", str(out)])
        assert result.exit_code == 0 and "exported 8 documents from 1 files" in said(result), result.output
        records = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
        assert len(records) == 8 and all(r["source"]["path"].endswith(SHOWN) for r in records)


# -- 4. paths that cannot be read --------------------------------------------------------------

@pytest.fixture
def locked(tmp_path) -> Path:
    """a.txt; c.txt that nobody may read; locked/ that nobody may enter, and link.txt into it."""
    folder = tmp_path / "up"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(ISSUE_2019, folder / "a.txt")
    shutil.copy(ISSUE_2017, folder / "c.txt")
    shutil.copy(ISSUE_2017, folder / "locked" / "b.txt")
    (folder / "link.txt").symlink_to(folder / "locked" / "b.txt")
    (folder / "c.txt").chmod(0)
    (folder / "locked").chmod(0)
    yield folder
    (folder / "locked").chmod(0o755)
    (folder / "c.txt").chmod(0o644)


@pytest.mark.slow  # subprocesses
def test_a_link_into_a_folder_that_cannot_be_read_is_one_line(locked, file_modes_bind):
    result = govdocs("parse", str(locked / "link.txt"), unprivileged=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert errors(result.stderr) == [f"error: {locked}/link.txt: cannot be reached (permission denied on a folder on "
                                     "the way) — give read access, or leave it out"]


@pytest.mark.slow  # subprocesses
def test_an_unreadable_file_among_others_is_one_line_and_the_others_are_read(locked, tmp_path, file_modes_bind):
    """parse and export read the others and exit 1 with one line (exit 2 and nothing before:
    the argument parser refused the unreadable file); index indexes the others and keeps
    what it held of the unreadable one."""
    line = f"error: {locked}/c.txt: cannot read this file (permission denied) — give read access"
    parsed = govdocs("parse", str(locked / "a.txt"), str(locked / "c.txt"), "--format", "json", unprivileged=True)
    assert parsed.returncode == 1 and errors(parsed.stderr) == [line], parsed.stderr
    assert len(json.loads(parsed.stdout)["documents"]) == 8  # the one file read
    exported = govdocs("export", str(locked / "a.txt"), str(locked / "c.txt"), "--out", "-", unprivileged=True)
    assert exported.returncode == 1 and errors(exported.stderr) == [line] and len(exported.stdout.splitlines()) == 8
    index = tmp_path / "ix"
    (locked / "c.txt").chmod(0o644)
    first = govdocs("index", str(locked / "c.txt"), "--index", str(index), "--jobs", "1")
    assert first.returncode == 0, first.stderr
    (locked / "c.txt").chmod(0)
    again = govdocs("index", str(locked / "a.txt"), str(locked / "c.txt"), "--index", str(index), "--jobs", "1",
                    unprivileged=True)
    assert again.returncode == 1 and errors(again.stderr) == [line], again.stderr
    assert "1 added, 0 updated, 0 removed, 0 unchanged" in again.stdout  # c.txt kept, not removed
    assert totals(index) == 193


def test_an_unreadable_file_named_among_others_injected(tmp_path, monkeypatch):
    """Injected: opening c.txt refused as for a user who may not read it."""
    import govdocs.inputs as inputs

    shutil.copy(ISSUE_2019, tmp_path / "a.txt")
    shutil.copy(ISSUE_2017, tmp_path / "c.txt")
    real = os.open

    def refusing(path, flags, *args):
        if str(path).endswith("c.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *args)

    monkeypatch.setattr(inputs.os, "open", refusing)
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), str(tmp_path / "c.txt"), "--format", "jsonl"])
    assert result.exit_code == 1
    assert [len(json.loads(line)["documents"]) for line in result.stdout.splitlines()] == [8]
    assert errors(result.output) == [f"error: {tmp_path}/c.txt: cannot read this file (permission denied) — give read "
                                     "access"]


# -- 6. a real file size limit -----------------------------------------------------------------

@pytest.mark.slow  # subprocesses
def test_an_export_past_the_file_size_limit_keeps_the_previous_one(tmp_path):
    out = tmp_path / "docs.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")
    result = govdocs("export", str(ISSUE_2019), "--out", str(out), limit=50_000)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert errors(result.stderr) == [f"error: could not write {out}: a file reached the size limit (ulimit -f) — raise "
                                     "the limit and export again (any earlier export there is unchanged)"]
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl"]


@pytest.mark.slow  # subprocesses that index
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_indexing_past_the_file_size_limit_keeps_the_index(corpus_index, tmp_path, jobs):
    """A segment outgrows `ulimit -f` (in a worker with --jobs 2): one line, exit 1, the index
    file for file as it was — no dead segment, no MAIN.tmp."""
    index = copy_index(corpus_index, tmp_path / "ix")
    new = tmp_path / "new"
    new.mkdir()
    for i in (1, 2):
        (new / f"{i}.txt").write_text(ISSUE_2019.read_text(encoding="utf-8").replace("青政〔2019〕45号",
                                                                                   f"青政〔2019〕{200 + i}号"),
                                      encoding="utf-8")
    before = listing(index)
    result = govdocs("index", str(new), "--index", str(index), "--jobs", jobs, limit=200_000)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert errors(result.stderr) == [f"error: could not write the index at {index}: a file reached the size limit "
                                     "(ulimit -f) — raise the limit or choose another --index, then run again (the "
                                     "index is as it was before this run)"]
    after = listing(index)
    assert but_holder(after) == but_holder(before)
    assert totals(index) == 193
