"""Money: integer minor units plus an ISO 4217 code. Decimal only at the edges.

Amounts are never summed across currencies: `Money.__add__` refuses it, and
reports group by currency instead.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, format_currency

from core.currencies import MINOR_UNITS, NOT_MONEY

DEFAULT_LOCALE = "en_US"


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


def normalize_currency(code: str) -> str:
    """Upper-cased ISO 4217 code of money (core.currencies), else MoneyError: an unknown
    code, or one that is not money (XXX "no currency", XAU gold, XTS testing…)."""
    candidate = (code or "").strip().upper() if isinstance(code, str) else ""
    if candidate in NOT_MONEY:
        raise MoneyError(f"{candidate} is not a currency a sale can be in.")
    if candidate not in MINOR_UNITS:
        raise MoneyError(f"Unknown currency code: {code!r}.")
    return candidate


def currency_exponent(code: str) -> int:
    """ISO 4217 minor units of the currency (JPY 0, USD 2, HUF 2, BHD 3, IQD 3, CLF 4);
    never babel's display precision (core.currencies says why)."""
    return MINOR_UNITS[normalize_currency(code)]


def to_minor(amount: Decimal | str | int, code: str) -> int:
    """Convert a decimal amount to integer minor units, refusing amounts finer than the unit."""
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"Not an amount: {amount!r}.") from exc
    if not value.is_finite():
        raise MoneyError(f"Not an amount: {amount!r}.")
    exponent = currency_exponent(code)
    scaled = value.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise MoneyError(
            f"{amount} has more decimal places than {normalize_currency(code)} allows ({exponent})."
        )
    return int(scaled)


def from_minor(minor: int, code: str) -> Decimal:
    """The Decimal amount of `minor` units, quantized to the currency's exponent."""
    exponent = currency_exponent(code)
    return Decimal(int(minor)).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def format_money(minor: int, code: str, locale: str = DEFAULT_LOCALE) -> str:
    """For people, in the locale's currency pattern with exactly the ISO minor units:
    babel's own digits would round HUF 1234.50 to "HUF 1,235" (CLDR's cash precision)."""
    currency = normalize_currency(code)
    pattern = _currency_pattern(locale, MINOR_UNITS[currency])
    return format_currency(
        from_minor(minor, currency), currency, format=pattern, locale=locale, currency_digits=False
    )


@cache
def _currency_pattern(locale: str, exponent: int) -> NumberPattern:
    pattern = copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (exponent, exponent)
    return pattern


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MoneyError(f"Cannot add {other.currency} to {self.currency}.")
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MoneyError(f"Cannot subtract {other.currency} from {self.currency}.")
        return Money(self.minor - other.minor, self.currency)

    @property
    def amount(self) -> Decimal:
        return from_minor(self.minor, self.currency)

    def __str__(self) -> str:
        return format_money(self.minor, self.currency)
