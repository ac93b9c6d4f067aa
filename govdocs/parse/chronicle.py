"""The chronicle (大事记): one entry per `●` item, dated with the right year and month.

Entries carry month and day only. The year comes from the heading; when the heading's
month disagrees with the entries (the 2017 issue prints 2016年10月 over January
entries), the month is taken from the entries and the year from the issue, and a
warning says so.
"""

from __future__ import annotations

from collections import Counter

import regex

from govdocs.model import Chronicle, ChronicleEntry, ParseWarning
from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, fullwidth_to_ascii_digits, join_wrapped, span_of, squash
from govdocs.parse.numbers import iso


def parse_chronicle(lines: list[Line], chronicle_id: str, issue_year: int | None,
                    latest: tuple[int, int] | None) -> tuple[Chronicle, list[ParseWarning]]:
    """`latest` is the (year, month) of the issue's latest dated document, if any."""
    heading_line, body = lines[0], lines[1:]
    m = P.CHRONICLE_HEADING.match(heading_line.text)
    assert m is not None, "segment.py starts a chronicle only at a heading that matches"
    h_year = int(fullwidth_to_ascii_digits(m["year"]))
    h_month = int(fullwidth_to_ascii_digits(m["month"]))
    span = span_of(lines)
    chron = Chronicle(id=chronicle_id, heading=squash(heading_line.text), year=h_year, month=h_month,
                      line_start=span.line_start, line_end=span.line_end, start=span.start, end=span.end)
    warnings: list[ParseWarning] = []
    raw_entries: list[tuple[regex.Match[str], list[Line]]] = []
    for line in body:
        if em := P.CHRONICLE_ENTRY.match(line.text):
            raw_entries.append((em, [line]))
        elif P.CHRONICLE_CREDITS.match(line.text):
            chron.credits = " ".join(line.text.split()).strip("()（）")
        elif raw_entries:
            raw_entries[-1][1].append(line)
        else:
            warnings.append(ParseWarning("chronicle.unplaced", f"text before the first ● entry: {line.text[:30]}", line.no))
    months = Counter(int(fullwidth_to_ascii_digits(em["month"])) for em, _ in raw_entries)
    year, month = h_year, h_month
    if months and h_month not in months:
        month = months.most_common(1)[0][0]
        year = _infer_year(month, issue_year, latest, h_year)
        warnings.append(ParseWarning(
            "chronicle.heading",
            f"chronicle heading says {h_year}年{h_month}月 but its {sum(months.values())} entries are dated "
            f"{month}月; dated them {year}-{month:02d} from the issue",
            heading_line.no,
        ))
        chron.heading_year, chron.heading_month = h_year, h_month
        chron.year, chron.month = year, month
    for em, entry_lines in raw_entries:
        entry = _entry(em, entry_lines, year, month, h_month)
        chron.entries.append(entry)
        if entry.date is None or (entry.date_end is None and (em["day_end"] or em["day_and"])):
            printed = em.string[em.start("month"):max(em.end(g) for g in ("day", "day_end", "day_and")) + 1]  # + 日
            warnings.append(ParseWarning("chronicle.impossible-date",
                                         f"the entry's date {printed} does not exist (chronicle of {year}-{month:02d})",
                                         entry.line))
    return chron, warnings


def _infer_year(month: int, issue_year: int | None, latest: tuple[int, int] | None, fallback: int) -> int:
    if latest:
        year, last_month = latest
        return year if month <= last_month else year - 1
    return issue_year or fallback


def _entry(em, lines: list[Line], year: int, chron_month: int, heading_month: int) -> ChronicleEntry:
    month = int(fullwidth_to_ascii_digits(em["month"]))
    day = int(fullwidth_to_ascii_digits(em["day"]))
    # an entry of the month before/after the chronicle's month may cross a year boundary
    y = year + (1 if chron_month == 12 and month == 1 else -1 if chron_month == 1 and month == 12 else 0)
    end_day = em["day_end"] or em["day_and"]
    end_month = int(fullwidth_to_ascii_digits(em["month_end"])) if em["month_end"] else month
    date_end = None
    if end_day:
        y_end = y + (1 if end_month < month else 0)
        date_end = iso(y_end, end_month, int(fullwidth_to_ascii_digits(end_day)))
    text = join_wrapped([em["text"]] + [ln.text for ln in lines[1:]])
    return ChronicleEntry(date=iso(y, month, day), date_end=date_end, text=text,
                          line=lines[0].no, start=lines[0].start, end=lines[-1].end, line_end=lines[-1].no)
