"""axe-core (the npm package, pinned in tests/a11y/package-lock.json) over every page of the
main path and the Pic-Time stand-in's pages a photographer sees: no serious or critical
violation. axe is injected by Playwright into a context that bypasses the CSP (axe needs
to run a script the pages' policy rightly refuses); the pages themselves are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from testkit.browser import log_in
from testkit.pages import fill_studio, main_path

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def axe_page(browser) -> Iterator[Page]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run 'make test' (it runs npm ci there).")
    context = browser.new_context(bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def check(page: Page, url: str, problems: dict[str, list[str]]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    if found := serious_violations(page):
        problems[url] = found


def test_the_main_path_has_no_serious_accessibility_violation(
    axe_page: Page, live_server, studio_factory, transactional_db
):
    studio, owner = studio_factory("Lumen Studio", default_currency="GBP", country="GB")
    fill_studio(studio)
    problems: dict[str, list[str]] = {}
    check(axe_page, f"{live_server.url}/accounts/login/", problems)
    log_in(axe_page, live_server.url, owner.email)
    pages = list(main_path())
    for path in pages:
        check(axe_page, f"{live_server.url}{path}", problems)
    # A page with a flash message (no API key yet: linking a gallery sends back with one).
    check(axe_page, f"{live_server.url}/galleries/pictime/connect/", problems)
    assert axe_page.get_by_role("status").get_by_text("Generate an API key first").count() == 1
    assert problems == {}, "\n".join(f"{url}: {v}" for url, v in problems.items())
    assert len(pages) >= 20


def test_axe_finds_a_planted_violation(axe_page: Page, live_server, db):
    """The check can fail: an image without alternative text is a critical violation."""
    axe_page.goto(f"{live_server.url}/accounts/login/")
    axe_page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/x.png';"
        " document.body.appendChild(i); }"
    )
    assert any(v.startswith("image-alt") for v in serious_violations(axe_page))


def test_the_pictime_standin_pages_have_no_serious_violation(
    axe_page: Page, pictime_standin, account
):
    problems: dict[str, list[str]] = {}
    check(axe_page, f"{pictime_standin.url}/", problems)
    check(axe_page, f"{pictime_standin.url}/login/", problems)
    axe_page.get_by_label("Email").fill(account["email"])
    axe_page.get_by_label("Password").fill(account["password"])
    axe_page.get_by_role("button", name="Log in").click()
    axe_page.wait_for_load_state("load")
    check(axe_page, f"{pictime_standin.url}/dashboard/", problems)
    assert problems == {}, "\n".join(f"{url}: {v}" for url, v in problems.items())


def test_the_first_tab_offers_to_skip_to_the_content(page: Page, live_server, studio_and_owner):
    _studio, owner = studio_and_owner
    log_in(page, live_server.url, owner.email)
    page.goto(f"{live_server.url}/inbox/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
