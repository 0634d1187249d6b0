"""Template filters of the contact pages."""

from django import template

from accounts.models import country_choices
from cyan.money import MoneyError, format_money

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """`{{ sale.total_minor|money:sale.currency }}` → '£1,234.50'."""
    if minor is None:
        return ""
    try:
        return format_money(minor, currency)
    except MoneyError:
        return f"{minor} {currency}"  # a stored code babel no longer knows: still show it


@register.filter
def country_name(code: str) -> str:
    """'GB' → 'United Kingdom' (the code itself when unknown)."""
    return dict(country_choices()).get(code, code)
