"""A photographer adds a contact in Chromium with two emails (the "Add another email"
button is the form's only JavaScript), sees a mistake reported at the field, finds the
contact by phone number, and deletes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact
from testkit.browser import log_in

pytestmark = pytest.mark.browser


def test_add_find_and_delete_a_contact(page: Page, live_server, studio_factory, transactional_db):
    _studio, owner = studio_factory("Lumen Studio", country="GB")
    log_in(page, live_server.url, owner.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Add your first contact").click()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    emails = page.locator("#emails-rows .detail-row")
    emails.nth(0).get_by_label("Email address").fill("ada@example.com")
    page.get_by_role("button", name="Add another email").click()
    expect(emails).to_have_count(2)
    expect(emails.nth(1).get_by_label("Email address")).to_be_focused()
    emails.nth(1).get_by_label("Email address").fill("ada@work")
    page.locator("#phones-rows .detail-row").first.get_by_label("Phone number").fill(
        "020 7946 0018"
    )
    page.get_by_role("button", name="Add contact").click()

    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(emails.nth(1).locator(".errorlist")).to_contain_text("not a valid email address")
    assert not Contact.objects.exists()
    emails.nth(1).get_by_label("Email address").fill("ada@work.example")
    page.get_by_role("button", name="Add contact").click()

    expect(page.get_by_text("Contact Ada Lovelace added.")).to_be_visible()
    contact = Contact.objects.get()
    assert list(contact.emails.values_list("email", flat=True)) == [
        "ada@example.com",
        "ada@work.example",
    ]
    assert list(contact.phones.values_list("e164", flat=True)) == ["+442079460018"]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    page.get_by_label("Search").fill("+44 20 7946 0018")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ada Lovelace").click()
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.get_by_text("Contact Ada Lovelace deleted.")).to_be_visible()
    assert not Contact.objects.exists()
