from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import Money, MoneyError, currency_exponent, format_money, from_minor, to_minor


@pytest.mark.parametrize(("code", "exponent"), [("USD", 2), ("JPY", 0), ("BHD", 3), ("eur", 2)])
def test_exponent_comes_from_babel(code, exponent):
    assert currency_exponent(code) == exponent


def test_to_minor_is_exact_and_refuses_sub_unit_amounts():
    assert to_minor("12.50", "USD") == 1250
    assert to_minor("1200", "JPY") == 1200
    assert to_minor("1.234", "BHD") == 1234
    with pytest.raises(MoneyError, match="more decimal places"):
        to_minor("1.5", "JPY")
    with pytest.raises(MoneyError, match="Not an amount"):
        to_minor("twelve", "USD")
    with pytest.raises(MoneyError, match="Unknown currency"):
        to_minor("1", "XYZ")


def test_money_refuses_to_add_across_currencies():
    assert (Money(100, "USD") + Money(5, "USD")).minor == 105
    with pytest.raises(MoneyError):
        Money(100, "USD") + Money(5, "EUR")


def test_display_uses_the_currency_digits():
    assert format_money(1234, "JPY") == "¥1,234"
    assert format_money(1234, "BHD") == "BHD1.234"
    assert format_money(-250, "USD") == "-$2.50"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["USD", "JPY", "BHD"]))
def test_minor_round_trips(minor, code):
    assert to_minor(from_minor(minor, code), code) == minor
    assert isinstance(from_minor(minor, code), Decimal)
