"""A photographer adds a shoot for two people in Chromium, using the "Add another person"
button (the formset's only JavaScript), confirms it, then deletes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from shoots.models import Shoot
from testkit.browser import log_in
from testkit.factories import make_contact

pytestmark = pytest.mark.browser


def test_add_confirm_and_delete_a_shoot(page: Page, live_server, studio_factory, transactional_db):
    studio, owner = studio_factory("Lumen Studio", time_zone="Europe/London")
    make_contact(studio, "Jane", "Smith")
    make_contact(studio, "John", "Smith")

    log_in(page, live_server.url, owner.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Shoots").click()
    expect(page.get_by_text("No shoots yet")).to_be_visible()
    page.get_by_role("link", name="add one").click()

    page.get_by_label("Title").fill("Smith wedding")
    page.get_by_label("Type").select_option("wedding")
    page.get_by_label("Date").fill("2026-07-04")
    page.get_by_label("Time").fill("14:30")
    rows = page.locator("#contact-rows tr")
    rows.nth(0).get_by_label("Contact").select_option(label="Jane Smith")
    page.get_by_role("button", name="Add another person").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("Contact").select_option(label="John Smith")
    rows.nth(1).get_by_label("Role").select_option("partner")
    page.get_by_role("button", name="Add shoot").click()

    expect(page.get_by_text("Shoot “Smith wedding” added.")).to_be_visible()
    expect(page.get_by_text("Sat 4 Jul 2026, 14:30")).to_be_visible()
    shoot = Shoot.objects.get()
    assert sorted(shoot.shoot_contacts.values_list("contact__first_name", "role")) == [
        ("Jane", "client"),
        ("John", "partner"),
    ]

    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("is now Confirmed")).to_be_visible()
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.get_by_text("Shoot “Smith wedding” deleted.")).to_be_visible()
    assert not Shoot.objects.exists()
