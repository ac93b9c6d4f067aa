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
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def bundled_corpus() -> Path:
    """The two 青海政报 issues shipped inside the package (`govdocs/corpus`, package data: found
    from a source checkout and from an installed wheel alike)."""
    return Path(__file__).resolve().parent / "corpus"


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as text that is always valid UTF-8: the bytes of a file name that are not UTF-8
    (Linux allows any bytes; Python carries them as lone surrogates, which JSON, sqlite and the
    index cannot hold) are written `\\xNN` — `b"\\xff.txt"` becomes the text `\\xff.txt`. Valid
    names are unchanged. `path_of` finds the file again."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def path_of(text: str) -> Path:
    """The file that `path_text` wrote as `text`: the name itself when it exists (or holds no
    `\\xNN`), else the name with each `\\xNN` read back as its byte."""
    path = Path(text)
    if not _ESCAPED_BYTE.search(text) or path.exists():
        return path
    raw = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), text)
    return Path(raw)


TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(slots=True)
class Inputs:
    files: list[Path] = field(default_factory=list)
    #: extension (".json", "" never) → how many files inside folders were skipped
    skipped: Counter[str] = field(default_factory=Counter)
    #: one line each: a path that does not exist, a folder with nothing to read or that cannot
    #: be read (which stops an index run: its files would be removed as gone)
    problems: list[str] = field(default_factory=list)
    #: files that cannot be read (permission denied on them or on a folder on the way), one
    #: line each: the other files are still read, and an index run leaves these as they were
    unreadable: dict[Path, str] = field(default_factory=dict)

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
        found += [Path(folder) / n for n in names if not n.startswith(".") and _is_file(Path(folder) / n)]
    return found


def _is_file(path: Path) -> bool:
    """A file (or a link to one); a link that cannot be followed for want of permission
    counts, so that it is reported as unreadable rather than silently skipped."""
    try:
        return path.is_file()
    except PermissionError:
        return True


def collect(paths: list[Path]) -> Inputs:
    out = Inputs()
    for path in paths:
        try:
            _collect(path, out)
        except PermissionError:  # a link into a folder that cannot be read: no stat, no listing
            out.unreadable[path] = (f"{path_text(path)}: cannot be reached (permission denied on a folder on the "
                                    "way) — give read access, or leave it out")
    return out


def _collect(path: Path, out: Inputs) -> None:
    if path.is_dir():
        unreadable: list[str] = []
        inside = sorted(_files_under(path, unreadable))
        # a folder that cannot be read is a problem, not an empty folder: indexing on would
        # remove its files from the index as if they were gone
        out.problems += [f"{path_text(u)}: cannot read this folder — give read access, or name the folders to read"
                         for u in unreadable]
        chosen = [p for p in inside if is_readable_name(p)]
        out.skipped.update(p.suffix.lower() for p in inside if not is_readable_name(p))
        if not chosen and not unreadable:
            out.problems.append(f"{path_text(path)}: folder has no text or HTML files — name gazette text files, "
                                "HTML pages or folders that hold them")
        for file in chosen:
            _add(file, out)
    elif path.exists():
        _add(path, out)
    else:
        out.problems.append(f"{path_text(path)}: no such file or folder — check the path")


def _add(path: Path, out: Inputs) -> None:
    """A file to read, unless it cannot be opened (tried without blocking: a pipe named
    directly is refused later, as not a regular file)."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except PermissionError:
        out.unreadable[path] = f"{path_text(path)}: cannot read this file (permission denied) — give read access"
        return
    except OSError:  # read and reported by the parser (a device, a file gone meanwhile)
        pass
    out.files.append(path)
