"""Which files a command reads: the files named, and the text and HTML files inside the
folders named.

A folder contributes its text files (`.txt`, `.text`, `.md`, or no extension) and HTML pages
(`.html`, `.htm`, `.xhtml`), recursively, in sorted order, hidden files and folders (`.git`)
excluded; other files
(`.json` metadata beside the texts, images, archives) are skipped and counted by extension so
that one summary line can say so. A file named directly is always tried, whatever its name.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def bundled_corpus() -> Path:
    """The two 青海政报 issues shipped inside the package (`govdocs/corpus`, package data: found
    from a source checkout and from an installed wheel alike)."""
    return Path(__file__).resolve().parent / "corpus"


TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(slots=True)
class Inputs:
    files: list[Path] = field(default_factory=list)
    #: extension (".json", "" never) → how many files inside folders were skipped
    skipped: Counter[str] = field(default_factory=Counter)
    #: one line each: a path that does not exist, a folder with nothing to read
    problems: list[str] = field(default_factory=list)

    def skipped_summary(self) -> str | None:
        """`skipped 30 files (.json 30): not text or HTML`, or None."""
        if not self.skipped:
            return None
        total = sum(self.skipped.values())
        kinds = ", ".join(f"{ext} {n}" for ext, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        return f"skipped {total} file{'s' if total != 1 else ''} in the folders given ({kinds}): not text or HTML"


def is_readable_name(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES


def _files_under(root: Path, unreadable: list[str]) -> list[Path]:
    """Every file below `root`, hidden files and folders (.git) left out; the folders that
    could not be read are added to `unreadable`."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=lambda exc: unreadable.append(exc.filename)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / n for n in names if not n.startswith(".") and (Path(folder) / n).is_file()]
    return found


def collect(paths: list[Path]) -> Inputs:
    out = Inputs()
    for path in paths:
        if path.is_dir():
            unreadable: list[str] = []
            inside = sorted(_files_under(path, unreadable))
            # a folder that cannot be read is a problem, not an empty folder: indexing on would
            # remove its files from the index as if they were gone
            out.problems += [f"{u}: cannot read this folder — give read access, or name the folders to read"
                             for u in unreadable]
            chosen = [p for p in inside if is_readable_name(p)]
            out.skipped.update(p.suffix.lower() for p in inside if not is_readable_name(p))
            if not chosen and not unreadable:
                out.problems.append(f"{path}: folder has no text or HTML files — name gazette text files, "
                                    "HTML pages or folders that hold them")
            out.files.extend(chosen)
        elif path.exists():
            out.files.append(path)
        else:
            out.problems.append(f"{path}: no such file or folder — check the path")
    return out
