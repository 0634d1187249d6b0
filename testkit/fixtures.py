"""The shared fixtures of every app's tests (a pytest plugin, registered by the root
conftest): studios, owners, logged-in clients, a real browser, the factories bound to the
test's studio, and a Pic-Time link.

`make_sale` and `make_shoot` default to the test's `studio` (a test that sells to another
studio's contact expects a refusal); `make_sale` with no contact uses the test's `contact`.
An app's tests change its defaults by overriding `sale_defaults` (sales' sell in USD)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from testkit import factories
from testkit.api_client import ApiClient
from testkit.payloads import WEBHOOK_SECRET

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
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


@pytest.fixture
def other_studio(other_studio_and_owner):
    return other_studio_and_owner[0]


@pytest.fixture
def contact(studio):
    return factories.make_contact(studio, "Ada", "Lovelace")


@pytest.fixture
def other_contact(studio):
    return factories.make_contact(studio, "Grace", "Hopper")


@pytest.fixture
def make_contact(studio):
    """make_contact(first_name, last_name, *, studio=the test's, **details)."""

    def make(first_name: str = "Jane", last_name: str = "Smith", *, studio=studio, **details):
        return factories.make_contact(studio, first_name, last_name, **details)

    return make


@pytest.fixture
def make_shoot(studio):
    """make_shoot(contact=None, *, studio=the test's, **shoot fields)."""

    def make(contact=None, *, studio=studio, **fields):
        return factories.make_shoot(studio, contact, **fields)

    return make


@pytest.fixture
def sale_defaults() -> dict[str, Any]:
    """Keyword defaults of the `make_sale` fixture; override it in an app's conftest."""
    return {}


@pytest.fixture
def make_sale(request, studio, sale_defaults):
    """make_sale(contact=the test's `contact`, *, studio=the test's, **sale fields)."""

    def make(contact=None, *, studio=studio, **overrides):
        contact = contact or request.getfixturevalue("contact")
        return factories.make_sale(studio, contact, **(sale_defaults | overrides))

    return make


@pytest.fixture
def pictime_link(studio):
    """A Pic-Time link whose webhooks are signed with testkit.payloads.WEBHOOK_SECRET."""
    from galleries.crypto import encrypt_secret
    from galleries.models import GalleryLink

    return GalleryLink.objects.create(
        studio=studio,
        provider="pictime",
        provider_account_id="acc_demo",
        account_name="Rosa Lindqvist Photography",
        status=GalleryLink.Status.LINKED,
        linked_at=datetime.now(UTC),
        webhook_secret_encrypted=encrypt_secret(WEBHOOK_SECRET),
    )


@pytest.fixture
def ada(studio):
    """Ada Lovelace, known by her email: a certain match for order_json's default client."""
    return factories.make_contact(studio, "Ada", "Lovelace", emails=["ada@example.com"])


@pytest.fixture
def fake_pictime(monkeypatch: pytest.MonkeyPatch):
    """The in-memory Pic-Time (testkit.fakes), answering for every Pic-Time client call."""
    from testkit.fakes import FakePicTime, use_client

    fake = FakePicTime()
    use_client(monkeypatch, "pictime", fake)
    return fake


@pytest.fixture
def api_key_and_raw(studio):
    from api.services import generate_api_key

    return generate_api_key(studio=studio, name="Tests")


@pytest.fixture
def raw_key(api_key_and_raw) -> str:
    return api_key_and_raw[1]


@pytest.fixture
def api(client, raw_key) -> ApiClient:
    """Cyan's REST API as the test's studio, through its API key."""
    return ApiClient(client, raw_key)


@pytest.fixture
def other_api(other_studio) -> ApiClient:
    """Cyan's REST API as another studio."""
    from django.test import Client

    from api.services import generate_api_key

    return ApiClient(Client(), generate_api_key(studio=other_studio)[1])


@pytest.fixture
def receiver():
    """A real HTTP server (testkit.receiver) recording the webhooks it receives."""
    from testkit.receiver import running_receiver

    with running_receiver() as running:
        yield running


@pytest.fixture(autouse=True)
def no_remembered_links():
    """Each test starts with no webhook link remembered (galleries.link_cache): tests
    reuse account ids and ids of rolled-back links within the cache's few seconds."""
    from galleries import link_cache

    link_cache._clear()
    yield
    link_cache._clear()
