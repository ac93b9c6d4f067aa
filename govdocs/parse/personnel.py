"""Personnel notices (任免) and leading-group member lists.

Appointments: a heading word (`任命：`, `免去：`, `因任职年龄到限，免去：`) governs the lines
below it until the next heading; each line names one person and one act:
`×××同志为……` (appoint), `×××同志兼任……` (concurrent), `×××同志的……职务` (remove),
`……职务并退休` (retire).

Members: `组长：刘宁 省长` starts a role; continuation lines hold `name post` and keep
the role. In tables the same appears as cells: `组 长：匡 湧 | 省政府副省长 | 王永祥 | …`.
"""

from __future__ import annotations

from govdocs.model import Action, Appointment, Member
from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, squash


def _name(text: str) -> str:
    return "".join(text.split())


def find_appointments(lines: list[Line]) -> list[Appointment]:
    out: list[Appointment] = []
    verb = reason = None
    for line in lines:
        text = squash(line.text)
        if text.endswith(("：", ":")) and (heading := P.APPOINT_HEADING.search(text)):
            verb, reason = heading["verb"], heading["reason"]
            continue
        if verb is None:
            continue
        m = None
        action: Action
        if verb in ("任命", "聘任"):
            if m := P.APPOINT_CONCURRENT.match(text):
                action = "concurrent"
            elif m := P.APPOINT_AS.match(text):
                action = "appoint"
        elif m := P.REMOVE_FROM.match(text):
            action = "retire" if m["retire"] else "remove"
        if m is None:
            if line.terminated and text.endswith("。"):
                verb = None  # the list ended with a full stop
            continue
        out.append(Appointment(action=action, person=_name(m["person"]), position=m["position"].strip(),
                               reason=reason, text=line.raw, line=line.no, start=line.start, end=line.end))
        if text.endswith("。"):
            verb = reason = None
    return out


def find_members(lines: list[Line]) -> tuple[list[Member], set[int]]:
    """Members from body lines and from member tables; also the idxs of their lines.

    A member table printed in two columns is read column by column: the right-hand
    pairs continue the list after the left-hand ones, under the last role.
    """
    members: list[Member] = []
    used: set[int] = set()
    role: str | None = None
    right: list[tuple[str, str, Line]] = []

    def flush() -> None:
        members.extend(Member(role=role, person=_name(n), position=_name(p), line=ln.no, start=ln.start, end=ln.end)
                       for n, p, ln in right if role)
        right.clear()

    for line in lines:
        if line.is_table_row:
            pairs = _pairs(line)
            if pairs and (m := P.MEMBER_ROLE.match(pairs[0][0])):
                role, pairs[0] = _name(m["role"]), (m["rest"], pairs[0][1])
            if pairs and role and all(P.MEMBER_NAME_POST.match(f"{n} {p}") for n, p in pairs):
                name, post = pairs[0]
                members.append(Member(role=role, person=_name(name), position=_name(post),
                                      line=line.no, start=line.start, end=line.end))
                right.extend((n, p, line) for n, p in pairs[1:])
                used.add(line.idx)
                continue
        flush()
        text = line.text
        if not line.is_table_row and (m := P.MEMBER_ROLE.match(text)):
            role = _name(m["role"])
            if found := P.MEMBER_NAME_POST.match(m["rest"]):
                members.append(_member(role, found, line))
            used.add(line.idx)
            continue
        if role and not line.is_table_row and (found := P.MEMBER_NAME_POST.match(text)) and not line.terminated:
            members.append(_member(role, found, line))
            used.add(line.idx)
            continue
        role = None
    flush()
    return members, used


def _member(role: str, m, line: Line) -> Member:
    return Member(role=role, person=_name(m["person"]), position=squash(m["position"]),
                  line=line.no, start=line.start, end=line.end)


def _pairs(line: Line) -> list[tuple[str, str]]:
    """Non-empty (name, post) cell pairs of a member table row."""
    cells = [squash(c) for c in line.raw.split("\t")]
    if len(cells) < 2 or len(cells) % 2:
        return []
    return [(cells[k], cells[k + 1]) for k in range(0, len(cells), 2) if cells[k]]
