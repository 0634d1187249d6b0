"""`http_url`: the one filter every template passes a URL from outside through before it
becomes an `href`. Only absolute http(s) URLs survive; `javascript:`, `data:`,
scheme-relative and anything else becomes "" and the template shows it as text."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()

LINK_SCHEMES = ("http", "https")


@register.filter
def http_url(value: object) -> str:
    """The URL itself when it is an absolute http(s) URL with a host, else ""."""
    if not isinstance(value, str) or value != value.strip() or not value.isprintable():
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return ""
    return value
