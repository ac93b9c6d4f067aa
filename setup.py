"""The one compiled part: occurrence positions decoded in C (govdocs/index/engine/_positions.c).

Everything else is in pyproject.toml. The extension is optional: where it cannot be built (no C
compiler), installing goes on and phrases are decoded by NumPy instead, the same positions
more slowly (docs/performance.md).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("govdocs.index.engine._positions", ["govdocs/index/engine/_positions.c"], optional=True)])
