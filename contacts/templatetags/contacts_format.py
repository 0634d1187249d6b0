"""Template filters of the contact pages."""

from django import template

from accounts.models import country_choices

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """'GB' → 'United Kingdom' (the code itself when unknown)."""
    return dict(country_choices()).get(code, code)
