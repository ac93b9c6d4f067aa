"""Rich renderings for people: the parse summary and search results (the CLI prints them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

if TYPE_CHECKING:
    from govdocs.model import ParsedIssue

KIND_LABELS = {"document": "文件", "appointment": "任免", "chronicle": "大事记"}
#: where a hit's title continues and its details stand, under the rank
INDENT = " " * 4


def compact_numbers(numbers: list[str]) -> str:
    """青政人〔2019〕9号, 青政人〔2019〕10号 → 青政人〔2019〕9号、10号 (as printed)."""
    if not numbers:
        return "—"
    out = numbers[0]
    prefix = numbers[0][: numbers[0].index("〕") + 1] if "〕" in numbers[0] else None
    for n in numbers[1:]:
        out += "、" + (n[len(prefix):] if prefix and n.startswith(prefix) else n)
    return out


def print_issue(console: Console, result: ParsedIssue) -> None:
    issue = result.issue
    where = result.source.path or "<text>"
    title = " ".join(str(x) for x in (
        issue.gazette or ("(a single document)" if len(result.documents) == 1 and not issue.toc else "(no masthead)"),
        f"{issue.year}年" if issue.year else "",
        f"第{issue.number}期" if issue.number else "",
        f"总第{issue.total_number}期" if issue.total_number else "",
    ) if x)
    from rich.table import Table  # imported where a table is drawn: a search prints none

    table = Table(title=Text(f"{where} — {title}"), title_justify="left", show_lines=False)  # a path is no markup
    table.add_column("文号", no_wrap=True)
    table.add_column("日期", no_wrap=True)
    table.add_column("文种", no_wrap=True)
    table.add_column("标题", ratio=1, min_width=24, overflow="fold")
    table.add_column("任免/附件", justify="right", no_wrap=True)
    for doc in result.documents:
        counts = f"{len(doc.appointments)}/{len(doc.annexes)}" if doc.appointments or doc.annexes else ""
        table.add_row(compact_numbers(doc.doc_numbers), doc.date or "—", doc.doc_type or "—", doc.title, counts)
    console.print(table)
    chron = result.chronicle
    n_warn = len(result.warnings) + sum(len(d.warnings) for d in result.documents)
    console.print(
        f"{len(result.documents)} document{'' if len(result.documents) == 1 else 's'} · "
        f"{sum(len(d.appointments) for d in result.documents)} appointments · "
        f"{len(chron.entries) if chron else 0} chronicle entries"
        f"{f' ({chron.year}-{chron.month:02d})' if chron and chron.year and chron.month else ''} · "
        f"{len(issue.toc)} TOC entries · {n_warn} warnings · {len(result.repairs)} layout repairs · "
        f"{result.coverage.placed}/{result.coverage.lines} lines placed",
        highlight=False,
    )
    for rep in result.repairs:
        console.print(Text.assemble("  ", ("repair", "cyan"), f" {rep.message}"), highlight=False)
    for w in result.warnings + [w for d in result.documents for w in d.warnings]:
        where = f" (line {w.line})" if w.line else ""
        console.print(Text.assemble("  ", ("warning", "yellow"), f" {w.code}: {w.message}{where}"), highlight=False)
    console.print()


def marked(snippet) -> Text:
    """A snippet with its marks in bold reverse video."""
    text = Text(snippet.text)
    for start, end in snippet.marks:
        text.stylize("bold reverse", start, end)
    return text


def print_results(console: Console, results) -> None:
    """One block per hit: its rank and title, then (indented) kind · 文号 · date, the
    snippets with their marks, and where it stands in the source. A list rather than a table:
    a snippet gets the whole width and a path is never folded."""
    shown = len(results.hits)
    width = max(console.width - len(INDENT), 8)  # for a title beside its rank
    top = f" (top {shown})" if shown < results.total else ""
    blocks: list[RenderableType] = [
        Text(f"{results.total} hit{'' if results.total == 1 else 's'}{top} · {results.took_ms} ms")]
    for i, hit in enumerate(results.hits, 1):
        numbers = compact_numbers(hit.doc_number.split(",")) if hit.doc_number else ""
        snippets = list(hit.snippets)
        if snippets and snippets[0].text.rstrip("。；！？") == hit.title:  # a chronicle entry's headline
            title = marked(snippets.pop(0))
            title.stylize("bold")
        else:
            title = Text(hit.title, style="bold")
        head = Text(f"{i:>2}  ", style="dim")
        if title.cell_len > width:  # wrapped under itself, beside the rank (Rich would move a
            # title without spaces, as Chinese has none, to a line of its own)
            title = Text(f"\n{INDENT}").join(title.wrap(console, width))
        head.append_text(title)
        body = Text(" · ".join(x for x in (KIND_LABELS.get(hit.kind, hit.kind), numbers, hit.date or "") if x),
                    style="cyan")
        for snip in snippets:
            body.append("\n")
            body.append_text(marked(snip))
        where = f"{hit.source or ''}:{hit.line}" if hit.line else (hit.source or "")
        if where:
            body.append(f"\n{where}", style="dim")
        blocks += (Text(), head, Padding(body, (0, 0, 0, len(INDENT)), expand=False))
    console.print(Group(*blocks))  # one print: every print measures the terminal anew


def print_facets(console: Console, facets: dict[str, dict[str, int]]) -> None:
    for name, counts in facets.items():
        if counts:
            listed = " · ".join(f"{k} {v}" for k, v in counts.items())
            console.print(Text.assemble((name, "bold"), ": " + listed), highlight=False)


RELATION_LABELS = {"issues": "印发", "forwards": "转发", "amends": "修订", "repeals": "废止", "based_on": "依据",
                   "refers_to": "参照", "implements": "贯彻落实", "mentions": "提及"}
#: a relation read from the cited side (`refs`' "cited by"): 青政〔2018〕49号 is repealed by 45号
CITED_BY_LABELS = {"issues": "issued by", "forwards": "forwarded by", "amends": "amended by",
                   "repeals": "repealed by", "based_on": "basis of", "refers_to": "referred to by",
                   "implements": "implemented by", "mentions": "mentioned by"}
#: the evidence behind a status, by its relation: a change made by another document, or the
#: document's own effect and validity sentences
EVIDENCE_LABELS = {"repeals": "repealed by {by} on {date}", "amends": "amended by {by} on {date}",
                   "effective": "in effect from {date} (its own text)", "expires": "valid until {date} (its own text)",
                   "valid_years": "valid until {date} (its own text)", "dated": "dated {date}"}
STATUS_STYLES = {"in_force": "green", "amended": "yellow", "repealed": "red", "not_yet_issued": "cyan",
                 "unknown": "dim", "not_in_corpus": "dim"}
SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "cyan"}


def _relation(name: str) -> str:
    return f"{name} {RELATION_LABELS.get(name, '')}".strip()


def _cited_by(name: str) -> str:
    """The relation as the cited document undergoes it: repeals → repealed by 废止."""
    return f"{CITED_BY_LABELS.get(name, name + ' by')} {RELATION_LABELS.get(name, '')}".strip()


def _evidence(ev) -> str:
    """repealed by 青政〔2019〕45号 on 2019-07-05 / in effect from 2019-08-01 (its own text)."""
    label = EVIDENCE_LABELS.get(ev.relation, ev.relation + " by {by} on {date}")
    return label.format(by=ev.by_number or f"«{ev.by_title}»", date=ev.date or "?")


def short_path(path: str | None) -> str:
    """A path relative to the working folder when it lies inside it."""
    if not path:
        return ""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def _where(path: str | None, line: int | None) -> str:
    return f"{short_path(path)}:{line}" if line else short_path(path)


def print_refs(console: Console, found) -> None:
    """`govdocs refs`: the document, its status with evidence, what it cites, what cites it."""
    for r in found:
        st = r.status
        console.print(Text(f"{r.doc_number or '(no 文号)'} {r.title or ''}", style="bold"))
        where = _where(r.path, r.line) if r.path else "not in the corpus"
        console.print("  " + " · ".join(x for x in (r.issuer, r.date, r.gazette, where) if x), style="dim",
                      highlight=False)
        status = Text("  status: ")
        status.append(st.status, style=STATUS_STYLES.get(st.status, ""))
        if st.as_of:
            status.append(f" as of {st.as_of}")
        for ev in st.evidence:
            status.append(f" · {_evidence(ev)}")
        console.print(status, highlight=False)
        sections = [("cites", [(_relation(x.relation), " ".join(y for y in (x.doc_number, f"《{x.title}》" if x.title
                     else None) if y), _found(x), x.line, x.sentence) for x in r.cites]),
                    ("cited by", [(_cited_by(c.relation), c.doc_number or c.title,
                                   " · ".join(x for x in (c.date, c.gazette, _where(c.path, c.line)) if x), None,
                                   c.sentence) for c in r.cited_by])]
        for name, rows in sections:
            console.print(f"  [bold]{name}[/bold] ({len(rows)})", highlight=False)
            for relation, what, extra, line, sentence in rows:
                head = Text(f"    {relation:<14} ", style="cyan")
                head.append(what)
                if extra:
                    head.append(f"  {extra}", style="dim")
                if line:
                    head.append(f"  line {line}", style="dim")
                console.print(head, highlight=False)
                console.print(Text(f"        {sentence}", style="italic"), highlight=False)
        console.print()


def _found(ref) -> str:
    found = {"self": "the text it carries", "in_corpus": "in corpus", "not_in_corpus": "not in corpus"}.get(
        ref.resolution or "", "")
    return f"{found}; its title is «{ref.target_title}»" if ref.target_title else found


def print_findings(console: Console, findings, counts: dict[str, int]) -> None:
    """`govdocs check`: one entry per finding — what was found, then what to do — errors first,
    then the count per severity."""
    for f in findings:
        head = Text(f"{f.severity:<8}", style=SEVERITY_STYLES.get(f.severity, ""))
        head.append(f"{f.code}  ", style="bold")
        head.append(_where(f.file, f.line), style="dim")
        console.print(head, highlight=False)
        console.print(Text(f"        {f.message}"), highlight=False)
        if f.action:
            console.print(Text(f"        → {f.action}", style="green"), highlight=False)
    console.print(" · ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items()) if findings
                  else "no findings", highlight=False)


def print_register(console: Console, found) -> None:
    """`govdocs people`: appointments in date order, places in members lists, then the chronicle
    entries naming the person."""
    from rich.table import Table

    from govdocs.model import ACTION_LABELS

    dates = "–".join(x or "…" for x in (found.since, found.until)) if (found.since or found.until) else None
    who = " · ".join(x for x in (found.name, f"post {found.post}" if found.post else None, dates) if x)
    console.print(Text(f"{who}: {len(found.appointments)} appointments, {len(found.members)} group memberships, "
                       f"{len(found.chronicle)} chronicle entries", style="bold"))
    if found.appointments:
        table = Table(expand=True, show_lines=False)
        for column in ("日期", "任免", "姓名", "职务", "文号"):
            table.add_column(column, overflow="fold", no_wrap=column in ("日期", "任免"),
                             ratio=2 if column == "职务" else None)
        for e in found.appointments:
            table.add_row(e.date or "—", ACTION_LABELS.get(e.action, e.action) + (f"\n{e.reason}" if e.reason else ""),
                          e.person, e.position, compact_numbers(e.doc_numbers) + f"\n{_where(e.path, e.line)}")
        console.print(table)
    if found.members:
        table = Table(expand=True, show_lines=False, title="领导小组成员", title_justify="left")
        for column in ("日期", "角色", "姓名", "职务", "文件"):
            table.add_column(column, overflow="fold", no_wrap=column in ("日期", "角色"),
                             ratio=2 if column in ("职务", "文件") else None)
        for m in found.members:
            notice = compact_numbers(m.doc_numbers) + (f" {m.notice}" if m.notice else "")
            table.add_row(m.date or "—", m.role, m.person, m.position, f"{notice}\n{_where(m.path, m.line)}")
        console.print(table)
    for m in found.chronicle:
        head = Text(f"{m.date or '—'}{'–' + m.date_end if m.date_end else ''}  ", style="bold")
        head.append(_where(m.path, m.line), style="dim")
        console.print(head, highlight=False)
        text = Text(m.text)
        if found.name:
            text.highlight_words([found.name], style="bold reverse")
        console.print(text, highlight=False)


def print_document(console: Console, view) -> None:
    """`govdocs show`: a document's metadata, status and text (a `service.DocumentView`)."""
    record = view.record or {"id": view.id, **view.stored}
    console.print(Text(record.get("title") or "", style="bold"))
    source = record.get("source") or {}
    rows = [("id", record.get("id")), ("number", "、".join(record.get("doc_numbers") or []) or record.get("doc_number")),
            ("issuer", "、".join(record.get("issuers") or []) or record.get("issuer")),
            ("文种", record.get("doc_type") or record.get("regulation")), ("效力级别", record.get("level")),
            ("date", record.get("date")), ("recipients", record.get("recipients")),
            ("signed", "、".join(record.get("signatories") or [])),
            ("source", _where(source.get("path"), source.get("line_start")) if source else record.get("source_path"))]
    for label, value in rows:
        if value:
            pad = " " * max(1, 11 - cell_len(label))  # 文种 is four columns wide, not two
            console.print(Text.assemble((f"  {label}{pad}", "dim"), str(value)), highlight=False)
    status = Text("  status     ")
    status.append(view.refs.status.status, style=STATUS_STYLES.get(view.refs.status.status, ""))
    for ev in view.refs.status.evidence:
        status.append(f" · {_evidence(ev)}")
    console.print(status, highlight=False)
    if view.source_state != "same":
        console.print(Text(f"  the source file was {view.source_state} since it was indexed: the index's copy is shown",
                           style="yellow"), highlight=False)
    console.print(Text(f"  cited by {len(view.refs.cited_by)} record(s), cites {len(view.refs.cites)}", style="dim"),
                  highlight=False)
    console.print()
    console.print(Text(record.get("body") or record.get("content") or ""), highlight=False)
    console.print()
