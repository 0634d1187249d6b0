"""The seed, steps 1–7, as a photographer does it: Debian's Chromium, Cyan's live server and
the real Pic-Time stand-in. Then Unlink, and the old token is dead at the stand-in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink
from testkit.standin.server import DEMO_EMAIL, StandIn, point_cyan_at
from testkit.standin.server import DEMO_PASSWORD as PICTIME_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.standin]


@pytest.fixture
def cyan_url(live_server, settings, pictime_standin: StandIn) -> str:
    # 127.0.0.1 rather than localhost: the stand-in's registered loopback callback.
    base = live_server.url.replace("://localhost", "://127.0.0.1")
    point_cyan_at(settings, pictime_standin, cyan_base_url=base)
    return base


def log_in_to_pictime(page: Page) -> None:
    page.locator("input[type=email], input[name=email], input[name=username]").first.fill(
        DEMO_EMAIL
    )
    page.locator("input[type=password]").fill(PICTIME_PASSWORD)
    page.locator("form:has(input[type=password]) [type=submit]").first.click()


def test_photographer_links_then_unlinks_pictime(
    page: Page, cyan_url: str, pictime_standin: StandIn, studio_factory, transactional_db
):
    studio, owner = studio_factory("Lumen Studio", owner_email="lumen@example.test")

    page.goto(f"{cyan_url}/accounts/login/")
    page.get_by_label("Email address").fill(owner.email)
    from testkit.fixtures import DEMO_PASSWORD

    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # 1–3. Preferences → Integrations → API & Zapier → Generate API Key.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Preferences").click()
    sections = page.get_by_role("navigation", name="Preferences sections")
    sections.get_by_role("link", name="Integrations").click()
    integrations = page.get_by_role("navigation", name="Integrations")
    integrations.get_by_role("link", name="API & Zapier").click()
    page.get_by_role("button", name="Generate API Key").click()
    expect(page.get_by_text("Copy it now")).to_be_visible()

    # 4. Online Galleries → Link Pic-Time Account.
    integrations.get_by_role("link", name="Online Galleries").click()
    page.get_by_role("link", name="Link Pic-Time Account").click()

    # 5. The account page's authorise link.
    page.get_by_role("button", name="Authorise Cyan at Pic-Time").click()

    # 6. Log in at Pic-Time, then Approve.
    expect(page).to_have_url(re.compile(re.escape(pictime_standin.url)))
    log_in_to_pictime(page)
    page.get_by_role("button", name="Approve").click()

    # 7. Back at Cyan, linked.
    expect(page).to_have_url(f"{cyan_url}/galleries/settings/")
    link = GalleryLink.objects.get(studio=studio)
    expect(
        page.get_by_role("heading", name=f"Your Pic-Time account {link.account_name} is linked")
    ).to_be_visible()
    expect(page.get_by_test_id("link-status")).to_have_text("Linked")
    access_token = decrypt_secret(link.access_token_encrypted)
    assert pictime_standin.api("GET", "/account", access_token).status_code == 200

    # Unlink, with confirmation.
    page.get_by_role("link", name="Unlink").click()
    expect(
        page.get_by_role("heading", name=re.compile("Unlink your Pic-Time account"))
    ).to_be_visible()
    page.get_by_role("button", name="Yes, unlink").click()
    expect(
        page.get_by_text(f"Your Pic-Time account {link.account_name} was unlinked.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Link Pic-Time Account")).to_be_visible()
    expect(page.get_by_text("is linked")).to_have_count(0)
    assert GalleryLink.objects.get(studio=studio).status == GalleryLink.Status.UNLINKED
    assert pictime_standin.api("GET", "/account", access_token).status_code == 401
