"""The import window in Chromium, for what only a browser shows: every part of the window
follows the current contact choice (htmx), Enter imports, the search never puts the CSRF
token in a URL, and the keyboard focus stays where it was when the window is re-drawn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact
from contacts.services import create_contact
from inbox.models import InboxItem
from sales.models import Sale
from testkit.browser import log_in
from testkit.factories import make_shoot as shoot
from testkit.factories import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_window(page: Page, live_server, owner):
    """Log in, then open the import window of an item; every URL requested is recorded."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def open_(item: InboxItem) -> list[str]:
        log_in(page, live_server.url, owner.email)
        page.goto(f"{live_server.url}/inbox/{item.pk}/import/")
        return requested

    return open_


def token_leaks(requested: list[str]) -> list[str]:
    return [url for url in requested if "csrfmiddlewaretoken" in url]


def test_none_of_these_drops_the_matched_contacts_banner_shoots_and_details(
    page: Page, open_window, studio, ada
):
    shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    open_window(receive(studio))
    expect(page.get_by_text("Matched to Ada Lovelace")).to_be_visible()
    expect(page.get_by_role("radio", name="Family day")).to_be_checked()
    expect(page.get_by_text("record lacks these")).to_be_visible()

    page.get_by_role("radio", name="None of these").check()
    expect(page.get_by_text("Matched to Ada Lovelace")).to_have_count(0)
    expect(page.get_by_text("A new contact will be created")).to_be_visible()
    expect(page.get_by_role("radio", name="Family day")).to_have_count(0)
    expect(page.get_by_text("record lacks these")).to_have_count(0)
    expect(page.get_by_role("radio", name="None of these")).to_be_checked()

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported as a sale for Ada Lovelace")).to_be_visible()
    sale = Sale.objects.get()
    assert sale.contact != ada and sale.shoot is None
    assert Contact.objects.count() == 2


def test_enter_imports_and_never_sends_the_token_in_a_url(page: Page, open_window, studio, ada):
    family = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    requested = open_window(receive(studio))
    page.get_by_role("radio", name="Family day").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Imported as a sale for Ada Lovelace")).to_be_visible()
    assert (Sale.objects.get().contact, Sale.objects.get().shoot) == (ada, family)
    assert token_leaks(requested) == []


def test_search_with_enter_keeps_the_focus_and_the_token_out_of_urls(
    page: Page, open_window, studio, ada
):
    create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    requested = open_window(receive(studio))
    search = page.get_by_label("Find another contact")
    search.fill("Hopper")
    search.press("Enter")
    expect(page.get_by_text("(search result)")).to_be_visible()
    expect(page.get_by_label("Find another contact")).to_be_focused()
    expect(page.get_by_label("Find another contact")).to_have_value("Hopper")
    assert not Sale.objects.exists() and token_leaks(requested) == []

    # Arrow keys move the choice; the window is re-drawn and the focus stays on the radio.
    page.get_by_role("radio", name="Grace Hopper").check()
    expect(page.get_by_text("but you chose Grace Hopper")).to_be_visible()
    expect(page.get_by_role("radio", name="Grace Hopper")).to_be_focused()
    page.wait_for_load_state("networkidle")  # the re-draw is in: the key goes to it
    page.keyboard.press("ArrowDown")
    expect(page.get_by_text("A new contact will be created")).to_be_visible()
    expect(page.get_by_role("radio", name="None of these")).to_be_checked()
    expect(page.get_by_role("radio", name="None of these")).to_be_focused()
    assert token_leaks(requested) == []
