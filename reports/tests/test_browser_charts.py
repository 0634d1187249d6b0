"""The reports' charts, drawn by Chromium: no axis label or legend entry overlaps another,
with twelve months of sales from several sources and client values in wide bands."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from testkit.browser import log_in
from testkit.factories import line, make_contact, make_sale

pytestmark = pytest.mark.browser

OVERLAPS = """() => {
  const boxes = (svg, selector) => [...svg.querySelectorAll(selector)]
    .map(t => ({text: t.textContent, box: t.getBoundingClientRect()}))
    .filter(t => t.box.width > 0 && t.text.trim());
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const found = [];
  for (const svg of document.querySelectorAll('.chart svg')) {
    for (const selector of ['.axis.x text', '.axis.y text', '.legends text']) {
      const labels = boxes(svg, selector);
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
          if (hit(labels[i].box, labels[j].box))
            found.push(`${selector}: "${labels[i].text}" / "${labels[j].text}"`);
    }
  }
  return found;
}"""


@pytest.fixture
def a_busy_year(studio_factory, transactional_db):
    studio, owner = studio_factory("Lumen Studio", default_currency="GBP", country="GB")
    sources = ["manual", "pictime", "shootproof", "api"]
    for n in range(40):
        contact = make_contact(studio, first_name=f"Client{n}", last_name="Example")
        for month in range(1, 13):
            if (n + month) % 5:
                continue
            make_sale(
                studio,
                contact,
                dt.date(2025, month, 10),
                "GBP",
                [line("print", 1000 * (n + 1) ** 2)],
                source=sources[(n + month) % len(sources)],
            )
    return studio, owner


@pytest.mark.parametrize(
    "path",
    [
        "/reports/?date_from=2025-01-01&date_to=2025-12-31",
        "/reports/sales/?date_from=2025-01-01&date_to=2025-12-31",
        "/reports/sales/?date_from=2025-07-01&date_to=2025-12-31",  # six months: level labels
    ],
)
def test_no_chart_label_overlaps_another(page: Page, live_server, a_busy_year, path):
    _studio, owner = a_busy_year
    log_in(page, live_server.url, owner.email)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}{path}")
        assert page.locator(".chart svg").count() >= 1
        assert page.evaluate(OVERLAPS) == [], width
