"""Driving Cyan in Chromium (Playwright) for browser tests."""

from __future__ import annotations

from playwright.sync_api import Page

from testkit.fixtures import DEMO_PASSWORD


def log_in(page: Page, base_url: str, email: str) -> None:
    """Log in through the real login form with the test password of every studio owner."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
