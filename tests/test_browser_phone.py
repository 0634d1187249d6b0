"""Every page of the main path at a phone's width (390 × 844, a plain viewport, not device
emulation): nothing scrolls sideways, the menu opens, the wide tables scroll in their own
box. Screenshots go to $CYAN_SCREENSHOT_DIR when it is set (docs/screenshots/phone/ was
made that way), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from testkit.browser import log_in
from testkit.pages import fill_studio, main_path

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def busy_studio(studio_factory, transactional_db):
    studio, owner = studio_factory(
        "Lumen Studio of Long Names", default_currency="GBP", country="GB"
    )
    fill_studio(studio)
    return studio, owner


@pytest.fixture
def phone(browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def sideways_overflow(page: Page) -> list[str]:
    """How far the page scrolls sideways, and the elements that stick out past the edge."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width) {
            out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${width}`);
            for (const el of document.body.querySelectorAll('*')) {
              const box = el.getBoundingClientRect();
              const clipped = el.closest('.scroll-x, .table-wrap');
              if (box.right > width + 0.5 && !clipped && out.length < 8) {
                const name = `${el.tagName.toLowerCase()}.${el.className}`;
                out.push(`${name} right=${Math.round(box.right)}`);
              }
            }
          }
          return out;
        }"""
    )


def shot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CYAN_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_no_page_of_the_main_path_scrolls_sideways_on_a_phone(
    phone: Page, live_server, busy_studio, tmp_path
):
    _studio, owner = busy_studio
    log_in(phone, live_server.url, owner.email)
    problems: dict[str, list[str]] = {}
    pages = list(main_path())
    folder = shot_dir(tmp_path)
    for path in pages:
        response = phone.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert phone.evaluate("window.innerWidth") == PHONE["width"]
        if overflow := sideways_overflow(phone):
            problems[path] = overflow
        name = path.strip("/").replace("/", "-") or "home"
        phone.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert problems == {}, "\n".join(f"{p}: {v}" for p, v in problems.items())
    assert len(pages) >= 20
    assert (folder / "home.png").stat().st_size > 0


def test_the_menu_collapses_and_opens_on_a_phone(phone: Page, live_server, busy_studio):
    _studio, owner = busy_studio
    log_in(phone, live_server.url, owner.email)
    phone.goto(f"{live_server.url}/")
    inbox_link = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")
    expect(inbox_link).to_be_hidden()
    phone.get_by_text("Menu", exact=True).click()
    expect(inbox_link).to_be_visible()
    inbox_link.click()
    phone.wait_for_url(f"{live_server.url}/inbox/")


def test_the_menu_is_open_on_a_desktop(page: Page, live_server, busy_studio):
    _studio, owner = busy_studio
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, owner.email)
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Inbox")).to_be_visible()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
