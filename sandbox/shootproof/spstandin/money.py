"""Money at the edges: integer minor units inside, JSON numbers in the currency's major
unit outside (ShootProof sends amounts as numbers next to a ``currencyCode``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
    "JPY": 0,
    "BHD": 3,
}
CURRENCIES = tuple(EXPONENTS)
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}
# Rough prices of the catalog in other currencies (USD x rate, rounded to the currency).
RATES = {
    "USD": Decimal("1"),
    "EUR": Decimal("0.92"),
    "GBP": Decimal("0.79"),
    "CAD": Decimal("1.36"),
    "AUD": Decimal("1.52"),
    "NZD": Decimal("1.66"),
    "CHF": Decimal("0.88"),
    "SEK": Decimal("10.5"),
    "JPY": Decimal("150"),
    "BHD": Decimal("0.376"),
}


class MoneyError(ValueError):
    """An amount that is not valid for its currency."""


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise MoneyError(f"Unsupported currency {currency!r}.") from None


def to_number(minor: int, currency: str) -> int | float:
    """1250, "USD" -> 12.5; 1200, "JPY" -> 1200; 12345, "BHD" -> 12.345."""
    exp = exponent(currency)
    if exp == 0:
        return int(minor)
    return float(Decimal(minor).scaleb(-exp))


def to_str(minor: int, currency: str) -> str:
    exp = exponent(currency)
    if exp == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exp)
    return f"{sign}{whole}.{frac:0{exp}d}"


def parse(value: object, currency: str) -> int:
    """12.5 / "12.50", "USD" -> 1250. Refuses more decimals than the currency has."""
    exp = exponent(currency)
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount.")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{value!r} is not an amount.") from None
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not an amount.")
    minor = amount.scaleb(exp)
    if minor != minor.to_integral_value():
        raise MoneyError(f"{currency} amounts have {exp} decimal places at most: {value!r}.")
    return int(minor)


def convert_usd(usd_minor: int, currency: str) -> int:
    """A USD catalog price (cents) in ``currency``'s minor units, rounded half-up."""
    major = Decimal(usd_minor).scaleb(-2) * RATES[currency]
    return int(major.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(minor: int, rate: Decimal) -> int:
    return int((Decimal(minor) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def display(minor: int, currency: str) -> str:
    """For people: 113112, "USD" -> "$1,131.12"; 120000, "SEK" -> "1,200.00 SEK"."""
    symbol = SYMBOLS.get(currency)
    sign = "-" if minor < 0 else ""
    whole, dot, frac = to_str(abs(minor), currency).partition(".")
    amount = f"{int(whole):,}{dot}{frac}"
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"
