"""The foundation, as a photographer uses it in Chromium: log in, add a contact, add a
confirmed shoot for them, record a sale on that shoot, and see the sale on their page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact
from sales.models import Sale
from testkit.fixtures import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_contact_shoot_sale_then_the_sale_shows_on_the_contact(
    page: Page, live_server, studio_factory, transactional_db
):
    _studio, owner = studio_factory("Lumen Studio", default_currency="GBP", country="GB")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill(owner.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Add contact").first.click()
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").first.fill("maya@example.test")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("heading", name="Maya Okafor")).to_be_visible()

    page.get_by_role("link", name="New shoot").click()
    page.get_by_label("Title").fill("Okafor family")
    page.get_by_label("Type").select_option("family")
    page.get_by_label("Date").fill("2026-08-15")
    page.get_by_label("Time").fill("10:00")
    page.get_by_role("button", name="Add shoot").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("is now Confirmed")).to_be_visible()

    page.get_by_role("link", name="New sale").click()
    maya = Contact.objects.get(first_name="Maya")
    expect(page.get_by_label("Contact")).to_have_value(str(maya.pk))
    page.get_by_label("Shoot").select_option(label="Okafor family (15 Aug 2026)")
    page.get_by_label("Date").fill("2026-08-20")
    first_line = page.locator("#line-rows tr.line-row").first
    first_line.get_by_label("Description").fill("Canvas 16x20")
    first_line.get_by_label("Kind").select_option("wall_art")
    first_line.get_by_label("Quantity").fill("2")
    first_line.get_by_label("Unit price").fill("140")
    page.get_by_role("button", name="Add sale").click()
    expect(page.get_by_text("added.")).to_be_visible()

    page.get_by_role("link", name="Maya Okafor").first.click()
    sales = page.get_by_role("region", name="Sales")
    expect(sales).to_contain_text("£280.00")
    expect(sales).to_contain_text("20 Aug 2026")
    sale = Sale.objects.get()
    assert (sale.contact, sale.shoot.title, sale.total_minor) == (maya, "Okafor family", 28000)
