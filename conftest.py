"""Fixtures shared by every app's tests: studios, users, logged-in clients, a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# test code in that thread are still synchronous, so Django's guard is lifted for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["galleries.tests.standin_fixtures"]

DEMO_PASSWORD = "correct-horse-battery-staple"
CHROMIUM = os.environ.get("CYAN_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def studio_factory(db):
    from accounts.services import create_studio

    counter = iter(range(1, 10_000))

    def make(name: str | None = None, **kwargs):
        n = next(counter)
        studio, owner = create_studio(
            name=name or f"Studio {n}",
            owner_email=kwargs.pop("owner_email", f"owner{n}-{os.urandom(3).hex()}@example.test"),
            owner_password=DEMO_PASSWORD,
            **kwargs,
        )
        return studio, owner

    return make


@pytest.fixture
def studio_and_owner(studio_factory):
    return studio_factory("Lumen Studio", country="GB", default_currency="GBP")


@pytest.fixture
def studio(studio_and_owner):
    return studio_and_owner[0]


@pytest.fixture
def owner(studio_and_owner):
    return studio_and_owner[1]


@pytest.fixture
def other_studio_and_owner(studio_factory):
    return studio_factory("Other Studio")


@pytest.fixture
def auth_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Debian's Chromium is missing at {CHROMIUM}: run 'make test' (it installs it)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    # A loaded 2-core CI machine can take seconds to answer an htmx request.
    expect.set_options(timeout=15_000)
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Argon2 (the production hasher) costs ~1 s per user on this machine; tests that are
    about hashing itself opt back in with @pytest.mark.real_password_hashing."""
    if "real_password_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run in-line in tests (the worker is exercised by its own tests)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
