"""A wedding sale in Chromium: a 25 % / 50 % / remaining schedule relative to the shoot
date (a template kept in Preferences), Create Invoice, the first instalment paid, the
second overdue on Home once the clock moves, and the invoice PDF emailed to a real local
SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Page, expect

from invoicing.models import Invoice
from testkit.browser import log_in
from testkit.factories import line, make_contact, make_sale, make_shoot

pytestmark = pytest.mark.browser
WEDDING = dt.datetime(2026, 9, 12, 14, tzinfo=dt.UTC)


def fill_step(page: Page, row: int, kind: str, value: str, offset: str, unit: str, side: str):
    cells = page.locator("tbody tr").nth(row)
    cells.get_by_label("Kind").select_option(kind)
    cells.get_by_label("Percent or amount").fill(value)
    cells.get_by_label("Offset").fill(offset)
    cells.get_by_label("Unit").select_option(unit)
    cells.get_by_label("Before or after").select_option(side)
    cells.get_by_label("Relative to").select_option("shoot_date")


def test_wedding_schedule_invoice_payment_overdue_and_email(
    page: Page, live_server, studio_factory, transactional_db, smtp_server
):
    studio, owner = studio_factory("Lumen Studio", default_currency="GBP")
    ann = make_contact(studio, "Ann", "Lee", emails=["ann@example.com"])
    shoot = make_shoot(studio, ann, "Lee wedding", WEDDING, shoot_type="wedding")
    sale = make_sale(studio, ann, dt.date(2026, 5, 1), lines=[line("package", 400000)], shoot=shoot)
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)):
        log_in(page, live_server.url, owner.email)
        page.goto(f"{live_server.url}/invoicing/preferences/schedules/")
        page.get_by_label("Name").fill("Wedding 25/50/rest")
        fill_step(page, 0, "percent", "25", "120", "days", "before")
        fill_step(page, 1, "percent", "50", "4", "weeks", "before")
        fill_step(page, 2, "remaining", "", "0", "days", "after")
        page.get_by_role("button", name="Save template").click()
        expect(page.get_by_text("Template “Wedding 25/50/rest” saved.")).to_be_visible()

        page.goto(f"{live_server.url}/sales/{sale.pk}/")
        page.get_by_label("Template").select_option(label="Wedding 25/50/rest")
        page.get_by_role("button", name="Apply schedule").click()
        schedule = page.locator("#schedule")
        expect(schedule.get_by_text("15 May 2026")).to_be_visible()
        expect(schedule.get_by_text("15 Aug 2026")).to_be_visible()

        page.get_by_role("button", name="Create Invoice").click()
        expect(page.get_by_text("Invoice INV-1 created.")).to_be_visible()

        page.get_by_label("The next instalment").check()
        page.get_by_label("Method").last.fill("card")
        page.get_by_role("button", name="Add Payment").click()
        expect(page.get_by_text("Payment recorded.")).to_be_visible()
        expect(schedule.locator("tbody tr").first.get_by_text("Paid")).to_be_visible()
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name="Overdue instalments")).to_have_count(0)

    with time_machine.travel(dt.datetime(2026, 8, 20, 10, tzinfo=dt.UTC)):
        log_in(page, live_server.url, owner.email)  # the session of May has expired
        overdue = page.locator(
            "section", has=page.get_by_role("heading", name="Overdue instalments")
        )
        expect(overdue).to_contain_text("£2,000.00 due 15 Aug 2026")
        overdue.get_by_role("link", name=f"Sale #{sale.pk}").click()
        expect(page.locator("#schedule").get_by_text("Overdue")).to_be_visible()

        expect(page.get_by_label("Email the invoice PDF to")).to_have_value("ann@example.com")
        page.get_by_role("button", name="Email PDF").click()
        expect(page.get_by_text("Emailed to ann@example.com.")).to_be_visible()

    [message] = smtp_server.messages
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "invoice-INV-1.pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF-")
    assert Invoice.objects.get().issued_on == dt.date(2026, 5, 1)
