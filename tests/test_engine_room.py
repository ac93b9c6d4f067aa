"""The engine keeps to itself: importing the index layer or searching changes nothing of
Whoosh's and nothing of how the rest of the process tokenizes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govdocs.index.analyzer import default_analysis
from govdocs.index.schema import build_schema
from govdocs.index.search import Searcher

#: every attribute of every Whoosh module, and of every class they define, by identity —
#: before and after importing govdocs' index layer, opening a searcher, searching and indexing
CHECK = r"""
import sys, pathlib, tempfile
import whoosh.analysis, whoosh.codec.whoosh3, whoosh.fields, whoosh.filedb.compound, whoosh.filedb.filestore
import whoosh.filedb.structfile, whoosh.index, whoosh.matching, whoosh.query, whoosh.reading, whoosh.searching
import whoosh.writing, whoosh.columns, whoosh.formats, whoosh.scoring

def snapshot():
    seen = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("whoosh"):
            continue
        for attr, value in list(vars(module).items()):
            seen[(name, attr)] = id(value)
            if isinstance(value, type) and value.__module__ == name:
                for key, member in list(vars(value).items()):
                    seen[(name, attr, key)] = id(member)
    return seen

modules = {name: id(module) for name, module in sys.modules.items()}
before = snapshot()
import govdocs.index, govdocs.index.search, govdocs.index.indexer
from govdocs.index.indexer import update_index
from govdocs.index.search import Searcher
folder = pathlib.Path(tempfile.mkdtemp())
update_index([pathlib.Path(sys.argv[1])], [], folder)
with Searcher(folder) as searcher:
    assert searcher.search("人民政府").total > 0
after = snapshot()
added = {k for k in after.keys() - before.keys() if len(k) == 3 and k[2] != "__slotnames__"}  # pickle's cache
changed = sorted(map(str, added | {k for k in before.keys() & after.keys() if before[k] != after[k]}))
replaced = sorted(name for name, ident in modules.items() if name in sys.modules and id(sys.modules[name]) != ident)
foreign = sorted(name for name, module in sys.modules.items() if type(module).__module__.startswith("govdocs"))
print(changed, replaced, foreign)
"""


def test_nothing_of_whoosh_is_replaced(tmp_path):
    from tests.conftest import CORPUS

    sample = sorted(CORPUS.glob("*.txt"))[0]
    out = subprocess.run([sys.executable, "-c", CHECK, str(sample)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] [] []"


def test_a_searcher_keeps_its_analysis_to_itself(corpus_index):
    field = build_schema()["content"]
    text = "青海省人民政府办公厅关于印发营商环境优化方案的通知"
    before = field.index(text)
    assert field.analyzer._analysis() is default_analysis()
    with Searcher(corpus_index) as searcher:
        searcher.search("人民政府")
        assert searcher.parser.analysis is not default_analysis()
        assert build_schema()["content"].analyzer._analysis() is default_analysis()
        assert build_schema()["content"].index(text) == before
    assert field.index(text) == before


def test_importing_the_index_layer_first_installs_no_stand_ins():
    code = ("import sys, govdocs.index.search, govdocs.index.indexer\n"
            "print(sorted(n for n, m in sys.modules.items() if type(m).__module__.startswith('govdocs')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_an_installed_wheel_carries_the_bundled_corpus(tmp_path):
    """`make run` and a first search index the bundled corpus: it must be found from an
    installed package, not only from a source checkout."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(root), "-w", str(tmp_path / "wheel")],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "wheel").glob("govdocs-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(tmp_path / "site"),
                    str(wheel)],
                   check=True, capture_output=True)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from govdocs.inputs import bundled_corpus; "
            "print(bundled_corpus().relative_to(sys.argv[1]), sorted(p.name for p in bundled_corpus().glob('*.txt')))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "site")], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == ("govdocs/corpus ['000_2d9c3dd783fd086b.txt', '004_c08b9330cf72774e.txt']")
