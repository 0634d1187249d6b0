"""Money at the edges: integer minor units inside, decimal strings in JSON and forms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "JPY": 0,
    "AUD": 2,
    "CAD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
}
CURRENCIES = tuple(EXPONENTS)
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}


class MoneyError(ValueError):
    """An amount that is not valid for its currency."""


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise MoneyError(f"Unsupported currency {currency!r}.") from None


def to_str(minor: int, currency: str) -> str:
    """1250, "USD" -> "12.50"; 1200, "JPY" -> "1200"."""
    exp = exponent(currency)
    if exp == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exp)
    return f"{sign}{whole}.{frac:0{exp}d}"


def parse(text: str | int | Decimal, currency: str) -> int:
    """ "12.50", "USD" -> 1250. Refuses more decimals than the currency has."""
    exp = exponent(currency)
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{text!r} is not an amount.") from None
    if not value.is_finite():
        raise MoneyError(f"{text!r} is not an amount.")
    minor = value * (10**exp)
    if minor != minor.to_integral_value():
        raise MoneyError(f"{currency} amounts have {exp} decimal places at most: {text!r}.")
    return int(minor)


def percent_of(minor: int, rate: Decimal) -> int:
    """``minor * rate / 100`` rounded half-up to a whole minor unit."""
    return int((Decimal(minor) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def display(minor: int, currency: str) -> str:
    """For people: 113112, "USD" -> "$1,131.12"; 120000, "SEK" -> "1,200.00 SEK"."""
    symbol = SYMBOLS.get(currency)
    sign = "-" if minor < 0 else ""
    whole, dot, frac = to_str(abs(minor), currency).partition(".")
    amount = f"{int(whole):,}{dot}{frac}"
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"
