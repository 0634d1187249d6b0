"""Template filters of the shoot pages."""

from django import template

from cyan.money import MoneyError, format_money

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """`{{ sale.total_minor|money:sale.currency }}` → "£120.00"."""
    if minor is None:
        return ""
    try:
        return format_money(minor, currency)
    except MoneyError:
        # A bad currency code on one row must not break the whole page.
        return f"{minor} {currency}"
