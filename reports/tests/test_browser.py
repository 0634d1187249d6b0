"""A photographer opens each report in Chromium, sees its chart and downloads its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
from playwright.sync_api import Page, expect

from testkit.browser import log_in
from testkit.factories import line, make_contact, make_sale, make_shoot

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("CYAN_SCREENSHOTS", "")


def snap(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"reports-{name}.png"), full_page=True)


def download_csv(page: Page, section: str = "") -> list[dict]:
    links = page.locator(".report-downloads", has_text=section) if section else page
    with page.expect_download() as info:
        links.get_by_role("link", name="Download CSV").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def test_open_each_report_see_the_chart_and_download_the_csv(
    page: Page, live_server, studio_factory, transactional_db
):
    studio, owner = studio_factory("Lumen Studio", default_currency="GBP")
    ada = make_contact(studio, "Ada", "Lovelace")
    grace = make_contact(studio, "Grace", "Hopper")
    today = dt.date.today()
    recent = today - dt.timedelta(days=20)
    make_sale(studio, ada, recent, "GBP", [line("album", 45000), line("print", 5000)])
    make_sale(studio, grace, recent, "GBP", [line("digital", 12000)], source="pictime",
              external_ref="PT-1", gallery_provider="pictime", gallery_id="G-1")  # fmt: skip
    make_shoot(
        studio, grace, "Hopper family", dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
        "completed", shoot_type="family", gallery_provider="pictime", gallery_id="G-2",
    )  # fmt: skip

    log_in(page, live_server.url, owner.email)
    expect(page.get_by_role("heading", name="Top clients · GBP")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Most important clients · GBP")).to_be_visible()
    expect(page.get_by_role("img", name="Clients by net value (GBP)")).to_be_visible()
    snap(page, "client-value")
    rows = download_csv(page)
    assert [(r["Client"], r["Net"]) for r in rows] == [
        ("Ada Lovelace", "500.00"), ("Grace Hopper", "120.00"),
    ]  # fmt: skip
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page).to_have_url(f"{live_server.url}/contacts/{ada.pk}/")
    page.go_back()

    tabs = page.get_by_role("navigation", name="Reports")
    tabs.get_by_role("link", name="Segments").click()
    expect(page.get_by_role("heading", name="Segments · GBP")).to_be_visible()
    rows = download_csv(page)
    assert [(r["Segment"], r["Client"]) for r in rows] == [
        ("New", "Ada Lovelace"), ("New", "Grace Hopper"),
    ]  # fmt: skip

    tabs.get_by_role("link", name="Opportunities").click()
    expect(page.get_by_role("heading", name="Galleries with no order yet")).to_be_visible()
    expect(page.get_by_text("Bought only digital files")).to_be_visible()
    snap(page, "opportunities")
    rows = download_csv(page)
    assert {r["Opportunity"] for r in rows} == {
        "Galleries with no order yet", "Only digital files bought",
    }  # fmt: skip

    tabs.get_by_role("link", name="Sales").click()
    expect(page.get_by_role("img", name="Sales by month and source (GBP)")).to_be_visible()
    expect(page.get_by_role("img", name="Product-kind mix (GBP)")).to_be_visible()
    snap(page, "sales")
    rows = download_csv(page, "By product kind")
    totals = {r["Product kind"]: r["Total"] for r in rows}
    assert (totals["Albums"], totals["Prints"], totals["Digital"]) == ("450.00", "50.00", "120.00")

    page.get_by_label("Currency").select_option("all")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Sales · GBP")).to_be_visible()
    page.get_by_label("From").fill("2001-01-01")
    page.get_by_label("To").fill("2001-12-31")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("No sales in this period.")).to_be_visible()
