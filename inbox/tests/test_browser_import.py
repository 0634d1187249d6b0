"""Import Order in Chromium: an order placed at the Pic-Time stand-in by a client who is
already a contact reaches the Inbox; the import window shows the match and its reason and
pre-selects her most recent confirmed shoot; the sale lands on that contact and shoot with
every line right. Then an unknown client with "Create a new contact" makes exactly one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact
from contacts.services import create_contact
from core.money import to_minor
from inbox.models import InboxItem
from sales.models import Sale
from shoots.services import create_shoot
from testkit.browser import log_in
from testkit.standin.orders import deliver, place, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.standin, pytest.mark.django_db(transaction=True)]

ITEMS = [
    {"sku": "print-8x10", "quantity": 3, "options": {"paper": "matte"}},
    {"sku": "album-10x10", "quantity": 1},
]


def open_order(page: Page, base_url: str, number: str) -> None:
    page.goto(f"{base_url}/inbox/")
    page.get_by_role("row").filter(has_text=number).get_by_role("link").first.click()
    page.get_by_role("link", name="Import Order").click()


def test_import_known_client_then_unknown_client(
    page: Page,
    live_server,
    linked,
    pictime_standin,
    account,
    studio,
    owner,
):
    base = live_server.url.replace("localhost", "127.0.0.1")
    hana = create_contact(
        studio=studio, first_name="Hana", last_name="Sato", emails=["hana.sato@example.com"]
    )
    for title, when in [
        ("Sato engagement", datetime(2025, 9, 6, 15, tzinfo=UTC)),
        ("Sato wedding", datetime(2026, 5, 30, 14, tzinfo=UTC)),
    ]:
        create_shoot(
            studio=studio,
            title=title,
            shoot_type="wedding",
            starts_at=when,
            status="confirmed",
            contacts=[(hana, "client")],
        )
    client = {"first_name": "Hana", "last_name": "Sato", "email": "Hana.Sato@example.com"}
    order = place(pictime_standin, account, client=client, items=ITEMS, currency="USD")
    deliver(pictime_standin)
    wait_for(lambda: InboxItem.objects.filter(external_id=order["id"]).exists())

    log_in(page, base, owner.email)
    open_order(page, base, order["number"])
    expect(page.get_by_text("Matched to Hana Sato")).to_be_visible()
    expect(page.get_by_text("same email", exact=False).first).to_be_visible()
    expect(page.get_by_role("radio", name="Sato wedding")).to_be_checked()
    expect(page.get_by_role("radio", name="Sato engagement")).not_to_be_checked()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported as a sale for Hana Sato")).to_be_visible()

    sale = Sale.objects.get(external_ref=order["number"])  # the number the client saw
    assert (sale.contact, sale.shoot.title, sale.source) == (hana, "Sato wedding", "pictime")
    assert sale.total_minor == to_minor(order["total"], "USD")
    assert [
        (ln.description, ln.quantity, ln.total_minor) for ln in sale.lines.order_by("position")
    ] == [(i["product"], i["quantity"], to_minor(i["total"], "USD")) for i in order["items"]]
    page.goto(f"{base}/contacts/{hana.pk}/")
    expect(page.get_by_role("region", name="Sales")).to_contain_text(f"Sale #{sale.pk}")

    stranger = {"first_name": "Omar", "last_name": "Haddad", "email": "omar.h@example.net"}
    second = place(pictime_standin, account, client=stranger, items=ITEMS[:1], currency="USD")
    deliver(pictime_standin)
    wait_for(lambda: InboxItem.objects.filter(external_id=second["id"]).exists())
    open_order(page, base, second["number"])
    expect(page.get_by_text("No contact matches this client")).to_be_visible()
    expect(page.get_by_label("Create a new contact if no match is found")).to_be_checked()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported as a sale for Omar Haddad")).to_be_visible()
    assert Contact.objects.filter(last_name="Haddad").count() == 1
    assert (
        Sale.objects.get(external_ref=second["number"]).contact.emails.get().email
        == "omar.h@example.net"
    )
