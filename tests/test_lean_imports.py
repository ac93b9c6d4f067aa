"""The command line defers Whoosh's unused heavy imports, and the stand-ins behave as the real modules."""

from __future__ import annotations

import subprocess
import sys

CHECK = r"""
import sys
from govdocs.cli import lean_imports
lean_imports.install()  # what the `govdocs` entry point does first
import whoosh.analysis, whoosh.query, whoosh.reading
deferred = ["urllib.request", "whoosh.lang.morph_en", "whoosh.lang.porter", "whoosh.lang.dmetaphone", "asyncio"]
print(sorted(m for m in deferred if type(sys.modules.get(m)).__name__ == "module"))
from whoosh.analysis import StemmingAnalyzer
from whoosh.lang.dmetaphone import double_metaphone
from whoosh.lang.morph_en import variations
print([t.text for t in StemmingAnalyzer()("running dogs")], double_metaphone("Smith"), "runs" in variations("run"))
import urllib.request
print(urllib.request.Request.__module__, sorted(m for m in deferred[:4] if type(sys.modules.get(m)).__name__ == "module"))
"""


def test_stand_ins_load_the_real_modules_on_first_use():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"  # nothing deferred was imported by importing govdocs.index and Whoosh
    assert out[1] == "['runn', 'dog'] ('SM0', 'XMT') True"  # Whoosh's Porter stemmer's own result
    assert out[2] == ("urllib.request ['urllib.request', 'whoosh.lang.dmetaphone', 'whoosh.lang.morph_en', "
                      "'whoosh.lang.porter']")
