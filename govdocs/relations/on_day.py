"""A document's status on a day from its dates alone — what search works out for every
match, so it imports nothing heavy (the search command does not load the parser)."""

from __future__ import annotations

import datetime

# every status, in the order of precedence, and the earlier names accepted as input: one table, in vocab
from govdocs.vocab import RENAMED, STATUSES, StatusName

__all__ = ["CODED", "RENAMED", "STATUSES", "StatusName", "status_codes", "status_on", "today"]


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


#: what `status_codes` gives, by code: 0 is a record that is not a document
CODED: tuple[StatusName | None, ...] = (None, "repealed", "expired", "amended", "not_yet_effective", "effective",
                                        "no_change_known")


def status_codes(is_document, date, effective, expires, repealed_on, amended_on):
    """`status_on` for many records at once (NumPy arrays, one entry a record), each date
    given as it compares with the day: -1 before, 0 the day itself, 1 after, 2 no date
    (`Evaluator.compared`). The code of each record's status in `CODED`; the same
    precedence, test by test."""
    import numpy as np

    return np.select([~is_document, repealed_on <= 0, expires == -1, amended_on <= 0, (date == 1) | (effective == 1),
                      effective != 2],
                     [0, 1, 2, 3, 4, 5], default=6).astype(np.int8)
