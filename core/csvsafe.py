"""The one CSV writer for every CSV Cyan hands out.

Text from outside (a client's name pushed by a gallery provider, a line description)
can start with a character a spreadsheet reads as a formula: `=HYPERLINK(...)` or
`@SUM(...)` would run when the studio opens the download. Following OWASP's advice on
CSV injection, such text cells get a leading apostrophe, which spreadsheets show as
text. Numbers (int, Decimal, float) are written as they are, so `-12.50` stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

# =, +, - and @ start a formula; a leading tab or carriage return is stripped by some
# spreadsheets, which would then see the formula behind it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A cell value safe to open in a spreadsheet; numbers and dates are kept as is."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_rows(handle: io.TextIOBase, rows: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(handle)
    for row in rows:
        writer.writerow([neutralise_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    write_rows(buffer, rows)
    return buffer.getvalue()
