"""A document's status on a day from its dates alone — what search works out for every
match, so it imports nothing heavy (the search command does not load the parser)."""

from __future__ import annotations

import datetime

# every status, in the order of precedence, and the earlier names accepted as input: one table, in vocab
from govdocs.vocab import RENAMED, STATUSES, StatusName

__all__ = ["RENAMED", "STATUSES", "StatusName", "status_on", "today"]


def today() -> str:
    return datetime.date.today().isoformat()


def status_on(day: str, date: str | None, effective: str | None, expires: str | None,
              repealed_on: str | None, amended_on: str | None) -> StatusName:
    """The status of a held document on `day` from its dates alone (what the index keeps: the
    first day a repeal or an amendment of it is dated) — the same precedence as `status_of`."""
    if repealed_on and repealed_on <= day:
        return "repealed"
    if expires and expires < day:
        return "expired"
    if amended_on and amended_on <= day:
        return "amended"
    if (date and date > day) or (effective and effective > day):
        return "not_yet_effective"
    return "effective" if effective else "no_change_known"
