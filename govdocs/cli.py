"""The `govdocs` command: a thin layer over the library API.

Machine output (json, jsonl) goes to stdout as plain JSON; Rich tables go to stdout and
messages and progress bars to stderr. Exit codes: 0 ok, 1 failure, 2 usage.
Heavy modules (the parser, Whoosh) are imported inside the commands that need them, so a
search does not pay for the parser.
"""

from __future__ import annotations

import json
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

from functools import cache

import typer

from govdocs import __version__

app = typer.Typer(
    help="Parse, index and search Chinese government gazettes (政报).",
    no_args_is_help=True,
    add_completion=False,
)


@cache
def console(stderr: bool = False):
    """Rich consoles, created on first use (JSON output never imports Rich's console)."""
    from rich.console import Console

    return Console(stderr=stderr)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class Kind(str, Enum):
    document = "document"
    appointment = "appointment"
    chronicle = "chronicle"


class Status(str, Enum):
    in_force = "in_force"
    amended = "amended"
    repealed = "repealed"
    unknown = "unknown"


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


class Sort(str, Enum):
    relevance = "relevance"
    date = "date"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people; json or jsonl for programs.")]
IndexOption = Annotated[Optional[Path], typer.Option(
    "--index", help="Index folder [default: $GOVDOCS_INDEX or ~/.local/share/govdocs/index].", show_default=False)]


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
    for problem in problems:
        console(True).print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files named, and the files inside folders named (sorted); plus one-line problems."""
    files, problems = [], []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not inside:
                problems.append(f"{path}: folder has no files — name gazette text files or folders that hold them")
            files.extend(inside)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder — check the path")
    return files, problems


def parsed_files(files: list[Path], problems: list[str]):
    """Parse each file, with a progress bar on stderr for long batches; unreadable files become
    one-line problems and the batch goes on."""
    from rich.progress import track

    from govdocs.parse import DecodeError, parse_file

    show_progress = console(True).is_terminal and len(files) > 10
    for path in track(files, description="parsing", console=console(True), transient=True, disable=not show_progress):
        try:
            yield parse_file(path)
        except DecodeError as exc:
            problems.append(f"{path}: {exc} — pass UTF-8, GB18030 or UTF-16 text files")


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Gazette text files or folders of them.", show_default=False)],
    fmt: FormatOption = Format.table,
) -> None:
    """Split gazette issues into documents, appointments and chronicle entries."""
    from govdocs.views import print_issue

    files, problems = collect_files(paths)
    results = []
    for result in parsed_files(files, problems):
        if fmt is Format.json:
            results.append(result)
        elif fmt is Format.jsonl:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif fmt is Format.table:
            print_issue(console(), result)
    if fmt is Format.json:
        data = [r.to_dict() for r in results]
        payload = data[0] if len(data) == 1 and len(files) == 1 else data
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    fail(problems)


def _index_dir(option: Path | None) -> Path:
    from govdocs.index.store import default_index_dir

    return option or default_index_dir()


def run_index(paths: list[Path], index_dir: Path, rebuild: bool, jobs: int, summary_to_stderr: bool = False) -> None:
    """Index `paths` with a progress bar on stderr; a summary on stdout (stderr when asked)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from govdocs.index.indexer import update_index
    from govdocs.index.store import IndexProblem

    files, problems = collect_files(paths)
    fail(problems)
    with Progress(TextColumn("indexing"), BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=console(True),
                  transient=True, disable=not console(True).is_terminal) as bar:
        task = bar.add_task("indexing", total=None)
        try:
            report = update_index(files, paths, index_dir, rebuild=rebuild, jobs=jobs,
                                  planned=lambda total: bar.update(task, total=total),
                                  progress=lambda _path, size: bar.advance(task, size))
        except IndexProblem as exc:
            fail([str(exc)])
    console(summary_to_stderr).print(f"index {report.index_dir}: {len(report.added)} added, {len(report.updated)} updated, "
              f"{len(report.removed)} removed, {report.unchanged} unchanged · {report.records} records "
              f"from {report.bytes / 1e6:.2f} MB", highlight=False, soft_wrap=True)
    fail([f"{path}: {problem} — pass UTF-8, GB18030 or UTF-16 text files" for path, problem in report.failed])


@app.command()
def index(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Gazette text files or folders [default: the bundled corpus].", show_default=False)] = None,
    index_dir: IndexOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-index every file from scratch.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes [default: CPU count].",
                                                show_default=False)] = None,
) -> None:
    """Add files to the search index; unchanged files are skipped, changed and removed ones updated."""
    from govdocs.index.store import bundled_corpus

    run_index(paths or [bundled_corpus()], _index_dir(index_dir), rebuild, jobs or os.cpu_count() or 1)


def _ensure_index(folder: Path) -> None:
    """A fresh machine's first search (or refs) builds the bundled corpus's index."""
    from govdocs.index.store import bundled_corpus, index_exists

    if not index_exists(folder):
        console(True).print(f"no index at {folder} yet: indexing the bundled corpus first", highlight=False)
        run_index([bundled_corpus()], folder, False, os.cpu_count() or 1, summary_to_stderr=True)


