"""The compiled parts, each with a NumPy route that gives the same results where no C compiler
is at hand (installing goes on without them; docs/performance.md has what they save):

- govdocs/index/engine/_positions.c: occurrence positions decoded for phrases;
- govdocs/index/engine/_postings.c: a text field's posting lists read for a search;
- govdocs/index/engine/_bulk.c: postings filed and their blocks written while indexing;
- govdocs/index/_wordtable.c: a batch of texts' postings made from the words jieba cut.

Everything else is in pyproject.toml.
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("govdocs.index.engine._positions", ["govdocs/index/engine/_positions.c"], optional=True),
    Extension("govdocs.index.engine._postings", ["govdocs/index/engine/_postings.c"], optional=True),
    Extension("govdocs.index.engine._bulk", ["govdocs/index/engine/_bulk.c"], optional=True),
    Extension("govdocs.index._wordtable", ["govdocs/index/_wordtable.c"], optional=True),
])
