"""The one range of amounts, quantities and ids Cyan accepts.

Amounts are integer minor units. 10^15 minor units (ten trillion in a two-decimal
currency) is far above any real order and far below the databases' 64-bit integers
(about 9.2 × 10^18), so the sums of a thousand lines and a report's totals cannot
overflow. Ids are 64-bit: a larger number can name no row, and handing one to the
database would be an error rather than "not found".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict

MAX_AMOUNT_MINOR = 10**15
MAX_QUANTITY = 1_000_000
MAX_ID = 2**63 - 1

AMOUNT_RANGE_TEXT = f"0 to {MAX_AMOUNT_MINOR:,} minor units"


def amount_in_range(value: int) -> bool:
    return 0 <= value <= MAX_AMOUNT_MINOR


def id_in_range(value: int) -> bool:
    return 1 <= value <= MAX_ID


def query_id(value: object) -> int | None:
    """The row id a query string (or any text) names, or None: ASCII digits only, in the id
    range. str.isdigit() is no check: it is true for '²', which int() refuses, and int()
    itself reads ' 1', '+1', '1_000' and '١٢' (Arabic-Indic digits)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdecimal():
        return None
    number = int(value)
    return number if id_in_range(number) else None


# Strict: a JSON number, not "12" or 12.0 (which pydantic would otherwise coerce).
AmountMinor = Annotated[int, Strict(), Field(ge=0, le=MAX_AMOUNT_MINOR)]
"""A non-negative amount in minor units, at most MAX_AMOUNT_MINOR."""

PositiveAmountMinor = Annotated[int, Strict(), Field(gt=0, le=MAX_AMOUNT_MINOR)]

Quantity = Annotated[int, Strict(), Field(ge=1, le=MAX_QUANTITY)]

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row id (in a path, a query or a body)."""
