"""ISO 4217 minor units (core.currencies), not babel's display precision: every code's
amounts read, print and read back exactly, and non-money codes are refused."""

import re
from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision, parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from core.currencies import CURRENT, MINOR_UNITS, NOT_MONEY
from core.money import MoneyError, currency_exponent, format_money, from_minor, to_minor

# Where ISO 4217 and CLDR's (babel's) cash digits part: the amounts babel refused or read
# 100x off (ISO minor units, from List One).
ISO_NOT_CLDR = {"AFN": 2, "ALL": 2, "COP": 2, "HUF": 2, "IDR": 2, "IQD": 3, "IRR": 2,
                "KPW": 2, "LAK": 2, "LBP": 2, "MGA": 2, "MMK": 2, "SOS": 2, "SYP": 2,
                "YER": 2}  # fmt: skip


def test_a_huf_amount_with_filler_keeps_its_minor_units():
    assert to_minor("1234.50", "HUF") == 123450
    assert from_minor(123450, "HUF") == Decimal("1234.50")
    assert format_money(123450, "HUF") == "HUF1,234.50"
    assert to_minor("1.234", "IQD") == 1234
    assert to_minor("9800.25", "COP") == 980025


@pytest.mark.parametrize(("code", "places"), sorted(ISO_NOT_CLDR.items()))
def test_exponent_is_iso_4217_where_cldr_differs(code, places):
    assert get_currency_precision(code) != places  # the reason for the table
    assert currency_exponent(code) == places


@pytest.mark.parametrize(("code", "places"), [("USD", 2), ("JPY", 0), ("BHD", 3),
                                              ("CLF", 4), ("UYW", 4), ("ISK", 0)])  # fmt: skip
def test_exponents_iso_and_cldr_agree_on_stay(code, places):
    assert currency_exponent(code) == places


@pytest.mark.parametrize("code", sorted(NOT_MONEY))
def test_codes_that_are_not_money_are_refused(code):
    with pytest.raises(MoneyError, match="not a currency a sale can be in"):
        to_minor("1", code)
    assert code not in MINOR_UNITS


@pytest.mark.parametrize("code", ["DEM", "FRF", "ESP", "XYZ", "", "US", "USDX"])
def test_unknown_or_long_gone_codes_are_refused(code):
    with pytest.raises(MoneyError, match="Unknown currency"):
        to_minor("1", code)


def test_the_table_holds_the_current_list():
    assert len(CURRENT) + len(NOT_MONEY) >= 178
    assert {"XCG", "ZWG", "SLE", "VED", "MRU", "STN", "BYN"} <= set(CURRENT)
    assert not set(CURRENT) & NOT_MONEY
    assert all(len(code) == 3 and code.isupper() for code in MINOR_UNITS)


def _reparse(text: str) -> Decimal:
    """The number a person reads in format_money's en_US text (the currency's symbol off)."""
    number = re.search(r"\d[\d,]*(\.\d+)?", text)
    assert number is not None, text
    sign = -1 if text.startswith("-") else 1
    return sign * parse_decimal(number.group(), locale="en_US", strict=True)


@given(st.sampled_from(sorted(MINOR_UNITS)), st.integers(-(10**13), 10**13))
def test_every_code_formats_parses_and_formats_back(code, minor):
    text = format_money(minor, code)
    assert to_minor(_reparse(text), code) == minor
    assert format_money(to_minor(_reparse(text), code), code) == text
    places = MINOR_UNITS[code]
    assert to_minor(from_minor(minor, code), code) == minor
    assert -from_minor(minor, code).as_tuple().exponent == places


def test_the_zapier_apps_exponents_are_cyans():
    """The Zapier app (Node) converts amounts before Cyan sees them: its table of the
    exponents that are not 2 must be core.currencies', code for code."""
    from pathlib import Path

    source = (Path(__file__).parents[2] / "integrations/zapier/lib/money.js").read_text()
    table = re.search(r"const EXPONENTS = \{(.*?)\};", source, re.S)
    assert table is not None
    zapier = {code: int(n) for code, n in re.findall(r"([A-Z]{3}): (\d)", table.group(1))}
    assert zapier == {code: n for code, n in CURRENT.items() if n != 2}
