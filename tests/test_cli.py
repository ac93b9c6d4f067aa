"""The CLI: exit codes and the JSON it prints."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from govdocs.cli import app
from tests.conftest import CORPUS, FIXTURES, ISSUE_2019

runner = CliRunner()


def test_json_for_one_file_is_an_object():
    res = runner.invoke(app, ["parse", str(ISSUE_2019), "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["issue"]["total_number"] == 456
    assert [d["doc_number"] for d in data["documents"]][:2] == ["青政〔2019〕45号", "青政〔2019〕46号"]
    assert len(data["chronicle"]["entries"]) == 88
    for name in ("id", "doc_number", "doc_numbers", "issuer", "title", "doc_type", "recipients", "date", "signatories",
                 "note", "body", "sections", "attachment", "annexes", "references", "appointments", "members",
                 "warnings", "fragments"):
        assert name in data["documents"][0]
    assert set(data["source"]) >= {"path", "sha256", "encoding"}


def test_folder_gives_a_list_and_jsonl_one_line_per_file():
    res = runner.invoke(app, ["parse", str(CORPUS), "--format", "json"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 2
    res = runner.invoke(app, ["parse", str(CORPUS), "--format", "jsonl"])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [len(r["documents"]) for r in rows] == [8, 6]


def test_table_summary():
    res = runner.invoke(app, ["parse", str(ISSUE_2019)], env={"COLUMNS": "160"})
    assert res.exit_code == 0
    assert "青政人〔2019〕9号、10号" in res.stdout
    assert "88 chronicle entries (2019-06)" in res.stdout


def test_unreadable_files_fail_with_one_line_but_others_print(tmp_path):
    bad = tmp_path / "image.bin"
    bad.write_bytes(b"\x00\x01\x02\x03")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = runner.invoke(app, ["parse", str(ISSUE_2019), str(bad), str(empty), str(tmp_path / "missing.txt"), "-f", "jsonl"])
    assert res.exit_code == 1
    assert len(res.stdout.splitlines()) == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3 and any("empty file" in e for e in errors) and any("no such file" in e for e in errors)


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["parse"]).exit_code == 2
    assert runner.invoke(app, ["parse", str(FIXTURES), "--format", "xml"]).exit_code == 2


def test_module_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "govdocs", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("govdocs ")


@pytest.mark.slow  # four whole `govdocs` processes
def test_search_program_ends_with_all_its_output(corpus_index):
    """`govdocs search` ends the usual way (its teardown runs: no `os._exit`), its output
    complete, and a failure exits 1 with its message."""
    import json
    import subprocess
    import sys

    def govdocs(*args):
        return subprocess.run([sys.executable, "-m", "govdocs", "search", *args, "--index", str(corpus_index)],
                              capture_output=True, text=True)

    out = govdocs("刘宁", "--format", "json", "--limit", "50")
    assert out.returncode == 0 and out.stderr == ""
    data = json.loads(out.stdout)
    assert data["total"] > 0 and len(data["hits"]) == min(50, data["total"])
    table = govdocs("刘宁", "--limit", "3")
    assert table.returncode == 0 and table.stdout.count("刘宁") >= 3 and table.stdout.endswith("\n")
    bad = govdocs("刘宁 OR")
    assert bad.returncode == 1 and "OR needs a word on both sides" in bad.stderr
    # the interpreter's teardown (atexit handlers included) runs after success and failure alike
    probe = ("import atexit, sys; atexit.register(lambda: sys.stderr.write('torn down')); "
             "from govdocs.cli import run; sys.argv[0] = 'govdocs'; run()")
    for query, code, torn_down in (("刘宁", 0, True), ("刘宁 OR", 1, True)):
        ran = subprocess.run([sys.executable, "-c", probe, "search", query, "--format", "json",
                              "--index", str(corpus_index)],
                             capture_output=True, text=True)
        assert ran.returncode == code and ("torn down" in ran.stderr) == torn_down


def test_the_command_starts_no_blas_threads_unless_asked(corpus_index):
    """`run()` asks NumPy's OpenBLAS for one thread (govdocs does no linear algebra): after a
    search the process has its main thread only; a user's own OPENBLAS_NUM_THREADS is kept."""
    import subprocess
    import sys

    probe = ("import atexit, os, sys; atexit.register(lambda: sys.stderr.write("
             "f\"{os.environ['OPENBLAS_NUM_THREADS']} {len(os.listdir('/proc/self/task'))}\")); "
             "from govdocs.cli import run; sys.argv[0] = 'govdocs'; run()")
    command = [sys.executable, "-c", probe, "search", "刘宁", "--format", "json", "--index", str(corpus_index)]
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    ran = subprocess.run(command, capture_output=True, text=True, env=env)
    assert ran.returncode == 0 and ran.stderr.split()[-2:] == ["1", "1"]
    ran = subprocess.run(command, capture_output=True, text=True, env={**env, "OPENBLAS_NUM_THREADS": "2"})
    assert ran.returncode == 0 and ran.stderr.split()[-2] == "2"


def test_only_the_command_run_is_built():
    """`run()` builds only the command named first; anything else gets the whole app, and the
    lean app answers as the whole one does (usage errors included)."""
    from govdocs.cli import only_the_command

    def names(typer_app):
        return [c.callback.__name__ for c in typer_app.registered_commands]

    every = names(app)
    assert names(only_the_command(["search", "刘宁", "--format", "json"])) == ["search"]
    assert names(only_the_command(["schema", "document"])) == ["schema"]
    for args in ([], ["--help"], ["--version"], ["serch", "x"], ["--version", "search"]):
        assert only_the_command(args) is app
    assert names(app) == every and "search" in every and len(every) == 10  # the app keeps them all
    runner = CliRunner()
    for args in (["schema", "document"], ["schema", "nothing"], ["search", "--limit", "x", "q"]):
        whole, lean = runner.invoke(app, args), runner.invoke(only_the_command(args), args)
        assert (lean.exit_code, lean.output) == (whole.exit_code, whole.output)
    assert runner.invoke(only_the_command(["schema", "document"]), ["schema", "document"]).exit_code == 0


def test_a_long_title_wraps_beside_its_rank():
    import io

    from rich.console import Console

    from govdocs.index.search import Hit, Results
    from govdocs.views import print_results

    title = "青海省人民政府关于印发青海省深化收费公路制度改革取消高速公路省界收费站实施方案的通知"
    hit = Hit(id="d1", kind="document", doc_number="青政〔2019〕45号", title=title, issuer=None, date="2019-07-05",
              score=1.0, snippets=[], source="a.txt", line=3)
    out = io.StringIO()
    print_results(Console(file=out, width=40), Results(total=1, took_ms=1.0, hits=[hit]))
    assert out.getvalue().splitlines()[2:6] == [  # the title continues under itself, beside the rank
        " 1  青海省人民政府关于印发青海省深化收费",
        "    公路制度改革取消高速公路省界收费站实",
        "    施方案的通知",
        "    文件 · 青政〔2019〕45号 · 2019-07-05",
    ]
