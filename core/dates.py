"""The one range of dates and timestamps Cyan accepts, and the checks every edge uses.

A studio enters or receives dates from 1900-01-01 to 2200-12-31. A timestamp must have an
offset PostgreSQL can store (at most ±15:59) and fall on a date of that range in UTC and
in every time zone: from 1900-01-01T00:00-15:59 to 2200-12-31T23:59:59.999999+15:59. So
whatever zone a studio is in, the day of a stored timestamp (a sale's date from an order,
a shoot's day in a list) is a date Cyan accepts. The range sits far inside what Python and
both databases can hold: a value can be widened to a whole day or month, or compared with
"today", without overflowing.

Every edge (API schemas, the normalized gallery order, forms, services as the last guard)
calls these checks, so a value outside the range is refused with a clear message and
nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)
# PostgreSQL's limit for a UTC offset; Python allows up to ±23:59.
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)

# For <input type="date">: the browser's picker keeps to the range too.
DATE_INPUT_LIMITS = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
EARLIEST_MOMENT = dt.datetime.combine(EARLIEST_DATE, dt.time.min, dt.timezone(-MAX_UTC_OFFSET))
LATEST_MOMENT = dt.datetime.combine(LATEST_DATE, dt.time.max, dt.timezone(MAX_UTC_OFFSET))
RANGE_TEXT = f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
DATE_FORMAT_TEXT = "YYYY-MM-DD, e.g. 2026-06-30"
TIMESTAMP_FORMAT_TEXT = "ISO 8601 with a UTC offset, e.g. 2026-06-30T14:00:00+01:00"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2}(:\d{2})?)?"
)
# Documented in the OpenAPI document: the years of the range, as a pattern a client (and
# a generator of test requests) can read.
_YEAR_PATTERN = r"(19\d\d|2[01]\d\d|2200)"
DATE_PATTERN = rf"^{_YEAR_PATTERN}-\d\d-\d\d$"


def in_range(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def date_problem(day: dt.date) -> str | None:
    """Why `day` is outside the range Cyan accepts, or None."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if in_range(day):
        return None
    return f"{day.isoformat()} is outside the dates Cyan accepts ({RANGE_TEXT})."


def timestamp_problem(moment: dt.datetime) -> str | None:
    """Why `moment` cannot be stored: no offset, an offset beyond ±15:59, or a day outside
    the range in some time zone. None when it is fine."""
    offset = moment.utcoffset()
    if offset is None:
        return f"A timestamp needs a time zone, as a UTC offset ({TIMESTAMP_FORMAT_TEXT})."
    if abs(offset) > MAX_UTC_OFFSET:
        return "The UTC offset must be between -15:59 and +15:59."
    # The date check first: comparing 9999-12-31T23:59-12:00 would be fine, but turning it
    # into UTC (as a database driver does) overflows.
    if not in_range(moment.date()):
        return date_problem(moment.date())
    if not EARLIEST_MOMENT <= moment <= LATEST_MOMENT:
        return (
            f"{moment.isoformat()} falls outside {RANGE_TEXT} in some time zone; Cyan accepts "
            f"{EARLIEST_MOMENT.isoformat()} to {LATEST_MOMENT.isoformat()}."
        )
    return None


def validate_date(day: Any) -> None:
    """Django validator (forms, services): ValidationError outside the range."""
    if isinstance(day, dt.date) and (problem := date_problem(day)):
        raise ValidationError(problem, code="date_out_of_range")


def validate_timestamp(moment: Any) -> None:
    """Django validator (forms, services): ValidationError for an unstorable timestamp."""
    if isinstance(moment, dt.datetime) and (problem := timestamp_problem(moment)):
        raise ValidationError(problem, code="timestamp_out_of_range")


# --- pydantic types (API schemas, the normalized gallery order) -------------------------


# Parsed here, not by pydantic, which would read 0 or "0" as 1970-01-01 (a Unix time) and
# "20260630" as a date; returning the parsed value lets strict models accept it.
def _iso_date_only(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError(f"Give a date without a time of day ({DATE_FORMAT_TEXT}).")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"Give a real date as {DATE_FORMAT_TEXT}.")


def _iso_timestamp_only(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_TIMESTAMP.fullmatch(value.strip()):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass  # e.g. an offset of 24 hours or more, or a 13th month
    raise ValueError(f"Give a real timestamp as {TIMESTAMP_FORMAT_TEXT}.")


def _checked_date(day: dt.date) -> dt.date:
    if problem := date_problem(day):
        raise ValueError(problem)
    return day


def _checked_timestamp(moment: dt.datetime) -> dt.datetime:
    if problem := timestamp_problem(moment):
        raise ValueError(problem)
    return moment


ApiDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date_only),
    AfterValidator(_checked_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": f"{DATE_FORMAT_TEXT}; from {RANGE_TEXT}.",
        }
    ),
]
"""A date as an ISO string (YYYY-MM-DD) within the range."""

ApiTimestamp = Annotated[
    dt.datetime,
    BeforeValidator(_iso_timestamp_only),
    AfterValidator(_checked_timestamp),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": f"{TIMESTAMP_FORMAT_TEXT}; from {RANGE_TEXT}, offset at most ±15:59.",
        }
    ),
]
"""An ISO 8601 timestamp with a UTC offset, within the range on its own clock and in UTC."""
