"""Reading what people type into the sale forms: dates, amounts in a currency's minor
units (core.money.to_minor), line options. Errors are ValidationErrors at the field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.dates import DATE_INPUT_LIMITS, validate_date
from core.money import MoneyError, currency_exponent, from_minor, normalize_currency, to_minor

DATE_HELP = "YYYY-MM-DD, e.g. 2026-06-30"
AMOUNT_HELP = "e.g. 12.50"


def date_field(**kwargs: Any) -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", **DATE_INPUT_LIMITS}, format="%Y-%m-%d"),
        error_messages={"invalid": f"Enter a real date as {DATE_HELP}."},
        validators=[validate_date],
        **kwargs,
    )


def money_field(label: str = "", **kwargs: Any) -> forms.CharField:
    """Amounts are text: a decimal with no more places than the currency has."""
    attrs = {"inputmode": "decimal", "size": 8, "autocomplete": "off"}
    attrs |= kwargs.pop("attrs", {})
    return forms.CharField(
        label=label or None, max_length=30, widget=forms.TextInput(attrs=attrs), **kwargs
    )


def parse_amount(text: str, currency: str) -> int:
    """Minor units of `currency` from what was typed, or ValidationError saying why not."""
    cleaned = (text or "").strip().replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(f"Enter an amount as a number, {AMOUNT_HELP}.")
    if number < 0:
        raise ValidationError("The amount cannot be negative.")
    try:
        return to_minor(number, currency)
    except MoneyError as exc:  # finer than the currency's minor unit
        raise ValidationError(f"{cleaned} has {_too_many_places(currency)}.") from exc


def _too_many_places(currency: str) -> str:
    places = currency_exponent(currency)
    allowed = "no decimal places" if places == 0 else f"at most {places} decimal places"
    return f"more decimal places than {currency} allows ({allowed})"


def amount_text(minor: int | None, currency: str) -> str:
    return "" if minor is None else str(from_minor(minor, currency))


def known_currency(code: Any) -> str | None:
    try:
        return normalize_currency(str(code or ""))
    except MoneyError:
        return None


def convert_amounts(
    form: forms.Form, fields: dict[str, str], currency: str | None, optional: set[str]
) -> None:
    """Put each typed amount into cleaned_data under its service name, or an error at it."""
    if currency is None:
        return  # the currency field reports the problem; amounts cannot be read without it
    for name, service_name in fields.items():
        text = form.cleaned_data.get(name)
        if text is None:
            continue  # the field already failed
        if not text.strip():
            form.cleaned_data[service_name] = None if name in optional else 0
            continue
        try:
            form.cleaned_data[service_name] = parse_amount(text, currency)
        except ValidationError as exc:
            form.add_error(name, exc)


def parse_options(text: str) -> dict[str, str]:
    """ "Size: 8x10; Paper: Lustre" → {"Size": "8x10", "Paper": "Lustre"}."""
    options: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        name, colon, value = part.partition(":")
        if not colon or not name.strip():
            raise ValidationError("Write options as “name: value”, separated by semicolons.")
        options[name.strip()] = value.strip()
    return options


def options_text(options: dict) -> str:
    return "; ".join(f"{name}: {value}" for name, value in (options or {}).items())
