"""A photographer records a sale in Chromium: choosing the contact narrows the shoot
choices (htmx), "Add a line" adds a row (the form's only JavaScript), then a payment."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.models import Contact
from sales.models import Sale
from shoots.models import Shoot
from testkit.browser import log_in
from testkit.factories import make_contact, make_shoot

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("CYAN_SCREENSHOTS", "")


def shoot_for(contact: Contact, title: str) -> Shoot:
    starts_at = timezone.make_aware(dt.datetime(2026, 4, 1, 10))
    return make_shoot(contact.studio, contact, title, starts_at)


def snap(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"sales-{name}.png"), full_page=True)


def test_record_a_sale_with_lines_and_a_payment(
    page: Page, live_server, studio_factory, transactional_db
):
    studio, owner = studio_factory("Lumen Studio", default_currency="EUR")
    jane = make_contact(studio, "Jane", "Smith")
    john = make_contact(studio, "John", "Doe")
    shoot_for(jane, "Smith newborn")
    shoot_for(john, "Doe portraits")

    log_in(page, live_server.url, owner.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sales").click()
    expect(page.get_by_text("No sales yet.")).to_be_visible()
    page.get_by_role("link", name="add a sale by hand").click()

    # The search box narrows the contact list (htmx, once the page has loaded), then the
    # contact is chosen.
    page.wait_for_load_state("load")
    page.get_by_label("Search by name, email or phone").fill("smith")
    expect(page.get_by_label("Contact").locator("option", has_text="John Doe")).to_have_count(0)
    page.get_by_label("Contact").select_option(label="Jane Smith")
    shoot_select = page.get_by_label("Shoot")
    expect(shoot_select.locator("option", has_text="Smith newborn")).to_have_count(1)
    expect(shoot_select.locator("option", has_text="Doe portraits")).to_have_count(0)
    shoot_select.select_option(label="Smith newborn (1 Apr 2026)")
    page.get_by_label("Date").fill("2026-05-02")
    expect(page.get_by_label("Currency")).to_have_value("EUR")

    rows = page.locator("#line-rows tr.line-row")
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="Add a line").click()
    expect(rows).to_have_count(4)
    rows.nth(0).get_by_label("Description").fill("Newborn album")
    rows.nth(0).get_by_label("Kind").select_option("album")
    rows.nth(0).get_by_label("Unit price").fill("450")
    rows.nth(3).get_by_label("Description").fill("Prints")
    rows.nth(3).get_by_label("Quantity").fill("4")
    rows.nth(3).get_by_label("Unit price").fill("12.999")
    snap(page, "form")
    page.get_by_role("button", name="Add sale").click()

    expect(page.get_by_text("has more decimal places than EUR allows")).to_be_visible()
    assert not Sale.objects.exists()
    page.locator("#line-rows tr.line-row").nth(3).get_by_label("Unit price").fill("12.50")
    page.get_by_role("button", name="Add sale").click()

    expect(page.get_by_text("added.")).to_be_visible()
    expect(page.locator(".sale-totals")).to_contain_text("€500.00")
    page.get_by_label("Amount").first.fill("200")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded.")).to_be_visible()
    expect(page.locator(".sale-totals")).to_contain_text("€300.00")
    snap(page, "detail")

    sale = Sale.objects.get()
    assert (sale.contact, sale.shoot.title, sale.total_minor, sale.paid_minor) == (
        jane,
        "Smith newborn",
        50000,
        20000,
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sales").click()
    snap(page, "list")
    expect(page.locator(".currency-totals")).to_contain_text("€500.00")
