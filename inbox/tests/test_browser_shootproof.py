"""ShootProof in Chromium: link it through the stand-in's login and Approve page, choosing
the second of two brands; an order placed at ShootProof is polled into the Inbox by the
worker's poll round (run here in-line, with the cadence shortened to a second); Import Order puts
it on the matched contact and her confirmed shoot."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from contacts.services import create_contact
from galleries.models import GalleryLink
from inbox.models import InboxItem
from inbox.sync import poll_link
from inbox.tasks import poll_all_links
from sales.models import Sale
from shoots.services import create_shoot
from testkit.browser import log_in
from testkit.standin.orders import wait_for
from testkit.standin.shootproof import ShootProofStandIn, point_cyan_at_shootproof

pytestmark = [pytest.mark.browser, pytest.mark.standin, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cyan_url(live_server, settings, shootproof_standin: ShootProofStandIn) -> str:
    # 127.0.0.1 rather than localhost: the stand-in's registered loopback callback.
    base = live_server.url.replace("://localhost", "://127.0.0.1")
    point_cyan_at_shootproof(settings, shootproof_standin, cyan_base_url=base)
    settings.CYAN_SHOOTPROOF_POLL_SECONDS = 1  # the cadence a test can wait for
    return base


def test_link_shootproof_choose_a_brand_and_import_an_order(
    page: Page, cyan_url: str, shootproof_standin: ShootProofStandIn, shootproof_account,
    studio, owner,
):  # fmt: skip
    from api.services import generate_api_key

    generate_api_key(studio=studio)
    mary = create_contact(
        studio=studio, first_name="Mary Ann", last_name="van der Berg",
        emails=["maryann@example.com"],
    )  # fmt: skip
    shoot = create_shoot(
        studio=studio, title="Van der Berg wedding", shoot_type="wedding",
        starts_at=datetime(2026, 6, 14, 15, tzinfo=UTC), status="confirmed",
        contacts=[(mary, "client")],
    )  # fmt: skip
    weddings = shootproof_account["brands"][1]

    log_in(page, cyan_url, owner.email)
    page.goto(f"{cyan_url}/galleries/settings/")
    page.get_by_role("link", name="Link ShootProof Account").click()
    page.get_by_role("button", name="Authorise Cyan at ShootProof").click()

    expect(page).to_have_url(re.compile(re.escape(shootproof_standin.url)))
    page.locator("input[type=email], input[name=username]").first.fill(shootproof_account["email"])
    page.locator("input[type=password]").fill(shootproof_account["password"])
    page.locator("form:has(input[type=password]) [type=submit]").first.click()
    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_role("heading", name="Choose the brand")).to_be_visible()
    page.get_by_role("radio", name=re.compile(re.escape(weddings["name"]))).check()
    page.get_by_role("button", name="Link this brand").click()
    expect(
        page.get_by_role("heading", name=f"Your ShootProof account {weddings['name']} is linked")
    ).to_be_visible()
    link = GalleryLink.objects.get(studio=studio, provider="shootproof")
    assert link.provider_account_id == str(weddings["id"])
    poll_link(link=link)  # the first poll: the backfill, empty

    placed = shootproof_standin.control(
        "POST", "/control/orders",
        {"account_email": shootproof_account["email"], "brand_id": weddings["id"], "count": 1,
         "client": {"name": "Mary Ann van der Berg", "email": "maryann@example.com"},
         "items": [{"productType": "print", "name": "8x10 Print", "unitPrice": 25,
                    "quantity": 2}], "currency": "USD"},
    )  # fmt: skip
    assert placed.status_code in (200, 201), placed.text
    order = placed.json()["orders"][0]

    def worker_round() -> bool:  # the worker's poll round: polls the link once it is due
        poll_all_links.call(False)
        return InboxItem.objects.filter(source="shootproof", external_id=str(order["id"])).exists()

    wait_for(worker_round)

    page.goto(f"{cyan_url}/inbox/")
    page.get_by_role("row").filter(has_text=order["orderNumber"]).get_by_role("link").first.click()
    page.get_by_role("link", name="Import Order").click()
    expect(page.get_by_text("Matched to Mary Ann van der Berg")).to_be_visible()
    expect(page.get_by_role("radio", name="Van der Berg wedding")).to_be_checked()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported as a sale for Mary Ann van der Berg")).to_be_visible()

    sale = Sale.objects.get(studio=studio, source="shootproof")
    assert (sale.contact, sale.shoot) == (mary, shoot)
    assert sale.total_minor == round(order["total"] * 100)
