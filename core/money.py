"""Money: integer minor units plus an ISO 4217 code. Decimal only at the edges.

Amounts are never summed across currencies: `Money.__add__` refuses it, and
reports group by currency instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, is_currency

DEFAULT_LOCALE = "en_US"


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


def normalize_currency(code: str) -> str:
    """Upper-cased ISO 4217 code, or MoneyError for anything babel does not know."""
    candidate = (code or "").strip().upper()
    if len(candidate) != 3 or not is_currency(candidate):
        raise MoneyError(f"Unknown currency code: {code!r}.")
    return candidate


def currency_exponent(code: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, USD 2, BHD 3)."""
    return get_currency_precision(normalize_currency(code))


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
    return format_currency(from_minor(minor, code), normalize_currency(code), locale=locale)


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
