"""What every `govdocs` command shares: the Typer app, consoles, errors, file lists, options.

Machine output (json, jsonl, csv) goes to stdout as plain text; Rich tables go to stdout and
messages and progress bars to stderr. Exit codes: 0 ok, 1 failure, 2 usage. Heavy modules
(the parser, Whoosh) are imported inside the commands that need them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from govdocs import __version__
from govdocs.vocab import LEVELS, RENAMED, STATUSES

if TYPE_CHECKING:
    from govdocs.service import Corpus

T = TypeVar("T")

app = typer.Typer(
    help="Parse, index and search Chinese government gazettes (政报).",
    no_args_is_help=True,
    add_completion=False,
)


def console(stderr: bool = False):
    """A Rich console, made when asked for (JSON output never imports Rich's console) and
    never kept: a console reads the terminal's width (COLUMNS) when it is made, so a kept
    one would carry the width of the first command run in the process to the next."""
    from rich.console import Console

    return Console(stderr=stderr)


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


def one_of(values: Sequence[str], aliases: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings of a `typer.Option` or `typer.Argument` that takes one of a closed vocabulary
    (`govdocs.vocab`, not a copy of it): exactly `values`, and the earlier spellings `aliases`
    read as the value each stands for (documents → document); --help lists `values`. Anything
    else is a usage error (exit 2) that names them."""
    def parse(value: str) -> str:
        if value in values:
            return value
        if aliases and value in aliases:
            return aliases[value]
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(values)}")

    parse.__name__ = "|".join(values)  # what --help shows as the type, as for an Enum's choices
    parser: Callable[[str], str] = parse
    return {"parser": parser}


#: --status (search, export): every status the library works out, and the earlier names it still reads
STATUS_CHOICES = one_of(STATUSES, {name: name for name in RENAMED})
#: --level (search, export)
LEVEL_CHOICES = one_of(LEVELS)


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people; json or jsonl for programs.")]


#: --format for the listing commands: a Rich table for people, JSON for programs
TableFormatOption = Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people; json for programs.")]
#: the document `refs` and `show` are about
WantedArgument = Annotated[str, typer.Argument(
    metavar="NUMBER|ID", help="A 发文字号 (any printed variant) or a document id.", show_default=False)]
#: --as-of: the day a status is worked out for (refs, show, search, export)
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Statuses on this day, e.g. 2019-07-01.",
                                                show_default="today")]
#: the per-user index's place as the help shows it (`store.default_index_dir` works it out;
#: $XDG_DATA_HOME replaces ~/.local/share when set)
DEFAULT_INDEX_TEXT = "$GOVDOCS_INDEX, else ~/.local/share/govdocs/index"
IndexOption = Annotated[str | None, typer.Option("--index", help="Index folder.", show_default=DEFAULT_INDEX_TEXT)]


