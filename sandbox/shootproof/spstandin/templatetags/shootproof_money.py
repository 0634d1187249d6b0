from __future__ import annotations

from django import template

from spstandin import money as money_lib

register = template.Library()


@register.filter
def money(minor: int, currency: str) -> str:
    """``{{ order.total_minor|money:order.currency }}`` -> "£48.60"."""
    return money_lib.display(int(minor), currency)
