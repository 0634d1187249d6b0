"""Every page of the app, opened with odd query strings (negative and huge pages, dates of
year 1 and 99999, markup, NUL, superscript and Arabic-Indic digits, …), answers below 500.

The pages are found by walking the URL configuration (so a new page is covered without
being listed here), each path parameter filled with a row of a studio that has something
on every page (testkit.pages.fill_studio). For each odd value, every query parameter any
page reads is sent at once; a 500 is then narrowed to the parameter that caused it.
Found by it: `?edit=abc` on the schedule templates, `?after=²` on the Inbox and
`?contact=²` on a new shoot (str.isdigit() is true for '²', which int() refuses)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from contacts.models import Contact
from inbox.models import InboxItem
from sales.models import Payment, Refund, Sale
from shoots.models import Shoot
from testkit.pages import fill_studio

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "-1", "0", "abc", "99999999999999999999999", "-9223372036854775809", "99999-01-01",
    "0001-01-01", "9999-12-31", "2026-02-30", "<script>x</script>", "\x00", "1e309", "NaN",
    "", "jpy", "a" * 2000, "²", "١٢", "1.5", "[]",
]  # fmt: skip
# Every name a page reads from its query string (request.GET and the GET forms), and some
# a curious person would try.
NAMES = [
    "page", "date_from", "date_to", "currency", "q", "state", "contact", "source", "status",
    "year", "month", "week", "day", "cursor", "limit", "before", "after", "sort", "order",
    "from", "to", "shoot", "outcome", "p", "edit", "kind", "type", "tag", "invoiced", "days",
    "top", "segment", "updated_since", "order_id", "term", "contact_search", "as_of", "next",
    "resource", "check", "prompt",
]  # fmt: skip
SKIPPED = ("admin/", "api/", "static/", "o/", "health", "ready", "live", "metrics")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _paths(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _rows() -> dict[str, int]:
    ids = {
        "sale": Sale.objects.first().pk,
        "contact": Contact.objects.first().pk,
        "shoot": Shoot.objects.first().pk,
        "item": InboxItem.objects.first().pk,
    }
    payment, refund = Payment.objects.first(), Refund.objects.first()
    ids["payment"] = payment.pk if payment else ids["sale"]
    ids["refund"] = refund.pk if refund else ids["sale"]
    return ids


def _pages() -> list[str]:
    ids = _rows()
    pages = set()
    for raw in _paths(get_resolver().url_patterns):
        path = "/" + raw.lstrip("^").rstrip("$")
        if path.lstrip("/").startswith(SKIPPED) or "(?P" in path:
            continue

        def fill(match: re.Match) -> str:
            name = match.group(1)
            return str(next((v for k, v in ids.items() if k in name), ids["sale"]))

        pages.add(PARAM.sub(fill, path))
    return sorted(pages)


def test_no_page_answers_500_to_an_odd_query_string(auth_client, studio):
    fill_studio(studio)
    auth_client.raise_request_exception = False  # a 500 is counted, not raised
    failures = []
    for path in _pages():
        if auth_client.get(path).status_code != 200:
            continue  # a POST-only view, a download elsewhere tested, a redirect
        for value in ODD_VALUES:
            if auth_client.get(path, dict.fromkeys(NAMES, value)).status_code < 500:
                continue
            for name in NAMES:
                if auth_client.get(path, {name: value}).status_code >= 500:
                    failures.append(f"{path}?{name}={value[:20]!r}")
    assert not failures, failures