_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date_bound(value: str | None, end: bool) -> str | None:
    """2019 → 2019-01-01 (or 2019-12-31 for an end); 2019-06 → 2019-06-01 / 2019-06-31."""
    if value is None:
        return None
    if not _DAY.match(value):
        raise typer.BadParameter(f"{value!r} is not a date — write 2019, 2019-06 or 2019-06-10")
    parts = value.split("-")
    parts += (["12", "31"] if end else ["01", "01"])[len(parts) - 1:]
    if len(value) == 7 and end:
        parts[2] = "31"  # ISO strings compare as text: -31 closes any month
    return "-".join(parts)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", 文号, OR, -exclude, (groups).', show_default=False)] = "",
    kind: Annotated[Optional[Kind], typer.Option(help="Only documents, appointments or chronicle entries.")] = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only this issuer, e.g. 青海省人民政府办公厅.")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only this 文种, e.g. 通知.")] = None,
    year: Annotated[Optional[int], typer.Option(help="Only this year (of the date).")] = None,
    since: Annotated[Optional[str], typer.Option(help="On or after this date: 2019, 2019-06 or 2019-06-10.")] = None,
    until: Annotated[Optional[str], typer.Option(help="On or before this date.")] = None,
    number: Annotated[Optional[str], typer.Option(help="Only this 发文字号 (any printed variant).")] = None,
    status: Annotated[Optional[Status], typer.Option(help="Only documents with this status (from the corpus's repeals and amendments).")] = None,
    cites: Annotated[Optional[str], typer.Option(help="Only records that cite this 发文字号.")] = None,
    sort: Annotated[Sort, typer.Option(help="relevance, or date (newest first).")] = Sort.relevance,
    limit: Annotated[int, typer.Option(min=1, help="Hits to show.")] = 10,
    facets: Annotated[bool, typer.Option("--facets", help="Count hits per kind, issuer, 文种, year, issue, rubric, annex.")] = False,
    fmt: FormatOption = Format.table,
    show_query: Annotated[bool, typer.Option("--show-query", help="Show the parsed query and its jieba words.")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Search the index; the first search builds the bundled corpus's index if there is none."""
    from govdocs.index.query import QuerySyntaxError
    from govdocs.index.search import Filters, Searcher
    from govdocs.index.store import IndexProblem

    folder = _index_dir(index_dir)
    filters = Filters(kind=kind.value if kind else None, issuer=issuer, doc_type=doc_type,
                      year=str(year) if year else None, since=_date_bound(since, False),
                      until=_date_bound(until, True), number=number, status=status.value if status else None,
                      cites=cites)
    _ensure_index(folder)
    try:
        with Searcher(folder) as searcher:
            results = searcher.search(query, filters, sort=sort.value, limit=limit, facets=facets)
    except QuerySyntaxError as exc:
        fail([f"bad query: {exc}"])
    except IndexProblem as exc:
        fail([str(exc)])
    if fmt is Format.table:
        from govdocs.views import print_facets, print_results

        if show_query:
            console().print(f"query: {results.query}", highlight=False)
            for typed, words in results.tokens:
                console().print(f"  {typed} → {' / '.join(words)}", highlight=False)
        print_results(console(), results)
        if facets:
            print_facets(console(), results.facets)
        return
    data = results.to_dict()
    if show_query:
        data["query"] = {"parsed": results.query, "tokens": [{"text": t, "words": w} for t, w in results.tokens]}
    if fmt is Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for hit in data["hits"]:
            sys.stdout.write(json.dumps(hit, ensure_ascii=False) + "\n")


@app.command()
def refs(
    wanted: Annotated[str, typer.Argument(metavar="NUMBER|ID", help="A 发文字号 (any printed variant) or a document id.",
                                          show_default=False)],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Status on this day: 2019-07-01 (default: today's corpus).")] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people; json for programs.")] = TableOrJson.table,
    index_dir: IndexOption = None,
) -> None:
    """What a document cites, what cites, amends or repeals it, and its status with the evidence."""
    from govdocs.index import catalog_store
    from govdocs.relations.refs import NotFound, refs as find_refs

    day = _date_bound(as_of, True) if as_of else None
    folder = _index_dir(index_dir)
    _ensure_index(folder)
    try:
        found = find_refs(catalog_store.load(folder), wanted, day)
    except NotFound:
        fail([f"{wanted}: no document in the index has this number or id, and nothing cites it — "
              "check the number, or index the files that hold it with `govdocs index PATH`"])
    if fmt is TableOrJson.json:
        payload = {"query": wanted, "as_of": day, "documents": [r.to_dict() for r in found]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    from govdocs.views import print_refs

    print_refs(console(), found)


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Gazette text files or folders [default: the bundled corpus].", show_default=False)] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people; json for programs.")] = TableOrJson.table,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any finding is an error.")] = False,
) -> None:
    """The editors' report: citations, repeals, duplicate numbers, TOC, chronicle, number series."""
    from govdocs.index.store import bundled_corpus
    from govdocs.relations.catalog import Catalog
    from govdocs.relations.check import SEVERITIES, check as run_check
    from govdocs.relations.resolve import resolve

    files, problems = collect_files(paths or [bundled_corpus()])
    parsed = list(parsed_files(files, problems))
    findings = run_check(parsed, resolve(Catalog.from_parsed(parsed)))
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    if fmt is TableOrJson.json:
        payload = {"files": [p.source.path for p in parsed], "counts": counts, "findings": [f.to_dict() for f in findings]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        from govdocs.views import print_findings

        print_findings(console(), findings)
    fail(problems)
    if strict and counts["error"]:
        console(True).print(f"[red]{counts['error']} error(s)[/red] — fix them or run without --strict", highlight=False)
        raise typer.Exit(1)


def run() -> None:
    app()
