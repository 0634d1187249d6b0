"""Dates as exports write them: ISO 8601, dd/mm/yyyy or mm/dd/yyyy, "3 Dec 2026".

Whether 03/04/2026 is the 3rd of April or March 4th is decided per column from its
values (a first part above 12 means day first; a second part above 12, month first);
when no value tells, the studio is asked (the batch's date_order option).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

DMY, MDY = "dmy", "mdy"
AMBIGUOUS, MIXED = "ambiguous", "mixed"
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_WORDY = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y")


class DateProblem(ValueError):
    pass


def column_order(values: Iterable[str]) -> str:
    """DMY, MDY, AMBIGUOUS (slash dates, none telling), MIXED (both seen), or "" (no
    slash dates at all)."""
    day_first = month_first = seen = False
    for value in values:
        found = _NUMERIC.match((value or "").strip())
        if not found:
            continue
        seen = True
        first, second = int(found.group(1)), int(found.group(2))
        day_first = day_first or (first > 12 >= second)
        month_first = month_first or (second > 12 >= first)
    if day_first and month_first:
        return MIXED
    if day_first:
        return DMY
    if month_first:
        return MDY
    return AMBIGUOUS if seen else ""


def parse_date(raw: str, order: str) -> dt.date | None:
    """The date, None for a blank, DateProblem (with a message) otherwise."""
    text = " ".join((raw or "").split())
    if not text:
        return None
    try:
        if found := _ISO.match(text):
            return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if found := _NUMERIC.match(text):
            return _numeric(found, order, text)
    except DateProblem:
        raise
    except ValueError:  # 31/02, month 13
        raise DateProblem(f"“{text}” is not a date.") from None
    for pattern in _WORDY:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DateProblem(f"“{text}” is not a date Cyan can read (use e.g. 2026-12-03).")


def _numeric(found: re.Match[str], order: str, text: str) -> dt.date:
    first, second, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    if len(found.group(3)) == 2:
        year += 2000 if year < 70 else 1900
    if order not in (DMY, MDY):
        if first == second or first > 12 or second > 12:
            order = DMY if first > 12 else MDY
        else:
            raise DateProblem(f"“{text}”: day/month or month/day? Choose the date order.")
    day, month = (first, second) if order == DMY else (second, first)
    return dt.date(year, month, day)
