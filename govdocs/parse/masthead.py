"""Stage 3 — the issue's front matter: masthead (gazette, year, 期, 总期) and table of contents.

Works on the lines before the first document. TOC entries wrapped over several lines
are joined (the page number in brackets ends an entry); letter-spaced rubric lines
(`省 政 府 文 件`) head the entries below them.
"""

from __future__ import annotations

from govdocs.model import Issue, TocEntry
from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, fullwidth_to_ascii_digits, join_wrapped, span_of, squash


def parse_front_matter(lines: list[Line]) -> Issue:
    issue = Issue()
    if not lines:
        return issue
    issue.front_matter = [span_of(lines)]
    toc_at = None
    for i, line in enumerate(lines):
        text = line.text
        if issue.gazette is None and (m := P.GAZETTE_NAME.match(squash(text))):
            issue.gazette = m["name"]
        if issue.number is None and (m := P.ISSUE_NUMBER.match(text)):
            issue.year = int(fullwidth_to_ascii_digits(m["year"]))
            issue.number = int(fullwidth_to_ascii_digits(m["number"]))
            issue.year_source = "masthead"
        if issue.total_number is None and (m := P.TOTAL_NUMBER.search(text)):
            issue.total_number = int(fullwidth_to_ascii_digits(m["total"]))
        if P.TOC_HEADING.match(text):
            toc_at = i
            break
    if toc_at is not None:
        issue.toc = _parse_toc(lines[toc_at + 1 :])
    return issue


def _parse_toc(lines: list[Line]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    rubric: str | None = None
    pending: list[Line] = []
    for line in lines:
        text = line.text
        if P.EDITORIAL_BOARD.match(text):
            break
        page = P.TOC_PAGE.search(text)
        if page is None:
            if not pending and P.TOC_RUBRIC.match(text) and len(squash(text)) <= 12:
                rubric = squash(text)
            else:
                pending.append(line)
            continue
        pending.append(line)
        parts = [ln.text for ln in pending]
        parts[-1] = P.TOC_PAGE.sub("", parts[-1])
        entries.append(TocEntry(
            rubric=rubric,
            title=squash(join_wrapped(parts)),
            page=int(fullwidth_to_ascii_digits(page["page"])),
            line=pending[0].no,
            start=pending[0].start,
            end=pending[-1].end,
        ))
        pending = []
    return entries
