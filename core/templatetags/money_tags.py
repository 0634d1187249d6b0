"""{{ amount_minor|money:currency }}: integer minor units shown in the currency's own format.

{% load money_tags %}
{{ sale.total_minor|money:sale.currency }}      → $1,234.50 / ¥1,235 / BHD1.235
{{ row.total_minor|money_amount:row.currency }}  → 1234.50 (for inputs: no symbol)
"""

from __future__ import annotations

from django import template

from core.money import MoneyError, format_money, from_minor

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """The amount formatted by babel; "" for no amount, the raw number for a bad currency."""
    if minor is None or minor == "":
        return ""
    try:
        return format_money(int(minor), currency)
    except (MoneyError, TypeError, ValueError):
        return f"{minor} {currency}".strip()


@register.filter
def money_amount(minor: int | None, currency: str) -> str:
    """The plain decimal amount (no symbol, no grouping), as a form input shows it."""
    if minor is None or minor == "":
        return ""
    try:
        return str(from_minor(int(minor), currency))
    except (MoneyError, TypeError, ValueError):
        return str(minor)
