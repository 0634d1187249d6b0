"""Every page of the app, opened with odd query strings (negative and huge pages, dates of
year 1 and 99999, markup, NUL, superscript and Arabic-Indic digits, …), answers below 500.

The pages are found by walking the URL configuration (so a new page is covered without
being listed here), each path parameter filled with a row of a studio that has something
on every page (testkit.pages.fill_studio). For each odd value, every query parameter any
page reads is sent at once; a 500 is then narrowed to the parameter that caused it.
Found by it: `?edit=abc` on the schedule templates, `?after=²` on the Inbox and
`?contact=²` on a new shoot (str.isdigit() is true for '²', which int() refuses).

The same odd values are then posted to every page (as a form would, with the names the
forms use): found `items=²` and `items=99999999999999999999` on "Import selected", and
`template=abc` on a sale's "Apply template"."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from contacts.models import Contact
from inbox.models import InboxItem
from invoicing import schedules
from invoicing import services as invoicing
from invoicing.models import CreditNote, Invoice, ScheduleTemplate
from sales.models import Payment, Refund, Sale
from sales.services import add_payment, add_refund
from shoots.models import Shoot
from testkit.pages import fill_studio

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "-1", "0", "abc", "99999999999999999999999", "-9223372036854775809", "99999-01-01",
    "0001-01-01", "2026-02-30", "<script>x</script>", "\x00", "1e309", "NaN", "", "jpy",
    "a" * 2000, "²", "1.5",
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
# The forms' own field names, for the POST pass.
FORM_NAMES = [
    "items", "create_contact", "add_details", "name", "amount", "paid_on", "refunded_on",
    "method", "reference", "reason", "title", "starts_at", "date", "time", "first_name",
    "last_name", "email", "phone", "notes", "description", "quantity", "unit_price",
    "sale_date", "template", "instalment", "value", "offset", "unit", "filters", "choices",
    "refresh", "account", "time_zone", "default_currency", "to",
]  # fmt: skip
SKIPPED = ("admin/", "api/", "static/", "o/", "health", "ready", "live", "metrics")
# Posts that end the session or remove the rows the later pages are opened with.
NOT_POSTED = ("logout", "delete", "revoke", "unimport", "dismiss", "rotate", "unlink", "undo")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _paths(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(studio) -> None:
    """Something on every page (testkit.pages), a payment to edit, an invoice with a
    refund's credit note, and a payment schedule template."""
    fill_studio(studio)
    sale = Sale.objects.for_studio(studio).first()
    add_payment(sale=sale, amount_minor=100, paid_on=sale.sale_date, method="Card")
    invoicing.create_invoice(sale=sale, issued_on=sale.sale_date)
    add_refund(sale=sale, amount_minor=50, refunded_on=sale.sale_date)
    invoicing.follow_sale(sale=sale)
    schedules.save_template(
        studio=studio,
        name="Half now",
        steps=[
            {
                "kind": "remaining",
                "due": {"offset": 0, "unit": "days", "relative_to": "invoice_date"},
            }
        ],
    )


def _rows() -> dict[str, int]:
    """A row id for each kind of path parameter, by the word before it in the path."""
    ids = {
        "sales": Sale.objects.first().pk,
        "contacts": Contact.objects.first().pk,
        "shoots": Shoot.objects.first().pk,
        "inbox": InboxItem.objects.filter(state=InboxItem.State.NEW).first().pk,
        "payments": Payment.objects.first().pk,
        "refunds": Refund.objects.first().pk,
        "invoicing": Invoice.objects.first().pk,
        "credit-notes": CreditNote.objects.first().pk,
        "schedules": ScheduleTemplate.objects.first().pk,
    }
    return ids


def _pages() -> list[str]:
    ids = _rows()
    pages = set()
    for raw in _paths(get_resolver().url_patterns):
        path = "/" + raw.lstrip("^").rstrip("$")
        if path.lstrip("/").startswith(SKIPPED) or "(?P" in path:
            continue

        def fill(match: re.Match, path: str = path) -> str:
            before = path[: match.start()].strip("/").split("/")
            word = next((w for w in reversed(before) if w in ids), "sales")
            return str(ids[word])

        pages.add(PARAM.sub(fill, path))
    return sorted(pages)


def test_no_page_answers_500_to_an_odd_query_string(auth_client, studio):
    _fill(studio)
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


def test_no_form_answers_500_to_odd_values(client, owner, studio):
    _fill(studio)
    client.raise_request_exception = False
    names = NAMES + FORM_NAMES
    failures = []
    for path in _pages():
        if any(word in path for word in NOT_POSTED):
            continue
        for value in ODD_VALUES:
            client.force_login(owner)  # a post may have changed the session
            if client.post(path, dict.fromkeys(names, value)).status_code < 500:
                continue
            for name in names:
                client.force_login(owner)
                if client.post(path, {name: value}).status_code >= 500:
                    failures.append(f"POST {path} {name}={value[:20]!r}")
    assert not failures, failures
