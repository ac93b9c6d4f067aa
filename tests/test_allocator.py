"""`govdocs.allocator`: the `govdocs` program keeps the memory a search frees for the next one."""

import platform
import subprocess
import sys

import pytest

#: allocate, fill and free an 8 MB array, then do it again, and print the page faults of the second time
_SECOND_ARRAY = """
import resource, sys
import numpy as np
from govdocs.allocator import keep_freed_memory
if sys.argv[1] == "kept":
    assert keep_freed_memory()
def faults(): return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(1_000_000); del a
before = faults()
b = np.ones(1_000_000)
print(faults() - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc")
def test_a_freed_array_is_reused_not_faulted_in_again():
    def second(mode: str) -> int:
        out = subprocess.run([sys.executable, "-c", _SECOND_ARRAY, mode], capture_output=True, text=True, check=True)
        return int(out.stdout)

    default, kept = second("default"), second("kept")
    assert kept < 100 and 5 * kept < default  # 8 MB is 2,000 pages: glibc's own thresholds fault in ~900 of them


def test_search_and_serve_set_the_allocator_and_index_does_not(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import govdocs.allocator
    from govdocs.cli import app

    calls = []
    monkeypatch.setattr(govdocs.allocator, "keep_freed_memory", lambda: calls.append(True))
    runner = CliRunner()
    index = str(tmp_path / "index")
    assert runner.invoke(app, ["index", "--index", index, "--jobs", "1"]).exit_code == 0
    assert calls == []
    assert runner.invoke(app, ["search", "刘宁", "--index", index, "--format", "json"]).exit_code == 0
    assert calls == [True]
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: calls.append("served"))
    assert runner.invoke(app, ["serve", "--index", index]).exit_code == 0
    assert calls == [True, True, "served"]