def _version(value: bool) -> None:
    if value:
        print(f"govdocs {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """govdocs: parse, search and check 政报 issues."""


def fail(problems: list[str]) -> None:
    """One line on stderr per problem (its text printed as text: a path like `[/x]` is no
    markup), then exit 1."""
    from rich.text import Text

    for problem in problems:
        console(True).print(Text.assemble(("error:", "red"), " ", problem), highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


def collect_inputs(paths: list[Path]):
    """The files named, and the text and HTML files inside folders named (sorted), with the
    problems found (`inputs.Inputs`). Files a folder holds that are neither are skipped with
    one line on stderr."""
    from govdocs.inputs import collect

    inputs = collect(paths)
    if summary := inputs.skipped_summary():
        console(True).print(summary, highlight=False, markup=False, soft_wrap=True)
    return inputs


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """`collect_inputs`' files, and its one-line problems — a file that cannot be read among
    them, the others still read."""
    inputs = collect_inputs(paths)
    return inputs.files, inputs.problems + list(inputs.unreadable.values())


def parsed_files(files: list[Path], problems: list[str]):
    """Parse each file, with a progress bar on stderr for long batches; unreadable files become
    one-line problems and the batch goes on."""
    from rich.progress import track

    from govdocs.inputs import path_text
    from govdocs.parse import DecodeError, parse_file

    show_progress = console(True).is_terminal and len(files) > 10
    for path in track(files, description="parsing", console=console(True), transient=True, disable=not show_progress):
        try:
            yield parse_file(path)
        except DecodeError as exc:
            problems.append(f"{path_text(path)}: {exc} — pass UTF-8, GB18030 or UTF-16 text files")
        except OSError as exc:  # unreadable since it was listed
            problems.append(f"{path_text(path)}: cannot read this file ({exc.strerror or exc}) — give read access")


def index_dir_of(option: str | None) -> Path:
    """--index as given (a str: an empty one would read as the current folder), else the
    default; an empty name or an existing file is a usage error."""
    from govdocs.index.store import default_index_dir

    if option is None:
        return default_index_dir()
    if not option.strip():
        raise typer.BadParameter("an empty folder name — give the index folder, e.g. --index ./index",
                                 param_hint="--index")
    folder = Path(option).expanduser()
    if folder.exists() and not folder.is_dir():
        raise typer.BadParameter(f"{option} is a file — the index is a folder", param_hint="--index")
    return folder


def run_index(paths: list[Path], index_dir: Path, rebuild: bool, jobs: int, summary_to_stderr: bool = False) -> None:
    """Index `paths` with a progress bar on stderr; a summary on stdout (stderr when asked)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from govdocs.index.indexer import update_index
    from govdocs.index.store import IndexProblem

    inputs = collect_inputs(paths)
    fail(inputs.problems)  # a folder that cannot be read stops the run: its files would be removed
    with Progress(TextColumn("indexing"), BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=console(True),
                  transient=True, disable=not console(True).is_terminal) as bar:
        task = bar.add_task("indexing", total=None)
        try:
            report = update_index(inputs.files, paths, index_dir, rebuild=rebuild, jobs=jobs, keep=list(inputs.unreadable),
                                  planned=lambda total: bar.update(task, total=total),
                                  progress=lambda _path, size: bar.advance(task, size))
        except IndexProblem as exc:
            fail([str(exc)])
        except OSError as exc:  # a full disk, a file size limit, a read-only folder
            fail([index_write_failure(index_dir, exc)])
    console(summary_to_stderr).print(f"index {report.index_dir}: {len(report.added)} added, {len(report.updated)} updated, "
              f"{len(report.removed)} removed, {report.unchanged} unchanged · {report.records} records "
              f"from {report.bytes / 1e6:.2f} MB", highlight=False, soft_wrap=True)
    from rich.markup import escape

    for path, note in sorted(report.incomplete):
        console(True).print(f"[yellow]partly indexed:[/yellow] {escape(path)}: {escape(note)} — "
                            "`govdocs parse FILE` shows the warnings", highlight=False, soft_wrap=True)
    fail([*inputs.unreadable.values(), *(f"{path}: {problem} — pass UTF-8, GB18030 or UTF-16 text files or HTML pages"
                                         for path, problem in report.failed)])


def write_failure(exc: OSError) -> tuple[str, str]:
    """What stopped a write, and what to do: a file size limit (`ulimit -f`), a full disk …"""
    import errno

    if exc.errno == errno.EFBIG:
        return "a file reached the size limit (ulimit -f)", "raise the limit"
    return str(exc.strerror or exc), "free space"


def index_write_failure(index_dir: Path, exc: OSError) -> str:
    """One line for an index run that could not write: the folder refused, the disk full, a
    file size limit reached. The run leaves nothing the index uses, and removes what it wrote."""
    import errno

    from govdocs.index.store import not_writable

    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return str(not_writable(index_dir))
    cause, remedy = write_failure(exc)
    return (f"could not write the index at {index_dir}: {cause} — {remedy} or choose another --index, then run "
            "again (the index is as it was before this run)")


def ensure_index(folder: Path) -> None:
    """A fresh machine's first search (or refs) builds the bundled corpus's index — only where
    there is no index at all: a damaged one is reported, never replaced."""
    from govdocs.index.store import IndexProblem, check_not_foreign, damaged, holds_index_files, index_exists
    from govdocs.inputs import bundled_corpus

    if index_exists(folder):
        return
    if holds_index_files(folder):
        fail([str(damaged(folder))])
    try:
        check_not_foreign(folder)  # never an index built into someone else's folder
    except IndexProblem as exc:
        fail([str(exc)])
    console(True).print(f"no index at {folder} yet: indexing the bundled corpus first", highlight=False, markup=False)
    run_index([bundled_corpus()], folder, False, os.cpu_count() or 1, summary_to_stderr=True)


#: the catalog's file beside the index (`index.catalog_store.CATALOG_FILE`: importing that
#: module would load the parser, lxml and regex into every search)
CATALOG_FILE = "relations.sqlite"
#: of the index's files (its catalog's `files`, keyed "path\0sha256"): how many, how many not
#: under a folder (the path's first :n characters are not :prefix), the first of those
OUTSIDE_QUERY = ("SELECT count(*), coalesce(sum(substr(file_key, 1, :n) != :prefix), 0), "
                 "min(CASE WHEN substr(file_key, 1, :n) != :prefix THEN file_key END) FROM files")


def files_outside(folder: Path, here: Path) -> tuple[int, int, str | None] | None:
    """(files the index at `folder` holds, how many of them lie outside the folder `here` (a
    resolved path, as the catalog's are), the
    first such path) from its catalog (which the indexer keeps equal to the index's file list),
    counted by SQLite: at 1 GB, reading the 4,400 paths into Python cost a search command ~10 ms.
    None when the catalog cannot be read without waiting or writing: none, an older one, an
    index run holding it."""
    import sqlite3

    if not (folder / CATALOG_FILE).is_file():
        return None
    prefix = str(here).rstrip(os.sep) + os.sep
    try:
        db = sqlite3.connect(f"{(folder / CATALOG_FILE).resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            total, outside, first = db.execute(OUTSIDE_QUERY, {"n": len(prefix), "prefix": prefix}).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return total, outside, first.split("\0", 1)[0] if first else None


def note_index(folder: Path) -> None:
    """One line on stderr naming the index that answered when it holds files from outside the
    current folder (the per-user index filled from another project, say), so a person can tell
    which corpus the answer comes from. Machine output on stdout is unchanged."""
    here = Path.cwd().resolve()
    found = files_outside(folder, here)
    if found and found[1]:
        total, outside, first = found
        console(True).print(f"searched the index at {folder}, which holds files from outside {here} "
                            f"({outside} of {total}, e.g. {first}) — --index DIR searches another", highlight=False,
                            markup=False, soft_wrap=True)


DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_bound(value: str | None, end: bool) -> str | None:
    """2019 → 2019-01-01 (or 2019-12-31 for an end); 2019-06 → 2019-06-01 / 2019-06-30; a date
    that does not exist (2019-13, 2019-02-30) is a usage error."""
    import calendar
    import datetime

    if value is None:
        return None
    if not DAY.match(value):
        raise typer.BadParameter(f"{value!r} is not a date — write 2019, 2019-06 or 2019-06-10")
    parts = [int(p) for p in value.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else (12 if end else 1)
    if not 1 <= month <= 12:
        raise typer.BadParameter(f"{value!r} has no month {month} — months run 01 to 12")
    last = calendar.monthrange(year, month)[1]
    day = parts[2] if len(parts) > 2 else (last if end else 1)
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a day of {year}-{month:02d} (it has {last})") from None


def ask_index(index_dir: str | None, ask: Callable[[Corpus], T], not_found: str) -> T:
    """`ask(corpus)` of the index at `index_dir` (the bundled corpus's built first where there
    is no index): an `IndexProblem` is its one line, an unknown number or id `not_found`; the
    index is named on stderr when it holds files from elsewhere (`note_index`)."""
    from govdocs.relations.refs import NotFound
    from govdocs.service import Corpus, IndexProblem

    folder = index_dir_of(index_dir)
    ensure_index(folder)
    try:
        answer = ask(Corpus(folder))
    except IndexProblem as exc:
        fail([str(exc)])
    except NotFound:
        fail([not_found])
    note_index(folder)
    return answer
