"""A reviewable digest of a parse: what the golden files pin down.

Run `python -m tests.golden` to rewrite tests/golden/*.json after reading the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from govdocs import parse_file
from govdocs.model import ParsedIssue, Section

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
GOVCN = Path(__file__).resolve().parent / "data" / "govcn"
#: the files the golden digests pin down: both corpus issues, and single documents of the
#: kinds the corpus lacks (a 令 with its regulation, a joint notice, a forwarded report)
GOLDEN_SOURCES = sorted(CORPUS.glob("*.txt")) + [
    GOVCN / "33_国令第707号.txt", GOVCN / "19_国办发_1996_25号.txt", GOVCN / "51_国办发_1997_2号.txt",
]


def _paths(sections: list[Section]) -> list[str]:
    out = []
    for s in sections:
        out.append(f"{s.path} {s.heading}".strip())
        out.extend(_paths(s.children))
    return out


def digest(result: ParsedIssue) -> dict:
    docs = []
    for d in result.documents:
        docs.append({
            "doc_numbers": d.doc_numbers,
            "issuer": d.issuer,
            "issuers": d.issuers,
            "regulation": d.regulation,
            "title": d.title,
            "doc_type": d.doc_type,
            "recipients": d.recipients,
            "date": d.date,
            "signatories": d.signatories,
            "note": d.note,
            "fragments": [[f.line_start, f.line_end] for f in d.fragments],
            "body_chars": len(d.body),
            "body_head": d.body[:40],
            "body_tail": d.body[-40:],
            "sections": _paths(d.sections),
            "attachment": None if d.attachment is None else {
                "verb": d.attachment.verb, "title": d.attachment.title, "author": d.attachment.author,
                "lines": [d.attachment.line_start, d.attachment.line_end],
                "body_tail": d.attachment.body[-40:],
                "sections": _paths(d.attachment.sections),
            },
            "annex_list": d.annex_list,
            "annexes": [{
                "label": a.label, "number": a.number, "title": a.title, "lines": [a.line_start, a.line_end],
                "tables": [{"header": t.header, "rows": len(t.rows), "merged_headers": t.merged_headers,
                            "first_row": t.rows[0] if t.rows else None} for t in a.tables],
            } for a in d.annexes],
            "appointments": [[a.action, a.person, a.position, a.reason] for a in d.appointments],
            "members": [[m.role, m.person, m.position] for m in d.members],
            "warnings": [w.code for w in d.warnings],
            # where each metadata field was read: [field, start, end, line]
            "spans": [[sp.field, sp.start, sp.end, sp.line] for sp in d.spans],
            "references": [[r.text, r.doc_number, r.relation, r.form, r.line, r.start, r.end] for r in d.references],
        })
    chron = result.chronicle
    return {
        "issue": {k: v for k, v in result.issue.to_dict().items() if k not in ("front_matter",)},
        "documents": docs,
        "chronicle": None if chron is None else {
            "heading": chron.heading, "year": chron.year, "month": chron.month, "credits": chron.credits,
            "entries": [[e.date, e.date_end, e.line, e.start, e.end, e.text[:24]] for e in chron.entries],
            "references": [[r.text, r.doc_number, r.relation, r.line, r.start, r.end]
                           for e in chron.entries for r in e.references],
        },
        "coverage": result.coverage.to_dict(),
        "leftovers": [[sp.line_start, sp.line_end] for sp in result.leftovers],
        "warnings": [[w.code, w.message] for w in result.warnings],
        "repairs": [[w.code, w.message] for w in result.repairs],
    }


def golden_path(source: Path) -> Path:
    prefix = "govcn_" if source.parent == GOVCN else ""
    return GOLDEN / f"{prefix}{source.stem.split('_')[0]}.json"


def write_all() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for path in GOLDEN_SOURCES:
        result = parse_file(path)
        result.source.path = path.name
        text = json.dumps(digest(result), ensure_ascii=False, indent=1) + "\n"
        golden_path(path).write_text(text, encoding="utf-8")
        print(f"wrote {golden_path(path).relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    write_all()
