"""The `govdocs` command: a thin layer over the library API.

Machine output (json, jsonl) goes to stdout as plain JSON; Rich tables and messages
go to stdout/stderr for humans. Exit codes: 0 ok, 1 some input failed, 2 usage.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from govdocs import __version__
from govdocs.model import ParsedIssue
from govdocs.parse import DecodeError, parse_file

app = typer.Typer(
    help="Parse Chinese government gazettes (政报) into structured, source-linked records.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        print(f"govdocs {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """govdocs: parse, search and check 政报 issues."""


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


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Gazette text files or folders of them.", show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table for people; json or jsonl for programs.")] = Format.table,
) -> None:
    """Split gazette issues into documents, appointments and chronicle entries."""
    files, problems = collect_files(paths)
    results: list[ParsedIssue] = []
    show_progress = err.is_terminal and len(files) > 10
    for path in track(files, description="parsing", console=err, transient=True, disable=not show_progress):
        try:
            result = parse_file(path)
        except DecodeError as exc:
            problems.append(f"{path}: {exc} — pass UTF-8, GB18030 or UTF-16 text files")
            continue
        results.append(result)
        if fmt is Format.jsonl:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif fmt is Format.table:
            print_issue(result)
    if fmt is Format.json:
        data = [r.to_dict() for r in results]
        payload = data[0] if len(data) == 1 and len(files) == 1 else data
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    for problem in problems:
        err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


def print_issue(result: ParsedIssue) -> None:
    issue = result.issue
    where = result.source.path or "<text>"
    title = " ".join(str(x) for x in (
        issue.gazette or "(no masthead)",
        f"{issue.year}年" if issue.year else "",
        f"第{issue.number}期" if issue.number else "",
        f"总第{issue.total_number}期" if issue.total_number else "",
    ) if x)
    table = Table(title=f"{where} — {title}", title_justify="left", show_lines=False)
    table.add_column("文号", no_wrap=True)
    table.add_column("日期", no_wrap=True)
    table.add_column("文种", no_wrap=True)
    table.add_column("标题", ratio=1, min_width=24, overflow="fold")
    table.add_column("任免/附件", justify="right", no_wrap=True)
    for doc in result.documents:
        counts = f"{len(doc.appointments)}/{len(doc.annexes)}" if doc.appointments or doc.annexes else ""
        table.add_row(compact_numbers(doc.doc_numbers), doc.date or "—", doc.doc_type or "—", doc.title, counts)
    out.print(table)
    chron = result.chronicle
    n_warn = len(result.warnings) + sum(len(d.warnings) for d in result.documents)
    out.print(
        f"{len(result.documents)} documents · "
        f"{sum(len(d.appointments) for d in result.documents)} appointments · "
        f"{len(chron.entries) if chron else 0} chronicle entries"
        f"{f' ({chron.year}-{chron.month:02d})' if chron and chron.year and chron.month else ''} · "
        f"{len(issue.toc)} TOC entries · {n_warn} warnings · {len(result.repairs)} layout repairs",
        highlight=False,
    )
    for rep in result.repairs:
        out.print(f"  [cyan]repair[/cyan] {rep.message}", highlight=False)
    for w in result.warnings + [w for d in result.documents for w in d.warnings]:
        out.print(f"  [yellow]warning[/yellow] {w.code}: {w.message}" + (f" (line {w.line})" if w.line else ""), highlight=False)
    out.print()


def compact_numbers(numbers: list[str]) -> str:
    """青政人〔2019〕9号, 青政人〔2019〕10号 → 青政人〔2019〕9号、10号 (as printed)."""
    if not numbers:
        return "—"
    out = numbers[0]
    prefix = numbers[0][: numbers[0].index("〕") + 1] if "〕" in numbers[0] else None
    for n in numbers[1:]:
        out += "、" + (n[len(prefix):] if prefix and n.startswith(prefix) else n)
    return out


def run() -> None:
    app()
